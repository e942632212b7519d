"""References taken at the start of a set, for "this stays still while that moves" rules.

`Baseline` takes a signal's reference (a number or a vector) as the median of its first
`settle_s` of samples offered while the body is at rest; `CutDetector` says when the camera
cut or jumped (all torso landmarks moved at once), so a baseline taken in the old shot is
dropped and taken afresh. Time comes from the caller, as everywhere.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from formcoach.geometry import distance, midpoint
from formcoach.landmarks import Landmark as L
from formcoach.types import Pose

FloatArray = npt.NDArray[np.float64]


@dataclass
class Baseline:
    """The median of a signal over its first `settle_s` of rest samples (NaN samples skipped).

    `value` is None until settled. Samples must be contiguous: a break in rest longer than
    `max_break_s` starts the settling again, so the reference is one steady stretch."""

    settle_s: float = 1.0
    # A break is a stretch not at rest, not the time between frames: at 10 fps with two
    # frames dropped in a row, successive samples are already 0.3 s apart.
    max_break_s: float = 0.5
    value: FloatArray | None = None
    _samples: list[FloatArray] = field(default_factory=list)
    _first_s: float | None = None
    _last_s: float | None = None

    @property
    def ready(self) -> bool:
        return self.value is not None

    def reset(self) -> None:
        self.value = None
        self._samples.clear()
        self._first_s = self._last_s = None

    def offer(self, sample: npt.ArrayLike, t_s: float) -> None:
        """A sample taken at rest; ignored once the baseline is set."""
        x = np.asarray(sample, dtype=np.float64)
        if self.value is not None or not np.all(np.isfinite(x)):
            return
        if self._last_s is not None and t_s - self._last_s > self.max_break_s:
            self._samples.clear()
            self._first_s = None
        if self._first_s is None:
            self._first_s = t_s
        self._last_s = t_s
        self._samples.append(x)
        if t_s - self._first_s >= self.settle_s:
            self.value = np.median(np.stack(self._samples), axis=0)
            self._samples.clear()


@dataclass
class CutDetector:
    """A camera cut (or the camera knocked): the torso jumps or changes size in the image.

    Compares the torso (shoulder and hip midpoints) with where it was `window_s` ago, in
    torso sizes; smoothing spreads a cut over a few frames, so one frame is not enough.
    Meant for exercises whose torso stays put (lying on the floor): a body that walks
    around would trip it."""

    window_s: float = 0.3
    max_shift_ratio: float = 0.2
    max_scale_change: float = 0.2
    _history: deque[tuple[float, FloatArray, float]] = field(default_factory=deque)

    def reset(self) -> None:
        self._history.clear()

    def update(self, pose: Pose | None, t_s: float) -> bool:
        """True on the frame a cut is seen (history restarts, so one cut reports once)."""
        if pose is None:
            return False
        px = pose.image_px
        shoulders = midpoint(px[L.LEFT_SHOULDER], px[L.RIGHT_SHOULDER])
        hips = midpoint(px[L.LEFT_HIP], px[L.RIGHT_HIP])
        # The torso's size: its length, or the shoulder width when seen end-on (a camera
        # at the feet foreshortens the torso to almost nothing).
        centre = midpoint(shoulders, hips)
        length = max(
            float(distance(shoulders, hips)),
            float(distance(px[L.LEFT_SHOULDER], px[L.RIGHT_SHOULDER])),
        )
        if length <= 1e-6:
            return False
        # The reference is the oldest sample of the last `window_s`, or the previous one
        # when frames came further apart (10 fps with a frame dropped): never this one.
        while len(self._history) > 1 and t_s - self._history[0][0] > self.window_s:
            self._history.popleft()
        self._history.append((t_s, centre, length))
        _, old_centre, old_length = self._history[0]
        shift = float(distance(centre, old_centre)) / max(length, old_length)
        scale = abs(length - old_length) / max(length, old_length)
        if shift > self.max_shift_ratio or scale > self.max_scale_change:
            self._history.clear()
            self._history.append((t_s, centre, length))
            return True
        return False
