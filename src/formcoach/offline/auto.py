"""`formcoach analyze --exercise auto`: split a recording by exercise, analyse each part.

Pass 1 runs the pose estimator once over the whole video (the same estimator, people
check and sampling as any run: `assembly.make_estimator`) and keeps the landmark track.
The recogniser labels the track per time segment. Each segment of a catalog exercise is
then analysed by that exercise's analyzer through the one assembler, replaying the track
over the re-decoded frames, into `segments/NN_<exercise>/` with the usual outputs. The
top-level report.json keeps the contract (see `report_combine.combine_segments`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from formcoach.assembly import RunOptions, build, check_config_file, make_estimator
from formcoach.coach.live_session import blank_verdict
from formcoach.exercises.base import Exercise
from formcoach.files import write_json_atomic
from formcoach.offline.analyze import Outcome, summarize
from formcoach.pose.estimators import ReplayEstimator
from formcoach.pose.tracks import Track, TrackSource, record_track
from formcoach.recognition import Recognizer
from formcoach.report import Report
from formcoach.report_build import cut_off, video_meta
from formcoach.report_combine import Part, combine_segments
from formcoach.sink_set import REPORT_FILE, estimator_warnings
from formcoach.sinks.framing import FramingSink
from formcoach.sources.base import Source
from formcoach.sources.open import open_source
from formcoach.switching import NONE, Segment
from formcoach.types import Frame, FrameResult, RunStats

log = logging.getLogger(__name__)


def record(source: Source, frames: Iterable[Frame], options: RunOptions) -> tuple[Track, list[str]]:
    """Pass 1: every frame's raw pose (the analyzers smooth it themselves), and what the
    estimator has to say about other people in view."""
    estimator = make_estimator(options)
    try:
        track = record_track(source, estimator, frames)
        return track, estimator_warnings(estimator)
    finally:
        estimator.close()


def recognise(track: Track) -> list[Segment]:
    recognizer = Recognizer()
    for i in range(len(track)):
        recognizer.update(track.pose(i), float(track.timestamps_s[i]))
    return recognizer.segments()


def _frames_between(source: Source, start_s: float, end_s: float) -> Iterator[Frame]:
    for frame in source:
        if frame.timestamp_s > end_s:
            return
        if frame.timestamp_s >= start_s:
            yield frame


def analyse_segment(
    video: Callable[[], Source], track: Track, segment: Segment, out_dir: Path, options: RunOptions
) -> Report:
    """Run one segment's analyzer over the frames it sees (`Segment.analysed`: as a live
    session feeds them), replaying the track; its report."""
    part = replace(options, exercise=segment.exercise, out_dir=str(out_dir))
    with video() as source:
        assembly = build(part, source.info, estimator=ReplayEstimator(track))
        assembly.run(_frames_between(source, *segment.analysed))
    assert assembly.report.report is not None
    return assembly.report.report


def framing_warnings(track: Track) -> list[str]:
    """The framing warnings (out of view, far, cut off) over the whole recording."""
    sink = FramingSink()
    blank = blank_verdict()
    for frame in TrackSource(track):
        sink.write(FrameResult(frame, track.pose(frame.index), blank))
    return sink.warnings()


def analyse_parts(
    path: Path,
    track: Track,
    out_dir: Path,
    options: RunOptions,
    video: Callable[[], Source] | None = None,
) -> list[Part]:
    """The recording's parts, one per segment the recogniser named (NONE left out): a
    catalog exercise's analysed into `segments/NN_<exercise>/`, a not-sure one listed
    without a report. `video` opens the frames again (the file at `path` unless given)."""
    reopen = video if video is not None else lambda: open_source(path)
    parts: list[Part] = []
    named = [segment for segment in recognise(track) if segment.exercise != NONE]
    for number, segment in enumerate(named, start=1):
        cls = Exercise.registry.get(segment.exercise)
        start, end = segment.start_s, segment.end_s
        if cls is None:  # not sure which exercise: shown, not analysed
            parts.append(
                Part(number, segment.exercise, start, end, None, candidates=segment.candidates)
            )
            continue
        relative = f"segments/{number:02d}_{segment.exercise}"
        report = analyse_segment(reopen, track, segment, out_dir / relative, options)
        parts.append(
            Part(
                number,
                segment.exercise,
                start,
                end,
                report,
                f"{relative}/{REPORT_FILE}",
                cls.kind == "warning",
            )
        )
    return parts


def analyze_auto(
    path: Path,
    out_dir: Path,
    options: RunOptions,
    progress: Callable[[Source], Iterable[Frame]] | None = None,
) -> Outcome:
    """Recognise and analyse every exercise segment of one video into `out_dir`."""
    options.validate()
    if options.config_path is not None:  # every table, before the long model pass
        check_config_file(options.config_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    with open_source(path) as source:
        info = source.info
        frames = progress(source) if progress is not None else source
        track, people = record(source, frames, options)
    parts = analyse_parts(path, track, out_dir, options)
    found = sum(track.found(i) for i in range(len(track)))
    stats = RunStats(
        len(track),
        found,
        float(track.timestamps_s[0]) if len(track) else 0.0,
        float(track.timestamps_s[-1]) if len(track) else 0.0,
        True,
    )
    coverage = round(found / len(track), 3) if len(track) else 0.0
    notes = [*info.notes, *people, *framing_warnings(track)]
    cut = cut_off(info, stats)
    notes += [cut] if cut else []
    report = combine_segments(
        parts, video_meta(info, stats), coverage, True, notes, truncated=cut is not None
    )
    data = report.to_json()
    write_json_atomic(out_dir / REPORT_FILE, data)
    return Outcome(
        input=str(path),
        out_dir=str(out_dir),
        status="done",
        frames=len(track),
        summary=summarize(data),
    )
