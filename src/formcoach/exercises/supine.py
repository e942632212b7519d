"""Shared measures for exercises lying on the back (and the avoid list that watches them).

Not an exercise: helpers used by the partial crunch, straight-leg raise, abdominal holds,
ankle pumps, foam rolling and the avoid list.

Conventions (image pixels, y down, a side or oblique camera):
- `feet_dir` is +1 when the feet lie to the right of the hips in the image, -1 to the left.
  It comes from the shoulders (behind the hips) and the knees (ahead of them), so it holds
  when the trunk sits up past vertical or the legs point at the ceiling.
- `trunk_lift_deg`: the hip->shoulder segment's angle above the floor, toward the head:
  0 lying flat, 90 sitting upright, more than 90 curled forward past vertical.
- `leg_raise_deg_<side>`: the hip->ankle segment's angle above the floor, toward the feet:
  0 leg flat, 90 pointing at the ceiling. `knee_deg_<side>`: 180 straight.
- Heights (`*_y_ratio*`) are in lengths of the near leg in the image (hip-knee plus
  knee-ankle), so they do not depend on how far the camera is; the leg's image length
  changes little when the trunk curls up, unlike the torso's seen from an oblique camera.

`TrailingBaseline` is the "this stays still while that moves" reference: the rest value of
a signal (a trailing minimum or maximum over a few seconds), reset on a camera cut.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from formcoach.geometry import distance, joint_angle_deg, midpoint
from formcoach.landmarks import Landmark as L
from formcoach.landmarks import sided
from formcoach.types import FloatArray, Pose, Side

LEG_JOINTS = ("HIP", "KNEE", "ANKLE", "HEEL", "FOOT_INDEX")
# MediaPipe world coordinates put a typical adult's hip-ankle length at 0.75-0.95 m; used
# when the world estimate is degenerate.
DEFAULT_LEG_M = 0.85


def _angle_above_deg(origin: FloatArray, point: FloatArray, forward: float) -> float:
    """Angle of origin->point above the image horizontal, measured from `forward` (+-1 x)."""
    d = point - origin
    return math.degrees(math.atan2(-float(d[1]), forward * float(d[0])))


def feet_direction(p: FloatArray) -> float:
    """+1 when the feet lie to the right of the hips in the image, -1 to the left."""
    hip = midpoint(p[L.LEFT_HIP], p[L.RIGHT_HIP])
    shoulder = midpoint(p[L.LEFT_SHOULDER], p[L.RIGHT_SHOULDER])
    knee = midpoint(p[L.LEFT_KNEE], p[L.RIGHT_KNEE])
    s = float((hip[0] - shoulder[0]) + (knee[0] - hip[0]))
    return 1.0 if s >= 0 else -1.0


def leg_length_m(pose: Pose, side: Side) -> float:
    """Hip-knee-ankle length of one leg from MediaPipe's world landmarks (metres)."""
    w = pose.world_m
    hip, knee, ankle = (w[int(sided(side, j))] for j in ("HIP", "KNEE", "ANKLE"))
    length = float(distance(hip, knee) + distance(knee, ankle))
    return length if 0.5 <= length <= 1.3 else DEFAULT_LEG_M


