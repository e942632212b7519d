"""Could the colours of a person's torso tell them from someone else? Measured on one
person: how far the same person's torso colours drift within each real clip.

For every real clip with a recorded track (tests/data/tracks, ../shared/clips), each
frame's torso (the box of the shoulders and hips, shrunk to 80 %) is cut from the decoded
frame, its HSV histogram (8 x 3 x 3 bins) is compared with a running average of the
earlier frames' (weight 0.1) by the Bhattacharyya distance (0 the same, 1 nothing in
common). A colour check that tells two people apart would need their distance above the
largest a single person reaches.

    PYTHONPATH=src python benchmarks/appearance.py      # about 1 min, no model

Result (docs/people.md): one person reaches 0.71-0.98 in 9 of
26 clips (a side-view torso box is mostly background; cuts and zooms change the light),
so torso colours are not used to tell people apart.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from formcoach.pose.tracks import Track

ROOT = Path(__file__).resolve().parent.parent
CLIPS = ROOT.parent / "shared" / "clips"
TRACKS = ROOT / "tests" / "data" / "tracks"
TORSO = [11, 12, 23, 24]


def torso_histogram(image_bgr: np.ndarray, points_px: np.ndarray) -> np.ndarray | None:
    pts = points_px[TORSO]
    if not np.isfinite(pts).all():
        return None
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    centre, half = (lo + hi) / 2, (hi - lo) / 2 * 0.8
    x0, y0 = np.maximum(0, (centre - half).astype(int))
    x1 = min(int(centre[0] + half[0]), image_bgr.shape[1])
    y1 = min(int(centre[1] + half[1]), image_bgr.shape[0])
    if x1 - x0 < 6 or y1 - y0 < 6:
        return None
    hsv = cv2.cvtColor(image_bgr[y0:y1, x0:x1], cv2.COLOR_BGR2HSV)
    hist = cv2.calcHist([hsv], [0, 1, 2], None, [8, 3, 3], [0, 180, 0, 256, 0, 256]).ravel()
    return (hist / max(float(hist.sum()), 1.0)).astype(np.float32)


def drift(name: str) -> np.ndarray:
    """Each frame's distance from the running average of the same person's colours."""
    track = Track.load(TRACKS / f"{name}.npz")
    w, h = track.image_size_px
    cap = cv2.VideoCapture(str(CLIPS / f"{name}.mp4"))
    model, out = None, []
    for i in range(len(track)):
        ok, frame = cap.read()
        if not ok:
            break
        pose = track.pose(i)
        if pose is None:
            continue
        if frame.shape[1] != w:
            frame = cv2.resize(frame, (w, h))
        hist = torso_histogram(frame, pose.image_norm[:, :2] * [w, h])
        if hist is None:
            continue
        if model is not None:
            out.append(cv2.compareHist(model, hist, cv2.HISTCMP_BHATTACHARYYA))
            model = 0.9 * model + 0.1 * hist
        else:
            model = hist
    cap.release()
    return np.array(out)


def main() -> None:
    print("| clip | frames | median | 99th percentile | largest |")
    print("|---|---|---|---|---|")
    for path in sorted(TRACKS.glob("*.npz")):
        if not (CLIPS / f"{path.stem}.mp4").is_file():
            continue
        d = drift(path.stem)
        if len(d):
            print(f"| {path.stem} | {len(d)} | {np.median(d):.2f} | "
                  f"{np.percentile(d, 99):.2f} | {d.max():.2f} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
