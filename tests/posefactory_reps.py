"""Synthetic 3D poses for the rep exercises (lunge, knee rolls): milliseconds each, no model.

Bodies are built in a scene frame in metres: X and Z horizontal, Y DOWN, the floor at
Y = 0. `camera_pose` turns the camera (yaw about the vertical, then pitch down) and
projects orthographically to a 640x360 image; `world_m` is the camera-frame position
relative to the hip centre, as MediaPipe gives it. Landmarks a builder does not place sit
at the hip centre with zero visibility.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from formcoach.landmarks import NUM_LANDMARKS, Landmark
from formcoach.types import Pose

IMAGE_SIZE = (640, 360)
PX_PER_M = 150.0
Points = dict[str, np.ndarray]


def _rot_y(deg: float) -> np.ndarray:
    r = math.radians(deg)
    c, s = math.cos(r), math.sin(r)
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def _rot_x(deg: float) -> np.ndarray:
    r = math.radians(deg)
    c, s = math.cos(r), math.sin(r)
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def camera_pose(
    points: Mapping[str, np.ndarray],
    yaw_deg: float = 0.0,
    pitch_deg: float = 0.0,
    centre_px: tuple[float, float] = (320.0, 200.0),
    visibility: float = 0.95,
    scale: float = 1.0,
) -> Pose:
    """A Pose of `points` (full landmark names, scene metres) seen by a turned camera.

    yaw_deg 0: the camera looks along +Z; pitch_deg 90: it looks straight down."""
    rot = _rot_x(pitch_deg) @ _rot_y(yaw_deg)
    cam = {name: rot @ np.asarray(p, dtype=float) for name, p in points.items()}
    hip_mid = (cam["LEFT_HIP"] + cam["RIGHT_HIP"]) / 2
    image = np.zeros((NUM_LANDMARKS, 3))
    world = np.zeros((NUM_LANDMARKS, 3))
    vis = np.zeros(NUM_LANDMARKS)
    for lm in Landmark:
        p = cam.get(lm.name)
        if p is None:
            image[lm] = (centre_px[0] / IMAGE_SIZE[0], centre_px[1] / IMAGE_SIZE[1], 0.0)
            continue
        rel = p - hip_mid
        px = np.array(centre_px) + rel[:2] * PX_PER_M * scale
        image[lm] = (px[0] / IMAGE_SIZE[0], px[1] / IMAGE_SIZE[1], rel[2])
        world[lm] = rel
        vis[lm] = visibility
    return Pose(image, world, vis, np.ones(NUM_LANDMARKS), IMAGE_SIZE)


def _sides(name: str, left: np.ndarray, right: np.ndarray) -> Points:
    return {f"LEFT_{name}": left, f"RIGHT_{name}": right}


# --- lunge ------------------------------------------------------------------------------
SHIN_M = 0.45
THIGH_M = 0.45
HALF_HIP_M = 0.10
TORSO_M = 0.50


def _unit(deg: float) -> np.ndarray:
    """A unit vector in the X-Y plane at `deg` from straight down (+Y), toward +X."""
    r = math.radians(deg)
    return np.array([math.sin(r), math.cos(r), 0.0])


def lunge_points(
    front_knee_deg: float = 90.0,
    front: str = "left",
    trunk_lean_deg: float = 5.0,
    shin_tilt_deg: float | None = None,
) -> Points:
    """A forward lunge facing +X; 180 = standing straight, ~90 = at depth.

    shin_tilt_deg: the front shin's forward tilt from vertical (default grows with the
    bend, ~10 deg at depth: knee over the ankle; 40 deg puts the knee far past the toes).
    The back knee hangs below the hip, so at depth it is near the floor."""
    bend = 180.0 - front_knee_deg
    tilt = bend / 9.0 if shin_tilt_deg is None else shin_tilt_deg
    step = bend / 90.0 * 0.55  # how far the front foot is ahead of the back one
    z = {"left": HALF_HIP_M, "right": -HALF_HIP_M}  # the left side is away from the camera
    back = "right" if front == "left" else "left"
    f_ankle = np.array([step / 2, -0.08, 0.0])
    f_knee = f_ankle - _unit(-tilt) * SHIN_M  # up the shin, the knee ahead of the ankle
    # The thigh leaves the knee at the knee's inner angle from the shin: up and back.
    hip = f_knee + _unit(-tilt - front_knee_deg) * THIGH_M
    b_knee = hip + _unit(-bend / 3.0) * THIGH_M
    b_ankle = b_knee + _unit(-bend) * SHIN_M
    legs: dict[str, dict[str, np.ndarray]] = {
        front: {"KNEE": f_knee, "ANKLE": f_ankle},
        back: {"KNEE": b_knee, "ANKLE": b_ankle},
    }
    pts: Points = {}
    for side, leg in legs.items():
        off = np.array([0.0, 0.0, z[side]])
        ankle = leg["ANKLE"] + off
        heel_lift = 0.0 if side == front else 0.06 * bend / 90.0
        pts |= {
            f"{side.upper()}_HIP": hip + off,
            f"{side.upper()}_KNEE": leg["KNEE"] + off,
            f"{side.upper()}_ANKLE": ankle,
            f"{side.upper()}_HEEL": ankle + np.array([-0.06, 0.04 - heel_lift, 0.0]),
            f"{side.upper()}_FOOT_INDEX": ankle + np.array([0.16, 0.07, 0.0]),
        }
    shoulder = hip + _unit(180.0 - trunk_lean_deg) * TORSO_M
    head = shoulder + _unit(180.0 - trunk_lean_deg) * 0.22
    for side, s in z.items():
        off = np.array([0.0, 0.0, 1.7 * s])
        pts |= {
            f"{side.upper()}_SHOULDER": shoulder + off,
            f"{side.upper()}_ELBOW": shoulder + off + np.array([-0.12, 0.25, 0.0]),
            f"{side.upper()}_WRIST": hip + off * 1.1 + np.array([0.02, -0.02, 0.0]),
            f"{side.upper()}_EAR": head + off * 0.4 + np.array([-0.02, 0.0, 0.0]),
        }
    pts["NOSE"] = head + np.array([0.1, 0.02, 0.0])
    return pts


def standing_points() -> Points:
    """Standing straight, facing +X (the start and end of every lunge)."""
    return lunge_points(front_knee_deg=178.0)


def lying_points() -> Points:
    """Lying on the back along X, head toward +X (not a lunge position)."""
    pts: Points = {}
    for side, z in (("LEFT", 0.1), ("RIGHT", -0.1)):
        pts |= {
            f"{side}_SHOULDER": np.array([0.5, -0.1, 1.7 * z]),
            f"{side}_ELBOW": np.array([0.25, -0.05, 2.0 * z]),
            f"{side}_WRIST": np.array([0.0, -0.05, 2.0 * z]),
            f"{side}_HIP": np.array([0.0, -0.1, z]),
            f"{side}_KNEE": np.array([-0.45, -0.1, z]),
            f"{side}_ANKLE": np.array([-0.9, -0.08, z]),
            f"{side}_HEEL": np.array([-0.95, -0.05, z]),
            f"{side}_FOOT_INDEX": np.array([-0.98, -0.2, z]),
            f"{side}_EAR": np.array([0.7, -0.12, 0.6 * z]),
        }
    pts["NOSE"] = np.array([0.75, -0.2, 0.0])
    return pts


# --- knee rolls -------------------------------------------------------------------------
# Supine along X, head toward +X, face up (-Y): the person's right is +Z.
FEET_YAW = -90.0  # the camera at the feet, looking along the body toward the head
HIP_CENTRE = np.array([0.0, -0.1, 0.0])


def _roll_about_long_axis(p: np.ndarray, deg: float) -> np.ndarray:
    """Rotate p about the X axis through the hip centre; + turns the knees (up, -Y) toward
    the person's right (+Z)."""
    return HIP_CENTRE + _rot_x(-deg) @ (p - HIP_CENTRE)


