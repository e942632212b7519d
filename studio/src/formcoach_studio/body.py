"""A parametric body: body sizes -> segment lengths, joint angles -> 3D joints.

Conventions, written once:

- World: metres, y up, the floor is y = 0; x and z lie on the floor.
- Body-local frame (every segment frame at zero angles): x anterior (the way the chest
  faces), y up (towards the head), z towards the subject's anatomical RIGHT. It is
  right-handed, so left is -z. Left/right always mean the subject's own sides.
- Angles are in degrees and all zero in the anatomical standing pose (arms hanging).
  Positive flexion moves a limb forward (knee and spine flexion bend the usual way),
  positive abduction moves a limb away from the midline, positive ankle flexion is
  dorsiflexion (toes up).
- Root: `yaw_deg` turns the body about world up (0 faces +x), `pitch_deg` leans the body
  forward (90 = prone, -90 = supine), `roll_deg` leans it towards its right side
  (-90 = lying on the left side), `pelvis_twist_deg` turns the pelvis about its own long
  axis (towards its left). The root height is set later by grounding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from formcoach.landmarks import NUM_LANDMARKS, Landmark

FloatArray = npt.NDArray[np.float64]
Angles = Mapping[str, float]

_LIMB_KEYS = (
    "hip_flex_deg",
    "hip_abd_deg",
    "hip_rot_deg",
    "knee_flex_deg",
    "ankle_flex_deg",
    "shoulder_flex_deg",
    "shoulder_abd_deg",
    "shoulder_rot_deg",
    "elbow_flex_deg",
    "wrist_flex_deg",
)
_AXIAL_KEYS = (
    "root_x_m",
    "root_z_m",
    "lift_m",
    "yaw_deg",
    "pitch_deg",
    "roll_deg",
    "pelvis_twist_deg",
    "spine_flex_deg",
    "spine_bend_deg",
    "spine_twist_deg",
    "neck_flex_deg",
    "neck_twist_deg",
)
ANGLE_KEYS: tuple[str, ...] = _AXIAL_KEYS + tuple(
    f"{side}_{key}" for side in ("left", "right") for key in _LIMB_KEYS
)
NEUTRAL: dict[str, float] = dict.fromkeys(ANGLE_KEYS, 0.0)


def full_angles(angles: Angles) -> dict[str, float]:
    """`angles` completed with zeros; unknown keys raise and name the valid ones."""
    unknown = set(angles) - set(ANGLE_KEYS)
    if unknown:
        raise KeyError(f"unknown angle keys {sorted(unknown)}; expecting some of {ANGLE_KEYS}")
    out = dict(NEUTRAL)
    out.update(angles)
    return out


@dataclass(frozen=True, slots=True)
class BodySize:
    """A body build: standing height and a girth factor (1 = average limb radii)."""

    name: str
    height_m: float
    girth: float


BODY_SIZES: dict[str, BodySize] = {
    b.name: b
    for b in (
        BodySize("average", 1.72, 1.0),
        BodySize("short_slim", 1.55, 0.88),
        BodySize("short_heavy", 1.60, 1.3),
        BodySize("tall_slim", 1.90, 0.9),
        BodySize("tall_heavy", 1.86, 1.25),
    )
}


@dataclass(frozen=True, slots=True)
class Segments:
    """Segment lengths and limb radii in metres (fractions of height after Drillis & Contini)."""

    thigh_m: float
    shank_m: float
    upper_arm_m: float
    forearm_m: float
    hand_m: float
    foot_m: float
    ankle_height_m: float
    hip_width_m: float
    shoulder_width_m: float
    torso_m: float
    neck_m: float
    head_radius_m: float
    girth: float
    height_m: float


def segments_for(size: BodySize) -> Segments:
    """Segment lengths of a body of the given size."""
    h = size.height_m
    return Segments(
        thigh_m=0.245 * h,
        shank_m=0.246 * h,
        upper_arm_m=0.186 * h,
        forearm_m=0.146 * h,
        hand_m=0.108 * h,
        foot_m=0.152 * h,
        ankle_height_m=0.039 * h,
        hip_width_m=0.11 * h,
        shoulder_width_m=0.21 * h,
        torso_m=0.288 * h,
        neck_m=0.045 * h,
        head_radius_m=0.047 * h,
        girth=size.girth,
        height_m=h,
    )


def rot_x(deg: float) -> FloatArray:
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def rot_y(deg: float) -> FloatArray:
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def rot_z(deg: float) -> FloatArray:
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def _v(x: float, y: float, z: float) -> FloatArray:
    return np.array([x, y, z], dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Skeleton:
    """Named 3D points (metres, world) and the head's rotation, before or after grounding."""

    points: dict[str, FloatArray]
    head_rot: FloatArray
    hand_rots: dict[str, FloatArray]
    foot_rots: dict[str, FloatArray]

    def shifted(self, offset: FloatArray) -> Skeleton:
        return Skeleton(
            {k: p + offset for k, p in self.points.items()},
            self.head_rot,
            self.hand_rots,
            self.foot_rots,
        )

    def landmarks_m(self) -> FloatArray:
        """(33, 3) MediaPipe points in world metres, anatomical left/right."""
        out = np.empty((NUM_LANDMARKS, 3))
        for lm in Landmark:
            out[int(lm)] = self.points[lm.name.lower()]
        return out


