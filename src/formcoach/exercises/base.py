"""The exercise base: registry, declarative rules, visibility and view gating, counters.

An exercise declares what to measure; this class owns how: choosing the side facing the
camera, gating on visibility and view, evaluating rules, running the rep counter or the
hold timer, tracking fault intervals, choosing the one correction to show, and resetting.
"""

from __future__ import annotations

import difflib
import math
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Literal

from formcoach import noise
from formcoach.counting import (
    Interval,
    IntervalConfig,
    IntervalTimer,
    RepConfig,
    RepCounter,
    RepPhase,
    SideRepCounters,
)
from formcoach.landmarks import SIDES, sided
from formcoach.types import Check, Event, Pose, Side, Verdict, ViewInfo, ViewName
from formcoach.view import ViewVote, depth_angle_deg, view_of_angle

Signals = Mapping[str, float]
Kind = Literal["hold", "reps", "warning"]
# The trunk while the exercise is done: how the person doing it is told from others in
# view (people.py). Trunk tilt from vertical under 45 deg is upright, else lying.
Trunk = Literal["upright", "lying"]

NAN = math.nan
# The summary names the view seen first unless another was seen in this share of the
# frames more (Exercise._count_view): a recording of two set-ups of about the same length
# (plank_19: 7.2 s oblique, then 7.0 s side) names the first, not whichever a few frames
# more happen to favour.
VIEW_TALLY_MARGIN = 0.1


