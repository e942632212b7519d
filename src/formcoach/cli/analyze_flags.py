"""The flags and help of the commands on recorded videos: `formcoach analyze` (one video, an
image folder or a batch, on processes or Ray) and `formcoach eval` (the clips against
their truth)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from formcoach.cli.shared_flags import add_common
from formcoach.defaults import (
    DEFAULT_PEOPLE,
    DEFAULT_RAY_RETRIES,
    DEFAULT_RAY_SHIP_MB,
    DEFAULT_SAMPLING,
)


def add_analyze(sub: Any) -> None:
    """`formcoach analyze`: a video, an image folder or a batch of videos into a folder."""
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
    _add_batch_flags(p)
    add_common(p)


def _add_batch_flags(p: argparse.ArgumentParser) -> None:
    """How a folder of videos is run: jobs, re-runs, and the processes or Ray engine."""
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


def add_eval(sub: Any) -> None:
    """`formcoach eval run|convert-manifest`: the shared clips against their truth."""
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
