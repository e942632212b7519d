"""Which configuration should `analyze` use by default? Accuracy on every shared clip
against ../shared/clips/truth.tsv, and speed against a plain MediaPipe VIDEO loop.

    export PYTHONPATH=src FORMCOACH_MODEL_DIR=...
    python benchmarks/default_path.py record two /tmp/fc-tracks/two      # ~10 min
    python benchmarks/default_path.py record adaptive /tmp/fc-tracks/adaptive
    python benchmarks/default_path.py score one=tests/data/tracks two=/tmp/fc-tracks/two \\
        adaptive=/tmp/fc-tracks/adaptive                                  # seconds
    python benchmarks/default_path.py speed one two default adaptive      # ~40 min, idle!

Configurations (`CONFIGS`): `one` (MediaPipe follows one person, nothing else), `two` (two
people found on every frame, one followed by the tracker: the old default), `default`
(one person plus the once-a-second people check: what `analyze` runs now), `adaptive`
(the default plus adaptive sampling). `record` runs a configuration's estimator (the one
`assembly.make_estimator` builds) over every clip and keeps the landmarks the analyzer
would see; `score` replays those tracks through the default assembly (so the analyzers
are today's) and judges every check of truth.tsv; `speed` times `analyze --no-video` of
each configuration and the plain loop on each clip, each run in a fresh process, the
runs of one clip interleaved, and prints the ratio (plain time / configuration time).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.speed import one_plain  # the plain MediaPipe loop every ratio divides by

ROOT = Path(__file__).resolve().parents[1]
CLIPS = ROOT.parent / "shared" / "clips"
CONFIGS: dict[str, dict[str, Any]] = {
    "one": {"people": 1, "people_check": False},
    "two": {"people": 2},
    "default": {},
    "adaptive": {"sampling": "adaptive"},
}


def _options(config: str, exercise: str = "plank", **extra: Any) -> Any:
    from dataclasses import replace

    from formcoach.assembly import RunOptions

    return replace(RunOptions(exercise, **extra), **CONFIGS[config])


def record(config: str, out: Path, clips: list[Path]) -> None:
    from formcoach.assembly import make_estimator
    from formcoach.pose.tracks import record_track
    from formcoach.sources.video_file import VideoFileSource

    out.mkdir(parents=True, exist_ok=True)
    for clip in clips:
        estimator = make_estimator(_options(config))
        try:
            with VideoFileSource(clip) as source:
                track = record_track(source, estimator)
        finally:
            estimator.close()
        track.save(out / f"{clip.stem}.npz")
        calls = getattr(estimator, "calls", len(track))
        print(f"{config} {clip.name}: {len(track)} frames, {calls} model calls", flush=True)


def score(folders: dict[str, Path]) -> dict[str, dict[str, str]]:
    """{check key: {config: 'met'|'MISSED (measured)'}} for every check of truth.tsv."""
    from formcoach.exercises import Exercise
    from formcoach.offline import truthtable
    from formcoach.offline.evaluate import analyse_clip

    checks = truthtable.load(CLIPS / "truth.tsv")
    table: dict[str, dict[str, str]] = {}
    for check in checks:
        row = table.setdefault(f"{check.clip} {check.describe()}", {})
        for name, folder in folders.items():
            track = folder / f"{check.stem}.npz"
            if check.exercise not in Exercise.registry or not track.is_file():
                row[name] = "-"
                continue
            judgement = truthtable.judge(check, analyse_clip(check.exercise, track=track))
            row[name] = "met" if judgement.passed else f"MISSED ({judgement.got})"
    return table


def print_score(table: dict[str, dict[str, str]], names: list[str]) -> None:
    print("| clip and check | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for key, row in table.items():
        cells = [key, *(row[n] for n in names)]
        print("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    totals = []
    for n in names:
        judged = [row[n] for row in table.values() if row[n] != "-"]
        totals.append(f"**{sum(v == 'met' for v in judged)} of {len(judged)}**")
    print("| checks met | " + " | ".join(totals) + " |")


# --- speed --------------------------------------------------------------------------------


def one_config(clip: str, config: str) -> dict[str, float]:
    """`analyze CLIP --no-video` in a configuration, through the one assembler."""
    # Imported before the clock, as mediapipe is for the plain loop: both time model
    # loading and every frame, neither times Python importing its modules.
    import mediapipe  # noqa: F401
    from mediapipe.tasks.python import vision  # noqa: F401

    import formcoach.sinks.framing
    import formcoach.sinks.html_report
    import formcoach.sinks.rows_csv  # noqa: F401
    from formcoach.offline.analyze import analyze_source
    from formcoach.sources.open import open_source

    with tempfile.TemporaryDirectory() as out, open_source(clip) as source:
        started = time.perf_counter()
        outcome = analyze_source(source, Path(out), _options(config, video=False))
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "frames": outcome.frames, "calls": outcome.model_calls or 0}


def measure(*args: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "one", *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "FORMCOACH_QUIET_NATIVE": "1"},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def speed(configs: list[str], clips: list[Path], repeats: int) -> None:
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    print("| clip | frames | plain ms/frame | " + " | ".join(configs) + " |")
    print("|---|---|---|" + "---|" * len(configs))
    ratios: dict[str, list[float]] = {c: [] for c in configs}
    for clip in clips:
        plain: list[float] = []
        times: dict[str, list[float]] = {c: [] for c in configs}
        n = 0
        for _ in range(repeats):  # interleaved: a change of load hits every configuration
            run = measure("plain", str(clip))
            plain.append(run["seconds"])
            n = int(run["frames"])
            for c in configs:
                times[c].append(measure("config", str(clip), c)["seconds"])
        p = sorted(plain)[len(plain) // 2]
        cells = []
        for c in configs:
            ratio = p / sorted(times[c])[len(times[c]) // 2]
            ratios[c].append(ratio)
            cells.append(f"{ratio:.2f}x")
        print(f"| {clip.name} | {n} | {1000 * p / n:.1f} | " + " | ".join(cells) + " |", flush=True)
    medians = [sorted(r)[len(r) // 2] for r in ratios.values()]
    print("| median | | | " + " | ".join(f"**{m:.2f}x**" for m in medians) + " |")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("record")
    r.add_argument("config", choices=sorted(CONFIGS))
    r.add_argument("out", type=Path)
    r.add_argument("clips", nargs="*", type=Path)
    s = sub.add_parser("score")
    s.add_argument("folders", nargs="+", help="NAME=FOLDER of tracks")
    p = sub.add_parser("speed")
    p.add_argument("configs", nargs="+", choices=sorted(CONFIGS))
    p.add_argument("--clips", nargs="*", type=Path)
    p.add_argument("--repeats", type=int, default=1)
    o = sub.add_parser("one")  # one measurement, in a fresh process
    o.add_argument("what", choices=("plain", "config"))
    o.add_argument("clip")
    o.add_argument("config", nargs="?")
    args = parser.parse_args()
    clips = sorted(CLIPS.glob("*.mp4"))
    if args.command == "record":
        record(args.config, args.out, args.clips or clips)
    elif args.command == "score":
        folders = dict(item.split("=", 1) for item in args.folders)
        print_score(score({k: Path(v) for k, v in folders.items()}), list(folders))
    elif args.command == "speed":
        speed(args.configs, args.clips or clips, args.repeats)
    elif args.what == "plain":
        print(json.dumps(one_plain(args.clip)))
    else:
        print(json.dumps(one_config(args.clip, args.config)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
