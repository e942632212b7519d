"""The report.json contract other tools read: every promised field, with its type."""

from __future__ import annotations

import json

from tests.test_pipeline import run_session


def test_report_has_every_contract_field_with_its_type(tmp_path):
    _, report = run_session(tmp_path)
    assert isinstance(report["exercise"], str)
    video = report["video"]
    assert isinstance(video["path"], str)
    assert isinstance(video["duration_s"], float) and isinstance(video["fps"], float)
    assert isinstance(video["frames"], int)
    assert 0.0 <= report["pose_coverage"] <= 1.0
    assert set(report["reps"]) >= {"total", "left", "right", "partial"}
    assert all(isinstance(v, int) for v in report["reps"].values())
    for hold in report["holds"]:
        assert set(hold) >= {"start_s", "end_s", "duration_s", "side"}
        assert hold["side"] in ("left", "right", None)
    assert isinstance(report["hold_total_s"], float)
    for fault in report["faults"]:
        assert set(fault) >= {"rule", "start_s", "end_s", "message"}
    assert report["view"]["detected"] in ("side", "front", "oblique", "unknown")
    assert isinstance(report["view"]["judgeable"], bool)
    assert isinstance(report["view"]["message"], str)
    json.dumps(report)  # plain JSON all the way down
