"""One exercise's report from its run (`build_report`): the video's metadata
(`video_meta`), a file cut short of its declared duration (`cut_off`), and the notes a
run leaves (too short, incomplete, form not judged, a person seldom found).

`--exercise auto` builds each part's report here and combines them in `report_combine.py`;
`report.py` holds the contract both keep.
"""

from __future__ import annotations

from collections.abc import Iterable

from formcoach.exercises.base import Exercise
from formcoach.exercises.summary import Summary
from formcoach.report import (
    FaultItem,
    HoldItem,
    Report,
    Reps,
    TargetItem,
    VideoMeta,
    ViewItem,
    rounded,
)
from formcoach.sources.base import SourceInfo
from formcoach.types import RunStats

# Shorter than this, no rep or hold can be counted (the counters' minimum dwell times).
MIN_USEFUL_S = 1.0
# A file whose frames end more than this share of the duration its header declares
# early, and more than two frames early, was cut off: a variable frame rate's declared
# frame count is an estimate good to a few per cent (and a frame of rounding).
CUT_SHARE = 0.05
CUT_MIN_FRAMES = 2


def video_meta(info: SourceInfo, stats: RunStats) -> VideoMeta:
    duration = stats.last_t_s - stats.first_t_s + (1.0 / info.fps if stats.frames else 0.0)
    return VideoMeta(
        path=info.name,
        duration_s=rounded(max(duration, 0.0)),
        fps=rounded(info.fps),
        frames=stats.frames,
        width=info.size_px[0],
        height=info.size_px[1],
    )


def cut_off(info: SourceInfo, stats: RunStats) -> str | None:
    """What was cut when a file read to its end stops well short of the duration its
    header declares (None: not cut, or nothing declared, like a camera)."""
    if not (stats.complete and stats.frames and info.frames and info.fps > 0):
        return None
    declared_s = info.frames / info.fps
    decoded_s = stats.last_t_s + 1.0 / info.fps
    if declared_s - decoded_s <= max(CUT_MIN_FRAMES / info.fps, CUT_SHARE * declared_s):
        return None
    return (
        f"the file ends at {decoded_s:.1f} s of the {declared_s:.1f} s its header declares "
        f"({stats.frames} of {info.frames} frames): it looks cut off, and only the part "
        "before the cut was analysed"
    )


def build_report(
    exercise: Exercise,
    summary: Summary,
    stats: RunStats,
    info: SourceInfo,
    warnings: Iterable[str] = (),
) -> Report:
    """The report of one exercise's run."""
    video = video_meta(info, stats)
    notes = [*info.notes, *warnings]
    if stats.complete and stats.frames > 0 and video.duration_s < MIN_USEFUL_S:
        notes.append(
            f"only {stats.frames} frame(s) ({video.duration_s:.2f} s): too short to count a "
            "rep or judge a hold"
        )
    if not stats.complete:
        notes.append(f"incomplete: {stats.stop_reason}")
    cut = cut_off(info, stats)
    notes += [cut] if cut else []
    if summary.unjudged_hold_s >= 1.0:
        notes.append(
            f"{summary.unjudged_hold_s:.1f} s of hold time were seen from a view that "
            "cannot judge form: the position was followed, the form was not checked"
        )
    if stats.frames and stats.pose_coverage < 0.5:
        notes.append(f"a person was found in only {stats.pose_coverage:.0%} of frames")
    return Report(
        exercise=exercise.name,
        video=video,
        complete=stats.complete,
        truncated=cut is not None,
        pose_coverage=rounded(stats.pose_coverage),
        reps=Reps(
            total=summary.reps_left + summary.reps_right + summary.reps_unsided,
            left=summary.reps_left,
            right=summary.reps_right,
            partial=summary.reps_partial,
        ),
        holds=tuple(
            HoldItem(rounded(h.start_s), rounded(h.end_s), rounded(h.duration_s), h.side)
            for h in summary.holds
        ),
        faults=tuple(
            FaultItem(f.rule, rounded(f.interval.start_s), rounded(f.interval.end_s), f.message)
            for f in summary.faults
        ),
        view=ViewItem(summary.view.detected, summary.view.judgeable, summary.view.message),
        target=TargetItem.of(exercise.target),
        warnings=tuple(notes),
        details=dict(summary.details),
    )
