"""The one loop: `run(source, pipeline, sinks)`, shared by live, offline and tests.

Only the source and the sinks differ between uses. Time comes from the frames alone.
Ctrl-C or a sink asking to stop ends the loop cleanly: sinks are always closed with what
was measured, and told whether the input was read to the end.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Protocol

from formcoach.estimators import PoseEstimator
from formcoach.exercises.base import Exercise, Summary
from formcoach.smoothing import PoseSmoother
from formcoach.types import Event, Frame, FrameResult

log = logging.getLogger(__name__)


class StopRequested(Exception):
    """Raised by a sink (the window's quit key) to end the loop early."""


@dataclass(frozen=True, slots=True)
class RunStats:
    frames: int
    frames_with_pose: int
    first_t_s: float
    last_t_s: float
    complete: bool  # the input was read to its end (not stopped or interrupted)
    stop_reason: str = ""

    @property
    def pose_coverage(self) -> float:
        return self.frames_with_pose / self.frames if self.frames else 0.0


class Sink(Protocol):
    """Receives every frame result, then the summary. Sinks are context managers."""

    def write(self, result: FrameResult) -> None: ...

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None: ...


class Pipeline:
    """Estimator -> smoother -> analyzer for one frame at a time."""

    def __init__(
        self, estimator: PoseEstimator, analyzer: Exercise, smoother: PoseSmoother | None = None
    ) -> None:
        self.estimator = estimator
        self.analyzer = analyzer
        self.smoother = smoother if smoother is not None else PoseSmoother()

    def process(self, frame: Frame) -> FrameResult:
        pose = self.estimator.estimate(frame)
        pose = self.smoother.update(pose, frame.timestamp_s)
        verdict = self.analyzer.update(pose, frame.timestamp_s)
        return FrameResult(frame, pose, verdict)

    def reset(self) -> None:
        self.smoother.reset()
        self.analyzer.reset()


def run(source: Iterable[Frame], pipeline: Pipeline, sinks: Sequence[Sink]) -> RunStats:
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
    events.extend(pipeline.analyzer.finish())
    stats = RunStats(frames, with_pose, first_t, last_t, complete, reason)
    summary = pipeline.analyzer.summary()
    with ExitStack() as stack:  # close every sink even if one of them fails
        for sink in sinks:
            stack.callback(sink.close, summary, stats, events)
    if error is not None:
        raise error
    return stats
