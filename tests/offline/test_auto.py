"""`analyze --exercise auto` on a recording of two exercises made from the sample clips."""

from __future__ import annotations

import json

import pytest

from formcoach.cli import main
from tests.composites import one_after_another


# 12 s of the model: the default tier checks the same parts on the cached tracks
# (tests/coach/test_auto_runner.py, offline against live) and `analyze -e auto` on a real
# clip (tests/sinks/test_report_contract.py).
@pytest.mark.slow
def test_a_routine_is_split_and_each_part_analysed(tmp_path, capsys):
    video = one_after_another(["plank_good_side", "lunge_good_side"], tmp_path / "routine.mp4")
    out = tmp_path / "out"
    assert main(["analyze", str(video), "-e", "auto", "-o", str(out), "-q", "--no-video"]) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["exercise"] == "auto"
    exercises = [s["exercise"] for s in report["segments"]]
    assert exercises == ["plank", "lunge"]
    plank, lunge = report["segments"]
    # plank_good_side is 9.3 s long: the boundary falls near it (recognition window 2.5 s).
    assert abs(lunge["start_s"] - 9.3) <= 2.5
    # Each part's own report, as from `--exercise NAME` (sample truth: one ~5.5 s hold,
    # then 4 lunges; its golden lists the first lunge as a known miss: 3 counted).
    plank_report = json.loads((out / plank["report"]).read_text())
    assert plank_report["exercise"] == "plank" and len(plank_report["holds"]) == 1
    assert plank_report["hold_total_s"] >= 4.0
    assert report["hold_total_s"] == plank_report["hold_total_s"]
    assert {h["exercise"] for h in report["holds"]} == {"plank"}
    assert 3 <= lunge["reps"] <= 4
    assert report["reps"]["total"] == lunge["reps"]
    assert (out / lunge["report"]).parent.name == "02_lunge"
    assert (out / "segments" / "02_lunge" / "events.jsonl").is_file()


def test_a_not_sure_part_is_listed_with_what_it_looked_like_and_not_analysed():
    from formcoach.report import VideoMeta
    from formcoach.report_combine import Part, combine_segments
    from formcoach.switching import NOT_SURE

    unsure = Part(1, NOT_SURE, 0.1, 8.0, None, candidates=("knee_rolls", "abdominal_bracing"))
    report = combine_segments([unsure], VideoMeta("v.mp4", 8.0, 25.0, 200, 640, 360), 1.0, True)
    data = report.to_json()
    (segment,) = data["segments"]
    assert segment["exercise"] == NOT_SURE and segment["report"] is None
    assert data["reps"]["total"] == 0 and data["holds"] == []
    assert (
        "not sure which exercise at 0.1-8.0 s (knee_rolls or abdominal_bracing): not analysed;"
        " analyse it with --exercise NAME" in data["warnings"]
    )
