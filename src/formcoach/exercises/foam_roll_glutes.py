"""Foam rolling, glutes: sit on a roller lying across the body, hands behind on the floor,
feet flat, shift onto one buttock and roll 30-60 s per side. Timed as a hold per side.

Seen: sitting up (trunk 40-110 deg), knees bent with the feet down, and the hips off the
floor by a roller's height (side camera; `foam.py`'s floor is the lower heel). The side
being rolled is the lower hip: a camera at the feet sees the hip line tilt; from the side
the hips are one behind the other and the shift is not seen, so time is reported for both
sides together; from the feet the hips' height is not judged (it mixes with depth).
Not seen: the roller itself (its presence is inferred from the hips' height), which
muscle it presses, the rolling speed. MediaPipe often folds the leg behind the roller
onto the hip: the knee is read on the longer leg.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from formcoach.exercises._signals.lying import supine_signals
from formcoach.exercises._signals.roller import longer_leg
from formcoach.exercises.base import Exercise
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Signals
from formcoach.exercises.settings import ExerciseConfig
from formcoach.exercises.summary import Target
from formcoach.landmarks import sided
from formcoach.types import Check, Pose, Side, ViewName

NAN = math.nan


@dataclass(frozen=True, kw_only=True)
class FoamGlutesConfig(ExerciseConfig):
    # Sitting on the roller: the hip joint ~22 cm over the floor (15 cm roller + ~7 cm of
    # buttock), ~0.2 leg lengths over the heel landmark; on the floor ~0.06 (estimated: no
    # clip sits on the floor). Measured on two rendered side clips while rolling:
    # 0.13-0.21 (MediaPipe places the hip joint low). Below 0.10: on the floor.
    min_hip_height_ratio: float = 0.10
    # Sitting up or leaning back on the hands: the trunk 40-110 deg above the floor
    # (rendered: ~80). Lower is lying back (the thoracic roll), higher is hunched forward.
    min_trunk_deg: float = 40.0
    max_trunk_deg: float = 110.0
    # Feet on the floor with the knees bent (rendered: 60-75 deg); a straight leg (above
    # 150) is sitting with the legs out, not this exercise.
    max_knee_deg: float = 150.0
    # Camera at the feet: the hip line tilted 8 deg or more says which buttock carries the
    # weight (a 35 cm hip width: ~5 cm lower); MediaPipe's hip line wobbles a few degrees.
    min_shift_deg: float = 8.0


class FoamRollGlutes(Exercise):
    name = "foam_roll_glutes"
    title = "Foam roll: glutes"
    kind = "hold"
    sided = True
    target = Target(hold_s=30.0, per_side=True)  # the guide: 30-60 s per side
    placement = (
        "camera at mat height, 2-3 m away, your side toward it; "
        "at your feet it also tells which side you roll"
    )
    views = frozenset({"side", "front"})
    partial_views: ClassVar[Mapping[ViewName, str]] = {
        "oblique": "from an angle the hips' height is not checked: "
        "turn so your side faces the camera",
    }
    view_correction = "sit so your side or your feet face the camera"
    config_class = FoamGlutesConfig
    config: FoamGlutesConfig

    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        s = supine_signals(pose, side, self.config.min_visibility)
        if not s:
            return {}
        p = pose.image_px
        leg_side, leg = longer_leg(pose)
        floor = max(float(p[sided(f, "HEEL")][1]) for f in ("left", "right"))
        hip = (floor - float(p[sided(side, "HIP")][1])) / leg
        s["hip_height_ratio"] = hip if now.frame_view == "side" else NAN
        s["knee_deg"] = s[f"knee_deg_{leg_side}"]
        left, right = p[int(sided("left", "HIP"))], p[int(sided("right", "HIP"))]
        dx, dy = abs(float(right[0] - left[0])), float(right[1] - left[1])
        # Positive: the right hip lower in the image (the weight on the right buttock).
        s["hip_tilt_deg"] = math.degrees(math.atan2(dy, dx)) if now.frame_view == "front" else NAN
        return s

    def position(self, signals: Signals, now: Moment) -> Check:
        if not signals:
            return Check("position", None, "show your whole body to the camera")
        c = self.config
        if not c.min_trunk_deg <= signals["trunk_lift_deg"] <= c.max_trunk_deg:
            return Check("position", False, "sit up on the roller, hands on the floor behind")
        if signals["knee_deg"] > c.max_knee_deg:
            return Check("position", False, "bend your knees, feet flat on the floor")
        if signals["hip_height_ratio"] < c.min_hip_height_ratio:
            return Check("position", False, "sit on the roller, not on the floor")
        return Check("position", True)

    def working_side(self, pose: Pose, signals: Signals) -> Side | None:
        tilt = signals.get("hip_tilt_deg", NAN)
        if not abs(tilt) >= self.config.min_shift_deg:
            return None
        return "right" if tilt > 0 else "left"

    def details(self) -> dict[str, Any]:
        by_side: dict[str, float] = {}
        for iv in self.holds.intervals:
            key = iv.side or "both"
            by_side[key] = round(by_side.get(key, 0.0) + iv.duration_s, 1)
        return {"time_per_side_s": by_side}
