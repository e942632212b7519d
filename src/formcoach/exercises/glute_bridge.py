"""Glute bridge: lying on the back, knees bent and feet flat, lift the hips until the
shoulders, hips and knees are in line, hold 2-5 s, lower.

Measured from the side in the image: the hip's extension, the shoulder-hip-knee angle,
read past 180 when the hips rise above the shoulder-knee line (the low back arching).
A rep counts from leaving the floor to back down; one whose hips stop short of the line
is partial.
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
from formcoach.geometry import incline_deg, joint_angle_deg, signed_bend_deg
from formcoach.landmarks import sided
from formcoach.types import Check, Pose, Side


@dataclass(frozen=True, kw_only=True)
class GluteBridgeConfig(ExerciseConfig):
    # Lying with the knees bent the hips are flexed to 115-135 deg (glute_bridge_01 at
    # rest: 117-135); at the top they are in line, 180. A rep has begun at 150 (clear of
    # rest by more than the angle's noise) and is back down under 145.
    start_deg: float = 150.0
    rest_deg: float = 145.0
    # The hips reach the line within 10 deg of it (170): short of that the rep is partial.
    top_deg: float = 170.0
    # Hips more than 20 deg above the shoulder-knee line: the low back arches to lift
    # them (lumbar extension) instead of the glutes. Correct demos reach 5-11 deg above.
    max_arch_deg: float = 20.0
    # Knees bent (feet flat near the buttocks: 55-95 deg through a rep), and shoulders
    # and feet on the floor: their line within 30 deg of level.
    max_knee_deg: float = 120.0
    max_incline_deg: float = 30.0
    min_rep_s: float = 1.0  # up and down takes 2 s or more, with the hold 4-7 s


class GluteBridge(Exercise):
    name = "glute_bridge"
    title = "Glute bridge"
    # Knees bent and the hips pushed up straight (extended past 160 deg): checked before
    # every other lying program exercise, which keeps the hips flexed (the avoid list's
    # full sit-up comes first: lying flat between sit-ups extends the hips as far).
    signature = Signature(
        "supine", 0, lambda w: w.knee_max_deg < BENT_KNEE_DEG and w.hip_high_deg > 160.0
    )
    instructions = "on your back, knees bent: lift your hips into line, hold, then lower"
    signal_words: ClassVar[Mapping[str, tuple[str, str]]] = {
        "arch_deg": ("hips above the shoulder-knee line", "deg")
    }
    kind = "reps"
    trunk = "lying"
    phase_signal = "hip_extension_deg"
    depth_label = "hip extension at the top (deg)"
    target = Target(reps=10)
    placement = "camera at mat height, 2-3 m away, your side toward it"
    views = frozenset({"side", "oblique"})
    config_class = GluteBridgeConfig
    config: GluteBridgeConfig

    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        j = {n: int(sided(side, n)) for n in ("SHOULDER", "HIP", "KNEE", "ANKLE")}
        if min(pose.visibility[i] for i in j.values()) < self.config.min_visibility:
            return {}
        sh, hip, knee, ankle = (pose.image_px[i] for i in j.values())
        arch = signed_bend_deg(sh, hip, knee)  # positive: hips above the shoulder-knee line
        return {
            "hip_extension_deg": 180.0 + arch,
            "arch_deg": arch,
            "knee_deg": float(joint_angle_deg(hip, knee, ankle)),
            "body_incline_deg": float(incline_deg(sh, ankle)),
        }

    def position(self, signals: Signals, now: Moment) -> Check:
        if not signals:
            return Check("position", None, "show your whole body to the camera")
        c = self.config
        if signals["body_incline_deg"] > c.max_incline_deg:
            return Check("position", False, "lie on your back, feet flat on the floor")
        if signals["knee_deg"] > c.max_knee_deg:
            return Check("position", False, "bend your knees, feet flat near your hips")
        return Check("position", True)

    def rules(self) -> Sequence[Range]:
        return (
            Range(
                "back_arched",
                "arch_deg",
                high=self.config.max_arch_deg,
                above="lift only into a straight line: ribs down, squeeze your glutes",
            ),
        )

    def phase(self, signals: Signals, now: Moment) -> float:
        """The hips' extension (deg): ~125 resting, 180 in line with shoulders and knees."""
        return signals.get("hip_extension_deg", math.nan)

    def rep_config(self) -> RepConfig:
        c = self.config
        return RepConfig(start=c.start_deg, depth=c.top_deg, end=c.rest_deg, min_rep_s=c.min_rep_s)
