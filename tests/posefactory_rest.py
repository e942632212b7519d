"""Pose builders for the back-care program: lying on the back, wall slide, toe touch.

Same conventions as tests/posefactory.py (metres, x toward the head, y DOWN, floor y = 0),
but the two legs may differ: `make_sided_pose` takes the points of each side.
"""

from __future__ import annotations

import math

import numpy as np

from formcoach.landmarks import Landmark
from formcoach.types import Pose
from tests.posefactory import make_pose

THIGH_M, SHIN_M, TORSO_M = 0.45, 0.43, 0.52
HIP_HEIGHT_M = 0.10  # the hip joint's height lying on the floor


def _polar(origin: np.ndarray, length: float, deg: float, toward: float) -> np.ndarray:
    """origin + length along `deg` above the floor, toward +x (toward=1) or -x (-1)."""
    r = math.radians(deg)
    return origin + np.array([toward * length * math.cos(r), -length * math.sin(r)])


def _knee_above(hip: np.ndarray, ankle: np.ndarray) -> np.ndarray:
    """The knee of a leg from hip to ankle, bent upward (two-circle intersection)."""
    d = float(np.linalg.norm(ankle - hip))
    d = min(d, THIGH_M + SHIN_M - 1e-6)
    a = (THIGH_M**2 - SHIN_M**2 + d**2) / (2 * d)
    h = math.sqrt(max(THIGH_M**2 - a**2, 0.0))
    u = (ankle - hip) / np.linalg.norm(ankle - hip)
    base = hip + a * u
    normal = np.array([-u[1], u[0]])
    k1, k2 = base + h * normal, base - h * normal
    return k1 if k1[1] < k2[1] else k2


def leg_points(
    hip: np.ndarray, raise_deg: float = 0.0, bent: bool = False, feet_lift_m: float = 0.0
) -> dict[str, np.ndarray]:
    """One leg toward -x: straight and raised `raise_deg`, or bent with the foot flat."""
    if bent:
        ankle = np.array([hip[0] - 0.55, -0.08 - feet_lift_m])
        knee = _knee_above(hip, ankle)
    else:
        knee = _polar(hip, THIGH_M, raise_deg, -1.0)
        ankle = _polar(hip, THIGH_M + SHIN_M, raise_deg, -1.0)
    return {
        "HIP": hip,
        "KNEE": knee,
        "ANKLE": ankle,
        "HEEL": ankle + np.array([-0.02, 0.05]) if bent else ankle + np.array([0.03, 0.04]),
        "FOOT_INDEX": ankle + np.array([-0.15, 0.06]) if bent else ankle + np.array([-0.04, -0.15]),
    }


def supine_points(
    trunk_lift_deg: float = 0.0,
    hip_lift_m: float = 0.0,
    legs: tuple[dict[str, float | bool], dict[str, float | bool]] = (
        {"bent": True},
        {"bent": True},
    ),
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Lying on the back, head toward +x: (near side points, far side points).

    trunk_lift_deg: shoulders raised (0 flat, 90 sitting up). hip_lift_m: hips raised off
    the floor (a bridge). legs: per side, `bent` (knee bent, foot flat), `raise_deg`
    (straight leg raised), `feet_lift_m` (bent leg's foot off the floor)."""
    hip = np.array([0.0, -HIP_HEIGHT_M - hip_lift_m])
    shoulder = _polar(hip, TORSO_M, trunk_lift_deg, 1.0)
    trunk = (shoulder - hip) / TORSO_M
    head = shoulder + trunk * 0.2
    upper = {
        "SHOULDER": shoulder,
        "ELBOW": shoulder + trunk * -0.15 + np.array([0.0, -0.12]),
        "WRIST": shoulder + trunk * 0.02 + np.array([0.0, -0.16]),
        "EAR": head,
        "EYE": head + np.array([0.03, -0.05]),
        "NOSE": head + np.array([0.05, -0.08]),
    }
    sides = []
    for leg in legs:
        pts = leg_points(
            hip,
            float(leg.get("raise_deg", 0.0)),
            bool(leg.get("bent", False)),
            float(leg.get("feet_lift_m", 0.0)),
        )
        sides.append({**upper, **pts})
    return sides[0], sides[1]


def make_sided_pose(
    near: dict[str, np.ndarray],
    far: dict[str, np.ndarray],
    view: str = "side",
    near_side: str = "left",
    **kw: float,
) -> Pose:
    """A pose whose near-side landmarks come from `near`, far-side ones from `far`."""
    a = make_pose(near, view=view, near=near_side, **kw)
    b = make_pose(far, view=view, near=near_side, **kw)
    far_prefix = "RIGHT_" if near_side == "left" else "LEFT_"
    far_idx = [int(lm) for lm in Landmark if lm.name.startswith(far_prefix)]
    image, world = a.image_norm.copy(), a.world_m.copy()
    image[far_idx], world[far_idx] = b.image_norm[far_idx], b.world_m[far_idx]
    return Pose(image, world, a.visibility, a.presence, a.image_size_px)


def supine_pose(view: str = "side", **kw: object) -> Pose:
    near, far = supine_points(**kw)  # type: ignore[arg-type]
    return make_sided_pose(near, far, view=view)


def toe_touch_points(bend_deg: float = 110.0) -> dict[str, np.ndarray]:
    """Standing on straight legs, trunk bent forward `bend_deg` from upright, hands low."""
    hip = np.array([0.0, -0.95])
    shoulder = hip + TORSO_M * np.array(
        [math.sin(math.radians(bend_deg)), -math.cos(math.radians(bend_deg))]
    )
    hand = np.array([0.15, -0.12]) if bend_deg > 60 else shoulder + np.array([0.05, 0.6])
    return {
        "SHOULDER": shoulder,
        "ELBOW": (shoulder + hand) / 2,
        "WRIST": hand,
        "HIP": hip,
        "KNEE": np.array([0.0, -0.5]),
        "ANKLE": np.array([0.0, -0.08]),
        "HEEL": np.array([-0.05, -0.03]),
        "FOOT_INDEX": np.array([0.15, 0.0]),
        "EAR": shoulder + (shoulder - hip) * 0.35,
        "EYE": shoulder + (shoulder - hip) * 0.4,
        "NOSE": shoulder + (shoulder - hip) * 0.42,
    }
