"""A video file: container timestamps (so a variable frame rate is honoured), rotation
metadata applied (phone videos), frames decoded on a thread ahead of the model."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from formcoach.sources.base import (
    Monotonic,
    ReadTimes,
    Source,
    SourceError,
    SourceInfo,
    as_bgr,
    fps_note,
    plausible_fps,
)
from formcoach.sources.grabber import Grabbed, GrabberThread, LatestSlot, sleep_until
from formcoach.sources.prefetch import Prefetcher
from formcoach.types import Frame


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
        fps = plausible_fps(claimed)
        notes = () if fps == claimed else (fps_note(claimed, fps),)
        count = int(self._cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        self.info = SourceInfo(str(self.path), fps, count if count > 0 else None, (w, h), notes)
        self.realtime = realtime
        self.dropped = 0
        self.read_times = ReadTimes()
        self._grabber: GrabberThread | None = None
        self._prefetch: Prefetcher[tuple[npt.NDArray[np.uint8], float, int]] | None = None

    def _decoded(self) -> Iterator[tuple[npt.NDArray[np.uint8], float, int]]:
        fps = self.info.fps
        fix = Monotonic(1.0 / fps / 10)
        index = 0
        while True:
            ok, image = self._cap.read()
            if not ok or image is None:
                break
            t_ms = float(self._cap.get(cv2.CAP_PROP_POS_MSEC))
            t_s = t_ms / 1000.0 if t_ms > 0 or index == 0 else index / fps
            yield as_bgr(image), fix(t_s), index
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
