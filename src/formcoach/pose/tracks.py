"""Cached landmark tracks: every frame's pose of a video, saved as compressed arrays.

The fast test tier and threshold tuning replay tracks instead of running the model. A track
holds landmarks only (no image data). Coordinates are stored as float32, or (`compact`)
as fixed-point integers, each frame stored as its difference from the frame before: a
tenth of the size, for the many perturbed tracks the tests replay.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from formcoach.pose.estimators import PoseEstimator, empty_pose_arrays
from formcoach.sources.base import Source, SourceInfo
from formcoach.types import Frame, Pose

TRACK_VERSION = 1
# Compact tracks: fixed-point steps of each array (1e-5 of the image: 0.006 px at 640 px;
# 0.1 mm in world metres; 1e-4 of visibility and presence).
COMPACT_STEPS = {"image_norm": 1e-5, "world_m": 1e-4, "visibility": 1e-4, "presence": 1e-4}
ARRAYS = ("image_norm", "world_m", "visibility", "presence")


@dataclass(frozen=True)
class Track:
    """Poses of one video by frame index; NaN rows mean no person was found."""

    name: str
    timestamps_s: npt.NDArray[np.float64]
    image_norm: npt.NDArray[np.float64]
    world_m: npt.NDArray[np.float64]
    visibility: npt.NDArray[np.float64]
    presence: npt.NDArray[np.float64]
    image_size_px: tuple[int, int]
    fps: float

    def __len__(self) -> int:
        return len(self.timestamps_s)

    def found(self, index: int) -> bool:
        return bool(np.isfinite(self.image_norm[index, 0, 0]))

    def pose(self, index: int) -> Pose | None:
        if index >= len(self) or not self.found(index):
            return None
        return Pose(
            self.image_norm[index],
            self.world_m[index],
            self.visibility[index],
            self.presence[index],
            self.image_size_px,
        )

    def save(self, path: Path, compact: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, Any] = {}
        if compact:
            found = np.isfinite(self.image_norm[:, 0, 0])
            arrays["found"] = found
            for key in ARRAYS:
                fixed = np.round(getattr(self, key)[found] / COMPACT_STEPS[key]).astype(np.int64)
                arrays[f"{key}_steps"] = np.diff(fixed, axis=0, prepend=0).astype(np.int32)
        else:
            arrays = {key: getattr(self, key).astype(np.float32) for key in ARRAYS}
        np.savez_compressed(
            path,
            version=TRACK_VERSION,
            name=self.name,
            fps=self.fps,
            image_size_px=np.array(self.image_size_px),
            timestamps_s=self.timestamps_s,
            **arrays,
        )

    @classmethod
    def load(cls, path: Path) -> Track:
        with np.load(path) as z:
            if int(z["version"]) != TRACK_VERSION:
                raise ValueError(
                    f"{path}: track version {int(z['version'])}, expected {TRACK_VERSION}"
                )
            size = tuple(int(v) for v in z["image_size_px"])
            times = z["timestamps_s"].astype(np.float64)
            if "found" in z:
                arrays = empty_pose_arrays(len(times))
                found = z["found"]
                for key in ARRAYS:
                    steps = np.cumsum(z[f"{key}_steps"].astype(np.int64), axis=0)
                    arrays[key][found] = steps * COMPACT_STEPS[key]
            else:
                arrays = {key: z[key].astype(np.float64) for key in ARRAYS}
            return cls(
                str(z["name"]),
                times,
                arrays["image_norm"],
                arrays["world_m"],
                arrays["visibility"],
                arrays["presence"],
                (size[0], size[1]),
                float(z["fps"]),
            )


def record_track(
    source: Source, estimator: PoseEstimator, frames: Iterable[Frame] | None = None
) -> Track:
    """Run the estimator over every frame of a source (`frames`: the source's frames
    wrapped, e.g. in a progress bar; default the source itself)."""
    times: list[float] = []
    poses: list[Pose | None] = []
    for frame in source if frames is None else frames:
        times.append(frame.timestamp_s)
        poses.append(estimator.estimate(frame))
    return track_of(source.info.name, times, poses, source.info)


def track_of(
    name: str, times: Sequence[float], poses: Sequence[Pose | None], info: SourceInfo
) -> Track:
    """A track of poses found at `times` (None: nobody) in frames described by `info`."""
    arrays = empty_pose_arrays(len(poses))
    for i, pose in enumerate(poses):
        if pose is not None:
            for key, array in arrays.items():
                array[i] = getattr(pose, key)
    return Track(
        name,
        np.array(times, dtype=np.float64),
        arrays["image_norm"],
        arrays["world_m"],
        arrays["visibility"],
        arrays["presence"],
        info.size_px,
        info.fps,
    )


class TrackSource(Source):
    """Frames for a replayed track: tiny blank images with the track's timestamps."""

    def __init__(self, track: Track) -> None:
        self.track = track
        self.info = SourceInfo(track.name, track.fps, len(track), track.image_size_px)
        self._blank = np.zeros((2, 2, 3), dtype=np.uint8)

    def __iter__(self) -> Iterator[Frame]:
        for i, t_s in enumerate(self.track.timestamps_s):
            yield Frame(self._blank, float(t_s), i)
