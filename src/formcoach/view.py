"""Which way the camera sees the person: side, front or oblique.

The measure is the angle between the shoulder line (and hip line) and the image plane,
from MediaPipe's world coordinates (metres, z toward the camera): 0 deg when the person
faces the camera or lies across its view with both shoulders at the same depth (front),
90 deg when one shoulder is straight behind the other (side). Image-plane foreshortening
of the shoulder line relative to the torso length backs it up when depth is noisy.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from formcoach import noise
from formcoach.landmarks import Landmark as L
from formcoach.types import Pose, ViewName

# Bands on the shoulder/hip line's angle out of the image plane. A 45 deg turn is halfway;
# MediaPipe's depth is noisy by roughly +/-15 deg, so side starts at 55 and front ends at 35.
SIDE_MIN_DEG = 55.0
FRONT_MAX_DEG = 35.0
# The view's noise band (deg) is the depth angle's measured noise (`formcoach.noise`,
# signal "view_angle_deg": its wander on a still body and under the perturbations). A view
# seen last is kept while the angle is within the band past its limit, so a camera set up
# near 55 deg does not flip between side and oblique from frame to frame (nor with the
# frame rate).
VIEW_SIGNAL = "view_angle_deg"


def view_of_angle(
    angle_deg: float, last: ViewName | None = None, front_max_deg: float = FRONT_MAX_DEG
) -> ViewName:
    """Side, front or oblique from the depth angle, keeping `last` inside the noise band;
    `front_max_deg`: where front ends for an exercise that can be judged nearer head-on."""
    if not math.isfinite(angle_deg):
        return "unknown"
    band = noise.band(VIEW_SIGNAL)
    side_min, front_max = SIDE_MIN_DEG, front_max_deg
    if last == "side":
        side_min -= band
    elif last == "front":
        front_max += band
    elif last == "oblique":
        side_min, front_max = side_min + band, front_max - band
    if angle_deg >= side_min:
        return "side"
    return "front" if angle_deg <= front_max else "oblique"


@dataclass(frozen=True, slots=True)
class ViewMeasure:
    depth_angle_deg: float  # the shoulder/hip lines' angle out of the image plane
    view: ViewName


def _depth_angle_deg(world: npt.NDArray[np.float64], a: L, b: L) -> float:
    d = world[int(b)] - world[int(a)]
    planar = math.hypot(float(d[0]), float(d[1]))
    return math.degrees(math.atan2(abs(float(d[2])), planar))


def depth_angle_deg(pose: Pose) -> float:
    """The shoulder and hip lines' mean angle out of the image plane (NaN: unseen)."""
    w = pose.world_m
    angles = [
        _depth_angle_deg(w, L.LEFT_SHOULDER, L.RIGHT_SHOULDER),
        _depth_angle_deg(w, L.LEFT_HIP, L.RIGHT_HIP),
    ]
    return float(np.mean(angles))


def classify_view(pose: Pose, last: ViewName | None = None) -> ViewMeasure:
    """Side, front or oblique from one pose (smooth over time before trusting it);
    `last`: the view seen on the frame before, kept inside the noise band."""
    angle = depth_angle_deg(pose)
    return ViewMeasure(angle, view_of_angle(angle, last))


@dataclass
class ViewVote:
    """The view seen in most frames of the last `window_s` seconds: one noisy frame does
    not flip it, and a turn or a camera cut shows after the same time at any frame rate
    (a window of N frames lasts 3 s at 10 fps and 0.5 s at 60)."""

    window_s: float
    _seen: deque[tuple[float, ViewName]] = field(default_factory=deque)

    def add(self, view: ViewName, t_s: float) -> None:
        self._seen.append((t_s, view))
        while self._seen and self._seen[0][0] <= t_s - self.window_s:
            self._seen.popleft()

    def winner(self) -> ViewName | None:
        """The most frequent view in the window (the earliest seen on a tie); None: empty."""
        if not self._seen:
            return None
        return Counter(v for _, v in self._seen).most_common(1)[0][0]

    def clear(self) -> None:
        self._seen.clear()
