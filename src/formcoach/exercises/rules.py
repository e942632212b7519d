"""Declarative rules: a signal's allowed range with a noise margin, and the enter/keep
latch a position uses so that it is not lost on the noise at its threshold."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from formcoach import noise
from formcoach.types import Check

Signals = Mapping[str, float]
NAN = math.nan


@dataclass(frozen=True, slots=True)
class Range:
    """A declarative rule: `signal` must lie in [low, high]; NaN means can't judge.

    Decisions keep a margin: a value past a limit by no more than the signal's noise band
    (`band`, by default the measured one of `formcoach.noise`) keeps the rule's standing
    decision: it passes, unless its fault is already raised, which it keeps going (the
    check fails, marked `marginal`). So a fault needs the value clearly past the limit
    (by more than the band) for its whole minimum time, and ends once the value is back
    inside the range (for the fault's grace time). A band either side of the limit was
    measured too and changed more outcomes under the perturbations (19 instead of 12 of
    the first 14 clips' 224 runs): on plank_21, whose hip line stays within 1 deg of the
    pike limit for 9 s, when the fault ends then depends on a 0.6 deg offset."""

    rule: str
    signal: str
    low: float | None = None
    high: float | None = None
    below: str = ""  # the correction when the value is below `low`
    above: str = ""  # the correction when the value is above `high`
    priority: int = 0
    below_rule: str | None = None  # fault name when below (defaults to `rule`)
    above_rule: str | None = None
    # Optional: the angle's landmarks without side, e.g. ("SHOULDER", "HIP", "ANKLE"),
    # so the overlay can show the measured value at the joint.
    joint: tuple[str, str, str] | None = None
    band: float | None = None  # None: the signal's measured noise band

    def margin(self) -> float:
        return noise.band(self.signal) if self.band is None else self.band

    def check(self, signals: Signals, raised: Collection[str] = ()) -> Check:
        """This frame's decision; `raised`: the fault names already raised (what a value
        inside the band keeps)."""
        value = signals.get(self.signal, NAN)
        p, j = self.priority, self.joint
        if not math.isfinite(value):
            return Check(self.rule, None, value=None, priority=p, joint=j)
        band = self.margin()
        for limit, sign, name, message in (
            (self.low, -1.0, self.below_rule or self.rule, self.below),
            (self.high, 1.0, self.above_rule or self.rule, self.above),
        ):
            if limit is None:
                continue
            past = sign * (value - limit)  # > 0: out of the range on this side
            if past > band:
                return Check(name, False, message, value, p, j)
            if past > 0 and name in raised:
                return Check(name, False, message, value, p, j, marginal=True)
        return Check(self.rule, True, "", value, p, j)


@dataclass(frozen=True, slots=True)
class Latch:
    """Hysteresis for a position's threshold: getting into the position takes the value
    at `enter` or beyond, staying in it only `keep` (nearer the resting value), so a
    value hovering at the entry threshold neither starts nor ends the position on noise.
    `enter` above `keep` means larger is further into the position; below, smaller is."""

    enter: float
    keep: float

    def short_of(self, value: float, held: bool) -> bool:
        """Whether `value` falls short of the position; `held`: the position was held
        (`Moment.in_position`). NaN (not measured) is not short: another check decides."""
        limit = self.keep if held else self.enter
        return value < limit if self.enter >= self.keep else value > limit
