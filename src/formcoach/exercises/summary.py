"""What an exercise is aimed at (the guides' dosage) and what an analyzer concluded."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from formcoach.interval_timer import Interval
from formcoach.types import ViewInfo


@dataclass(frozen=True, slots=True)
class Target:
    """The guides' dosage for one set: reps (per side if `per_side`) and/or hold seconds."""

    reps: int = 0
    hold_s: float = 0.0
    per_side: bool = False
    sets: int = 1

    def describe(self) -> str:
        parts = []
        if self.reps:
            parts.append(f"{self.reps} reps" + (" per side" if self.per_side else ""))
        if self.hold_s:
            parts.append(
                f"hold {self.hold_s:g} s" + (" per side" if self.per_side and not self.reps else "")
            )
        return ", ".join(parts) or "-"


@dataclass(frozen=True, slots=True)
class Fault:
    rule: str
    message: str
    interval: Interval


@dataclass(frozen=True, slots=True)
class Summary:
    """What an analyzer concluded over a whole session or video."""

    reps_left: int
    reps_right: int
    reps_unsided: int
    reps_partial: int
    holds: tuple[Interval, ...]
    faults: tuple[Fault, ...]
    view: ViewInfo
    unjudged_hold_s: float = 0.0
    # Exercise-specific results (pace, time per side, avoid-list sightings), as JSON values.
    details: Mapping[str, Any] = field(default_factory=dict)
