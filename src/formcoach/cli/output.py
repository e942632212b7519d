"""What the commands print and how a run ends: one-line errors, the summary of a report,
tables, progress bars, SIGTERM as Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a light module: the commands import it before anything heavy
    from formcoach.offline.analyze import Outcome
    from formcoach.sources.base import Source
    from formcoach.types import Frame


class CommandError(Exception):
    """Unusable input or arguments, reported in one line (exit code 2)."""


def terminate_as_interrupt() -> None:
    """SIGTERM ends a run like Ctrl-C: sinks close and the report is marked incomplete."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def progress(source: Source, quiet: bool) -> Iterator[Frame]:
    if quiet:
        yield from source
        return
    from tqdm import tqdm

    with tqdm(
        source,
        total=source.info.frames,
        unit="frame",
        desc=Path(source.info.name).name,
        file=sys.stderr,
        leave=False,
    ) as bar:
        yield from bar


def print_summary(report: dict[str, object], out: Path) -> None:
    print(
        json.dumps(
            {k: report[k] for k in ("exercise", "pose_coverage", "reps", "hold_total_s", "view")},
            indent=None,
        )
    )
    for fault in report["faults"]:  # type: ignore[attr-defined]
        print(
            f"  fault {fault['rule']} {fault['start_s']:.1f}-{fault['end_s']:.1f} s: "
            f"{fault['message']}"
        )
    for warning in report["warnings"]:  # type: ignore[attr-defined]
        print(f"  warning: {warning}")
    print(f"written to {out}/")


def print_table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    for r in rows:
        print("  ".join(str(r.get(c, "")).ljust(widths[c]) for c in columns))


def print_outcomes(outcomes: list[Outcome]) -> None:

    rows = []
    for o in outcomes:
        fps = f"{o.frames / o.seconds:.1f}" if o.seconds and o.frames else ""
        rows.append(
            {
                "input": Path(o.input).name,
                "status": o.status,
                "frames": o.frames or "",
                "fps": fps,
                **{k: o.summary.get(k, "") for k in ("reps", "hold_s", "faults", "view")},
                "output / error": o.error or o.out_dir,
            }
        )
    print()
    print_table(
        rows,
        ["input", "status", "frames", "fps", "reps", "hold_s", "faults", "view", "output / error"],
    )


def display_available() -> bool:
    """Whether a window can open here (a desktop session, or Windows or macOS)."""
    return sys.platform in ("win32", "darwin") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