class UnknownExerciseError(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


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


@dataclass(frozen=True, kw_only=True)
class ExerciseConfig:
    """Settings every exercise shares; each exercise extends it with its own thresholds."""

    # MediaPipe's visibility below which a landmark counts as hidden; 0.5 is its own default
    # for drawing, and below it the landmark positions are guesses.
    min_visibility: float = 0.5
    # Holds: a position held 0.5 s starts a hold (a blip under 0.25 s on the way in does
    # not restart that wait); breaks under 1 s (a wobble, a dropped frame) are bridged;
    # holds under 1 s are not reported. Nobody seen for up to 3 s (an edited video's
    # cutaway or dissolve, someone walking past the camera) is bridged when the person is
    # seen back in position right after: a static hold seen before and after was most
    # likely held, and a rest hidden in the gap would cost at most those 3 s. Seen out of
    # position still ends the hold after 1 s.
    hold: IntervalConfig = field(default_factory=lambda: IntervalConfig(unseen_grace_s=3.0))
    # Faults: a fault must last 1 s before it is raised (a moment is not a habit); a break
    # under 0.5 s does not end it. Any frame of good form restarts the wait
    # (min_break_s 0): a correction is given only for bad form seen throughout a second.
    fault: IntervalConfig = field(
        default_factory=lambda: IntervalConfig(
            min_start_s=1.0, grace_s=0.5, min_length_s=1.0, min_break_s=0.0
        )
    )
    # The view is judged on the frames of the last 1 s, so one noisy frame does not flip it
    # and a camera cut or a turn shows within ~0.5 s (a majority of the window).
    view_window_s: float = 0.5


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


@dataclass(frozen=True, slots=True)
class Moment:
    """What the base knows about the frame its hooks are judging, so a hook never reads
    the analyzer's own state: the source's time, the camera view (voted over the last
    `view_window_s`, and this frame's alone), where the rep counter stands before this
    frame, and the last definite decision of `position` (what an enter/keep latch keeps)."""

    t_s: float
    view: ViewInfo
    frame_view: ViewName = "unknown"
    rep_phase: RepPhase | None = None  # None: no single rep counter (a hold, sides apart)
    in_position: bool = False

    @property
    def resting(self) -> bool:
        """Between reps (or nothing counted): where a rest reference may be taken."""
        return self.rep_phase is None or self.rep_phase is RepPhase.REST


class Exercise(ABC):
    """Base of every exercise analyzer. Subclasses set the class attributes and hooks."""

    registry: ClassVar[dict[str, type[Exercise]]] = {}

    name: ClassVar[str]
    title: ClassVar[str]
    kind: ClassVar[Kind]
    target: ClassVar[Target] = Target()
    placement: ClassVar[str]  # where to put the camera, in the user's words
    # What a rep's depth (the deepest value of `phase`) measures, with its unit, for the
    # report's per-rep table; "" leaves the column headed "depth".
    depth_label: ClassVar[str] = ""
    views: ClassVar[frozenset[ViewName]] = frozenset({"side"})
    view_correction: ClassVar[str] = "turn so your side faces the camera"
    # Views from which the position (so the hold) can be followed but some rules cannot be
    # judged (they give ok=None there): view -> what the user is told about it.
    partial_views: ClassVar[Mapping[ViewName, str]] = {}
    config_class: ClassVar[type[ExerciseConfig]] = ExerciseConfig
    # Sides reported per rep or hold: "none" (both sides work together), "working" (the
    # exercise says which side works), used for `left`/`right` in reports.
    sided: ClassVar[bool] = False
    # Rep exercises whose sides move on their own, overlapping in time (alternate ankle
    # pumps): each side is counted by its own counter from `side_phases`, not `phase`.
    counts_sides_apart: ClassVar[bool] = False
    # Rule names `extra_checks` may fail with (the declarative rules name themselves), so
    # every fault an exercise can raise is listed by `rule_names`.
    extra_rules: ClassVar[frozenset[str]] = frozenset()
    # "upright" or "lying" (Trunk); None for an exercise that passes through both
    trunk: ClassVar[Trunk | None] = None
    # The signal `phase` follows, up to sign and offset. Its noise band widens "deep
    # enough": a rep is partial only when its bottom stays short of depth by more than
    # the band (a decision on noise is no decision). None: no band.
    phase_signal: ClassVar[str | None] = None
    _frame_view: ViewName | None  # the last frame's view (its noise band keeps it)
    _this_frame_view: ViewName  # this frame's view ("unknown" too)

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

    # --- hooks ------------------------------------------------------------------------
    @abstractmethod
    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        """Signals (angles, ratios) from one pose, seen mainly from `side`; NaN if hidden.
        The one hook that may keep state over time (smoothing, a rest reference)."""

    @abstractmethod
    def position(self, signals: Signals, now: Moment) -> Check:
        """Whether the body is in the exercise position (ok None: can't tell). Pure: the
        same signals and moment give the same answer, however often it is asked."""

    def rules(self) -> Sequence[Range]:
        """Form rules evaluated while in position."""
        return ()

    def extra_checks(self, signals: Signals, now: Moment) -> list[Check]:
        """Escape hatch for a check none of the declarative rules can express; the rule
        names it uses are declared in `extra_rules`."""
        return []

    def rule_names(self) -> frozenset[str]:
        """Every fault name this exercise can report: its rules' (either way out of a
        range) and the escape hatch's."""
        ranges = (n for r in self._rules for n in (r.rule, r.below_rule, r.above_rule) if n)
        return frozenset(ranges) | self.extra_rules

    def phase(self, signals: Signals, now: Moment) -> float:
        """Rep exercises: the phase signal, larger = further into the rep (NaN: unseen)."""
        return NAN

    def side_phases(self, signals: Signals, now: Moment) -> dict[Side, float]:
        """`counts_sides_apart` exercises: the phase of each side seen (a side left out is
        unseen on this frame)."""
        return {}

    def rep_config(self) -> RepConfig:
        raise NotImplementedError(f"{self.name} counts no reps")

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

    def coarse_position(self, pose: Pose) -> bool | None:
        """A view-independent test (3D world landmarks) that the position is still held.

        Used only to carry a hold already verified from a judgeable view through a stretch
        the camera cannot judge (a camera cut, a turn); form is not checked then. None: the
        exercise has no such test, so the hold pauses like any unseen stretch."""
        return None

    def view_angle(self, pose: Pose) -> float:
        """The angle (deg) the view is read from: 90 side, 0 front. The default reads the
        shoulder and hip lines out of the image plane; an exercise whose body lies
        otherwise (on its side) may read another axis."""
        return depth_angle_deg(pose)

    def view_of(self, pose: Pose) -> ViewName:
        """Which way the camera sees the person in one frame (voted over time by the
        base), keeping the last frame's view inside the angle's noise band."""
        last: ViewName | None = self._frame_view
        view = view_of_angle(self.view_angle(pose), last)
        self._frame_view = view if view != "unknown" else last
        self._this_frame_view = view
        return view

    def details(self) -> dict[str, Any]:
        """Exercise-specific results for the summary and report (JSON values)."""
        return {}

    def working_side(self, pose: Pose, signals: Signals) -> Side | None:
        """The side doing the work (leg in front, arm underneath), for per-side counts."""
        return None

    # --- shared machinery -----------------------------------------------------------
    def reset(self) -> None:
        self.holds = IntervalTimer(self.config.hold, kind="hold")
        self.counter: RepCounter | None = None
        self.side_counters: SideRepCounters | None = None
        if self.kind == "reps" and self.counts_sides_apart:
            self.side_counters = SideRepCounters(self.counting_config())
        elif self.kind == "reps":
            self.counter = RepCounter(self.counting_config())
        self._fault_timers: dict[str, IntervalTimer] = {}
        self._rule_checks: tuple[Check, ...] = ()
        self._fault_messages: dict[str, str] = {}
        self._views = ViewVote(self.config.view_window_s)
        self._frame_view = None
        self._this_frame_view = "unknown"
        self._in_position = False  # the last definite position decision (Moment)
        self._view_tally: Counter[ViewName] = Counter()
        self._clip_view: ViewName | None = None  # the view the summary reports
        self._camera_side: Side | None = None
        self.unjudged_hold_s = 0.0  # hold time carried through views that can't judge form
        self._last_unjudged_t_s: float | None = None

    @property
    def tally(self) -> RepCounter | SideRepCounters | None:
        """Whichever counts the reps (None: not a rep exercise)."""
        return self.counter if self.counter is not None else self.side_counters

    def camera_side(self, pose: Pose) -> Side:
        """The body side nearer the camera (higher visibility), with hysteresis."""
        score = {
            side: sum(
                pose.visibility[int(sided(side, j))]
                for j in ("SHOULDER", "HIP", "KNEE", "ANKLE", "ELBOW")
            )
            for side in SIDES
        }
        best: Side = "left" if score["left"] >= score["right"] else "right"
        if self._camera_side is None or score[best] > score[self._camera_side] + 0.5:
            self._camera_side = best
        return self._camera_side

    def current_view(self, pose: Pose | None, t_s: float) -> ViewInfo:
        if pose is not None:
            self._views.add(self.view_of(pose), t_s)
        view = self._views.winner()
        if view is None:
            return ViewInfo("unknown", False, "step into view of the camera")
        if pose is not None:
            self._count_view(view)
        return self._view_info(view, self.view_correction)

    def _count_view(self, view: ViewName) -> None:
        """The summary's view, with a margin: the view seen first stands until another
        has been seen in VIEW_TALLY_MARGIN of the frames more than it, so a recording of
        two camera set-ups of about the same length names the same one every time."""
        self._view_tally[view] += 1
        standing = self._clip_view
        if standing is None:
            self._clip_view = view
            return
        lead = self._view_tally[view] - self._view_tally[standing]
        if view != standing and lead > VIEW_TALLY_MARGIN * self._view_tally.total():
            self._clip_view = view

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
            self._this_frame_view,
            self.counter.phase if self.counter is not None else None,
            self._in_position,
        )

    def _check_rules(self, signals: Signals) -> tuple[Check, ...]:
        """The declarative rules on this frame, each knowing which faults are raised
        (what a value inside its noise band keeps)."""
        raised = {rule for rule, timer in self._fault_timers.items() if timer.active}
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
        failing = {c.rule: c for c in checks if c.ok is False}
        for rule, c in failing.items():
            if rule not in self._fault_timers:
                self._fault_timers[rule] = IntervalTimer(
                    self.config.fault, kind="fault", labels={"rule": rule}
                )
            self._fault_messages.setdefault(rule, c.message)
        for rule, timer in self._fault_timers.items():
            seen = in_position is not None
            events += timer.update(True if rule in failing else (False if seen else None), t_s)
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
        events = self.holds.finish()
        for timer in self._fault_timers.values():
            events += timer.finish()
        return events

    def summary(self) -> Summary:
        counter = self.tally
        faults = sorted(
            (
                Fault(rule, self._fault_messages.get(rule, ""), iv)
                for rule, timer in self._fault_timers.items()
                for iv in timer.intervals
            ),
            key=lambda f: f.interval.start_s,
        )
        if self._clip_view is not None:
            view_name = self._clip_view
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
            faults=tuple(faults),
            view=view,
            unjudged_hold_s=self.unjudged_hold_s,
            details=self.details(),
        )


def create(name: str, config: ExerciseConfig | None = None) -> Exercise:
    """An analyzer by its snake_case name; the error lists the valid names."""
    from formcoach import exercises  # noqa: F401  (importing registers every exercise)

    try:
        cls = Exercise.registry[name]
    except KeyError:
        raise UnknownExerciseError(
            unknown_name_message("exercise", name, Exercise.registry)
        ) from None
    return cls(config)


def unknown_name_message(what: str, name: str, valid: Iterable[str], prefix: str = "") -> str:
    """E.g. "unknown exercise 'side_plnk' (did you mean side_plank?); expected one of: ...".
    `prefix` is left out of the comparison (a config key `plank.max_sag` vs `max_sag_deg`)."""
    choices = sorted(valid)
    bare = name.removeprefix(f"{prefix}.") if prefix else name
    close = difflib.get_close_matches(bare, choices, n=2, cutoff=0.6)
    hint = f" (did you mean {' or '.join(close)}?)" if close else ""
    shown = name if prefix else repr(name)
    return f"unknown {what} {shown}{hint}; expected one of: {', '.join(choices)}"
