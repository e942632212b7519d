"""Side plank rules on synthetic 3D poses: rules, faults, per-side holds, dropouts."""

from __future__ import annotations

import pytest

from formcoach import noise
from formcoach.exercises import create
from formcoach.exercises.side_plank import SidePlankConfig
from tests.posefactory_holds import make_pose_3d, side_plank_points, standing_points

FPS = 30.0
LEGS = ("KNEE", "ANKLE", "HEEL", "FOOT")


def verdict_for(points, yaw=0.0, from_plank=True, **kw):
    """The verdict on `points` after a second in a good side plank on the same side
    (faults develop from a plank), or from a fresh start with `from_plank=False`."""
    plank = create("side_plank")
    t = 0.0
    if from_plank:
        bottom = "right" if points["RIGHT_SHOULDER"][1] < points["LEFT_SHOULDER"][1] else "left"
        good = make_pose_3d(side_plank_points(bottom=bottom), yaw)
        for _ in range(30):
            plank.update(good, t)
            t += 1 / FPS
    pose = make_pose_3d(points, yaw, **kw)
    for _ in range(5):
        verdict = plank.update(pose, t)
        t += 1 / FPS
    return verdict


def failing(verdict):
    return {c.rule for c in verdict.checks if c.ok is False}


@pytest.mark.parametrize("bottom", ["left", "right"])
@pytest.mark.parametrize("arm", ["forearm", "straight"])
def test_good_side_plank_passes_and_names_the_side_underneath(bottom, arm):
    v = verdict_for(side_plank_points(bottom=bottom, arm=arm), from_plank=False)
    assert v.view.detected == "front" and v.view.judgeable
    assert v.in_position
    assert v.side == bottom
    assert [c.rule for c in v.checks] == ["position", "hip_line", "elbow_under_shoulder"]
    assert all(c.ok for c in v.checks)
    assert v.signals["hip_line_deg"] == pytest.approx(0.0, abs=0.5)


@pytest.mark.parametrize(
    ("bend", "rule", "correction"),
    [
        (-16.0, "hips_dropping", "lift your hips in line with your shoulders"),
        (30.0, "hips_piked", "lower your hips into a straight line"),
    ],
)
def test_hip_line_faults(bend, rule, correction):
    v = verdict_for(side_plank_points(bend_deg=bend, arm="straight"))
    assert v.in_position
    assert failing(v) == {rule}
    assert v.correction == correction


def test_drop_limit_is_the_configured_one():
    # The limit, plus the hip line's noise band before a drop is called.
    limit, band = SidePlankConfig().max_drop_deg, noise.band("hip_line_deg")
    inside = verdict_for(side_plank_points(bend_deg=-(limit - 1), arm="straight"))
    outside = verdict_for(side_plank_points(bend_deg=-(limit + band + 1), arm="straight"))
    assert failing(inside) == set()
    assert failing(outside) == {"hips_dropping"}


def test_forearm_plank_with_an_allowed_drop_starts_from_the_floor():
    assert verdict_for(side_plank_points(bend_deg=-10.0), from_plank=False).in_position


def test_elbow_not_under_the_shoulder():
    v = verdict_for(side_plank_points(arm_tilt_deg=40.0))
    assert failing(v) == {"elbow_under_shoulder"}
    assert "elbow under your shoulder" in v.correction


@pytest.mark.parametrize(
    ("points", "message"),
    [
        (side_plank_points(hips_on_floor=True), "lift your hips off the floor"),
        (side_plank_points(bend_deg=-22.0), "lift your hips off the floor"),
        (side_plank_points(knee_deg=100.0), "straighten your legs"),
        (side_plank_points(prone=True), "lie on your side"),
        (standing_points(), "lie on your side"),
    ],
)
def test_set_up_positions_are_not_a_side_plank(points, message):
    v = verdict_for(points, from_plank=False)
    assert not v.in_position
    assert v.checks[0].rule == "position" and v.checks[0].ok is False
    assert message in v.checks[0].message
    assert len(v.checks) == 1


