"""Standing exercises: wall sit, wall slide, forward lunge, and toe touch (avoid list).

Rules: wall sit = back on wall, thighs parallel to floor, shins vertical; wall slide = back
on wall, knees bend to ~45 deg, hold 5 s, return; forward lunge = step forward, front knee
90 deg, back knee near floor, return, alternate legs.
"""

from __future__ import annotations

import numpy as np

from formcoach_studio.body import Segments, full_angles
from formcoach_studio.motions.base import Motion, Timeline, foot_level, leg_ik, register
from formcoach_studio.motions.solve import make_vertical
from formcoach_studio.scene import Box
from formcoach_studio.truth import Fault, Hold, Rep

ARMS_RELAXED = {
    "left_shoulder_flex_deg": 8.0,
    "right_shoulder_flex_deg": 8.0,
    "left_elbow_flex_deg": 15.0,
    "right_elbow_flex_deg": 15.0,
    "left_shoulder_abd_deg": 6.0,
    "right_shoulder_abd_deg": 6.0,
}


def legs_pose(
    seg: Segments,
    base: dict[str, float],
    feet: dict[str, tuple[float, float, float]],
) -> dict[str, float]:
    """`feet[side]` = (ankle forward of hip m, ankle below hip m, foot toe-up deg)."""
    pose = full_angles(base)
    for side, (fwd, down, toe_up) in feet.items():
        hip, knee = leg_ik(seg, fwd, down)
        pose[f"{side}_hip_flex_deg"] = hip + pose["pitch_deg"]
        pose[f"{side}_knee_flex_deg"] = knee
        foot_level(seg, pose, side, toe_up)
    return pose


def wall_box(seg: Segments, x_back_m: float) -> Box:
    return Box((x_back_m - 0.06, 1.3, 0.0), (0.06, 1.3, 1.6), 0.0, (0.72, 0.74, 0.7))


def _wall_pose(seg: Segments, drop_m: float) -> dict[str, float]:
    """Back on the wall, feet a thigh's length ahead; `drop_m` lowers the hips."""
    fwd = seg.thigh_m * 0.95
    down = float(np.sqrt(max((seg.thigh_m + seg.shank_m) ** 2 * 0.995 - fwd**2, 0.0))) - drop_m
    base = {**ARMS_RELAXED, "left_hip_abd_deg": 4.0, "right_hip_abd_deg": 4.0}
    return legs_pose(seg, base, {"left": (fwd, down, 0.0), "right": (fwd, down, 0.0)})


def _sit_drop(seg: Segments, thigh_deg: float) -> float:
    """Hip drop from standing that tilts the thighs `thigh_deg` below horizontal-ish."""
    fwd = seg.thigh_m * 0.95
    stand = np.sqrt((seg.thigh_m + seg.shank_m) ** 2 * 0.995 - fwd**2)
    target = seg.shank_m + seg.thigh_m * np.sin(np.radians(thigh_deg))
    return float(stand - target)


def _wall_clip(
    seg: Segments,
    rng: np.random.Generator,
    name: str,
    variant: str,
    thigh_deg: float,
    holds: int,
    hold_s: float,
) -> Motion:
    stand = _wall_pose(seg, 0.0)
    tl = Timeline(stand, rng)
    tl.hold(0.7)
    for _ in range(holds):
        t0 = tl.t
        tl.move(_wall_pose(seg, _sit_drop(seg, thigh_deg)), 1.5)
        h0 = tl.t
        tl.hold(hold_s)
        tl.holds.append(Hold(round(h0, 3), round(tl.t, 3)))
        if variant == "too_high":
            tl.faults.append(Fault("too_high", round(h0, 3), round(tl.t, 3)))
        tl.move(stand, 1.3)
        tl.reps.append(Rep(round(t0, 3), round((h0 + tl.t) / 2, 3), round(tl.t, 3)))
        tl.hold(0.6)
    back = -0.058 * seg.height_m * seg.girth
    return tl.motion(name, variant, boxes=(wall_box(seg, back),))


@register("wall_sit", ("good", "too_high"))
def wall_sit(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    thigh = float(rng.uniform(-3, 3) if variant == "good" else rng.uniform(28, 38))
    return _wall_clip(seg, rng, "wall_sit", variant, thigh, 1, 6.0)


@register("wall_slide", ("good",))
def wall_slide(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    # knees ~45 deg flexed: thighs ~40 deg below horizontal with this foot placement
    return _wall_clip(seg, rng, "wall_slide", variant, float(rng.uniform(36, 42)), 1, 5.0)


def _lunge_bottom(
    seg: Segments,
    side: str,
    x0: float,
    step: float,
    variant: str,
) -> dict[str, float]:
    back = "right" if side == "left" else "left"
    t = seg.thigh_m
    if variant == "too_shallow":
        px, drop = x0 + step * 0.45, 0.22
    elif variant == "knee_past_toes":
        px, drop = x0 + step - t + 0.2, 0.0
    else:
        px, drop = x0 + step - t, 0.0
    h = seg.shank_m + drop
    base = {**ARMS_RELAXED, "root_x_m": px}
    feet = {side: (x0 + step - px, h, 0.0), back: (x0 - px - 0.05, h - 0.09, -40.0)}
    return legs_pose(seg, base, feet)


@register("lunge", ("good", "too_shallow", "knee_past_toes"))
def lunge(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    legs = seg.thigh_m + seg.shank_m - 0.005
    stand = legs_pose(seg, ARMS_RELAXED, {"left": (0.0, legs, 0.0), "right": (0.0, legs, 0.0)})
    tl = Timeline(stand, rng)
    tl.hold(0.5)
    for i in range(4):
        side = ("left", "right")[i % 2]
        step = float(0.5 * seg.height_m * rng.uniform(0.95, 1.05))
        t0 = tl.t
        tl.move(_lunge_bottom(seg, side, 0.0, step, variant), 1.0)
        b0 = tl.t
        tl.hold(0.35)
        b1 = tl.t
        if variant != "good":
            tl.faults.append(Fault(variant, round(b0 - 0.2, 3), round(b1 + 0.2, 3), side))
        tl.move(stand, 1.0)
        tl.reps.append(Rep(round(t0, 3), round((b0 + b1) / 2, 3), round(tl.t, 3), side))
        tl.hold(0.35)
    return tl.motion("lunge", variant)


@register("toe_touch", ("avoid",))
def toe_touch(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    stand = full_angles(ARMS_RELAXED)
    tl = Timeline(stand, rng)
    tl.hold(0.6)
    for _ in range(3):
        pitch = float(rng.uniform(55, 70))
        p = full_angles(
            {
                "pitch_deg": pitch,
                "left_hip_flex_deg": pitch,
                "right_hip_flex_deg": pitch,
                "spine_flex_deg": 40.0,
                "neck_flex_deg": 15.0,
            }
        )
        for s in ("left", "right"):
            p = make_vertical(
                seg, p, f"{s}_shoulder_flex_deg", f"{s}_shoulder", f"{s}_wrist", -30.0, 200.0
            )
        t0 = tl.t
        tl.move(p, 1.4)
        b = tl.t
        tl.hold(0.6)
        tl.move(stand, 1.4)
        tl.reps.append(Rep(round(t0, 3), round(b + 0.3, 3), round(tl.t, 3)))
        tl.hold(0.4)
    return tl.motion("toe_touch", variant, avoid=True)
