"""References for "this stays still while that moves" rules: `Baseline` (the median of a
signal's first settled stretch at rest) and `TrailingBaseline` (its rest value over the
last few seconds). Both are dropped on a camera cut (`cuts.py`) and taken afresh."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from formcoach.types import FloatArray


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
class TrailingBaseline:
    """The rest value of a signal: its minimum, maximum or median over the last `window_s`
    (the median for a point that dips briefly during the movement but should not rise).

    NaN samples are skipped. `reset()` forgets the history (a camera cut)."""

    window_s: float
    mode: Literal["min", "max", "median"] = "min"
    _samples: deque[tuple[float, float]] = field(default_factory=deque)

    def update(self, value: float, t_s: float) -> float:
        if math.isfinite(value):
            self._samples.append((t_s, value))
        while self._samples and self._samples[0][0] < t_s - self.window_s:
            self._samples.popleft()
        if not self._samples:
            return math.nan
        values = [v for _, v in self._samples]
        if self.mode == "median":
            return float(np.median(values))
        return min(values) if self.mode == "min" else max(values)

    def reset(self) -> None:
        self._samples.clear()
