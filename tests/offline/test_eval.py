"""`formcoach eval`: the metrics on hand-made cases, the manifest converter on the real
MANIFEST.md, and the command on cached tracks."""

from __future__ import annotations

import json
import math

import pytest

from formcoach.cli import main
from formcoach.offline import truthtable
from formcoach.offline.clip_manifest import parse_manifest
from formcoach.offline.evaluate import FaultScore, Prediction, score, score_faults
from formcoach.offline.truth_file import ClipTruth, load_truth, save_truth
from tests.conftest import SHARED_CLIPS


def fault(rule, start, end):
    return {"rule": rule, "start_s": start, "end_s": end}


def test_rep_mae_and_off_by_one():
    pairs = [
        (ClipTruth("a.mp4", "lunge", reps=8), Prediction("a.mp4", 8, 0.0, [])),
        (ClipTruth("b.mp4", "lunge", reps=10), Prediction("b.mp4", 12, 0.0, [])),
        (ClipTruth("c.mp4", "lunge", reps=4), Prediction("c.mp4", 3, 0.0, [])),
        (ClipTruth("d.mp4", "lunge", reps=None), Prediction("d.mp4", 30, 0.0, [])),
    ]
    s = score("lunge", pairs)
    assert s.clips == 4 and s.rep_clips == 3
    assert s.rep_mae == pytest.approx((0 + 0.2 + 0.25) / 3)
    assert s.off_by_one == pytest.approx(2 / 3)
    assert math.isnan(s.hold_abs_error_s) and s.hold_clips == 0


def test_hold_error_uses_total_held_time():
    pairs = [
        (ClipTruth("a", "plank", holds=[(1.0, 11.0)]), Prediction("a", 0, 9.0, [])),
        (ClipTruth("b", "plank", holds=[(0.0, 5.0), (10.0, 15.0)]), Prediction("b", 0, 13.0, [])),
        (ClipTruth("c", "plank", holds=None), Prediction("c", 0, 99.0, [])),
    ]
    s = score("plank", pairs)
    assert s.hold_abs_error_s == pytest.approx((1.0 + 3.0) / 2) and s.hold_clips == 2


def test_fault_intervals_match_one_to_one_by_overlap():
    scores: dict[str, FaultScore] = {}
    truth = [fault("sag", 2.0, 5.0), fault("sag", 10.0, 12.0), fault("head", 0.0, 1.0)]
    predicted = [
        fault("sag", 4.0, 6.0),  # matches the first sag
        fault("sag", 4.5, 4.9),  # same true interval again: a false positive
        fault("sag", 20.0, 21.0),  # nothing true there
        fault("pike", 1.0, 2.0),  # a rule never true
    ]
    score_faults(truth, predicted, scores)
    assert (scores["sag"].tp, scores["sag"].fp, scores["sag"].fn) == (1, 2, 1)
    assert scores["sag"].precision == pytest.approx(1 / 3) and scores["sag"].recall == 0.5
    assert (scores["head"].tp, scores["head"].fn) == (0, 1) and scores["head"].recall == 0.0
    assert math.isnan(scores["head"].precision)
    assert scores["pike"].precision == 0.0 and math.isnan(scores["pike"].recall)


def test_clips_with_unknown_faults_are_left_out_of_fault_scores():
    pairs = [
        (ClipTruth("a", "plank", faults=None), Prediction("a", 0, 0.0, [fault("sag", 1, 2)])),
        (ClipTruth("b", "plank", faults=[]), Prediction("b", 0, 0.0, [fault("sag", 1, 2)])),
    ]
    s = score("plank", pairs)
    assert s.fault_clips == 1 and (s.faults["sag"].tp, s.faults["sag"].fp) == (0, 1)


def test_manifest_rows_parse_only_clear_statements():
    header = "| file | exercise | ground truth (reps / holds / faults / notes) | GT confidence |"
    table = "\n".join(
        [
            header,
            "|---|---|---|---|",
            "| lunge_01.mp4 | lunge | Then 8 COMPLETE forward lunges. Faults: none. | high |",
            "| plank_01.mp4 | plank | HOLD forearm plank ~10.5 s to ~20.3 s (~10 s). "
            "Faults: none seen. | high |",
            "| wall_sit_01.mp4 | wall sit | HOLD wall sit for the whole clip 0-8.9 s. | high |",
            "| crunch_01.mp4 | crunch | Shot 1: 4 reps. Total ~13-14. Faults: none. | low |",
        ]
    )
    rows = {r.clip: r for r in parse_manifest("intro text\n\n" + table)}
    assert rows["lunge_01.mp4"].reps == 8 and rows["lunge_01.mp4"].faults == []
    assert rows["lunge_01.mp4"].exercise == "lunge"
    assert rows["plank_01.mp4"].holds == [(10.5, 20.3)] and rows["plank_01.mp4"].reps is None
    assert rows["wall_sit_01.mp4"].holds == [(0.0, 8.9)] and rows["wall_sit_01.mp4"].faults is None
    assert rows["wall_sit_01.mp4"].exercise == "wall_sit"
    crunch = rows["crunch_01.mp4"]
    assert crunch.reps is None and any("reps not parsed" in n for n in crunch.notes)


