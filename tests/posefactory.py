"""Build synthetic poses from body geometry: milliseconds each, no model.

Points are given for one body side in metres, x toward the head, y DOWN, floor at y = 0.
`make_pose` mirrors them to both sides (side view: sides differ in depth; front view:
sides differ in x) and projects to a 640x360 image. World axes follow MediaPipe: x right,
y down, z away from the camera. With the head toward +x and the chest down (prone), the
body's right side faces the camera (right = anterior x superior), hence `near="right"`.
"""

from __future__ import annotations

import math

import numpy as np

from formcoach.landmarks import NUM_LANDMARKS, Landmark
from formcoach.types import Pose

IMAGE_SIZE = (640, 360)
PX_PER_M = 220.0
ORIGIN_PX = np.array([420.0, 330.0])  # where the world origin (a floor point) lands


def rot(v: np.ndarray, deg: float) -> np.ndarray:
    """Rotate a 2D vector by `deg` (counter-clockwise on screen, where y is down)."""
    r = math.radians(-deg)
    c, s = math.cos(r), math.sin(r)
    return np.array([c * v[0] - s * v[1], s * v[0] + c * v[1]])


def make_pose(
    points: dict[str, np.ndarray],
    view: str = "side",
    near: str = "right",
    visibility: float = 0.95,
    far_visibility: float = 0.6,
    half_width_m: float = 0.18,
) -> Pose:
    """A Pose whose named joints ("SHOULDER", ...) sit at the given 2D points (metres)."""
    image = np.zeros((NUM_LANDMARKS, 3))
    world = np.zeros((NUM_LANDMARKS, 3))
    vis = np.full(NUM_LANDMARKS, visibility)
    hip_mid = points["HIP"]
    for side in ("left", "right"):
        sign = 1.0 if side == near else -1.0
        for name, p in points.items():
            lm = (
                Landmark[f"{side.upper()}_{name}"]
                if f"LEFT_{name}" in Landmark.__members__
                else Landmark[name]
            )
            xy = np.array(p, dtype=float)
            depth = -sign * half_width_m if view == "side" else 0.0
            if view == "front":
                xy = xy + np.array([sign * half_width_m, 0.0])
            px = ORIGIN_PX + xy * PX_PER_M
            image[lm] = (px[0] / IMAGE_SIZE[0], px[1] / IMAGE_SIZE[1], depth)
            world[lm] = (xy[0] - hip_mid[0], xy[1] - hip_mid[1], depth)
            if side != near and lm.name.startswith(side.upper()):
                vis[lm] = far_visibility
    return Pose(image, world, vis, np.ones(NUM_LANDMARKS), IMAGE_SIZE)


def _hip_for_bend(
    shoulder: np.ndarray, ankle: np.ndarray, bend_deg: float, frac: float = 0.62
) -> np.ndarray:
    """A hip point between shoulder and ankle whose shoulder-hip-ankle angle is
    180 - |bend_deg|, above the line (bend > 0, pike) or below it (bend < 0, sag)."""
    base = ankle + (shoulder - ankle) * frac
    axis = shoulder - ankle
    normal = np.array([axis[1], -axis[0]]) / np.linalg.norm(axis)  # points up (y down)
    if normal[1] > 0:
        normal = -normal
    lo, hi = 0.0, 1.0
    for _ in range(60):  # bisection on the perpendicular offset
        mid = (lo + hi) / 2
        hip = base + normal * mid * math.copysign(1.0, bend_deg)
        a, b = shoulder - hip, ankle - hip
        cos = np.dot(a, b) / np.linalg.norm(a) / np.linalg.norm(b)
        angle = math.degrees(math.acos(max(-1.0, min(1.0, cos))))
        if 180.0 - angle < abs(bend_deg):
            lo = mid
        else:
            hi = mid
    return base + normal * lo * math.copysign(1.0, bend_deg)


def plank_points(
    bend_deg: float = 0.0,
    arm_tilt_deg: float = 0.0,
    head_deg: float = 0.0,
    knee_deg: float = 180.0,
    shoulder_height_m: float = 0.32,
    hips_on_floor: bool = False,
) -> dict[str, np.ndarray]:
    """A forearm plank seen from the side, head toward +x.

    bend_deg: hip above (+, pike) or below (-, sag) the shoulder-ankle line.
    arm_tilt_deg: the upper arm's tilt from vertical (elbows ahead of the shoulders).
    head_deg: the head dropped toward the floor relative to the trunk line.
    knee_deg: the knee angle (180 = straight; kneeling ~90, the knee put on the floor).
    """
    elbow = np.array([0.0, -0.05])
    shoulder = elbow + rot(np.array([0.0, -0.30]), arm_tilt_deg)
    shoulder[1] = -shoulder_height_m if arm_tilt_deg == 0 else shoulder[1]
    toe = np.array([-1.38, 0.0])
    ankle = np.array([-1.30, -0.08])
    hip = np.array([-0.55, -0.11]) if hips_on_floor else _hip_for_bend(shoulder, ankle, bend_deg)
    knee = hip + (ankle - hip) * 0.5
    if knee_deg < 180:
        # Bend the knee down to the floor: keep the thigh, move the shin and foot.
        thigh = knee - hip
        knee = hip + rot(thigh, -(180 - knee_deg) / 3)
        knee[1] = -0.05
        shin = rot(knee - hip, -(180 - knee_deg))
        ankle = knee + shin / np.linalg.norm(shin) * 0.42
        toe = ankle + np.array([-0.08, 0.05])
    trunk = shoulder - hip
    neck = rot(trunk / np.linalg.norm(trunk) * 0.22, -head_deg)
    ear = shoulder + neck
    return {
        "SHOULDER": shoulder,
        "ELBOW": elbow,
        "WRIST": elbow + np.array([0.28, 0.0]),
        "HIP": hip,
        "KNEE": knee,
        "ANKLE": ankle,
        "HEEL": ankle + np.array([-0.05, -0.04]),
        "FOOT_INDEX": toe,
        "EAR": ear,
        "EYE": ear + np.array([0.05, 0.02]),
        "NOSE": ear + np.array([0.09, 0.03]),
    }


def standing_points() -> dict[str, np.ndarray]:
    """Standing upright, seen from the side."""
    return {
        "SHOULDER": np.array([0.0, -1.45]),
        "ELBOW": np.array([0.0, -1.15]),
        "WRIST": np.array([0.02, -0.88]),
        "HIP": np.array([0.0, -0.95]),
        "KNEE": np.array([0.02, -0.5]),
        "ANKLE": np.array([0.0, -0.08]),
        "HEEL": np.array([-0.05, -0.03]),
        "FOOT_INDEX": np.array([0.15, 0.0]),
        "EAR": np.array([0.0, -1.62]),
        "EYE": np.array([0.06, -1.64]),
        "NOSE": np.array([0.1, -1.62]),
    }
