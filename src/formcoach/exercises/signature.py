"""How an exercise is recognised: the posture it is done in and what its movement over a
short window looks like. Each exercise declares its `Signature`; `formcoach.recognition`
measures the window and tries the signatures of the posture seen, in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

# upright (standing, a wall sit), folded (legs vertical, trunk bent forward), prone (face
# down), side_lying, supine (on the back).
Posture = Literal["upright", "folded", "prone", "side_lying", "supine"]
# Knees moving: lunges and wall slides bend the knees by 45-90 deg over a rep; a range
# (10th-90th percentile over the window) of 25 deg or more is movement, not sway.
KNEE_MOTION_DEG = 25.0
# Knees count as bent below 130 deg (crook lying: ~60-100), straight above 145.
BENT_KNEE_DEG = 130.0
STRAIGHT_KNEE_DEG = 145.0
# The trunk's tilt moving by 12 deg or more over the window: a partial crunch lifts the
# shoulders 15-30 deg, a sit-up far more.
TRUNK_LIFT_DEG = 12.0


@dataclass(frozen=True, slots=True)
class Window:
    """The body over the recognition window (about 2.5 s), from 3D world landmarks:
    medians, and ranges (10th-90th percentile) where movement matters."""

    tilt_deg: float  # trunk from vertical: 0 upright, 90 lying
    chest_up: float  # the chest normal's upward component: +1 supine, -1 prone, 0 side
    knee_min_deg: float  # the more bent knee (median)
    knee_max_deg: float  # the straighter knee (median)
    knee_lowest_deg: float  # the most either knee bent in the window
    knee_range_deg: float  # range of the more bent knee
    knee_asymmetry_deg: float  # median |left - right| while a knee is bent (NaN: none is)
    thigh_tilt_deg: float  # hip->knee from vertical: 0 standing, 90 thighs level
    trunk_lift_range_deg: float  # range of the trunk's tilt: a curl or a sit-up moves it
    tilt_lowest_deg: float  # the trunk's smallest tilt: how far up it came
    leg_lift_deg: float  # median hip flexion: 0 legs along the trunk line, 90 legs up
    leg_lift_range_deg: float
    knee_sway_range: float  # range of the knees' sideways shift, in thigh lengths
    hip_high_deg: float  # 90th percentile of the shoulder-hip-knee angle (180: extended)


@dataclass(frozen=True, slots=True)
class Signature:
    """The posture an exercise is done in, and a test of the window's movement. Within a
    posture the avoid-list movements are tried first (`recognition.signatures`), then the
    program exercises by `order`, lowest first, and a posture's catch-all last."""

    posture: Posture
    order: int
    seen: Callable[[Window], bool]
    # The posture held still: what every movement of the posture looks like between
    # reps, so it takes longer to replace an exercise going on (`switching.at_rest`).
    at_rest: bool = False
