"""The top-level report of `--exercise auto` (`combine_segments`): the contract's fields
summed over the parts' own reports (`Part`), holds and faults named by exercise, and one
segment item per part."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from formcoach.report import (
    FaultItem,
    HoldItem,
    Report,
    Reps,
    SegmentItem,
    VideoMeta,
    ViewItem,
    rounded,
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
    candidates: tuple[str, ...] = ()  # not sure which exercise: the ones it looked like


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
    notes = _notes(parts, done, warnings)
    reports = [p.report for p in done if p.report is not None]
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
        view=_view(done, reports),
        target=None,
        warnings=tuple(notes),
        details={},
        segments=tuple(_segment(p) for p in parts),
    )


def _notes(parts: Sequence[Part], done: Sequence[Part], warnings: Iterable[str]) -> list[str]:
    """The run's warnings, then a line per part without an analyzer, then the avoid-list
    movements' faults (warnings, not faults, for those)."""
    notes = [*warnings]
    notes += [
        f"not sure which exercise at {p.start_s:.1f}-{p.end_s:.1f} s"
        + (f" ({' or '.join(p.candidates)})" if p.candidates else "")
        + ": not analysed; analyse it with --exercise NAME"
        for p in parts
        if p.report is None
    ]
    notes += [
        f"{p.exercise} at {f.start_s:.1f}-{f.end_s:.1f} s: {f.message}"
        for p in done
        if p.warning_kind and p.report is not None
        for f in p.report.faults
    ]
    return notes


def _view(done: Sequence[Part], reports: Sequence[Report]) -> ViewItem:
    """The longest analysed part's view, judgeable only if every part's was."""
    longest = max(done, key=lambda p: p.end_s - p.start_s, default=None)
    if longest is not None and longest.report is not None:
        return ViewItem(
            longest.report.view.detected,
            all(r.view.judgeable for r in reports),
            longest.report.view.message,
        )
    return ViewItem("unknown", False, "no exercise was recognised")


def _segment(p: Part) -> SegmentItem:
    """A part as the top report lists it (its own report by path; None when not analysed)."""
    return SegmentItem(
        number=p.number,
        exercise=p.exercise,
        start_s=rounded(p.start_s),
        end_s=rounded(p.end_s),
        report=p.path if p.report is not None else None,
        reps=p.report.reps.total if p.report is not None else None,
        hold_total_s=p.report.hold_total_s if p.report is not None else None,
        target=p.report.target if p.report is not None else None,
        details=dict(p.report.details) if p.report is not None else {},
    )
