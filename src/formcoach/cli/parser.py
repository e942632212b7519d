"""The command line's parser: every subcommand, flag and help text (light: it is built
before anything heavy is imported)."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

from formcoach import __version__
from formcoach.defaults import (
    DEFAULT_PEOPLE,
    DEFAULT_RAY_RETRIES,
    DEFAULT_RAY_SHIP_MB,
    DEFAULT_SAMPLING,
)


def _exercise_names() -> list[str]:
    from formcoach.exercises import Exercise

    return sorted(Exercise.registry)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="formcoach",
        description="Form coach for lower-back-pain exercises. Runs offline: no video or "
        "data leaves this machine.",
    )
    parser.add_argument("--version", action="version", version=f"formcoach {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "analyze",
        help="analyse a recorded video, an image folder or a folder of videos",
        description="Analyse a video into the output folder: report.json, events.jsonl, "
        "rows.csv (per rep and per hold), report.html and annotated.mp4. A folder holding "
        "videos is a batch (one output folder per video, analysed in parallel; finished "
        "ones are skipped); a folder holding only images is one image sequence.",
    )
    p.add_argument("path", type=Path, help="video file, folder of videos, or folder of images")
    p.add_argument(
        "--exercise",
        "-e",
        required=True,
        help="exercise name (see `formcoach exercises`), or auto: recognise each part of a routine",
    )
    p.add_argument("--out", "-o", type=Path, required=True, help="output folder")
    p.add_argument("--no-video", action="store_true", help="skip the annotated video")
    p.add_argument("--no-html", action="store_true", help="skip report.html")
    p.add_argument(
        "--no-thumbnails",
        action="store_true",
        help="report.html without images from the video (no frame leaves the video file)",
    )
    p.add_argument(
        "--people",
        type=int,
        default=DEFAULT_PEOPLE,
        help=f"people the model looks for (default {DEFAULT_PEOPLE}): with 1, MediaPipe "
        "follows that person itself; with 2 or more, every person is found on every frame "
        "and the one doing the exercise is coached (its posture first, then where its "
        "joints are; slower): use 3 for a class or a room with others moving about",
    )
    p.add_argument(
        "--people-check",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="with --people 1: count everyone in view once a second, say in the report "
        "when others were there, and while they are, find everyone on every frame and keep "
        "the person followed among them (default: on; the count runs beside the analysis)",
    )
    p.add_argument(
        "--sampling",
        choices=("full", "adaptive"),
        default=DEFAULT_SAMPLING,
        help="full: the model on every frame; adaptive: fewer model calls while the body "
        f"is still, every frame around motion (default: {DEFAULT_SAMPLING})",
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        help="videos analysed at once in a batch (default: the number of cores)",
    )
    p.add_argument("--force", action="store_true", help="re-analyse finished videos of a batch")
    p.add_argument(
        "--engine",
        choices=("process", "ray"),
        default="process",
        help="batch engine: local processes, or Ray (pip install 'formcoach[ray]')",
    )
    p.add_argument(
        "--ray-address",
        metavar="ADDRESS",
        default=None,
        help="with --engine ray: join the Ray cluster at ADDRESS (host:port of its head) "
        "instead of starting one here; Ray's RAY_ADDRESS does the same (default: start "
        "a private instance on this machine)",
    )
    p.add_argument(
        "--ray-ship-mb",
        type=float,
        default=DEFAULT_RAY_SHIP_MB,
        metavar="MB",
        help="with --engine ray: inputs up to MB travel to the workers through Ray's object "
        "store; larger ones are read by the workers from the same path, so they must be on "
        f"storage every node reads (default: {DEFAULT_RAY_SHIP_MB:g})",
    )
    p.add_argument(
        "--retries",
        type=int,
        default=DEFAULT_RAY_RETRIES,
        help="with --engine ray: times a video is run again when its worker dies, before it "
        f"is reported as failed (default: {DEFAULT_RAY_RETRIES})",
    )
    _common(p)

    _eval_parser(sub)

    p = sub.add_parser(
        "live",
        help="coach live from a camera (or a video standing in for one)",
        description="Live coaching in front of the camera. Keys: space pause, m mute, "
        "n next exercise, q or Esc quit. Each set is saved to your local history.",
    )
    p.add_argument("--exercise", "-e", required=True, help="exercise name")
    p.add_argument(
        "--out",
        "-o",
        type=Path,
        default=None,
        help="also save the session report here (default: not saved)",
    )
    _live_options(p)
    _common(p)

    p = sub.add_parser(
        "routine",
        help="a guided back-care session: warm-up, exercises, rest, cool-down",
        description="A guided session from a routine file (default: the built-in back-care "
        "routine). Asks for your pain (0-10) before and after; during it a digit key "
        "(0-9) is your pain now, and a rise of 2 or more stops the session.",
    )
    p.add_argument("--file", type=Path, help="routine TOML file (default: the built-in one)")
    p.add_argument("--easier", action="store_true", help="use the easier plan")
    p.add_argument("--pain-before", type=int, help="pain 0-10 now (else asked)")
    p.add_argument("--pain-after", type=int, help="pain 0-10 after (else asked)")
    p.add_argument("--yes", action="store_true", help="the safety note was read")
    p.add_argument("--show", action="store_true", help="print the routine and exit")
    p.add_argument(
        "--from",
        dest="start_at",
        metavar="STEP",
        help="start at this step: its number in --show's list, or its exercise name",
    )
    _live_options(p)
    _common(p)

    p = sub.add_parser(
        "history",
        help="your saved sets: a table, a progress plot or a CSV export",
        description="Sets are saved on this machine only (FORMCOACH_DATA_DIR or "
        "$XDG_DATA_HOME/formcoach).",
    )
    p.add_argument("--exercise", "-e", help="only this exercise")
    p.add_argument("--plot", type=Path, metavar="DIR", help="write a progress plot per exercise")
    p.add_argument("--csv", type=Path, metavar="FILE", help="export every set as CSV")
    p.add_argument("--limit", type=int, default=30, help="rows in the table (default 30)")

    p = sub.add_parser(
        "exercises", help="list the exercises with their targets and camera placement"
    )
    p.add_argument(
        "--demo",
        metavar="NAME",
        help="play a short demonstration of NAME; without a display, print where the clip is",
    )

    _add_studio(sub)

    p = sub.add_parser("setup", help="build the pose model bundle (offline, checksummed)")
    p.add_argument("--force", action="store_true", help="rebuild even if present")

    sub.add_parser("doctor", help="show the runtime, model files and privacy status")

    p = sub.add_parser("models", help="list or fetch optional pose models")
    msub = p.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    msub.add_parser("list", help="list models and their state")
    f = msub.add_parser("fetch", help="download a model (needs internet; checksum required)")
    f.add_argument("name", help="model name, e.g. lite or heavy")
    f.add_argument("--sha256", help="the checksum you trust for this file")
    f.add_argument("--url", help="download from this address instead of the official one")
    return parser


def _resolution(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WxH like 1280x720, got {text!r}") from None
    if w <= 0 or h <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive WxH, got {text!r}")
    return w, h


def _live_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", "-s", default="0", help="camera index or a video file (default 0)")
    p.add_argument(
        "--resolution", type=_resolution, metavar="WxH", help="ask the camera for this size"
    )
    p.add_argument("--mirror", action="store_true", help="show a mirrored preview")
    p.add_argument(
        "--voice",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="spoken countdown, counts and corrections (default: on; m mutes)",
    )
    p.add_argument("--no-history", action="store_true", help="do not save to the history")
    p.add_argument(
        "--skip-setup", action="store_true", help="start counting without the setup check"
    )
    p.add_argument("--no-window", action="store_true", help="no window (headless runs)")
    p.add_argument("--save-screen", type=Path, metavar="PNG", help=argparse.SUPPRESS)


def _eval_parser(sub: Any) -> None:
    p = sub.add_parser(
        "eval",
        help="measure accuracy against ground truth",
        description="`formcoach eval TRUTH.json` analyses the clips of a truth file and prints "
        "per-exercise metrics as Markdown; `formcoach eval convert-manifest MANIFEST.md -o "
        "TRUTH.json` makes a truth file from the clip manifest's table.",
    )
    esub = p.add_subparsers(dest="eval_command", metavar="ACTION", required=True)
    c = esub.add_parser("convert-manifest", help="MANIFEST.md table -> truth JSON")
    c.add_argument("manifest", type=Path)
    c.add_argument("--output", "-o", type=Path, required=True, help="truth file to write")
    r = esub.add_parser("run", help="analyse the clips of a truth file and score them")
    r.add_argument("truth", type=Path, help="truth file (see convert-manifest)")
    r.add_argument("--replay", action="store_true", help="replay cached tracks, no model")
    r.add_argument(
        "--tracks",
        type=Path,
        default=Path("tests/data/tracks"),
        help="folder of cached tracks for --replay (default: tests/data/tracks)",
    )
    r.add_argument("--clips", type=Path, help="folder of the clips (default: the manifest's)")
    r.add_argument("--exercise", "-e", action="append", help="only this exercise (repeatable)")
    r.add_argument(
        "--sampling",
        choices=("full", "adaptive"),
        default=None,
        help="model sampling (default: the same as `analyze`)",
    )
    r.add_argument("--model", default="full", help="pose model name (default: full)")
    r.add_argument("--config", type=Path, help="TOML file with exercise thresholds")


def eval_argv(argv: list[str]) -> list[str]:
    """`formcoach eval TRUTH` is short for `formcoach eval run TRUTH`. Only the command
    word counts (the first argument that is not an option), so a file or folder named
    `eval` elsewhere on the line is left alone."""
    i = next((k for k, a in enumerate(argv) if not a.startswith("-")), None)
    if i is None or argv[i] != "eval":
        return argv
    rest = argv[i + 1 :]
    if rest and rest[0] not in ("run", "convert-manifest", "-h", "--help"):
        return [*argv[: i + 1], "run", *rest]
    return argv


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", default="full", help="pose model name (default: full)")
    p.add_argument("--config", type=Path, help="TOML file with exercise thresholds")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar or summary")


def _add_studio(sub: Any) -> None:
    """`formcoach synth ...` when the clip studio (`studio/`, a package of its own) is
    installed; else a `synth` that says how to install it. formcoach needs nothing of it."""
    if importlib.util.find_spec("formcoach_studio") is not None:
        from formcoach_studio.cli import add_subparser

        add_subparser(sub)  # `formcoach synth build|measure|demos`: it sets args.func
        return
    p = sub.add_parser("synth", help="synthetic clips with exact truth (needs the clip studio)")
    p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    p.set_defaults(func=_no_studio)


def _no_studio(args: argparse.Namespace) -> int:
    from formcoach.cli.output import CommandError

    raise CommandError(
        "the clip studio is not installed: pip install -e studio (from formcoach's repository)"
    )
