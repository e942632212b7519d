"""The one loop: an interrupted run still closes every sink with what was measured."""

from __future__ import annotations

import json

import numpy as np
import pytest

from formcoach.estimators import ReplayEstimator
from formcoach.exercises import create
from formcoach.pipeline import Pipeline, StopRequested, run
from formcoach.sinks import EventsSink, ReportSink
from formcoach.sources import SourceInfo
from formcoach.types import Frame
from tests.posefactory import make_pose, plank_points, standing_points

FPS = 30.0
BLANK = np.zeros((2, 2, 3), dtype=np.uint8)


class PoseList:
    """A replayable "track": a pose (or None) per frame index."""

    def __init__(self, poses):
        self.poses = poses

    def pose(self, index):
        return self.poses[index]


def frames(n, interrupt_at=None, exc=KeyboardInterrupt):
    for i in range(n):
        if i == interrupt_at:
            raise exc()
        yield Frame(BLANK, i / FPS, i)


def plank_session():
    return [make_pose(standing_points())] * 30 + [make_pose(plank_points())] * 300


def run_session(tmp_path, interrupt_at=None, exc=KeyboardInterrupt):
    poses = plank_session()
    exercise = create("plank")
    info = SourceInfo("synthetic", FPS, len(poses), (640, 360))
    report = ReportSink(tmp_path / "report.json", exercise, info)
    sinks = [report, EventsSink(tmp_path / "events.jsonl")]
    stats = run(
        frames(len(poses), interrupt_at, exc),
        Pipeline(ReplayEstimator(PoseList(poses)), exercise),
        sinks,
    )
    return stats, json.loads((tmp_path / "report.json").read_text())


def test_complete_run_reports_the_hold(tmp_path):
    stats, report = run_session(tmp_path)
    assert stats.complete and report["complete"] is True
    assert report["hold_total_s"] == pytest.approx(10.0, abs=0.1)
    assert report["pose_coverage"] == 1.0
    events = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert [e["kind"] for e in events] == ["hold_start", "hold_end"]


@pytest.mark.parametrize("exc", [KeyboardInterrupt, StopRequested])
def test_interrupted_run_keeps_what_was_measured(tmp_path, exc):
    stats, report = run_session(tmp_path, interrupt_at=180, exc=exc)
    assert not stats.complete
    assert report["complete"] is False
    assert any(w.startswith("incomplete") for w in report["warnings"])
    # 30 frames standing, then 150 frames of plank before the interruption: a 5 s hold.
    assert report["hold_total_s"] == pytest.approx(5.0, abs=0.1)
    events = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert events[-1]["kind"] == "hold_end"


def test_a_failing_source_still_writes_the_report_then_raises(tmp_path):
    with pytest.raises(OSError, match="camera gone"):
        run_session(tmp_path, interrupt_at=100, exc=lambda: OSError("camera gone"))
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["complete"] is False
    assert "camera gone" in report["warnings"][0]
