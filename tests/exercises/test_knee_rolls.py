"""Knee rolls on synthetic poses: rules, faults, views, and roll sequences per side."""

from __future__ import annotations

import dataclasses
import math

import pytest

from formcoach.exercises import create
from tests.posefactory_reps import FEET_YAW, camera_pose, knee_roll_points

FPS = 30.0
VIEWS = {"feet": (FEET_YAW, 15.0), "side": (0.0, 0.0), "above": (0.0, 90.0)}


def pose(view="feet", shift_px=(0.0, 0.0), **kw):
    yaw, pitch = VIEWS[view]
    return camera_pose(
        knee_roll_points(**kw),
        yaw_deg=yaw,
        pitch_deg=pitch,
        centre_px=(320 + shift_px[0], 200 + shift_px[1]),
    )


def run(segments, view="feet"):
    """segments: (seconds, roll_from_deg, roll_to_deg, extra kwargs) ramps, or
    (seconds, None, None, {}) for nobody in view. Returns (analyzer, last verdict)."""
    rolls = create("knee_rolls")
    t, verdict = 0.0, None
    for seconds, r0, r1, kw in segments:
        n = round(seconds * FPS)
        for i in range(n):
            p = (
                None
                if r0 is None
                else pose(view, roll_deg=r0 + (r1 - r0) * i / max(n - 1, 1), **kw)
            )
            verdict = rolls.update(p, t)
            t += 1 / FPS
    rolls.finish()
    return rolls, verdict


def roll(deg, **kw):
    """Roll out over 1 s, hold a breath (1.5 s), return over 1 s, rest 1 s."""
    return [(1.0, 0.0, deg, kw), (1.5, deg, deg, kw), (1.0, deg, 0.0, kw), (1.0, 0.0, 0.0, kw)]


REST = [(1.5, 0.0, 0.0, {})]


def counts(rolls):
    s = rolls.summary()
    return s.reps_left, s.reps_right, s.reps_partial


def failing(verdict):
    return {c.rule for c in verdict.checks if c.ok is False}


@pytest.mark.parametrize("view", ["feet", "side", "above"])
def test_rolls_count_per_side_from_any_view(view):
    rolls, _ = run([*REST, *roll(70), *roll(-70), *roll(70)], view)
    assert counts(rolls) == (1, 2, 0)
    assert rolls.summary().faults == ()


def test_the_working_side_is_where_the_knees_go():
    _, v = run([*REST, (1.0, 0.0, -70.0, {})])
    assert v.side == "left" and v.signals["roll_deg"] == pytest.approx(-70.0, abs=0.5)
    _, v = run([*REST, (1.0, 0.0, 70.0, {})])
    assert v.side == "right"


def test_a_small_roll_is_partial():
    rolls, _ = run([*REST, *roll(38), *roll(-70)])
    assert counts(rolls) == (1, 0, 1)


def test_shoulder_lift_against_the_starting_baseline_is_a_fault():
    # The left shoulder comes up 25 cm over a second, well clear of the floor.
    lifting = [(0.2, 70.0, 70.0, {"shoulder_lift_m": 0.05 * i}) for i in range(1, 6)]
    rolls, v = run(
        [*REST, (1.0, 0.0, 70.0, {}), *lifting, (2.0, 70.0, 70.0, {"shoulder_lift_m": 0.25})]
    )
    assert "shoulders_down" in failing(v)
    assert v.correction == "keep both shoulders on the floor: roll less far"
    assert [f.rule for f in rolls.summary().faults] == ["shoulders_down"]


def test_a_slight_shoulder_lift_is_within_noise():
    _, v = run([*REST, (1.0, 0.0, 70.0, {}), (2.0, 70.0, 70.0, {"shoulder_lift_m": 0.08})])
    assert failing(v) == set()


def test_no_baseline_no_shoulder_judgement():
    # Rolled from the first frame: the shoulders' reference is never taken.
    _, v = run([(3.0, 70.0, 70.0, {"shoulder_lift_m": 0.25})])
    lift = next(c for c in v.checks if c.rule == "shoulders_down")
    assert lift.ok is None


def test_knees_apart_is_a_fault_from_the_feet():
    _, v = run([*REST, (2.0, 0.0, 0.0, {"knee_gap_m": 0.45})])
    assert failing(v) == {"knees_together"}
    assert v.correction == "keep your knees together"


