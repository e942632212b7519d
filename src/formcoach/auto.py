"""`formcoach analyze --exercise auto`: split a recording by exercise, analyse each part.

Pass 1 runs the pose model once over the whole video and keeps the landmark track.
The recogniser labels the track per time segment. Each segment of a catalog exercise is
then analysed by that exercise's analyzer, replaying the track over the re-decoded
frames, into `segments/NN_<exercise>/` with the usual outputs. The top-level report.json
keeps the contract: `exercise` is "auto", reps, holds and faults add up the segments
(holds and faults name their exercise), and a `segments` list is added.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from formcoach.analyze import Options, Outcome, build_exercise, build_sinks, summarize
from formcoach.estimators import MediaPipeEstimator, ReplayEstimator
from formcoach.exercises.base import Exercise
from formcoach.pipeline import Pipeline, run
from formcoach.recognition import NONE, Recognizer, Segment
from formcoach.sampling import wrap
from formcoach.sinks import write_json_atomic
from formcoach.sources import Source, SourceInfo, open_source
from formcoach.tracks import Track, record_track
from formcoach.types import Frame

log = logging.getLogger(__name__)

AUTO = "auto"


def record(source: Source, frames: Iterable[Frame], options: Options) -> Track:
    """Pass 1: every frame's raw pose (the analyzers smooth it themselves)."""
    estimator = wrap(
        MediaPipeEstimator(options.model_path, threads=options.threads), options.sampling
    )
    try:
        return record_track(source, estimator, frames)
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
    path: Path, track: Track, segment: Segment, out_dir: Path, options: Options
) -> dict[str, Any]:
    """Run one segment's analyzer over its frames, replaying the track; its report."""
    exercise = build_exercise(segment.exercise, options.config_path)
    with open_source(path) as source:
        report_sink, sinks = build_sinks(out_dir, exercise, source, options)
        run(
            _frames_between(source, segment.start_s, segment.end_s),
            Pipeline(ReplayEstimator(track), exercise),
            sinks,
        )
    assert report_sink.report is not None
    return report_sink.report


def analyze_auto(
    path: Path,
    out_dir: Path,
    options: Options,
    progress: Callable[[Source], Iterable[Frame]] | None = None,
) -> Outcome:
    """Recognise and analyse every exercise segment of one video into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open_source(path) as source:
        info = source.info
        frames = progress(source) if progress is not None else source
        track = record(source, frames, options)
    segments = recognise(track)
    parts: list[tuple[int, Segment, dict[str, Any] | None]] = []
    for number, segment in enumerate(segments, start=1):
        if segment.exercise == NONE:
            continue
        if segment.exercise not in Exercise.registry:
            parts.append((number, segment, None))
            continue
        folder = out_dir / "segments" / f"{number:02d}_{segment.exercise}"
        parts.append((number, segment, analyse_segment(path, track, segment, folder, options)))
    report = combine(parts, track, info)
    write_json_atomic(out_dir / "report.json", report)
    return Outcome(
        input=str(path),
        out_dir=str(out_dir),
        status="done",
        frames=len(track),
        summary=summarize(report),
    )


def combine(
    parts: list[tuple[int, Segment, dict[str, Any] | None]], track: Track, info: SourceInfo
) -> dict[str, Any]:
    """The top-level report: the contract's fields summed over the segments."""
    found = sum(track.found(i) for i in range(len(track)))
    reports = [(seg, r) for _, seg, r in parts if r is not None]
    holds = [{**h, "exercise": seg.exercise} for seg, r in reports for h in r["holds"]]
    faults = [{**f, "exercise": seg.exercise} for seg, r in reports for f in r["faults"]]
    warnings = [
        f"{seg.exercise} at {seg.start_s:.1f}-{seg.end_s:.1f} s: no analyzer yet"
        for _, seg, r in parts
        if r is None
    ]
    warnings += [
        f"{seg.exercise} at {f['start_s']:.1f}-{f['end_s']:.1f} s: {f['message']}"
        for seg, r in reports
        if Exercise.registry[seg.exercise].kind == "warning"
        for f in r["faults"]
    ]
    longest = max(reports, key=lambda p: p[0].end_s - p[0].start_s, default=None)
    view = (
        dict(longest[1]["view"])
        if longest
        else {"detected": "unknown", "judgeable": False, "message": "no exercise was recognised"}
    )
    view["judgeable"] = bool(reports) and all(r["view"]["judgeable"] for _, r in reports)
    duration = (
        float(track.timestamps_s[-1] - track.timestamps_s[0]) + 1.0 / info.fps
        if len(track)
        else 0.0
    )
    return {
        "report_version": 1,
        "exercise": AUTO,
        "video": {
            "path": info.name,
            "duration_s": round(duration, 3),
            "fps": round(info.fps, 3),
            "frames": len(track),
            "width": info.size_px[0],
            "height": info.size_px[1],
        },
        "complete": True,
        "pose_coverage": round(found / len(track), 3) if len(track) else 0.0,
        "reps": {
            key: sum(r["reps"][key] for _, r in reports)
            for key in ("total", "left", "right", "partial")
        },
        "holds": holds,
        "hold_total_s": round(sum(h["duration_s"] for h in holds), 3),
        "faults": faults,
        "view": view,
        "segments": [
            {
                "number": n,
                "exercise": seg.exercise,
                "start_s": round(seg.start_s, 3),
                "end_s": round(seg.end_s, 3),
                "report": f"segments/{n:02d}_{seg.exercise}/report.json" if r else None,
                "reps": r["reps"]["total"] if r else None,
                "hold_total_s": r["hold_total_s"] if r else None,
            }
            for n, seg, r in parts
        ],
        "warnings": warnings,
    }
