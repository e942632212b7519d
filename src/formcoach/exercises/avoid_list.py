"""The avoid list: toe touches, full sit-ups and double leg lifts load the lower back.

These are watched for, never counted: each sighting is a warning (a fault interval whose
message gives the reason and a safer exercise from the program). `avoid_list` watches for
all three; `toe_touch`, `full_situp` and `double_leg_lift` for one each. The partial crunch
and the straight-leg raise reuse `AVOID` to flag a rep that turns into one of these.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from formcoach.exercises._signals.baselines import TrailingBaseline
from formcoach.exercises._signals.lying import supine_signals
from formcoach.exercises.base import Exercise
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Range, Signals
from formcoach.exercises.settings import ExerciseConfig
from formcoach.exercises.signature import BENT_KNEE_DEG, TRUNK_LIFT_DEG, Signature
from formcoach.interval_timer import IntervalConfig
from formcoach.landmarks import sided
from formcoach.types import Check, Pose, Side


@dataclass(frozen=True, slots=True)
class AvoidMovement:
    rule: str
    reason: str
    alternative: str

    @property
    def message(self) -> str:
        return f"avoid this: {self.reason}; instead, {self.alternative}"


AVOID = {
    "toe_touch": AvoidMovement(
        "toe_touch",
        "toe touches bend the lower back under load and strain its discs and ligaments",
        "stretch the hamstrings lying on your back, or pull one knee to your chest",
    ),
    "full_situp": AvoidMovement(
        "full_situp",
        "a full sit-up pulls on the lower back through the hip flexors",
        "do a partial crunch: raise only your shoulders off the floor",
    ),
    "double_leg_lift": AvoidMovement(
        "double_leg_lift",
        "lifting both straight legs arches and loads the lower back",
        "do straight-leg raises one leg at a time with the other knee bent",
    ),
}


@dataclass(frozen=True, kw_only=True)
class AvoidConfig(ExerciseConfig):
    # Full sit-up: the trunk rises past 65 deg from the floor. Partial crunches measured on
    # the real clips peak at 30-50 deg (50 from a high oblique camera); sit-ups reach 90+.
    situp_trunk_deg: float = 65.0
    # Double leg lift: both legs raised 20+ deg with the knees near straight (130+ deg, as
    # MediaPipe measures straight legs seen from the side at 135-165), trunk on the floor.
    double_leg_raise_deg: float = 20.0
    straight_knee_deg: float = 130.0
    lying_trunk_deg: float = 35.0
    # A sit-up rises from lying: the trunk was within `lying_trunk_deg` of the floor in the
    # last 4 s (a sit-up takes 1-2 s up); sitting or kneeling upright is not one.
    situp_window_s: float = 4.0
    # Sitting or lying: the hip joint at most 0.4 leg lengths above the lower heel (lying,
    # ~0.1-0.3 depending on the camera; a lunge or kneeling puts it at 0.5 or more).
    max_seated_hip_ratio: float = 0.4
    # Toe touch: standing legs (knees 150+ deg, hips a torso length above the ankles),
    # the trunk bent 70+ deg from upright and the hands below the knees.
    toe_touch_bend_deg: float = 70.0
    toe_touch_knee_deg: float = 150.0
    # A sighting shows after 0.5 s: these movements are brief, and a warning is worth
    # giving even for one rep. As for every fault, any frame without it restarts the wait.
    fault: IntervalConfig = field(
        default_factory=lambda: IntervalConfig(
            min_start_s=0.5, grace_s=0.5, min_length_s=0.5, min_break_s=0.0
        )
    )


def avoid_signals(
    pose: Pose, side: Side, config: AvoidConfig, rest_trunk_deg: float
) -> dict[str, float]:
    """1.0/0.0 per avoid-list movement, with the measures behind them; {}: can't tell.

    `rest_trunk_deg`: the trunk's lowest angle over the last few seconds."""
    s = supine_signals(pose, side, config.min_visibility)
    if not s:
        return {}
    c = config
    knees = min(s["knee_deg_left"], s["knee_deg_right"])
    legs = min(s["leg_raise_deg_left"], s["leg_raise_deg_right"])
    trunk = s["trunk_lift_deg"]
    p = pose.image_px
    torso = s["torso_px"]
    hip, ankle, wrist, knee, sh = (
        p[int(sided(side, j))] for j in ("HIP", "ANKLE", "WRIST", "KNEE", "SHOULDER")
    )
    standing = (ankle[1] - hip[1]) / torso > 1.0
    heel_y = max(s["heel_y_ratio_left"], s["heel_y_ratio_right"], key=lambda v: -v)
    seated = -heel_y <= c.max_seated_hip_ratio
    bend = math.degrees(math.atan2(abs(float(sh[0] - hip[0])), float(hip[1] - sh[1])))
    s["trunk_bend_deg"] = bend
    from_lying = rest_trunk_deg < c.lying_trunk_deg
    s["avoid_full_situp"] = float(seated and from_lying and trunk >= c.situp_trunk_deg)
    s["avoid_double_leg_lift"] = float(
        seated
        and trunk < c.lying_trunk_deg
        and legs >= c.double_leg_raise_deg
        and knees >= c.straight_knee_deg
    )
    s["avoid_toe_touch"] = float(
        standing
        and bend >= c.toe_touch_bend_deg
        and knees >= c.toe_touch_knee_deg
        and wrist[1] > knee[1]
    )
    return s


