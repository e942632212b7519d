"""Runs a guided routine: every step and set through the one assembler, rests in between.

All steps share one frame iterator (the camera stays open). Judged steps use the
exercise's analyzer with the step's target and stop shortly after it is reached; other
steps, and rests, are timed with their instructions on screen. Each set is saved to the
history. `n` skips to the next step, `q` ends the session (what was done is kept).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from formcoach.assembly import Assembly, LiveOptions, RunOptions, Services, build
from formcoach.coach.auto_runner import AutoRunner
from formcoach.coach.live_session import LiveSession
from formcoach.coach.routine import PAIN_RISE_STOP, Routine, Step
from formcoach.coach.set_card import summarise_set
from formcoach.coach.shared_frames import SharedFrames
from formcoach.exercises.summary import Summary, Target
from formcoach.pipeline import INTERRUPTED
from formcoach.pose.estimators import PoseEstimator
from formcoach.run_options import AUTO, TIMED
from formcoach.sources.base import SourceInfo
from formcoach.store.sets import SetRecord
from formcoach.types import Frame

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SetOutcome:
    step: Step
    set_number: int
    counted: bool
    reps: int
    hold_best_s: float
    stop_reason: str
    card: tuple[str, ...] = ()  # a judged set's summary card (set_summary), as shown


@dataclass
class RoutineRunner:
    """`options` are the session's own (model, config, window, voice, setup check); each
    set replaces the exercise, target and timing. `estimator` replaces the model (tests
    replay a track)."""

    routine: Routine
    frames: Iterator[Frame]
    options: RunOptions
    info: SourceInfo
    services: Services
    estimator: Callable[[], PoseEstimator] | None = None
    after_target_s: float = 2.0  # keep the set going this long after the target: a calm end
    outcomes: list[SetOutcome] = field(default_factory=list)
    # Pain 0-10 before the session: a digit key pressed during it reports pain now, and a
    # rise of PAIN_RISE_STOP ends the session (`pain_now` keeps the last one reported).
    pain_before: int | None = None
    pain_now: int | None = None
    stopped_for_pain: bool = False

    def run(self) -> list[SetOutcome]:
        """Every set done, in order (also in `outcomes`, kept if the run is interrupted)."""
        outcomes = self.outcomes
        for i, step in enumerate(self.routine.steps):
            nxt = self.routine.steps[i + 1].title if i + 1 < len(self.routine.steps) else ""
            for n in range(1, step.sets + 1):
                outcome, session = self._set(step, n)
                outcomes.append(outcome)
                if self._ended(session):
                    return outcomes
                if session.next_requested:
                    break
                more = n < step.sets and step.rest_s
                if more and self._rest(step.rest_s, f"next: {step.title}, set {n + 1}"):
                    return outcomes
            rest = nxt and step.section == "main" and step.rest_s
            if rest and self._rest(step.rest_s, f"next: {nxt}"):
                return outcomes
        return outcomes

    interrupted = False  # Ctrl-C ended a set: the session ends with it

    @functools.cached_property
    def _shared(self) -> SharedFrames:
        """The camera's frames, each set and rest taking its own iterator of them."""
        return SharedFrames(self.frames)

    def _options(self, exercise: str, live: LiveOptions) -> RunOptions:
        """A set's run options: the session's, with the set's exercise and live options
        (ended by a pain rise over the pain before the session)."""
        if self.pain_before is not None:
            live = replace(live, pain_stop_at=self.pain_before + PAIN_RISE_STOP)
        return replace(self.options, exercise=exercise, mode="live", live=live)

    def _estimator(self) -> PoseEstimator | None:
        return self.estimator() if self.estimator is not None else None

    def _build(self, exercise: str, live: LiveOptions) -> Assembly:
        options = self._options(exercise, live)
        return build(options, self.info, estimator=self._estimator(), services=self.services)

    def _run(self, assembly: Assembly) -> tuple[str, LiveSession]:
        stats = assembly.run(self._shared.for_a_set())
        session = assembly.session
        assert session is not None
        reason = stats.stop_reason or "input ended"
        self._after(session, reason)
        return reason, session

    def _after(self, session: LiveSession, reason: str) -> None:
        """What a set's end tells the session: the pain reported, a stop."""
        if session.pain_reported is not None:
            self.pain_now = session.pain_reported
        if reason == "pain rose":
            self.stopped_for_pain = True
        self.interrupted = self.interrupted or reason == INTERRUPTED

    def _set(self, step: Step, n: int) -> tuple[SetOutcome, LiveSession]:
        label = f"{step.section} - set {n} of {step.sets}"
        base = self.options.live
        if step.exercise == AUTO:
            return self._chosen(step, n, label)
        if step.counted:
            live = replace(
                base,
                setup_check=base.setup_check and n == 1,
                target=step.target,
                stop_after_target_s=self.after_target_s,
                duration_s=step.duration_s or None,
                label=label,
            )
            assembly = self._build(step.exercise, live)
            reason, session = self._run(assembly)
            judged = _judged(step, n, step.title, assembly.exercise.summary(), step.target, reason)
            return judged, session
        reason, session = self._timed(step.duration_s, step.instructions, label, step.title)
        if self.services.history is not None:
            self.services.history.add_set(_timed_record(step, session), self.services.session_id)
        return SetOutcome(step, n, False, 0, 0.0, reason), session

    def _chosen(self, step: Step, n: int, label: str) -> tuple[SetOutcome, LiveSession]:
        """A choice step's set: whichever of its exercises the coach names, judged as it
        against the step's target (the exercise's own if the step gives none)."""
        live = replace(
            self.options.live,
            target=step.target if step.reps or step.hold_s else None,
            stop_after_target_s=self.after_target_s,
            duration_s=step.duration_s or None,
            label=label,
        )
        runner = AutoRunner(
            self._shared,
            self._options(AUTO, live),
            self.info,
            self.services,
            estimator=self._estimator(),
            choices=step.chosen_from,
            one_set=True,
            watching=f"{step.instructions} - formcoach names it in a few seconds",
        )
        runner.run()
        session = runner.last_session
        assert session is not None
        self._after(session, runner.last_stop)
        chosen = [p for p in runner.parts if p.exercise in step.chosen_from]
        if not chosen:  # nothing chosen was done (an avoid movement is warned on its own)
            return SetOutcome(step, n, False, 0, 0.0, runner.last_stop), session
        part = chosen[-1]
        judged = _judged(step, n, part.title, part.summary, part.target, part.stop_reason)
        return judged, session

    def _timed(
        self, duration_s: float, instruction: str, label: str, title: str
    ) -> tuple[str, LiveSession]:
        live = replace(
            self.options.live,
            setup_check=False,
            target=Target(),
            duration_s=duration_s,
            instruction=instruction,
            label=label,
            title=title,
        )
        return self._run(self._build(TIMED, live))

    def _rest(self, seconds: float, then: str) -> bool:
        """A rest; True if the user asked to quit during it."""
        ask = "; pain now? press 0-9" if self.pain_before is not None else ""
        _, session = self._timed(seconds, f"rest - {then}{ask}", "rest", "Rest")
        return self._ended(session)

    def _ended(self, session: LiveSession) -> bool:
        """The session is over: q, Ctrl-C or the camera's end (the set is kept)."""
        return session.quit_requested or self.interrupted or self._shared.exhausted


def _judged(
    step: Step, n: int, title: str, summary: Summary, target: Target, reason: str
) -> SetOutcome:
    """A judged set's outcome: its reps, best hold and card (as its window showed it)."""
    best = max((h.duration_s for h in summary.holds), default=0.0)
    reps = summary.reps_left + summary.reps_right + summary.reps_unsided
    card = tuple(summarise_set(title, summary, target).lines())
    return SetOutcome(step, n, True, reps, best, reason, card)


def _timed_record(step: Step, session: LiveSession) -> SetRecord:
    state = session.state
    elapsed = state.set_elapsed_s if state is not None else 0.0
    end = datetime.now()
    start = end - timedelta(seconds=elapsed)
    return SetRecord(
        exercise=step.exercise,
        started_at=start.isoformat(timespec="seconds"),
        ended_at=end.isoformat(timespec="seconds"),
        duration_s=round(elapsed, 2),
        counted=False,
        complete=elapsed >= step.duration_s - 0.5,
    )
