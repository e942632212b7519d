"""The clip corpus's firm facts (`truth.tsv`) and how a report is judged against them.

One check per line, tab-separated, no header: `clip  exercise  kind  value  tol`.

| kind | value | tol | passes when |
|---|---|---|---|
| reps | N | TOL | complete reps within N +/- TOL |
| reps | LO-HI | | complete reps in [LO, HI] (an uncertain count) |
| hold | S | TOL | the longest form-correct hold within S +/- TOL seconds |
| holdtotal | S | TOL | all holds together within S +/- TOL seconds |
| nofault | . | S | no fault lasts longer than S seconds (correct form) |
| fault | REGEX | START-END | a fault named by REGEX (rule or message) overlaps START-END +/- 1 s |
| judgeable | false | | the report says the view cannot judge the exercise |

Exercise names are the catalogue's. The tolerances are the corpus's own (they come from
its stated confidence), so a check either holds or it does not; nothing here is tuned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KINDS = ("reps", "hold", "holdtotal", "nofault", "fault", "judgeable")
# A fault interval in the truth is matched to a reported one within this margin (seconds).
FAULT_MARGIN_S = 1.0


class TruthTableError(ValueError):
    """A line of truth.tsv cannot be read; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class TruthCheck:
    """One firm fact about one clip."""

    clip: str  # file name, e.g. plank_01.mp4
    exercise: str  # catalogue name
    kind: str
    value: str
    tol: str = ""
    line: int = 0

    @property
    def stem(self) -> str:
        return Path(self.clip).stem

    @property
    def key(self) -> str:
        """A short unique-enough name, e.g. plank_01:hold (used as a test id)."""
        return f"{self.stem}:{self.kind}"

    def describe(self) -> str:
        """The check in words, e.g. `hold 9.8 +/- 1.0 s`."""
        if self.kind == "reps":
            return f"reps {self.value}" + (f" +/- {self.tol}" if self.tol else "")
        if self.kind in ("hold", "holdtotal"):
            return f"{self.kind} {self.value} +/- {self.tol} s"
        if self.kind == "nofault":
            return f"no fault longer than {self.tol} s"
        if self.kind == "fault":
            return f"fault /{self.value}/ overlapping {self.tol} s"
        return f"judgeable {self.value}"


@dataclass(frozen=True, slots=True)
class Judgement:
    """The outcome of one check on one report: passed, and what was measured."""

    check: TruthCheck
    passed: bool
    got: str


def parse(text: str, source: str = "truth.tsv") -> list[TruthCheck]:
    """Every check of a truth table; blank lines and `#` comments are skipped."""
    checks = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in raw.split("\t")]
        if len(cells) < 3:
            raise TruthTableError(f"{source}:{number}: expected clip, exercise, kind, value, tol")
        clip, exercise, kind, *rest = cells
        if kind not in KINDS:
            raise TruthTableError(
                f"{source}:{number}: unknown kind {kind!r}; expected one of {', '.join(KINDS)}"
            )
        value = rest[0] if rest else ""
        tol = rest[1] if len(rest) > 1 else ""
        check = TruthCheck(clip, exercise, kind, value, tol, number)
        _validate(check, source)
        checks.append(check)
    return checks


def load(path: Path) -> list[TruthCheck]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TruthTableError(f"cannot read {path}: {exc}") from None
    return parse(text, str(path))


def _range(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high)


def _validate(check: TruthCheck, source: str) -> None:
    where = f"{source}:{check.line}"
    try:
        if check.kind == "reps":
            if "-" in check.value:
                _range(check.value)
            else:
                int(check.value), float(check.tol or 0)
        elif check.kind in ("hold", "holdtotal"):
            float(check.value), float(check.tol)
        elif check.kind == "nofault":
            float(check.tol)
        elif check.kind == "fault":
            re.compile(check.value)
            _range(check.tol)
        elif check.value != "false":
            raise ValueError("judgeable takes false")
    except (ValueError, re.error) as exc:
        bad = f"{check.value!r} {check.tol!r}"
        raise TruthTableError(f"{where}: bad {check.kind} check {bad}: {exc}") from None


# --- judging a report ---------------------------------------------------------------------


def _longest_hold(report: Mapping[str, Any]) -> float:
    return max((float(h["duration_s"]) for h in report["holds"]), default=0.0)


def judge(check: TruthCheck, report: Mapping[str, Any]) -> Judgement:
    """Whether `report` (report.json's fields) meets `check`."""
    if check.kind == "reps":
        got = int(report["reps"]["total"])
        if "-" in check.value:
            low, high = _range(check.value)
            return Judgement(check, low <= got <= high, str(got))
        want, tol = int(check.value), float(check.tol or 0)
        return Judgement(check, abs(got - want) <= tol, str(got))
    if check.kind in ("hold", "holdtotal"):
        got_s = _longest_hold(report) if check.kind == "hold" else float(report["hold_total_s"])
        ok = abs(got_s - float(check.value)) <= float(check.tol)
        return Judgement(check, ok, f"{got_s:.1f} s")
    if check.kind == "nofault":
        longest = max(
            (float(f["end_s"]) - float(f["start_s"]) for f in report["faults"]), default=0.0
        )
        names = ",".join(sorted({f["rule"] for f in report["faults"]})) or "none"
        return Judgement(check, longest <= float(check.tol), f"{names} (longest {longest:.1f} s)")
    if check.kind == "fault":
        return _judge_fault(check, report["faults"])
    judgeable = bool(report["view"]["judgeable"])
    return Judgement(check, not judgeable, f"judgeable {str(judgeable).lower()}")


def _judge_fault(check: TruthCheck, faults: Iterable[Mapping[str, Any]]) -> Judgement:
    pattern = re.compile(check.value, re.IGNORECASE)
    start, end = _range(check.tol)
    named = [f for f in faults if pattern.search(f"{f['rule']} {f['message']}")]
    hit = any(
        float(f["start_s"]) <= end + FAULT_MARGIN_S and float(f["end_s"]) >= start - FAULT_MARGIN_S
        for f in named
    )
    got = ", ".join(f"{f['rule']} {f['start_s']:.1f}-{f['end_s']:.1f}" for f in named) or "none"
    return Judgement(check, hit, got)
