"""The one loop: `run(source, pipeline, sinks)`, shared by live, offline and tests.

Only the source and the sinks differ between uses. Time comes from the frames alone.
Ctrl-C or a sink asking to stop ends the loop cleanly: sinks are always closed with what
was measured, and told whether the input was read to the end.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from typing import Protocol

from formcoach.estimators import PoseEstimator
from formcoach.exercises.base import Exercise, Summary
from formcoach.smoothing import PoseSmoother
from formcoach.types import Event, Frame, FrameResult, Pose, RunStats, Verdict

__all__ = ["Pipeline", "RunStats", "Sink", "Stage", "StopRequested", "run"]

log = logging.getLogger(__name__)


class StopRequested(Exception):
    """Raised by a sink (the window's quit key) to end the loop early."""


class Sink(Protocol):
    """Receives every frame result, then the summary. Sinks are context managers."""

    def write(self, result: FrameResult) -> None: ...

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None: ...


class Stage(Protocol):
    """What the loop runs: a frame in, its result out; the summary at the end."""

    def process(self, frame: Frame) -> FrameResult: ...

    def finish(self) -> list[Event]: ...

    def summary(self) -> Summary: ...


class Pipeline:
    """Estimator -> smoother -> analyzer for one frame at a time.

    `perceive` (the pose) and `judge` (the verdict) are its two halves, so that a stage
    around it (the live session) can perceive every frame and judge only some."""

    def __init__(
        self,
        estimator: PoseEstimator,
        analyzer: Exercise,
        smoother: PoseSmoother | None = None,
    ) -> None:
        self.estimator = estimator
        self.analyzer = analyzer
        self.smoother = smoother if smoother is not None else PoseSmoother()

    def perceive(self, frame: Frame) -> Pose | None:
        return self.smoother.update(self.estimator.estimate(frame), frame.timestamp_s)

    def judge(self, pose: Pose | None, t_s: float) -> Verdict:
        return self.analyzer.update(pose, t_s)

    def process(self, frame: Frame) -> FrameResult:
        pose = self.perceive(frame)
        return FrameResult(frame, pose, self.judge(pose, frame.timestamp_s))

    def finish(self) -> list[Event]:
        return self.analyzer.finish()

    def summary(self) -> Summary:
        return self.analyzer.summary()

    def reset(self) -> None:
        self.smoother.reset()
        self.analyzer.reset()


def run(source: Iterable[Frame], pipeline: Stage, sinks: Sequence[Sink]) -> RunStats:
    """Feed every frame through the pipeline into the sinks; returns what was seen.

    Whatever stops the loop (end of input, StopRequested, Ctrl-C, a source error), the
    sinks are closed with the summary of everything measured up to that point. Errors
    other than a stop request are re-raised after that.
    """
    frames = with_pose = 0
    first_t = last_t = 0.0
    events: list[Event] = []
    complete, reason = False, ""
    error: BaseException | None = None
    try:
        for frame in source:
            result = pipeline.process(frame)
            if frames == 0:
                first_t = frame.timestamp_s
            frames += 1
            with_pose += result.pose is not None
            last_t = frame.timestamp_s
            events.extend(result.verdict.events)
            for sink in sinks:
                sink.write(result)
        complete = True
    except StopRequested as exc:
        reason = str(exc) or "stopped by the user"
    except KeyboardInterrupt:
        reason = "interrupted (Ctrl-C)"
    except Exception as exc:  # closing sinks below keeps what was measured
        reason = f"stopped by an error: {exc}"
        error = exc
    events.extend(pipeline.finish())
    stats = RunStats(frames, with_pose, first_t, last_t, complete, reason)
    summary = pipeline.summary()
    with ExitStack() as stack:  # close every sink even if one of them fails
        for sink in sinks:
            stack.callback(sink.close, summary, stats, events)
    if error is not None:
        raise error
    return stats
