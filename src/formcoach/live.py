"""The live coach's session: setup check, countdown, counting, pause, target, keys.

`LivePipeline` is the one pipeline with a session around it: it still turns each frame
into a `FrameResult` on the main thread, and keeps a `LiveState` snapshot beside it for
the window, the voice and the history to read. Analysis starts only once the setup check
passes (then a short countdown), so nothing is counted while the person is setting up.
Time comes from the frames' timestamps only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from formcoach.cues import CorrectionPicker
from formcoach.estimators import PoseEstimator
from formcoach.exercises.base import Exercise, Target
from formcoach.pipeline import Pipeline, StopRequested
from formcoach.setup_check import SetupCheck, SetupStatus
from formcoach.smoothing import PoseSmoother
from formcoach.types import Frame, FrameResult, Verdict, ViewInfo

Phase = Literal["setup", "countdown", "active"]

KEY_PAUSE, KEY_NEXT, KEY_MUTE, KEY_QUIT, KEY_ESC = ord(" "), ord("n"), ord("m"), ord("q"), 27


def blank_verdict() -> Verdict:
    """Nothing measured yet: the verdict shown during setup and the countdown."""
    return Verdict((), False, None, 0, 0, 0, 0, 0.0, False, None, ViewInfo("unknown", False))


@dataclass(frozen=True, slots=True)
class LiveState:
    """What the live screen and voice show besides the frame result."""

    phase: Phase
    setup: SetupStatus | None
    countdown_s: float  # seconds left in the countdown
    paused: bool
    muted: bool
    correction: str | None  # the one correction shown (debounced)
    set_elapsed_s: float
    session_elapsed_s: float
    fps: float
    source_status: str  # "camera disconnected ..." or ""
    target: Target
    target_met: bool
    label: str = ""  # e.g. "set 1 of 2" in a routine
    time_left_s: float | None = None  # timed steps and rests
    instruction: str = ""  # what to do, for steps no analyzer judges


def target_met(verdict: Verdict, target: Target) -> bool:
    """The set's target: reps (on each side if per side) or one hold of `hold_s`."""
    if target.reps:
        if target.per_side:
            return min(verdict.reps_left, verdict.reps_right) >= target.reps
        return verdict.reps_total >= target.reps
    if target.hold_s:
        return verdict.hold_s >= target.hold_s
    return False


class LivePipeline(Pipeline):
    """Estimator -> smoother -> (setup check | analyzer), with the session around it."""

    def __init__(
        self,
        estimator: PoseEstimator,
        analyzer: Exercise,
        setup: SetupCheck | None = None,
        *,
        target: Target | None = None,
        countdown_s: float = 3.0,
        stop_after_target_s: float | None = None,
        source_status: Callable[[], str] = lambda: "",
        label: str = "",
        duration_s: float | None = None,
        instruction: str = "",
        smoother: PoseSmoother | None = None,
    ) -> None:
        super().__init__(estimator, analyzer, smoother)
        self.setup = setup
        self.target = target or analyzer.target
        self.countdown_s = countdown_s
        self.stop_after_target_s = stop_after_target_s
        self.source_status = source_status
        self.label = label
        self.duration_s = duration_s
        self.instruction = instruction
        self.picker = CorrectionPicker()
        self.paused = self.muted = False
        self.quit_requested = self.next_requested = False
        self.phase: Phase = "setup" if setup is not None else "active"
        self.state: LiveState | None = None
        self._verdict = blank_verdict()
        self._countdown_end_s = 0.0
        self._first_t_s: float | None = None
        self._last_t_s: float | None = None
        self._set_elapsed_s = 0.0
        self._fps = 0.0
        self._met_at_s: float | None = None

    # --- keys -------------------------------------------------------------------------
    def handle_key(self, key: int) -> None:
        """space pause, n next exercise, m mute, q/Esc quit."""
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

    # --- the frame loop -----------------------------------------------------------------
    def process(self, frame: Frame) -> FrameResult:
        t = frame.timestamp_s
        self._tick_clock(t)
        pose = self.smoother.update(self.estimator.estimate(frame), t)
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
            self.analyzer.reset()
        if self.phase == "active" and not self.paused:
            self._verdict = self.analyzer.update(pose, t)
        correction = self.picker.update(self._verdict.correction, t)
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
        )
        if self.duration_s is not None and self._set_elapsed_s >= self.duration_s:
            raise StopRequested("time is up")
        return FrameResult(frame, pose, self._verdict)

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
        super().reset()
        self.picker.reset()
        if self.setup is not None:
            self.setup.reset()
