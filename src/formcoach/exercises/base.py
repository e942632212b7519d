"""The exercise base: the gating and counting around the hooks an exercise fills in.

An exercise declares what to measure (`declaration.py`: its class attributes and hooks);
this class owns how: choosing the side facing the camera, gating on visibility and view,
evaluating rules, running the rep counter or the hold timer, tracking fault intervals,
choosing the one correction to show, and resetting. Subclasses register by their name.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar

from formcoach import noise
from formcoach.counting import RepConfig, RepCounter
from formcoach.exercises.camera import CameraView
from formcoach.exercises.declaration import ExerciseDeclaration
from formcoach.exercises.faults import FaultLog
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Signals
from formcoach.exercises.settings import ExerciseConfig
from formcoach.exercises.summary import Summary
from formcoach.interval_timer import IntervalTimer
from formcoach.side_counters import SideRepCounters
from formcoach.types import Check, Event, Pose, Side, Verdict, ViewInfo, ViewName

NAN = math.nan


class Exercise(ExerciseDeclaration):
    """Base of every exercise analyzer. Subclasses set the class attributes and hooks of
    `ExerciseDeclaration`."""

    registry: ClassVar[dict[str, type[Exercise]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("name")
        if name is None:
            return  # an intermediate base, not an exercise
        if name in Exercise.registry:
            raise TypeError(
                f"exercise name {name!r} is registered twice "
                f"({Exercise.registry[name].__module__} and {cls.__module__})"
            )
        Exercise.registry[name] = cls

    def __init__(self, config: ExerciseConfig | None = None) -> None:
        self.config = config or self.config_class()
        if not isinstance(self.config, self.config_class):
            raise TypeError(
                f"{self.name} needs a {self.config_class.__name__}, "
                f"got {type(self.config).__name__}"
            )
        self._rules = tuple(self.rules())
        self.reset()

    def rule_names(self) -> frozenset[str]:
        """Every fault name this exercise can report: its rules' (either way out of a
        range) and the escape hatch's."""
        ranges = (n for r in self._rules for n in (r.rule, r.below_rule, r.above_rule) if n)
        return frozenset(ranges) | self.extra_rules

    def counting_config(self) -> RepConfig:
        """`rep_config` with depth brought nearer by the phase signal's noise band, where
        the start and depth lines are further apart than two bands (else a rep barely
        started would count as deep: no room for the margin)."""
        config = self.rep_config()
        if self.phase_signal is None:
            return config
        margin = noise.band(self.phase_signal)
        depth = config.depth - margin
        if depth < config.start + margin:
            return config
        return replace(config, depth=depth)

    def reset(self) -> None:
        self.holds = IntervalTimer(self.config.hold, kind="hold")
        self.counter: RepCounter | None = None
        self.side_counters: SideRepCounters | None = None
        if self.kind == "reps" and self.counts_sides_apart:
            self.side_counters = SideRepCounters(self.counting_config())
        elif self.kind == "reps":
            self.counter = RepCounter(self.counting_config())
        self.faults = FaultLog(self.config.fault)
        self._rule_checks: tuple[Check, ...] = ()
        self.camera = CameraView(self.config.view_window_s, self.front_max_deg)
        self._in_position = False  # the last definite position decision (Moment)
        self.unjudged_hold_s = 0.0  # hold time carried through views that can't judge form
        self._last_unjudged_t_s: float | None = None

    @property
    def tally(self) -> RepCounter | SideRepCounters | None:
        """Whichever counts the reps (None: not a rep exercise)."""
        return self.counter if self.counter is not None else self.side_counters

    def rep_events(self) -> list[Event]:
        """The set's events of its rep counting so far (for `details`)."""
        tally = self.tally
        return list(tally.events) if tally is not None else []

    def camera_side(self, pose: Pose) -> Side:
        """The body side nearer the camera (higher visibility), with hysteresis."""
        return self.camera.near_side(pose)

    def current_view(self, pose: Pose | None, t_s: float) -> ViewInfo:
        if pose is not None:
            self.camera.see(self.view_angle(pose), t_s)
        view = self.camera.voted(counted=pose is not None)
        if view is None:
            return ViewInfo("unknown", False, "step into view of the camera")
        return self._view_info(view, self.view_correction)

    def _view_info(self, view: ViewName, correction: str) -> ViewInfo:
        if view in self.views:
            return ViewInfo(view, True, "")
        if view in self.partial_views:
            return ViewInfo(view, True, self.partial_views[view])
        return ViewInfo(view, False, correction)

    def update(self, pose: Pose | None, t_s: float) -> Verdict:
        """Analyse one frame's pose (None: nobody found) at the source's timestamp."""
        view = self.current_view(pose, t_s)
        if pose is None:
            events = self._tick(None, [], t_s, None, NAN, {})
            return self._verdict((), False, None, view, events, {})
        now = self._moment(t_s, view)
        signals = self.measure(pose, self.camera_side(pose), now)
        if not view.judgeable:
            return self._unjudgeable(pose, view, t_s, signals)
        position = self.position(signals, now)
        if position.ok is not None:
            self._in_position = position.ok
        checks: tuple[Check, ...] = ()
        if position.ok:
            self._rule_checks = checks = self._check_rules(signals)
            checks += tuple(self.extra_checks(signals, now))
        side = self.working_side(pose, signals)
        self._last_unjudged_t_s = None
        phase, sides = self.phase(signals, now), self.side_phases(signals, now)
        events = self._tick(position.ok, list(checks), t_s, side, phase, sides)
        return self._verdict((position, *checks), bool(position.ok), side, view, events, signals)

    def _moment(self, t_s: float, view: ViewInfo) -> Moment:
        return Moment(
            t_s,
            view,
            self.camera.frame,
            self.counter.phase if self.counter is not None else None,
            self._in_position,
            self.camera.angle_deg,
        )

    def _check_rules(self, signals: Signals) -> tuple[Check, ...]:
        """The declarative rules on this frame, each knowing which faults are raised
        (what a value inside its noise band keeps)."""
        raised = self.faults.raised()
        return tuple(r.check(signals, raised) for r in self._rules)

    def rules_pass(self) -> bool:
        """Whether this frame's declarative rules all pass (for `extra_checks`)."""
        return all(c.ok is not False for c in self._rule_checks)

    def _unjudgeable(self, pose: Pose, view: ViewInfo, t_s: float, signals: Signals) -> Verdict:
        held = self.coarse_position(pose) if self.holds.active else None
        if held and self._last_unjudged_t_s is not None:
            self.unjudged_hold_s += t_s - self._last_unjudged_t_s
        self._last_unjudged_t_s = t_s if held else None
        events = self._tick(held, [], t_s, None, NAN, {})
        return self._verdict((), bool(held), None, view, events, signals)

    def _tick(
        self,
        in_position: bool | None,
        checks: list[Check],
        t_s: float,
        side: Side | None,
        phase: float,
        side_phases: dict[Side, float],
    ) -> list[Event]:
        events: list[Event] = []
        form_ok = all(c.ok is not False for c in checks)
        if self.kind == "hold":
            held = None if in_position is None else (in_position and form_ok)
            events += self.holds.update(held, t_s, side if self.sided else None)
        if self.side_counters is not None:
            events += self.side_counters.update(side_phases, t_s)
        if self.counter is not None:
            events += self.counter.update(phase, t_s, side if self.sided else None)
        events += self.faults.update(checks, in_position is not None, t_s)
        return events

    def _verdict(
        self,
        checks: tuple[Check, ...],
        in_position: bool,
        side: Side | None,
        view: ViewInfo,
        events: list[Event],
        signals: Signals,
    ) -> Verdict:
        counter = self.tally
        return Verdict(
            checks=checks,
            in_position=in_position,
            correction=self.correction(checks, view),
            reps_left=counter.count("left") if counter else 0,
            reps_right=counter.count("right") if counter else 0,
            reps_partial=counter.partial if counter else 0,
            reps_unsided=counter.count(None) if counter else 0,
            hold_s=self.holds.current_s(),
            holding=self.holds.active,
            side=side,
            view=view,
            events=tuple(events),
            signals={k: float(v) for k, v in signals.items()},
        )

    def correction(self, checks: Sequence[Check], view: ViewInfo) -> str | None:
        """The one thing to fix now: the view first, then position, then the top fault."""
        if not view.judgeable:
            return view.message or None
        failing = [c for c in checks if c.ok is False and c.message]
        if not failing:
            return None
        return max(failing, key=lambda c: c.priority).message

    def finish(self) -> list[Event]:
        """Close holds and faults in progress at the end of the input."""
        return self.holds.finish() + self.faults.finish()

    def summary(self) -> Summary:
        counter = self.tally
        if self.camera.recording is not None:
            view_name = self.camera.recording
            view = self._view_info(
                view_name,
                f"the {view_name} view cannot judge {self.title.lower()}: {self.view_correction}",
            )
        else:
            view = ViewInfo("unknown", False, "no person was found")
        return Summary(
            reps_left=counter.count("left") if counter else 0,
            reps_right=counter.count("right") if counter else 0,
            reps_unsided=counter.count(None) if counter else 0,
            reps_partial=counter.partial if counter else 0,
            holds=tuple(self.holds.intervals),
            faults=tuple(self.faults.faults()),
            view=view,
            unjudged_hold_s=self.unjudged_hold_s,
            details=self.details(),
        )