def test_converter_on_the_real_manifest(tmp_path, capsys):
    manifest = SHARED_CLIPS / "MANIFEST.md"
    if not manifest.is_file():
        pytest.skip(f"{manifest} is not available")
    out = tmp_path / "truth.json"
    assert main(["eval", "convert-manifest", str(manifest), "-o", str(out)]) == 0
    rows, clips_dir = load_truth(out)
    assert clips_dir == SHARED_CLIPS.resolve()
    by = {r.clip: r for r in rows}
    assert len(rows) == 26  # every row kept, parsed or not
    assert by["lunge_01.mp4"].reps == 8 and by["lunge_02.mp4"].reps == 6
    assert by["plank_04.mp4"].holds == [(8.5, 40.0)]
    assert by["side_plank_02.mp4"].holds == [(23.0, 32.5)]
    assert by["plank_02.mp4"].holds == [(0.0, 10.6)] and by["plank_02.mp4"].faults == []
    assert by["glute_bridge_01.mp4"].reps is None and by["glute_bridge_01.mp4"].notes
    assert by["knee_rolls_01.mp4"].reps == 9  # "~9 rolls alternating sides"
    assert by["crunch_01.mp4"].exercise == "partial_crunch"
    # A lying double straight-leg raise and scissors are the avoid list's double leg lift.
    assert by["leg_raise_01.mp4"].exercise == "double_leg_lift"
    assert by["leg_raise_03.mp4"].exercise == "double_leg_lift"
    assert by["glute_bridge_01.mp4"].exercise == "glute_bridge"
    assert "glute_bridge_01.mp4: reps not parsed" in capsys.readouterr().out
    # The rows added later: "10 COMPLETE reps", "4 ROLLS", the first of two takes' HOLD.
    assert by["lunge_07.mp4"].reps == 10 and by["knee_rolls_03.mp4"].reps == 4
    assert by["plank_19.mp4"].holds == [(0.8, 5.9)]
    assert by["plank_21.mp4"].holds == [(0.0, 12.4)]
    assert by["wall_sit_04.mp4"].holds == [(0.0, 15.2)]
    # "8 COMPLETE full sit-ups": an avoid-list movement, so none may be counted.
    assert by["full_situp_01.mp4"].exercise == "full_situp"
    assert by["full_situp_01.mp4"].reps == 0


