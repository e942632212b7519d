"""Wall slide: back flat on the wall, feet ~12 in ahead; bend the knees to ~45 deg, hold
5 s, slowly return. The wall sit's cousin: its 3D measures and front-view handling are
reused (a subclass), with a rep and a per-rep hold in place of one long hold.

The rep's phase is the knee flexion (180 - the 3D hip-knee-ankle angle). Checked: the
bend reaches about 45 deg (short of it: a partial rep), no deeper than a quarter squat,
the trunk upright (the back on the wall; side or oblique view), the hold time at depth
with good form per rep (`details.hold_s`, target 5 s), and a slow return. Not seen: the
wall itself (a trunk upright away from the wall looks the same), whether the abdominals
are tight, and the feet's distance from the wall in inches.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from formcoach.counting import RepConfig
from formcoach.crossings import crossing_s
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Range, Signals
from formcoach.exercises.signature import KNEE_MOTION_DEG, Signature
from formcoach.exercises.summary import Target
from formcoach.exercises.wall_sit import WallSit, WallSitConfig
from formcoach.types import Check, Pose, Side

# Hold time is summed frame to frame, but not across a longer gap (a dropout is not hold
# time): 10 fps with two frames dropped in a row puts samples 0.3 s apart.
MAX_FRAME_GAP_S = 0.35


@dataclass(frozen=True, kw_only=True)
class WallSlideConfig(WallSitConfig):
    # Knee flexion (deg). Standing at the wall with the feet ahead reads 8-15 deg; a
    # rendered slide to 38 deg (true) reads 34 in MediaPipe's 3D points. A rep starts at
    # 22 deg, is complete at 28 (about 45 less the ~10 deg MediaPipe loses and a margin)
    # and ends back under 18.
    start_deg: float = 22.0
    depth_deg: float = 28.0
    end_deg: float = 18.0
    # Deeper than 70 deg of flexion (knee under 110 deg) is a squat, not a slide: the
    # knees and lower back take the load the guide keeps off them.
    max_flexion_deg: float = 70.0
    # The hold is timed at 31 deg or more (in position, form good): past the rep's depth,
    # so the slide down and back up (1.3-1.5 s each) add ~0.2 s, not ~0.8 s.
    hold_deg: float = 31.0
    # The return from the hold (flexion from `depth_deg` back to `end_deg`) under 0.25 s
    # is a drop, not a slow return: a 1.3 s return spends ~0.5 s in that band.
    min_return_s: float = 0.25
    # A fast return is shown (and reported as a fault) for 1.5 s: faults need 1 s.
    show_fault_s: float = 1.5


class WallSlide(WallSit):
    name = "wall_slide"
    title = "Wall slide"
    # Knees bending and straightening alike, or held still bent to 110-160 deg (a 20-70
    # deg bend: the slide's hold, about 45 deg); standing straight reads 165-180 in 3D.
    signature = Signature(
        "upright",
        30,
        lambda w: w.knee_range_deg >= KNEE_MOTION_DEG or 110.0 <= w.knee_min_deg <= 160.0,
    )
    kind = "reps"
    trunk = "upright"
    phase_signal = "flexion_deg"
    depth_label = "knee bend from straight (deg)"
    target = Target(reps=10, hold_s=5.0)
    placement = "camera at hip height, 2-3 m away, your side toward it"
    config_class = WallSlideConfig
    extra_rules = frozenset({"slow_return"})
    config: WallSlideConfig

    def reset(self) -> None:
        super().reset()
        self.hold_s: list[float] = []
        self._held_s = 0.0
        self._last: tuple[float, float] | None = None  # the last sample: (t_s, flexion)
        self._left_depth_s: float | None = None
        self._fast_until_s = -math.inf
        self.fast_returns = 0

    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        s = super().measure(pose, side, now)
        if s:
            s["flexion_deg"] = 180.0 - s["knee_deg"]
        return s

    def position(self, signals: Signals, now: Moment) -> Check:
        if not signals:
            return Check("position", None, "show your whole body to the camera")
        c = self.config
        upright = signals["trunk_tilt_deg"] <= c.max_trunk_tilt_deg
        if not upright or signals["shin_from_vertical_deg"] > c.max_shin_from_vertical_deg:
            return Check("position", False, "stand with your back against the wall")
        return Check("position", True)

    def rules(self) -> Sequence[Range]:
        c = self.config
        return (
            Range(
                "too_deep",
                "flexion_deg",
                high=c.max_flexion_deg,
                above="not so deep: bend your knees only to about 45 degrees",
                priority=3,
            ),
            Range(
                "back_on_wall",
                "trunk_lean_deg",
                high=c.max_trunk_lean_deg,
                above="keep your back flat against the wall",
                priority=2,
            ),
        )

    def extra_checks(self, signals: Signals, now: Moment) -> list[Check]:
        c = self.config
        flexion = signals["flexion_deg"]
        form_ok = self.rules_pass()
        last = self._last
        if flexion >= c.hold_deg and form_ok and last is not None:
            self._held_s += min(now.t_s - last[0], MAX_FRAME_GAP_S)
        self._last = (now.t_s, flexion)
        previous = last if last is not None and now.t_s - last[0] <= MAX_FRAME_GAP_S else None
        # The return's times are the band's crossings, interpolated between samples: at
        # 10 fps the samples alone would put a 0.25 s return anywhere from 0.15 to 0.35 s.
        if flexion >= c.depth_deg:
            self._left_depth_s = None
        elif self._left_depth_s is None and self._held_s > 0:
            self._left_depth_s = crossing_s(previous, flexion, now.t_s, c.depth_deg)
        if flexion < c.end_deg and self._left_depth_s is not None:
            back_s = crossing_s(previous, flexion, now.t_s, c.end_deg)
            if back_s - self._left_depth_s < c.min_return_s:
                self._fast_until_s = now.t_s + c.show_fault_s
                self.fast_returns += 1
            self._left_depth_s = None
        if flexion < c.end_deg and self._held_s > 0:
            self.hold_s.append(round(self._held_s, 2))
            self._held_s = 0.0
        fast = now.t_s < self._fast_until_s
        return [Check("slow_return", not fast, "come back up slowly" if fast else "", priority=1)]

    def phase(self, signals: Signals, now: Moment) -> float:
        return signals.get("flexion_deg", math.nan)

    def rep_config(self) -> RepConfig:
        c = self.config
        return RepConfig(start=c.start_deg, depth=c.depth_deg, end=c.end_deg)

    def details(self) -> dict[str, Any]:
        return {
            "hold_s": self.hold_s,
            "target_hold_s": self.target.hold_s,
            "fast_returns": self.fast_returns,
        }
