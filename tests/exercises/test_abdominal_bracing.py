"""Abdominal bracing on synthetic poses: the position is held still; what moves is a fault."""

from __future__ import annotations

import pytest

from tests.drive import failing, run
from tests.posefactory_rest import supine_pose


def test_a_still_hold_is_timed():
    ex, _ = run("abdominal_bracing", [(6.0, supine_pose()), (2.0, None)])
    s = ex.summary()
    assert [round(h.duration_s) for h in s.holds] == [6]
    assert s.faults == ()


def test_pelvis_lifting_breaks_the_hold_and_is_a_fault():
    rise = [(0.1, supine_pose(hip_lift_m=0.015 * i)) for i in range(1, 11)]
    ex, v = run(
        "abdominal_bracing", [(4.0, supine_pose()), *rise, (1.5, supine_pose(hip_lift_m=0.15))]
    )
    assert "pelvis_still" in failing(v)
    assert "pelvis_still" in {f.rule for f in ex.summary().faults}
    assert ex.summary().holds[0].duration_s == pytest.approx(4.0, abs=0.5)


def test_straight_legs_or_sitting_up_are_not_the_position():
    legs = ({"raise_deg": 0.0}, {"raise_deg": 0.0})
    _, v = run("abdominal_bracing", [(1.0, supine_pose(legs=legs))])
    assert not v.in_position and "bend your knees" in v.correction
    _, v = run("abdominal_bracing", [(1.0, supine_pose(trunk_lift_deg=60.0))])
    assert not v.in_position and "lie on your back" in v.correction


def test_deep_hold_has_its_own_target():
    ex, _ = run("deep_abdominal_hold", [(31.0, supine_pose())])
    assert ex.target.hold_s == 30.0
    assert ex.summary().holds[0].duration_s >= ex.target.hold_s
