"""Foam rolling, arm reach: lying along a roller under the spine, knees bent, feet flat,
reach the arms up toward the ceiling (or on overhead) and bring them back; 3-5 reps.

A rep is either arm, or both together, rising from along the body to pointing at the
ceiling and back, read from the side (`_signals.roller.lengthwise_signals`); reps are not split by
arm: from the side MediaPipe often copies the near arm's motion onto the hidden far arm.
Not seen: the roller (lengthwise under the body it is hidden from the side, and lying on
the floor looks the same to the landmarks), whether the head rests on it, and the
shoulder blades. From the feet an arm pointing at the ceiling is foreshortened: side only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from formcoach.counting import RepConfig
from formcoach.exercises._signals.roller import LengthwiseConfig, lengthwise_signals, lying_along
from formcoach.exercises.base import Exercise
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Signals
from formcoach.exercises.summary import Target
from formcoach.types import Check, Pose, Side, ViewName

NAN = math.nan


@dataclass(frozen=True, kw_only=True)
class FoamArmReachConfig(LengthwiseConfig):
    # The arm's angle to the trunk (hip-shoulder-wrist): arms along the body read 0-15
    # (rendered rest: 2-13), pointing at the ceiling ~90, overhead ~170. A reach counts
    # once an arm is at 80 deg or more, near vertical; the guide's "up toward the ceiling".
    depth_arm_deg: float = 80.0
    # Started past 45 deg, back down under 30 (above the rest's 15 with room for jitter).
    start_arm_deg: float = 45.0
    rest_arm_deg: float = 30.0
    # A reach and return takes 2-3 s (rendered: 2.5-2.9 s); under 0.6 s is a flail.
    min_rep_s: float = 0.6


class FoamRollArmReach(Exercise):
    name = "foam_roll_arm_reach"
    title = "Foam roll: arm reach"
    kind = "reps"
    trunk = "lying"
    phase_signal = "arm_raise_deg"
    depth_label = "arm's angle to the trunk (deg)"
    target = Target(reps=5)  # the guide: 3-5 reps
    placement = "camera at mat height, 2-3 m away, your side toward it"
    views = frozenset({"side"})
    # A reaching arm opens the shoulder line and the view reads oblique for a moment
    # (measured on the rendered clips); the arm's angle still reads, a little low.
    partial_views: ClassVar[Mapping[ViewName, str]] = {
        "oblique": "turn so your side faces the camera",
    }
    config_class = FoamArmReachConfig
    config: FoamArmReachConfig

    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        s = lengthwise_signals(pose, side, self.config.min_visibility)
        if s:
            s["arm_raise_deg"] = max(s["arm_raise_deg_left"], s["arm_raise_deg_right"])
        return s

    def position(self, signals: Signals, now: Moment) -> Check:
        return lying_along(signals, self.config)

    def phase(self, signals: Signals, now: Moment) -> float:
        """The higher arm's angle to the trunk (deg); NaN out of position."""
        if not self.position(signals, now).ok:
            return NAN
        return signals["arm_raise_deg"]

    def rep_config(self) -> RepConfig:
        c = self.config
        return RepConfig(
            start=c.start_arm_deg, depth=c.depth_arm_deg, end=c.rest_arm_deg, min_rep_s=c.min_rep_s
        )
