"""`formcoach analyze` (one video, an image folder, or a folder of videos) and
`formcoach eval`. User-facing text lives here; the library modules only log.

Exit codes: analyze of a batch returns 1 when any video failed (the others are analysed)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from formcoach.assembly import RunOptions, check_config_file, make_exercise
from formcoach.cli.output import (
    CommandError,
    print_outcomes,
    print_summary,
    progress,
    terminate_as_interrupt,
)
from formcoach.config import ConfigError
from formcoach.exercises.base import Exercise
from formcoach.exercises.registry import UnknownExerciseError
from formcoach.offline import summary_table
from formcoach.offline.analyze import (
    InputError,
    Outcome,
    analyze_source,
    is_video_batch,
    list_videos,
    output_dirs,
)
from formcoach.offline.auto import analyze_auto
from formcoach.offline.batch import Manifest, run_batch
from formcoach.offline.ray_engine import EngineError, RayOptions
from formcoach.pose import models
from formcoach.run_options import AUTO, OptionsError
from formcoach.sources.open import open_source


def _prepare_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise CommandError(f"--out {out} exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"cannot create output folder {out}: {exc.strerror}") from None
    if not os.access(out, os.W_OK):
        raise CommandError(f"output folder {out} is not writable")


def cmd_analyze(args: argparse.Namespace) -> int:
    config = str(args.config) if args.config is not None else None
    options = RunOptions(
        exercise=args.exercise,
        model_path="",
        config_path=config,
        video=not args.no_video,
        html=not args.no_html,
        sampling=args.sampling,
        people=args.people,
        people_check=args.people_check,
        thumbnails=not args.no_thumbnails,
    )
    try:
        options.validate()
        if args.exercise == AUTO:
            if config is not None:
                check_config_file(config)
        else:
            make_exercise(args.exercise, config)
    except (UnknownExerciseError, ConfigError, OptionsError) as exc:
        raise CommandError(str(exc)) from None
    options = replace(options, model_path=str(models.model_path(args.model)))
    try:
        batch = is_video_batch(args.path)
    except InputError as exc:
        raise CommandError(str(exc)) from None
    if args.jobs is not None and args.jobs < 1:
        raise CommandError(f"--jobs must be 1 or more, got {args.jobs}")
    if args.retries < 0:  # Ray reads -1 as "retry for ever"
        raise CommandError(f"--retries must be 0 or more, got {args.retries}")
    if args.ray_ship_mb < 0:
        raise CommandError(f"--ray-ship-mb must be 0 or more, got {args.ray_ship_mb:g}")
    _prepare_out(args.out)
    terminate_as_interrupt()
    if batch:
        return _analyze_batch(args, options)
    if args.exercise == AUTO:
        outcome = analyze_auto(args.path, args.out, options, lambda s: progress(s, args.quiet))
    else:
        with open_source(args.path) as source:
            outcome = analyze_source(source, args.out, options, lambda s: progress(s, args.quiet))
    if not args.quiet:
        report = json.loads((args.out / "report.json").read_text(encoding="utf-8"))
        print_summary(report, args.out)
        print_outcomes([outcome])
    return 0 if outcome.status == "done" else 130


def _analyze_batch(args: argparse.Namespace, options: RunOptions) -> int:
    videos = list_videos(args.path)
    jobs = args.jobs or os.cpu_count() or 1
    targets = output_dirs(videos, args.out)
    manifest = Manifest(args.out / "batch.json", targets)
    bar: Any = None
    if not args.quiet:
        from tqdm import tqdm

        bar = tqdm(total=len(videos), unit="video", desc="batch", file=sys.stderr)

    def done(outcome: Outcome) -> None:
        manifest.record(outcome)
        if bar is not None:
            bar.update(1)
            bar.set_postfix_str(f"{Path(outcome.input).name}: {outcome.status}")

    ray_options = RayOptions(args.ray_address, args.ray_ship_mb, args.retries)
    try:
        outcomes = run_batch(targets, options, jobs, args.force, args.engine, done, ray_options)
    except EngineError as exc:
        raise CommandError(str(exc)) from None
    except KeyboardInterrupt:  # what finished is kept, and said so
        manifest.write()
        summary_table.write(manifest.finished(), args.out)
        raise
    finally:
        if bar is not None:
            bar.close()
    manifest.write()  # every outcome was recorded as it came (run_batch's callback)
    summary_table.write(outcomes, args.out)
    if not args.quiet:
        print_outcomes(outcomes)
    failed = [o for o in outcomes if o.status != "done" and o.status != "skipped"]
    for o in failed:
        print(f"formcoach: {Path(o.input).name} {o.status}: {o.error}", file=sys.stderr)
    return 1 if failed else 0


def cmd_eval(args: argparse.Namespace) -> int:
    from formcoach.offline.clip_manifest import parse_manifest
    from formcoach.offline.truth_file import TruthError, save_truth

    if args.eval_command == "convert-manifest":
        try:
            text = args.manifest.read_text(encoding="utf-8")
            rows = parse_manifest(text)
        except OSError as exc:
            raise CommandError(f"cannot read {args.manifest}: {exc.strerror}") from None
        except TruthError as exc:
            raise CommandError(str(exc)) from None
        save_truth(rows, args.output, args.manifest.resolve().parent)
        parsed = sum(r.reps is not None or r.holds is not None for r in rows)
        print(f"{len(rows)} clips ({parsed} with a parsed count or hold) written to {args.output}")
        for r in rows:
            if r.notes:
                print(f"  {r.clip}: {'; '.join(r.notes)}")
        return 0
    return _eval_run(args)


def _eval_run(args: argparse.Namespace) -> int:
    if args.truth.suffix.lower() == ".tsv":
        return _eval_table(args)
    from formcoach import exercises  # noqa: F401  (registers the analyzers)
    from formcoach.offline.evaluate import markdown, predict, score
    from formcoach.offline.truth_file import TruthError, load_truth

    try:
        rows, clips_dir = load_truth(args.truth)
    except TruthError as exc:
        raise CommandError(str(exc)) from None
    clips_dir = args.clips or clips_dir
    config = _eval_config(args)
    model = None if args.replay else str(models.model_path(args.model))
    by_exercise: dict[str, list[Any]] = {}
    missing = sorted({r.exercise for r in rows if r.exercise not in Exercise.registry})
    per_clip = []
    for row in rows:
        if row.exercise not in Exercise.registry:
            continue
        if args.exercise and row.exercise not in args.exercise:
            continue
        stem = Path(row.clip).stem
        if args.replay:
            track = args.tracks / f"{stem}.npz"
            if not track.is_file():
                print(f"formcoach: no cached track {track}; skipped", file=sys.stderr)
                continue
            pred = predict(
                row.clip, row.exercise, track=track, sampling=args.sampling, config_path=config
            )
        else:
            video = (clips_dir or Path()) / row.clip
            if not video.is_file():
                print(f"formcoach: clip {video} not found; skipped", file=sys.stderr)
                continue
            pred = predict(
                row.clip,
                row.exercise,
                video=video,
                model_path=model,
                sampling=args.sampling,
                config_path=config,
            )
        by_exercise.setdefault(row.exercise, []).append((row, pred))
        per_clip.append(
            f"| {row.clip} | {row.exercise} | {_opt(row.reps)} | {pred.reps} "
            f"| {_opt(row.hold_s, '.1f')} | {pred.hold_s:.1f} "
            f"| {', '.join(f['rule'] for f in pred.faults) or '-'} |"
        )
    scores = [score(name, pairs) for name, pairs in sorted(by_exercise.items())]
    print(markdown(scores, missing))
    if per_clip:
        print()
        print("| clip | exercise | true reps | reps | true hold s | hold s | faults found |")
        print("|---|---|---|---|---|---|---|")
        print("\n".join(per_clip))
    return 0


def _opt(value: float | None, fmt: str = "") -> str:
    return "?" if value is None else format(value, fmt)


def _eval_table(args: argparse.Namespace) -> int:
    """`formcoach eval truth.tsv`: every check of the table, met or missed, and the tally."""
    from formcoach.offline import truthtable

    try:
        checks = truthtable.load(args.truth)
    except truthtable.TruthTableError as exc:
        raise CommandError(str(exc)) from None
    clips_dir = args.clips or args.truth.resolve().parent
    config = _eval_config(args)
    model = None if args.replay else str(models.model_path(args.model))
    reports: dict[tuple[str, str], dict[str, Any] | None] = {}
    lines = ["| clip | exercise | check | result | measured |", "|---|---|---|---|---|"]
    met = judged = 0
    for check in checks:
        if args.exercise and check.exercise not in args.exercise:
            continue
        key = (check.clip, check.exercise)
        if key not in reports:
            reports[key] = _table_report(args, check, clips_dir, model, config)
        report = reports[key]
        if report is None:
            result, got = "not judged", _why_not(args, check, clips_dir)
        else:
            judgement = truthtable.judge(check, report)
            judged += 1
            met += judgement.passed
            result, got = ("met" if judgement.passed else "MISSED"), judgement.got
        cells = (check.clip, check.exercise, check.describe(), result, got)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    print("\n".join(lines))
    print()
    print(f"{met} of {judged} checks met ({len(lines) - 2 - judged} not judged)")
    return 0


def _eval_config(args: argparse.Namespace) -> str | None:
    """The --config file, checked before any clip is analysed."""
    if args.config is None:
        return None
    try:
        check_config_file(str(args.config))
    except ConfigError as exc:
        raise CommandError(str(exc)) from None
    return str(args.config)


def _table_report(
    args: argparse.Namespace,
    check: Any,
    clips_dir: Path,
    model: str | None,
    config: str | None,
) -> dict[str, Any] | None:
    from formcoach.offline.evaluate import analyse_clip

    if check.exercise not in Exercise.registry:
        return None
    if args.replay:
        track = args.tracks / f"{check.stem}.npz"
        if not track.is_file():
            return None
        return analyse_clip(check.exercise, track=track, sampling=args.sampling, config_path=config)
    video = clips_dir / check.clip
    if not video.is_file():
        return None
    return analyse_clip(
        check.exercise, video=video, model_path=model, sampling=args.sampling, config_path=config
    )


def _why_not(args: argparse.Namespace, check: Any, clips_dir: Path) -> str:
    if check.exercise not in Exercise.registry:
        return "no analyzer for this exercise"
    if args.replay:
        return f"no cached track {args.tracks / (check.stem + '.npz')}"
    return f"clip {clips_dir / check.clip} not found"