def knee_roll_points(
    roll_deg: float = 0.0,
    pelvis_share: float = 0.4,
    shoulder_lift_m: float = 0.0,
    lift_side: str = "left",
    knee_gap_m: float = 0.12,
    hip_deg: float = 120.0,
) -> Points:
    """Lying on the back, knees bent together, the legs rolled `roll_deg` to the right (+)
    or left (-), the pelvis following by `pelvis_share` of that; one shoulder lifted by
    `shoulder_lift_m`; `hip_deg` the shoulder-hip-knee angle (180: legs straight)."""
    thigh = _unit_xy(180.0 - hip_deg) * THIGH_M  # from the hip toward the feet, rising
    pts: Points = {}
    for side, sign in (("LEFT", -1.0), ("RIGHT", 1.0)):
        hip = HIP_CENTRE + np.array([0.0, 0.0, sign * HALF_HIP_M])
        knee = HIP_CENTRE + thigh + np.array([0.0, 0.0, sign * knee_gap_m / 2])
        ankle = np.array([knee[0] - 0.3, -0.08, knee[2]])
        legs = {
            "HIP": _roll_about_long_axis(hip, roll_deg * pelvis_share),
            "KNEE": _roll_about_long_axis(knee, roll_deg),
            "ANKLE": _roll_about_long_axis(ankle, roll_deg),
            "HEEL": _roll_about_long_axis(ankle + np.array([0.05, 0.05, 0.0]), roll_deg),
            "FOOT_INDEX": _roll_about_long_axis(ankle + np.array([-0.15, 0.06, 0.0]), roll_deg),
        }
        lift = shoulder_lift_m if side.lower() == lift_side else 0.0
        shoulder = np.array([0.5, -0.1 - lift, sign * 0.18])
        pts |= {f"{side}_{name}": p for name, p in legs.items()}
        pts |= {
            f"{side}_SHOULDER": shoulder,
            f"{side}_ELBOW": np.array([0.3, -0.05, sign * 0.35]),
            f"{side}_WRIST": np.array([0.1, -0.05, sign * 0.4]),
            f"{side}_EAR": np.array([0.7, -0.12, sign * 0.07]),
        }
    pts["NOSE"] = np.array([0.72, -0.22, 0.0])
    return pts


def _unit_xy(deg: float) -> np.ndarray:
    """A unit vector at `deg` above the floor, pointing toward the feet (-X)."""
    r = math.radians(deg)
    return np.array([-math.cos(r), -math.sin(r), 0.0])
