"""Foam rolling, resting spine stretch: lying along a roller under the spine, knees bent,
feet flat, arms out to the sides resting on the floor, palms up; rest and breathe.
Timed as a hold while the position is kept.

Seen from the side: lying back (`foam_roll_arm_reach.lying_along`) and the near arm out:
an arm out to the side, hand on the floor, points down past the roller at roughly right
angles to the trunk in the image (50-130 deg), with the wrist below the shoulder; an arm
along the body reads under 30 deg and one pointing at the ceiling has the wrist above the
shoulder. Not seen: the roller (hidden under the body), whether the arm goes out to the
side or forward toward the camera (both point the same way in a side image), the palms,
the far arm (hidden behind the body), relaxation and breathing. No rendered clip exists
for this stretch (the renderer has no motion for it): measured on synthetic poses only.
"""

from __future__ import annotations

from dataclasses import dataclass

from formcoach.exercises._signals.roller import LengthwiseConfig, lengthwise_signals, lying_along
from formcoach.exercises.base import Exercise
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Signals
from formcoach.exercises.summary import Target
from formcoach.landmarks import sided
from formcoach.types import Check, Pose, Side


@dataclass(frozen=True, kw_only=True)
class FoamSpineStretchConfig(LengthwiseConfig):
    # The near arm out to the side: 90 deg to the trunk with the hand on the floor; with
    # the shoulder ~25 cm up on the roller and a 60 cm arm the hand is ~25 deg below the
    # shoulder's level, which a side camera still reads near 90. 50-130 allows a hand
    # placed toward the hips or the head; under 30 the arm lies along the body.
    min_arm_out_deg: float = 50.0
    max_arm_out_deg: float = 130.0


class FoamRollSpineStretch(Exercise):
    name = "foam_roll_spine_stretch"
    title = "Foam roll: resting spine stretch"
    kind = "hold"
    trunk = "lying"
    target = Target(hold_s=60.0)  # a resting stretch: a minute or more
    placement = "camera at mat height, 2-3 m away, your side toward it"
    views = frozenset({"side"})
    config_class = FoamSpineStretchConfig
    config: FoamSpineStretchConfig

    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        s = lengthwise_signals(pose, side, self.config.min_visibility)
        if not s:
            return {}
        p = pose.image_px
        wrist, shoulder = p[int(sided(side, "WRIST"))], p[int(sided(side, "SHOULDER"))]
        s["arm_out_deg"] = s[f"arm_raise_deg_{side}"]
        # Positive: the near wrist below the shoulder in the image (toward the floor).
        s["wrist_below_px"] = float(wrist[1] - shoulder[1])
        return s

    def position(self, signals: Signals, now: Moment) -> Check:
        check = lying_along(signals, self.config)
        if not check.ok:
            return check
        c = self.config
        arm = signals["arm_out_deg"]
        if not c.min_arm_out_deg <= arm <= c.max_arm_out_deg or signals["wrist_below_px"] < 0:
            return Check("position", False, "rest your arms out to the sides, hands on the floor")
        return Check("position", True)
