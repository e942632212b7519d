"""Frame sources: video file, camera, image folder. Each owns its timestamps.

A source is an iterator of `Frame` and a context manager. Timestamps strictly increase:
container timestamps for files (so variable frame rate is honoured), capture time for
cameras, index / fps for image folders. Rotation metadata (phone videos) is applied when
decoding: OpenCV's pip wheel leaves CAP_PROP_ORIENTATION_AUTO off, so it is switched on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from formcoach.grabber import Grabbed, GrabberThread, LatestSlot, sleep_until
from formcoach.prefetch import Prefetcher
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
    notes: tuple[str, ...] = ()  # problems with the input worth a line in the report


class Source:
    """Base: an iterator of frames with an `info` and a `close`."""

    info: SourceInfo

    def __iter__(self) -> Iterator[Frame]:
        raise NotImplementedError

    def status(self) -> str:
        """A problem the user should know about right now ("camera disconnected"), or ""."""
        return ""

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


class ReadTimes:
    """When each recent frame was read (monotonic clock), by frame index: for measuring
    camera-to-screen latency. Keeps the last `keep` frames."""

    def __init__(self, keep: int = 256) -> None:
        self._times: dict[int, float] = {}
        self._keep = keep

    def add(self, index: int, read_at_s: float) -> None:
        self._times[index] = read_at_s
        self._times.pop(index - self._keep, None)

    def get(self, index: int) -> float | None:
        return self._times.get(index)


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


def _fps_note(claimed: float, used: float) -> str:
    return (
        f"the video claims {claimed:g} fps, which is implausible: frame times come from the "
        f"container, {used:g} fps is assumed where a rate is needed"
    )


class VideoFileSource(Source):
    """Frames of a video file with container timestamps.

    `realtime=True` makes the file stand in for a camera: a reader thread decodes it at the
    video's own frame rate and keeps only the newest frame, so a slow consumer skips frames
    (counted in `dropped`) instead of falling behind.
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
        claimed = float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0)
        fps = _plausible_fps(claimed)
        notes = () if fps == claimed else (_fps_note(claimed, fps),)
        count = int(self._cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        self.info = SourceInfo(str(self.path), fps, count if count > 0 else None, (w, h), notes)
        self.realtime = realtime
        self.dropped = 0
        self.read_times = ReadTimes()
        self._grabber: GrabberThread | None = None
        self._prefetch: Prefetcher[tuple[npt.NDArray[np.uint8], float, int]] | None = None

    def _decoded(self) -> Iterator[tuple[npt.NDArray[np.uint8], float, int]]:
        fps = self.info.fps
        fix = _Monotonic(1.0 / fps / 10)
        index = 0
        while True:
            ok, image = self._cap.read()
            if not ok or image is None:
                break
            t_ms = float(self._cap.get(cv2.CAP_PROP_POS_MSEC))
            t_s = t_ms / 1000.0 if t_ms > 0 or index == 0 else index / fps
            yield _as_bgr(image), fix(t_s), index
            index += 1
        if index == 0:
            raise SourceError(f"no frame could be decoded from {self.path}")

    def __iter__(self) -> Iterator[Frame]:
        if not self.realtime:
            # Decode the next frames while the current one is analysed; none is dropped.
            self._prefetch = Prefetcher(self._decoded(), depth=4, name="decode")
            try:
                for image, t_s, index in self._prefetch:
                    yield Frame(image, t_s, index)
            finally:
                self._prefetch.close()
            return
        decoded = self._decoded()
        started = time.monotonic()

        def step(slot: LatestSlot, stop: threading.Event) -> bool:
            item = next(decoded, None)
            if item is None:
                return False
            image, t_s, index = item
            sleep_until(started + t_s, stop)  # delivered when a camera would deliver it
            slot.put(Grabbed(image, t_s, index, time.monotonic()))
            return True

        grabber = self._grabber = GrabberThread(f"read {self.path.name}", step).start()
        try:
            while (item := grabber.slot.get()) is not None:
                self.dropped = grabber.slot.dropped
                self.read_times.add(item.index, item.read_at_s)
                yield Frame(item.image, item.t_s, item.index)
        finally:
            grabber.close()
            self.dropped = grabber.slot.dropped
        if grabber.error is not None:
            raise grabber.error

    def close(self) -> None:
        if self._grabber is not None:
            self._grabber.close()
        if self._prefetch is not None:
            self._prefetch.close()  # the decode thread stops before the capture is released
        self._cap.release()


class CameraSource(Source):
    """A camera by index. Timestamps are capture times on the monotonic clock.

    A reader thread keeps only the newest frame. If the camera stops sending frames (a USB
    cable pulled, another program taking it), the reader keeps trying to reopen it (for
    ever, or `reconnect_s` if given) while the iterator yields black placeholder frames
    every `placeholder_s`, so the window stays responsive and `status()` says what happened.
    `capture_factory` opens the device (a fake capture object in tests).
    """

    def __init__(
        self,
        index: int,
        size_px: tuple[int, int] | None = None,
        reconnect_s: float | None = None,
        capture_factory: Callable[[int], Any] = cv2.VideoCapture,
        retry_s: float = 0.5,
        placeholder_s: float = 0.5,
    ) -> None:
        self.index = index
        self.reconnect_s = reconnect_s
        self.retry_s = retry_s
        self.placeholder_s = placeholder_s
        self._factory = capture_factory
        self._requested = size_px
        self._cap = self._open()
        w = int(self._cap.get(cv2.CAP_PROP_FRAME_WIDTH))
        h = int(self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
        if size_px is not None and (w, h) != size_px:
            log.warning("camera %d gives %dx%d, not the requested %dx%d", index, w, h, *size_px)
        fps = _plausible_fps(float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0))
        self.info = SourceInfo(f"camera {index}", fps, None, (w or 640, h or 480))
        self.reconnects = 0
        self.gave_up = False  # the camera did not come back within reconnect_s
        self.connected = True
        self.dropped = 0
        self.placeholders = 0
        self.read_times = ReadTimes()
        self._lost_at_s = 0.0
        self._grabber: GrabberThread | None = None

    def _open(self) -> Any:
        cap = self._factory(self.index)
        if not cap.isOpened():
            cap.release()
            raise SourceError(f"camera {self.index} cannot be opened (is it plugged in and free?)")
        if self._requested:
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self._requested[0])
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self._requested[1])
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # the driver's own queue: one frame
        return cap

    def status(self) -> str:
        if self.connected:
            return ""
        return f"camera {self.index} disconnected: trying to reconnect"

    def _step(self, slot: LatestSlot, stop: threading.Event) -> bool:
        ok, image = self._cap.read() if self.connected else (False, None)
        if ok and image is not None:
            slot.put(Grabbed(_as_bgr(image), 0.0, -1, time.monotonic()))
            return True
        return self._reconnect(stop)

    def _reconnect(self, stop: threading.Event) -> bool:
        """One reconnection attempt; False to give up."""
        if self.connected:
            log.warning("camera %d stopped sending frames; trying to reconnect", self.index)
            self.connected = False
            self._lost_at_s = time.monotonic()
            self._cap.release()
        stop.wait(self.retry_s)
        if self.reconnect_s is not None and time.monotonic() - self._lost_at_s > self.reconnect_s:
            log.error("camera %d did not come back within %.0f s", self.index, self.reconnect_s)
            self.gave_up = True
            return False
        try:
            self._cap = self._open()
        except SourceError:
            return True
        self.reconnects += 1
        self.connected = True
        log.warning("camera %d is back", self.index)
        return True

    def __iter__(self) -> Iterator[Frame]:
        t0 = time.monotonic()
        fix = _Monotonic(1e-4)
        index = 0
        grabber = self._grabber = GrabberThread(f"camera {self.index}", self._step).start()
        try:
            while True:
                item = grabber.slot.get(self.placeholder_s)
                if item is None and grabber.slot.closed:
                    break
                self.dropped = grabber.slot.dropped
                if item is None:  # no frame for a while: keep the loop (and window) alive
                    if self.connected:
                        continue
                    self.placeholders += 1
                    w, h = self.info.size_px
                    image, read_at = np.zeros((h, w, 3), np.uint8), time.monotonic()
                else:
                    image, read_at = item.image, item.read_at_s
                self.read_times.add(index, read_at)
                yield Frame(image, fix(read_at - t0), index)
                index += 1
        finally:
            grabber.close()
        if grabber.error is not None:
            raise grabber.error
        if self.gave_up:
            raise SourceError(
                f"camera {self.index} stopped sending frames and did not come back within "
                f"{self.reconnect_s:g} s (unplugged?)"
            )

    def close(self) -> None:
        if self._grabber is not None:
            self._grabber.close()
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


def open_source(
    spec: str | Path, realtime: bool = False, size_px: tuple[int, int] | None = None
) -> Source:
    """A camera index ("0"), an image folder or a video file. `size_px` asks a camera for
    a resolution."""
    text = str(spec)
    if text.isdigit():
        return CameraSource(int(text), size_px)
    path = Path(text)
    if path.is_dir():
        return ImageFolderSource(path)
    if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file():
        raise SourceError(
            f"{path} is a still image: give a video, or a folder of images for an image sequence"
        )
    return VideoFileSource(path, realtime=realtime)
