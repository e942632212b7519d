"""How much do the rules' signals jitter on a still body? The noise band of every signal.

Each real clip's cached track (tests/data/tracks, recorded from ../shared/clips through the
default estimator) is replayed through the default assembly with its exercise, and cut
into windows of WINDOW_S (the time a fault must last). A window is *still* when every one
of the body's large joints (shoulders, hips, knees, ankles, as the analyzer sees them)
stays within STILL_SHARE of a torso length of where it was: a hold, or the rest between
reps. In a still window each signal's noise is its deviation from the window's mean: how
far the signal wanders, as the rules see it (after smoothing), while the body holds still
for as long as a decision takes. The spread is 1.4826 x the median absolute deviation (a
standard deviation robust to the odd wild frame). A signal's sigma is the median over the
clips that measured it; the largest clip's is kept beside it.

The perturbations move the signals further than a still body's jitter does. Each real
clip's perturbed tracks (tests/data/perturbed_tracks, from `benchmarks/perturb.py
--tracks`) are replayed beside its own track, and each signal's median absolute
difference on the same frames, / 0.6745, is that perturbation's sigma; a signal's shift
sigma is the median over the runs (camera rotations and dissolves left out: NOT_NOISE).
The band (`formcoach.noise`) adds the two in quadrature.

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
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TRACKS = ROOT / "tests" / "data" / "tracks"
TRUTH = ROOT.parent / "shared" / "clips" / "truth.tsv"
OUT = ROOT / "src" / "formcoach" / "data" / "noise.json"
PERTURBED = ROOT / "tests" / "data" / "perturbed_tracks"
# Perturbations that are not noise: a camera rolled 5 deg turns every angle measured from
# the vertical by 5 deg (a real change of what the camera sees, for a rule a band cannot
# absorb), and a dissolve removes frames rather than moving the landmarks.
NOT_NOISE = frozenset({"rotate_+5", "rotate_-5", "dissolve"})
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
    from formcoach.exercises import Exercise
    from formcoach.offline import truthtable

    out = {}
    for check in truthtable.load(truth):
        name = check.clip.removesuffix(".mp4")
        if check.exercise in Exercise.registry and (TRACKS / f"{name}.npz").is_file():
            out[name] = check.exercise
    return out


def windows(frames: list[Any], width_s: float) -> list[list[Any]]:
    """Consecutive windows of `width_s` of the (time, pose, signals) with a pose."""
    out: list[list[Any]] = [[]]
    for frame in frames:
        t, pose, signals = frame
        if pose is None or not signals:
            out.append([])  # nobody seen: a window does not span a gap
            continue
        if out[-1] and t - out[-1][0][0] >= width_s:
            out.append([])
        out[-1].append(frame)
    return [w for w in out if len(w) >= 3]


def still(window: list[Any]) -> bool:
    """No large joint strays more than STILL_SHARE of a torso length in the window."""
    from formcoach.landmarks import Landmark

    index = [int(Landmark[name]) for name in JOINTS]
    xy = np.array([pose.image_norm[index, :2] for _, pose, _ in window])  # frames x joints x 2
    sh = xy[:, [0, 4]].mean(axis=1)  # mid-shoulders
    hip = xy[:, [1, 5]].mean(axis=1)
    torso = float(np.median(np.linalg.norm(sh - hip, axis=1)))
    if not torso > 0:
        return False
    spread = np.linalg.norm(xy - np.median(xy, axis=0), axis=2).max()
    return bool(spread <= STILL_SHARE * torso)


def replay_signals(exercise: str, path: Path) -> list[tuple[float, Any, dict[str, float]]]:
    """A track through the default assembly: per frame (time, pose, signals), the signals
    including the angle the exercise reads its camera view from (VIEW_SIGNAL)."""
    from benchmarks.perturb import replay
    from formcoach.types import FrameResult
    from formcoach.view import VIEW_SIGNAL

    results: list[FrameResult] = []

    class Keep:
        def write(self, result: FrameResult) -> None:
            results.append(result)

        def close(self, *args: object) -> None:
            pass

    exercise_of = replay(exercise, path, [Keep()]).exercise
    out = []
    for r in results:
        signals = dict(r.verdict.signals)
        if r.pose is not None and signals:
            signals[VIEW_SIGNAL] = exercise_of.view_angle(r.pose)
        out.append((r.frame.timestamp_s, r.pose, signals))
    return out


def jitter(exercise: str, track_name: str) -> dict[str, list[float]]:
    """Per signal: the deviations from the window means on the clip's still stretches."""
    frames = replay_signals(exercise, TRACKS / f"{track_name}.npz")
    deviations: dict[str, list[float]] = defaultdict(list)
    for window in windows(frames, WINDOW_S):
        if not still(window):
            continue
        for name in window[0][2]:
            v = np.array([signals.get(name, math.nan) for _, _, signals in window])
            v = v[np.isfinite(v)]
            if len(v) >= 3:
                deviations[name].extend((v - v.mean()).tolist())
    return deviations


