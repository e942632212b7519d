"""Pose builders for ankle pumps, the wall slide and foam rolling (metres, x toward the
head, y DOWN, floor y = 0, as in tests/posefactory.py)."""

from __future__ import annotations

import math

import numpy as np

from formcoach.landmarks import Landmark
from formcoach.types import Pose
from tests.posefactory import PX_PER_M, rot
from tests.posefactory_rest import make_sided_pose, supine_points, supine_pose

STRAIGHT = {"raise_deg": 0.0}


def _turn_foot(points: dict[str, np.ndarray], up_deg: float) -> dict[str, np.ndarray]:
    """Pull the toes up (+) or point them (-) by `up_deg` about the ankle."""
    ankle = points["ANKLE"]
    out = dict(points)
    for name in ("HEEL", "FOOT_INDEX"):
        out[name] = ankle + rot(points[name] - ankle, -up_deg)
    return out


def ankle_pose(
    left_up_deg: float = 0.0, right_up_deg: float = 0.0, knee_bent: bool = False, **kw: float
) -> Pose:
    """Lying on the back, legs straight, each foot turned up (+) or down (-) from neutral."""
    legs = ({"bent": True}, {"bent": True}) if knee_bent else (STRAIGHT, STRAIGHT)
    near, far = supine_points(legs=legs, **kw)  # type: ignore[arg-type]
    return make_sided_pose(_turn_foot(near, left_up_deg), _turn_foot(far, right_up_deg))


def pumps(n: int, up_deg: float = 20.0, down_deg: float = -30.0, step_s: float = 0.1):
    """`n` alternate pumps per foot, each foot a ~1.2 s cycle, as (seconds, pose) segments."""
    segs = [(1.0, ankle_pose())]
    for i in range(n * 2 * 12):
        ph = 2 * math.pi * i / 24
        mid, amp = (up_deg + down_deg) / 2, (up_deg - down_deg) / 2
        left = mid + amp * math.sin(ph)
        right = mid - amp * math.sin(ph)
        segs.append((step_s, ankle_pose(left, right)))
    return [*segs, (1.0, ankle_pose())]


def on_glutes_roller(view: str = "side", hip_lift_m: float = 0.12, tilt_m: float = 0.0) -> Pose:
    """Sitting up on a roller across the body (hips `hip_lift_m` above lying on the floor),
    knees bent, feet flat; `tilt_m` lowers the right hip (+) or the left one (-) in the
    image, the weight shifted onto that buttock (as a camera at the feet sees it)."""
    pose = supine_pose(view=view, trunk_lift_deg=80.0, hip_lift_m=hip_lift_m)
    image = pose.image_norm.copy()
    shift = abs(tilt_m) * PX_PER_M / pose.image_size_px[1]
    image[Landmark.RIGHT_HIP if tilt_m > 0 else Landmark.LEFT_HIP, 1] += shift
    return Pose(image, pose.world_m, pose.visibility, pose.presence, pose.image_size_px)


def _arm(shoulder: np.ndarray, trunk: np.ndarray, raise_deg: float) -> dict[str, np.ndarray]:
    """Elbow and wrist of an arm raised `raise_deg` from along the body toward the ceiling."""
    direction = rot(-trunk, -raise_deg)
    return {"ELBOW": shoulder + 0.3 * direction, "WRIST": shoulder + 0.55 * direction}


def along_roller(
    near_arm_deg: float = 5.0,
    far_arm_deg: float = 5.0,
    turn_m: float = 0.0,
    trunk_lift_deg: float = 8.0,
) -> Pose:
    """Lying along a roller under the spine (hips and shoulders ~15 cm up), knees bent,
    each arm raised from along the body; `turn_m` lowers the left shoulder and lifts the
    right one (+, the trunk turned to the left) or the reverse (-), in the image."""
    near, far = supine_points(trunk_lift_deg=trunk_lift_deg, hip_lift_m=0.15)
    trunk = near["SHOULDER"] - near["HIP"]
    trunk = trunk / np.linalg.norm(trunk)
    near = near | _arm(near["SHOULDER"], trunk, near_arm_deg)
    far = far | _arm(far["SHOULDER"], trunk, far_arm_deg)
    pose = make_sided_pose(near, far)
    image = pose.image_norm.copy()
    shift = turn_m * PX_PER_M / pose.image_size_px[1]
    image[Landmark.LEFT_SHOULDER, 1] += shift
    image[Landmark.RIGHT_SHOULDER, 1] -= shift
    return Pose(image, pose.world_m, pose.visibility, pose.presence, pose.image_size_px)


def arms_out_on_roller(arm_deg: float = 90.0) -> Pose:
    """Lying along a roller, both arms `arm_deg` from the body, hands down on the floor
    (the arm pointing below the trunk's line, as a side camera sees an arm out to the side)."""
    near, far = supine_points(trunk_lift_deg=8.0, hip_lift_m=0.15)
    trunk = near["SHOULDER"] - near["HIP"]
    trunk = trunk / np.linalg.norm(trunk)
    down = rot(-trunk, arm_deg)  # from along the body toward the floor
    arm = {"ELBOW": near["SHOULDER"] + 0.12 * down, "WRIST": near["SHOULDER"] + 0.22 * down}
    return make_sided_pose(near | arm, far | arm)
