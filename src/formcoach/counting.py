"""Debounced state machines shared by every exercise: a rep counter and an interval timer.

Both take a value and a timestamp per frame, never read a clock, and emit events.
`None`/NaN input means "can't see" (no person, landmarks hidden): it never advances a
state; a gap longer than the configured limit abandons what was in progress.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from formcoach.types import Event, Side


def _since(pending_s: float | None, t_s: float) -> float:
    return t_s if pending_s is None else pending_s


class RepPhase(Enum):
    REST = "rest"
    MOVING = "moving"
    DEPTH = "depth"


@dataclass(frozen=True, slots=True)
class RepConfig:
    """Thresholds on a phase signal oriented so that larger = further into the rep.

    start: leaving rest; a rep begins once the signal stays above it for `min_dwell_s`.
    depth: the rep is complete (not partial) once the signal stays above it for `min_dwell_s`.
    end: back at rest once the signal stays below it for `min_dwell_s`; `end < start` gives
        hysteresis so jitter around one threshold never counts twice.
    max_gap_s: a rep in progress is abandoned when the person is unseen for longer.
    min_rep_s: a "rep" faster than this is noise, not movement.
    end_dwell_s: how long the signal must stay below `end` to be back at rest, when that
        differs from `min_dwell_s` (None: the same); a longer one bridges brief glitches.
    max_peak: a rep whose peak went beyond this is not counted but ignored with the reason
        "beyond range" (a partial crunch that became a full sit-up); None: no limit.
    """

    start: float
    depth: float
    end: float
    min_dwell_s: float = 0.1
    max_gap_s: float = 1.0
    min_rep_s: float = 0.4
    end_dwell_s: float | None = None
    max_peak: float | None = None

    def __post_init__(self) -> None:
        if not self.end <= self.start < self.depth:
            raise ValueError(
                f"RepConfig needs end <= start < depth, got end={self.end}, "
                f"start={self.start}, depth={self.depth}"
            )


@dataclass
class RepCounter:
    """Counts complete and partial reps from a phase signal with dwell-time debouncing."""

    config: RepConfig
    complete_by_side: dict[str | None, int] = field(default_factory=dict)
    partial: int = 0
    phase: RepPhase = RepPhase.REST
    events: list[Event] = field(default_factory=list)
    _pending_since_s: float | None = None
    _rep_start_s: float = 0.0
    _peak: float = -math.inf
    _peak_s: float = 0.0
    _peak_side: str | None = None
    _last_seen_s: float | None = None
    # A rep must start from an observed rest: not when the person is first seen mid-rep,
    # nor right after a rep was abandoned.
    _seen_rest: bool = False

    @property
    def complete(self) -> int:
        return sum(self.complete_by_side.values())

    def count(self, side: str | None) -> int:
        return self.complete_by_side.get(side, 0)

    def reset(self) -> None:
        self.complete_by_side.clear()
        self.partial = 0
        self._abandon()
        self._last_seen_s = None
        self._seen_rest = False
        self.events.clear()

    def _abandon(self) -> None:
        self.phase = RepPhase.REST
        self._pending_since_s = None
        self._peak = -math.inf

    def _dwelled(self, condition: bool, t_s: float, dwell_s: float | None = None) -> bool:
        """True once `condition` has held continuously for `dwell_s` (default: min dwell)."""
        if not condition:
            self._pending_since_s = None
            return False
        if self._pending_since_s is None:
            self._pending_since_s = t_s
        return t_s - self._pending_since_s >= (
            self.config.min_dwell_s if dwell_s is None else dwell_s
        )

    def update(self, value: float | None, t_s: float, side: str | None = None) -> list[Event]:
        """Feed one sample; `side` is the body side working now (recorded at the rep's peak).

        Returns the events it caused (also appended to `events`)."""
        out: list[Event] = []
        if value is None or math.isnan(value):
            if (
                self.phase is not RepPhase.REST
                and self._last_seen_s is not None
                and t_s - self._last_seen_s > self.config.max_gap_s
            ):
                out.append(Event("rep_abandoned", t_s, {"side": self._peak_side}))
                self._abandon()
                self._seen_rest = False
        else:
            self._last_seen_s = t_s
            out.extend(self._step(value, t_s, side))
        self.events.extend(out)
        return out

    def _step(self, value: float, t_s: float, side: str | None) -> list[Event]:
        cfg = self.config
        if self.phase is RepPhase.REST:
            if not self._seen_rest:
                self._seen_rest = value < cfg.end
                return []
            if self._dwelled(value > cfg.start, t_s):
                self.phase = RepPhase.MOVING
                self._rep_start_s = _since(self._pending_since_s, t_s)
                self._pending_since_s = None
                self._peak, self._peak_s, self._peak_side = value, t_s, side
            return []
        if value > self._peak:
            self._peak, self._peak_s, self._peak_side = value, t_s, side
        if self.phase is RepPhase.MOVING and value > cfg.depth:
            if self._dwelled(True, t_s):
                self.phase = RepPhase.DEPTH
                self._pending_since_s = None
            return []
        if self._dwelled(value < cfg.end, t_s, cfg.end_dwell_s):
            return [self._finish(t_s)]
        return []

    def _finish(self, t_s: float) -> Event:
        full = self.phase is RepPhase.DEPTH
        end_s = _since(self._pending_since_s, t_s)
        start_s, side, peak = self._rep_start_s, self._peak_side, self._peak
        data = {
            "side": side,
            "start_s": round(start_s, 3),
            "end_s": round(end_s, 3),
            "peak_s": round(self._peak_s, 3),
            "peak": round(self._peak, 2),
        }
        self._abandon()
        if end_s - start_s < self.config.min_rep_s:
            return Event("rep_ignored", t_s, {**data, "reason": "too short"})
        if self.config.max_peak is not None and peak > self.config.max_peak:
            return Event("rep_ignored", t_s, {**data, "reason": "beyond range"})
        if full:
            self.complete_by_side[side] = self.count(side) + 1
            return Event("rep", t_s, {**data, "count": self.count(side)})
        self.partial += 1
        return Event("rep_partial", t_s, {**data, "count": self.partial})


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed stretch of time in which a condition held (a hold, a fault)."""

    start_s: float
    end_s: float
    side: str | None

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True, slots=True)
class IntervalConfig:
    """min_start_s: the condition must hold this long before an interval starts (back-dated).
    grace_s: a break in the condition or in visibility shorter than this does not end it.
    min_length_s: intervals shorter than this are dropped (a moment passing through).
    unseen_grace_s: a stretch that cannot be seen at all (None: a close-up, a camera cut)
        shorter than this is bridged when the condition holds again right after it; seen
        out of position (False) after `grace_s` still ends the interval at its last good
        frame. None: the same as `grace_s`."""

    min_start_s: float = 0.5
    grace_s: float = 1.0
    min_length_s: float = 1.0
    unseen_grace_s: float | None = None


