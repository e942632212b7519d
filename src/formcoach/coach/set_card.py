"""What a person is told when a set ends: the card on screen, the lines in the terminal.

Reps per side against the target, the best and the total hold, and the one thing to work
on next time: the fault that lasted longest in the set, in the exercise's own words.
Built from the analyzer's `Summary` only, so the card, the terminal and the live report
say the same.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from formcoach.exercises.summary import Summary, Target


@dataclass(frozen=True, slots=True)
class SetSummary:
    title: str
    target: Target
    reps_left: int
    reps_right: int
    reps_unsided: int
    best_hold_s: float
    total_hold_s: float
    work_on: str | None  # the longest fault's message; None: nothing to fix

    @property
    def reps_total(self) -> int:
        return self.reps_left + self.reps_right + self.reps_unsided

    @property
    def target_met(self) -> bool:
        t = self.target
        if t.reps:
            sides = (self.reps_left, self.reps_right) if t.per_side else (self.reps_total,)
            if min(sides) < t.reps:
                return False
        return not t.hold_s or self.best_hold_s >= t.hold_s - 0.05

    def lines(self) -> list[str]:
        """The card's lines, most important first, e.g. `Reps: left 7/10, right 10/10`."""
        t, lines = self.target, [f"{self.title}: {'target met' if self.target_met else 'set done'}"]
        per_side = t.per_side or self.reps_left or self.reps_right
        goal = f"/{t.reps}" if t.reps else ""
        if t.reps or self.reps_total:
            if per_side:
                line = f"Reps: left {self.reps_left}{goal}, right {self.reps_right}{goal}"
                if self.reps_unsided:  # e.g. knee rolls from the side: which way is depth
                    line += f", {self.reps_unsided} the camera could not tell which side"
                lines.append(line)
            else:
                lines.append(f"Reps: {self.reps_total}{goal}")
        if t.hold_s or self.best_hold_s:
            lines.append(
                f"Best hold {self.best_hold_s:.0f} s"
                + (f" of {t.hold_s:g} s" if t.hold_s else "")
                + f", {self.total_hold_s:.0f} s held in all"
            )
        lines.append(f"Next time: {self.work_on}" if self.work_on else "Form: nothing to fix")
        return lines


def summarise_set(title: str, summary: Summary, target: Target) -> SetSummary:
    fault_time: dict[str, float] = defaultdict(float)
    for fault in summary.faults:
        fault_time[fault.message or fault.rule] += fault.interval.duration_s
    holds = [h.duration_s for h in summary.holds]
    return SetSummary(
        title=title,
        target=target,
        reps_left=summary.reps_left,
        reps_right=summary.reps_right,
        reps_unsided=summary.reps_unsided,
        best_hold_s=max(holds, default=0.0),
        total_hold_s=sum(holds),
        work_on=max(fault_time, key=lambda m: fault_time[m]) if fault_time else None,
    )
