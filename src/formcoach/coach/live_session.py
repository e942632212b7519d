"""The live coach's session: setup check, countdown, counting, pause, target, keys.

`LiveSession` is a stage around the one pipeline: every frame is perceived (pose), and
judged by the analyzer only once the setup check has passed and a short countdown is
over, so nothing is counted while the person is setting up. The session's state (phase,
countdown, the correction shown, counters' target) travels in each `FrameResult`, where
the window and the voice read it. Keys arrive through a queue the window fills. Time
comes from the frames' timestamps only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import queue
from collections.abc import Callable, Sequence

from formcoach.coach.corrections import CorrectionPicker
from formcoach.coach.keys import (
    KEY_ESC,
    KEY_MUTE,
    KEY_NEXT,
    KEY_PAUSE,
    KEY_QUIT,
    WINDOW_CLOSED,
    KeyQueue,
    pain_of_key,
)
from formcoach.coach.setup_check import SetupCheck
from formcoach.exercises.base import Exercise
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Signals
from formcoach.exercises.summary import Summary, Target
from formcoach.pipeline import Pipeline, StopRequested
from formcoach.types import (
    Check,
    Event,
    Frame,
    FrameResult,
    LiveState,
    Pose,
    SessionPhase,
    Side,
    Verdict,
    ViewInfo,
)

__all__ = ["LiveSession", "LiveState", "TimedStep", "blank_verdict", "target_met"]


class TimedStep(Exercise):
    """A routine step no analyzer judges (and a rest): the pose is shown, nothing counted."""

    kind = "warning"

    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        return {}

    def position(self, signals: Signals, now: Moment) -> Check:
        return Check("position", None)

    def correction(self, checks: Sequence[Check], view: ViewInfo) -> str | None:
        """Nothing judges a timed step, so nothing is corrected: no camera-view advice."""
        return None


# Set after the class body so that this helper is not registered as an exercise.
TimedStep.name, TimedStep.title = "timed", "Timed step"


def blank_verdict() -> Verdict:
    """Nothing measured yet: the verdict shown during setup and the countdown."""
    return Verdict((), False, None, 0, 0, 0, 0, 0.0, False, None, ViewInfo("unknown", False))


def target_met(verdict: Verdict, target: Target) -> bool:
    """The set's target: reps (on each side if per side) or one hold of `hold_s`."""
    if target.reps:
        if target.per_side:
            return min(verdict.reps_left, verdict.reps_right) >= target.reps
        return verdict.reps_total >= target.reps
    if target.hold_s:
        return verdict.hold_s >= target.hold_s
    return False


def active_corrections(verdict: Verdict) -> set[str]:
    """Every correction whose fault holds on this frame: a failing check's message (drawn
    red on the skeleton), or the view's advice while the view cannot be judged."""
    active = {c.message for c in verdict.checks if c.ok is False and c.message}
    if not verdict.view.judgeable and verdict.view.message:
        active.add(verdict.view.message)
    return active


