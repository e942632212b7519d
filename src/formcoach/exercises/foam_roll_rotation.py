"""Foam rolling, rotation: lying along a roller under the spine, knees bent, arms crossed on
the chest, turn the trunk to one side and back, then the other; 2-3 per side.

A turn lowers one shoulder and lifts the other: the shoulders' height difference in the
image (`_signals.roller.lengthwise_signals`), against its value lying still at the start of the set
(a baseline, so the camera's height and angle cancel out), gives how far and which way.
Image heights stay vertical whether the camera is at the side or at an angle.
Not seen: the roller (hidden under the body), whether the arms are crossed, the head
turning with the trunk, and the hips staying on the roller. A shoulder lifted by a reaching
arm reads as a turn too (MediaPipe moves the shoulder with the arm).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from formcoach.counting import RepConfig
from formcoach.exercises._signals.baselines import Baseline
from formcoach.exercises._signals.roller import LengthwiseConfig, lengthwise_signals, lying_along
from formcoach.exercises.base import Exercise
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Signals
from formcoach.exercises.summary import Target
from formcoach.types import Check, Pose, Side

NAN = math.nan


@dataclass(frozen=True, kw_only=True)
class FoamRotationConfig(LengthwiseConfig):
    # The shoulders' height difference from the start, in leg lengths. A 25 deg turn of a
    # 36 cm shoulder line is ~15 cm (~0.17); rendered clips read 0.09-0.13 at a 25 deg
    # turn, lying still within 0.02. A turn counts past 0.07 (~12 deg).
    depth_turn_ratio: float = 0.07
    # Started past 0.05, back in the middle under 0.035 for 0.3 s (noise: 0.02).
    start_turn_ratio: float = 0.05
    rest_turn_ratio: float = 0.035
    rest_dwell_s: float = 0.3
    # Turn, pause and return take 2-3 s (rendered: 2.5-3.0 s); under 0.6 s is a twitch.
    min_rep_s: float = 0.6
    # The reference: 1 s lying still in position at the start of the set, with the
    # shoulders within 0.06 of level: a side camera sees them within 0.03 (rendered), a
    # turn already under way is 0.09 or more and must not become the reference.
    baseline_settle_s: float = 1.0
    max_reference_tilt_ratio: float = 0.06


class FoamRollRotation(Exercise):
    name = "foam_roll_rotation"
    title = "Foam roll: rotation"
    kind = "reps"
    trunk = "lying"
    phase_signal = "turn_ratio"
    depth_label = "trunk turn (x leg length)"
    sided = True
    target = Target(reps=3, per_side=True)  # the guide: 2-3 per side
    placement = "camera at mat height, 2-3 m away, your side toward it; lie still 1 s first"
    # Turning opens the shoulder line, and the view reads oblique while it does.
    views = frozenset({"side", "oblique"})
    config_class = FoamRotationConfig
    config: FoamRotationConfig

    def reset(self) -> None:
        super().reset()
        self.baseline = Baseline(settle_s=self.config.baseline_settle_s)

    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        s = lengthwise_signals(pose, side, self.config.min_visibility)
        if not s:
            return {}
        tilt = s["shoulder_tilt_ratio"]
        level = abs(tilt) <= self.config.max_reference_tilt_ratio
        if now.resting and level and lying_along(s, self.config).ok:
            self.baseline.offer(tilt, now.t_s)
        base = self.baseline.value
        # Positive: turned to the left (the left shoulder lower than at the start).
        s["turn_ratio"] = tilt - float(base) if base is not None else NAN
        return s

    def position(self, signals: Signals, now: Moment) -> Check:
        check = lying_along(signals, self.config)
        if check.ok and not self.baseline.ready:
            return Check("position", False, "lie still for a moment, shoulders level")
        return check

    def phase(self, signals: Signals, now: Moment) -> float:
        """How far the trunk has turned to either side (leg lengths); NaN until the
        reference is taken or out of position."""
        if not self.position(signals, now).ok:
            return NAN
        return abs(signals["turn_ratio"])

    def rep_config(self) -> RepConfig:
        c = self.config
        return RepConfig(
            start=c.start_turn_ratio,
            depth=c.depth_turn_ratio,
            end=c.rest_turn_ratio,
            min_rep_s=c.min_rep_s,
            end_dwell_s=c.rest_dwell_s,
        )

    def working_side(self, pose: Pose, signals: Signals) -> Side | None:
        turn = signals.get("turn_ratio", NAN)
        if not abs(turn) >= self.config.start_turn_ratio:
            return None
        return "left" if turn > 0 else "right"

    def details(self) -> dict[str, Any]:
        base = self.baseline.value
        return {"reference_tilt_ratio": None if base is None else round(float(base), 3)}