def test_knees_apart_cannot_be_judged_from_the_side():
    _, v = run([*REST, (2.0, 0.0, 0.0, {"knee_gap_m": 0.45})], view="side")
    knees = next(c for c in v.checks if c.rule == "knees_together")
    assert knees.ok is None


def test_straight_legs_are_not_knee_rolls():
    rolls, v = run([(3.0, 0.0, 0.0, {"hip_deg": 178.0}), *roll(70, hip_deg=178.0)])
    assert not v.in_position and "knees bent" in v.checks[0].message
    assert counts(rolls) == (0, 0, 0)


def test_a_brief_leg_flip_mid_roll_does_not_split_the_roll():
    # MediaPipe flips the legs straight and centred for 0.3 s in the middle of a held roll.
    glitch = (0.3, 0.0, 0.0, {"hip_deg": 175.0})
    out = [(1.0, 0.0, -70.0, {}), (0.6, -70.0, -70.0, {})]
    back = [(0.6, -70.0, -70.0, {}), (1.0, -70.0, 0.0, {}), (1.0, 0.0, 0.0, {})]
    rolls, _ = run([*REST, *out, glitch, *back])
    assert counts(rolls) == (1, 0, 0)


def test_knees_over_without_the_pelvis_are_not_counted():
    # Pelvis turned against the knees: not a roll of legs and pelvis (a bridge, a misread).
    rolls, _ = run([*REST, *roll(70, pelvis_share=-0.2), *roll(-70, pelvis_share=-0.2)])
    assert counts(rolls) == (0, 0, 0)


def test_short_dropout_mid_roll_keeps_it_long_one_abandons_it():
    out = [(1.0, 0.0, 70.0, {}), (0.5, 70.0, 70.0, {})]
    back = [(0.5, 70.0, 70.0, {}), (1.0, 70.0, 0.0, {}), (1.0, 0.0, 0.0, {})]
    short, _ = run([*REST, *out, (0.5, None, None, {}), *back])
    assert counts(short) == (0, 1, 0)
    long, _ = run([*REST, *out, (2.0, None, None, {}), *back])
    assert counts(long) == (0, 0, 0)


def test_a_camera_cut_takes_the_shoulder_baseline_afresh():
    rolls = create("knee_rolls")
    t = 0.0
    for _ in range(45):
        rolls.update(pose("feet"), t)
        t += 1 / FPS
    assert rolls.shoulder_baseline.ready
    rolls.update(pose("feet", shift_px=(150.0, 40.0)), t)  # everything jumps: a cut
    assert not rolls.shoulder_baseline.ready


def flat_depth_run(segments):
    """`run` from the side at mat height as MediaPipe sees it there: the image shows the
    knees rolling, the 3D landmarks stay as at rest (its depth does not follow them)."""
    rolls = create("knee_rolls")
    rest_world = pose("side").world_m
    t = 0.0
    for seconds, r0, r1, kw in segments:
        n = round(seconds * FPS)
        for i in range(n):
            seen = pose("side", roll_deg=r0 + (r1 - r0) * i / max(n - 1, 1), **kw)
            rolls.update(dataclasses.replace(seen, world_m=rest_world), t)
            t += 1 / FPS
    rolls.finish()
    return rolls


def test_from_the_side_rolls_the_depth_misses_are_counted_from_the_knees_sinking():
    rolls = flat_depth_run([*REST, *roll(70), *roll(-70), *roll(70), *roll(-70)])
    summary = rolls.summary()
    # Which way the knees went is depth from here: the rolls are counted, not sided.
    assert (summary.reps_left, summary.reps_right, summary.reps_unsided) == (0, 0, 4)
    assert summary.reps_partial == 0


def test_from_the_side_a_small_sink_is_no_roll():
    # 20 deg: the knees at cos(20) = 94 % of their height, inside the middle band.
    rolls = flat_depth_run([*REST, *roll(20), *roll(-20)])
    summary = rolls.summary()
    assert (summary.reps_unsided, summary.reps_partial) == (0, 0)


def test_where_the_depth_sees_the_rolls_the_sink_is_not_used():
    rolls, v = run([*REST, *roll(70), (1.0, 0.0, 0.0, {})], "side")
    assert counts(rolls) == (0, 1, 0)
    assert math.isnan(v.signals["knee_sink_deg"])
