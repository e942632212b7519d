"""Does running the pose model on a rotated image help the poses it finds worst?

For each named sample clip (default: the ones filmed from the feet or head-on, where the
error map is worst), MediaPipe runs on the frames as filmed and rotated by 90, 180 and 270
degrees; the landmarks are mapped back and scored against the clip's exact truth
(`formcoach_studio.measure`): frames found, median joint error (best left/right labelling),
and leg swaps. A rotation worth adding to the pose front-end would find the person more
often *and* place the joints closer.

    PYTHONPATH=src python benchmarks/rotated_detection.py                 # ~2 min
    PYTHONPATH=src python benchmarks/rotated_detection.py plank_good_front
"""

from __future__ import annotations

import argparse
from pathlib import Path

from formcoach.pose.models import model_path
from formcoach_studio.measure import detect_clip, load_truth, score_clip

SAMPLES = Path(__file__).resolve().parent.parent / "sample_videos"
WORST = ("knee_rolls_good_front", "knee_rolls_shoulder_lifting_front", "plank_good_front")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", default=list(WORST), help="sample clip names")
    args = parser.parse_args()
    print("| clip | rotation | found | joint err best px | legs swapped |")
    print("|---|---|---|---|---|")
    for name in args.clips:
        data, truth = load_truth(SAMPLES, name)
        for rotation in (0, 90, 180, 270):
            points = detect_clip(SAMPLES / f"{name}.mp4", model_path(), rotation)
            r = score_clip(data, truth, points)
            swapped, apart = r.limb_swaps["legs"]
            legs = f"{swapped}/{apart}" if apart else "-"
            print(
                f"| {name} | {rotation} | {r.detected}/{r.frames} | {r.err_best_px:.1f} | {legs} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
