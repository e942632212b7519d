"""The `report.json` contract: built from an analyzer's summary and the run's statistics.

Other tools read this file. Fields may be added; none may be removed or change meaning:
exercise, video{path,duration_s,fps,frames}, pose_coverage, reps{total,left,right,partial},
holds[{start_s,end_s,duration_s,side}], hold_total_s, faults[{rule,start_s,end_s,message}],
view{detected,judgeable,message}.
Added later: details{...} (exercise-specific: pace_per_min, time per side, avoid-list
sightings; {} for exercises without any).
"""

from __future__ import annotations

from typing import Any

from formcoach.exercises.base import Exercise, Summary
from formcoach.pipeline import RunStats
from formcoach.sources import SourceInfo

REPORT_VERSION = 1
# Shorter than this, no rep or hold can be counted (the counters' minimum dwell times).
MIN_USEFUL_S = 1.0


def _r(x: float) -> float:
    return round(float(x), 3)


def build_report(
    exercise: Exercise,
    summary: Summary,
    stats: RunStats,
    info: SourceInfo,
    warnings: list[str] | None = None,
) -> dict[str, Any]:
    duration = stats.last_t_s - stats.first_t_s + (1.0 / info.fps if stats.frames else 0.0)
    holds = [
        {
            "start_s": _r(h.start_s),
            "end_s": _r(h.end_s),
            "duration_s": _r(h.duration_s),
            "side": h.side,
        }
        for h in summary.holds
    ]
    warnings = [*info.notes, *(warnings or [])]
    if stats.complete and stats.frames > 0 and duration < MIN_USEFUL_S:
        warnings.append(
            f"only {stats.frames} frame(s) ({duration:.2f} s): too short to count a rep "
            "or judge a hold"
        )
    if not stats.complete:
        warnings.append(f"incomplete: {stats.stop_reason}")
    if summary.unjudged_hold_s >= 1.0:
        warnings.append(
            f"{summary.unjudged_hold_s:.1f} s of hold time were seen from a view that "
            "cannot judge form: the position was followed, the form was not checked"
        )
    if stats.frames and stats.pose_coverage < 0.5:
        warnings.append(f"a person was found in only {stats.pose_coverage:.0%} of frames")
    return {
        "report_version": REPORT_VERSION,
        "exercise": exercise.name,
        "video": {
            "path": info.name,
            "duration_s": _r(max(duration, 0.0)),
            "fps": _r(info.fps),
            "frames": stats.frames,
            "width": info.size_px[0],
            "height": info.size_px[1],
        },
        "complete": stats.complete,
        "pose_coverage": _r(stats.pose_coverage),
        "reps": {
            "total": summary.reps_left + summary.reps_right + summary.reps_unsided,
            "left": summary.reps_left,
            "right": summary.reps_right,
            "partial": summary.reps_partial,
        },
        "holds": holds,
        "hold_total_s": _r(sum(h.duration_s for h in summary.holds)),
        "faults": [
            {
                "rule": f.rule,
                "start_s": _r(f.interval.start_s),
                "end_s": _r(f.interval.end_s),
                "message": f.message,
            }
            for f in summary.faults
        ],
        "view": {
            "detected": summary.view.detected,
            "judgeable": summary.view.judgeable,
            "message": summary.view.message,
        },
        "target": {
            "reps": exercise.target.reps,
            "hold_s": exercise.target.hold_s,
            "per_side": exercise.target.per_side,
        },
        "warnings": warnings,
        "details": dict(summary.details),
    }
