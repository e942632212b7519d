"""`formcoach synth build|measure|demos ...` (or `formcoach-studio ...`): regenerate clip
sets, measure MediaPipe on them, render the demonstrations formcoach ships.

Wire into the main argparse CLI with `add_subparser(subparsers)`; the handler is set as
`func` on the parsed namespace (`args.func(args)` returns the exit code).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from formcoach.pose.models import model_path

# The clip sets by name; the studio itself is imported only when a command runs, so that
# building the main CLI's parser stays fast.
SET_NAMES = ("eval", "sample")


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Add `synth` (with `build` and `measure`) to an argparse subparsers object."""
    synth = subparsers.add_parser("synth", help="synthetic clips with exact ground truth")
    sub = synth.add_subparsers(dest="synth_command", required=True)
    build = sub.add_parser("build", help="render a clip set (mp4 + truth.json + truth.npz)")
    build.add_argument("--out", type=Path, required=True, help="output folder")
    build.add_argument("--set", choices=SET_NAMES, default="sample")
    build.add_argument("--only", nargs="*", default=None, help="clip names to build")
    build.add_argument(
        "--spec",
        type=Path,
        nargs="*",
        default=None,
        help="rebuild from existing <clip>.truth.json files",
    )
    build.add_argument("--workers", type=int, default=2)
    build.set_defaults(func=handle_build)
    measure = sub.add_parser("measure", help="run MediaPipe on clips and compare with truth")
    measure.add_argument("clips", type=Path, help="folder with <clip>.mp4 + truth files")
    measure.add_argument(
        "--model",
        type=Path,
        default=None,
        help="pose model bundle (default: the one `formcoach setup` built)",
    )
    measure.add_argument(
        "--tracks",
        type=Path,
        default=None,
        help="score recorded tracks (<clip>.npz) through formcoach's pose stages instead of "
        "running MediaPipe (seconds, not minutes; e.g. tests/data/sample_tracks)",
    )
    measure.add_argument("--report", type=Path, default=None, help="write markdown here")
    measure.add_argument("--json", type=Path, default=None, help="write raw numbers here")
    measure.set_defaults(func=handle_measure)
    demos = sub.add_parser("demos", help="render the demonstrations formcoach ships")
    demos.add_argument("--out", type=Path, required=True,
                       help="output folder (formcoach's: src/formcoach/data/demos)")  # fmt: skip
    demos.set_defaults(func=handle_demos)
    parser: argparse.ArgumentParser = synth
    return parser


def handle_build(args: argparse.Namespace) -> int:
    from formcoach_studio.sets import SETS
    from formcoach_studio.studio import ClipSpec, build_set

    if args.spec:
        specs = [ClipSpec.from_dict(json.loads(p.read_text())["spec"]) for p in args.spec]
    else:
        specs = SETS[args.set]()
    if args.only:
        known = {s.name for s in specs}
        missing = set(args.only) - known
        if missing:
            print(f"unknown clips {sorted(missing)}; expecting some of {sorted(known)}")
            return 2
        specs = [s for s in specs if s.name in args.only]
    stats = build_set(specs, args.out, args.workers)
    print(
        f"built {int(stats['clips'])} clips, {int(stats['frames'])} frames in "
        f"{stats['wall_s']:.1f} s wall; render {stats['render_s_per_frame']:.3f} s/frame/core"
    )
    return 0


def handle_measure(args: argparse.Namespace) -> int:
    from formcoach_studio.measure import measure_folder, measure_tracks, write_report

    if args.tracks is not None:
        results = measure_tracks(args.clips, args.tracks)
    else:
        results = measure_folder(args.clips, args.model or model_path())
    if args.json:
        args.json.write_text(json.dumps([r.to_dict() for r in results], indent=1) + "\n")
    text = write_report(results)
    if args.report:
        args.report.write_text(text)
    print(text)
    return 0


def handle_demos(args: argparse.Namespace) -> int:
    from formcoach_studio.demos import render_all

    for path in render_all(args.out):
        print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="formcoach")
    sub = parser.add_subparsers(dest="command", required=True)
    add_subparser(sub)
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv if argv[:1] == ["synth"] else ["synth", *argv])
    code: int = args.func(args)
    return code