def root_rotation(a: Angles) -> FloatArray:
    return (
        rot_y(a["yaw_deg"])
        @ rot_z(-a["pitch_deg"])
        @ rot_x(a["roll_deg"])
        @ rot_y(a["pelvis_twist_deg"])
    )


def _leg(
    seg: Segments,
    a: Angles,
    side: str,
    r_pelvis: FloatArray,
    hip: FloatArray,
    pts: dict[str, FloatArray],
    foot_rots: dict[str, FloatArray],
) -> None:
    sign = -1.0 if side == "left" else 1.0  # abduction moves the left leg towards -z
    p = f"{side}_"
    r_thigh = (
        r_pelvis
        @ rot_z(a[p + "hip_flex_deg"])
        @ rot_x(-sign * a[p + "hip_abd_deg"])
        @ rot_y(-sign * a[p + "hip_rot_deg"])
    )
    knee = hip + r_thigh @ _v(0, -seg.thigh_m, 0)
    r_shank = r_thigh @ rot_z(-a[p + "knee_flex_deg"])
    ankle = knee + r_shank @ _v(0, -seg.shank_m, 0)
    r_foot = r_shank @ rot_z(a[p + "ankle_flex_deg"])
    pts[p + "hip"], pts[p + "knee"], pts[p + "ankle"] = hip, knee, ankle
    pts[p + "heel"] = ankle + r_foot @ _v(-0.2 * seg.foot_m, -0.8 * seg.ankle_height_m, 0)
    pts[p + "foot_index"] = ankle + r_foot @ _v(
        0.72 * seg.foot_m, -0.75 * seg.ankle_height_m, -sign * 0.01
    )
    foot_rots[side] = r_foot


def _arm(
    seg: Segments,
    a: Angles,
    side: str,
    r_trunk: FloatArray,
    shoulder: FloatArray,
    pts: dict[str, FloatArray],
    hand_rots: dict[str, FloatArray],
) -> None:
    sign = -1.0 if side == "left" else 1.0
    p = f"{side}_"
    r_upper = (
        r_trunk
        @ rot_z(a[p + "shoulder_flex_deg"])
        @ rot_x(-sign * a[p + "shoulder_abd_deg"])
        @ rot_y(-sign * a[p + "shoulder_rot_deg"])
    )
    elbow = shoulder + r_upper @ _v(0, -seg.upper_arm_m, 0)
    r_fore = r_upper @ rot_z(a[p + "elbow_flex_deg"])
    wrist = elbow + r_fore @ _v(0, -seg.forearm_m, 0)
    r_hand = r_fore @ rot_z(a[p + "wrist_flex_deg"])
    knuckles = wrist + r_hand @ _v(0, -0.45 * seg.hand_m, 0)
    half_palm = 0.08 * seg.hand_m * 4.0 / 3.0
    pts[p + "shoulder"], pts[p + "elbow"], pts[p + "wrist"] = shoulder, elbow, wrist
    pts[p + "index"] = knuckles + r_hand @ _v(half_palm, 0, 0)
    pts[p + "pinky"] = knuckles + r_hand @ _v(-half_palm, 0.01, 0)
    pts[p + "thumb"] = wrist + r_hand @ _v(0.035, -0.3 * seg.hand_m, -sign * 0.02)
    pts[p + "fingertips"] = wrist + r_hand @ _v(0.0, -seg.hand_m, 0)
    pts[p + "knuckles"] = knuckles
    hand_rots[side] = r_hand


