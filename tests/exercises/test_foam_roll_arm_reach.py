"""Foam rolling, arm reach: reps of either arm or both reaching toward the ceiling while
lying along the roller; synthetic poses and the sample clip's track."""

from __future__ import annotations

from tests.drive import run
from tests.posefactory_care import along_roller
from tests.posefactory_rest import supine_pose
from tests.replay import analyse_sample


def reaches(tops, rest=None):
    rest = rest if rest is not None else along_roller()
    return [(1.0, rest)] + [seg for top in tops for seg in ((1.2, top), (1.2, rest))]


def test_either_arm_or_both_reaching_up_count_one_rep_each():
    tops = [along_roller(90.0, 5.0), along_roller(5.0, 170.0), along_roller(95.0, 95.0)]
    ex, v = run("foam_roll_arm_reach", reaches(tops))
    s = ex.summary()
    assert (s.reps_unsided, s.reps_partial, s.reps_left, s.reps_right) == (3, 0, 0, 0)
    assert v.in_position and s.faults == ()


def test_an_arm_raised_halfway_is_a_partial_rep_and_a_twitch_is_nothing():
    ex, _ = run("foam_roll_arm_reach", reaches([along_roller(60.0, 5.0)] * 2))
    assert (ex.summary().reps_unsided, ex.summary().reps_partial) == (0, 2)
    ex, _ = run("foam_roll_arm_reach", reaches([along_roller(25.0, 5.0)] * 2))
    assert (ex.summary().reps_unsided, ex.summary().reps_partial) == (0, 0)


def test_reaching_while_sitting_up_is_not_counted():
    sitting = supine_pose(trunk_lift_deg=80.0)
    ex, v = run("foam_roll_arm_reach", reaches([sitting] * 2, rest=sitting))
    assert not v.in_position and "lie back along the roller" in v.correction
    assert ex.summary().reps_unsided == 0


def test_sample_clip_reaches_are_counted(tmp_path):
    # Truth: 4 reaches, left and right arm in turn, to overhead (~165 deg). Measured (side
    # view): 4 reps, none partial, no fault; also 4/4 on a second rendered clip (seed 7009).
    report, truth = analyse_sample("foam_roll_arm_reach_good_side", "foam_roll_arm_reach")
    assert len(truth.events.reps) == 4
    assert report["reps"]["total"] == 4 and report["reps"]["partial"] == 0
    assert report["faults"] == []
