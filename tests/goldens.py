"""Golden reports for the project's own sample clips, and their agreement with the truth.

`sample_videos/<clip>.golden.json` holds what formcoach reports for the clip (replayed
from its cached track in tests/data/sample_tracks) and how that agrees with the clip's
exact ground truth (`<clip>.truth.json`). Regenerate with `scripts/update_goldens.py`
after a deliberate change, and read the diff: it shows what got better or worse.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from formcoach.exercises import Exercise
from tests.replay import replay

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_videos"
SAMPLE_TRACKS = ROOT / "tests" / "data" / "sample_tracks"

# Truth fault names that formcoach reports under another name or as another field.
FAULT_NAMES = {
    "too_high": "thighs_parallel",  # wall sit: "go lower: thighs parallel"
    "too_shallow": "partial_reps",  # lunge: a rep short of depth is counted as partial
    "roller_under_lower_back": "roller_under_lower_back",
}


# Truth exercises analysed by another exercise's analyzer: the lumbar warning belongs to
# thoracic foam rolling (the roller moved too low).
ANALYZER_FOR = {"foam_roll_lumbar": "foam_roll_thoracic"}


def analyzer_name(truth: dict[str, Any]) -> str:
    return ANALYZER_FOR.get(truth["exercise"], truth["exercise"])


def clips() -> list[str]:
    return sorted(p.name.removesuffix(".mp4") for p in SAMPLES.glob("*.mp4"))


def replay_report(name: str, tmp: Path) -> dict[str, Any] | None:
    """formcoach's report for a sample clip, from its cached track (None: no analyzer)."""
    truth = json.loads((SAMPLES / f"{name}.truth.json").read_text())
    if analyzer_name(truth) not in Exercise.registry:
        return None
    return replay(analyzer_name(truth), SAMPLE_TRACKS / f"{name}.npz").report


def expected_part(report: dict[str, Any]) -> dict[str, Any]:
    """The part of a report a golden pins down."""
    return {
        "reps": report["reps"],
        "holds": [[h["start_s"], h["end_s"], h["side"]] for h in report["holds"]],
        "fault_rules": sorted({f["rule"] for f in report["faults"]}),
        "view": [report["view"]["detected"], report["view"]["judgeable"]],
    }


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def agreement(truth: dict[str, Any], expected: dict[str, Any] | None) -> dict[str, Any]:
    """How formcoach's result compares with the exact truth of a synthetic clip.

    Reps are compared for rep exercises (an avoid-list movement must be warned, never
    counted); hold time for hold exercises, where formcoach times only the hold with
    acceptable form: the truth's hold minus its fault stretches."""
    if expected is None:
        return {"analyzer": False}
    kind = Exercise.registry[analyzer_name(truth)].kind
    events = truth["events"]
    faults = [(f["start_s"], f["end_s"]) for f in events["faults"]]
    reps = expected["reps"]
    truth_rules = {FAULT_NAMES.get(f["rule"], f["rule"]) for f in events["faults"]}
    if truth.get("avoid"):
        truth_rules.add(truth["exercise"])
    ours_rules = set(expected["fault_rules"]) | ({"partial_reps"} if reps["partial"] else set())
    result: dict[str, Any] = {"analyzer": True}
    if kind == "reps":
        result["rep_error"] = reps["total"] + reps["partial"] - len(events["reps"])
    elif kind == "warning":
        result["counted"] = reps["total"]
    if kind == "hold" and events["holds"]:
        good = sum(
            h["end_s"] - h["start_s"] - sum(_overlap((h["start_s"], h["end_s"]), f) for f in faults)
            for h in events["holds"]
        )
        ours = sum(h[1] - h[0] for h in expected["holds"])
        result["hold_error_s"] = round(ours - good, 1)
    result["faults_missed"] = sorted(truth_rules - ours_rules)
    result["faults_extra"] = sorted(ours_rules - truth_rules)
    return result


def golden_for(name: str, tmp: Path) -> dict[str, Any]:
    truth = json.loads((SAMPLES / f"{name}.truth.json").read_text())
    report = replay_report(name, tmp)
    expected = expected_part(report) if report is not None else None
    return {
        "clip": name,
        "exercise": truth["exercise"],
        "expected": expected,
        "vs_truth": agreement(truth, expected),
    }
