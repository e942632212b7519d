"""What every frame source is and shares: `Source` (an iterator of `Frame` and a context
manager), its `SourceInfo`, `SourceError`, and the timestamp and image helpers the
sources use."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from formcoach.types import Frame

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


class Monotonic:
    """Forces strictly increasing timestamps (a container may repeat or drop one)."""

    def __init__(self, min_step_s: float) -> None:
        self._last: float | None = None
        self._step = min_step_s

    def __call__(self, t_s: float) -> float:
        if self._last is not None and t_s <= self._last:
            t_s = self._last + self._step
        self._last = t_s
        return t_s


def plausible_fps(fps: float) -> float:
    # Containers sometimes report 0, 1000 or 90000 fps; fall back to a camera-like rate.
    return fps if 1.0 <= fps <= 240.0 else 30.0


def fps_note(claimed: float, used: float) -> str:
    return (
        f"the video claims {claimed:g} fps, which is implausible: frame times come from the "
        f"container, {used:g} fps is assumed where a rate is needed"
    )


def as_bgr(image: Any) -> npt.NDArray[np.uint8]:
    """Decoded images as 3-channel uint8 BGR (grayscale and BGRA are converted)."""
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    elif image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    return np.asarray(image, dtype=np.uint8)
