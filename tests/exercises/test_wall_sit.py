"""Wall sit rules on synthetic 3D poses: one test per rule and fault, views, hold sequences."""

from __future__ import annotations

import pytest

from formcoach.exercises import create
from formcoach.exercises.wall_sit import WallSitConfig
from tests.posefactory_holds import (
    WALL_SIT_LATERAL,
    kneeling_points,
    make_pose_3d,
    standing_points,
    wall_sit_points,
)

FPS = 30.0
SIDE, OBLIQUE, FRONT = 0.0, 40.0, 90.0


def pose(points, yaw=SIDE, **kw):
    return make_pose_3d(points, yaw, WALL_SIT_LATERAL, **kw)


def verdict_for(points, yaw=SIDE, frames=40, **kw):
    sit = create("wall_sit")
    p = pose(points, yaw, **kw)
    for i in range(frames):
        verdict = sit.update(p, i / FPS)
    return verdict


def failing(verdict):
    return {c.rule for c in verdict.checks if c.ok is False}


@pytest.mark.parametrize("yaw", [SIDE, OBLIQUE])
def test_good_wall_sit_passes_every_check(yaw):
    v = verdict_for(wall_sit_points(), yaw)
    assert v.view.judgeable and v.view.message == ""
    assert v.in_position
    assert [c.rule for c in v.checks] == [
        "position",
        "thighs_parallel",
        "knees_over_ankles",
        "back_on_wall",
    ]
    assert all(c.ok for c in v.checks)
    assert v.signals["knee_deg"] == pytest.approx(90.0, abs=0.5)
    assert v.signals["thigh_above_parallel_deg"] == pytest.approx(0.0, abs=0.5)


def test_thighs_above_parallel_say_go_lower():
    v = verdict_for(wall_sit_points(thigh_deg=30.0))
    assert v.in_position
    assert failing(v) == {"thighs_parallel"}
    assert v.correction == "go lower: thighs parallel to the floor"


def test_thigh_limit_is_the_configured_one():
    limit = WallSitConfig().max_thigh_above_parallel_deg
    assert failing(verdict_for(wall_sit_points(thigh_deg=limit - 1))) == set()
    assert failing(verdict_for(wall_sit_points(thigh_deg=limit + 1))) == {"thighs_parallel"}


def test_below_parallel_is_allowed():
    # The guide: lower until the thighs are *at least* parallel.
    assert failing(verdict_for(wall_sit_points(thigh_deg=-10.0))) == set()


@pytest.mark.parametrize(
    ("shin", "word"), [(25.0, "walk your feet forward"), (-25.0, "step your feet back")]
)
def test_knees_over_ankles_carries_its_direction(shin, word):
    v = verdict_for(wall_sit_points(shin_deg=shin))
    assert failing(v) == {"knees_over_ankles"}
    assert word in v.correction


def test_back_off_the_wall():
    v = verdict_for(wall_sit_points(trunk_lean_deg=30.0))
    assert failing(v) == {"back_on_wall"}
    assert v.correction == "press your back flat against the wall"


def test_correction_is_the_highest_priority_fault():
    v = verdict_for(wall_sit_points(thigh_deg=35.0, trunk_lean_deg=30.0))
    assert failing(v) == {"thighs_parallel", "back_on_wall"}
    assert v.correction.startswith("go lower")


@pytest.mark.parametrize(
    ("points", "message"),
    [
        (standing_points(), "slide down the wall"),
        (wall_sit_points(thigh_deg=60.0), "slide down the wall"),
        (kneeling_points(), "stand with your back against the wall"),
    ],
)
def test_not_a_wall_sit(points, message):
    v = verdict_for(points)
    assert not v.in_position
    assert len(v.checks) == 1 and v.checks[0].ok is False
    assert message in v.checks[0].message


