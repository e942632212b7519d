"""Shared measures for exercises lying on the back (and the avoid list that watches them).

Helpers used by the partial crunch, straight-leg raise, abdominal bracing, ankle pumps,
foam rolling and the avoid list.

Conventions (image pixels, y down, a side or oblique camera):
- `feet_dir` is +1 when the feet lie to the right of the hips in the image, -1 to the left.
  It comes from the shoulders (behind the hips) and the knees (ahead of them), so it holds
  when the trunk sits up past vertical or the legs point at the ceiling.
- `trunk_lift_deg`: the hip->shoulder segment's angle above the floor, toward the head:
  0 lying flat, 90 sitting upright, more than 90 curled forward past vertical.
- `leg_raise_deg_<side>`: the hip->ankle segment's angle above the floor, toward the feet:
  0 leg flat, 90 pointing at the ceiling. `knee_deg_<side>`: 180 straight.
- Heights (`*_y_ratio*`) are in lengths of the near leg in the image (hip-knee plus
  knee-ankle), so they do not depend on how far the camera is; the leg's image length
  changes little when the trunk curls up, unlike the torso's seen from an oblique camera.
"""

from __future__ import annotations

import math

from formcoach.geometry import distance, joint_angle_deg, midpoint
from formcoach.landmarks import Landmark as L
from formcoach.landmarks import sided
from formcoach.types import FloatArray, Pose, Side

LEG_JOINTS = ("HIP", "KNEE", "ANKLE", "HEEL", "FOOT_INDEX")
# MediaPipe world coordinates put a typical adult's hip-ankle length at 0.75-0.95 m; used
# when the world estimate is degenerate.
DEFAULT_LEG_M = 0.85


def _angle_above_deg(origin: FloatArray, point: FloatArray, forward: float) -> float:
    """Angle of origin->point above the image horizontal, measured from `forward` (+-1 x)."""
    d = point - origin
    return math.degrees(math.atan2(-float(d[1]), forward * float(d[0])))


def feet_direction(p: FloatArray) -> float:
    """+1 when the feet lie to the right of the hips in the image, -1 to the left."""
    hip = midpoint(p[L.LEFT_HIP], p[L.RIGHT_HIP])
    shoulder = midpoint(p[L.LEFT_SHOULDER], p[L.RIGHT_SHOULDER])
    knee = midpoint(p[L.LEFT_KNEE], p[L.RIGHT_KNEE])
    s = float((hip[0] - shoulder[0]) + (knee[0] - hip[0]))
    return 1.0 if s >= 0 else -1.0


def leg_length_m(pose: Pose, side: Side) -> float:
    """Hip-knee-ankle length of one leg from MediaPipe's world landmarks (metres)."""
    w = pose.world_m
    hip, knee, ankle = (w[int(sided(side, j))] for j in ("HIP", "KNEE", "ANKLE"))
    length = float(distance(hip, knee) + distance(knee, ankle))
    return length if 0.5 <= length <= 1.3 else DEFAULT_LEG_M


def supine_signals(pose: Pose, side: Side, min_visibility: float) -> dict[str, float]:
    """Signals of a body lying on its back seen from `side`; {} when the trunk is hidden."""
    vis = pose.visibility
    core = [int(sided(side, j)) for j in ("SHOULDER", "HIP")]
    if vis[core].min() < min_visibility:
        return {}
    p = pose.image_px
    fwd = feet_direction(p)
    sh, hip = p[int(sided(side, "SHOULDER"))], p[int(sided(side, "HIP"))]
    torso = float(distance(sh, hip))
    if not torso > 0:
        return {}
    knee, ankle = p[int(sided(side, "KNEE"))], p[int(sided(side, "ANKLE"))]
    leg = float(distance(hip, knee) + distance(knee, ankle))
    if not leg > 0:
        return {}
    out = {
        "feet_dir": fwd,
        "torso_px": torso,
        "leg_px": leg,
        "trunk_lift_deg": _angle_above_deg(hip, sh, -fwd),
        # Heights above the near hip, in leg lengths (positive = higher in the image).
        "shoulder_y_ratio": (hip[1] - sh[1]) / leg,
    }
    for s in ("left", "right"):
        hip_s, knee, ankle, heel, toe = (p[int(sided(s, j))] for j in LEG_JOINTS)
        out[f"knee_deg_{s}"] = float(joint_angle_deg(hip_s, knee, ankle))
        out[f"leg_raise_deg_{s}"] = _angle_above_deg(hip_s, ankle, fwd)
        out[f"thigh_raise_deg_{s}"] = _angle_above_deg(hip_s, knee, fwd)
        out[f"heel_y_ratio_{s}"] = (hip[1] - heel[1]) / leg
        out[f"heel_y_abs_{s}"] = float(heel[1]) / leg
        out[f"toe_y_ratio_{s}"] = (hip[1] - toe[1]) / leg
        # Ankle dorsiflexion: the foot's angle to the shin (larger = toes pulled up more).
        out[f"foot_shin_deg_{s}"] = 180.0 - float(joint_angle_deg(knee, ankle, toe))
    # Image heights in leg lengths (y down), for heights over a floor found from the feet.
    out["hip_y_abs"] = float(hip[1]) / leg
    return out
