"""Faults over time: one interval timer per rule, so a fault is raised only after it has
lasted its minimum time and ends only after its grace, and the message it was raised with."""

from __future__ import annotations

from collections.abc import Iterable

from formcoach.exercises.summary import Fault
from formcoach.interval_timer import IntervalConfig, IntervalTimer
from formcoach.types import Check, Event


class FaultLog:
    """The faults of one analyzer's set, by rule name."""

    def __init__(self, config: IntervalConfig) -> None:
        self.config = config
        self._timers: dict[str, IntervalTimer] = {}
        self._messages: dict[str, str] = {}

    def update(self, checks: Iterable[Check], seen: bool, t_s: float) -> list[Event]:
        """One frame's checks; `seen`: the position could be judged (else the faults
        neither grow nor end on this frame)."""
        failing = {c.rule: c for c in checks if c.ok is False}
        for rule, c in failing.items():
            if rule not in self._timers:
                self._timers[rule] = IntervalTimer(self.config, kind="fault", labels={"rule": rule})
            self._messages.setdefault(rule, c.message)
        events: list[Event] = []
        for rule, timer in self._timers.items():
            events += timer.update(True if rule in failing else (False if seen else None), t_s)
        return events

    def raised(self) -> set[str]:
        """The rules whose fault is raised now."""
        return {rule for rule, timer in self._timers.items() if timer.active}

    def counts(self) -> dict[str, int]:
        """How many times each rule's fault was raised (rules never raised left out)."""
        return {rule: len(t.intervals) for rule, t in self._timers.items() if t.intervals}

    def finish(self) -> list[Event]:
        """Close the faults in progress at the end of the input."""
        events: list[Event] = []
        for timer in self._timers.values():
            events += timer.finish()
        return events

    def faults(self) -> list[Fault]:
        """Every fault of the set, in time order."""
        return sorted(
            (
                Fault(rule, self._messages.get(rule, ""), iv)
                for rule, timer in self._timers.items()
                for iv in timer.intervals
            ),
            key=lambda f: f.interval.start_s,
        )