def test_front_view_times_the_position_but_cannot_judge_depth():
    v = verdict_for(wall_sit_points(thigh_deg=18.0, shin_deg=30.0), FRONT)
    assert v.view.detected == "front"
    assert v.view.judgeable  # the hold is timed from the knee bend ...
    assert "knee bend" in v.view.message  # ... and the report says what is not judged
    assert v.in_position
    assert {c.rule: c.ok for c in v.checks} == {
        "position": True,
        "thighs_parallel": None,
        "knees_over_ankles": None,
        "back_on_wall": None,
    }
    assert v.correction is None  # no nagging about the view during a hold


def test_front_view_still_tells_standing_from_sitting():
    assert not verdict_for(standing_points(), FRONT).in_position


def test_hidden_legs_mean_cannot_judge():
    v = verdict_for(wall_sit_points(), hidden=("KNEE", "ANKLE"))
    assert v.checks[0].ok is None
    assert not v.in_position


def test_one_leg_hidden_is_judged_on_the_other():
    v = verdict_for(wall_sit_points(thigh_deg=30.0), hidden=("LEFT_KNEE",))
    assert failing(v) == {"thighs_parallel"}


def run(segments, yaw=SIDE):
    """segments: (seconds, points or None, hidden landmarks); the analyzer after the run."""
    sit = create("wall_sit")
    t = 0.0
    for seconds, points, hidden in segments:
        p = pose(points, yaw, hidden=hidden) if points is not None else None
        for _ in range(round(seconds * FPS)):
            sit.update(p, t)
            t += 1 / FPS
    sit.finish()
    return sit.summary()


def test_hold_is_timed_from_position_to_standing():
    s = run(
        [(2.0, standing_points(), ()), (12.0, wall_sit_points(), ()), (2.0, standing_points(), ())]
    )
    assert len(s.holds) == 1
    assert s.holds[0].start_s == pytest.approx(2.0, abs=0.05)
    assert s.holds[0].duration_s == pytest.approx(12.0, abs=0.1)
    assert s.holds[0].side is None
    assert s.faults == ()


def test_rising_too_high_stops_the_hold_and_is_reported():
    s = run(
        [
            (5.0, wall_sit_points(), ()),
            (3.0, wall_sit_points(thigh_deg=35.0), ()),
            (5.0, wall_sit_points(), ()),
        ]
    )
    assert [round(h.duration_s) for h in s.holds] == [5, 5]
    assert [f.rule for f in s.faults] == ["thighs_parallel"]
    assert s.faults[0].interval.duration_s == pytest.approx(3.0, abs=0.1)


def test_a_close_up_hiding_the_legs_is_bridged_when_the_sit_continues():
    legs = ("KNEE", "ANKLE", "HEEL", "FOOT")
    s = run(
        [(5.0, wall_sit_points(), ()), (4.0, wall_sit_points(), legs), (5.0, wall_sit_points(), ())]
    )
    assert len(s.holds) == 1
    assert s.holds[0].duration_s == pytest.approx(14.0, abs=0.1)


def test_standing_seen_after_a_close_up_ends_the_hold_where_it_was_last_seen():
    legs = ("KNEE", "ANKLE", "HEEL", "FOOT")
    s = run(
        [(5.0, wall_sit_points(), ()), (3.0, wall_sit_points(), legs), (3.0, standing_points(), ())]
    )
    assert len(s.holds) == 1
    assert s.holds[0].end_s == pytest.approx(5.0, abs=0.05)


def test_long_dropout_ends_the_hold():
    s = run([(5.0, wall_sit_points(), ()), (6.0, None, ()), (5.0, wall_sit_points(), ())])
    assert len(s.holds) == 2


def test_front_only_session_reports_what_it_could_not_judge():
    s = run([(10.0, wall_sit_points(), ())], yaw=FRONT)
    assert len(s.holds) == 1
    assert s.view.detected == "front" and s.view.judgeable
    assert "turn so your side faces the camera" in s.view.message
