"""Landmark smoothing: a One-Euro filter over whole landmark arrays.

The One-Euro filter (Casiez et al., CHI 2012) lowers jitter on a still person while adding
little lag when the person moves: the cut-off frequency rises with speed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from formcoach.types import Pose

Array = npt.NDArray[np.float64]


def _alpha(cutoff_hz: Array | float, dt_s: float) -> Array | float:
    tau = 1.0 / (2.0 * math.pi * np.asarray(cutoff_hz))
    return 1.0 / (1.0 + tau / dt_s)


@dataclass
class OneEuroFilter:
    """One-Euro filter over an array of any shape; time comes from the caller."""

    min_cutoff_hz: float = 1.5
    beta: float = 0.3
    d_cutoff_hz: float = 1.0
    _x: Array | None = None
    _dx: Array | None = None
    _t_s: float | None = None

    def reset(self) -> None:
        self._x = self._dx = None
        self._t_s = None

    def update(self, x: Array, t_s: float) -> Array:
        if self._x is None or self._t_s is None or self._dx is None or t_s <= self._t_s:
            self._x, self._dx, self._t_s = x.copy(), np.zeros_like(x), t_s
            return x.copy()
        dt = t_s - self._t_s
        dx = (x - self._x) / dt
        a_d = _alpha(self.d_cutoff_hz, dt)
        self._dx = a_d * dx + (1 - a_d) * self._dx
        cutoff = self.min_cutoff_hz + self.beta * np.abs(self._dx)
        a = _alpha(cutoff, dt)
        self._x = a * x + (1 - a) * self._x
        self._t_s = t_s
        return self._x.copy()


class PoseSmoother:
    """Smooths image and world coordinates of successive poses; resets after a long gap."""

    def __init__(self, min_cutoff_hz: float = 1.5, beta: float = 0.3, max_gap_s: float = 0.5):
        # Cut-offs are in normalized units per second for image points; world points use the
        # same filter constants scaled by a typical body size (1 m ~ 0.5 image heights).
        self._image = OneEuroFilter(min_cutoff_hz, beta * 2.0)
        self._world = OneEuroFilter(min_cutoff_hz, beta)
        self._max_gap_s = max_gap_s
        self._last_t_s: float | None = None

    def reset(self) -> None:
        self._image.reset()
        self._world.reset()
        self._last_t_s = None

    def update(self, pose: Pose | None, t_s: float) -> Pose | None:
        if pose is None:
            if self._last_t_s is not None and t_s - self._last_t_s > self._max_gap_s:
                self.reset()
            return None
        if self._last_t_s is not None and t_s - self._last_t_s > self._max_gap_s:
            self.reset()
        self._last_t_s = t_s
        return Pose(
            image_norm=self._image.update(pose.image_norm, t_s),
            world_m=self._world.update(pose.world_m, t_s),
            visibility=pose.visibility,
            presence=pose.presence,
            image_size_px=pose.image_size_px,
        )


class NoSmoothing(PoseSmoother):
    """Poses passed through as the estimator gave them (`smoothing = false`)."""

    def update(self, pose: Pose | None, t_s: float) -> Pose | None:
        return pose
