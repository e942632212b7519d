"""The `report.json` contract: one typed `Report`, built in one place for every writer.

Every report (one exercise offline, each part and the whole of `--exercise auto`, `live
--out`, `formcoach eval`, the Python API) is a `Report` made by `build_report` (one
exercise) or `combine_segments` (auto), and written by `Report.to_json`.

Other tools read this file. Fields may be added; none may be removed or change meaning:
exercise, video{path,duration_s,fps,frames}, pose_coverage, reps{total,left,right,partial},
holds[{start_s,end_s,duration_s,side}], hold_total_s, faults[{rule,start_s,end_s,message}],
view{detected,judgeable,message}.
Added later: report_version; video{width,height}; complete; truncated (the file ends well
before the duration its header declares); target{reps,hold_s,per_side}
(null for `auto`, whose segments have their own); warnings[]; details{...}
(exercise-specific: pace_per_min, time per side, avoid-list sightings; {} when none);
for `auto`: segments[{number,exercise,start_s,end_s,report,reps,hold_total_s,target,
details}] and `exercise` on each hold and fault.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from formcoach.exercises.base import Exercise
from formcoach.exercises.summary import Summary, Target
from formcoach.sources.base import SourceInfo
from formcoach.types import RunStats

REPORT_VERSION = 1
# Shorter than this, no rep or hold can be counted (the counters' minimum dwell times).
MIN_USEFUL_S = 1.0
# A file whose frames end more than this share of the duration its header declares
# early, and more than two frames early, was cut off: a variable frame rate's declared
# frame count is an estimate good to a few per cent (and a frame of rounding).
CUT_SHARE = 0.05
CUT_MIN_FRAMES = 2


def _r(x: float) -> float:
    return round(float(x), 3)


@dataclass(frozen=True, slots=True)
class VideoMeta:
    path: str
    duration_s: float
    fps: float
    frames: int
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Reps:
    total: int = 0
    left: int = 0
    right: int = 0
    partial: int = 0


@dataclass(frozen=True, slots=True)
class HoldItem:
    start_s: float
    end_s: float
    duration_s: float
    side: str | None
    exercise: str | None = None  # `auto` only: the segment's exercise


@dataclass(frozen=True, slots=True)
class FaultItem:
    rule: str
    start_s: float
    end_s: float
    message: str
    exercise: str | None = None  # `auto` only


@dataclass(frozen=True, slots=True)
class ViewItem:
    detected: str
    judgeable: bool
    message: str


@dataclass(frozen=True, slots=True)
class TargetItem:
    reps: int
    hold_s: float
    per_side: bool

    @classmethod
    def of(cls, target: Target) -> TargetItem:
        return cls(target.reps, target.hold_s, target.per_side)


@dataclass(frozen=True, slots=True)
class SegmentItem:
    """One recognised part of an `auto` recording and where its own report is."""

    number: int
    exercise: str
    start_s: float
    end_s: float
    report: str | None  # its report.json, relative to the top one (None: not analysed)
    reps: int | None
    hold_total_s: float | None
    target: TargetItem | None
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    """What formcoach concluded about one video (or live set); `to_json` is report.json."""

    exercise: str
    video: VideoMeta
    complete: bool
    pose_coverage: float
    reps: Reps
    holds: tuple[HoldItem, ...]
    faults: tuple[FaultItem, ...]
    view: ViewItem
    target: TargetItem | None
    warnings: tuple[str, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)
    segments: tuple[SegmentItem, ...] | None = None  # `auto` only
    report_version: int = REPORT_VERSION
    truncated: bool = False  # the file ends well before its declared duration

    @property
    def hold_total_s(self) -> float:
        return _r(sum(h.duration_s for h in self.holds))

    @property
    def longest_hold_s(self) -> float:
        return max((h.duration_s for h in self.holds), default=0.0)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "report_version": self.report_version,
            "exercise": self.exercise,
            "video": _fields(self.video),
            "complete": self.complete,
            "truncated": self.truncated,
            "pose_coverage": self.pose_coverage,
            "reps": _fields(self.reps),
            "holds": [_fields(h, optional=("exercise",)) for h in self.holds],
            "hold_total_s": self.hold_total_s,
            "faults": [_fields(f, optional=("exercise",)) for f in self.faults],
            "view": _fields(self.view),
            "target": None if self.target is None else _fields(self.target),
            "warnings": list(self.warnings),
            "details": dict(self.details),
        }
        if self.segments is not None:
            data["segments"] = [
                {
                    **_fields(s, skip=("target", "details")),
                    "target": None if s.target is None else _fields(s.target),
                    "details": dict(s.details),
                }
                for s in self.segments
            ]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Report:
        """A report read back from report.json (any version-1 writer's)."""
        target = data.get("target")
        segments = data.get("segments")
        return cls(
            exercise=data["exercise"],
            video=VideoMeta(**{k: data["video"][k] for k in VideoMeta.__slots__}),
            complete=bool(data.get("complete", True)),
            truncated=bool(data.get("truncated", False)),
            pose_coverage=float(data["pose_coverage"]),
            reps=Reps(**data["reps"]),
            holds=tuple(HoldItem(**h) for h in data["holds"]),
            faults=tuple(FaultItem(**f) for f in data["faults"]),
            view=ViewItem(**data["view"]),
            target=TargetItem(**target) if target else None,
            warnings=tuple(data.get("warnings", ())),
            details=dict(data.get("details", {})),
            segments=None
            if segments is None
            else tuple(
                SegmentItem(
                    **{k: v for k, v in s.items() if k not in ("target", "details")},
                    target=TargetItem(**s["target"]) if s.get("target") else None,
                    details=dict(s.get("details", {})),
                )
                for s in segments
            ),
            report_version=int(data.get("report_version", REPORT_VERSION)),
        )


def _fields(item: Any, optional: Sequence[str] = (), skip: Sequence[str] = ()) -> dict[str, Any]:
    """A slotted dataclass as a dict; `optional` fields are left out when None."""
    out = {}
    for name in item.__slots__:
        value = getattr(item, name)
        if name in skip or (name in optional and value is None):
            continue
        out[name] = value
    return out


def video_meta(info: SourceInfo, stats: RunStats) -> VideoMeta:
    duration = stats.last_t_s - stats.first_t_s + (1.0 / info.fps if stats.frames else 0.0)
    return VideoMeta(
        path=info.name,
        duration_s=_r(max(duration, 0.0)),
        fps=_r(info.fps),
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
        pose_coverage=_r(stats.pose_coverage),
        reps=Reps(
            total=summary.reps_left + summary.reps_right + summary.reps_unsided,
            left=summary.reps_left,
            right=summary.reps_right,
            partial=summary.reps_partial,
        ),
        holds=tuple(
            HoldItem(_r(h.start_s), _r(h.end_s), _r(h.duration_s), h.side) for h in summary.holds
        ),
        faults=tuple(
            FaultItem(f.rule, _r(f.interval.start_s), _r(f.interval.end_s), f.message)
            for f in summary.faults
        ),
        view=ViewItem(summary.view.detected, summary.view.judgeable, summary.view.message),
        target=TargetItem.of(exercise.target),
        warnings=tuple(notes),
        details=dict(summary.details),
    )


@dataclass(frozen=True, slots=True)
class Part:
    """One recognised segment of an `auto` run and its report (None: not analysed)."""

    number: int
    exercise: str
    start_s: float
    end_s: float
    report: Report | None
    path: str | None = None  # where its report.json is, relative to the top one
    warning_kind: bool = False  # an avoid-list movement: its faults are warnings


def combine_segments(
    parts: Sequence[Part],
    video: VideoMeta,
    coverage: float,
    complete: bool,
    warnings: Iterable[str] = (),
    truncated: bool = False,
) -> Report:
    """The top-level report of `--exercise auto`: the contract's fields summed over the
    analysed segments; holds and faults name their exercise; `target` is None (each
    segment has its own)."""
    done = [p for p in parts if p.report is not None]
    notes = [*warnings]
    notes += [
        f"{p.exercise} at {p.start_s:.1f}-{p.end_s:.1f} s: no analyzer yet"
        for p in parts
        if p.report is None
    ]
    notes += [
        f"{p.exercise} at {f.start_s:.1f}-{f.end_s:.1f} s: {f.message}"
        for p in done
        if p.warning_kind and p.report is not None
        for f in p.report.faults
    ]
    reports = [p.report for p in done if p.report is not None]
    longest = max(done, key=lambda p: p.end_s - p.start_s, default=None)
    if longest is not None and longest.report is not None:
        view = ViewItem(
            longest.report.view.detected,
            all(r.view.judgeable for r in reports),
            longest.report.view.message,
        )
    else:
        view = ViewItem("unknown", False, "no exercise was recognised")
    return Report(
        exercise="auto",
        video=video,
        complete=complete,
        truncated=truncated,
        pose_coverage=coverage,
        reps=Reps(
            total=sum(r.reps.total for r in reports),
            left=sum(r.reps.left for r in reports),
            right=sum(r.reps.right for r in reports),
            partial=sum(r.reps.partial for r in reports),
        ),
        holds=tuple(
            HoldItem(h.start_s, h.end_s, h.duration_s, h.side, p.exercise)
            for p in done
            if p.report is not None
            for h in p.report.holds
        ),
        faults=tuple(
            FaultItem(f.rule, f.start_s, f.end_s, f.message, p.exercise)
            for p in done
            if p.report is not None
            for f in p.report.faults
        ),
        view=view,
        target=None,
        warnings=tuple(notes),
        details={},
        segments=tuple(
            SegmentItem(
                number=p.number,
                exercise=p.exercise,
                start_s=_r(p.start_s),
                end_s=_r(p.end_s),
                report=p.path if p.report is not None else None,
                reps=p.report.reps.total if p.report is not None else None,
                hold_total_s=p.report.hold_total_s if p.report is not None else None,
                target=p.report.target if p.report is not None else None,
                details=dict(p.report.details) if p.report is not None else {},
            )
            for p in parts
        ),
    )