@dataclass
class IntervalTimer:
    """Debounced on/off timer: holds of a form-gated position, or stretches of a fault.

    Emits `<kind>_start` and `<kind>_end` events; `labels` are added to every event."""

    config: IntervalConfig = field(default_factory=IntervalConfig)
    kind: str = "hold"
    labels: dict[str, str] = field(default_factory=dict)
    intervals: list[Interval] = field(default_factory=list)
    _candidate_s: float | None = None
    _start_s: float | None = None
    _last_ok_s: float | None = None
    _side: str | None = None

    def reset(self) -> None:
        self.intervals.clear()
        self._candidate_s = self._start_s = self._last_ok_s = None

    @property
    def active(self) -> bool:
        return self._start_s is not None

    def current_s(self) -> float:
        """Length of the interval in progress (0 when none)."""
        if self._start_s is None or self._last_ok_s is None:
            return 0.0
        return self._last_ok_s - self._start_s

    def total_s(self) -> float:
        return sum(i.duration_s for i in self.intervals) + self.current_s()

    def update(self, ok: bool | None, t_s: float, side: str | None = None) -> list[Event]:
        """ok: True the condition holds, False it does not, None can't see."""
        if ok:
            return self._on(t_s, side)
        if self._start_s is None:
            if ok is False:
                self._candidate_s = None
            return []
        assert self._last_ok_s is not None
        limit = self.config.grace_s
        if ok is None and self.config.unseen_grace_s is not None:
            limit = max(limit, self.config.unseen_grace_s)
        if t_s - self._last_ok_s > limit:
            return self._end()
        return []

    def _on(self, t_s: float, side: str | None) -> list[Event]:
        if side != self._side:
            # A change of side ends what was running and starts afresh.
            ended = self._end() if self._start_s is not None else []
            self._candidate_s = None
            self._side = side
            return ended + self._on(t_s, side)
        self._last_ok_s = t_s
        if self._start_s is not None:
            return []
        if self._candidate_s is None:
            self._candidate_s = t_s
        if t_s - self._candidate_s < self.config.min_start_s:
            return []
        self._start_s = self._candidate_s
        return [
            Event(
                f"{self.kind}_start",
                t_s,
                {**self.labels, "start_s": round(self._start_s, 3), "side": side},
            )
        ]

    def finish(self) -> list[Event]:
        """Close the interval in progress (end of video or session)."""
        return self._end() if self._start_s is not None else []

    def _end(self) -> list[Event]:
        assert self._start_s is not None and self._last_ok_s is not None
        interval = Interval(self._start_s, self._last_ok_s, self._side)
        self._start_s = self._candidate_s = None
        data = {
            **self.labels,
            "start_s": round(interval.start_s, 3),
            "end_s": round(interval.end_s, 3),
            "duration_s": round(interval.duration_s, 3),
            "side": interval.side,
        }
        if interval.duration_s < self.config.min_length_s:
            return [Event(f"{self.kind}_ignored", interval.end_s, data)]
        self.intervals.append(interval)
        return [Event(f"{self.kind}_end", interval.end_s, data)]


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
