"""Real clips for the back-care program against ../shared/clips/MANIFEST.md (cached tracks).

Expectations come from the manifest, with tolerances that follow its stated confidence;
the firm counts of truth.tsv (crunch totals among them) are checked in test_truth_table.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from formcoach.types import Event
from tests.replay import replay


def analyse(name: str, exercise: str, tmp_path: Path | None = None) -> tuple[dict, list[Event]]:
    replayed = replay(exercise, name)
    return replayed.report, replayed.events


def reps_between(events: list[Event], start_s: float, end_s: float) -> int:
    return sum(1 for e in events if e.kind == "rep" and start_s <= e.data["peak_s"] < end_s)


def test_crunch_01_shot_1_has_four_reps(tmp_path):
    # Manifest, high confidence: 4 reps in 0-12.1 s, tops at ~1.2, 3.8, 7.0, 9.8 s.
    report, events = analyse("crunch_01", "partial_crunch", tmp_path)
    assert reps_between(events, 0.0, 12.1) == 4
    peaks = [e.data["peak_s"] for e in events if e.kind == "rep" and e.data["peak_s"] < 12.1]
    assert peaks == pytest.approx([1.2, 3.8, 7.0, 9.8], abs=0.6)
    # Correct-form demo: no fault, no full sit-up.
    assert report["faults"] == []


# The manifest's later shots (medium confidence for shot 2, low for 3 and 4): "~4", "~3-4"
# and "~2" reps. "~" is read as one rep either way (the truth table's 11-15 for the total
# says the same); the total itself is checked in test_truth_table.py.
@pytest.mark.parametrize(
    ("start_s", "end_s", "low", "high"),
    [
        (12.2, 22.8, 3, 5),  # shot 2, side view: ~4
        (23.0, 31.0, 2, 5),  # shot 3, high oblique: ~3-4
        (31.5, 38.5, 1, 3),  # shot 4, slow demo with arrow graphics: ~2
    ],
)
def test_crunch_01_later_shots(start_s, end_s, low, high, tmp_path):
    _, events = analyse("crunch_01", "partial_crunch", tmp_path)
    assert low <= reps_between(events, start_s, end_s) <= high


@pytest.mark.parametrize("name", ["glute_bridge_01", "knee_to_chest_01"])
def test_supine_distractors_raise_faults_for_the_crunch(name, tmp_path):
    # A bridge lifts the hips and the feet shift; the knee-to-chest stretch lifts a foot:
    # neither is a clean crunch, so faults are reported.
    report, _ = analyse(name, "partial_crunch", tmp_path)
    rules = {f["rule"] for f in report["faults"]}
    assert rules & {"feet_lifting", "hips_lifting"}


@pytest.mark.parametrize(
    ("name", "exercise", "seen"),
    [
        # leg_raise_01 is a double straight-leg raise: warned through the montage.
        ("leg_raise_01", "avoid_list", {"double_leg_lift"}),
        ("leg_raise_01", "double_leg_lift", {"double_leg_lift"}),
        # Scissors keep both legs up: the same load on the lower back.
        ("leg_raise_03", "avoid_list", {"double_leg_lift"}),
        # Safe exercises and set-up movements (kneeling, lunging) are not warned.
        ("crunch_01", "avoid_list", set()),
        ("glute_bridge_01", "avoid_list", set()),
        ("knee_to_chest_01", "avoid_list", set()),
        ("lunge_01", "avoid_list", set()),
        ("plank_01", "avoid_list", set()),
        ("plank_04", "avoid_list", set()),
        ("wall_sit_01", "avoid_list", set()),
    ],
)
def test_avoid_list_on_real_clips(name, exercise, seen, tmp_path):
    report, _ = analyse(name, exercise, tmp_path)
    assert {f["rule"] for f in report["faults"]} == seen
    assert set(report["details"]["avoid_seen"]) == seen
    assert report["reps"]["total"] == 0  # never counted
    for fault in report["faults"]:
        assert "instead" in fault["message"]


def test_leg_raise_01_is_warned_for_most_of_its_length(tmp_path):
    report, _ = analyse("leg_raise_01", "avoid_list", tmp_path)
    warned = sum(f["end_s"] - f["start_s"] for f in report["faults"])
    assert warned >= 0.75 * report["video"]["duration_s"]


def test_leg_raise_01_double_lift_is_not_a_straight_leg_raise(tmp_path):
    # Manifest: ~6 double straight-leg raises (avoid list): warned, none counted.
    report, _ = analyse("leg_raise_01", "straight_leg_raise", tmp_path)
    assert report["reps"]["total"] == 0
    assert "double_leg_lift" in {f["rule"] for f in report["faults"]}


@pytest.mark.parametrize("name", ["crunch_01", "glute_bridge_01"])
def test_bent_knee_exercises_are_not_straight_leg_raises(name, tmp_path):
    report, _ = analyse(name, "straight_leg_raise", tmp_path)
    assert report["reps"]["total"] == 0
    assert report["faults"] == []
