"""Bird dog: on hands and knees, reach one arm and the opposite leg out level with the
trunk, hold, return, and alternate sides.

Measured from the side: the lifted leg (the knee higher in 3D) and its thigh's extension
from the trunk's midline, the shoulder-hip-knee angle (90 kneeling, 180 level with it),
read past 180 when the knee rises above the trunk's line; the pelvis turning open is the
3D hip line tilting from level. Reps are counted per lifted leg.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from formcoach.counting import RepConfig
from formcoach.exercises.base import Exercise
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Range, Signals
from formcoach.exercises.settings import ExerciseConfig
from formcoach.exercises.signature import BENT_KNEE_DEG, Signature
from formcoach.exercises.summary import Target
from formcoach.geometry import (
    elevation_deg,
    incline_deg,
    joint_angle_deg,
    line_offset_ratio,
    midpoint,
)
from formcoach.landmarks import sided
from formcoach.types import Check, Pose, Side


@dataclass(frozen=True, kw_only=True)
class BirdDogConfig(ExerciseConfig):
    # Kneeling, the thigh hangs under the hip: ~90 deg from the trunk. A rep has begun at
    # 120 and is back under 110; the leg is out level with the trunk within 20 deg (160).
    start_deg: float = 120.0
    rest_deg: float = 110.0
    level_deg: float = 160.0
    # The knee more than 15 deg above the trunk's line: the low back arches to lift it.
    max_leg_above_deg: float = 15.0
    # The pelvis turning open with the leg: its left-right line 20 deg or more from level
    # (a level pelvis is the point of the exercise; 20 deg is a visible hip hitch).
    max_hip_tilt_deg: float = 20.0
    # On hands and knees: the shoulder-hip line within 30 deg of level.
    max_trunk_incline_deg: float = 30.0
    min_rep_s: float = 1.0  # reach, hold 2-5 s, return


class BirdDog(Exercise):
    name = "bird_dog"
    title = "Bird dog"
    # Face down on a bent knee, one leg swinging out and back.
    signature = Signature(
        "prone", 20, lambda w: w.knee_min_deg < BENT_KNEE_DEG and w.leg_lift_range_deg >= 30.0
    )
    instructions = "on hands and knees: reach one arm and the opposite leg out level, hold"
    signal_words: ClassVar[Mapping[str, tuple[str, str]]] = {
        "leg_above_trunk_deg": ("lifted knee above the trunk's line", "deg"),
        "hip_tilt_deg": ("pelvis turned from level", "deg"),
    }
    kind = "reps"
    trunk = "lying"
    sided = True
    phase_signal = "leg_extension_deg"
    depth_label = "lifted thigh from the trunk (deg)"
    target = Target(reps=10, per_side=True)
    placement = "camera at mat height, 2-3 m away, your side toward it"
    views = frozenset({"side", "oblique"})
    config_class = BirdDogConfig
    config: BirdDogConfig

    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        w, p = pose.world_m, pose.image_px
        leg: Side = (
            "left" if w[sided("left", "KNEE")][1] < w[sided("right", "KNEE")][1] else "right"
        )
        j = [int(sided(side, "SHOULDER")), int(sided(side, "HIP")), int(sided(leg, "KNEE"))]
        if min(pose.visibility[i] for i in j) < self.config.min_visibility:
            return {}
        # The trunk's midline: a pelvis turning open lifts one hip and drops the other.
        sh, hip = (midpoint(p[sided("left", n)], p[sided("right", n)]) for n in ("SHOULDER", "HIP"))
        knee = p[j[2]]
        bend = 180.0 - float(joint_angle_deg(sh, hip, knee))
        # The trunk's line runs on past the hip: the knee above it is the leg too high.
        above = float(line_offset_ratio(sh, 2 * hip - sh, knee)) >= 0
        hips = w[sided("right", "HIP")] - w[sided("left", "HIP")]
        return {
            "leg_extension_deg": 180.0 + bend if above else 180.0 - bend,
            "leg_above_trunk_deg": bend if above else -bend,
            "hip_tilt_deg": float(elevation_deg(hips)),
            "trunk_incline_deg": float(incline_deg(sh, hip)),
            "leg_is_left": float(leg == "left"),
        }

    def position(self, signals: Signals, now: Moment) -> Check:
        if not signals:
            return Check("position", None, "show your whole body to the camera")
        if signals["trunk_incline_deg"] > self.config.max_trunk_incline_deg:
            return Check("position", False, "get on your hands and knees, back flat")
        return Check("position", True)

    def rules(self) -> Sequence[Range]:
        c = self.config
        return (
            Range(
                "leg_too_high",
                "leg_above_trunk_deg",
                high=c.max_leg_above_deg,
                above="lift your leg only to hip height",
                priority=2,
            ),
            Range(
                "hips_rotated",
                "hip_tilt_deg",
                high=c.max_hip_tilt_deg,
                above="keep your hips level: don't let them open",
                priority=1,
            ),
        )

    def phase(self, signals: Signals, now: Moment) -> float:
        return signals.get("leg_extension_deg", math.nan)

    def rep_config(self) -> RepConfig:
        c = self.config
        return RepConfig(
            start=c.start_deg, depth=c.level_deg, end=c.rest_deg, min_rep_s=c.min_rep_s
        )

    def working_side(self, pose: Pose, signals: Signals) -> Side | None:
        if not signals.get("leg_extension_deg", math.nan) >= self.config.start_deg:
            return None
        return "left" if signals["leg_is_left"] else "right"
