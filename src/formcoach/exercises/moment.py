"""What an exercise's hooks are told about the frame they judge."""

from __future__ import annotations

import math
from dataclasses import dataclass

from formcoach.counting import RepPhase
from formcoach.types import ViewInfo, ViewName


@dataclass(frozen=True, slots=True)
class Moment:
    """What the base knows about the frame its hooks are judging, so a hook never reads
    the analyzer's own state: the source's time, the camera view (voted over the last
    `view_window_s`, and this frame's alone, with the angle it was read from), where the
    rep counter stands before this frame, and the last definite decision of `position`
    (what an enter/keep latch keeps)."""

    t_s: float
    view: ViewInfo
    frame_view: ViewName = "unknown"
    rep_phase: RepPhase | None = None  # None: no single rep counter (a hold, sides apart)
    in_position: bool = False
    view_angle_deg: float = math.nan  # this frame's `Exercise.view_angle` (90 side, 0 front)

    @property
    def resting(self) -> bool:
        """Between reps (or nothing counted): where a rest reference may be taken."""
        return self.rep_phase is None or self.rep_phase is RepPhase.REST
