"""Threshold crossings of a sampled signal, placed between samples: when a level was
crossed (`crossing_s`) and how long the signal stays beyond it (`Stretch`).

Times come from the line between two samples, not from the frames, so a dwell or a
crossing comes out the same at 10 or 60 fps. The rep counter (`counting.py`) and the
exercises' own timings use them.
"""

from __future__ import annotations

from dataclasses import dataclass

# Threshold crossings are interpolated between samples at most this far apart: 10 fps with
# two frames dropped in a row (0.3 s). Across a longer gap nothing says when it happened,
# and the crossing is put at the first sample after it.
MAX_INTERPOLATION_GAP_S = 0.35


def crossing_s(
    previous: tuple[float, float] | None, value: float, t_s: float, level: float
) -> float:
    """When the signal crossed `level` on the straight line from the previous sample
    `(t_s, value)` to this one: threshold times that do not move with the frame rate.
    `t_s` without a previous sample, or when both lie on the same side of `level`."""
    if previous is None:
        return t_s
    t0_s, v0 = previous
    before, now = v0 - level, value - level
    if before * now > 0 or before == now:
        return t_s
    return t0_s + (t_s - t0_s) * before / (before - now)


@dataclass
class Stretch:
    """Time a sampled signal spends beyond a level, from crossing to crossing, each
    interpolated between the samples either side of it: a dwell then needs time, not a
    number of frames (at 10 fps one sample well past the level can cover 0.1 s).

    After `update`: `began_s` is when the current stretch began (or the one that ended on
    this sample; `ongoing` is then False) and `held_s` how long it has lasted (up to the
    crossing back, for one that just ended); None and 0 when the level is not passed.
    `first_s` and `total_s`: the first stretch's start and the time beyond the level
    summed over the stretches since `clear`."""

    level: float
    above: bool  # the condition is `value > level` (else `value < level`)
    began_s: float | None = None
    held_s: float = 0.0
    ongoing: bool = False
    first_s: float | None = None
    total_s: float = 0.0
    _done_s: float = 0.0  # summed over the stretches since `clear` that have ended

    def update(self, value: float, t_s: float, previous: tuple[float, float] | None) -> None:
        holds = value > self.level if self.above else value < self.level
        if holds:
            if not self.ongoing:
                self.began_s, self.ongoing = crossing_s(previous, value, t_s, self.level), True
                self.first_s = self.began_s if self.first_s is None else self.first_s
            assert self.began_s is not None
            self.held_s = t_s - self.began_s
            self.total_s = self._done_s + self.held_s
        elif self.ongoing and self.began_s is not None:
            self.held_s = crossing_s(previous, value, t_s, self.level) - self.began_s
            self.ongoing = False
            self._done_s += self.held_s
            self.total_s = self._done_s
        else:
            self.began_s, self.held_s = None, 0.0

    def clear(self) -> None:
        """Forget the stretches that have ended (the one in progress, if any, stays)."""
        self._done_s = 0.0
        self.first_s = self.began_s if self.ongoing else None
        self.total_s = self.held_s if self.ongoing else 0.0

    def reset(self) -> None:
        self.began_s, self.held_s, self.ongoing = None, 0.0, False
        self.clear()
