"""Writing annotated videos: H.264 where this machine can encode it, MPEG-4 Part 2 otherwise.

OpenCV's pip wheel ships an FFmpeg without an H.264 encoder: 'avc1' fails and 'mp4v'
works, and browsers and most phones do not play 'mp4v'. PyAV's wheels bundle FFmpeg with
libx264, so with the `video` extra (`pip install formcoach[video]`) the annotated video is
H.264 (yuv420p, +faststart: plays in a browser). Without PyAV, OpenCV's codecs are probed
in order with OpenCV's own logging silenced, so a failed probe prints nothing.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

OPENCV_CODECS = ("avc1", "mp4v")


class VideoWriteError(OSError):
    """No codec could write the video."""


class FrameWriter(Protocol):
    codec: str

    def write(self, image_bgr: npt.NDArray[np.uint8]) -> None: ...

    def close(self) -> None: ...


@contextlib.contextmanager
def opencv_silenced() -> Iterator[None]:
    """Silence OpenCV's log (codec probes print errors to stderr) for the block."""
    level = cv2.getLogLevel()
    cv2.setLogLevel(0)  # 0 = LOG_LEVEL_SILENT
    try:
        yield
    finally:
        cv2.setLogLevel(level)


def pyav_available() -> bool:
    return importlib.util.find_spec("av") is not None


class PyAVWriter:
    """H.264 through PyAV's bundled libx264. Width and height are rounded down to even."""

    codec = "h264"

    def __init__(self, path: Path, fps: float, size_px: tuple[int, int], crf: int = 23) -> None:
        import av

        self._av = av
        w, h = size_px[0] - size_px[0] % 2, size_px[1] - size_px[1] % 2
        self._size = (w, h)
        self._container: Any = av.open(
            str(path), "w", format="mp4", options={"movflags": "+faststart"}
        )
        rate = Fraction(fps).limit_denominator(1001)
        self._stream: Any = self._container.add_stream("libx264", rate=rate)
        self._stream.width, self._stream.height = w, h
        self._stream.pix_fmt = "yuv420p"
        # veryfast: encoding must not dominate the analysis; crf 23 is x264's default quality.
        self._stream.options = {"crf": str(crf), "preset": "veryfast"}

    def write(self, image_bgr: npt.NDArray[np.uint8]) -> None:
        if (image_bgr.shape[1], image_bgr.shape[0]) != self._size:
            image_bgr = np.ascontiguousarray(image_bgr[: self._size[1], : self._size[0]])
        frame = self._av.VideoFrame.from_ndarray(image_bgr, format="bgr24")
        for packet in self._stream.encode(frame):
            self._container.mux(packet)

    def close(self) -> None:
        try:
            for packet in self._stream.encode():
                self._container.mux(packet)
        finally:  # the file is closed even when the flush fails (a full disk)
            self._container.close()


class OpenCVWriter:
    """cv2.VideoWriter with the first codec of `codecs` that opens."""

    def __init__(
        self,
        path: Path,
        fps: float,
        size_px: tuple[int, int],
        codecs: tuple[str, ...] = OPENCV_CODECS,
    ) -> None:
        self.codec = ""
        self._writer: cv2.VideoWriter | None = None
        with opencv_silenced():
            for codec in codecs:
                writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*codec), fps, size_px)
                if writer.isOpened():
                    self._writer, self.codec = writer, codec
                    break
                writer.release()
                log.info("OpenCV cannot encode %r here; trying the next codec", codec)
        if self._writer is None:
            raise VideoWriteError(f"cannot write video {path}: no working codec among {codecs}")

    def write(self, image_bgr: npt.NDArray[np.uint8]) -> None:
        assert self._writer is not None
        self._writer.write(image_bgr)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.release()
            self._writer = None


def open_writer(
    path: Path, fps: float, size_px: tuple[int, int], prefer_h264: bool = True
) -> FrameWriter:
    """The best writer available: PyAV's H.264, else OpenCV ('avc1', then 'mp4v')."""
    if prefer_h264 and pyav_available():
        try:
            return PyAVWriter(path, fps, size_px)
        except Exception as exc:  # a broken or stripped PyAV build: fall back to OpenCV
            log.warning("PyAV cannot write H.264 (%s); falling back to OpenCV", exc)
    return OpenCVWriter(path, fps, size_px)
