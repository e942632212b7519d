"""A reader thread that keeps only the newest frame: the consumer never sees a stale frame
and no queue can build up.

A capture device (or a video paced at its own frame rate) produces frames on its own clock.
If the pipeline is slower, the frame it has not taken yet is replaced by the newer one and
counted as dropped, exactly as a camera with a one-frame buffer would behave.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Grabbed:
    """One frame as read: the image, its source timestamp and index, and when it was read
    (monotonic clock, for latency measurements only; analysis uses `t_s`)."""

    image: npt.NDArray[np.uint8]
    t_s: float
    index: int
    read_at_s: float


class LatestSlot:
    """A single-slot mailbox: `put` replaces an unread item, `get` waits for a new one."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: Grabbed | None = None
        self._closed = False
        self.dropped = 0
        self.delivered = 0

    def put(self, item: Grabbed) -> None:
        with self._cond:
            if self._item is not None:
                self.dropped += 1
            self._item = item
            self._cond.notify_all()

    def close(self) -> None:
        """No more items will come; `get` returns what is left, then None."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed

    def get(self, timeout_s: float | None = None) -> Grabbed | None:
        """The newest unread item, waiting up to `timeout_s`; None on timeout or when closed
        and empty."""
        with self._cond:
            self._cond.wait_for(lambda: self._item is not None or self._closed, timeout_s)
            item, self._item = self._item, None
            if item is not None:
                self.delivered += 1
            return item


class GrabberThread:
    """Runs `step(slot, stop)` in a daemon thread until it returns False or `stop` is set.

    `step` reads one frame (or handles one failure) and puts it into the slot.
    """

    def __init__(self, name: str, step: Callable[[LatestSlot, threading.Event], bool]) -> None:
        self.slot = LatestSlot()
        self.stop = threading.Event()
        self.error: BaseException | None = None
        self._step = step
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> GrabberThread:
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            while not self.stop.is_set() and self._step(self.slot, self.stop):
                pass
        except Exception as exc:  # handed to the consumer, which re-raises it
            log.debug("frame reader failed", exc_info=True)
            self.error = exc
        finally:
            self.slot.close()

    def close(self, timeout_s: float = 2.0) -> None:
        self.stop.set()
        self.slot.close()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout_s)


def sleep_until(deadline_s: float, stop: threading.Event) -> None:
    """Sleep until the monotonic time `deadline_s`, waking early if `stop` is set."""
    remaining = deadline_s - time.monotonic()
    if remaining > 0:
        stop.wait(remaining)
