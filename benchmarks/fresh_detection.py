"""Is MediaPipe's own tracking ever worse than a fresh detection on the same frame?

The pose front-end could force a fresh detection when a check (bone lengths, a jump) says
the tracked pose went wrong. That only pays if a fresh detection is better where tracking
goes wrong. This runs the model on every sample clip twice: in VIDEO mode (MediaPipe
tracks the pose from frame to frame, as formcoach does) and in IMAGE mode (the person
detector runs on every frame: a fresh detection every time), and scores both against the
synthetic truth as `formcoach synth measure` does (frames found, median joint error with
the best left/right labelling, left/right swaps of the legs and arms where they are apart).

    PYTHONPATH=src:studio/src:. python benchmarks/fresh_detection.py      # ~8 min, 1 core
    PYTHONPATH=src:studio/src:. python benchmarks/fresh_detection.py --depth-order   # 10 s

Result (docs/synthetic_accuracy.md, "Tried and measured, not adopted"): neither is better
on the whole; a fresh detection loses the person filmed from the feet on more than half
the frames tracking finds it.

`--depth-order` instead checks, without the model, whether MediaPipe's left/right depth
order could tell when tracking swapped the legs: on each side or oblique sample clip's
recorded track, how often the leg MediaPipe puts nearer the camera (world z) has the
label of the truth's nearer leg (the truth's joints against the camera's position).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from formcoach.pose.models import model_path
from formcoach.pose.tracks import Track
from formcoach_studio.measure import ClipResult, detect_clip, load_truth, score_clip

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_videos"
TRACKS = ROOT / "tests" / "data" / "sample_tracks"
LEFT_LEG, RIGHT_LEG = [23, 25, 27], [24, 26, 28]  # hip, knee, ankle


def _swaps(r: ClipResult, limb: str) -> str:
    swapped, apart = r.limb_swaps.get(limb, (0, 0))
    return f"{swapped}/{apart}" if apart else "-"


def depth_order() -> int:
    """Per side/oblique sample track: frames where MediaPipe's nearer leg is the truth's."""
    print("| clip | view | frames | MediaPipe's nearer leg is the truth's |")
    print("|---|---|---|---|")
    for npz in sorted(TRACKS.glob("*.npz")):
        data, truth = load_truth(SAMPLES, npz.stem)
        if data["view"] not in ("side", "oblique"):
            continue
        camera = np.asarray(data["camera"]["position_m"], dtype=np.float64)
        track = Track.load(npz)
        agree = frames = 0
        for i, t_s in enumerate(track.timestamps_s):
            k = round(float(t_s) * float(data["fps"]))
            pose = track.pose(i)
            if pose is None or k >= truth.world_m.shape[0]:
                continue
            w = truth.world_m[k]
            true_left = np.linalg.norm(w[LEFT_LEG] - camera, axis=1).mean()
            true_right = np.linalg.norm(w[RIGHT_LEG] - camera, axis=1).mean()
            z = pose.world_m[:, 2]  # grows away from the camera
            mp_left = z[LEFT_LEG].mean() < z[RIGHT_LEG].mean()
            agree += int(mp_left == (true_left < true_right))
            frames += 1
        print(f"| {npz.stem} | {data['view']} | {frames} | {agree}/{frames} |")
    return 0


def main(argv: Sequence[str]) -> int:
    if list(argv) == ["--depth-order"]:
        return depth_order()
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
        fresh = score_clip(data, truth, detect_clip(video, model, fresh=True))
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
