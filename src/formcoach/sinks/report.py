"""report.json, written when the run ends (atomic)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from formcoach.exercises.base import Exercise
from formcoach.exercises.summary import Summary
from formcoach.files import write_json_atomic
from formcoach.report import Report
from formcoach.report_build import build_report
from formcoach.sources.base import SourceInfo
from formcoach.types import Event, FrameResult, RunStats


class ReportSink:
    """Builds the report when the run ends (also when it was interrupted) and writes it to
    report.json; with no path it is only kept (evaluation, the Python API)."""

    def __init__(
        self,
        path: Path | None,
        exercise: Exercise,
        info: SourceInfo,
        notes: Callable[[], list[str]] = list,
    ) -> None:
        self.path = path
        self.exercise = exercise
        self.info = info
        self.notes = notes  # warnings known only at the end (other people, framing)
        self.report: Report | None = None

    def write(self, result: FrameResult) -> None:
        """The report is built from the summary at the end."""

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        self.report = build_report(self.exercise, summary, stats, self.info, self.notes())
        if self.path is not None:
            write_json_atomic(self.path, self.report.to_json())
