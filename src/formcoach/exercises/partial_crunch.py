"""Partial crunch: lying on the back, knees bent, feet flat; raise the shoulders, lower slowly.

The rep is the trunk's rise above its resting angle (a trailing minimum, reset on camera
cuts, so a tilted or high camera does not shift the thresholds). Feet and hips must stay
on the mat: each is compared with its own resting height. Rising on into a full sit-up is
an avoid-list movement: warned, and that rep is not counted. Not checked: whether the
breath goes out on the way up, and whether the hands pull on the neck (the hands are often
hidden behind the head).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from formcoach.counting import RepConfig
from formcoach.exercises._signals.baselines import TrailingBaseline
from formcoach.exercises._signals.cuts import BodyCutDetector
from formcoach.exercises._signals.lying import supine_signals
from formcoach.exercises.avoid_list import AVOID, AvoidConfig, avoid_signals
from formcoach.exercises.base import Exercise
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Range, Signals
from formcoach.exercises.signature import TRUNK_LIFT_DEG, Signature
from formcoach.exercises.summary import Target
from formcoach.types import Check, Pose, Side


@dataclass(frozen=True, kw_only=True)
class PartialCrunchConfig(AvoidConfig):
    # Rise above rest: real crunches rise 25-35 deg (crunch_01), the synthetic ones 13-18
    # (shoulder blades just off the mat); a rep starts at 7 deg, is complete at 11 deg and
    # ends back within 4 deg of rest.
    start_deg: float = 7.0
    depth_deg: float = 11.0
    end_deg: float = 4.0
    # The resting angle is the lowest of the last 6 s: longer than a slow rep's top. The
    # hips' rest height is the median of twice that (they dip as the trunk curls up).
    rest_window_s: float = 6.0
    # Knees bent (hip-knee-ankle): the set-up puts them at ~60-90 deg; straight legs
    # (above 130) are a different exercise.
    max_knee_deg: float = 130.0
    # At rest the trunk lies within 35 deg of the image horizontal (a high oblique camera
    # puts a flat back at ~18 deg).
    max_rest_trunk_deg: float = 35.0
    # Feet or hips rising more than 0.07 leg lengths above their rest height (~6 cm)
    # means they left the mat; landmark jitter at rest is under 0.03.
    max_feet_rise_ratio: float = 0.07
    max_hip_rise_ratio: float = 0.08


class PartialCrunch(Exercise):
    name = "partial_crunch"
    title = "Partial crunch"
    # The trunk rising and lowering: a partial crunch lifts the shoulders 15-30 deg.
    signature = Signature("supine", 60, lambda w: w.trunk_lift_range_deg >= TRUNK_LIFT_DEG)
    kind = "reps"
    trunk = "lying"
    phase_signal = "trunk_rise_deg"
    depth_label = "trunk rise from rest (deg)"
    target = Target(reps=10)
    placement = "camera at mat height, 2-3 m away, your side toward it"
    views = frozenset({"side", "oblique"})
    config_class = PartialCrunchConfig
    config: PartialCrunchConfig

    def reset(self) -> None:
        super().reset()
        w = self.config.rest_window_s
        self._rest = {
            "trunk": TrailingBaseline(w, "min"),
            "heel": TrailingBaseline(w, "min"),
            "hip": TrailingBaseline(w * 2, "median"),
            "floor": TrailingBaseline(w, "max"),
        }
        self._cuts = BodyCutDetector()

    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        t = now.t_s
        if self._cuts.update(pose, side, t):
            for baseline in self._rest.values():
                baseline.reset()
        lift = supine_signals(pose, side, self.config.min_visibility).get("trunk_lift_deg")
        rest_trunk = self._rest["trunk"].update(math.nan if lift is None else lift, t)
        s = avoid_signals(pose, side, self.config, rest_trunk)
        if not s:
            return {}
        heel = max(s[f"heel_y_ratio_{side}"], s[f"toe_y_ratio_{side}"])
        # The hip's height over the floor: the lowest the heel has been (image y is down).
        floor = self._rest["floor"].update(s[f"heel_y_abs_{side}"], t)
        hip = floor - s["hip_y_abs"]
        s["trunk_rise_deg"] = s["trunk_lift_deg"] - rest_trunk
        s["rest_trunk_deg"] = rest_trunk
        s["feet_rise_ratio"] = heel - self._rest["heel"].update(heel, t)
        s["hip_rise_ratio"] = hip - self._rest["hip"].update(hip, t)
        s["knee_deg"] = s[f"knee_deg_{side}"]
        return s

    def position(self, signals: Signals, now: Moment) -> Check:
        if not signals:
            return Check("position", None, "show your whole body to the camera")
        c = self.config
        if signals["knee_deg"] > c.max_knee_deg:
            return Check("position", False, "bend your knees, feet flat on the floor")
        if signals["rest_trunk_deg"] > c.max_rest_trunk_deg:
            return Check("position", False, "lie on your back")
        return Check("position", True)

    def rules(self) -> Sequence[Range]:
        c = self.config
        return (
            Range(
                "full_situp",
                "avoid_full_situp",
                high=0.5,
                above=AVOID["full_situp"].message,
                priority=5,
            ),
            Range(
                "feet_lifting",
                "feet_rise_ratio",
                high=c.max_feet_rise_ratio,
                above="keep your feet flat on the floor",
                priority=3,
            ),
            Range(
                "hips_lifting",
                "hip_rise_ratio",
                high=c.max_hip_rise_ratio,
                above="keep your hips and lower back on the mat",
                priority=4,
            ),
        )

    def phase(self, signals: Signals, now: Moment) -> float:
        return signals.get("trunk_rise_deg", float("nan"))

    def rep_config(self) -> RepConfig:
        c = self.config
        # A rise past the sit-up angle (from a flat start) is not a partial crunch.
        return RepConfig(
            start=c.start_deg, depth=c.depth_deg, end=c.end_deg, max_peak=c.situp_trunk_deg
        )
