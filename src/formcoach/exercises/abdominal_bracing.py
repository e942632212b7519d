"""Abdominal bracing and the deep abdominal hold: lying on the back, knees bent, still.

What the camera checks: the position (on the back, knees bent, trunk flat) and that the
trunk and pelvis stay still (shoulders and hips within a small distance of where they
rested over the last seconds); holds of the target length are timed. What it cannot see:
whether the abdominals are tightened, and whether the breath is held; the guide asks to
keep breathing, and nothing here can tell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from formcoach.exercises._signals.baselines import TrailingBaseline
from formcoach.exercises._signals.lying import supine_signals
from formcoach.exercises.base import Exercise
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Range, Signals
from formcoach.exercises.settings import ExerciseConfig
from formcoach.exercises.signature import Signature
from formcoach.exercises.summary import Target
from formcoach.landmarks import sided
from formcoach.types import Check, Pose, Side


@dataclass(frozen=True, kw_only=True)
class BracingConfig(ExerciseConfig):
    # Knees bent (hip-knee-ankle at most 130; the set-up is ~60-90) and the trunk within
    # 25 deg of the image horizontal (a flat back; a high camera adds up to ~20).
    max_knee_deg: float = 130.0
    max_trunk_deg: float = 25.0
    # Still: shoulders and hips within 0.06 leg lengths (~5 cm) of their median over the
    # last 6 s; landmark jitter at rest is under 0.02, a pelvic tilt or a bridge is more.
    max_shift_ratio: float = 0.06
    still_window_s: float = 6.0


class AbdominalBracing(Exercise):
    name = "abdominal_bracing"
    title = "Abdominal bracing"
    # Lying on the back with the knees bent and nothing else moving: the catch-all, and
    # what a crunch, a bridge or knee rolls look like between reps.
    signature = Signature("supine", 90, lambda w: True, at_rest=True)
    kind = "hold"
    trunk = "lying"
    target = Target(reps=10, hold_s=5.0)
    placement = "camera at mat height, 2-3 m away, your side toward it"
    views = frozenset({"side", "oblique"})
    config_class = BracingConfig
    config: BracingConfig

    def reset(self) -> None:
        super().reset()
        w = self.config.still_window_s
        self._rest = {k: TrailingBaseline(w, "median") for k in ("sx", "sy", "hx", "hy")}

    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        s = supine_signals(pose, side, self.config.min_visibility)
        if not s:
            return {}
        p, leg, t = pose.image_px, s["leg_px"], now.t_s
        sh, hip = p[int(sided(side, "SHOULDER"))], p[int(sided(side, "HIP"))]
        here = {"sx": sh[0], "sy": sh[1], "hx": hip[0], "hy": hip[1]}
        shift = {
            k: abs(float(v) - self._rest[k].update(float(v), t)) / leg for k, v in here.items()
        }
        s["trunk_shift_ratio"] = max(shift["sx"], shift["sy"])
        s["pelvis_shift_ratio"] = max(shift["hx"], shift["hy"])
        s["knee_deg"] = s[f"knee_deg_{side}"]
        return s

    def position(self, signals: Signals, now: Moment) -> Check:
        if not signals:
            return Check("position", None, "show your whole body to the camera")
        c = self.config
        if abs(signals["trunk_lift_deg"]) > c.max_trunk_deg:
            return Check("position", False, "lie on your back")
        if signals["knee_deg"] > c.max_knee_deg:
            return Check("position", False, "bend your knees, feet flat on the floor")
        return Check("position", True)

    def rules(self) -> Sequence[Range]:
        c = self.config
        return (
            Range(
                "pelvis_still",
                "pelvis_shift_ratio",
                high=c.max_shift_ratio,
                above="keep your pelvis still: tighten, don't tilt or lift",
                priority=2,
            ),
            Range(
                "trunk_still",
                "trunk_shift_ratio",
                high=c.max_shift_ratio,
                above="keep your shoulders relaxed on the floor",
                priority=1,
            ),
        )


class DeepAbdominalHold(AbdominalBracing):
    name = "deep_abdominal_hold"
    title = "Deep abdominal hold"
    # 5-10 slow breaths at ~6 s each: 30 s is the lower end; breaths are not counted.
    target = Target(hold_s=30.0)
