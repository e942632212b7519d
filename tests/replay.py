"""The tests' one replay helper: poses (a cached track, or a list) through the same
assembly a user's run uses (`formcoach.assembly.build`), with the default options but for
those a test names. Only the model is replaced."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from formcoach.assembly import Assembly, RunOptions, Services, build
from formcoach.exercises.summary import Summary
from formcoach.pose.estimators import ReplayEstimator
from formcoach.pose.tracks import Track, TrackSource
from formcoach.report import Report
from formcoach.sources.base import SourceInfo
from formcoach.types import Event, Frame, FrameResult, Pose, RunStats
from formcoach_studio.truth import ClipTruth, read_json
from tests.conftest import ROOT

TRACKS = ROOT / "tests" / "data" / "tracks"
SAMPLE_TRACKS = ROOT / "tests" / "data" / "sample_tracks"
SAMPLES = ROOT / "sample_videos"


class PoseList:
    """Poses by frame index, for ReplayEstimator (None: nobody in that frame)."""

    def __init__(self, poses: Sequence[Pose | None]) -> None:
        self.poses = poses

    def pose(self, index: int) -> Pose | None:
        return self.poses[index]


class Collector:
    """A test's own sink: every frame result (optionally) and the run's events."""

    def __init__(self, keep_results: bool = False) -> None:
        self.keep_results = keep_results
        self.results: list[FrameResult] = []
        self.events: list[Event] = []
        self.stats: RunStats | None = None

    def write(self, result: FrameResult) -> None:
        if self.keep_results:
            self.results.append(result)

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        self.events, self.stats = list(events), stats


@dataclass
class Replayed:
    """What a replay produced: the report (typed and as report.json's fields), events."""

    assembly: Assembly
    typed: Report
    events: list[Event]
    stats: RunStats
    results: list[FrameResult] = field(default_factory=list)

    @property
    def report(self) -> dict[str, Any]:
        return self.typed.to_json()


def load_track(name: str | Path) -> Track:
    """A cached track by clip name (real clips first, then the sample clips) or path."""
    path = Path(name)
    if path.suffix != ".npz":
        path = TRACKS / f"{name}.npz"
        if not path.is_file():
            path = SAMPLE_TRACKS / f"{name}.npz"
    return Track.load(path)


def replay(
    exercise: str,
    track: str | Path | Track,
    *,
    keep_results: bool = False,
    services: Services | None = None,
    **options: Any,
) -> Replayed:
    """Replay a cached track through the assembly of `RunOptions(exercise, **options)`."""
    loaded = track if isinstance(track, Track) else load_track(track)
    source = TrackSource(loaded)
    return _run(exercise, source.info, source, ReplayEstimator(loaded), keep_results, services,
                options)  # fmt: skip


def replay_poses(
    exercise: str,
    poses: Sequence[Pose | None],
    frames: Iterable[Frame],
    *,
    info: SourceInfo | None = None,
    keep_results: bool = False,
    services: Services | None = None,
    **options: Any,
) -> Replayed:
    """Replay hand-made poses (one per frame index) over `frames`."""
    info = info or SourceInfo("poses", 10.0, len(poses), (640, 360))
    return _run(
        exercise, info, frames, ReplayEstimator(PoseList(poses)), keep_results, services, options
    )


def _run(
    exercise: str,
    info: SourceInfo,
    frames: Iterable[Frame],
    estimator: ReplayEstimator,
    keep_results: bool,
    services: Services | None,
    options: dict[str, Any],
) -> Replayed:
    run_options = replace(RunOptions(exercise), **options)
    assembly = build(run_options, info, estimator=estimator, services=services)
    collector = Collector(keep_results)
    assembly.sinks.append(collector)
    stats = assembly.run(frames)
    assert assembly.report.report is not None
    return Replayed(assembly, assembly.report.report, collector.events, stats, collector.results)


def blank_frames(n: int, fps: float, value: int = 120) -> Iterable[Frame]:
    """n lit 2x2 frames at `fps` (they pass the setup check's light test)."""
    image = np.full((2, 2, 3), value, np.uint8)
    return (Frame(image, i / fps, i) for i in range(n))


def analyse_track(name: str, exercise: str, tmp_path: Path | None = None) -> dict[str, Any]:
    """The report of a real clip's cached track, through the default assembly."""
    return replay(exercise, name).report


def analyse_sample(clip: str, exercise: str) -> tuple[dict[str, Any], ClipTruth]:
    """A sample clip's report from its cached track (the default assembly) and its truth."""
    report = replay(exercise, SAMPLE_TRACKS / f"{clip}.npz").report
    return report, read_json(SAMPLES / f"{clip}.truth.json")
