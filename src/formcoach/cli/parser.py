"""The command line's parser: every subcommand, flag and help text (light: it is built
before anything heavy is imported). One function adds each group of subcommands; the
commands on recorded videos have theirs in `analyze_flags`, the flag sets several
subcommands share are in `shared_flags`."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

from formcoach import __version__
from formcoach.cli.analyze_flags import add_analyze, add_eval
from formcoach.cli.shared_flags import add_common, add_live_options


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="formcoach",
        description="Form coach for lower-back-pain exercises. Runs offline: no video or "
        "data leaves this machine.",
    )
    parser.add_argument("--version", action="version", version=f"formcoach {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    # The order here is the order of `formcoach --help`.
    add_analyze(sub)
    add_eval(sub)
    _add_live(sub)
    _add_routine(sub)
    _add_history(sub)
    _add_exercises(sub)
    _add_studio(sub)
    _add_setup(sub)
    return parser


def _add_live(sub: Any) -> None:
    """`formcoach live`: coaching in front of the camera."""
    p = sub.add_parser(
        "live",
        help="coach live from a camera (or a video standing in for one)",
        description="Live coaching in front of the camera. Keys: space pause, m mute, "
        "n next exercise, q or Esc quit. Each set is saved to your local history.",
    )
    p.add_argument(
        "--exercise",
        "-e",
        required=True,
        help="exercise name, or auto: just start, the coach names each exercise you do "
        "and saves each as its own set",
    )
    p.add_argument(
        "--out",
        "-o",
        type=Path,
        default=None,
        help="also save the session report here (default: not saved)",
    )
    add_live_options(p)
    add_common(p)


def _add_routine(sub: Any) -> None:
    """`formcoach routine`: a guided session of several exercises."""
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
    add_live_options(p)
    add_common(p)


def _add_history(sub: Any) -> None:
    """`formcoach history`: the saved sets."""
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


def _add_exercises(sub: Any) -> None:
    """`formcoach exercises`: the catalogue."""
    p = sub.add_parser(
        "exercises", help="list the exercises with their targets and camera placement"
    )
    p.add_argument(
        "--demo",
        metavar="NAME",
        help="play a short demonstration of NAME; without a display, print where the clip is",
    )


def _add_setup(sub: Any) -> None:
    """`formcoach setup`, `doctor` and `models`: the model files and the runtime."""
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
