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
- with `--counts`, each truth.tsv count (reps, hold, hold total) judged on the run of the
  named exercise (`--exercise NAME`) and on the parts `--exercise auto` names it;
- with `--perturbed`, every track of tests/data/perturbed_tracks against its clip's own
  track: how often the exercise named over most of the recording changes.

    PYTHONPATH=src:studio/src:. python benchmarks/recognition.py [--perturbed] [--counts]

The result is docs/recognition.md.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.perturb import base_track, replay
from formcoach.assembly import RunOptions
from formcoach.offline import truthtable
from formcoach.offline.auto import analyse_parts, recognise
from formcoach.pose.tracks import Track, TrackSource
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
# Seconds of each clip named as each label (its parts' lengths), by clip.
SECONDS: dict[str, dict[str, float]] = {}


def per_clip(truth: dict[str, str]) -> list[Row]:
    """(clip, true exercise, named over most, share named right, the segments, when the
    first exercise was named); each clip's seconds per label go to SECONDS."""
    rows = []
    for stem, exercise in sorted(truth.items()):
        path = base_track(stem)
        if not path.is_file():
            continue
        segments = recognise(Track.load(path))
        named, seconds = named_most(segments)
        SECONDS[stem] = seconds
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


def confusion_in_time(rows: list[Row]) -> list[str]:
    """Per segment, in time: of each true exercise's recorded seconds, the share named as
    each label (`none` and `not_sure` included), and the seconds in all."""
    seconds: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        seconds[row[1]].update(SECONDS[row[0]])
    named = sorted({k for c in seconds.values() for k in c})
    out = [
        "| true \\ named (% of its seconds) | " + " | ".join(named) + " | seconds |",
        "|---" * (len(named) + 2) + "|",
    ]
    for true in sorted(seconds):
        total = sum(seconds[true].values())
        cells = " | ".join(
            f"{seconds[true][k] / total:.0%}" if seconds[true][k] else "" for k in named
        )
        out.append(f"| {true} | {cells} | {total:.0f} |")
    return out


COUNTED = ("reps", "hold", "holdtotal")


@functools.cache
def auto_parts(track_path: Path) -> list[tuple[str, dict[str, Any]]]:
    """Each analysed part of `--exercise auto` on a cached track: (exercise, its report)."""
    track = Track.load(track_path)
    with tempfile.TemporaryDirectory() as out:
        parts = analyse_parts(
            Path("unused.mp4"),
            track,
            Path(out),
            RunOptions("auto", video=False, html=False),
            video=lambda: TrackSource(track),
        )
    return [(p.exercise, p.report.to_json()) for p in parts if p.report is not None]


def auto_report(track_path: Path, exercise: str) -> dict[str, Any]:
    """report.json's counted fields over the parts `--exercise auto` names `exercise`."""
    reports = [r for name, r in auto_parts(track_path) if name == exercise]
    return {
        "reps": {"total": sum(r["reps"]["total"] for r in reports)},
        "holds": [h for r in reports for h in r["holds"]],
        "hold_total_s": sum(r["hold_total_s"] for r in reports),
    }


def counts() -> list[str]:
    """Each truth.tsv count (reps, hold, hold total), judged on the exercise named with
    `--exercise` and on the parts `--exercise auto` names it."""
    out = [
        "| clip | truth | `-e EXERCISE` | | `-e auto` | |",
        "|---|---|---|---|---|---|",
    ]
    passed = Counter[str]()
    checks = [c for c in truthtable.load(TRUTH) if c.kind in COUNTED] if TRUTH.is_file() else []
    for check in checks:
        path = TRACKS / f"{check.stem}.npz"
        if not path.is_file():
            continue
        named = replay(check.exercise, path).report.report.to_json()
        cells = []
        for key, report in (
            ("named", named),
            ("auto", auto_report(path, check.exercise)),
        ):
            judged = truthtable.judge(check, report)
            passed[key] += judged.passed
            cells.append(f"{judged.got} | {'pass' if judged.passed else 'miss'}")
        out.append(f"| {check.stem} | {check.describe()} | {' | '.join(cells)} |")
    out.append(
        f"| all | {len(out) - 2} checks | {passed['named']} pass | | {passed['auto']} pass | |"
    )
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
    parser.add_argument(
        "--counts", action="store_true", help="also the truth's counts, named and under auto"
    )
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
        print(f"\n{group}, per segment in time:\n")
        print("\n".join(confusion_in_time(chosen)))
    if args.counts:
        print()
        print("\n".join(counts()))
    if args.perturbed:
        print()
        print("\n".join(perturbed()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