def test_hips_sinking_to_the_floor_from_a_plank_end_it_without_a_fault():
    v = verdict_for(side_plank_points(hips_on_floor=True))
    assert not v.in_position and failing(v) == {"position"}


def test_filmed_from_the_head_is_not_judged():
    v = verdict_for(side_plank_points(bend_deg=-20.0, arm="straight"), yaw=90.0)
    assert v.view.detected == "side" and not v.view.judgeable
    assert v.checks == ()
    assert v.correction == "turn so your chest faces the camera"


def test_legs_out_of_frame_keep_a_plank_but_cannot_judge_the_line():
    v = verdict_for(side_plank_points(), hidden=LEGS)
    assert v.in_position
    assert {c.rule: c.ok for c in v.checks}["hip_line"] is None
    fresh = verdict_for(side_plank_points(), from_plank=False, hidden=LEGS)
    assert fresh.checks[0].ok is None and not fresh.in_position


def run(segments):
    """segments: (seconds, points or None, hidden); the analyzer's summary after the run."""
    plank = create("side_plank")
    t = 0.0
    for seconds, points, hidden in segments:
        pose = make_pose_3d(points, hidden=hidden) if points is not None else None
        for _ in range(round(seconds * FPS)):
            plank.update(pose, t)
            t += 1 / FPS
    plank.finish()
    return plank.summary()


def test_holds_are_timed_per_side_and_a_switch_starts_a_new_one():
    s = run(
        [
            (2.0, side_plank_points(bottom="left", hips_on_floor=True), ()),
            (8.0, side_plank_points(bottom="left"), ()),
            (3.0, standing_points(), ()),
            (2.0, side_plank_points(bottom="right", hips_on_floor=True), ()),
            (6.0, side_plank_points(bottom="right", arm="straight"), ()),
        ]
    )
    assert [(h.side, round(h.duration_s)) for h in s.holds] == [("left", 8), ("right", 6)]
    assert s.holds[0].start_s == pytest.approx(2.0, abs=0.05)
    assert s.faults == ()


def test_direct_switch_of_sides_splits_the_hold():
    s = run(
        [
            (5.0, side_plank_points(bottom="left"), ()),
            (5.0, side_plank_points(bottom="right"), ()),
        ]
    )
    assert [h.side for h in s.holds] == ["left", "right"]


def test_dropping_hips_stop_the_hold_and_are_reported():
    good = side_plank_points(arm="straight")
    s = run(
        [
            (5.0, good, ()),
            (3.0, side_plank_points(arm="straight", bend_deg=-16.0), ()),
            (5.0, good, ()),
        ]
    )
    assert [round(h.duration_s) for h in s.holds] == [5, 5]
    assert [f.rule for f in s.faults] == ["hips_dropping"]
    assert s.faults[0].interval.duration_s == pytest.approx(3.0, abs=0.1)


def test_resting_on_the_floor_is_neither_hold_nor_fault():
    s = run([(10.0, side_plank_points(hips_on_floor=True), ())])
    assert s.holds == () and s.faults == ()


def test_close_up_without_legs_continues_the_hold():
    s = run([(5.0, side_plank_points(), ()), (4.0, side_plank_points(), LEGS)])
    assert len(s.holds) == 1
    assert s.holds[0].duration_s == pytest.approx(9.0, abs=0.1)


def test_short_dropout_is_bridged_long_one_ends_the_hold():
    good = side_plank_points()
    assert len(run([(4.0, good, ()), (0.5, None, ()), (4.0, good, ())]).holds) == 1
    assert len(run([(4.0, good, ()), (2.5, None, ()), (4.0, good, ())]).holds) == 1
    assert len(run([(4.0, good, ()), (3.5, None, ()), (4.0, good, ())]).holds) == 2
