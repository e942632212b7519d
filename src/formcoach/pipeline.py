"""The one loop: `run(source, pipeline, sinks)`, shared by live, offline and tests.

Only the source and the sinks differ between uses. Time comes from the frames alone.
Ctrl-C or a sink asking to stop ends the loop cleanly: sinks are always closed with what
was measured, and told whether the input was read to the end.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterable, Sequence
from typing import Protocol

from formcoach.exercises.base import Exercise
from formcoach.exercises.summary import Summary
from formcoach.pose.continuity import BodyContinuity
from formcoach.pose.estimators import PoseEstimator
from formcoach.pose.smoothing import PoseSmoother
from formcoach.types import Event, Frame, FrameResult, Pose, RunStats, Verdict

__all__ = ["INTERRUPTED", "Loop", "Pipeline", "RunStats", "Sink", "Stage", "StopRequested", "run"]

INTERRUPTED = "interrupted (Ctrl-C)"  # the stop reason of a run ended by Ctrl-C

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
    """Estimator -> continuity guard -> smoother -> analyzer for one frame at a time.

    `perceive` (the pose) and `judge` (the verdict) are its two halves, so that a stage
    around it (the live session) can perceive every frame and judge only some."""

    def __init__(
        self,
        estimator: PoseEstimator,
        analyzer: Exercise,
        smoother: PoseSmoother | None = None,
        continuity: BodyContinuity | None = None,
    ) -> None:
        self.estimator = estimator
        self.analyzer = analyzer
        self.smoother = smoother if smoother is not None else PoseSmoother()
        self.continuity = continuity

    def perceive(self, frame: Frame) -> Pose | None:
        pose = self.estimator.estimate(frame)
        if self.continuity is not None:
            jump = self.continuity.update(pose, frame.timestamp_s)
            if jump.restart:
                self.smoother.reset()  # a cut or a new body: nothing to smooth across
            pose = jump.pose
        return self.smoother.update(pose, frame.timestamp_s)

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
        if self.continuity is not None:
            self.continuity.reset()


class Loop:
    """The loop's state, one frame at a time: `step` each frame, `close` once.

    `run` drives it over an iterable; a caller with its own camera loop (the Python API's
    `Coach`) calls `step` itself. Either way the same code counts, feeds the sinks and
    closes them."""

    def __init__(self, stage: Stage, sinks: Sequence[Sink]) -> None:
        self.stage, self.sinks = stage, sinks
        self.frames = self.with_pose = 0
        self.first_t_s = self.last_t_s = 0.0
        self.events: list[Event] = []
        self.closed: RunStats | None = None
        self.kept: list[str] = []  # the sinks' files that exist after closing

    def step(self, frame: Frame) -> FrameResult:
        result = self.stage.process(frame)
        if self.frames == 0:
            self.first_t_s = frame.timestamp_s
        self.frames += 1
        self.with_pose += result.pose is not None
        self.last_t_s = frame.timestamp_s
        self.events.extend(result.verdict.events)
        for sink in self.sinks:
            sink.write(result)
        return result

    def _close(self, sink: Sink, summary: Summary, stats: RunStats) -> None:
        """Close one sink; on a full disk, the partial big outputs (the annotated video)
        are deleted and the sink is tried once more: the small results come first."""
        try:
            sink.close(summary, stats, self.events)
        except OSError as exc:
            if exc.errno != errno.ENOSPC or not self._free_space():
                raise
            sink.close(summary, stats, self.events)

    def _free_space(self) -> bool:
        """Drop every sink's partial big output; True if a file was deleted."""
        drops = [getattr(sink, "drop_partial", None) for sink in self.sinks]
        return any([bool(drop()) for drop in drops if callable(drop)])  # every one dropped

    def close(self, complete: bool, reason: str = "") -> RunStats:
        """Close what is in progress and every sink (even if one of them fails)."""
        if self.closed is not None:
            return self.closed
        self.events.extend(self.stage.finish())
        stats = RunStats(
            self.frames, self.with_pose, self.first_t_s, self.last_t_s, complete, reason
        )
        self.closed = stats
        summary = self.stage.summary()
        # In the order built: the small results first (report.json, then events), so a
        # disk that fills up on the HTML or the video still keeps them. A sink that fails
        # does not stop the others; the first failure is raised once all have closed.
        failure: BaseException | None = None
        for sink in self.sinks:
            try:
                self._close(sink, summary, stats)
            except BaseException as exc:
                failure = failure or exc
            else:
                path = getattr(sink, "path", None)
                self.kept += [str(path)] if path is not None and path.exists() else []
        if failure is not None:
            failure.kept = self.kept  # type: ignore[attr-defined]  # what the message lists
            raise failure
        return stats


def run(source: Iterable[Frame], pipeline: Stage, sinks: Sequence[Sink]) -> RunStats:
    """Feed every frame through the pipeline into the sinks; returns what was seen.

    Whatever stops the loop (end of input, StopRequested, Ctrl-C, a source error), the
    sinks are closed with the summary of everything measured up to that point. Errors
    other than a stop request are re-raised after that.
    """
    loop = Loop(pipeline, sinks)
    complete, reason = False, ""
    error: BaseException | None = None
    try:
        for frame in source:
            loop.step(frame)
        complete = True
    except StopRequested as exc:
        reason = str(exc) or "stopped by the user"
    except KeyboardInterrupt:
        reason = INTERRUPTED
    except Exception as exc:  # closing sinks below keeps what was measured
        reason = f"stopped by an error: {exc}"
        error = exc
    stats = loop.close(complete, reason)
    if error is not None:
        error.kept = loop.kept  # type: ignore[attr-defined]  # the files written all the same
        raise error
    return stats
