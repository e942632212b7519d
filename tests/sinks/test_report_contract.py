"""The report.json contract (formcoach/report.py's docstring), checked on every writer:
one exercise offline, --exercise auto (the whole and each part), live --out, eval and the
Python API. Other tools read these fields: they may be added to, never removed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from formcoach.assembly import LiveOptions
from formcoach.cli import main
from formcoach.offline.evaluate import analyse_clip
from formcoach.report import Report
from tests.conftest import ROOT, TRACKS
from tests.replay import replay

NUMBER = (int, float)
# The documented fields and their JSON types (None allowed where the type says so).
TOP = {
    "report_version": int,
    "exercise": str,
    "video": dict,
    "complete": bool,
    "truncated": bool,
    "pose_coverage": NUMBER,
    "reps": dict,
    "holds": list,
    "hold_total_s": NUMBER,
    "faults": list,
    "view": dict,
    "warnings": list,
    "details": dict,
}
VIDEO = {"path": str, "duration_s": NUMBER, "fps": NUMBER, "frames": int, "width": int,
         "height": int}  # fmt: skip
REPS = {"total": int, "left": int, "right": int, "partial": int}
HOLD = {"start_s": NUMBER, "end_s": NUMBER, "duration_s": NUMBER, "side": (str, type(None))}
FAULT = {"rule": str, "start_s": NUMBER, "end_s": NUMBER, "message": str}
VIEW = {"detected": str, "judgeable": bool, "message": str}
TARGET = {"reps": int, "hold_s": NUMBER, "per_side": bool}
SEGMENT = {"number": int, "exercise": str, "start_s": NUMBER, "end_s": NUMBER,
           "report": (str, type(None)), "reps": (int, type(None)),
           "hold_total_s": (*NUMBER, type(None)), "target": (dict, type(None)),
           "details": dict}  # fmt: skip


def _fields(data: dict, spec: dict, where: str) -> None:
    for key, kind in spec.items():
        assert key in data, f"{where}: no {key}"
        assert isinstance(data[key], kind), f"{where}.{key}: {data[key]!r} is not {kind}"


def check_contract(report: dict, where: str, *, auto: bool = False) -> None:
    _fields(report, TOP, where)
    _fields(report["video"], VIDEO, f"{where}.video")
    _fields(report["reps"], REPS, f"{where}.reps")
    _fields(report["view"], VIEW, f"{where}.view")
    for h in report["holds"]:
        _fields(h, HOLD, f"{where}.holds[]")
        assert h["start_s"] <= h["end_s"]
    for f in report["faults"]:
        _fields(f, FAULT, f"{where}.faults[]")
    assert report["hold_total_s"] == pytest.approx(sum(h["duration_s"] for h in report["holds"]))
    assert report["reps"]["total"] >= report["reps"]["left"] + report["reps"]["right"]
    if auto:
        assert report["target"] is None  # each segment has its own
        for s in report["segments"]:
            _fields(s, SEGMENT, f"{where}.segments[]")
    else:
        _fields(report["target"], TARGET, f"{where}.target")
    assert json.loads(json.dumps(report)) == report  # plain JSON values only
    assert Report.from_json(report).to_json() == report  # read back without loss


def test_offline_report_json(tmp_path):
    replay("plank", "plank_02", out_dir=str(tmp_path), video=False)
    check_contract(json.loads((tmp_path / "report.json").read_text()), "offline")


def test_live_out_report_json(tmp_path):
    live = LiveOptions(setup_check=False, window=False, voice=False)
    replay("lunge", "lunge_01", out_dir=str(tmp_path), mode="live", live=live)
    report = json.loads((tmp_path / "report.json").read_text())
    check_contract(report, "live")
    assert report["reps"]["total"] > 0


def test_eval_and_api_reports(tmp_path):
    check_contract(analyse_clip("plank", track=TRACKS / "plank_01.npz"), "eval")
    import formcoach

    clip = ROOT / "sample_videos" / "lunge_good_side.mp4"
    check_contract(formcoach.analyze(clip, exercise="lunge").to_json(), "api")


def test_auto_report_json_and_each_part(tmp_path):
    clip = ROOT / "sample_videos" / "plank_good_side.mp4"
    out = tmp_path / "auto"
    assert main(["analyze", str(clip), "-e", "auto", "-o", str(out), "-q", "--no-video"]) == 0
    report = json.loads((out / "report.json").read_text())
    check_contract(report, "auto", auto=True)
    parts = [s for s in report["segments"] if s["report"]]
    assert parts, report["segments"]
    for segment in parts:
        part = json.loads((out / segment["report"]).read_text())
        check_contract(part, f"auto part {segment['number']}")
        assert segment["target"] == part["target"] and segment["details"] == part["details"]
        assert Path(out / segment["report"]).parent.name.endswith(segment["exercise"])
