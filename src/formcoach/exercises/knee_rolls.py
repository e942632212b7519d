"""Knee rolls: lying on the back, knees together and bent, roll legs and pelvis to one side
while both shoulders stay on the floor; hold a breath, return, repeat to the other side.

The roll is measured in 3D (MediaPipe's world landmarks): the knees' direction from the
hips, seen along the body's long axis, against the shoulder line. That is the rotation of
the lower body relative to the upper trunk, whatever the camera angle, and it does not
need the floor. A lifted shoulder is the shoulder line tilting out of the plane the back
lay in at the start of the set (a baseline, taken afresh after a camera cut).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from formcoach.counting import RepConfig
from formcoach.exercises._signals.baselines import Baseline
from formcoach.exercises._signals.cuts import TorsoCutDetector
from formcoach.exercises._signals.knee_sink import KneeSink
from formcoach.exercises.base import Exercise
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Range, Signals
from formcoach.exercises.settings import ExerciseConfig
from formcoach.exercises.signature import Signature
from formcoach.exercises.summary import Target
from formcoach.geometry import distance, joint_angle_deg, midpoint
from formcoach.landmarks import Landmark as L
from formcoach.types import Check, FloatArray, Pose, Side, ViewName

NAN = math.nan


@dataclass(frozen=True, kw_only=True)
class KneeRollsConfig(ExerciseConfig):
    # A roll counts once the knees are 45 deg or more from pointing at the ceiling: halfway
    # to the floor, where the lumbar spine is clearly rotating. Demos go to 65-90 deg.
    depth_roll_deg: float = 45.0
    # A roll has started past 30 deg and is back in the middle under 25 deg. MediaPipe reads
    # knees held still in the middle at up to ~20 deg off (worst from the head end), so the
    # middle band must be wider than that.
    start_roll_deg: float = 30.0
    rest_roll_deg: float = 25.0
    # Back in the middle means staying there 0.5 s: the guides say return, then roll to the
    # other side. MediaPipe's brief leg flips on lying poses (up to ~0.4 s) must not split
    # one roll in two.
    rest_dwell_s: float = 0.5
    # Legs and pelvis roll together: with the knees out of the middle, the pelvis must have
    # turned the same way (demos: 3-40 deg). Knees "rolled" over a pelvis turned the other
    # way is a bridge seen from the side or MediaPipe misplacing the legs: can't judge.
    min_pelvis_follow_deg: float = 0.0
    # Roll, a breath's hold and return take 2-4 s, of which ~1 s or more is spent beyond
    # the start band (fast demos: 0.95 s); under 0.5 s is a flail or a glitch.
    min_rep_s: float = 0.5
    # Knees drawn up between rolls: the hip angle (shoulder-hip-knee) is ~90 deg with feet
    # off the floor, ~130 deg with feet on it; lying with the legs straight it is ~180.
    max_hip_deg: float = 150.0
    # Legs read straight for 1 s between rolls: lying flat, no longer knee rolls. Shorter
    # stretches are a leg straightening on the way into a roll or MediaPipe's flips.
    straight_legs_s: float = 1.0
    # A shoulder is off the floor when the shoulder line tilts 30 deg out of the back's
    # starting plane (~18 cm for a 35 cm shoulder width). MediaPipe's 3D shoulder line
    # wobbles by up to ~25 deg while the pelvis rolls in correct demos, so less than this
    # cannot be told from noise.
    max_shoulder_lift_deg: float = 30.0
    # Knees together: their gap over the hip width. Touching knees sit ~0.6 hip widths
    # apart (landmarks are joint centres); 1.5 is a fist-and-more gap, the legs falling apart.
    max_knee_gap_ratio: float = 1.5
    # The shoulders' reference is taken over 1 s with the knees in the middle.
    baseline_settle_s: float = 1.0
    # From the side, at mat height, MediaPipe's depth barely follows knees rolling toward
    # or away from the lens (knee_rolls_03: -17 deg toward, nothing away, for rolls the
    # eye sees reach 60-80). What the camera does see is the knees sinking toward the
    # floor (`_signals/knee_sink.py`), against their knees-up height over the last 10 s
    # (a few rolls' time; taken afresh after a cut).
    # It is a fallback: where the 3D roll reached depth within those 10 s, MediaPipe's
    # depth sees the rolls in this set-up (knee_rolls_01: 60-89 deg in every shot) and is
    # used alone, since near the middle acos turns the height's jitter into 20-30 deg.
    knees_up_window_s: float = 10.0
    # ... only while the trunk lies as it did then: its line in the image within this of
    # the knees-up frame's. Rolls turn it 2-9 deg (knee_rolls_03, knee_rolls_01's side
    # shots); a bridge lifts the hips 25-35 deg (glute_bridge_01), a crunch the shoulders
    # 20-45 (crunch_01), which also sinks the knees below the trunk's line.
    max_trunk_turn_deg: float = 12.0
    # ... and only with the knees together, which from the side overlap in the image:
    # tipping toward the lens parts them by up to 0.24 torso lengths (knee_rolls_03), one
    # knee drawn to the chest by 1.0-1.4 (knee_to_chest_01).
    max_side_knee_gap_ratio: float = 0.5
    # ... and only with the knees bent (the mean 3D knee angle): knee_rolls_03's read 60-103
    # deg, MediaPipe's straight legs in leg_raise_01 (a double leg raise) 124-161.
    max_side_knee_deg: float = 120.0


class KneeRolls(Exercise):
    name = "knee_rolls"
    title = "Knee rolls"
    # The knees swinging sideways: ~0.5-1 thigh length to each side.
    signature = Signature("supine", 50, lambda w: w.knee_sway_range >= 0.35)
    instructions = "on your back, knees together: roll them side to side"
    kind = "reps"
    trunk = "lying"
    # The phase is the larger of the 3D roll and, from the side, the knees' sink; its margin
    # for "deep enough" is the noisier one's band (the sink's: 3.0 deg, the 3D roll's 0.5).
    phase_signal = "knee_sink_deg"
    depth_label = "knees rolled to the side (deg)"
    sided = True
    target = Target(reps=10, per_side=True)
    placement = (
        "camera at your feet, 2-3 m away at knee height, looking along your body; "
        "from the side it counts rolls but cannot see your knees part"
    )
    views = frozenset({"front", "oblique", "side"})
    view_correction = "lie down in view of the camera, your feet toward it"
    config_class = KneeRollsConfig
    config: KneeRollsConfig

    def reset(self) -> None:
        super().reset()
        self.shoulder_baseline = Baseline(settle_s=self.config.baseline_settle_s)
        c = self.config
        self.knee_sink = KneeSink(
            c.knees_up_window_s,
            c.max_trunk_turn_deg,
            c.max_side_knee_gap_ratio,
            c.max_side_knee_deg,
        )
        self.cuts = TorsoCutDetector()
        self._depth_roll_s: float | None = None  # when the 3D roll last reached depth
        self._knees_up = False
        self._straight_since_s: float | None = None

    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        if self.cuts.update(pose, now.t_s):
            self.shoulder_baseline.reset()  # a new shot: the old references no longer hold
            self.knee_sink.reset()
            self._depth_roll_s = None
        vis, mv = pose.visibility, self.config.min_visibility
        trunk = [L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP]
        # One knee may hide behind the other (side view): their midpoint is still sound.
        if vis[trunk].min() < mv or max(vis[L.LEFT_KNEE], vis[L.RIGHT_KNEE]) < mv:
            return {}
        w = pose.world_m
        shoulders = midpoint(w[L.LEFT_SHOULDER], w[L.RIGHT_SHOULDER])
        hips = midpoint(w[L.LEFT_HIP], w[L.RIGHT_HIP])
        axis = _unit(shoulders - hips)
        across = _unit(_flatten(w[L.RIGHT_SHOULDER] - w[L.LEFT_SHOULDER], axis))
        back_normal = np.cross(axis, across)
        knees = _flatten(midpoint(w[L.LEFT_KNEE], w[L.RIGHT_KNEE]) - hips, axis)
        roll = math.degrees(math.atan2(float(knees @ across), abs(float(knees @ back_normal))))
        hip_line = _flatten(w[L.RIGHT_HIP] - w[L.LEFT_HIP], axis)
        # The hip line turning down on the right (toward the back's normal side) is the
        # pelvis rolling right; same sign convention as the knees.
        pelvis = -math.degrees(math.atan2(float(hip_line @ back_normal), float(hip_line @ across)))
        if abs(roll) < self.config.rest_roll_deg:
            self.shoulder_baseline.offer(back_normal, now.t_s)
        if abs(roll) >= self.config.depth_roll_deg:
            self._depth_roll_s = now.t_s
        hip_deg = np.mean(
            [
                joint_angle_deg(w[L.LEFT_SHOULDER], w[L.LEFT_HIP], w[L.LEFT_KNEE]),
                joint_angle_deg(w[L.RIGHT_SHOULDER], w[L.RIGHT_HIP], w[L.RIGHT_KNEE]),
            ]
        )
        if now.view.judgeable:
            self._follow_knees(float(hip_deg), now)
        return {
            # Positive: knees toward the person's right side.
            "roll_deg": roll,
            "pelvis_roll_deg": pelvis,
            "hip_deg": float(hip_deg),
            "knees_up": float(self._knees_up),
            "shoulder_lift_deg": self._shoulder_lift_deg(pose),
            "knee_gap_ratio": self._knee_gap_ratio(pose, now.view.detected),
            "knee_sink_deg": self._knee_sink_deg(pose, now),
        }

    def _knee_sink_deg(self, pose: Pose, now: Moment) -> float:
        """The roll seen from the side (`KneeSink`; NaN from other views, where it is
        depth, and where the 3D roll sees the rolls)."""
        if now.frame_view != "side" or now.view.detected != "side":
            return NAN
        last_3d = self._depth_roll_s
        if last_3d is not None and now.t_s - last_3d <= self.config.knees_up_window_s:
            return NAN  # the 3D roll sees the rolls in this set-up: it alone is used
        return self.knee_sink.measure(pose, now.t_s)

    def _shoulder_lift_deg(self, pose: Pose) -> float:
        """The shoulder line's tilt out of the back's starting plane (NaN: no reference yet)."""
        reference = self.shoulder_baseline.value
        if reference is None:
            return NAN
        w = pose.world_m
        line = _unit(w[L.RIGHT_SHOULDER] - w[L.LEFT_SHOULDER])
        return math.degrees(math.asin(min(1.0, abs(float(line @ _unit(reference))))))

    def _knee_gap_ratio(self, pose: Pose, view: ViewName) -> float:
        """Knee gap over hip width in the image; only a camera at the feet, the head or
        above sees the gap across the image (NaN otherwise: from the side it is depth)."""
        if view != "front":
            return NAN
        px = pose.image_px
        hip_width = float(distance(px[L.LEFT_HIP], px[L.RIGHT_HIP]))
        if hip_width < 1e-6:
            return NAN
        return float(distance(px[L.LEFT_KNEE], px[L.RIGHT_KNEE])) / hip_width

    def _follow_knees(self, hip_deg: float, now: Moment) -> None:
        """Knees drawn up: set at once, lost only when the legs stay straight between rolls.
        Rolling the legs toward the floor unfolds the hip (MediaPipe reads 155-170 deg at a
        full roll, and flips the legs straight for a moment on lying poses)."""
        c = self.config
        if hip_deg <= c.max_hip_deg:
            self._knees_up, self._straight_since_s = True, None
        elif now.resting:
            if self._straight_since_s is None:
                self._straight_since_s = now.t_s
            if now.t_s - self._straight_since_s >= c.straight_legs_s:
                self._knees_up = False

    def position(self, signals: Signals, now: Moment) -> Check:
        if not signals:
            return Check("position", None, "show your whole body to the camera")
        if not signals["knees_up"]:
            return Check("position", False, "lie on your back with your knees bent")
        return Check("position", True)

    def rules(self) -> Sequence[Range]:
        c = self.config
        return (
            Range(
                "shoulders_down",
                "shoulder_lift_deg",
                high=c.max_shoulder_lift_deg,
                above="keep both shoulders on the floor: roll less far",
                priority=2,
            ),
            Range(
                "knees_together",
                "knee_gap_ratio",
                high=c.max_knee_gap_ratio,
                above="keep your knees together",
                priority=1,
            ),
        )

    def phase(self, signals: Signals, now: Moment) -> float:
        """How far the knees are rolled to either side (deg); NaN when they seem rolled but
        the pelvis turned the other way (a bridge, or MediaPipe misreading the legs)."""
        if not self.position(signals, now).ok:
            return NAN
        roll = signals["roll_deg"]
        sink = signals["knee_sink_deg"]
        if sink > abs(roll):  # from the side: the knees sank further than depth shows
            return sink
        follows = math.copysign(1.0, roll) * signals["pelvis_roll_deg"]
        if abs(roll) >= self.config.rest_roll_deg and follows <= self.config.min_pelvis_follow_deg:
            return NAN
        return abs(roll)

    def rep_config(self) -> RepConfig:
        c = self.config
        return RepConfig(
            start=c.start_roll_deg,
            depth=c.depth_roll_deg,
            end=c.rest_roll_deg,
            min_rep_s=c.min_rep_s,
            end_dwell_s=c.rest_dwell_s,
        )

    def working_side(self, pose: Pose, signals: Signals) -> Side | None:
        roll = signals.get("roll_deg", NAN)
        if not abs(roll) >= self.config.start_roll_deg:
            return None
        return "right" if roll > 0 else "left"


def _unit(v: FloatArray) -> FloatArray:
    n = float(np.linalg.norm(v))
    out: FloatArray = v / n if n > 1e-9 else np.full_like(v, NAN)
    return out


def _flatten(v: FloatArray, axis: FloatArray) -> FloatArray:
    """`v` without its component along the unit `axis`."""
    out: FloatArray = v - (v @ axis) * axis
    return out
