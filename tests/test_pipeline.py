"""The one loop: an interrupted run still closes every sink with what was measured."""

from __future__ import annotations

import json

import numpy as np
import pytest

from formcoach.pipeline import StopRequested
from formcoach.sources.base import SourceInfo
from formcoach.types import Frame
from tests.posefactory import make_pose, plank_points, standing_points
from tests.replay import replay_poses

FPS = 30.0
BLANK = np.zeros((2, 2, 3), dtype=np.uint8)


def frames(n, interrupt_at=None, exc=KeyboardInterrupt):
    for i in range(n):
        if i == interrupt_at:
            raise exc()
        yield Frame(BLANK, i / FPS, i)


def plank_session():
    return [make_pose(standing_points())] * 30 + [make_pose(plank_points())] * 300


def run_session(tmp_path, interrupt_at=None, exc=KeyboardInterrupt):
    poses = plank_session()
    info = SourceInfo("synthetic", FPS, len(poses), (640, 360))
    replayed = replay_poses(
        "plank",
        poses,
        frames(len(poses), interrupt_at, exc),
        info=info,
        out_dir=str(tmp_path),
        video=False,
        html=False,
    )
    stats = replayed.stats
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
    assert any("camera gone" in w for w in report["warnings"])
