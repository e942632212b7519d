"""One rep counter per side, for sides that move on their own and overlap in time.

Each side's phase goes to its own `RepCounter` (`counting.py`); the counts, partial reps
and events read as one counter's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from formcoach.counting import RepConfig, RepCounter
from formcoach.types import Event, Side


@dataclass
class SideRepCounters:
    """One `RepCounter` per side, for sides that move on their own and overlap in time
    (alternate ankle pumps: one foot rises while the other is still coming down).

    Reads like a `RepCounter` (`count`, `partial`, `complete`, `events`); `update` takes a
    phase per side, and a side missing from it is unseen on that frame."""

    config: RepConfig
    by_side: dict[str, RepCounter] = field(default_factory=dict)

    @property
    def complete(self) -> int:
        return sum(c.complete for c in self.by_side.values())

    @property
    def partial(self) -> int:
        return sum(c.partial for c in self.by_side.values())

    @property
    def events(self) -> list[Event]:
        merged = [e for c in self.by_side.values() for e in c.events]
        return sorted(merged, key=lambda e: e.timestamp_s)

    def count(self, side: str | None) -> int:
        counter = self.by_side.get(side) if side is not None else None
        return counter.count(side) if counter is not None else 0

    def update(self, values: Mapping[Side, float], t_s: float) -> list[Event]:
        out: list[Event] = []
        for side in sorted(set(self.by_side) | set(values)):
            counter = self.by_side.setdefault(side, RepCounter(self.config))
            value = next((v for s, v in values.items() if s == side), math.nan)
            out += counter.update(value, t_s, side)
        return out

    def reset(self) -> None:
        self.by_side.clear()
