"""Straight-leg raise: lying on the back, one knee bent, lift the straight leg 6-12 inches.

The lifted leg is the straighter one; its lift height at the ankle is leg length (from
MediaPipe's world landmarks) x sin(raise angle). Reps are counted per side; the time the
leg stays up (over 2 in) is reported per rep (`details.top_hold_s`, the guide asks for
5 s at the top; raising and lowering are included). Lifting
both straight legs is the avoid-list double leg lift: warned, not counted. Not checked:
whether the abdominals are tight.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from formcoach import noise
from formcoach.counting import RepConfig
from formcoach.crossings import MAX_INTERPOLATION_GAP_S, crossing_s
from formcoach.exercises._signals.baselines import TrailingBaseline
from formcoach.exercises._signals.lying import leg_length_m
from formcoach.exercises.avoid_list import AvoidConfig, avoid_rule, avoid_signals
from formcoach.exercises.base import Exercise
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Range, Signals
from formcoach.exercises.signature import BENT_KNEE_DEG, STRAIGHT_KNEE_DEG, Signature
from formcoach.exercises.summary import Target
from formcoach.types import Check, Pose, Side

M_PER_IN = 0.0254
# The lift's noise band (inches): the raise angle's band at the foot of an adult's
# 0.9 m leg (the height changes by leg x d(angle) in radians).
LIFT_BAND_IN = 0.9 * math.radians(noise.band("leg_raise_deg")) / M_PER_IN


@dataclass(frozen=True, kw_only=True)
class StraightLegRaiseConfig(AvoidConfig):
    # The guide's 6-12 inches at the ankle. A rep starts at 2 in, counts once the ankle
    # passes 5 in (6 less ~1 in of landmark noise) and ends back under 1.5 in.
    start_in: float = 2.0
    depth_in: float = 5.0
    end_in: float = 1.5
    # Above 12 in (plus 2 in of noise) the leg is too high: the pelvis starts to tilt.
    max_lift_in: float = 14.0
    # The lifted leg straight: MediaPipe puts a straight leg seen from the side at
    # 150-175 deg (hip-knee-ankle); the other knee bent, at most 130 (rest ~60-80).
    min_straight_knee_deg: float = 145.0
    max_bent_knee_deg: float = 130.0
    # Lift and knee angle are medians over 0.5 s: MediaPipe confuses the legs for single
    # frames (the straight leg's knee read at ~110 deg).
    smooth_s: float = 0.5


class StraightLegRaise(Exercise):
    name = "straight_leg_raise"
    title = "Straight-leg raise"
    # One leg straight, the other bent.
    signature = Signature(
        "supine",
        30,
        lambda w: w.knee_max_deg >= STRAIGHT_KNEE_DEG and w.knee_min_deg <= BENT_KNEE_DEG,
    )
    kind = "reps"
    trunk = "lying"
    depth_label = "raised foot's height (inches)"
    target = Target(reps=10, hold_s=5.0, per_side=True)
    placement = "camera at mat height, 2-3 m away, your side toward it"
    views = frozenset({"side", "oblique"})
    sided = True
    config_class = StraightLegRaiseConfig
    config: StraightLegRaiseConfig

    def reset(self) -> None:
        super().reset()
        self._lift = TrailingBaseline(self.config.smooth_s, "median")
        self._knee = TrailingBaseline(self.config.smooth_s, "median")
        self._top_since: float | None = None
        self._last_lift: tuple[float, float] | None = None  # (t_s, lift_in) of the last check
        self.top_hold_s: list[float] = []

    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        s = avoid_signals(pose, side, self.config, 0.0)
        if not s:
            return {}
        up: Side = "left" if s["knee_deg_left"] >= s["knee_deg_right"] else "right"
        down: Side = "right" if up == "left" else "left"
        raise_deg = max(s[f"leg_raise_deg_{up}"], 0.0)
        lift_in = leg_length_m(pose, up) * math.sin(math.radians(raise_deg)) / M_PER_IN
        s["lift_in"] = self._lift.update(lift_in, now.t_s)
        knee = self._knee.update(s[f"knee_deg_{up}"], now.t_s)
        # The lifted leg's knee is judged only while it is up.
        s["lifted_knee_deg"] = knee if s["lift_in"] >= self.config.start_in else math.nan
        s["other_knee_deg"] = s[f"knee_deg_{down}"]
        s["lifted_is_left"] = float(up == "left")
        return s

    def position(self, signals: Signals, now: Moment) -> Check:
        if not signals:
            return Check("position", None, "show your whole body to the camera")
        c = self.config
        if signals["trunk_lift_deg"] > c.lying_trunk_deg:
            return Check("position", False, "lie on your back")
        if max(signals["knee_deg_left"], signals["knee_deg_right"]) < c.max_bent_knee_deg:
            return Check("position", False, "straighten one leg along the floor")
        return Check("position", True)

    def rules(self) -> Sequence[Range]:
        c = self.config
        return (
            avoid_rule("double_leg_lift"),
            Range(
                "other_knee_bent",
                "other_knee_deg",
                high=c.max_bent_knee_deg,
                above="bend the other knee, foot flat on the floor",
                priority=3,
            ),
            Range(
                "lifted_leg_straight",
                "lifted_knee_deg",
                low=c.min_straight_knee_deg,
                below="keep the lifted leg straight",
                priority=2,
            ),
            Range(
                "lift_too_high",
                "lift_in",
                high=c.max_lift_in,
                above="lift only 6-12 inches: lower the leg a little",
                priority=1,
                band=LIFT_BAND_IN,
            ),
        )

    def extra_checks(self, signals: Signals, now: Moment) -> list[Check]:
        """Times the leg up from crossing to crossing of `start_in`, interpolated between
        samples (frames a dropout apart or more are not interpolated across)."""
        lift, level = signals["lift_in"], self.config.start_in
        last = self._last_lift
        previous = (
            last if last is not None and now.t_s - last[0] <= MAX_INTERPOLATION_GAP_S else None
        )
        self._last_lift = (now.t_s, lift)
        up = lift >= level
        if up and self._top_since is None:
            self._top_since = crossing_s(previous, lift, now.t_s, level)
        elif not up and self._top_since is not None:
            down_s = crossing_s(previous, lift, now.t_s, level)
            self.top_hold_s.append(round(down_s - self._top_since, 2))
            self._top_since = None
        return []

    def phase(self, signals: Signals, now: Moment) -> float:
        if not signals or signals["avoid_double_leg_lift"]:
            return math.nan  # a double leg lift is never a rep
        return signals["lift_in"]

    def working_side(self, pose: Pose, signals: Signals) -> Side | None:
        if not signals:
            return None
        return "left" if signals["lifted_is_left"] else "right"

    def rep_config(self) -> RepConfig:
        c = self.config
        return RepConfig(start=c.start_in, depth=c.depth_in, end=c.end_in)

    def details(self) -> dict[str, Any]:
        return {"top_hold_s": self.top_hold_s, "target_hold_s": self.target.hold_s}
