"""The sample clips' expected outcome, from their exact truth alone, item by item.

Each clip's `<clip>.truth.json` says what happened; `expected_items` turns it into the
items formcoach must get right: the view judgeable or not; each true rep (by side where
the truth and the analyzer have sides); each true hold's good-form time (the hold minus
its fault stretches); each true fault by the rule that reports it; for an avoid-list clip
each movement warned and nothing counted; and nothing claimed beyond the truth (no other
reps, holds or faults). Nothing here comes from formcoach's output: `tests/agreement.py`
replays the cached track and judges each item. `<clip>.golden.json` lists only the known
misses, each with the reason found on the replay (see tests/accuracy/test_sample_videos.py).

The analyzer's declared kind says which true events are items: a rep exercise's reps (the
truth's holds there are the top of a rep, not timed as holds), a hold exercise's holds
(its truth's reps, a wall sit's sit-and-stand or a roller's strokes, are not counted), a
warning exercise's movements. From a view the analyzer declares it cannot judge, the only
items are the view and claiming nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from formcoach.exercises import Exercise
from formcoach_studio.truth import ANALYZER_FOR, ClipTruth, Fault, read_json

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_videos"
SAMPLE_TRACKS = ROOT / "tests" / "data" / "sample_tracks"

# Truth fault names (the studio's words for what the body did) -> the rule of the clip's
# analyzer that reports it. A name not listed is the rule's own name; the table and every
# truth name are checked against the analyzers' rule names (test_sample_videos.py).
FAULT_RULES = {
    "too_high": "thighs_parallel",  # wall sit: "go lower: thighs parallel to the floor"
    "too_shallow": "depth",  # lunge: "go lower: front thigh parallel" on turning back early
    "shoulder_lifting": "shoulders_down",  # knee rolls: "keep both shoulders on the floor"
}
# A rep with one of these faults never reached depth: the rep counter counts it as partial.
PARTIAL_REP_FAULTS = frozenset({"too_shallow"})


@dataclass(frozen=True, slots=True)
class Item:
    """One thing the truth says formcoach must get right on a clip.

    kind: view (`expect` judgeable 1/0), rep (`expect` 1 complete / 0 partial), hold
    (`expect` good-form seconds), fault (`rule` overlapping start-end), counted (`expect`
    reps), or other_reps / other_holds / other_faults (none beyond the items above)."""

    id: str
    kind: str
    start_s: float = 0.0
    end_s: float = 0.0
    side: str | None = None
    rule: str = ""
    expect: float = 0.0

    def describe(self) -> str:
        where = f" {self.start_s:.2f}-{self.end_s:.2f} s"
        side = f" ({self.side})" if self.side else ""
        if self.kind == "view":
            return "view judgeable" if self.expect else "view not judgeable"
        if self.kind == "rep":
            return ("a rep" if self.expect else "a partial rep") + side + where
        if self.kind == "hold":
            return f"hold{side}{where}: {self.expect:.2f} s of good form"
        if self.kind == "fault":
            return f"fault {self.rule}{where}"
        if self.kind == "counted":
            return f"{self.expect:g} reps counted"
        return f"no {self.kind.removeprefix('other_')} beyond the truth's"


def clips() -> list[str]:
    return sorted(p.name.removesuffix(".mp4") for p in SAMPLES.glob("*.mp4"))


def load_truth(name: str) -> ClipTruth:
    return read_json(SAMPLES / f"{name}.truth.json")


def analyzer_name(truth: ClipTruth) -> str:
    return ANALYZER_FOR.get(truth.exercise, truth.exercise)


def analyzer_class(truth: ClipTruth) -> type[Exercise]:
    from formcoach import exercises  # noqa: F401  (importing registers every exercise)

    return Exercise.registry[analyzer_name(truth)]


def rule_for(truth_name: str) -> str:
    return FAULT_RULES.get(truth_name, truth_name)


def judgeable(truth: ClipTruth) -> bool:
    """Whether the analyzer declares the clip's true view one it can judge from."""
    cls = analyzer_class(truth)
    return truth.view in cls.views or truth.view in cls.partial_views


def expected_items(truth: ClipTruth) -> list[Item]:
    """Every item of a clip, from its truth and its analyzer's declared kind and views."""
    cls = analyzer_class(truth)
    ok = judgeable(truth)
    items = [Item("view-" + ("judgeable" if ok else "unjudgeable"), "view", expect=float(ok))]
    if ok and cls.kind == "reps":
        items += rep_items(truth, sided=cls.sided)
    if ok and cls.kind == "hold":
        items += hold_items(truth, sided=cls.sided)
    if ok:
        items += fault_items(truth)
    if ok and cls.kind == "warning":
        items.append(Item("counted-none", "counted", expect=0.0))
    if cls.kind == "reps":
        items.append(Item("no-other-reps", "other_reps"))
    if cls.kind == "hold":
        items.append(Item("no-other-holds", "other_holds"))
    items.append(Item("no-other-faults", "other_faults"))
    return items


def rep_items(truth: ClipTruth, sided: bool) -> list[Item]:
    items = []
    for i, rep in enumerate(truth.events.reps, start=1):
        side = rep.side if sided else None
        shallow = any(
            f.rule in PARTIAL_REP_FAULTS and _overlap(f.start_s, f.end_s, rep.start_s, rep.end_s)
            for f in truth.events.faults
        )
        name = f"rep{i}" + (f"-{side}" if side else "") + ("-partial" if shallow else "")
        items.append(Item(name, "rep", rep.start_s, rep.end_s, side, expect=float(not shallow)))
    return items


def hold_items(truth: ClipTruth, sided: bool) -> list[Item]:
    items = []
    for i, hold in enumerate(truth.events.holds, start=1):
        side = hold.side if sided else None
        faulted = sum(
            _overlap(s, e, hold.start_s, hold.end_s) for s, e in _union(truth.events.faults)
        )
        good_s = hold.end_s - hold.start_s - faulted
        name = f"hold{i}" + (f"-{side}" if side else "")
        items.append(Item(name, "hold", hold.start_s, hold.end_s, side, expect=good_s))
    return items


def fault_items(truth: ClipTruth) -> list[Item]:
    """Each true fault by its rule; on an avoid-list clip, each movement is one to warn."""
    items = [
        Item(f"fault{i}-{rule_for(f.rule)}", "fault", f.start_s, f.end_s, rule=rule_for(f.rule))
        for i, f in enumerate(truth.events.faults, start=1)
    ]
    if truth.avoid:
        rule = rule_for(truth.exercise)
        items += [
            Item(f"warned{i}-{rule}", "fault", r.start_s, r.end_s, rule=rule)
            for i, r in enumerate(truth.events.reps, start=1)
        ]
    return items


def truth_fault_names(truth: ClipTruth) -> set[str]:
    """The fault names a truth uses, the avoid-list movement's own included."""
    return {f.rule for f in truth.events.faults} | ({truth.exercise} if truth.avoid else set())


def known_misses(name: str) -> dict[str, str]:
    """Item id -> why formcoach misses it today, from `<clip>.golden.json`."""
    golden = json.loads((SAMPLES / f"{name}.golden.json").read_text(encoding="utf-8"))
    misses: dict[str, str] = golden["known_misses"]
    return misses


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def _union(faults: Iterable[Fault]) -> list[tuple[float, float]]:
    """The truth's fault stretches merged where they overlap (a time counts once)."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted((f.start_s, f.end_s) for f in faults):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
