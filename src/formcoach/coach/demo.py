"""Show how it is done: a short looping demonstration of each exercise, the synthetic
mannequin doing the good-form motion from the recommended camera view. The clips ship
with formcoach (`formcoach/data/demos/`, rendered by the clip studio:
`formcoach synth demos --out src/formcoach/data/demos`); no video library, no download,
and nothing is rendered on the user's machine.

`formcoach exercises --demo NAME` plays one; the live set-up screen shows it in a corner
while the person gets into position (`DemoLoop`).
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

# Small and slow enough to loop as an inset, large enough to read: a quarter of a 640x360
# clip, at half its frame rate.
DEMO_SIZE_PX = (320, 180)
DEMO_FPS = 12.0

Image = npt.NDArray[np.uint8]


def demos_dir() -> Path:
    """Where the shipped demonstrations are (package data)."""
    return Path(str(resources.files("formcoach").joinpath("data/demos")))


def demo_path(exercise: str) -> Path:
    return demos_dir() / f"{exercise}.mp4"


def has_demo(exercise: str) -> bool:
    return demo_path(exercise).is_file()


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
        """The exercise's demonstration, or None if formcoach has none (or it is
        unreadable)."""
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
