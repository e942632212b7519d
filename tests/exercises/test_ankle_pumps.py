"""Ankle pumps: per-foot counts, pace, legs straight and down, and the sample clip."""

from __future__ import annotations

import pytest

from tests.drive import failing, run
from tests.posefactory_care import ankle_pose, pumps
from tests.posefactory_rest import make_sided_pose, supine_points


def test_alternate_pumps_are_counted_per_foot_with_the_pace():
    ex, _ = run("ankle_pumps", pumps(5))
    s = ex.summary()
    assert (s.reps_left, s.reps_right, s.reps_unsided) == (5, 5, 0)
    assert s.faults == ()
    # One cycle per foot every 2.4 s (24 steps of 0.1 s): 25 pumps a minute.
    assert s.details["pace_per_min"] == pytest.approx(25.0, abs=1.0)
    assert s.details["pace_per_min_by_foot"]["left"] == pytest.approx(25.0, abs=1.0)


def test_one_foot_pumping_counts_that_foot_only():
    segs = [(1.0, ankle_pose())]
    for _ in range(4):
        segs += [(0.6, ankle_pose(20.0, 0.0)), (0.6, ankle_pose(-30.0, 0.0))]
    ex, _ = run("ankle_pumps", [*segs, (1.0, ankle_pose())])
    assert (ex.summary().reps_left, ex.summary().reps_right) == (4, 0)


def test_small_wiggles_are_not_pumps():
    ex, _ = run("ankle_pumps", pumps(4, up_deg=4.0, down_deg=-4.0))
    assert ex.summary().reps_left + ex.summary().reps_right == 0


def test_bent_knees_are_a_fault():
    _, v = run("ankle_pumps", [(2.0, ankle_pose(knee_bent=True))])
    assert failing(v) == {"legs_straight"}
    assert "straighten your legs" in v.correction


def test_sitting_up_is_not_the_position():
    _, v = run("ankle_pumps", [(1.0, ankle_pose(trunk_lift_deg=80.0))])
    assert not v.in_position and "lie on your back" in v.correction


def test_raised_legs_are_a_fault():
    near, far = supine_points(legs=({"raise_deg": 35.0}, {"raise_deg": 35.0}))
    _, v = run("ankle_pumps", [(2.0, make_sided_pose(near, far))])
    assert "legs_down" in failing(v)
