"""How much do the rules' signals jitter on a still body? The noise band of every signal.

Each real clip's cached track (tests/data/tracks, recorded from ../shared/clips through the
default estimator) is replayed through the default assembly with its exercise, and cut
into windows of WINDOW_S (the time a fault must last). A window is *still* when every one
of the body's large joints (shoulders, hips, knees, ankles, as the analyzer sees them)
stays within STILL_SHARE of a torso length of where it was: a hold, or the rest between
reps. In a still window each signal's noise is its deviation from the window's mean: how
far the signal wanders, as the rules see it (after smoothing), while the body holds still
for as long as a decision takes. The spread is 1.4826 x the median
absolute deviation (a standard deviation robust to the odd wild frame). A signal's sigma
is the median over the clips that measured it; the largest clip's is kept beside it.

    PYTHONPATH=src:. python benchmarks/noise.py             # print the table
    PYTHONPATH=src:. python benchmarks/noise.py --write     # update the stored table

The stored table (`src/formcoach/data/noise.json`) is what the rules' noise bands read
(`formcoach.noise`). Only the real clips are measured: the project's synthetic clips are
rendered bodies, not people, and thresholds are grounded in real footage.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TRACKS = ROOT / "tests" / "data" / "tracks"
TRUTH = ROOT.parent / "shared" / "clips" / "truth.tsv"
OUT = ROOT / "src" / "formcoach" / "data" / "noise.json"
WINDOW_S = 1.0  # the time a fault must last before it is raised (ExerciseConfig.fault)
# A still window: no large joint strays more than this share of a torso length. A body at
# rest sways a few per cent; a rep, even a small one (an ankle pump's heel), moves more.
STILL_SHARE = 0.1
JOINTS = [
    f"{side}_{joint}"
    for side in ("LEFT", "RIGHT")
    for joint in ("SHOULDER", "HIP", "KNEE", "ANKLE")
]


def clip_exercises(truth: Path = TRUTH) -> dict[str, str]:
    """Track name -> exercise, from truth.tsv (clips outside the catalogue left out)."""
    from formcoach import truthtable
    from formcoach.exercises import Exercise

    out = {}
    for check in truthtable.load(truth):
        name = check.clip.removesuffix(".mp4")
        if check.exercise in Exercise.registry and (TRACKS / f"{name}.npz").is_file():
            out[name] = check.exercise
    return out


def windows(results: list[Any], width_s: float) -> list[list[Any]]:
    """Consecutive windows of `width_s` of the frames with a pose and signals."""
    out: list[list[Any]] = [[]]
    for r in results:
        if r.pose is None or not r.verdict.signals:
            out.append([])  # nobody seen: a window does not span a gap
            continue
        if out[-1] and r.frame.timestamp_s - out[-1][0].frame.timestamp_s >= width_s:
            out.append([])
        out[-1].append(r)
    return [w for w in out if len(w) >= 3]


def still(window: list[Any]) -> bool:
    """No large joint strays more than STILL_SHARE of a torso length in the window."""
    from formcoach.landmarks import Landmark

    index = [int(Landmark[name]) for name in JOINTS]
    xy = np.array([r.pose.image_norm[index, :2] for r in window])  # frames x joints x 2
    sh = xy[:, [0, 4]].mean(axis=1)  # mid-shoulders
    hip = xy[:, [1, 5]].mean(axis=1)
    torso = float(np.median(np.linalg.norm(sh - hip, axis=1)))
    if not torso > 0:
        return False
    spread = np.linalg.norm(xy - np.median(xy, axis=0), axis=2).max()
    return bool(spread <= STILL_SHARE * torso)


def jitter(exercise: str, track_name: str) -> dict[str, list[float]]:
    """Per signal: the deviations from the window means on the clip's still stretches."""
    from formcoach.assembly import RunOptions, build
    from formcoach.estimators import ReplayEstimator
    from formcoach.tracks import Track, TrackSource
    from formcoach.types import FrameResult

    track = Track.load(TRACKS / f"{track_name}.npz")
    source = TrackSource(track)
    options = replace(RunOptions(exercise), video=False, html=False)
    assembly = build(options, source.info, estimator=ReplayEstimator(track))
    results: list[FrameResult] = []

    class Keep:
        def write(self, result: FrameResult) -> None:
            results.append(result)

        def close(self, *args: object) -> None:
            pass

    assembly.sinks.append(Keep())
    assembly.run(source)
    deviations: dict[str, list[float]] = defaultdict(list)
    for window in windows(results, WINDOW_S):
        if not still(window):
            continue
        for name in window[0].verdict.signals:
            v = np.array([r.verdict.signals.get(name, math.nan) for r in window])
            v = v[np.isfinite(v)]
            if len(v) >= 3:
                deviations[name].extend((v - v.mean()).tolist())
    return deviations


def measure(truth: Path = TRUTH) -> dict[str, dict[str, float | int | list[str]]]:
    per_signal: dict[str, list[tuple[str, float, int]]] = defaultdict(list)
    for track_name, exercise in sorted(clip_exercises(truth).items()):
        for name, dev in jitter(exercise, track_name).items():
            d = np.asarray(dev)
            sigma = 1.4826 * float(np.median(np.abs(d - np.median(d))))
            per_signal[name].append((track_name, sigma, len(d)))
    table: dict[str, dict[str, float | int | list[str]]] = {}
    for name, rows in sorted(per_signal.items()):
        table[name] = {
            "sigma": round(float(np.median([s for _, s, _ in rows])), 4),
            "max_sigma": round(max(s for _, s, _ in rows), 4),
            "frames": sum(n for _, _, n in rows),
            "clips": [c for c, _, _ in rows],
        }
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"store the table in {OUT}")
    args = parser.parse_args()
    table = measure()
    print("| signal | sigma | largest clip sigma | frames | clips |")
    print("|---|---|---|---|---|")
    for name, row in table.items():
        clips = row["clips"]
        assert isinstance(clips, list)
        print(
            f"| {name} | {row['sigma']:g} | {row['max_sigma']:g} | {row['frames']} | {len(clips)} |"
        )
    if args.write:
        payload = {
            "about": "Jitter (robust sigma) of each signal on still real poses; "
            "measured by benchmarks/noise.py from tests/data/tracks.",
            "window_s": WINDOW_S,
            "still_share": STILL_SHARE,
            "signals": table,
        }
        OUT.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
