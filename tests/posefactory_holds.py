"""Synthetic 3D poses for the hold exercises (wall sit, side plank), seen from any yaw.

Points are built in a scene frame in metres: x right, y UP, z toward the camera, floor at
y = 0. `make_pose_3d` turns the scene about the vertical axis by `yaw_deg` (positive turns
+x toward the camera), projects it orthographically to a 640x360 image and fills the world
coordinates (origin between the hips, y down) the way MediaPipe does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from formcoach.landmarks import NUM_LANDMARKS, Landmark
from formcoach.types import Pose
from tests.posefactory import _hip_for_bend

IMAGE_SIZE = (640, 360)
PX_PER_M = 200.0
ORIGIN_PX = np.array([320.0, 340.0])

Points = dict[str, np.ndarray]


def make_pose_3d(
    points: Points,
    yaw_deg: float = 0.0,
    lateral: np.ndarray | None = None,
    visibility: float = 0.95,
    far_visibility: float = 0.6,
    hidden: Iterable[str] = (),
) -> Pose:
    """A Pose from scene points keyed by landmark name ("LEFT_HIP", "NOSE", ...).

    lateral: the person's right-to-left direction in the scene; the side turned away from
    the camera gets `far_visibility`. Landmarks named in `hidden` (or whose name contains
    one, e.g. "ANKLE") get visibility 0.1."""
    c, s = math.cos(math.radians(yaw_deg)), math.sin(math.radians(yaw_deg))
    image = np.zeros((NUM_LANDMARKS, 3))
    world = np.zeros((NUM_LANDMARKS, 3))
    vis = np.full(NUM_LANDMARKS, visibility)
    cam = {k: np.array([v[0] * c - v[2] * s, v[1], v[0] * s + v[2] * c]) for k, v in points.items()}
    hip_mid = (cam["LEFT_HIP"] + cam["RIGHT_HIP"]) / 2
    left_z = 0.0
    if lateral is not None:
        left_z = float(lateral[0] * s + lateral[2] * c)
    far = "LEFT" if left_z < -0.5 else ("RIGHT" if left_z > 0.5 else None)
    hidden = tuple(hidden)
    for name, p in cam.items():
        lm = Landmark[name]
        px = ORIGIN_PX + np.array([p[0], -p[1]]) * PX_PER_M
        image[lm] = (px[0] / IMAGE_SIZE[0], px[1] / IMAGE_SIZE[1], -p[2])
        world[lm] = (p[0] - hip_mid[0], -(p[1] - hip_mid[1]), -(p[2] - hip_mid[2]))
        if far is not None and name.startswith(far):
            vis[lm] = far_visibility
        if any(h in name for h in hidden):
            vis[lm] = 0.1
    return Pose(image, world, vis, np.ones(NUM_LANDMARKS), IMAGE_SIZE)


def _both_sides(center: dict[str, np.ndarray], half_width: dict[str, float], lat: np.ndarray):
    out: Points = {}
    for name, p in center.items():
        if name in half_width:
            out[f"LEFT_{name}"] = p + lat * half_width[name]
            out[f"RIGHT_{name}"] = p - lat * half_width[name]
        else:
            out[name] = p
    return out


# The wall sit faces +x (its right side toward the camera at yaw 0: a side view; yaw 90
# turns it to face the camera).
WALL_SIT_LATERAL = np.array([0.0, 0.0, -1.0])


def wall_sit_points(
    thigh_deg: float = 0.0, shin_deg: float = 0.0, trunk_lean_deg: float = 0.0
) -> Points:
    """A wall sit. thigh_deg: thighs above parallel (hips higher than knees); 90 is
    standing. shin_deg: knees ahead of the ankles (+) or behind (-). trunk_lean_deg: the
    trunk leaning forward off the wall."""
    t, sh, lean = (math.radians(a) for a in (thigh_deg, shin_deg, trunk_lean_deg))
    ankle = np.array([0.0, 0.08, 0.0])
    knee = ankle + 0.44 * np.array([math.sin(sh), math.cos(sh), 0.0])
    hip = knee + 0.45 * np.array([-math.cos(t), math.sin(t), 0.0])
    shoulder = hip + 0.52 * np.array([math.sin(lean), math.cos(lean), 0.0])
    ear = shoulder + np.array([0.02, 0.2, 0.0])
    center = {
        "ANKLE": ankle,
        "HEEL": ankle + np.array([-0.05, -0.05, 0.0]),
        "FOOT_INDEX": ankle + np.array([0.15, -0.07, 0.0]),
        "KNEE": knee,
        "HIP": hip,
        "SHOULDER": shoulder,
        "ELBOW": shoulder + np.array([0.3, 0.0, 0.0]),  # arms straight out in front
        "WRIST": shoulder + np.array([0.58, 0.0, 0.0]),
        "EAR": ear,
        "EYE": ear + np.array([0.08, 0.02, 0.0]),
        "NOSE": ear + np.array([0.11, 0.0, 0.0]),
    }
    widths = {
        "ANKLE": 0.15,
        "HEEL": 0.15,
        "FOOT_INDEX": 0.15,
        "KNEE": 0.15,
        "HIP": 0.1,
        "SHOULDER": 0.19,
        "ELBOW": 0.2,
        "WRIST": 0.2,
        "EAR": 0.07,
        "EYE": 0.03,
    }
    return _both_sides(center, widths, WALL_SIT_LATERAL)


def kneeling_points() -> Points:
    """Kneeling upright: the knee angle of a wall sit, but the shins on the floor."""
    pts = wall_sit_points(thigh_deg=90.0)
    down = np.array([0.0, -0.44, 0.0])
    feet = ("ANKLE", "HEEL", "FOOT_INDEX")
    for name in pts:
        if not name.endswith(feet):
            pts[name] = pts[name] + down
    for side in ("LEFT", "RIGHT"):
        ankle = pts[f"{side}_KNEE"] + np.array([-0.44, 0.0, 0.0])
        pts[f"{side}_ANKLE"] = ankle
        pts[f"{side}_HEEL"] = ankle + np.array([-0.02, 0.05, 0.0])
        pts[f"{side}_FOOT_INDEX"] = ankle + np.array([-0.15, -0.05, 0.0])
    return pts


def _bottom_chain(
    bend_deg: float, arm: str, arm_tilt_deg: float, knee_deg: float, hips_on_floor: bool
) -> dict[str, np.ndarray]:
    """The underneath side of a side plank in 2D (x toward the head, y DOWN, floor 0)."""
    if arm == "straight":
        wrist = np.array([0.0, -0.03])
        elbow = np.array([0.0, -0.30])
        shoulder = np.array([0.0, -0.58])
    else:
        elbow = np.array([0.0, -0.04])
        wrist = elbow + np.array([0.04, 0.0])
        shoulder = elbow + np.array([0.0, -0.30])
    if arm_tilt_deg:  # the support stays on the floor, the shoulder moves toward the feet
        a = math.radians(arm_tilt_deg)
        upper = float(np.linalg.norm(shoulder - elbow))
        shoulder = elbow + upper * np.array([-math.sin(a), -math.cos(a)])
    ankle = np.array([-1.35, -0.06])
    hip = np.array([-0.5, -0.10]) if hips_on_floor else _hip_for_bend(shoulder, ankle, bend_deg)
    knee = hip + (ankle - hip) * 0.5
    if knee_deg < 180:  # the underneath knee bent and down on the floor, shin back
        knee = np.array([hip[0] - 0.42, -0.06])
        b = math.radians(180 - knee_deg)
        thigh = (knee - hip) / np.linalg.norm(knee - hip)
        shin = np.array(
            [
                thigh[0] * math.cos(b) - thigh[1] * math.sin(b),
                thigh[0] * math.sin(b) + thigh[1] * math.cos(b),
            ]
        )
        ankle = knee + shin * 0.42
    return {
        "WRIST": wrist,
        "ELBOW": elbow,
        "SHOULDER": shoulder,
        "HIP": hip,
        "KNEE": knee,
        "ANKLE": ankle,
    }


def side_plank_points(
    bottom: str = "left",
    bend_deg: float = 0.0,
    arm: str = "forearm",
    arm_tilt_deg: float = 0.0,
    knee_deg: float = 180.0,
    hips_on_floor: bool = False,
    prone: bool = False,
) -> Points:
    """A side plank with the chest toward the camera at yaw 0; `bottom` is the side
    underneath. With the chest to the camera, the left side underneath puts the head to the
    image right. bend_deg: hips above (+, pike) or below (-, drop) the line. prone: the
    same line lying face down (a forearm plank seen from the side), shoulders not stacked.
    """
    chain = _bottom_chain(bend_deg, arm, arm_tilt_deg, knee_deg, hips_on_floor)
    head = 1.0 if bottom == "left" else -1.0
    top = "RIGHT" if bottom == "left" else "LEFT"
    stack = np.array([0.0, 0.0, -1.0]) if prone else np.array([0.0, 1.0, 0.0])
    pts: Points = {}
    for name, p in chain.items():
        pts[f"{bottom.upper()}_{name}"] = np.array([head * p[0], -p[1], 0.0])
    offsets = {"SHOULDER": 0.36, "HIP": 0.2, "KNEE": 0.1, "ANKLE": 0.1}
    for name, off in offsets.items():
        pts[f"{top}_{name}"] = pts[f"{bottom.upper()}_{name}"] + stack * off
    if prone:
        pts[f"{top}_ELBOW"] = pts[f"{bottom.upper()}_ELBOW"] + stack * 0.36
        pts[f"{top}_WRIST"] = pts[f"{bottom.upper()}_WRIST"] + stack * 0.36
    else:  # top hand on the hip
        pts[f"{top}_ELBOW"] = pts[f"{top}_SHOULDER"] + np.array([-head * 0.12, 0.2, 0.05])
        pts[f"{top}_WRIST"] = pts[f"{top}_HIP"] + np.array([0.0, 0.05, 0.05])
    for side in ("LEFT", "RIGHT"):
        ankle = pts[f"{side}_ANKLE"]
        pts[f"{side}_HEEL"] = ankle + np.array([-head * 0.05, 0.0, -0.03])
        pts[f"{side}_FOOT_INDEX"] = ankle + np.array([head * 0.02, 0.0, 0.15])
    mid = (pts["LEFT_SHOULDER"] + pts["RIGHT_SHOULDER"]) / 2
    trunk = mid - (pts["LEFT_HIP"] + pts["RIGHT_HIP"]) / 2
    ear = mid + trunk / np.linalg.norm(trunk) * 0.22
    pts["NOSE"] = ear + np.array([0.0, 0.0, 0.1])
    for side, sign in (("LEFT", -1.0), ("RIGHT", 1.0)):
        s = sign if bottom == "left" else -sign
        pts[f"{side}_EAR"] = ear + stack * 0.07 * -s
        pts[f"{side}_EYE"] = ear + stack * 0.03 * -s + np.array([0.0, 0.0, 0.09])
    return pts


def standing_points() -> Points:
    return wall_sit_points(thigh_deg=90.0)
