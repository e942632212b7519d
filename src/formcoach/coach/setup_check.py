"""The setup check before counting: light, whole body in frame, distance, and the view the
exercise needs. It reads frames and poses and returns a status saying exactly what to
change; counting starts by itself once the setup has been right for `ready_s`.

The checks run in the order a person fixes them: light first (without it nothing else is
seen), then being found at all, then fitting in the frame, then distance, then the view.
Time comes from the frames' timestamps only.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from formcoach.landmarks import Landmark as L
from formcoach.types import Frame, Pose, ViewName
from formcoach.view import ViewVote, classify_view

HEAD = (L.NOSE, L.LEFT_EAR, L.RIGHT_EAR)
FEET = (
    L.LEFT_ANKLE,
    L.RIGHT_ANKLE,
    L.LEFT_HEEL,
    L.RIGHT_HEEL,
    L.LEFT_FOOT_INDEX,
    L.RIGHT_FOOT_INDEX,
)
BODY = (L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP, *HEAD, *FEET)


@dataclass(frozen=True, slots=True)
class SetupConfig:
    # Mean brightness (0-255 grey) below which MediaPipe's landmarks get unreliable: a room
    # lit only by the screen measures ~30-50, a normally lit room 90-150.
    min_brightness: float = 60.0
    # A landmark closer than this (fraction of the frame) to an edge counts as cut off:
    # MediaPipe clamps guesses for points just outside the image near the border.
    edge_margin_norm: float = 0.01
    # A body part is seen when its best landmark reaches this visibility.
    min_visibility: float = 0.5
    # The body's longest extent must cover this fraction of the frame: smaller, and the
    # joints are a few pixels apart and angles get noisy (roughly 3+ m from a laptop).
    min_extent_norm: float = 0.4
    # Setup must be right this long before counting starts (a person settling in).
    ready_s: float = 2.0
    # The view is decided on the frames of the last half second, not one noisy frame.
    view_window_s: float = 0.5


@dataclass(frozen=True, slots=True)
class SetupStatus:
    """The setup in one frame. `ready` latches once the setup was right for `ready_s`."""

    ready: bool
    ok: bool
    problem: str  # "light", "person", "frame", "distance", "view" or "" when ok
    message: str  # what to change, in the user's words ("" when ok)
    progress: float  # 0..1 of the `ready_s` wait


class SetupCheck:
    """Judges the setup frame by frame for an exercise seen from `views`."""

    def __init__(
        self,
        views: frozenset[ViewName],
        view_correction: str,
        config: SetupConfig | None = None,
    ) -> None:
        self.views = views
        self.view_correction = view_correction
        self.config = config or SetupConfig()
        self.reset()

    def reset(self) -> None:
        self._views = ViewVote(self.config.view_window_s)
        self._frame_view: ViewName | None = None
        self._ok_since_s: float | None = None
        self._ready = False

    def update(self, frame: Frame, pose: Pose | None) -> SetupStatus:
        problem, message = self._problem(frame, pose)
        t = frame.timestamp_s
        if problem:
            self._ok_since_s = None
            progress = 0.0
        else:
            if self._ok_since_s is None:
                self._ok_since_s = t
            progress = min(1.0, (t - self._ok_since_s) / max(self.config.ready_s, 1e-9))
            self._ready = self._ready or progress >= 1.0
        return SetupStatus(self._ready, not problem, problem, message, progress)

    def _problem(self, frame: Frame, pose: Pose | None) -> tuple[str, str]:
        c = self.config
        if brightness(frame) < c.min_brightness:
            return "light", "turn on more light: the camera can't see you well"
        if pose is None:
            return "person", "step into view of the camera"
        self._frame_view = classify_view(pose, self._frame_view).view
        self._views.add(self._frame_view, frame.timestamp_s)
        out = self._out_of_frame(pose)
        if out:
            return "frame", f"move the laptop back: your {out} out of frame"
        if body_extent_norm(pose, c.min_visibility) < c.min_extent_norm:
            return "distance", "come closer to the camera: you are too far away"
        view = self._views.winner()
        if view not in self.views:
            return "view", self.view_correction
        return "", ""

    def _out_of_frame(self, pose: Pose) -> str:
        head = not self._seen(pose, HEAD)
        feet = not self._seen(pose, FEET)
        if head and feet:
            return "head and feet are"
        if feet:
            return "feet are"
        if head:
            return "head is"
        return ""

    def _seen(self, pose: Pose, part: tuple[L, ...]) -> bool:
        """A body part is seen if one of its landmarks is visible and inside the frame."""
        m = self.config.edge_margin_norm
        for lm in part:
            x, y = pose.image_norm[int(lm), :2]
            inside = m <= x <= 1 - m and m <= y <= 1 - m
            if inside and pose.visibility[int(lm)] >= self.config.min_visibility:
                return True
        return False


def brightness(frame: Frame) -> float:
    """Mean grey level (0-255) of a subsampled frame: cheap enough for every frame."""
    small = frame.image_bgr[::8, ::8]
    return float(np.mean(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)))


def body_extent_norm(pose: Pose, min_visibility: float) -> float:
    """The body's longest extent (width or height) as a fraction of the frame."""
    idx = [int(lm) for lm in BODY if pose.visibility[int(lm)] >= min_visibility]
    if len(idx) < 2:
        return 0.0
    xy = pose.image_norm[idx, :2]
    return float(np.max(xy.max(axis=0) - xy.min(axis=0)))
