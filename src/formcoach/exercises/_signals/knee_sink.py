"""Knees rolling seen from the side: how far they sank toward the trunk's line.

Across a body lying on its back, knees at height h above the shoulder-hip line are at
h cos(roll) once rolled toward or away from the camera, so the roll is acos(height /
knees-up height), whichever way it went (that way is depth, which this cannot tell). The
knees-up height is the 90th percentile of the last few seconds' heights in the same shot
(the highest would follow the jitter up and read the middle as a 20-28 deg roll).

Nothing is measured while the trunk itself turns in the image (a bridge lifts the hips, a
crunch the shoulders, and both sink the knees below the trunk's line too), while the knees
are apart (one drawn up, the other straight: the legs are not moving as one) or while they
are not bent (straight legs lifted and lowered sink the knees too).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from formcoach.geometry import distance, joint_angle_deg, midpoint
from formcoach.landmarks import Landmark as L
from formcoach.landmarks import sided
from formcoach.types import Pose

NAN = math.nan


@dataclass
class KneeSink:
    """The side view's roll (deg) of the knees, frame by frame.

    Only frames of the same shot make the knees-up reference: a torso of about this frame's
    size in the image (within `same_shot_ratio`: a roll leaves it be, a cut or a zoom does
    not, even one too soft for the cut detector), seen for `settle_s` at least (smoothed
    landmarks catch up after a cut)."""

    window_s: float  # how long the knees-up height is remembered
    max_trunk_turn_deg: float  # the trunk's image angle off the knees-up frame's
    max_knee_gap_ratio: float  # the knees' distance in the image, in torso lengths
    max_knee_deg: float  # the knees' mean 3D angle (hip-knee-ankle): bent, not straight
    settle_s: float = 0.5
    same_shot_ratio: float = 0.15
    # (time, knee height over torso length, trunk's image angle, torso length px)
    _seen: deque[tuple[float, float, float, float]] = field(default_factory=deque)

    def reset(self) -> None:
        self._seen.clear()

    def measure(self, pose: Pose, t_s: float) -> float:
        """The roll seen from the side (deg, either way); NaN: can't tell."""
        px = pose.image_px
        shoulders = midpoint(px[L.LEFT_SHOULDER], px[L.RIGHT_SHOULDER])
        hips = midpoint(px[L.LEFT_HIP], px[L.RIGHT_HIP])
        torso = float(distance(shoulders, hips))
        if torso < 1e-6:
            return NAN
        if float(distance(px[L.LEFT_KNEE], px[L.RIGHT_KNEE])) > self.max_knee_gap_ratio * torso:
            return NAN
        w = pose.world_m
        bend = [joint_angle_deg(w[sided(s, "HIP")], w[sided(s, "KNEE")], w[sided(s, "ANKLE")])
                for s in ("left", "right")]  # fmt: skip
        if float(np.mean(bend)) > self.max_knee_deg:
            return NAN
        along = (hips - shoulders) / torso
        up = np.array([along[1], -along[0]])  # across the body, toward the image's top
        if up[1] > 0:
            up = -up
        knees = midpoint(px[L.LEFT_KNEE], px[L.RIGHT_KNEE])
        height = float((knees - hips) @ up) / torso
        trunk_deg = math.degrees(math.atan2(-float(along[1]), abs(float(along[0]))))
        reference = self._knees_up(height, trunk_deg, torso, t_s)
        if reference is None or abs(trunk_deg - reference[1]) > self.max_trunk_turn_deg:
            return NAN
        return math.degrees(math.acos(min(1.0, max(-1.0, height / reference[0]))))

    def _knees_up(
        self, height: float, trunk_deg: float, torso_px: float, t_s: float
    ) -> tuple[float, float] | None:
        """(knees-up height, the trunk's angle on a frame at that height) lately in this
        shot; None: not settled, or no knees above the trunk's line."""
        if math.isfinite(height) and math.isfinite(trunk_deg):
            self._seen.append((t_s, height, trunk_deg, torso_px))
        while self._seen and self._seen[0][0] < t_s - self.window_s:
            self._seen.popleft()
        shot = [s for s in self._seen if abs(s[3] - torso_px) <= self.same_shot_ratio * torso_px]
        if not shot or t_s - shot[0][0] < self.settle_s:
            return None
        heights = np.array([s[1] for s in shot])
        top = float(np.percentile(heights, 90))
        best = shot[int(np.argmin(np.abs(heights - top)))]
        return None if top <= 0 else (top, best[2])
