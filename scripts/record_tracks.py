"""Record MediaPipe landmark tracks of videos into tests/data/tracks/ (landmarks only).

The estimator is the one every run uses by default (`assembly.make_estimator` with the
default options), so a replayed track is what a user's run would have seen.

Usage: python scripts/record_tracks.py VIDEO [VIDEO ...] [--out DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from formcoach.assembly import RunOptions, make_estimator
from formcoach.pose.tracks import record_track
from formcoach.sources.video_file import VideoFileSource


def record(video: Path, out: Path) -> str:
    estimator = make_estimator(RunOptions("plank"))
    try:
        with VideoFileSource(video) as source:
            track = record_track(source, estimator)
    finally:
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
