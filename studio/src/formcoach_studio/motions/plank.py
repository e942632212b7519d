"""Forearm plank and side plank: kneel/lie -> hold -> lower, with hip faults.

Rules: plank = straight shoulder-hip-ankle line on forearms, elbows under shoulders.
Side plank = on one forearm, straight diagonal, top hand on hip, per side.
"""

from __future__ import annotations

import numpy as np

from formcoach_studio.body import Segments, full_angles
from formcoach_studio.motions.base import Motion, Timeline, register
from formcoach_studio.motions.solve import make_vertical, solve_contacts
from formcoach_studio.truth import Fault, Hold

FOREARM = (("left_elbow", 0.019), ("right_elbow", 0.019))
TOES = (("left_foot_index", 0.02), ("right_foot_index", 0.02))
KNEES = (("left_knee", 0.027), ("right_knee", 0.027))


def _arms_down(pose: dict[str, float], seg: Segments) -> dict[str, float]:
    for side in ("left", "right"):
        pose[f"{side}_elbow_flex_deg"] = 90.0
        pose = make_vertical(
            seg, pose, f"{side}_shoulder_flex_deg", f"{side}_shoulder", f"{side}_elbow", 0.0, 180.0
        )
    return pose


def forearm_plank(seg: Segments, line_deg: float, yaw_deg: float = 0.0) -> dict[str, float]:
    """Plank on forearms; `line_deg` < 0 sags the hips, > 0 pikes them."""

    def make(pitch: float) -> dict[str, float]:
        p = full_angles(
            {
                "yaw_deg": yaw_deg,
                "pitch_deg": pitch,
                "spine_flex_deg": line_deg / 2,
                "left_hip_flex_deg": line_deg / 2,
                "right_hip_flex_deg": line_deg / 2,
                "left_shoulder_flex_deg": pitch,
                "right_shoulder_flex_deg": pitch,
                "left_elbow_flex_deg": 90.0,
                "right_elbow_flex_deg": 90.0,
                "left_hip_abd_deg": 2.0,
                "right_hip_abd_deg": 2.0,
                "neck_flex_deg": -8.0,
            }
        )
        return p

    pose = solve_contacts(seg, lambda v: _arms_down(make(v), seg), 45.0, 100.0, FOREARM, TOES)
    return pose


def kneeling_forearms(seg: Segments, yaw_deg: float = 0.0) -> dict[str, float]:
    """On knees and forearms, thighs vertical: the start and end of a plank."""

    def make(pitch: float) -> dict[str, float]:
        p = full_angles(
            {
                "yaw_deg": yaw_deg,
                "pitch_deg": pitch,
                "left_hip_flex_deg": pitch,
                "right_hip_flex_deg": pitch,
                "left_knee_flex_deg": 90.0,
                "right_knee_flex_deg": 90.0,
                "left_ankle_flex_deg": -45.0,
                "right_ankle_flex_deg": -45.0,
                "left_hip_abd_deg": 3.0,
                "right_hip_abd_deg": 3.0,
                "neck_flex_deg": -10.0,
            }
        )
        return _arms_down(p, seg)

    return solve_contacts(seg, make, 60.0, 130.0, FOREARM, KNEES)


@register("plank", ("good", "hips_sagging", "hips_piked"))
def plank(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    kneel = kneeling_forearms(seg)
    good = forearm_plank(seg, 0.0)
    tl = Timeline(kneel, rng)
    tl.hold(0.8)
    tl.move(good, 1.3)
    hold_start = tl.t
    if variant == "good":
        tl.hold(5.5)
    else:
        bad_deg = float(rng.uniform(-24, -16) if variant == "hips_sagging" else rng.uniform(22, 32))
        tl.hold(2.0)
        t0 = tl.t
        tl.move(forearm_plank(seg, bad_deg), 1.0)
        fault_start = (t0 + tl.t) / 2
        tl.hold(3.0)
        tl.faults.append(Fault(variant, round(fault_start, 3), round(tl.t, 3)))
    tl.holds.append(Hold(round(hold_start, 3), round(tl.t, 3)))
    tl.move(kneel, 1.2)
    tl.hold(0.6)
    return tl.motion("plank", variant)


def side_plank_pose(
    seg: Segments, side: str, drop_deg: float, lift: bool = True
) -> dict[str, float]:
    """On `side`'s forearm; `drop_deg` > 0 lets the hips sag towards the floor.
    With `lift` False the hips rest on the floor (start position)."""
    sgn = 1.0 if side == "left" else -1.0
    top = "right" if side == "left" else "left"

    def make(roll: float) -> dict[str, float]:
        p = full_angles(
            {
                "roll_deg": -sgn * roll,
                "spine_bend_deg": -sgn * drop_deg / 2,
                f"{side}_hip_abd_deg": -drop_deg / 2,
                f"{top}_hip_abd_deg": drop_deg / 2 + 4.0,
                f"{side}_elbow_flex_deg": 90.0,
                f"{top}_shoulder_abd_deg": 15.0,
                f"{top}_elbow_flex_deg": 70.0,
                f"{top}_shoulder_flex_deg": -25.0,
                f"{top}_wrist_flex_deg": -20.0,
            }
        )
        return make_vertical(
            seg,
            p,
            f"{side}_shoulder_abd_deg",
            f"{side}_shoulder",
            f"{side}_elbow",
            0.0,
            120.0,
            lateral=True,
        )

    elbow = ((f"{side}_elbow", 0.019),)
    if lift:
        feet = ((f"{side}_ankle", 0.03), (f"{side}_heel", 0.02))
        return solve_contacts(seg, make, 50.0, 89.0, elbow, feet)
    hip = ((f"{side}_hip", 0.045),)

    def make_bend(bend: float) -> dict[str, float]:
        return make(90.0) | {"spine_bend_deg": -sgn * bend}

    def make_rest(bend: float) -> dict[str, float]:
        p = make_bend(bend)
        return make_vertical(
            seg,
            p,
            f"{side}_shoulder_abd_deg",
            f"{side}_shoulder",
            f"{side}_elbow",
            0.0,
            120.0,
            lateral=True,
        )

    return solve_contacts(seg, make_rest, 0.0, 60.0, elbow, hip)


@register("side_plank", ("good", "hips_dropping"))
def side_plank(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    side = "left" if rng.uniform() < 0.5 else "right"
    rest = side_plank_pose(seg, side, 0.0, lift=False)
    good = side_plank_pose(seg, side, 0.0)
    tl = Timeline(rest, rng)
    tl.hold(0.8)
    tl.move(good, 1.2)
    start = tl.t
    if variant == "good":
        tl.hold(5.0)
    else:
        tl.hold(1.8)
        t0 = tl.t
        tl.move(side_plank_pose(seg, side, float(rng.uniform(16, 24))), 1.2)
        f0 = (t0 + tl.t) / 2
        tl.hold(2.8)
        tl.faults.append(Fault("hips_dropping", round(f0, 3), round(tl.t, 3), side))
    tl.holds.append(Hold(round(start, 3), round(tl.t, 3), side))
    tl.move(rest, 1.2)
    tl.hold(0.6)
    return tl.motion("side_plank", variant)
