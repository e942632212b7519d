"""An exercise-agnostic cross-check on the rep counters: cycles of the whole body's movement.

For each real clip whose truth (../shared/clips/truth.tsv) gives a rep count, its recorded
track (tests/data/tracks) is turned into one movement signal, independent of the exercise:
the twelve body joints' image positions relative to the hips' midpoint, in torso lengths,
and their distance from the body's most usual shape (the median: the rest between reps),
which rises once per rep whichever side works. The signal is smoothed over 0.3 s, its
dominant period taken from its autocorrelation (the highest peak after it first falls
below zero, within 0.8-8 s), and its cycles counted as peaks at least 0.6 periods apart
that rise above the median by a third of the signal's spread. The table puts that count beside the
truth and beside formcoach's own count (the clip replayed through the default assembly):
where the two counters disagree is where to look.

    PYTHONPATH=src:. python benchmarks/periodicity.py        # seconds, no model

This is a measurement, not a counter: it does not know a rep from a fidget, nor which
side worked, and the rule-based counters stay the source of the counts.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from formcoach.exercises import Exercise
from formcoach.offline import truthtable
from formcoach.pose.tracks import Track

ROOT = Path(__file__).resolve().parent.parent
CLIPS = ROOT.parent / "shared" / "clips"
TRACKS = ROOT / "tests" / "data" / "tracks"
BODY = [11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28]
SMOOTH_S = 0.3
PERIOD_S = (0.8, 8.0)


def movement(track: Track) -> tuple[np.ndarray, np.ndarray]:
    """Times and the body shape's distance from its median, frames with a pose."""
    found = np.isfinite(track.image_norm[:, 0, 0])
    w, h = track.image_size_px
    pts = track.image_norm[found][:, BODY, :2] * [w, h]
    hips = pts[:, 6:8].mean(axis=1, keepdims=True)
    shoulders = pts[:, 0:2].mean(axis=1, keepdims=True)
    torso = np.linalg.norm(shoulders - hips, axis=-1, keepdims=True)
    shape = ((pts - hips) / np.maximum(torso, 1e-6)).reshape(len(pts), -1)
    away = np.linalg.norm(shape - np.median(shape, axis=0), axis=1)
    return track.timestamps_s[found], away


def cycles(times: np.ndarray, signal: np.ndarray) -> tuple[int, float]:
    """(cycles counted, dominant period in s) of a movement signal."""
    if len(times) < 10:
        return 0, float("nan")
    dt = float(np.median(np.diff(times)))
    grid = np.arange(times[0], times[-1], dt)
    x = np.interp(grid, times, signal)
    k = max(1, round(SMOOTH_S / dt))
    x = np.convolve(x, np.ones(k) / k, mode="same")
    x = x - np.median(x)
    ac = np.correlate(x, x, mode="full")[len(x) - 1 :]
    below = np.flatnonzero(ac < 0)
    lo = max(round(PERIOD_S[0] / dt), int(below[0]) if len(below) else 0)
    hi = min(round(PERIOD_S[1] / dt), len(ac) - 1)
    if hi <= lo:
        return 0, float("nan")
    period = (lo + int(np.argmax(ac[lo:hi]))) * dt
    level = np.median(x) + (np.percentile(x, 95) - np.percentile(x, 5)) / 3
    peaks, last = 0, -np.inf
    for i in range(1, len(x) - 1):
        is_peak = x[i] >= x[i - 1] and x[i] >= x[i + 1] and x[i] > level
        if is_peak and (i - last) * dt >= 0.6 * period:
            peaks, last = peaks + 1, i
    return peaks, period


def formcoach_count(exercise: str, track: Track) -> str:
    if exercise not in Exercise.registry:
        return "-"
    from tests.replay import replay

    reps = replay(exercise, track).report["reps"]
    return f"{reps['total']} (+{reps['partial']} partial)"


def main() -> None:
    print("| clip | exercise | truth reps | body cycles | period s | formcoach |")
    print("|---|---|---|---|---|---|")
    for check in truthtable.load(CLIPS / "truth.tsv"):
        if check.kind != "reps" or check.value in ("0",):
            continue
        path = TRACKS / f"{Path(check.clip).stem}.npz"
        if not path.is_file():
            continue
        track = Track.load(path)
        n, period = cycles(*movement(track))
        print(f"| {Path(check.clip).stem} | {check.exercise} | {check.value} | {n} | "
              f"{period:.1f} | {formcoach_count(check.exercise, track)} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
