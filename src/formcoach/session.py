"""Runs a guided routine: every step and set through the one loop, rests in between.

All steps share one frame iterator (the camera stays open). Judged steps use the
exercise's analyzer with the step's target and stop shortly after it is reached; other
steps, and rests, are timed with their instructions on screen. Each set is saved to the
history. `n` skips to the next step, `q` ends the session (what was done is kept).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from formcoach.estimators import PoseEstimator
from formcoach.exercises.base import Exercise, Signals, Target, create
from formcoach.history import History, SetRecord
from formcoach.live import LivePipeline
from formcoach.pipeline import Sink, run
from formcoach.routine import Routine, Step
from formcoach.setup_check import SetupCheck
from formcoach.sinks import HistorySink
from formcoach.types import Check, Frame, Pose, Side

log = logging.getLogger(__name__)


class Untracked(Exercise):
    """A step no analyzer judges: the pose is shown, nothing is counted or judged."""

    kind = "warning"

    def measure(self, pose: Pose, side: Side) -> dict[str, float]:
        return {}

    def position(self, signals: Signals) -> Check:
        return Check("position", None)


# Set after the class body so that this helper is not registered as an exercise.
Untracked.name, Untracked.title = "untracked", "Timed step"


@dataclass(frozen=True, slots=True)
class SetOutcome:
    step: Step
    set_number: int
    counted: bool
    reps: int
    hold_best_s: float
    stop_reason: str


# Builds the sinks for one set: (pipeline, title, kind) -> window, voice, ...
SinkFactory = Callable[[LivePipeline, str, str], list[Sink]]


@dataclass
class RoutineRunner:
    routine: Routine
    frames: Iterator[Frame]
    estimator: Callable[[], PoseEstimator]
    history: History | None = None
    session_id: int | None = None
    sinks: SinkFactory = lambda pipeline, title, kind: []
    source_status: Callable[[], str] = lambda: ""
    countdown_s: float = 3.0
    setup_check: bool = True
    after_target_s: float = 2.0  # keep the set going this long after the target: a calm end

    def run(self) -> list[SetOutcome]:
        outcomes: list[SetOutcome] = []
        for i, step in enumerate(self.routine.steps):
            nxt = self.routine.steps[i + 1].title if i + 1 < len(self.routine.steps) else ""
            for n in range(1, step.sets + 1):
                outcome, pipeline = self._set(step, n)
                outcomes.append(outcome)
                if pipeline.quit_requested or self._exhausted:
                    return outcomes
                if pipeline.next_requested:
                    break
                more = n < step.sets and step.rest_s
                if more and self._rest(step.rest_s, f"next: {step.title}, set {n + 1}"):
                    return outcomes
            rest = nxt and step.section == "main" and step.rest_s
            if rest and self._rest(step.rest_s, f"next: {nxt}"):
                return outcomes
        return outcomes

    _exhausted = False

    def _frames(self) -> Iterator[Frame]:
        # Not `yield from`: closing this per-set generator must not close the shared one.
        for frame in self.frames:  # noqa: UP028
            yield frame
        self._exhausted = True

    def _run(self, pipeline: LivePipeline, title: str, kind: str, extra: list[Sink]) -> str:
        sinks = [*extra, *self.sinks(pipeline, title, kind)]
        try:
            stats = run(self._frames(), pipeline, sinks)
        finally:
            pipeline.estimator.close()
        return stats.stop_reason or "input ended"

    def _set(self, step: Step, n: int) -> tuple[SetOutcome, LivePipeline]:
        label = f"{step.section} - set {n} of {step.sets}"
        if step.counted:
            exercise = create(step.exercise)
            setup = None
            if self.setup_check and n == 1:
                setup = SetupCheck(exercise.views, exercise.view_correction)
            pipeline = LivePipeline(
                self.estimator(),
                exercise,
                setup,
                target=step.target,
                countdown_s=self.countdown_s,
                stop_after_target_s=self.after_target_s,
                duration_s=step.duration_s or None,
                source_status=self.source_status,
                label=label,
            )
            extra: list[Sink] = []
            if self.history is not None:
                extra.append(
                    HistorySink(
                        self.history,
                        step.exercise,
                        self.session_id,
                        lambda: pipeline.phase == "active",
                    )
                )
            reason = self._run(pipeline, exercise.title, exercise.kind, extra)
            s = exercise.summary()
            best = max((h.duration_s for h in s.holds), default=0.0)
            reps = s.reps_left + s.reps_right + s.reps_unsided
            return SetOutcome(step, n, True, reps, best, reason), pipeline
        pipeline = self._timed(step.duration_s, step.instructions, label)
        reason = self._run(pipeline, step.title, "warning", [])
        if self.history is not None:
            self.history.add_set(_timed_record(step, pipeline), self.session_id)
        return SetOutcome(step, n, False, 0, 0.0, reason), pipeline

    def _timed(self, duration_s: float, instruction: str, label: str) -> LivePipeline:
        return LivePipeline(
            self.estimator(),
            Untracked(),
            None,
            target=Target(),
            duration_s=duration_s,
            instruction=instruction,
            source_status=self.source_status,
            label=label,
        )

    def _rest(self, seconds: float, then: str) -> bool:
        """A rest; True if the user asked to quit during it."""
        pipeline = self._timed(seconds, f"rest - {then}", "rest")
        self._run(pipeline, "Rest", "warning", [])
        return pipeline.quit_requested or self._exhausted


def _timed_record(step: Step, pipeline: LivePipeline) -> SetRecord:
    from datetime import datetime, timedelta

    state = pipeline.state
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