def shifts(exercise: str, base: Path, perturbed: Path) -> dict[str, float]:
    """Per signal: the median absolute difference between the perturbed track's value and
    the clip's own on the same frames (by timestamp)."""
    reference = {round(t, 4): signals for t, _, signals in replay_signals(exercise, base)}
    diffs: dict[str, list[float]] = defaultdict(list)
    for t, _, signals in replay_signals(exercise, perturbed):
        ref = reference.get(round(t, 4), {})
        for name, v in signals.items():
            r = ref.get(name, math.nan)
            if math.isfinite(v) and math.isfinite(r):
                diffs[name].append(abs(v - r))
    return {name: float(np.median(d)) for name, d in diffs.items()}


def measure(
    truth: Path = TRUTH, perturbed: Path = PERTURBED
) -> dict[str, dict[str, float | int | list[str]]]:
    """Per signal: still-pose sigma (median over clips, and the largest clip's), and the
    perturbations' shift sigma (median over the real clips' perturbed tracks)."""
    exercises = clip_exercises(truth)
    per_signal: dict[str, list[tuple[str, float, int]]] = defaultdict(list)
    for track_name, exercise in sorted(exercises.items()):
        for name, dev in jitter(exercise, track_name).items():
            d = np.asarray(dev)
            sigma = 1.4826 * float(np.median(np.abs(d - np.median(d))))
            per_signal[name].append((track_name, sigma, len(d)))
    per_shift: dict[str, list[float]] = defaultdict(list)
    index = json.loads((perturbed / "index.json").read_text()) if perturbed.is_dir() else {}
    for name, entry in sorted(index.items()):
        clip = entry["clip"].removesuffix(".mp4")
        if clip not in exercises or entry["perturbation"] in NOT_NOISE:
            continue
        found = shifts(exercises[clip], TRACKS / f"{clip}.npz", perturbed / f"{name}.npz")
        for signal, median_abs in found.items():
            per_shift[signal].append(median_abs / 0.6745)  # a median |x| is 0.6745 sigma
    table: dict[str, dict[str, float | int | list[str]]] = {}
    for name in sorted(set(per_signal) | set(per_shift)):
        rows = per_signal.get(name, [])
        table[name] = {
            "sigma": round(float(np.median([s for _, s, _ in rows])), 4) if rows else 0.0,
            "max_sigma": round(max(s for _, s, _ in rows), 4) if rows else 0.0,
            "frames": sum(n for _, _, n in rows),
            "clips": [c for c, _, _ in rows],
            "shift_sigma": round(float(np.median(per_shift[name])), 4)
            if per_shift.get(name)
            else 0.0,
            "shift_runs": len(per_shift.get(name, [])),
        }
    return table


def render(table: dict[str, dict[str, Any]]) -> str:
    """The table as markdown, with each signal's band (formcoach.noise.NOISE_K sigmas)."""
    from formcoach.noise import NOISE_K

    lines = [
        "| signal | still sigma | largest clip's | still frames | perturbed sigma | runs | band |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in table.items():
        band = NOISE_K * math.hypot(row["sigma"], row["shift_sigma"])
        lines.append(
            f"| {name} | {row['sigma']:g} | {row['max_sigma']:g} | {row['frames']} "
            f"| {row['shift_sigma']:g} | {row['shift_runs']} | {band:.3g} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"store the table in {OUT}")
    args = parser.parse_args()
    table = measure()
    print(render(table))
    if args.write:
        payload = {
            "about": "Per signal: jitter (robust sigma) on still real poses, and the "
            "perturbations' shift of it (sigma), measured by benchmarks/noise.py from "
            "tests/data/tracks and tests/data/perturbed_tracks.",
            "window_s": WINDOW_S,
            "still_share": STILL_SHARE,
            "signals": table,
        }
        OUT.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
