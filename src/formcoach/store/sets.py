"""A set as the history keeps it: `SetRecord` (one row of the sets table, made from an
exercise's `Summary`) to save, and `table_rows` to print the saved ones."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from formcoach.exercises.summary import Summary


@dataclass(frozen=True, slots=True)
class SetRecord:
    """One set as saved: what was counted and what went wrong."""

    exercise: str
    started_at: str
    ended_at: str
    duration_s: float
    reps_left: int = 0
    reps_right: int = 0
    reps_unsided: int = 0
    reps_partial: int = 0
    holds: int = 0
    hold_total_s: float = 0.0
    hold_best_s: float = 0.0
    faults: str = "[]"
    counted: bool = True
    complete: bool = True

    @classmethod
    def from_summary(
        cls,
        exercise: str,
        summary: Summary,
        started_at: datetime,
        ended_at: datetime,
        complete: bool,
        counted: bool = True,
    ) -> SetRecord:
        durations = [h.duration_s for h in summary.holds]
        faults = [
            {"rule": f.rule, "duration_s": round(f.interval.duration_s, 2)} for f in summary.faults
        ]
        return cls(
            exercise=exercise,
            started_at=started_at.isoformat(timespec="seconds"),
            ended_at=ended_at.isoformat(timespec="seconds"),
            duration_s=round((ended_at - started_at).total_seconds(), 2),
            reps_left=summary.reps_left,
            reps_right=summary.reps_right,
            reps_unsided=summary.reps_unsided,
            reps_partial=summary.reps_partial,
            holds=len(durations),
            hold_total_s=round(sum(durations), 2),
            hold_best_s=round(max(durations, default=0.0), 2),
            faults=json.dumps(faults),
            counted=counted,
            complete=complete,
        )


def table_rows(sets: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sets as rows for a printed table."""
    rows = []
    for s in sets:
        faults = json.loads(s["faults"])
        reps = (
            f"L{s['reps_left']} R{s['reps_right']}"
            if s["reps_left"] or s["reps_right"]
            else str(s["reps_unsided"])
        )
        pain = "" if s["pain_before"] is None else f"{s['pain_before']}->{s['pain_after'] or '?'}"
        rows.append(
            {
                "date": s["started_at"].replace("T", " ")[:16],
                "exercise": s["exercise"],
                "reps": reps if s["counted"] else "-",
                "hold_s": f"{s['hold_total_s']:.0f}" if s["holds"] else "-",
                "best_hold_s": f"{s['hold_best_s']:.0f}" if s["holds"] else "-",
                "faults": ", ".join(sorted({f["rule"] for f in faults})) or "-",
                "pain": pain,
                "time_s": f"{s['duration_s']:.0f}",
            }
        )
    return rows
