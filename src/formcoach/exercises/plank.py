"""Forearm plank: a straight line from shoulders to ankles, elbows under the shoulders.

Judged from the side. Set-up positions (lying prone, kneeling, propped on the forearms with
the hips on the floor) are not a plank and do not count as hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from formcoach.exercises.base import Exercise
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Latch, Range, Signals
from formcoach.exercises.settings import ExerciseConfig
from formcoach.exercises.signature import STRAIGHT_KNEE_DEG, Signature
from formcoach.exercises.summary import Target
from formcoach.geometry import (
    distance,
    elevation_deg,
    incline_deg,
    joint_angle_deg,
    line_offset_ratio,
    signed_bend_deg,
    trunk_vector_m,
)
from formcoach.landmarks import sided
from formcoach.types import Check, Pose, Side


@dataclass(frozen=True, kw_only=True)
class PlankConfig(ExerciseConfig):
    # Hip angle (shoulder-hip-ankle) below 180 by more than this, hips below the line, is a
    # sag: 12 deg is about where lumbar extension becomes visible to a physiotherapist.
    max_sag_deg: float = 12.0
    # Hips above the line: a pike unloads the core rather than straining the back, so it
    # is allowed a little more.
    max_pike_deg: float = 20.0
    # The upper arm's tilt from vertical; elbows under shoulders keeps load off the
    # shoulder joint. 25 deg allows normal variation of hand placement.
    max_upper_arm_tilt_deg: float = 25.0
    # Neck: angle between the head (shoulder->ear) and the trunk (hip->shoulder).
    # A head hanging or craned by more than 30 deg is out of line.
    max_head_deg: float = 30.0
    # A plank is near horizontal: the shoulder-ankle line within 40 deg of level.
    max_body_incline_deg: float = 40.0
    # Thighs off the floor: knee height above the elbow-toe floor line, over torso length.
    # A knee resting on the floor sits ~0.1 torso above it (measured 0.05-0.16 while lying
    # or propped on the forearms with hips down); in a plank, even a sagging one, it is
    # higher (measured 0.22-0.46). This tells a deep sag (a fault) from set-up (no plank).
    min_knee_lift_ratio: float = 0.17
    # Once in the plank, the position is kept until the knees are down on the floor (~0.1):
    # hips sagging from a plank pull the knees down too, and that is a fault to report,
    # not the end of the exercise.
    keep_knee_lift_ratio: float = 0.10
    # Knees straight (hip-knee-ankle): kneeling planks bend the knee to ~90-120 deg.
    min_knee_deg: float = 145.0
    # Carrying a hold through a view that can't judge form (a head-on camera): the trunk
    # in 3D stays within 45 deg of level (standing or kneeling up is ~80-90 deg; MediaPipe's
    # depth puts a head-on plank at up to ~35 deg).
    max_trunk_tilt_3d_deg: float = 45.0


class Plank(Exercise):
    name = "plank"
    title = "Forearm plank"
    signature = Signature("prone", 10, lambda w: w.knee_min_deg >= STRAIGHT_KNEE_DEG)
    instructions = "on forearms and toes: a straight line from head to heels"
    kind = "hold"
    trunk = "lying"
    target = Target(hold_s=30.0)
    placement = "camera at floor height, 2-3 m away, your side toward it"
    views = frozenset({"side", "oblique"})
    view_correction = "turn so your side faces the camera"
    config_class = PlankConfig
    config: PlankConfig

    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        p = pose.image_px
        vis = pose.visibility
        j = {
            name: int(sided(side, name))
            for name in ("SHOULDER", "ELBOW", "HIP", "KNEE", "ANKLE", "EAR", "FOOT_INDEX")
        }
        hidden = vis[[j["SHOULDER"], j["HIP"], j["ANKLE"]]].min() < self.config.min_visibility
        if hidden:
            return {}
        sh, el, hip, knee, ank, ear, toe = (
            p[j[k]] for k in ("SHOULDER", "ELBOW", "HIP", "KNEE", "ANKLE", "EAR", "FOOT_INDEX")
        )
        torso = float(distance(sh, hip))
        upper_arm = el - sh
        head = float(joint_angle_deg(ear, sh, sh + (sh - hip)))
        floor_len = float(distance(el, toe))
        knee_height = float(line_offset_ratio(el, toe, knee)) * floor_len
        return {
            # Positive: hips above the shoulder-ankle line (pike); negative: below (sag).
            "hip_line_deg": signed_bend_deg(sh, hip, ank),
            "body_incline_deg": float(incline_deg(sh, ank)),
            "upper_arm_tilt_deg": float(
                np.degrees(np.arctan2(abs(upper_arm[0]), abs(upper_arm[1])))
            ),
            "head_deg": head,
            "knee_lift_ratio": knee_height / torso if torso > 0 else float("nan"),
            "knee_deg": float(joint_angle_deg(hip, knee, ank)),
        }

    def coarse_position(self, pose: Pose) -> bool | None:
        w = pose.world_m
        trunk = trunk_vector_m(w)
        tilt = elevation_deg(trunk)
        # Only knees the camera sees are judged: a head-on camera hides them behind the
        # body, and MediaPipe's guess of a hidden knee's bend is no evidence of kneeling.
        knees = [
            float(joint_angle_deg(w[sided(s, "HIP")], w[sided(s, "KNEE")], w[sided(s, "ANKLE")]))
            for s in ("left", "right")
            if pose.visibility[sided(s, "KNEE")] >= self.config.min_visibility
        ]
        straight = min(knees, default=180.0) >= self.config.min_knee_deg
        return tilt <= self.config.max_trunk_tilt_3d_deg and straight

    def position(self, signals: Signals, now: Moment) -> Check:
        if not signals:
            return Check("position", None, "show your whole body to the camera")
        c = self.config
        if signals["body_incline_deg"] > c.max_body_incline_deg:
            return Check("position", False, "get down on your forearms and toes")
        if signals["knee_deg"] < c.min_knee_deg:
            return Check("position", False, "straighten your legs onto your toes")
        lift = Latch(enter=c.min_knee_lift_ratio, keep=c.keep_knee_lift_ratio)
        if lift.short_of(signals["knee_lift_ratio"], now.in_position):
            return Check("position", False, "lift your hips and knees off the floor")
        return Check("position", True)

    def rules(self) -> Sequence[Range]:
        c = self.config
        return (
            Range(
                "hip_line",
                "hip_line_deg",
                low=-c.max_sag_deg,
                high=c.max_pike_deg,
                below="lift your hips: make a straight line",
                below_rule="hips_sagging",
                above="lower your hips into a straight line",
                above_rule="hips_piked",
                priority=3,
                joint=("SHOULDER", "HIP", "ANKLE"),
            ),
            Range(
                "elbows_under_shoulders",
                "upper_arm_tilt_deg",
                high=c.max_upper_arm_tilt_deg,
                above="place your elbows under your shoulders",
                priority=2,
            ),
            Range(
                "head_in_line",
                "head_deg",
                high=c.max_head_deg,
                above="keep your head in line: look at the floor",
                priority=1,
                joint=("EAR", "SHOULDER", "HIP"),
            ),
        )
