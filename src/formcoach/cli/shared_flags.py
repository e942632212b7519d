"""Flag sets several subcommands share: the model, thresholds and quiet of every analysis
(`analyze`, `live`, `routine`), and a live set's camera, window and voice (`live`,
`routine`)."""

from __future__ import annotations

import argparse
from pathlib import Path


def _resolution(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WxH like 1280x720, got {text!r}") from None
    if w <= 0 or h <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive WxH, got {text!r}")
    return w, h


def add_live_options(p: argparse.ArgumentParser) -> None:
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


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", default="full", help="pose model name (default: full)")
    p.add_argument("--config", type=Path, help="TOML file with exercise thresholds")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar or summary")
