"""A camera: the newest frame, grabbed on its own thread and timed at capture; a camera
that stops is retried before the run ends."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import cv2
import numpy as np

from formcoach.sources.base import (
    Monotonic,
    ReadTimes,
    Source,
    SourceError,
    SourceInfo,
    as_bgr,
    plausible_fps,
)
from formcoach.sources.grabber import Grabbed, GrabberThread, LatestSlot
from formcoach.types import Frame

log = logging.getLogger(__name__)


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
        fps = plausible_fps(float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0))
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
            slot.put(Grabbed(as_bgr(image), 0.0, -1, time.monotonic()))
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
        fix = Monotonic(1e-4)
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
