"""Foam rolling: the body rests on a roller (a capsule on the floor) and rolls over it.

Across the body: glutes (sitting on it), thoracic (upper back), lumbar (lower back: a
warning, the roller should not go under the lower back). Lengthwise under the spine:
arm reach and rotation.
"""

from __future__ import annotations

import numpy as np

from formcoach_studio.body import Segments, forward_kinematics
from formcoach_studio.motions.base import Motion, Timeline, register
from formcoach_studio.motions.solve import solve_contacts
from formcoach_studio.motions.supine import supine
from formcoach_studio.scene import Roller
from formcoach_studio.truth import Fault, Hold, Rep

RADIUS_M = 0.075
COLOUR = (0.15, 0.45, 0.9)  # orange (BGR)
FEET = (("left_heel", 0.02), ("right_heel", 0.02))


def _on_roller(
    seg: Segments,
    base: dict[str, float],
    part: str,
    radius: float,
) -> dict[str, float]:
    """Tilt the body (pitch) so `part` (minus `radius` x height) is a roller above the feet."""

    def make(pitch: float) -> dict[str, float]:
        p = dict(base)
        delta = pitch - base["pitch_deg"]
        p["pitch_deg"] = pitch
        for s in ("left", "right"):
            p[f"{s}_hip_flex_deg"] = base[f"{s}_hip_flex_deg"] + delta
        return p

    lo, hi = base["pitch_deg"] - 5.0, base["pitch_deg"] + 40.0
    return solve_contacts(seg, make, lo, hi, ((part, radius),), FEET, above_m=2 * RADIUS_M)


def _across(
    seg: Segments,
    rng: np.random.Generator,
    name: str,
    variant: str,
    part: str,
    radius: float,
    base: dict[str, float],
    reach_m: float,
) -> Motion:
    """Roll `part` back and forth over a roller lying across the body."""
    pose = _on_roller(seg, base, part, radius)
    contact = forward_kinematics(seg, pose).points[part]
    poses = [pose | {"root_x_m": pose["root_x_m"] + dx} for dx in (-reach_m, reach_m)]
    tl = Timeline(pose, rng)
    tl.hold(0.6)
    for i in range(4):
        t0 = tl.t
        tl.move(poses[i % 2], 1.1)
        b = tl.t
        tl.move(pose, 1.0)
        tl.reps.append(Rep(round(t0, 3), round(b, 3), round(tl.t, 3)))
    tl.hold(0.5)
    # On the roller from the first frame to the last: the time the analyzers time as a hold.
    tl.holds.append(Hold(0.0, round(tl.t, 3)))
    if name == "foam_roll_lumbar":
        tl.faults.append(Fault("roller_under_lower_back", 0.0, round(tl.t, 3)))
    z = seg.shoulder_width_m
    roller = Roller((contact[0], RADIUS_M, -z), (contact[0], RADIUS_M, z), RADIUS_M, COLOUR)
    return tl.motion(name, variant, rollers=(roller,), feet_only_ground=True)


def _hands_behind_head() -> dict[str, float]:
    return {
        f"{s}_{k}": v
        for s in ("left", "right")
        for k, v in (
            ("shoulder_flex_deg", 150.0),
            ("shoulder_abd_deg", 35.0),
            ("elbow_flex_deg", 130.0),
        )
    }


@register("foam_roll_thoracic", ("good",))
def foam_roll_thoracic(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    base = supine(seg, hip_deg=60.0, extra=_hands_behind_head())
    return _across(seg, rng, "foam_roll_thoracic", variant, "chest", 0.09, base, 0.08)


@register("foam_roll_lumbar", ("warning",))
def foam_roll_lumbar(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    base = supine(seg, hip_deg=60.0, extra=_hands_behind_head())
    return _across(seg, rng, "foam_roll_lumbar", variant, "mid_spine", 0.07, base, 0.06)


@register("foam_roll_glutes", ("good",))
def foam_roll_glutes(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    arms = {
        f"{s}_{k}": v
        for s in ("left", "right")
        for k, v in (
            ("shoulder_flex_deg", -40.0),
            ("shoulder_abd_deg", 15.0),
            ("elbow_flex_deg", 5.0),
        )
    }
    base = supine(seg, hip_deg=55.0, extra={"pitch_deg": -45.0, **arms})
    return _across(seg, rng, "foam_roll_glutes", variant, "pelvis", 0.07, base, 0.07)


def _lengthwise(
    seg: Segments, rng: np.random.Generator, name: str, variant: str, moves: list[dict[str, float]]
) -> Motion:
    base = supine(seg, hip_deg=55.0)
    rest = _on_roller(seg, base, "mid_spine", 0.056)
    sk = forward_kinematics(seg, rest).points
    tl = Timeline(rest, rng)
    tl.hold(0.6)
    for i in range(4):
        side = ("left", "right")[i % 2]
        t0 = tl.t
        tl.move(rest | moves[i % 2], 1.1)  # 4 reps in under 12 s (the sample-set limit)
        b = tl.t
        tl.hold(0.4)
        tl.move(rest, 1.0)
        tl.reps.append(Rep(round(t0, 3), round(b + 0.2, 3), round(tl.t, 3), side))
    tl.hold(0.4)
    a, b2 = sk["pelvis"], sk["head"]
    roller = Roller((a[0], RADIUS_M, a[2]), (b2[0], RADIUS_M, b2[2]), RADIUS_M, COLOUR)
    return tl.motion(name, variant, rollers=(roller,), feet_only_ground=True)


@register("foam_roll_arm_reach", ("good",))
def foam_roll_arm_reach(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    moves = [{f"{s}_shoulder_flex_deg": 165.0} for s in ("left", "right")]
    return _lengthwise(seg, rng, "foam_roll_arm_reach", variant, moves)


@register("foam_roll_rotation", ("good",))
def foam_roll_rotation(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    moves = [
        {
            f"{s}_shoulder_abd_deg": 80.0,
            f"{s}_shoulder_flex_deg": 10.0,
            "spine_twist_deg": 25.0 * (1 if s == "left" else -1),
        }
        for s in ("left", "right")
    ]
    return _lengthwise(seg, rng, "foam_roll_rotation", variant, moves)
