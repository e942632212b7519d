"""The debounced interval timer: holds of a form-gated position, or stretches of a fault.

It takes whether a condition holds and a timestamp per frame, never reads a clock, and
emits events. `None` means "can't see" (no person, landmarks hidden): it never starts an
interval; a break longer than the configured grace ends the one in progress.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from formcoach.types import Event


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
        frame. None: the same as `grace_s`.
    min_break_s: before an interval starts, a break in the condition shorter than this
        (a wobble, a frame or two misread) does not restart the wait for `min_start_s`:
        at 10 fps such a blip is one sample or none, so it must not decide when a hold
        begins (at most `grace_s`)."""

    min_start_s: float = 0.5
    grace_s: float = 1.0
    min_length_s: float = 1.0
    unseen_grace_s: float | None = None
    min_break_s: float = 0.25


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
            if ok is False and self._candidate_s is not None:
                assert self._last_ok_s is not None
                if t_s - self._last_ok_s >= min(self.config.min_break_s, self.config.grace_s):
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
