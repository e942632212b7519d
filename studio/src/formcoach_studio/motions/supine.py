"""Exercises lying on the back: knee rolls, straight-leg raise, partial crunch, ankle pumps,
abdominal bracing, and the avoid-list full sit-up and double leg lift.

The body lies with its head towards -x (yaw 0, pitch -90): a camera at azimuth 0 looks
from the feet, +-90 from the side.
"""

from __future__ import annotations

import numpy as np

from formcoach_studio.body import Segments, full_angles
from formcoach_studio.motions.base import Motion, Timeline, blend, foot_level, register
from formcoach_studio.motions.solve import solve_contacts
from formcoach_studio.truth import Fault, Hold, Rep

ARMS_ON_FLOOR = {
    "left_shoulder_flex_deg": -6.0,
    "right_shoulder_flex_deg": -6.0,
    "left_shoulder_abd_deg": 14.0,
    "right_shoulder_abd_deg": 14.0,
    "left_elbow_flex_deg": 5.0,
    "right_elbow_flex_deg": 5.0,
}
BACK = (("pelvis", 0.056),)


def supine(
    seg: Segments,
    bent: tuple[str, ...] = ("left", "right"),
    hip_deg: float = 50.0,
    extra: dict[str, float] | None = None,
) -> dict[str, float]:
    """Lying on the back; legs in `bent` have knees bent with the foot flat on the floor."""
    base = full_angles({"pitch_deg": -90.0, **ARMS_ON_FLOOR, **(extra or {})})
    for side in ("left", "right"):
        if side not in bent:
            base[f"{side}_ankle_flex_deg"] = -25.0
    if not bent:
        return base

    def make(knee: float) -> dict[str, float]:
        p = dict(base)
        for side in bent:
            p[f"{side}_hip_flex_deg"] = hip_deg + (base["pitch_deg"] + 90.0)
            p[f"{side}_knee_flex_deg"] = knee
            foot_level(seg, p, side, 0.0)
        return p

    feet = tuple((f"{s}_heel", 0.02) for s in bent)
    return solve_contacts(seg, make, 40.0, 150.0, feet, BACK)


