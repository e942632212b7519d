"""Shared measures for foam rolling (not an exercise): where the roller sits under the back,
and the arms and shoulders of a body lying along a roller.

The roller is not a landmark, so it is located from body geometry (image pixels, y down, a
side or oblique camera, heights in lengths of the near leg in the image). Lying back over
a roller across the body, with the feet on the floor, the back touches the roller's top,
a fixed height above the floor: the roller's diameter (~15 cm) plus the distance from the
back's surface to MediaPipe's hip/shoulder points (~10 cm), together `contact_ratio` leg
lengths (~0.30) above the floor, the floor being the lower heel. The straight
hip->shoulder line crosses that height at the contact point; its fraction of the way from
the hip to the shoulder says where the roller is: the lumbar spine spans roughly the first
half (hip joint to the thoracolumbar junction), the thoracic spine, ribs around it, the
rest. A roller nearer the hips makes the trunk steeper for the same hip height.

Limits: with the hips lifted level with the roller (a bridge) the line no longer crosses
the contact height near the back and the fraction is not found (NaN: can't judge); a much
thinner or thicker roller or body shifts it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from formcoach.exercises._signals.lying import supine_signals
from formcoach.exercises.rules import Signals
from formcoach.exercises.settings import ExerciseConfig
from formcoach.geometry import distance, joint_angle_deg
from formcoach.landmarks import sided
from formcoach.types import Check, Pose, Side

# The joint line's height over the floor where the back rests on a 15 cm roller, in leg
# lengths: 15 cm + ~10 cm (back surface to the joint centres), over a ~85 cm leg.
CONTACT_RATIO = 0.30
# The hip->shoulder line must rise at least this much (leg lengths) to locate a contact.
MIN_RISE_RATIO = 0.08


def roller_signals(pose: Pose, side: Side, min_visibility: float) -> dict[str, float]:
    """Supine signals plus heights over the floor and `roller_at_trunk` (0 hip, 1 shoulder;
    NaN when the trunk is too flat to tell); {} when the body is hidden."""
    s = supine_signals(pose, side, min_visibility)
    if not s:
        return {}
    p, leg = pose.image_px, s["leg_px"]
    floor = max(float(p[sided(f, "HEEL")][1]) for f in ("left", "right"))
    hip = (floor - float(p[sided(side, "HIP")][1])) / leg
    shoulder = (floor - float(p[sided(side, "SHOULDER")][1])) / leg
    s["hip_height_ratio"] = hip
    s["shoulder_height_ratio"] = shoulder
    rise = shoulder - hip
    at = (CONTACT_RATIO - hip) / rise if rise >= MIN_RISE_RATIO else math.nan
    s["roller_at_trunk"] = at if -0.5 <= at <= 1.5 else math.nan
    s["knee_deg"] = min(s["knee_deg_left"], s["knee_deg_right"])
    return s


def longer_leg(pose: Pose) -> tuple[Side, float]:
    """The side and hip-knee-ankle image length of the longer leg: MediaPipe sometimes
    folds the leg behind the roller onto the hip (measured on a rendered glutes clip), and
    the longer of the two is then the real one."""
    p = pose.image_px

    def length(s: Side) -> float:
        hip, knee, ankle = (p[int(sided(s, j))] for j in ("HIP", "KNEE", "ANKLE"))
        return float(distance(hip, knee) + distance(knee, ankle))

    sides: tuple[Side, Side] = ("left", "right")
    return max(((s, length(s)) for s in sides), key=lambda sl: sl[1])


def lengthwise_signals(pose: Pose, side: Side, min_visibility: float) -> dict[str, float]:
    """Lying along a roller under the spine: supine signals plus each arm's raise and the
    shoulders' tilt; {} when the body is hidden.

    `arm_raise_deg_<side>`: the image angle hip-shoulder-wrist: 0 arm along the body, 90
    pointing at the ceiling (trunk flat, side camera), 180 overhead.
    `shoulder_tilt_ratio`: the left shoulder's image height below the right one, in
    lengths of the longer leg; positive when the trunk turns to the left (the left
    shoulder goes down, the right one up), whichever way the camera looks."""
    s = supine_signals(pose, side, min_visibility)
    if not s:
        return {}
    p = pose.image_px
    for a in ("left", "right"):
        hip, sh, wrist = (p[int(sided(a, j))] for j in ("HIP", "SHOULDER", "WRIST"))
        s[f"arm_raise_deg_{a}"] = float(joint_angle_deg(hip, sh, wrist))
    _, leg = longer_leg(pose)
    left, right = p[int(sided("left", "SHOULDER"))], p[int(sided("right", "SHOULDER"))]
    s["shoulder_tilt_ratio"] = float(left[1] - right[1]) / leg if leg > 0 else math.nan
    s["knee_deg"] = min(s["knee_deg_left"], s["knee_deg_right"])
    return s


@dataclass(frozen=True, kw_only=True)
class LengthwiseConfig(ExerciseConfig):
    # Lying back along the roller: the trunk rises at most 50 deg toward the head (flat on
    # a roller ~0-15; the rendered clips tilt it 30-45); sitting up is more.
    max_trunk_deg: float = 50.0
    # Knees bent, feet flat (rendered: 50-75 deg); straight legs read ~170.
    max_knee_deg: float = 130.0


def lying_along(signals: Signals, config: LengthwiseConfig) -> Check:
    """The position shared by the lengthwise foam exercises."""
    if not signals:
        return Check("position", None, "show your whole body to the camera")
    if signals["trunk_lift_deg"] > config.max_trunk_deg:
        return Check("position", False, "lie back along the roller, head and hips on it")
    if signals["knee_deg"] > config.max_knee_deg:
        return Check("position", False, "bend your knees, feet flat on the floor")
    return Check("position", True)
