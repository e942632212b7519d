"""Show how it is done: a short looping demonstration of each exercise, rendered by the
project's own clip studio (the synthetic mannequin doing the good-form motion from the
recommended camera view), cached on first use. No video library, no download.

`formcoach exercises --demo NAME` plays one; the live set-up screen shows it in a corner
while the person gets into position (`DemoLoop`).
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from formcoach.synth.studio import ClipSpec

log = logging.getLogger(__name__)

# Small and slow enough to render in a few seconds on two cores, large enough to read
# as an inset: a quarter of a 640x360 clip, at half its frame rate.
DEMO_SIZE_PX = (320, 180)
DEMO_FPS = 12.0

Image = npt.NDArray[np.uint8]


def cache_dir() -> Path:
    """Where rendered demonstrations are kept: FORMCOACH_CACHE_DIR, else the user's cache."""
    if os.environ.get("FORMCOACH_CACHE_DIR"):
        return Path(os.environ["FORMCOACH_CACHE_DIR"]) / "demos"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "formcoach" / "demos"


def demo_spec(exercise: str) -> ClipSpec | None:
    """The studio's good-form sample of `exercise`, made small; None if it has none."""
    from formcoach.synth.sets import sample_set

    for spec in sample_set():
        if spec.exercise == exercise and spec.variant == "good":
            return replace(
                spec,
                name=f"demo_{exercise}",
                width_px=DEMO_SIZE_PX[0],
                height_px=DEMO_SIZE_PX[1],
                fps=DEMO_FPS,
                noise_sigma=0.0,
            )
    return None


def demo_path(exercise: str) -> Path:
    return cache_dir() / f"{exercise}.mp4"


def has_demo(exercise: str) -> bool:
    return demo_spec(exercise) is not None


def ensure_demo(exercise: str) -> Path | None:
    """The demonstration's file, rendered now if it is not cached; None if the exercise has
    no good-form sample in the studio."""
    path = demo_path(exercise)
    if path.is_file():
        return path
    spec = demo_spec(exercise)
    if spec is None:
        return None
    from formcoach.pose.estimators import quiet_native_stderr
    from formcoach.synth.studio import open_writer, pose_clip, render_frames

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.stem}.partial.mp4")
    with quiet_native_stderr():  # the writer tries codecs; FFmpeg names each one missing
        writer, _ = open_writer(partial, spec.fps, (spec.width_px, spec.height_px))
    try:
        for frame in render_frames(spec, pose_clip(spec)):
            writer.write(frame)
    finally:
        writer.release()
    partial.replace(path)  # a half-rendered demo is never taken for a whole one
    log.info("demonstration of %s rendered to %s", exercise, path)
    return path


class DemoLoop:
    """A cached demonstration in memory, looped: `frame_at(t)` for any time in seconds."""

    def __init__(self, path: Path) -> None:
        cap = cv2.VideoCapture(str(path))
        self.fps = cap.get(cv2.CAP_PROP_FPS) or DEMO_FPS
        self.frames: list[Image] = []
        while True:
            ok, image = cap.read()
            if not ok:
                break
            self.frames.append(np.asarray(image, dtype=np.uint8))
        cap.release()
        if not self.frames:
            raise ValueError(f"{path} has no frames")

    @classmethod
    def cached(cls, exercise: str) -> DemoLoop | None:
        """The exercise's demonstration if it is already rendered (never renders: a live
        session must not wait), else None."""
        path = demo_path(exercise)
        try:
            return cls(path) if path.is_file() else None
        except ValueError:
            return None

    @property
    def duration_s(self) -> float:
        return len(self.frames) / self.fps

    def frame_at(self, t_s: float) -> Image:
        return self.frames[int(t_s * self.fps) % len(self.frames)]
