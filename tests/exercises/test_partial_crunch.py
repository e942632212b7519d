"""Partial crunch and the avoid list on synthetic poses: one test per rule and fault."""

from __future__ import annotations

import pytest

from formcoach.exercises.avoid_list import AVOID
from tests.drive import failing, run
from tests.posefactory import make_pose
from tests.posefactory_rest import supine_pose, toe_touch_points

BENT = {"bent": True}


def crunches(n, top, rest=None):
    rest = rest if rest is not None else supine_pose()
    return [(1.5, rest)] + [(1.2, top), (1.5, rest)] * n


def test_crunches_are_counted():
    ex, _ = run("partial_crunch", crunches(3, supine_pose(trunk_lift_deg=25.0)))
    s = ex.summary()
    assert (s.reps_unsided, s.reps_partial) == (3, 0)
    assert s.faults == ()


def test_a_small_lift_is_partial_and_jitter_is_nothing():
    ex, _ = run("partial_crunch", crunches(2, supine_pose(trunk_lift_deg=9.0)))
    assert (ex.summary().reps_unsided, ex.summary().reps_partial) == (0, 2)
    ex, _ = run("partial_crunch", crunches(2, supine_pose(trunk_lift_deg=3.0)))
    assert (ex.summary().reps_unsided, ex.summary().reps_partial) == (0, 0)


def test_rise_is_relative_to_the_resting_angle():
    # A camera that sees the flat back at 15 deg: a crunch to 40 deg is still one rep.
    ex, _ = run(
        "partial_crunch",
        crunches(2, supine_pose(trunk_lift_deg=40.0), rest=supine_pose(trunk_lift_deg=15.0)),
    )
    assert ex.summary().reps_unsided == 2


def test_full_situp_is_warned_and_not_counted():
    ex, v = run("partial_crunch", crunches(2, supine_pose(trunk_lift_deg=85.0))[:2])
    assert failing(v) == {"full_situp"}
    assert AVOID["full_situp"].alternative in v.correction
    ex, _ = run("partial_crunch", crunches(2, supine_pose(trunk_lift_deg=85.0)))
    s = ex.summary()
    assert s.reps_unsided == 0
    assert [f.rule for f in s.faults] == ["full_situp", "full_situp"]
    assert any(e.data.get("reason") == "beyond range" for e in ex.counter.events)


def test_feet_lifting_is_a_fault():
    top = supine_pose(trunk_lift_deg=25.0, legs=({"bent": True, "feet_lift_m": 0.12},) * 2)
    _, v = run("partial_crunch", crunches(1, top)[:2])
    assert failing(v) == {"feet_lifting"}
    assert "feet flat" in v.correction


def test_hips_lifting_is_a_fault():
    # Raised over a second, like a bridge (a jump in one frame would look like a camera cut).
    rise = [(0.1, supine_pose(hip_lift_m=0.02 * i)) for i in range(1, 11)]
    ex, v = run("partial_crunch", [(3.0, supine_pose()), *rise, (1.5, supine_pose(hip_lift_m=0.2))])
    assert failing(v) == {"hips_lifting"}
    assert [f.rule for f in ex.summary().faults] == ["hips_lifting"]


def test_straight_legs_are_not_the_crunch_position():
    legs = ({"raise_deg": 0.0}, {"raise_deg": 0.0})
    _, v = run("partial_crunch", [(1.0, supine_pose(legs=legs))])
    assert not v.in_position and "bend your knees" in v.correction


def test_front_view_is_not_judged():
    _, v = run("partial_crunch", [(2.0, supine_pose(view="front", trunk_lift_deg=25.0))])
    assert not v.view.judgeable and v.checks == ()


@pytest.mark.parametrize(
    ("exercise", "pose", "rule"),
    [
        ("avoid_list", supine_pose(trunk_lift_deg=85.0), "full_situp"),
        ("full_situp", supine_pose(trunk_lift_deg=85.0), "full_situp"),
        (
            "avoid_list",
            supine_pose(legs=({"raise_deg": 45.0}, {"raise_deg": 45.0})),
            "double_leg_lift",
        ),
        (
            "double_leg_lift",
            supine_pose(legs=({"raise_deg": 45.0}, {"raise_deg": 45.0})),
            "double_leg_lift",
        ),
        ("avoid_list", make_pose(toe_touch_points()), "toe_touch"),
        ("toe_touch", make_pose(toe_touch_points()), "toe_touch"),
    ],
)
def test_avoid_list_warns_with_reason_and_alternative(exercise, pose, rule):
    ex, _ = run(exercise, [(2.0, supine_pose()), (2.0, pose), (2.0, supine_pose())])
    s = ex.summary()
    assert [f.rule for f in s.faults] == [rule]
    assert AVOID[rule].reason in s.faults[0].message
    assert AVOID[rule].alternative in s.faults[0].message
    assert s.details == {"avoid_seen": {rule: 1}}
    assert ex.kind == "warning" and ex.counter is None


@pytest.mark.parametrize(
    "pose",
    [
        supine_pose(trunk_lift_deg=30.0),  # a partial crunch
        supine_pose(legs=({"raise_deg": 15.0}, {"bent": True})),  # one straight leg
        make_pose(toe_touch_points(bend_deg=20.0)),  # standing, slight lean
    ],
)
def test_safe_movements_are_not_on_the_avoid_list(pose):
    ex, _ = run("avoid_list", [(2.0, supine_pose()), (3.0, pose)])
    assert ex.summary().faults == ()


def test_one_movement_watchers_ignore_the_others():
    ex, _ = run("toe_touch", [(3.0, supine_pose(trunk_lift_deg=85.0))])
    assert ex.summary().faults == ()
