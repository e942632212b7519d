"""Pose estimators: MediaPipe's Tasks PoseLandmarker, and a replay of cached tracks.

BGR -> RGB happens here, and MediaPipe's lists of landmark objects become numpy arrays
here, once (`mediapipe_env.landmarks_to_array`). The people check beside one-person
tracking is `people_check`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

from formcoach.landmarks import NUM_LANDMARKS
from formcoach.pose.boxes import box_of
from formcoach.pose.mediapipe_env import landmarks_to_array, quiet_native_stderr, without_display
from formcoach.pose.people import PersonTracker
from formcoach.pose.people_check import CROWD_POSES, CrowdFollower, PeopleCheck, choose
from formcoach.types import FloatArray, Frame, Pose

log = logging.getLogger(__name__)


class PoseEstimator(Protocol):
    """Turns a frame into the main person's pose, or None when nobody is found."""

    def estimate(self, frame: Frame) -> Pose | None: ...

    def close(self) -> None: ...


class MediaPipeEstimator:
    """Tasks PoseLandmarker in VIDEO mode (cheaper and steadier than IMAGE mode).

    With `num_poses` 1 MediaPipe follows one person itself (the region found in the last
    frame), and `people_check` (a `PeopleCheck`, on by default) counts the people in view
    once a second: the report says when others were there, and while they are, everyone
    is found on every frame and the person followed is kept among them
    (`crowd_switch.CrowdSwitch`). With 2 or more, every person in view is returned on
    every frame and `people` (a `PersonTracker`) keeps following the same one, and says
    when that was ambiguous; MediaPipe then runs its person detector on every frame
    (about 1.7x the time).
    """

    def __init__(
        self,
        model_path: str | Path,
        num_poses: int = 1,
        min_detection_confidence: float = 0.5,
        min_presence_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
        threads: int | None = None,
        people_check: bool = True,
        fits: Callable[[Pose], bool] | None = None,
    ) -> None:
        if threads is not None:
            # XNNPACK reads this when the graph starts; batch workers use one thread each.
            os.environ.setdefault("TFLITE_NUM_THREADS", str(threads))
        from mediapipe.tasks.python import BaseOptions, vision

        def options(poses: int) -> Any:
            return vision.PoseLandmarkerOptions(
                base_options=BaseOptions(model_asset_path=str(model_path)),
                running_mode=vision.RunningMode.VIDEO,
                num_poses=poses,
                min_pose_detection_confidence=min_detection_confidence,
                min_pose_presence_confidence=min_presence_confidence,
                min_tracking_confidence=min_tracking_confidence,
            )

        # The people check's model loads on its thread while this one loads here.
        self.people_check = PeopleCheck(model_path) if num_poses == 1 and people_check else None
        try:
            self._landmarker = new_landmarker(options(num_poses))
            if self.people_check is not None:
                self.people_check.wait_ready()
        except BaseException:
            if self.people_check is not None:
                self.people_check.close()
            raise
        self._last_ms = -1
        self.calls = 0
        self.people = PersonTracker() if num_poses > 1 else None
        self._fits = fits  # whether a person is in the exercise's posture (people.py)
        self._crowd = (
            CrowdFollower(self.people_check, lambda: new_landmarker(options(CROWD_POSES)), fits)
            if self.people_check is not None
            else None
        )

    def estimate(self, frame: Frame) -> Pose | None:
        import mediapipe as mp

        # VIDEO mode needs strictly increasing integer milliseconds.
        t_ms = max(round(frame.timestamp_s * 1000.0), self._last_ms + 1)
        self._last_ms = t_ms
        t_s = frame.timestamp_s
        crowd = self._crowd is not None and self._crowd.looking(t_s)
        landmarker = self._crowd.landmarker if self._crowd is not None and crowd else None
        rgb = cv2.cvtColor(frame.image_bgr, cv2.COLOR_BGR2RGB)
        with quiet_native_stderr() if self.calls == 0 else nullcontext():
            result = (landmarker or self._landmarker).detect_for_video(
                mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), t_ms
            )
        self.calls += 1
        poses = [
            _pose_of(image, world, frame.size_px)
            for image, world in zip(result.pose_landmarks, result.pose_world_landmarks, strict=True)
        ]
        if self._crowd is not None and crowd:
            index = self._crowd.choose(poses, t_s)
        else:
            index = self._main_person(poses, t_s)
        followed = box_of(poses[index].image_norm) if index is not None else None
        if self._crowd is not None:
            self._crowd.offer(frame, followed)
        elif self.people_check is not None:
            self.people_check.offer(frame, followed)
        return poses[index] if index is not None else None

    def _main_person(self, poses: list[Pose], t_s: float) -> int | None:
        if self.people is None:
            return 0 if poses else None
        return choose(self.people, poses, t_s, self._fits)

    def warnings(self) -> list[str]:
        """What the report should say about the people in view."""
        if self.people is not None:
            return self.people.warnings()
        if self._crowd is not None:
            return self._crowd.warnings()
        return self.people_check.warnings() if self.people_check is not None else []

    def close(self) -> None:
        if self._crowd is not None:
            self._crowd.close()
        if self.people_check is not None:
            self.people_check.close()
        self._landmarker.close()


def new_landmarker(options: Any) -> Any:
    from mediapipe.tasks.python import vision

    with quiet_native_stderr(), without_display():
        return vision.PoseLandmarker.create_from_options(options)


def _pose_of(image_landmarks: Any, world_landmarks: Any, size_px: tuple[int, int]) -> Pose:
    image_norm, visibility, presence = landmarks_to_array(image_landmarks)
    world, _, _ = landmarks_to_array(world_landmarks)
    return Pose(image_norm, world, visibility, presence, size_px)


class ReplayEstimator:
    """Replays a cached track (see `tracks.py`): pose by frame index, no model."""

    def __init__(self, track: Any) -> None:
        self._track = track

    def estimate(self, frame: Frame) -> Pose | None:
        return self._track.pose(frame.index)  # type: ignore[no-any-return]

    def close(self) -> None:
        """Nothing to release."""


def empty_pose_arrays(n_frames: int) -> dict[str, FloatArray]:
    """Arrays for a track of n frames, filled with NaN (no person)."""
    shape3 = (n_frames, NUM_LANDMARKS, 3)
    return {
        "image_norm": np.full(shape3, np.nan),
        "world_m": np.full(shape3, np.nan),
        "visibility": np.zeros((n_frames, NUM_LANDMARKS)),
        "presence": np.zeros((n_frames, NUM_LANDMARKS)),
    }