def supine_signals(pose: Pose, side: Side, min_visibility: float) -> dict[str, float]:
    """Signals of a body lying on its back seen from `side`; {} when the trunk is hidden."""
    vis = pose.visibility
    core = [int(sided(side, j)) for j in ("SHOULDER", "HIP")]
    if vis[core].min() < min_visibility:
        return {}
    p = pose.image_px
    fwd = feet_direction(p)
    sh, hip = p[int(sided(side, "SHOULDER"))], p[int(sided(side, "HIP"))]
    torso = float(distance(sh, hip))
    if not torso > 0:
        return {}
    knee, ankle = p[int(sided(side, "KNEE"))], p[int(sided(side, "ANKLE"))]
    leg = float(distance(hip, knee) + distance(knee, ankle))
    if not leg > 0:
        return {}
    out = {
        "feet_dir": fwd,
        "torso_px": torso,
        "leg_px": leg,
        "trunk_lift_deg": _angle_above_deg(hip, sh, -fwd),
        # Heights above the near hip, in leg lengths (positive = higher in the image).
        "shoulder_y_ratio": (hip[1] - sh[1]) / leg,
    }
    for s in ("left", "right"):
        hip_s, knee, ankle, heel, toe = (p[int(sided(s, j))] for j in LEG_JOINTS)
        out[f"knee_deg_{s}"] = float(joint_angle_deg(hip_s, knee, ankle))
        out[f"leg_raise_deg_{s}"] = _angle_above_deg(hip_s, ankle, fwd)
        out[f"thigh_raise_deg_{s}"] = _angle_above_deg(hip_s, knee, fwd)
        out[f"heel_y_ratio_{s}"] = (hip[1] - heel[1]) / leg
        out[f"heel_y_abs_{s}"] = float(heel[1]) / leg
        out[f"toe_y_ratio_{s}"] = (hip[1] - toe[1]) / leg
        # Ankle dorsiflexion: the foot's angle to the shin (larger = toes pulled up more).
        out[f"foot_shin_deg_{s}"] = 180.0 - float(joint_angle_deg(knee, ankle, toe))
    # Image heights in leg lengths (y down), for heights over a floor found from the feet.
    out["hip_y_abs"] = float(hip[1]) / leg
    return out


@dataclass
class TrailingBaseline:
    """The rest value of a signal: its minimum, maximum or median over the last `window_s`
    (the median for a point that dips briefly during the movement but should not rise).

    NaN samples are skipped. `reset()` forgets the history (a camera cut)."""

    window_s: float
    mode: Literal["min", "max", "median"] = "min"
    _samples: deque[tuple[float, float]] = field(default_factory=deque)

    def update(self, value: float, t_s: float) -> float:
        if math.isfinite(value):
            self._samples.append((t_s, value))
        while self._samples and self._samples[0][0] < t_s - self.window_s:
            self._samples.popleft()
        if not self._samples:
            return math.nan
        values = [v for _, v in self._samples]
        if self.mode == "median":
            return float(np.median(values))
        return min(values) if self.mode == "min" else max(values)

    def reset(self) -> None:
        self._samples.clear()


CUT_JOINTS = ("SHOULDER", "HIP", "KNEE", "ANKLE", "HEEL")


@dataclass
class CutDetector:
    """A camera cut or reframing: within `span_s` every one of the body's points (shoulder,
    hip, knee, ankle, heel) jumps by more than `max_jump` leg lengths, or the leg's image
    length changes by more than `max_scale` (a ratio). An exercise moves some points (the
    shoulders in a crunch, the hips in a bridge, the feet when they lift), a cut all.
    Compared over a short span, not frame to frame, because the landmark smoother (and a
    dissolve) spreads a cut over several frames. `update` stays True for `settle_s` after
    a cut, while the smoothed landmarks catch up: baselines measured before a cut, or
    during the catch-up, mean nothing after it."""

    span_s: float = 0.5
    max_jump: float = 0.06
    max_scale: float = 0.10
    settle_s: float = 0.5
    _recent: deque[tuple[float, FloatArray, float]] = field(default_factory=deque)
    _cut_s: float | None = None

    def update(self, pose: Pose, side: Side, t_s: float) -> bool:
        if self._cut_s is not None and t_s - self._cut_s <= self.settle_s:
            return True
        p = pose.image_px
        points = np.array([p[int(sided(side, j))] for j in CUT_JOINTS])
        leg = float(distance(points[1], points[2]) + distance(points[2], points[3]))
        if not leg > 0:
            return False
        # Keep the previous sample even when it is older than `span_s` (frames further
        # apart than that): a cut is then measured against it, not missed.
        while len(self._recent) > 1 and self._recent[0][0] < t_s - self.span_s:
            self._recent.popleft()
        then = self._recent[0] if self._recent else None
        self._recent.append((t_s, points, leg))
        if then is None:
            return False
        jump = float(np.min(np.linalg.norm(points - then[1], axis=1))) / leg
        if jump > self.max_jump or abs(leg / then[2] - 1.0) > self.max_scale:
            self._recent.clear()
            self._cut_s = t_s
            return True
        return False

    def reset(self) -> None:
        self._recent.clear()
        self._cut_s = None
