"""Adaptive sampling vs every frame, on the cached tracks (no model, seconds to run).

For each track: the share of frames the model would be called on, the landmark error of
the poses the analyzer sees (the held pose vs the true one, 95th percentile of the worst
key landmark, in image heights), and for clips whose exercise has an analyzer, the
report's reps, hold seconds and faults with and without adaptive sampling.

Usage: PYTHONPATH=src python benchmarks/adaptive_accuracy.py [TRACK ...]
Replay frames are blank, so only the pose-motion test decides here; on real video the
image-change test can only add model calls (see sampling.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from formcoach.exercises import Exercise
from formcoach.offline.clip_manifest import exercise_of
from formcoach.offline.evaluate import predict
from formcoach.pose.estimators import ReplayEstimator
from formcoach.pose.sampling import KEY_LANDMARKS, AdaptiveSampler
from formcoach.pose.tracks import Track, TrackSource

TRACKS = Path(__file__).resolve().parents[1] / "tests" / "data" / "tracks"


def landmark_error(track: Track) -> tuple[float, float]:
    sampler = AdaptiveSampler(ReplayEstimator(track))
    errors = []
    for frame in TrackSource(track):
        seen = sampler.estimate(frame)
        true = track.pose(frame.index)
        if seen is None or true is None:
            continue
        d = np.linalg.norm(
            seen.image_norm[KEY_LANDMARKS, :2] - true.image_norm[KEY_LANDMARKS, :2], axis=1
        )
        errors.append(float(d[true.visibility[KEY_LANDMARKS] >= 0.5].max(initial=0.0)))
    return sampler.call_ratio, float(np.percentile(errors, 95)) if errors else float("nan")


def main() -> int:
    names = sys.argv[1:] or sorted(p.stem for p in TRACKS.glob("*.npz"))
    print(
        "| track | model calls / frame | p95 landmark error "
        "| full: reps, hold s, faults | adaptive |"
    )
    print("|---|---|---|---|---|")
    for name in names:
        track = Track.load(TRACKS / f"{name}.npz")
        ratio, err = landmark_error(track)
        exercise = exercise_of(name)
        full = adaptive = "no analyzer yet"
        if exercise in Exercise.registry:
            results = []
            for mode in ("full", "adaptive"):
                p = predict(name, exercise, track=TRACKS / f"{name}.npz", sampling=mode)
                results.append(f"{p.reps}, {p.hold_s:.2f}, {[f['rule'] for f in p.faults]}")
            full, adaptive = results
        print(f"| {name} | {ratio:.2f} | {err:.3f} | {full} | {adaptive} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
