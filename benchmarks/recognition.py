"""How well `--exercise auto` names the exercise: per clip, per exercise, and under the
perturbations.

Each cached track (the shared clips' in tests/data/tracks, the sample clips' in
tests/data/sample_tracks) goes through the recogniser as `analyze --exercise auto` runs
it (`offline.auto.recognise`). The true exercise of a shared clip is its truth.tsv rows'
(clips without a row are left out); of a sample clip, its `.truth.json`'s. Reported:

- per clip, the exercise named over most of the recording (not counting `none`: set-up,
  rest and moving between), the share of the recording named right, and when the first
  exercise was named (a live session names it on the same frame);
- a confusion matrix over clips (true exercise x the exercise named over most of it), and
  each exercise's recall (clips named right / clips);
- with `--perturbed`, every track of tests/data/perturbed_tracks against its clip's own
  track: how often the exercise named over most of the recording changes.

    PYTHONPATH=src:studio/src:. python benchmarks/recognition.py [--perturbed]   # ~1 min

The result is docs/recognition.md.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from benchmarks.perturb import base_track
from formcoach.offline import truthtable
from formcoach.offline.auto import recognise
from formcoach.pose.tracks import Track
from formcoach.switching import NONE, NOT_SURE, Segment

ROOT = Path(__file__).resolve().parent.parent
TRACKS = ROOT / "tests" / "data" / "tracks"
PERTURBED = ROOT / "tests" / "data" / "perturbed_tracks"
SAMPLES = ROOT / "sample_videos"
TRUTH = ROOT.parent / "shared" / "clips" / "truth.tsv"


def true_exercises() -> dict[str, str]:
    """Clip stem -> its exercise: truth.tsv's rows, then the sample clips' truth files."""
    truth: dict[str, str] = {}
    if TRUTH.is_file():
        truth |= {Path(c.clip).stem: c.exercise for c in truthtable.load(TRUTH)}
    for path in sorted(SAMPLES.glob("*.truth.json")):
        truth[path.name.removesuffix(".truth.json")] = json.loads(path.read_text())["exercise"]
    return truth


def named_most(segments: Sequence[Segment]) -> tuple[str, dict[str, float]]:
    """The exercise named over most of the recording (`not_sure`, then `none`, only when
    nothing else is), and the seconds each label covers."""
    seconds: dict[str, float] = defaultdict(float)
    for s in segments:
        seconds[s.exercise] += s.end_s - s.start_s
    named = {k: v for k, v in seconds.items() if k not in (NONE, NOT_SURE)}
    if not named:
        return (NOT_SURE if NOT_SURE in seconds else NONE), dict(seconds)
    return max(named, key=lambda k: named[k]), dict(seconds)


Row = tuple[str, str, str, float, str, float]


def per_clip(truth: dict[str, str]) -> list[Row]:
    """(clip, true exercise, named over most, share named right, the segments, when the
    first exercise was named)."""
    rows = []
    for stem, exercise in sorted(truth.items()):
        path = base_track(stem)
        if not path.is_file():
            continue
        segments = recognise(Track.load(path))
        named, seconds = named_most(segments)
        total = sum(seconds.values())
        share = seconds.get(exercise, 0.0) / total if total else 0.0
        parts = ", ".join(f"{s.exercise} {s.start_s:.1f}-{s.end_s:.1f}" for s in segments)
        first = next((s.named_s for s in segments if s.exercise not in (NONE, NOT_SURE)), math.nan)
        rows.append((stem, exercise, named, share, parts, first))
    return rows


def _real(row: Row) -> bool:
    return (TRACKS / f"{row[0]}.npz").is_file()


def confusion(rows: list[Row]) -> list[str]:
    named = sorted({r[2] for r in rows} | {r[1] for r in rows})
    cells: Counter[tuple[str, str]] = Counter((r[1], r[2]) for r in rows)
    out = [
        "| true \\ named | " + " | ".join(named) + " | recall |",
        "|---" * (len(named) + 2) + "|",
    ]
    for true in sorted({r[1] for r in rows}):
        n = sum(cells[(true, k)] for k in named)
        counts = " | ".join(str(cells[(true, k)] or "") for k in named)
        out.append(f"| {true} | {counts} | {cells[(true, true)]}/{n} |")
    return out


def perturbed() -> list[str]:
    index = json.loads((PERTURBED / "index.json").read_text())
    own: dict[str, str] = {}
    changed: dict[str, list[str]] = defaultdict(list)
    runs: Counter[str] = Counter()
    for name, entry in sorted(index.items()):
        stem = Path(entry["clip"]).stem
        if stem not in own:
            own[stem] = named_most(recognise(Track.load(base_track(stem))))[0]
        named = named_most(recognise(Track.load(PERTURBED / f"{name}.npz")))[0]
        runs[entry["perturbation"]] += 1
        if named != own[stem]:
            changed[entry["perturbation"]].append(f"{stem} ({own[stem]} -> {named})")
    out = ["| perturbation | runs | named differently | which |", "|---|---|---|---|"]
    for p in sorted(runs):
        out.append(f"| {p} | {runs[p]} | {len(changed[p])} | {'; '.join(changed[p]) or '-'} |")
    total = sum(len(v) for v in changed.values())
    out.append(f"| all | {sum(runs.values())} | {total} | |")
    return out


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--perturbed", action="store_true", help="also the perturbed tracks")
    args = parser.parse_args(argv)
    rows = per_clip(true_exercises())
    print("| clip | true | named over most | share named right | first named at | segments |")
    print("|---|---|---|---|---|---|")
    for stem, exercise, named, share, parts, first in rows:
        print(f"| {stem} | {exercise} | {named} | {share:.0%} | {first:.1f} s | {parts} |")
    for group, keep in (("shared clips", _real), ("sample clips", lambda r: not _real(r))):
        chosen = [r for r in rows if keep(r)]
        right = sum(r[1] == r[2] for r in chosen)
        print(f"\n{group}: named right over most of the recording in {right} of {len(chosen)}\n")
        print("\n".join(confusion(chosen)))
    if args.perturbed:
        print()
        print("\n".join(perturbed()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