class LiveSession:
    """Pipeline (perceive, then setup check or analyzer) with the session around it."""

    def __init__(
        self,
        pipeline: Pipeline,
        setup: SetupCheck | None = None,
        *,
        target: Target | None = None,
        countdown_s: float = 3.0,
        stop_after_target_s: float | None = None,
        source_status: Callable[[], str] = lambda: "",
        label: str = "",
        duration_s: float | None = None,
        instruction: str = "",
        keys: KeyQueue | None = None,
        pain_stop_at: int | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.setup = setup
        self.target = target or pipeline.analyzer.target
        self.countdown_s = countdown_s
        self.stop_after_target_s = stop_after_target_s
        self.source_status = source_status
        self.label = label
        self.duration_s = duration_s
        self.instruction = instruction
        self.keys = keys
        self.pain_stop_at = pain_stop_at
        self.pain_reported: int | None = None  # the last digit key pressed: pain now
        self.picker = CorrectionPicker()
        self.paused = self.muted = False
        self.quit_requested = self.next_requested = False
        self.phase: SessionPhase = "setup" if setup is not None else "active"
        self.state: LiveState | None = None
        self._verdict = blank_verdict()
        self._countdown_end_s = 0.0
        self._first_t_s: float | None = None
        self._last_t_s: float | None = None
        self._set_elapsed_s = 0.0
        self._fps = 0.0
        self._met_at_s: float | None = None
        self._best_hold_s = 0.0

    # --- keys -------------------------------------------------------------------------
    def handle_key(self, key: int) -> None:
        """space pause, n next exercise, m mute, q/Esc quit; a closed window quits."""
        if key == KEY_PAUSE:
            self.paused = not self.paused
        elif key == KEY_MUTE:
            self.muted = not self.muted
        elif key == KEY_NEXT:
            self.next_requested = True
            raise StopRequested("next exercise")
        elif key in (KEY_QUIT, KEY_ESC):
            self.quit_requested = True
            raise StopRequested("quit key pressed")
        elif key == WINDOW_CLOSED:
            self.quit_requested = True
            raise StopRequested("window closed")
        elif (pain := pain_of_key(key)) is not None:
            self.pain_reported = pain
            if self.pain_stop_at is not None and pain >= self.pain_stop_at:
                self.quit_requested = True
                raise StopRequested("pain rose")

    def _read_keys(self) -> None:
        while self.keys is not None:
            try:
                key = self.keys.get_nowait()
            except queue.Empty:
                return
            self.handle_key(key)

    # --- the stage ----------------------------------------------------------------------
    def process(self, frame: Frame) -> FrameResult:
        self._read_keys()
        t = frame.timestamp_s
        self._tick_clock(t)
        pose = self.pipeline.perceive(frame)
        setup_status = None
        if self.paused:
            self._verdict = dataclasses.replace(self._verdict, events=(), holding=False)
        elif self.phase == "setup":
            assert self.setup is not None
            setup_status = self.setup.update(frame, pose)
            if setup_status.ready:
                self.phase, self._countdown_end_s = "countdown", t + self.countdown_s
        elif self.phase == "countdown" and t >= self._countdown_end_s:
            self.phase = "active"
            self.pipeline.analyzer.reset()
        if self.phase == "active" and not self.paused:
            self._verdict = self.pipeline.judge(pose, t)
            self._best_hold_s = max(self._best_hold_s, self._verdict.hold_s)
        active = active_corrections(self._verdict)
        correction = self.picker.update(self._verdict.correction, t, active)
        met = target_met(self._verdict, self.target)
        self._check_stop(met, t)
        self.state = LiveState(
            phase=self.phase,
            setup=setup_status,
            countdown_s=max(0.0, self._countdown_end_s - t),
            paused=self.paused,
            muted=self.muted,
            correction=correction if self.phase == "active" else None,
            set_elapsed_s=self._set_elapsed_s,
            session_elapsed_s=t - (t if self._first_t_s is None else self._first_t_s),
            fps=self._fps,
            source_status=self.source_status(),
            target=self.target,
            target_met=met or self._met_at_s is not None,
            label=self.label,
            time_left_s=self._time_left_s(),
            instruction=self.instruction,
            best_hold_s=self._best_hold_s,
        )
        if self.duration_s is not None and self._set_elapsed_s >= self.duration_s:
            raise StopRequested("time is up")
        return FrameResult(frame, pose, self._verdict, self.state)

    def finish(self) -> list[Event]:
        """End of the set: keys still queued (a window closed on the last frame) count."""
        with contextlib.suppress(StopRequested):
            self._read_keys()
        return self.pipeline.finish()

    def summary(self) -> Summary:
        return self.pipeline.summary()

    def _time_left_s(self) -> float | None:
        if self.duration_s is None:
            return None
        return max(0.0, self.duration_s - self._set_elapsed_s)

    def _tick_clock(self, t: float) -> None:
        if self._first_t_s is None:
            self._first_t_s = t
        if self._last_t_s is not None:
            dt = t - self._last_t_s
            if dt > 0:
                self._fps = 1.0 / dt if self._fps == 0 else 0.9 * self._fps + 0.1 / dt
            if self.phase == "active" and not self.paused:
                self._set_elapsed_s += dt
        self._last_t_s = t

    def _check_stop(self, met: bool, t: float) -> None:
        if met and self._met_at_s is None:
            self._met_at_s = t
        if (
            self.stop_after_target_s is not None
            and self._met_at_s is not None
            and t - self._met_at_s >= self.stop_after_target_s
        ):
            raise StopRequested("target reached")

    def reset(self) -> None:
        self.pipeline.reset()
        self.picker.reset()
        if self.setup is not None:
            self.setup.reset()
