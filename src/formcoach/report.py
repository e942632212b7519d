"""The `report.json` contract: one typed `Report`, built in one place for every writer.

Every report (one exercise offline, each part and the whole of `--exercise auto`, `live
--out`, `formcoach eval`, the Python API) is a `Report` made by `build_report` (one
exercise, report_build.py) or `combine_segments` (auto, report_combine.py), and written
by `Report.to_json`.

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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from formcoach.exercises.summary import Target

REPORT_VERSION = 1


def rounded(x: float) -> float:
    """A number as report.json keeps it: to three decimals."""
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
        return rounded(sum(h.duration_s for h in self.holds))

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