def avoid_rule(movement: str, priority: int = 5) -> Range:
    """A rule that fails while `movement` is seen, with the reason and the alternative."""
    m = AVOID[movement]
    return Range(m.rule, f"avoid_{movement}", high=0.5, above=m.message, priority=priority)


class AvoidList(Exercise):
    name = "avoid_list"
    title = "Avoid list (toe touch, full sit-up, double leg lift)"
    kind = "warning"
    placement = "camera at hip height, 2-3 m away, your side toward it"
    views = frozenset({"side", "oblique"})
    config_class = AvoidConfig
    config: AvoidConfig
    movements: ClassVar[tuple[str, ...]] = tuple(AVOID)

    def reset(self) -> None:
        super().reset()
        self._trunk_rest = TrailingBaseline(self.config.situp_window_s, "min")

    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        return avoid_signals(pose, side, self.config, self._trunk_rest_deg(pose, side, now.t_s))

    def _trunk_rest_deg(self, pose: Pose, side: Side, t_s: float) -> float:
        s = supine_signals(pose, side, self.config.min_visibility)
        return self._trunk_rest.update(s.get("trunk_lift_deg", math.nan), t_s)

    def position(self, signals: Signals, now: Moment) -> Check:
        if not signals:
            return Check("position", None, "show your whole body to the camera")
        return Check("position", True)

    def rules(self) -> Sequence[Range]:
        return tuple(avoid_rule(m) for m in self.movements)

    def details(self) -> dict[str, Any]:
        return {"avoid_seen": self.faults.counts()}


class ToeTouch(AvoidList):
    name = "toe_touch"
    title = "Toe touch (avoid)"
    movements = ("toe_touch",)
    signature = Signature("folded", 10, lambda w: True)


class FullSitup(AvoidList):
    name = "full_situp"
    title = "Full sit-up (avoid)"
    movements = ("full_situp",)
    # The trunk coming up within 40 deg of vertical from lying, moving: checked before the
    # partial crunch, which it resembles on the way up.
    signature = Signature(
        "supine",
        10,
        lambda w: w.tilt_lowest_deg <= 40.0 and w.trunk_lift_range_deg >= TRUNK_LIFT_DEG,
    )


class DoubleLegLift(AvoidList):
    name = "double_leg_lift"
    title = "Double leg lift (avoid)"
    movements = ("double_leg_lift",)
    # Both legs fairly straight, lifted 20 deg or more at the hip or held more than 45 deg
    # up (scissors, leg holds load the low back alike): before the straight-leg raise.
    signature = Signature(
        "supine",
        20,
        lambda w: (
            w.knee_min_deg > BENT_KNEE_DEG
            and (w.leg_lift_range_deg >= 20.0 or w.leg_lift_deg >= 45.0)
        ),
    )
