"""A camera cut, seen in the landmarks: a baseline taken in the old shot means nothing in
the new one. `TorsoCutDetector` watches the torso alone (exercises whose torso stays put
while the limbs move); `BodyCutDetector` every body point at once (an exercise moves some
of them, a cut all), with a settling time while the smoothed landmarks catch up."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from formcoach.geometry import distance, midpoint
from formcoach.landmarks import Landmark as L
from formcoach.landmarks import sided
from formcoach.types import FloatArray, Pose, Side


@dataclass
class TorsoCutDetector:
    """A camera cut (or the camera knocked): the torso jumps or changes size in the image.

    Compares the torso (shoulder and hip midpoints) with where it was `window_s` ago, in
    torso sizes; smoothing spreads a cut over a few frames, so one frame is not enough.
    Meant for exercises whose torso stays put (lying on the floor): a body that walks
    around would trip it."""

    window_s: float = 0.3
    max_shift_ratio: float = 0.2
    max_scale_change: float = 0.2
    _history: deque[tuple[float, FloatArray, float]] = field(default_factory=deque)

    def reset(self) -> None:
        self._history.clear()

    def update(self, pose: Pose | None, t_s: float) -> bool:
        """True on the frame a cut is seen (history restarts, so one cut reports once)."""
        if pose is None:
            return False
        px = pose.image_px
        shoulders = midpoint(px[L.LEFT_SHOULDER], px[L.RIGHT_SHOULDER])
        hips = midpoint(px[L.LEFT_HIP], px[L.RIGHT_HIP])
        # The torso's size: its length, or the shoulder width when seen end-on (a camera
        # at the feet foreshortens the torso to almost nothing).
        centre = midpoint(shoulders, hips)
        length = max(
            float(distance(shoulders, hips)),
            float(distance(px[L.LEFT_SHOULDER], px[L.RIGHT_SHOULDER])),
        )
        if length <= 1e-6:
            return False
        # The reference is the oldest sample of the last `window_s`, or the previous one
        # when frames came further apart (10 fps with a frame dropped): never this one.
        while len(self._history) > 1 and t_s - self._history[0][0] > self.window_s:
            self._history.popleft()
        self._history.append((t_s, centre, length))
        _, old_centre, old_length = self._history[0]
        shift = float(distance(centre, old_centre)) / max(length, old_length)
        scale = abs(length - old_length) / max(length, old_length)
        if shift > self.max_shift_ratio or scale > self.max_scale_change:
            self._history.clear()
            self._history.append((t_s, centre, length))
            return True
        return False


CUT_JOINTS = ("SHOULDER", "HIP", "KNEE", "ANKLE", "HEEL")


@dataclass
class BodyCutDetector:
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
