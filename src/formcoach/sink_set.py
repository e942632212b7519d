"""A run's sink set, built for the assembler from its options: the output folder's files
(report.json, events.jsonl, rows.csv, report.html, annotated.mp4) and, in a live set, the
history, the voice and the window; with the warnings the report collects at the end.

Only `formcoach.assembly.build` calls these; a sink never imports them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from formcoach.coach.demo import DemoLoop
from formcoach.coach.keys import KeyQueue
from formcoach.exercises.base import Exercise
from formcoach.pipeline import Pipeline, Sink
from formcoach.pose.estimators import PoseEstimator
from formcoach.run_options import TIMED, RunOptions
from formcoach.sinks.events import EventsSink
from formcoach.sinks.history import HistorySink
from formcoach.sinks.report import ReportSink
from formcoach.sinks.video import VideoSink
from formcoach.sinks.window import LiveWindowSink
from formcoach.sources.base import SourceInfo

if TYPE_CHECKING:
    from formcoach.assembly import Services

REPORT_FILE, EVENTS_FILE, CSV_FILE, HTML_FILE, VIDEO_FILE = (
    "report.json",
    "events.jsonl",
    "rows.csv",
    "report.html",
    "annotated.mp4",
)


def estimator_warnings(estimator: PoseEstimator) -> list[str]:
    """What the estimator (or the one a sampler wraps) says at the end: other people."""
    for candidate in (estimator, getattr(estimator, "inner", None)):
        warnings = getattr(candidate, "warnings", None)
        if callable(warnings):
            return [str(w) for w in warnings()]
    return []


def file_sinks(
    options: RunOptions,
    exercise: Exercise,
    info: SourceInfo,
    pipeline: Pipeline,
    out: Path | None,
) -> tuple[list[Sink], ReportSink]:
    from formcoach.sinks.framing import FramingSink

    framing = FramingSink()
    estimator, continuity = pipeline.estimator, pipeline.continuity

    def warnings() -> list[str]:
        guarded = continuity.warnings() if continuity is not None else []
        return [*estimator_warnings(estimator), *guarded, *framing.warnings()]

    report = ReportSink(out / REPORT_FILE if out else None, exercise, info, warnings)
    sinks: list[Sink] = [framing, report]
    if out is None:
        return sinks, report
    sinks.append(EventsSink(out / EVENTS_FILE))
    if options.csv:
        from formcoach.sinks.rows_csv import CsvSink

        sinks.append(CsvSink(out / CSV_FILE, exercise, info))
    if options.html and options.mode == "offline":
        from formcoach.sinks.html_report import HtmlReportSink

        sinks.append(HtmlReportSink(out / HTML_FILE, exercise, info, options.thumbnails, warnings))
    if options.video and options.mode == "offline":
        sinks.append(
            VideoSink(out / VIDEO_FILE, info.fps, info.size_px, exercise.title, exercise.kind)
        )
    return sinks, report


def live_sinks(
    options: RunOptions, exercise: Exercise, keys: KeyQueue, services: Services
) -> list[Sink]:
    from formcoach.sinks.voice import VoiceSink

    live = options.live
    sinks: list[Sink] = []
    title = live.title or exercise.title
    if services.history is not None and options.exercise != TIMED:
        sinks.append(
            HistorySink(services.history, exercise.name, services.session_id, services.now)
        )
    if services.voice is not None and live.voice:
        sinks.append(VoiceSink(services.voice, title, timed=options.exercise == TIMED))
    if live.window:
        save = Path(live.save_screen) if live.save_screen else None
        sinks.append(
            LiveWindowSink(
                keys,
                title,
                exercise.kind,
                live.mirror,
                save_to=save,
                show_fps=live.show_fps,
                card_s=live.card_s if options.exercise != TIMED else 0.0,
                demo=DemoLoop.cached(options.exercise) if live.setup_check else None,
            )
        )
    return sinks
