"""Frame sources: video file, camera, image folder. Each owns its timestamps.

A source is an iterator of `Frame` and a context manager. Timestamps strictly increase:
container timestamps for files (so variable frame rate is honoured), capture time for
cameras, index / fps for image folders. Rotation metadata (phone videos) is applied when
decoding: OpenCV's pip wheel leaves CAP_PROP_ORIENTATION_AUTO off, so it is switched on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from formcoach.types import Frame

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp")
VIDEO_SUFFIXES = (".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v")


class SourceError(RuntimeError):
    """The input cannot be opened or read; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What is known about a source before reading it (frames may be an estimate)."""

    name: str
    fps: float
    frames: int | None
    size_px: tuple[int, int]


class Source:
    """Base: an iterator of frames with an `info` and a `close`."""

    info: SourceInfo

    def __iter__(self) -> Iterator[Frame]:
        raise NotImplementedError

    def close(self) -> None:
        """Release the device or file."""

    def __enter__(self) -> Source:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _Monotonic:
    """Forces strictly increasing timestamps (a container may repeat or drop one)."""

    def __init__(self, min_step_s: float) -> None:
        self._last: float | None = None
        self._step = min_step_s

    def __call__(self, t_s: float) -> float:
        if self._last is not None and t_s <= self._last:
            t_s = self._last + self._step
        self._last = t_s
        return t_s


def _plausible_fps(fps: float) -> float:
    # Containers sometimes report 0, 1000 or 90000 fps; fall back to a camera-like rate.
    return fps if 1.0 <= fps <= 240.0 else 30.0


class VideoFileSource(Source):
    """Frames of a video file with container timestamps.

    `realtime=True` paces reading at the video's own frame rate and skips frames the
    consumer was too slow for, so a file can stand in for a camera.
    """

    def __init__(self, path: str | Path, realtime: bool = False) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise SourceError(f"video not found: {self.path}")
        if self.path.is_dir():
            raise SourceError(f"{self.path} is a folder, not a video")
        if self.path.stat().st_size == 0:
            raise SourceError(f"video file is empty: {self.path}")
        self._cap = cv2.VideoCapture(str(self.path))
        if not self._cap.isOpened():
            raise SourceError(f"cannot decode {self.path}: not a readable video")
        # Honour the container's display matrix; width and height are then the upright ones.
        self._cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
        w = int(self._cap.get(cv2.CAP_PROP_FRAME_WIDTH))
        h = int(self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
        fps = _plausible_fps(float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0))
        count = int(self._cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        self.info = SourceInfo(str(self.path), fps, count if count > 0 else None, (w, h))
        self.realtime = realtime
        self.dropped = 0

    def __iter__(self) -> Iterator[Frame]:
        fps = self.info.fps
        fix = _Monotonic(1.0 / fps / 10)
        index = 0
        started = time.monotonic()
        while True:
            ok, image = self._cap.read()
            if not ok or image is None:
                break
            t_ms = float(self._cap.get(cv2.CAP_PROP_POS_MSEC))
            t_s = t_ms / 1000.0 if t_ms > 0 or index == 0 else index / fps
            t_s = fix(t_s)
            if self.realtime:
                lag = (time.monotonic() - started) - t_s
                if lag > 1.0 / fps:  # the consumer is behind: drop this frame, as a camera would
                    self.dropped += 1
                    index += 1
                    continue
                if lag < 0:
                    time.sleep(-lag)
            yield Frame(_as_bgr(image), t_s, index)
            index += 1
        if index == 0:
            raise SourceError(f"no frame could be decoded from {self.path}")

    def close(self) -> None:
        self._cap.release()


class CameraSource(Source):
    """A camera by index. Timestamps are capture times on the monotonic clock."""

    def __init__(
        self, index: int, size_px: tuple[int, int] | None = None, reconnect_s: float = 10.0
    ) -> None:
        self.index = index
        self.reconnect_s = reconnect_s
        self._requested = size_px
        self._cap = self._open()
        w = int(self._cap.get(cv2.CAP_PROP_FRAME_WIDTH))
        h = int(self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
        fps = _plausible_fps(float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0))
        self.info = SourceInfo(f"camera {index}", fps, None, (w, h))
        self.reconnects = 0

    def _open(self) -> cv2.VideoCapture:
        cap = cv2.VideoCapture(self.index)
        if not cap.isOpened():
            raise SourceError(f"camera {self.index} cannot be opened (is it plugged in and free?)")
        if self._requested:
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self._requested[0])
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self._requested[1])
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # always the newest frame, never a queue
        return cap

    def __iter__(self) -> Iterator[Frame]:
        t0 = time.monotonic()
        fix = _Monotonic(1e-4)
        index = 0
        while True:
            ok, image = self._cap.read()
            if not ok or image is None:
                if not self._reconnect():
                    return
                continue
            yield Frame(_as_bgr(image), fix(time.monotonic() - t0), index)
            index += 1

    def _reconnect(self) -> bool:
        log.warning("camera %d stopped sending frames; trying to reconnect", self.index)
        deadline = time.monotonic() + self.reconnect_s
        self._cap.release()
        while time.monotonic() < deadline:
            time.sleep(0.5)
            try:
                self._cap = self._open()
            except SourceError:
                continue
            self.reconnects += 1
            log.warning("camera %d is back", self.index)
            return True
        log.error("camera %d did not come back within %.0f s", self.index, self.reconnect_s)
        return False

    def close(self) -> None:
        self._cap.release()


class ImageFolderSource(Source):
    """Images of a folder in name order, timed at a fixed frame rate."""

    def __init__(self, folder: str | Path, fps: float = 30.0) -> None:
        self.folder = Path(folder)
        self.paths = sorted(p for p in self.folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self.paths:
            raise SourceError(f"no images ({', '.join(IMAGE_SUFFIXES)}) in {self.folder}")
        first = cv2.imread(str(self.paths[0]))
        if first is None:
            raise SourceError(f"cannot read image {self.paths[0]}")
        h, w = first.shape[:2]
        self.info = SourceInfo(str(self.folder), fps, len(self.paths), (w, h))

    def __iter__(self) -> Iterator[Frame]:
        for index, path in enumerate(self.paths):
            image = cv2.imread(str(path))
            if image is None:
                log.warning("skipping unreadable image %s", path)
                continue
            yield Frame(_as_bgr(image), index / self.info.fps, index)


def _as_bgr(image: Any) -> npt.NDArray[np.uint8]:
    """Decoded images as 3-channel uint8 BGR (grayscale and BGRA are converted)."""
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    elif image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    return np.asarray(image, dtype=np.uint8)


def open_source(spec: str | Path, realtime: bool = False) -> Source:
    """A camera index ("0"), an image folder or a video file."""
    text = str(spec)
    if text.isdigit():
        return CameraSource(int(text))
    path = Path(text)
    if path.is_dir():
        return ImageFolderSource(path)
    return VideoFileSource(path, realtime=realtime)