@register("knee_rolls", ("good", "shoulder_lifting"))
def knee_rolls(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    rest = supine(seg, hip_deg=60.0)
    tl = Timeline(rest, rng)
    tl.hold(0.6)
    follow = 0.0 if variant == "good" else 0.55
    for i in range(3):
        side = ("left", "right")[i % 2]
        roll = float(rng.uniform(35, 50)) * (1 if side == "left" else -1)
        rolled = rest | {"pelvis_twist_deg": roll, "spine_twist_deg": -roll * (1 - follow)}
        t0 = tl.t
        tl.move(rolled, 1.3)
        b0 = tl.t
        tl.hold(0.5)
        if follow:
            lifted = "right" if side == "left" else "left"
            tl.faults.append(
                Fault("shoulder_lifting", round(b0 - 0.4, 3), round(tl.t + 0.4, 3), lifted)
            )
        tl.move(rest, 1.2)
        tl.reps.append(Rep(round(t0, 3), round(b0 + 0.25, 3), round(tl.t, 3), side))
        tl.hold(0.3)
    return tl.motion("knee_rolls", variant)


@register("straight_leg_raise", ("good",))
def straight_leg_raise(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    side = "left" if rng.uniform() < 0.5 else "right"
    bent = "right" if side == "left" else "left"
    rest = supine(seg, bent=(bent,))
    tl = Timeline(rest, rng)
    tl.hold(0.6)
    lift = float(rng.uniform(12, 20))  # about 6-12 inches at the heel
    up = rest | {f"{side}_hip_flex_deg": lift, f"{side}_ankle_flex_deg": 5.0}
    t0 = tl.t
    tl.move(up, 1.2)
    h0 = tl.t
    tl.hold(5.0)
    tl.holds.append(Hold(round(h0, 3), round(tl.t, 3), side))
    h1 = tl.t
    tl.move(rest, 1.2)
    tl.reps.append(Rep(round(t0, 3), round((h0 + h1) / 2, 3), round(tl.t, 3), side))
    tl.hold(0.6)
    return tl.motion("straight_leg_raise", variant)


def _crunch_pose(
    seg: Segments,
    rest: dict[str, float],
    lift: float,
    feet_up: bool,
) -> dict[str, float]:
    arms = {f"{s}_shoulder_flex_deg": 25.0 for s in ("left", "right")}
    p = rest | {"spine_flex_deg": lift, "neck_flex_deg": 12.0, **arms}
    if feet_up:
        for s in ("left", "right"):
            p[f"{s}_hip_flex_deg"] = rest[f"{s}_hip_flex_deg"] + 30.0
    return p


@register("partial_crunch", ("good", "feet_lifting"))
def partial_crunch(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    rest = supine(seg, extra={"left_shoulder_flex_deg": 20.0, "right_shoulder_flex_deg": 20.0})
    tl = Timeline(rest, rng)
    tl.hold(0.6)
    for _ in range(3):
        t0 = tl.t
        feet = variant == "feet_lifting"
        tl.move(_crunch_pose(seg, rest, float(rng.uniform(20, 27)), feet), 0.9)
        h0 = tl.t
        tl.hold(1.0)
        tl.holds.append(Hold(round(h0, 3), round(tl.t, 3)))
        if feet:
            tl.faults.append(Fault("feet_lifting", round(h0 - 0.3, 3), round(tl.t + 0.3, 3)))
        h1 = tl.t
        tl.move(rest, 0.9)
        tl.reps.append(Rep(round(t0, 3), round((h0 + h1) / 2, 3), round(tl.t, 3)))
        tl.hold(0.5)
    return tl.motion("partial_crunch", variant)


@register("ankle_pumps", ("good",))
def ankle_pumps(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    rest = supine(seg, bent=())
    tl = Timeline(rest, rng)
    tl.hold(0.6)
    for i in range(8):
        side = ("left", "right")[i % 2]
        other = "right" if side == "left" else "left"
        up = rest | {f"{side}_ankle_flex_deg": 15.0, f"{other}_ankle_flex_deg": -45.0}
        t0 = tl.t
        tl.move(up, 0.45)
        b = tl.t
        tl.hold(0.1)
        tl.reps.append(Rep(round(t0, 3), round(b, 3), round(tl.t + 0.3, 3), side))
    tl.move(rest, 0.5)
    tl.hold(0.5)
    return tl.motion("ankle_pumps", variant)


@register("abdominal_bracing", ("good",))
def abdominal_bracing(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    rest = supine(seg)
    braced = rest | {"pitch_deg": rest["pitch_deg"] + 3.0}
    tl = Timeline(rest, rng)
    tl.hold(0.3, exact=True)
    for _ in range(2):  # two 5 s holds with a short rest, under 12 s in all
        tl.move(braced, 0.3, exact=True)
        h0 = tl.t
        tl.hold(5.0, exact=True)
        tl.holds.append(Hold(round(h0, 3), round(tl.t, 3)))
        tl.move(rest, 0.3, exact=True)
        tl.hold(0.1, exact=True)
    return tl.motion("abdominal_bracing", variant, sway_deg=0.25)


@register("full_situp", ("avoid",))
def full_situp(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    rest = supine(seg, extra={"left_shoulder_flex_deg": 60.0, "right_shoulder_flex_deg": 60.0})
    tl = Timeline(rest, rng)
    tl.hold(0.6)
    for _ in range(3):
        up_deg = float(rng.uniform(65, 75))
        sit = rest | {"pitch_deg": -90.0 + up_deg, "spine_flex_deg": 25.0, "neck_flex_deg": 15.0}
        for s in ("left", "right"):
            sit[f"{s}_hip_flex_deg"] = rest[f"{s}_hip_flex_deg"] + up_deg
        t0 = tl.t
        tl.move(blend(rest, sit, 0.5) | {"spine_flex_deg": 35.0}, 0.8)
        tl.move(sit, 0.7)
        b = tl.t
        tl.hold(0.3)
        tl.move(rest, 1.3)
        tl.reps.append(Rep(round(t0, 3), round(b + 0.15, 3), round(tl.t, 3)))
        tl.hold(0.4)
    return tl.motion("full_situp", variant, avoid=True)


@register("double_leg_lift", ("avoid",))
def double_leg_lift(seg: Segments, variant: str, rng: np.random.Generator) -> Motion:
    rest = supine(seg, bent=())
    tl = Timeline(rest, rng)
    tl.hold(0.6)
    for _ in range(3):
        lift = float(rng.uniform(40, 55))
        up = rest | {"left_hip_flex_deg": lift, "right_hip_flex_deg": lift}
        t0 = tl.t
        tl.move(up, 1.3)
        b = tl.t
        tl.hold(0.4)
        tl.move(rest, 1.3)
        tl.reps.append(Rep(round(t0, 3), round(b + 0.2, 3), round(tl.t, 3)))
        tl.hold(0.4)
    return tl.motion("double_leg_lift", variant, avoid=True)
