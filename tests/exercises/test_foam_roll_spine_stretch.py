"""Foam rolling, resting spine stretch: lying along the roller, arms out, timed as a hold
(synthetic poses only: the renderer has no motion for this stretch)."""

from __future__ import annotations

from tests.drive import run
from tests.posefactory_care import along_roller, arms_out_on_roller
from tests.posefactory_rest import supine_pose


def test_resting_with_arms_out_is_timed():
    ex, v = run("foam_roll_spine_stretch", [(6.0, arms_out_on_roller())])
    assert v.in_position and v.correction is None
    (hold,) = ex.summary().holds
    assert hold.duration_s > 5.0


def test_arms_along_the_body_or_up_at_the_ceiling_are_not_the_stretch():
    for pose in (arms_out_on_roller(20.0), along_roller(90.0, 90.0)):
        ex, v = run("foam_roll_spine_stretch", [(2.0, pose)])
        assert not v.in_position
        assert v.correction == "rest your arms out to the sides, hands on the floor"
        assert ex.summary().holds == ()


def test_a_break_to_move_the_arms_ends_the_hold():
    segs = [(3.0, arms_out_on_roller()), (2.0, along_roller()), (3.0, arms_out_on_roller())]
    ex, _ = run("foam_roll_spine_stretch", segs)
    assert len(ex.summary().holds) == 2


def test_sitting_up_is_not_the_position():
    _, v = run("foam_roll_spine_stretch", [(2.0, supine_pose(trunk_lift_deg=80.0))])
    assert not v.in_position and "lie back along the roller" in v.correction
