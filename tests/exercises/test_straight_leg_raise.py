"""Straight-leg raise on synthetic poses: per-side reps, lift height, straight/bent legs."""

from __future__ import annotations

import math

import pytest

from formcoach.exercises.straight_leg_raise import M_PER_IN
from tests.drive import failing, run
from tests.posefactory_rest import SHIN_M, THIGH_M, make_sided_pose, supine_points

LEG_M = THIGH_M + SHIN_M


def deg_for(inches):
    return math.degrees(math.asin(inches * M_PER_IN / LEG_M))


def slr(raise_deg=0.0, lifted="left", bent_lifted=False, both=False):
    lift = {"raise_deg": raise_deg, "bent": bent_lifted}
    other = {"raise_deg": raise_deg} if both else {"bent": True}
    legs = (lift, other) if lifted == "left" else (other, lift)
    near, far = supine_points(legs=legs)
    return make_sided_pose(near, far)


def reps(lifted, inches, n=2, hold_s=5.0):
    return [(1.5, slr(lifted=lifted))] + [
        (hold_s, slr(deg_for(inches), lifted)),
        (1.5, slr(lifted=lifted)),
    ] * n


def test_reps_are_counted_per_side_with_the_hold_time():
    ex, _ = run("straight_leg_raise", reps("left", 9.0) + reps("right", 9.0, n=3))
    s = ex.summary()
    assert (s.reps_left, s.reps_right, s.reps_unsided) == (2, 3, 0)
    assert s.faults == ()
    assert s.details["top_hold_s"] == pytest.approx([5.0] * 5, abs=0.6)


def test_a_lift_under_six_inches_is_partial():
    ex, _ = run("straight_leg_raise", reps("left", 3.5))
    assert (ex.summary().reps_left, ex.summary().reps_partial) == (0, 2)


def test_lifting_too_high_is_a_fault():
    _, v = run("straight_leg_raise", reps("left", 20.0)[:2])
    assert failing(v) == {"lift_too_high"}
    assert "6-12 inches" in v.correction


def test_lift_height_uses_the_leg_length():
    _, v = run("straight_leg_raise", reps("left", 9.0)[:2])
    assert v.signals["lift_in"] == pytest.approx(9.0, abs=1.5)


def test_bent_lifted_leg_is_a_fault():
    near, far = supine_points(legs=({"raise_deg": deg_for(9.0)}, {"bent": True}))
    near["KNEE"] = near["KNEE"] + [0.0, -0.2]  # knee bent upward to ~125 deg
    bent_up = make_sided_pose(near, far)
    _, v = run("straight_leg_raise", [(1.5, slr()), (2.0, bent_up)])
    assert "lifted_leg_straight" in failing(v)


def test_double_leg_lift_is_warned_and_not_counted():
    segs = [(1.5, slr(both=True)), (2.0, slr(30.0, both=True)), (1.5, slr(both=True))] * 2
    ex, _ = run("straight_leg_raise", segs)
    s = ex.summary()
    assert s.reps_left + s.reps_right + s.reps_unsided == 0
    assert "double_leg_lift" in {f.rule for f in s.faults}


def test_both_knees_bent_is_not_the_position():
    near, far = supine_points()
    _, v = run("straight_leg_raise", [(1.0, make_sided_pose(near, far))])
    assert not v.in_position and "straighten one leg" in v.correction
