"""Replay cached landmark tracks through the default assembly; print what it concluded.

Usage: python scripts/replay.py EXERCISE CLIP [CLIP ...] [--signals SECONDS]
CLIP is a track name in tests/data/tracks (e.g. plank_01) or a path to a track file
(e.g. tests/data/synth_tracks/wall_slide_good_side.npz). --signals prints the
analyzer's signals, position and failing checks every SECONDS, for tuning thresholds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from formcoach.assembly import RunOptions, build
from formcoach.pose.estimators import ReplayEstimator
from formcoach.pose.tracks import Track, TrackSource
from formcoach.types import FrameResult

TRACKS = Path(__file__).resolve().parents[1] / "tests" / "data" / "tracks"


class SignalPrinter:
    def __init__(self, every_s: float) -> None:
        self.every_s = every_s
        self.next_s = 0.0

    def write(self, result: FrameResult) -> None:
        t = result.frame.timestamp_s
        if self.every_s <= 0 or t < self.next_s:
            return
        self.next_s = t + self.every_s
        v = result.verdict
        signals = " ".join(f"{k}={val:.2f}" for k, val in v.signals.items())
        bad = " ".join(c.rule for c in v.checks if c.ok is False)
        print(
            f"  {t:6.2f} {v.view.detected:7} pos={v.in_position!s:5} side={v.side} {signals} {bad}"
        )

    def close(self, *args: object) -> None:
        """Nothing to close."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("exercise")
    parser.add_argument("clips", nargs="+")
    parser.add_argument("--signals", type=float, default=0.0, metavar="SECONDS")
    args = parser.parse_args()
    for name in args.clips:
        path = Path(name) if name.endswith(".npz") else TRACKS / f"{name}.npz"
        track = Track.load(path)
        source = TrackSource(track)
        assembly = build(RunOptions(args.exercise), source.info, estimator=ReplayEstimator(track))
        assembly.sinks.append(SignalPrinter(args.signals))
        print(name)
        assembly.run(source)
        assert assembly.report.report is not None
        r = assembly.report.report.to_json()
        if r.get("details"):
            print(f"  details={r['details']}")
        holds = [(h["start_s"], h["end_s"], h["duration_s"], h["side"]) for h in r["holds"]]
        faults = [(f["rule"], f["start_s"], f["end_s"]) for f in r["faults"]]
        print(f"  reps={r['reps']} holds={holds}")
        print(f"  view={r['view']} faults={faults} warnings={r['warnings']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
