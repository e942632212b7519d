"""Foam rolling, thoracic spine: the roller across the mid back, feet on the floor, roll
up and down. Rolling the lower back is warned: the thoracic spine is held by the ribs, the
lumbar spine is not.

The roller's place along the trunk comes from body geometry (`foam.roller_signals`):
judged from the side only; from an oblique camera image heights mix with depth and the
place is not judged (measured: an oblique thoracic clip read as lumbar). Time on the
roller in position is timed as a hold. Not seen: the roller itself, whether the arms are
crossed or the head supported, and the rolling speed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from formcoach.exercises._signals.baselines import TrailingBaseline
from formcoach.exercises._signals.roller import roller_signals
from formcoach.exercises.base import Exercise
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Range, Signals
from formcoach.exercises.settings import ExerciseConfig
from formcoach.exercises.summary import Target
from formcoach.types import Check, Pose, Side, ViewName

LUMBAR_MESSAGE = (
    "the roller is under your lower back: move the roller up to your mid back, "
    "or roll your hips and glutes instead"
)


@dataclass(frozen=True, kw_only=True)
class FoamThoracicConfig(ExerciseConfig):
    # The roller's place along the trunk (0 hip, 1 shoulder), a median over 1 s. Under
    # the lumbar spine it is the first half; measured on rendered clips from the side:
    # thoracic 0.73-0.80, lumbar 0.33-0.60 (10th-90th percentile). Below 0.62 is lumbar.
    min_roller_at_trunk: float = 0.62
    smooth_s: float = 1.0
    # On the back over a roller: the trunk rises 5-60 deg toward the head (sitting up
    # is more), knees bent (at most 130 deg) with the feet on the floor.
    max_trunk_deg: float = 60.0
    max_knee_deg: float = 130.0


class FoamRollThoracic(Exercise):
    name = "foam_roll_thoracic"
    title = "Foam roll: thoracic spine"
    kind = "hold"
    trunk = "lying"
    target = Target(hold_s=30.0)  # the guide gives no reps: roll for 30-60 s
    placement = "camera at mat height, 2-3 m away, your side toward it"
    views = frozenset({"side"})
    partial_views: ClassVar[Mapping[ViewName, str]] = {
        "oblique": "from an angle the roller's place is not checked: "
        "turn so your side faces the camera",
    }
    config_class = FoamThoracicConfig
    config: FoamThoracicConfig

    def reset(self) -> None:
        super().reset()
        self._at = TrailingBaseline(self.config.smooth_s, "median")

    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        s = roller_signals(pose, side, self.config.min_visibility)
        if not s:
            return {}
        at = self._at.update(s["roller_at_trunk"], now.t_s)
        s["roller_at_trunk"] = at if now.frame_view == "side" else float("nan")
        return s

    def position(self, signals: Signals, now: Moment) -> Check:
        if not signals:
            return Check("position", None, "show your whole body to the camera")
        c = self.config
        if signals["trunk_lift_deg"] > c.max_trunk_deg:
            return Check("position", False, "lie back with the roller under your mid back")
        if signals["knee_deg"] > c.max_knee_deg:
            return Check("position", False, "bend your knees, feet flat on the floor")
        return Check("position", True)

    def rules(self) -> Sequence[Range]:
        return (
            Range(
                "roller_under_lower_back",
                "roller_at_trunk",
                low=self.config.min_roller_at_trunk,
                below=LUMBAR_MESSAGE,
                priority=5,
            ),
        )
