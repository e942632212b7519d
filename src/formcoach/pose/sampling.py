"""Adaptive frame sampling: fewer model calls while the body is still, every frame around
motion. An estimator wrapping another estimator (`--sampling adaptive`).

Every frame still reaches the analyzer with its own timestamp (hold times and fault
intervals are timed exactly as before); on a skipped frame the analyzer sees the last
estimated pose again. The wrapped estimator is called on a subset of frames in their
order, so MediaPipe's VIDEO mode still gets strictly increasing timestamps.

When is a frame skipped? After a model call finds the body still (the fastest of the key
landmarks moved slower than `still_speed_norm_s` since the previous call), the stride
doubles up to `max_stride`; any motion sets it back to 1. Between calls a tiny grayscale
thumbnail of each frame is compared with the last estimated one: a change in the image
(someone starts moving) calls the model at once, before the stride is used up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from formcoach.landmarks import Landmark as L
from formcoach.pose.estimators import PoseEstimator
from formcoach.types import Frame, Pose

log = logging.getLogger(__name__)

KEY_LANDMARKS = [
    int(lm)
    for lm in (
        L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_ELBOW, L.RIGHT_ELBOW, L.LEFT_WRIST,
        L.RIGHT_WRIST, L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE, L.RIGHT_KNEE, L.LEFT_ANKLE,
        L.RIGHT_ANKLE,
    )
]  # fmt: skip

SAMPLING_MODES = ("full", "adaptive")


@dataclass(frozen=True, slots=True)
class SamplingConfig:
    # At most every 4th frame is estimated: at 30 fps a 133 ms gap, shorter than the 0.4 s
    # minimum rep and well under the 0.5 s hold/fault debounce, so no event can hide in it.
    max_stride: int = 4
    # "Still": the fastest key landmark moves under 0.2 image heights per second. Measured
    # on the cached tracks, holds jitter at 0.01-0.1 /s (median of the per-frame maximum)
    # and reps move at 0.3-0.7 /s.
    still_speed_norm_s: float = 0.2
    # Mean absolute difference (0-255) of a 64x36 grayscale thumbnail against the last
    # estimated frame above which the model is called at once. Compression noise and
    # breathing stay under ~2; a limb moving across the frame gives 4 and more.
    image_change: float = 3.0
    # Landmarks below this visibility are ignored when judging motion.
    min_visibility: float = 0.5


class AdaptiveSampler:
    """A PoseEstimator that calls `inner` on a subset of frames (see the module doc)."""

    def __init__(self, inner: PoseEstimator, config: SamplingConfig | None = None) -> None:
        self.inner = inner
        self.config = config or SamplingConfig()
        self.calls = 0
        self.frames = 0
        self._stride = 1
        self._since_call = 0
        self._last_pose: Pose | None = None
        self._last_t_s = 0.0
        self._last_thumb: npt.NDArray[np.float32] | None = None

    def estimate(self, frame: Frame) -> Pose | None:
        self.frames += 1
        thumb = _thumbnail(frame.image_bgr)
        if self._last_thumb is not None and self._since_call + 1 < self._stride:
            change = float(np.mean(np.abs(thumb - self._last_thumb)))
            if change < self.config.image_change:
                self._since_call += 1
                return self._last_pose
        pose = self.inner.estimate(frame)
        self.calls += 1
        still = self._is_still(pose, frame.timestamp_s)
        self._stride = min(self._stride * 2, self.config.max_stride) if still else 1
        self._since_call = 0
        self._last_pose, self._last_t_s, self._last_thumb = pose, frame.timestamp_s, thumb
        return pose

    def _is_still(self, pose: Pose | None, t_s: float) -> bool:
        last = self._last_pose
        if pose is None or last is None:
            return False  # someone appeared or left: look closely
        dt = t_s - self._last_t_s
        if dt <= 0:
            return False
        seen = (pose.visibility[KEY_LANDMARKS] >= self.config.min_visibility) & (
            last.visibility[KEY_LANDMARKS] >= self.config.min_visibility
        )
        if not seen.any():
            return False
        moved = np.linalg.norm(
            pose.image_norm[KEY_LANDMARKS, :2] - last.image_norm[KEY_LANDMARKS, :2], axis=1
        )
        return float(moved[seen].max()) / dt < self.config.still_speed_norm_s

    @property
    def call_ratio(self) -> float:
        """Model calls per frame (1.0 without any skipping)."""
        return self.calls / self.frames if self.frames else 1.0

    def close(self) -> None:
        self.inner.close()


def _thumbnail(image_bgr: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    gray = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2GRAY)
    small = cv2.resize(gray, (64, 36), interpolation=cv2.INTER_AREA)
    return small.astype(np.float32)


def wrap(estimator: PoseEstimator, mode: str) -> PoseEstimator:
    """The estimator for a `--sampling` mode."""
    if mode == "full":
        return estimator
    if mode == "adaptive":
        return AdaptiveSampler(estimator)
    raise ValueError(
        f"unknown sampling mode {mode!r}; expected one of: {', '.join(SAMPLING_MODES)}"
    )