# Face points on the head sphere, in head-local units of the head radius (x front, z right).
_FACE: dict[str, tuple[float, float, float]] = {
    "nose": (1.0, -0.12, 0.0),
    "left_eye_inner": (0.93, 0.2, -0.14),
    "left_eye": (0.88, 0.2, -0.32),
    "left_eye_outer": (0.8, 0.2, -0.5),
    "right_eye_inner": (0.93, 0.2, 0.14),
    "right_eye": (0.88, 0.2, 0.32),
    "right_eye_outer": (0.8, 0.2, 0.5),
    "left_ear": (0.0, 0.05, -1.0),
    "right_ear": (0.0, 0.05, 1.0),
    "mouth_left": (0.88, -0.45, -0.22),
    "mouth_right": (0.88, -0.45, 0.22),
}


def face_offsets(radius_m: float) -> dict[str, FloatArray]:
    """Face points relative to the head centre, on the head sphere (nose sticks out)."""
    out = {}
    for name, xyz in _FACE.items():
        v = np.array(xyz)
        v = v / np.linalg.norm(v) * radius_m
        out[name] = v * (1.12 if name == "nose" else 1.0)
    return out


def forward_kinematics(seg: Segments, angles: Angles) -> Skeleton:
    """All points of the body for these angles, pelvis centre at (root_x, 0, root_z)."""
    a = full_angles(angles)
    r_pelvis = root_rotation(a)
    pelvis = _v(a["root_x_m"], 0.0, a["root_z_m"])
    flex, bend, twist = a["spine_flex_deg"], a["spine_bend_deg"], a["spine_twist_deg"]
    r_lumbar = r_pelvis @ rot_z(-flex / 2) @ rot_x(-bend / 2) @ rot_y(twist / 2)
    r_trunk = r_pelvis @ rot_z(-flex) @ rot_x(-bend) @ rot_y(twist)
    mid_spine = pelvis + r_lumbar @ _v(0, 0.45 * seg.torso_m, 0)
    chest = mid_spine + r_trunk @ _v(0, 0.55 * seg.torso_m, 0)
    pts: dict[str, FloatArray] = {"pelvis": pelvis, "mid_spine": mid_spine, "chest": chest}
    hand_rots: dict[str, FloatArray] = {}
    foot_rots: dict[str, FloatArray] = {}
    for side, sign in (("left", -1.0), ("right", 1.0)):
        hip = pelvis + r_pelvis @ _v(0, 0, sign * seg.hip_width_m / 2)
        _leg(seg, a, side, r_pelvis, hip, pts, foot_rots)
        shoulder = chest + r_trunk @ _v(0, 0, sign * seg.shoulder_width_m / 2)
        _arm(seg, a, side, r_trunk, shoulder, pts, hand_rots)
    r_head = r_trunk @ rot_z(-a["neck_flex_deg"]) @ rot_y(a["neck_twist_deg"])
    neck_top = chest + r_trunk @ _v(0, seg.neck_m, 0)
    head = neck_top + r_head @ _v(0.15 * seg.head_radius_m, 0.8 * seg.head_radius_m, 0)
    pts["neck_top"], pts["head"] = neck_top, head
    for name, off in face_offsets(seg.head_radius_m).items():
        pts[name] = head + r_head @ off
    return Skeleton(pts, r_head, hand_rots, foot_rots)
