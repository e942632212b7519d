"""Sinks: where frame results go. Each writes to a temporary name and renames on close,
so an interrupted run leaves complete files, never half-written ones."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import cv2

from formcoach.exercises.base import Exercise, Summary
from formcoach.overlay import render
from formcoach.pipeline import RunStats, StopRequested
from formcoach.report import build_report
from formcoach.sources import SourceInfo
from formcoach.types import Event, FrameResult
from formcoach.videowriter import FrameWriter, open_writer

log = logging.getLogger(__name__)


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to a temporary file beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2)
            f.write("\n")
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ReportSink:
    """Writes report.json when the run ends (also when it was interrupted)."""

    def __init__(self, path: Path, exercise: Exercise, info: SourceInfo) -> None:
        self.path = path
        self.exercise = exercise
        self.info = info
        self.report: dict[str, Any] | None = None

    def write(self, result: FrameResult) -> None:
        """The report is built from the summary at the end."""

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        self.report = build_report(self.exercise, summary, stats, self.info)
        write_json_atomic(self.path, self.report)


class EventsSink:
    """Events as JSON lines, flushed as they happen so a crash keeps them."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._f = path.open("w", encoding="utf-8")
        self._written = 0

    def write(self, result: FrameResult) -> None:
        for event in result.verdict.events:
            self._f.write(json.dumps(event.to_json()) + "\n")
            self._written += 1
        if result.verdict.events:
            self._f.flush()

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        # `events` is every event of the run in order; the first ones are already written.
        for event in events[self._written :]:
            self._f.write(json.dumps(event.to_json()) + "\n")
        self._f.close()


class VideoSink:
    """The annotated video: H.264 where this machine can encode it (see `videowriter`),
    else MPEG-4 Part 2. The writer opens on the first frame, at that frame's size, so a
    rotated phone video is written upright at its decoded size."""

    def __init__(
        self, path: Path, fps: float, size_px: tuple[int, int], title: str, kind: str
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._tmp = path.with_name(f".{path.stem}.partial{path.suffix}")
        self.title, self.kind = title, kind
        self.fps = fps
        self.codec = ""
        self._writer: FrameWriter | None = None

    def write(self, result: FrameResult) -> None:
        image = render(result, self.title, self.kind)
        if self._writer is None:
            self._writer = open_writer(self._tmp, self.fps, (image.shape[1], image.shape[0]))
            self.codec = self._writer.codec
        self._writer.write(image)

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
            self._tmp.replace(self.path)


class WindowSink:
    """A live window. q or Esc quits; closing the window quits; space pauses."""

    def __init__(self, title: str, kind: str, window: str = "formcoach") -> None:
        self.title, self.kind, self.window = title, kind, window
        cv2.namedWindow(window, cv2.WINDOW_NORMAL)

    def write(self, result: FrameResult) -> None:
        cv2.imshow(self.window, render(result, self.title, self.kind))
        key = cv2.waitKey(1) & 0xFF
        if key in (ord("q"), 27):
            raise StopRequested("quit key pressed")
        if cv2.getWindowProperty(self.window, cv2.WND_PROP_VISIBLE) < 1:
            raise StopRequested("window closed")

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        cv2.destroyWindow(self.window)
        cv2.waitKey(1)
