"""Would keeping each leg's identity by continuity undo MediaPipe's left/right swaps?

On the sample clips' recorded tracks (MediaPipe's landmarks as recorded, before any
formcoach stage), each limb pair's labels are re-chosen frame by frame: the labelling
closest to the previous frame's output, applied only when the pair is apart (more than
SEP of a torso length) and the swapped labelling is closer by a margin (its distance under
RATIO of the kept one's); HOLD_S limits how long it may override MediaPipe. The leg swaps
are then counted against the exact truth as in `formcoach synth measure` (frames where
the legs are apart). Prints the swaps per lunge clip as recorded and under each variant.

    PYTHONPATH=src:. python benchmarks/leg_identity.py        # seconds, no model

Result (docs/synthetic_accuracy.md): short flips are repaired, but where MediaPipe's
labels are wrong as the legs part, continuity keeps the wrong identity, so some clips get
worse; the pose front-end does not use it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from formcoach.landmarks import Landmark, mirror
from formcoach.pose.tracks import Track
from formcoach.types import FloatArray
from formcoach_studio.measure import load_truth, score_track

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_videos"
TRACKS = ROOT / "tests" / "data" / "sample_tracks"
CLIPS = ("lunge_good_side", "lunge_knee_past_toes_oblique", "lunge_too_shallow_side")
L = Landmark
LEFT_LEG = np.array([L.LEFT_KNEE, L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT_INDEX])
RIGHT_LEG = np.array([mirror(L(i)) for i in LEFT_LEG])
MAX_GAP_S = 0.5
# (SEP, RATIO, HOLD_S): no margin; margins; margins with a limit on overriding.
VARIANTS = ((0.15, 1.0, math.inf), (0.3, 0.5, math.inf), (0.3, 0.3, math.inf), (0.3, 0.3, 0.3))


def relabelled(track: Track, sep: float, ratio: float, hold_s: float) -> list[FloatArray | None]:
    """(33, 2) pixel points per frame with the legs' labels chosen by continuity."""
    size = np.array(track.image_size_px, dtype=np.float64)
    out: list[FloatArray | None] = []
    prev: tuple[FloatArray, FloatArray] | None = None
    prev_t = since = None
    for i, t in enumerate(track.timestamps_s):
        pose = track.pose(i)
        if pose is None:
            out.append(None)
            continue
        p = pose.image_norm[:, :2] * size
        torso = float(np.linalg.norm((p[11] + p[12]) / 2 - (p[23] + p[24]) / 2))
        apart = np.linalg.norm(p[LEFT_LEG] - p[RIGHT_LEG], axis=-1).mean()
        swap = False
        recent = prev is not None and prev_t is not None and t - prev_t <= MAX_GAP_S
        if recent and prev is not None and apart >= sep * torso:
            kept = _cost(p[LEFT_LEG], p[RIGHT_LEG], prev)
            crossed = _cost(p[RIGHT_LEG], p[LEFT_LEG], prev)
            swap = crossed < ratio * kept and kept - crossed > sep * torso * (ratio < 1)
        if swap:
            since = t if since is None else since
            swap = t - since <= hold_s
        else:
            since = None
        if swap:
            p = p.copy()
            p[LEFT_LEG], p[RIGHT_LEG] = p[RIGHT_LEG].copy(), p[LEFT_LEG].copy()
        prev, prev_t = (p[LEFT_LEG], p[RIGHT_LEG]), t
        out.append(p)
    return out


def _cost(left: FloatArray, right: FloatArray, prev: Sequence[FloatArray]) -> float:
    return float(
        np.linalg.norm(left - prev[0], axis=-1).sum()
        + np.linalg.norm(right - prev[1], axis=-1).sum()
    )


def leg_swaps(name: str, points: list[FloatArray | None], track: Track) -> tuple[int, int]:
    data, truth = load_truth(SAMPLES, name)
    return score_track(data, truth, track, points).limb_swaps["legs"]


def main() -> None:
    print(
        "| clip | as recorded | "
        + " | ".join(f"sep {s} ratio {r} hold {h}" for s, r, h in VARIANTS)
        + " |"
    )
    print("|---|---|" + "---|" * len(VARIANTS))
    for name in CLIPS:
        track = Track.load(TRACKS / f"{name}.npz")
        size = np.array(track.image_size_px, dtype=np.float64)
        raw = [
            None if (q := track.pose(i)) is None else q.image_norm[:, :2] * size
            for i in range(len(track))
        ]
        cells = [leg_swaps(name, raw, track)]
        cells += [leg_swaps(name, relabelled(track, *v), track) for v in VARIANTS]
        print(f"| {name} | " + " | ".join(f"{s}/{n}" for s, n in cells) + " |")


if __name__ == "__main__":
    main()
