"""summary.csv: one row per video and exercise of a batch, for loading a whole archive's
results at once (`pandas.read_csv("out/summary.csv")`), and summary.parquet beside it
when pyarrow is installed.

The rows come from the report.json files the batch wrote (a skipped video's from its
earlier run); a video analysed with `--exercise auto` has a row per recognised part, a
failed or unfinished video one row with its status and error. Columns (README, next to
report.json's fields): see `COLUMNS`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from formcoach.files import write_text_atomic
from formcoach.offline.analyze import Outcome
from formcoach.sink_set import REPORT_FILE

COLUMNS = (
    "video",  # the input file's name
    "status",  # done, skipped (finished earlier), failed, interrupted, pending
    "exercise",
    "part",  # the recognised part's number with --exercise auto, else empty
    "start_s",  # where the part starts and ends (auto), else empty
    "end_s",
    "reps",
    "reps_left",
    "reps_right",
    "reps_partial",
    "holds",  # number of holds
    "hold_total_s",
    "longest_hold_s",
    "faults",  # number of faults raised
    "fault_rules",  # the rules broken, "; " between them
    "view",  # side, front, oblique or unknown
    "judgeable",  # whether that view can be judged for the exercise
    "coverage",  # share of frames with a person found
    "frames",
    "warnings",  # the report's warnings, " | " between them
    "error",  # why a video failed
    "report",  # the report.json, relative to the batch's output folder
)
CSV_FILE = "summary.csv"
PARQUET_FILE = "summary.parquet"


def rows(outcomes: Iterable[Outcome], root: Path) -> list[dict[str, Any]]:
    """The table's rows for `outcomes`, in their order; `root` is the batch's --out."""
    out: list[dict[str, Any]] = []
    for outcome in outcomes:
        video = Path(outcome.input).name
        report_path = Path(outcome.out_dir) / REPORT_FILE
        report = _read(report_path) if outcome.status in ("done", "skipped") else None
        if report is None:
            out.append(_row(video, outcome.status, error=outcome.error))
            continue
        relative = _relative(report_path, root)
        segments = report.get("segments")
        if not segments:
            out.append(_row(video, outcome.status, report, relative))
            continue
        for part in segments:
            part_path = report_path.parent / str(part.get("report") or "")
            part_report = _read(part_path) if part.get("report") else None
            out.append(
                _row(
                    video,
                    outcome.status,
                    part_report,
                    _relative(part_path, root) if part_report is not None else relative,
                    exercise=part.get("exercise", ""),
                    part=part.get("number", ""),
                    span=(part.get("start_s"), part.get("end_s")),
                )
            )
    return out


def _row(
    video: str,
    status: str,
    report: dict[str, Any] | None = None,
    relative: str = "",
    error: str = "",
    exercise: str = "",
    part: Any = "",
    span: tuple[Any, Any] = (None, None),
) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(video=video, status=status, error=error or None, report=relative or None)
    row.update(part=part if part != "" else None, start_s=span[0], end_s=span[1])
    row["exercise"] = exercise or (report or {}).get("exercise")
    if report is None:
        return row
    reps = report.get("reps", {})
    holds = [float(h.get("duration_s", 0.0)) for h in report.get("holds", [])]
    faults = report.get("faults", [])
    view = report.get("view", {})
    row.update(
        reps=reps.get("total"),
        reps_left=reps.get("left"),
        reps_right=reps.get("right"),
        reps_partial=reps.get("partial"),
        holds=len(holds),
        hold_total_s=report.get("hold_total_s"),
        longest_hold_s=round(max(holds), 2) if holds else 0.0,
        faults=len(faults),
        fault_rules="; ".join(sorted({str(f.get("rule")) for f in faults})) or None,
        view=view.get("detected"),
        judgeable=view.get("judgeable"),
        coverage=report.get("pose_coverage"),
        frames=report.get("video", {}).get("frames"),
        warnings=" | ".join(report.get("warnings", [])) or None,
    )
    return row


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def write(outcomes: Iterable[Outcome], root: Path) -> list[Path]:
    """summary.csv (and summary.parquet with pyarrow) in `root`; the files written."""
    table = rows(outcomes, root)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    write_text_atomic(root / CSV_FILE, text.getvalue())
    written = [root / CSV_FILE]
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return written
    columns = {c: [r[c] for r in table] for c in COLUMNS}
    pq.write_table(pa.table(columns), root / PARQUET_FILE)
    written.append(root / PARQUET_FILE)
    return written
