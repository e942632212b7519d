"""Per-rep and per-hold rows: the CSV beside report.json, and the HTML report's tables.

Rows come from report.json (holds, faults) and the run's events (reps, which report.json
only counts), so the CSV always agrees with the report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from formcoach.exercises.base import Exercise
from formcoach.exercises.summary import Summary
from formcoach.files import write_text_atomic
from formcoach.report_build import build_report
from formcoach.sources.base import SourceInfo
from formcoach.types import Event, FrameResult, RunStats

COLUMNS = (
    "type",  # rep | rep_partial | hold
    "index",  # 1-based within its type
    "side",
    "start_s",
    "end_s",
    "duration_s",
    "peak_s",  # reps: moment of greatest depth
    "faults",  # rules whose fault intervals overlap this rep or hold, ';'-separated
    "depth",  # reps: the deepest value of the exercise's rep signal (`Exercise.depth_label`)
    "descent_start_s",  # reps: where the movement began, before the start threshold
    "rep_duration_s",  # reps: from the start of the descent to the return (end_s)
)
# The columns as the HTML report's table heads them.
TITLES = {"type": "type", "index": "#", "side": "side", "start_s": "start (s)",
          "end_s": "end (s)", "duration_s": "duration (s)", "peak_s": "deepest at (s)",
          "faults": "faults", "depth": "depth", "descent_start_s": "descent from (s)",
          "rep_duration_s": "rep, descent to return (s)"}  # fmt: skip


def _overlapping(report: dict[str, Any], start_s: float, end_s: float) -> str:
    rules = [f["rule"] for f in report["faults"] if f["start_s"] <= end_s and f["end_s"] >= start_s]
    return ";".join(dict.fromkeys(rules))


def rows(report: dict[str, Any], events: Sequence[Event]) -> list[dict[str, Any]]:
    """One row per complete rep, partial rep and reported hold, in time order."""
    out: list[dict[str, Any]] = []
    counts = {"rep": 0, "rep_partial": 0}
    for e in events:
        if e.kind not in counts:
            continue
        counts[e.kind] += 1
        start, end = float(e.data["start_s"]), float(e.data["end_s"])
        out.append(
            {
                "type": e.kind,
                "index": counts[e.kind],
                "side": e.data.get("side") or "",
                "start_s": start,
                "end_s": end,
                "duration_s": round(end - start, 3),
                "peak_s": e.data.get("peak_s", ""),
                "faults": _overlapping(report, start, end),
                "depth": e.data.get("peak", ""),
                "descent_start_s": e.data.get("motion_start_s", ""),
                "rep_duration_s": round(end - float(e.data.get("motion_start_s", start)), 3),
            }
        )
    for i, h in enumerate(report["holds"], start=1):
        out.append(
            {
                "type": "hold",
                "index": i,
                "side": h["side"] or "",
                "start_s": h["start_s"],
                "end_s": h["end_s"],
                "duration_s": h["duration_s"],
                "peak_s": "",
                "faults": _overlapping(report, h["start_s"], h["end_s"]),
                "depth": "",
                "descent_start_s": "",
                "rep_duration_s": "",
            }
        )
    out.sort(key=lambda r: (float(r["start_s"]), r["type"]))
    return out


def to_csv(table: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return buf.getvalue()


class CsvSink:
    """Writes the per-rep and per-hold CSV when the run ends. It builds the report the same
    way ReportSink does (sinks close in no promised order, so it does not read that one)."""

    def __init__(self, path: Path, exercise: Exercise, info: SourceInfo) -> None:
        self.path = path
        self.exercise, self.info = exercise, info
        self.rows: list[dict[str, Any]] = []

    def write(self, result: FrameResult) -> None:
        """Rows are built at the end."""

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        report = build_report(self.exercise, summary, stats, self.info).to_json()
        self.rows = rows(report, events)
        write_text_atomic(self.path, to_csv(self.rows))