def test_eval_replays_tracks_and_lists_exercises_without_analyzer(tmp_path, capsys):
    truth = tmp_path / "truth.json"
    save_truth(
        [
            ClipTruth("plank_02.mp4", "plank", holds=[(0.0, 10.6)], faults=[]),
            ClipTruth("plank_01.mp4", "plank", holds=[(10.5, 20.3)], faults=[]),
            ClipTruth("yoga_01.mp4", "yoga_flow_not_an_exercise", reps=3),
        ],
        truth,
        None,
    )
    assert main(["eval", str(truth), "--replay"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("| exercise | clips | rep MAE | within +/-1 | hold abs error (s)")
    plank = next(line for line in lines if line.startswith("| plank |"))
    cells = [c.strip() for c in plank.strip("|").split("|")]
    assert cells[1] == "2" and cells[2] == "- (n=0)"
    hold_error = float(cells[4].split()[0])
    assert 0.0 <= hold_error <= 1.5  # the foundation's hold tolerance
    assert "none true, none found (n=2)" in cells[5]
    assert "| yoga_flow_not_an_exercise | - | no analyzer yet |" in out
    assert json.loads(truth.read_text())["truth_version"] == 1


# --- truth.tsv: the corpus's firm facts ---------------------------------------------------


def _report(reps=0, holds=(), faults=(), judgeable=True):
    return {
        "reps": {"total": reps},
        "holds": [{"start_s": s, "end_s": e, "duration_s": e - s} for s, e in holds],
        "hold_total_s": sum(e - s for s, e in holds),
        "faults": [{"rule": r, "start_s": s, "end_s": e, "message": m} for r, s, e, m in faults],
        "view": {"judgeable": judgeable},
    }


TABLE_TEXT = "\n".join(
    [
        "a.mp4\tlunge\treps\t8-9",
        "b.mp4\tlunge\treps\t6\t0",
        "# a comment line",
        "c.mp4\tplank\thold\t9.8\t1.0",
        "c.mp4\tplank\tholdtotal\t12.0\t1.5",
        "c.mp4\tplank\tnofault\t.\t1.5",
        "d.mp4\tplank\tfault\t(sag|dropping)\t0.5-4.0",
        "e.mp4\tplank\tjudgeable\tfalse",
        "",
    ]
)


def test_truth_table_parses_every_kind():
    checks = truthtable.parse(TABLE_TEXT)
    assert [c.kind for c in checks] == [
        "reps", "reps", "hold", "holdtotal", "nofault", "fault", "judgeable"
    ]  # fmt: skip
    assert checks[0].stem == "a" and checks[0].value == "8-9" and checks[0].tol == ""
    assert checks[2].line == 4 and checks[2].describe() == "hold 9.8 +/- 1.0 s"


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("a.mp4\tlunge\trepz\t8", "unknown kind 'repz'"),
        ("a.mp4\tlunge\treps\teight\t1", "bad reps check"),
        ("a.mp4\tplank\tfault\t(sag\t1-2", "bad fault check"),
        ("a.mp4\tplank", "expected clip, exercise, kind"),
    ],
)
def test_truth_table_errors_name_the_line(line, words):
    with pytest.raises(truthtable.TruthTableError, match=r"t\.tsv:2") as info:
        truthtable.parse("a.mp4\tplank\tjudgeable\tfalse\n" + line, "t.tsv")
    assert words in str(info.value)


def _judged(line, report):
    (check,) = truthtable.parse(line)
    return truthtable.judge(check, report).passed


def test_truth_table_judges_reps_by_range_and_tolerance():
    assert _judged("a\tlunge\treps\t8-9", _report(reps=9))
    assert not _judged("a\tlunge\treps\t8-9", _report(reps=7))
    assert _judged("a\tlunge\treps\t10\t1", _report(reps=11))
    assert not _judged("a\tlunge\treps\t10\t1", _report(reps=8))


def test_truth_table_judges_the_longest_hold_and_the_total():
    two = _report(holds=[(0.0, 5.0), (7.0, 12.5)])
    assert _judged("a\tplank\thold\t5.4\t1.0", two)  # the longest is 5.5 s
    assert not _judged("a\tplank\thold\t10.5\t1.0", two)
    assert _judged("a\tplank\tholdtotal\t10.5\t1.5", two)  # 10.5 s together


def test_truth_table_judges_faults_by_name_overlap_and_length():
    sag = _report(faults=[("hips_sagging", 4.6, 6.0, "lift your hips")])
    assert _judged("a\tplank\tfault\t(sag|dropping)\t0.5-4.0", sag)  # within the 1 s margin
    assert not _judged("a\tplank\tfault\t(sag|dropping)\t0.5-3.0", sag)
    assert not _judged("a\tplank\tfault\tpike\t4.0-6.0", sag)  # another fault
    by_message = _report(faults=[("full_situp", 2.0, 3.0, "a full sit-up strains")])
    assert _judged("a\tfull_situp\tfault\t(sit-up|situp)\t1-29", by_message)
    assert _judged("a\tplank\tnofault\t.\t1.5", sag)  # 1.4 s is under 1.5 s
    assert not _judged("a\tplank\tnofault\t.\t1.0", sag)
    assert _judged("a\tplank\tjudgeable\tfalse", _report(judgeable=False))
    assert not _judged("a\tplank\tjudgeable\tfalse", _report(judgeable=True))


def test_eval_scores_a_truth_table_on_cached_tracks(tmp_path, capsys):
    table = tmp_path / "truth.tsv"
    table.write_text(
        "plank_02.mp4\tplank\thold\t10.6\t1.0\n"
        "plank_02.mp4\tplank\tjudgeable\tfalse\n"  # false on purpose: plank_02 is judgeable
        "catcow.mp4\tcat_cow\treps\t8-12\n"
    )
    assert main(["eval", str(table), "--replay"]) == 0
    out = capsys.readouterr().out
    assert "| plank_02.mp4 | plank | hold 10.6 +/- 1.0 s | met |" in out
    assert "| plank_02.mp4 | plank | judgeable false | MISSED | judgeable true |" in out
    assert "| catcow.mp4 | cat_cow | reps 8-12 | not judged | no analyzer" in out
    assert "1 of 2 checks met (1 not judged)" in out
