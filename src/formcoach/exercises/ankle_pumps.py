"""Ankle pumps: lying on the back, legs straight, each foot pulled up and pointed in turn.

Each foot is counted on its own (the feet alternate, so one foot's pump overlaps the
other's): its phase is the foot's angle to the shin (heel/foot-index against the knee and
ankle, larger = toes pulled up) above that foot's own pointed-toe rest over the last few
seconds, so the camera's angle does not shift the thresholds. The pace (pumps per minute
per foot) is reported in `details`. Not checked: circulation or swelling, the reason for
the exercise; and from the front the foot moves along the camera's depth axis (side or
oblique view only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from formcoach.counting import RepConfig
from formcoach.exercises._signals.baselines import TrailingBaseline
from formcoach.exercises._signals.lying import supine_signals
from formcoach.exercises.base import Exercise
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Range, Signals
from formcoach.exercises.settings import ExerciseConfig
from formcoach.exercises.signature import STRAIGHT_KNEE_DEG, Signature
from formcoach.exercises.summary import Target
from formcoach.geometry import joint_angle_deg
from formcoach.landmarks import sided
from formcoach.types import Check, Pose, Side

SIDES: tuple[Side, Side] = ("left", "right")
FOOT_JOINTS = ("KNEE", "ANKLE", "HEEL", "FOOT_INDEX")


@dataclass(frozen=True, kw_only=True)
class AnklePumpsConfig(ExerciseConfig):
    # The phase is where the foot angle lies between its lowest (toes pointed) and highest
    # (toes pulled up) of the last 1.5 s, about one pump at an easy pace: 0 pointed, 1
    # pulled up. Its trough and peak levels drift by 10 deg from pump to pump in
    # MediaPipe's points, which a fixed rest level would not follow. A pump starts at
    # 0.5, is complete at 0.65 and ends back under 0.35.
    start: float = 0.5
    depth: float = 0.65
    end: float = 0.35
    range_window_s: float = 1.5
    # A swing under 12 deg is not a pump (MediaPipe's foot angle wobbles by ~10 deg on a
    # still foot; a pump moves it 30-60 deg, ~30 in MediaPipe's points from the side).
    min_range_deg: float = 12.0
    # The foot angle is a median over 0.25 s (6 frames at 24 fps): single frames of the
    # far foot jump by 20 deg; a pump takes ~1 s.
    smooth_s: float = 0.25
    # Lying on the back: the trunk within 35 deg of the floor (a high camera adds ~20).
    max_trunk_deg: float = 35.0
    # Legs straight along the floor: knees at 140 deg or more (MediaPipe reads straight
    # legs seen from the side at 150-180), each leg raised at most 20 deg.
    min_knee_deg: float = 140.0
    max_leg_raise_deg: float = 20.0


class AnklePumps(Exercise):
    name = "ankle_pumps"
    title = "Ankle pumps"
    # Lying with both legs straight (and still: the leg lifts come first).
    signature = Signature("supine", 40, lambda w: w.knee_min_deg >= STRAIGHT_KNEE_DEG)
    kind = "reps"
    trunk = "lying"
    depth_label = "pump position (0 toes pointed, 1 pulled up)"
    target = Target(reps=10, per_side=True)
    placement = "camera at mat height, 2-3 m away, your side toward it, feet in view"
    views = frozenset({"side", "oblique"})
    sided = True
    counts_sides_apart = True
    config_class = AnklePumpsConfig
    config: AnklePumpsConfig

    def reset(self) -> None:
        super().reset()
        c = self.config
        self._foot = {s: TrailingBaseline(c.smooth_s, "median") for s in SIDES}
        self._low = {s: TrailingBaseline(c.range_window_s, "min") for s in SIDES}
        self._high = {s: TrailingBaseline(c.range_window_s, "max") for s in SIDES}

    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        s = supine_signals(pose, side, self.config.min_visibility)
        if not s:
            return {}
        t, p = now.t_s, pose.image_px
        for foot in SIDES:
            knee, ankle, heel, toe = (p[sided(foot, j)] for j in FOOT_JOINTS)
            # The foot (heel->toe) against the shin (knee->ankle): larger = toes pulled up.
            raw = 180.0 - float(joint_angle_deg(knee - ankle + heel, heel, toe))
            angle = self._foot[foot].update(raw, t)
            s[f"foot_deg_{foot}"] = angle
            low, high = self._low[foot].update(angle, t), self._high[foot].update(angle, t)
            swing = high - low
            s[f"pump_{foot}"] = (angle - low) / swing if swing >= self.config.min_range_deg else 0.0
        s["knee_deg"] = min(s["knee_deg_left"], s["knee_deg_right"])
        s["leg_raise_deg"] = max(s["leg_raise_deg_left"], s["leg_raise_deg_right"])
        return s

    def position(self, signals: Signals, now: Moment) -> Check:
        if not signals:
            return Check("position", None, "show your whole body, feet included, to the camera")
        if abs(signals["trunk_lift_deg"]) > self.config.max_trunk_deg:
            return Check("position", False, "lie on your back, legs straight")
        return Check("position", True)

    def rules(self) -> Sequence[Range]:
        c = self.config
        return (
            Range(
                "legs_straight",
                "knee_deg",
                low=c.min_knee_deg,
                below="straighten your legs along the floor",
                priority=2,
            ),
            Range(
                "legs_down",
                "leg_raise_deg",
                high=c.max_leg_raise_deg,
                above="rest your legs on the floor: only the ankles move",
                priority=1,
            ),
        )

    def side_phases(self, signals: Signals, now: Moment) -> dict[Side, float]:
        if not signals:
            return {}
        return {foot: signals[f"pump_{foot}"] for foot in SIDES}

    def rep_config(self) -> RepConfig:
        c = self.config
        return RepConfig(start=c.start, depth=c.depth, end=c.end, min_rep_s=0.3)

    def details(self) -> dict[str, Any]:
        """Pumps per minute per foot, from the median time between one foot's pumps."""
        pace: dict[str, float | None] = {}
        events = self.rep_events()
        for foot in SIDES:
            peaks = [e.data["peak_s"] for e in events if e.kind == "rep" and e.data["side"] == foot]
            gaps = np.diff(peaks)
            pace[foot] = round(60.0 / float(np.median(gaps)), 1) if len(gaps) else None
        known = [p for p in pace.values() if p is not None]
        return {
            "pace_per_min": round(float(np.mean(known)), 1) if known else None,
            "pace_per_min_by_foot": pace,
        }
