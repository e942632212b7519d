"""Is MediaPipe's own tracking ever worse than a fresh detection on the same frame?

The pose front-end could force a fresh detection when a check (bone lengths, a jump) says
the tracked pose went wrong. That only pays if a fresh detection is better where tracking
goes wrong. This runs the model on every sample clip twice: in VIDEO mode (MediaPipe
tracks the pose from frame to frame, as formcoach does) and in IMAGE mode (the person
detector runs on every frame: a fresh detection every time), and scores both against the
synthetic truth as `formcoach synth measure` does (frames found, median joint error with
the best left/right labelling, left/right swaps of the legs and arms where they are apart).

    PYTHONPATH=src:studio/src:. python benchmarks/fresh_detection.py      # ~8 min, 1 core

Result (docs/synthetic_accuracy.md, "Tried and measured, not adopted"): neither is better
on the whole; a fresh detection loses the person filmed from the feet on half the frames
tracking finds it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from formcoach.pose.models import model_path
from formcoach.types import FloatArray
from formcoach_studio.measure import ClipResult, detect_clip, load_truth, score_clip

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_videos"


def detect_fresh(video: Path, model: Path) -> list[FloatArray | None]:
    """(33, 2) pixel landmarks per frame from IMAGE mode: no tracking between frames."""
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    opts = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model)),
        running_mode=vision.RunningMode.IMAGE,
        num_poses=1,
    )
    out: list[FloatArray | None] = []
    cap = cv2.VideoCapture(str(video))
    with vision.PoseLandmarker.create_from_options(opts) as landmarker:
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            h, w = frame.shape[:2]
            rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
            res = landmarker.detect(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb))
            found = res.pose_landmarks
            out.append(np.array([[p.x * w, p.y * h] for p in found[0]]) if found else None)
    cap.release()
    return out


def _swaps(r: ClipResult, limb: str) -> str:
    swapped, apart = r.limb_swaps.get(limb, (0, 0))
    return f"{swapped}/{apart}" if apart else "-"


def main(argv: Sequence[str]) -> int:
    model = model_path("full")
    names = argv or sorted(p.name.removesuffix(".truth.json") for p in SAMPLES.glob("*.truth.json"))
    print(
        "| clip | view | found, tracked | found, fresh | err px, tracked | err px, fresh "
        "| legs swapped, tracked | fresh | arms swapped, tracked | fresh |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in names:
        data, truth = load_truth(SAMPLES, name)
        video = SAMPLES / f"{name}.mp4"
        tracked = score_clip(data, truth, detect_clip(video, model))
        fresh = score_clip(data, truth, detect_fresh(video, model))
        print(
            f"| {name} | {data['view']} | {tracked.detected}/{tracked.frames} "
            f"| {fresh.detected}/{fresh.frames} | {tracked.err_best_px:.1f} "
            f"| {fresh.err_best_px:.1f} | {_swaps(tracked, 'legs')} | {_swaps(fresh, 'legs')} "
            f"| {_swaps(tracked, 'arms')} | {_swaps(fresh, 'arms')} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
