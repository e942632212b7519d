"""Record MediaPipe landmark tracks of videos into tests/data/tracks/ (landmarks only).

Usage: python scripts/record_tracks.py VIDEO [VIDEO ...] [--out DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from formcoach.estimators import MediaPipeEstimator
from formcoach.models import model_path
from formcoach.sources import VideoFileSource
from formcoach.tracks import record_track


def record(video: Path, out: Path) -> str:
    estimator = MediaPipeEstimator(model_path())
    with VideoFileSource(video) as source:
        track = record_track(source, estimator)
    estimator.close()
    target = out / f"{video.stem}.npz"
    track.save(target)
    found = sum(track.found(i) for i in range(len(track)))
    return f"{video.name}: {len(track)} frames, person in {found}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("videos", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("tests/data/tracks"))
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with ProcessPoolExecutor(args.jobs) as pool:
        for line in pool.map(record, args.videos, [args.out] * len(args.videos)):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
