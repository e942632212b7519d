"""Foam rolling, rotation: turns of the trunk to each side, counted per side, against the
shoulders' level lying still at the start; synthetic poses and the arm-reach sample track
(a movement that must not count as turns)."""

from __future__ import annotations

from tests.drive import run
from tests.posefactory_care import along_roller
from tests.posefactory_rest import supine_pose
from tests.replay import analyse_sample


def turns(amounts_m, offset_m=0.0):
    rest = along_roller(turn_m=offset_m)
    segs = [(1.5, rest)]
    for m in amounts_m:
        segs += [(1.2, along_roller(turn_m=offset_m + m)), (1.2, rest)]
    return segs


def test_turns_are_counted_per_side():
    # +: the left shoulder goes down, the trunk turns to the left.
    ex, v = run("foam_roll_rotation", turns([0.05, -0.05, 0.05, -0.05, 0.05]))
    s = ex.summary()
    assert (s.reps_left, s.reps_right, s.reps_partial) == (3, 2, 0)
    assert v.in_position and s.faults == ()


def test_turns_are_measured_from_the_level_lying_still():
    # A camera that sees the shoulders 4 cm apart in height lying still: still 2 + 2.
    ex, _ = run("foam_roll_rotation", turns([0.05, -0.05, 0.05, -0.05], offset_m=0.02))
    assert (ex.summary().reps_left, ex.summary().reps_right) == (2, 2)
    assert ex.summary().details["reference_tilt_ratio"] > 0.04


def test_a_small_turn_is_partial_and_a_wobble_is_nothing():
    ex, _ = run("foam_roll_rotation", turns([0.025, -0.025]))
    assert (ex.summary().reps_left, ex.summary().reps_right, ex.summary().reps_partial) == (
        0,
        0,
        2,
    )
    ex, _ = run("foam_roll_rotation", turns([0.01, -0.01]))
    assert ex.summary().reps_partial == 0 and ex.summary().reps_left == 0


def test_a_turn_under_way_is_not_taken_as_the_reference():
    # Seen first mid-turn: asked to lie still; that turn is not counted, the ones after are.
    _, v = run("foam_roll_rotation", [(1.5, along_roller(turn_m=0.05))])
    assert not v.in_position and v.correction == "lie still for a moment, shoulders level"
    segs = [(1.5, along_roller(turn_m=0.05)), *turns([-0.05, 0.05])]
    ex, _ = run("foam_roll_rotation", segs)
    assert (ex.summary().reps_left, ex.summary().reps_right) == (1, 1)


def test_sitting_up_is_not_the_position():
    _, v = run("foam_roll_rotation", [(2.0, supine_pose(trunk_lift_deg=80.0))])
    assert not v.in_position and "lie back along the roller" in v.correction


def test_arm_reaches_are_not_turns(tmp_path):
    # The arm-reach sample (4 one-arm reaches): measured 0 turns, 2 partial (a reaching arm
    # lifts its shoulder in MediaPipe's landmarks, up to ~0.09 leg lengths).
    report, _ = analyse_sample("foam_roll_arm_reach_good_side", "foam_roll_rotation")
    assert report["reps"]["total"] == 0 and report["reps"]["partial"] <= 2
