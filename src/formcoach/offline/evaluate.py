"""Evaluation against ground truth: the truth file, the MANIFEST.md converter, the metrics.

The truth file (JSON) lists clips with what is known about each: rep count, held intervals,
faults ([] = none seen; null = not established). Metrics per exercise:
- rep MAE: mean of |predicted - true| / true over clips with a known count above 0;
- off-by-one accuracy: share of those clips with |predicted - true| <= 1;
- hold error: mean |predicted - true| total hold seconds over clips with known holds;
- per fault rule: precision and recall of fault intervals, an interval matching a true
  one of the same rule when they overlap (clips with faults = null are left out).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

TRUTH_VERSION = 1


class TruthError(ValueError):
    """The truth file or the manifest cannot be read."""


@dataclass
class ClipTruth:
    clip: str  # file name, e.g. plank_01.mp4
    exercise: str  # analyzer name, from the file name (plank_01 -> plank)
    reps: int | None = None
    holds: list[tuple[float, float]] | None = None
    faults: list[dict[str, Any]] | None = None  # {rule, start_s, end_s}; [] = none
    confidence: str = ""
    description: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def hold_s(self) -> float | None:
        return None if self.holds is None else sum(e - s for s, e in self.holds)


# --- MANIFEST.md -> truth ---------------------------------------------------------------

_REPS = re.compile(r"\b(\d+) COMPLETE\b")
_HOLD = re.compile(r"\bHOLD\b[^;()]*?~?(\d+(?:\.\d+)?)\s*(?:s\s+to|-)\s*~?(\d+(?:\.\d+)?)\s*s\b")
_NO_FAULTS = re.compile(r"\bFaults:\s*none\b", re.IGNORECASE)


_ROLLS = re.compile(r"~?(\d+) rolls\b", re.IGNORECASE)

# The manifest's exercise descriptions -> catalog names, first match wins. Both a lying
# double straight-leg raise and scissors hold straight legs off the floor: the avoid
# list's double leg lift. Unmatched rows keep the clip's name (glute_bridge, ...).
CATALOG = (
    ("double straight-leg raise", "double_leg_lift"),
    ("scissors", "double_leg_lift"),
    ("crunch", "partial_crunch"),
    ("side plank", "side_plank"),
    ("plank", "plank"),
    ("wall sit", "wall_sit"),
    ("lunge", "lunge"),
    ("knee rolls", "knee_rolls"),
)


def exercise_of(clip: str, description: str = "") -> str:
    """The catalog name for a manifest row: from its description where one matches, else
    from the file name (plank_01.mp4 -> plank; side_plank_02.mp4 -> side_plank)."""
    text = description.lower()
    for words, name in CATALOG:
        if words in text:
            return name
    return re.sub(r"_\d+$", "", Path(clip).stem)


def parse_manifest(text: str) -> list[ClipTruth]:
    """Rows of the Markdown table; only clearly stated counts and holds are parsed."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("|")]
    if len(lines) < 3:
        raise TruthError("no Markdown table found in the manifest")
    header = [c.strip().lower() for c in lines[0].strip("|").split("|")]
    try:
        col_file = header.index("file")
        col_ex = header.index("exercise")
        col_truth = next(i for i, h in enumerate(header) if h.startswith("ground truth"))
    except (ValueError, StopIteration):
        raise TruthError(
            f"manifest table needs columns file, exercise, ground truth; found {header}"
        ) from None
    col_conf = next((i for i, h in enumerate(header) if "confidence" in h), None)
    out = []
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) != len(header):
            continue
        out.append(
            _parse_row(
                cells[col_file],
                cells[col_ex],
                cells[col_truth],
                cells[col_conf] if col_conf is not None else "",
            )
        )
    return out


def _is_avoided(exercise: str) -> bool:
    from formcoach.exercises import Exercise

    cls = Exercise.registry.get(exercise)
    return cls is not None and cls.kind == "warning"


def _parse_row(clip: str, exercise_text: str, truth: str, confidence: str) -> ClipTruth:
    row = ClipTruth(
        clip, exercise_of(clip, exercise_text), confidence=confidence, description=exercise_text
    )
    reps = _REPS.findall(truth) or _ROLLS.findall(truth)
    if len(reps) == 1 and _is_avoided(row.exercise):
        row.reps = 0  # an avoid-list movement is warned, never counted
        row.notes.append(f"{reps[0]} movements of an avoid-list exercise: expected 0 counted")
    elif len(reps) == 1:
        row.reps = int(reps[0])
    elif "rep" in truth.lower() or "roll" in truth.lower():
        row.notes.append("reps not parsed: the manifest gives no single clear count")
    hold = _HOLD.search(truth)
    if hold:
        row.holds = [(float(hold.group(1)), float(hold.group(2)))]
    elif "hold" in truth.lower():
        row.notes.append("hold not parsed: no clear HOLD start-end in the manifest")
    if _NO_FAULTS.search(truth):
        row.faults = []
    else:
        row.notes.append("faults not established")
    return row


def save_truth(rows: Sequence[ClipTruth], path: Path, clips_dir: Path | None) -> None:
    data = {
        "truth_version": TRUTH_VERSION,
        "clips_dir": str(clips_dir) if clips_dir is not None else None,
        "clips": [asdict(r) for r in rows],
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def load_truth(path: Path) -> tuple[list[ClipTruth], Path | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TruthError(f"cannot read truth file {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("truth_version") != TRUTH_VERSION:
        raise TruthError(f"{path} is not a formcoach truth file (truth_version {TRUTH_VERSION})")
    rows = []
    for c in data["clips"]:
        holds = c.get("holds")
        rows.append(
            ClipTruth(
                clip=c["clip"],
                exercise=c["exercise"],
                reps=c.get("reps"),
                holds=None if holds is None else [(float(s), float(e)) for s, e in holds],
                faults=c.get("faults"),
                confidence=c.get("confidence", ""),
                description=c.get("description", ""),
                notes=list(c.get("notes", [])),
            )
        )
    clips_dir = data.get("clips_dir")
    return rows, (Path(clips_dir) if clips_dir else None)


# --- metrics ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    clip: str
    reps: int
    hold_s: float
    faults: list[dict[str, Any]]  # report.json's faults


@dataclass
class FaultScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else math.nan

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else math.nan


@dataclass
class ExerciseScore:
    exercise: str
    clips: int = 0
    rep_clips: int = 0
    rep_mae: float = math.nan
    off_by_one: float = math.nan
    hold_clips: int = 0
    hold_abs_error_s: float = math.nan
    fault_clips: int = 0  # clips whose faults are established (possibly none)
    faults: dict[str, FaultScore] = field(default_factory=dict)


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(a["start_s"] <= b["end_s"] and b["start_s"] <= a["end_s"])


def score_faults(
    truth: Sequence[dict[str, Any]],
    predicted: Sequence[dict[str, Any]],
    into: dict[str, FaultScore],
) -> None:
    """Match intervals of the same rule by overlap, one-to-one."""
    for rule in {f["rule"] for f in (*truth, *predicted)}:
        t = [f for f in truth if f["rule"] == rule]
        p = [f for f in predicted if f["rule"] == rule]
        score = into.setdefault(rule, FaultScore())
        unmatched = list(t)
        for f in p:
            match = next((g for g in unmatched if _overlaps(f, g)), None)
            if match is None:
                score.fp += 1
            else:
                unmatched.remove(match)
                score.tp += 1
        score.fn += len(unmatched)


def score(exercise: str, pairs: Iterable[tuple[ClipTruth, Prediction]]) -> ExerciseScore:
    out = ExerciseScore(exercise)
    rel, within, hold_err = [], [], []
    for truth, pred in pairs:
        out.clips += 1
        if truth.reps is not None and truth.reps > 0:
            rel.append(abs(pred.reps - truth.reps) / truth.reps)
            within.append(abs(pred.reps - truth.reps) <= 1)
        if truth.hold_s is not None:
            hold_err.append(abs(pred.hold_s - truth.hold_s))
        if truth.faults is not None:
            out.fault_clips += 1
            score_faults(truth.faults, pred.faults, out.faults)
    out.rep_clips, out.hold_clips = len(rel), len(hold_err)
    if rel:
        out.rep_mae = sum(rel) / len(rel)
        out.off_by_one = sum(within) / len(within)
    if hold_err:
        out.hold_abs_error_s = sum(hold_err) / len(hold_err)
    return out


def _f(x: float, fmt: str = ".2f") -> str:
    return "-" if math.isnan(x) else format(x, fmt)


def markdown(scores: Sequence[ExerciseScore], missing: Sequence[str]) -> str:
    lines = [
        "| exercise | clips | rep MAE | within +/-1 | hold abs error (s) "
        "| fault: precision / recall |",
        "|---|---|---|---|---|---|",
    ]
    for s in scores:
        faults = "; ".join(
            f"{rule}: {_f(fs.precision)} / {_f(fs.recall)} (tp {fs.tp}, fp {fs.fp}, fn {fs.fn})"
            for rule, fs in sorted(s.faults.items())
        )
        if not faults:
            faults = f"none true, none found (n={s.fault_clips})" if s.fault_clips else "-"
        lines.append(
            f"| {s.exercise} | {s.clips} | {_f(s.rep_mae)} (n={s.rep_clips}) "
            f"| {_f(s.off_by_one)} | {_f(s.hold_abs_error_s, '.1f')} (n={s.hold_clips}) "
            f"| {faults} |"
        )
    for name in missing:
        lines.append(f"| {name} | - | no analyzer yet | | | |")
    return "\n".join(lines)


# --- predictions --------------------------------------------------------------------------


def _prediction(clip: str, report: dict[str, Any]) -> Prediction:
    return Prediction(clip, report["reps"]["total"], report["hold_total_s"], report["faults"])


def predict(
    clip: str,
    exercise_name: str,
    *,
    track: Path | None = None,
    video: Path | None = None,
    model_path: str | None = None,
    sampling: str | None = None,
    config_path: str | None = None,
) -> Prediction:
    """Analyse one clip: replay its cached track, or run the model on the video."""
    report = analyse_clip(
        exercise_name,
        track=track,
        video=video,
        model_path=model_path,
        sampling=sampling,
        config_path=config_path,
    )
    return _prediction(clip, report)


def analyse_clip(
    exercise_name: str,
    *,
    track: Path | None = None,
    video: Path | None = None,
    model_path: str | None = None,
    sampling: str | None = None,
    config_path: str | None = None,
) -> dict[str, Any]:
    """One clip's report (report.json's fields), through the one assembler with the
    default options but for those given: its cached track replayed, or the model run on
    the video. Nothing is written."""
    from dataclasses import replace

    from formcoach.assembly import RunOptions, build
    from formcoach.pose.estimators import PoseEstimator, ReplayEstimator
    from formcoach.pose.tracks import Track, TrackSource
    from formcoach.sources.base import Source
    from formcoach.sources.open import open_source

    options = RunOptions(exercise_name, model_path=model_path or "", config_path=config_path)
    if sampling is not None:
        options = replace(options, sampling=sampling)
    source: Source
    estimator: PoseEstimator | None = None
    if track is not None:
        loaded = Track.load(track)
        source, estimator = TrackSource(loaded), ReplayEstimator(loaded)
    elif video is not None:
        source = open_source(video)
    else:
        raise ValueError("analyse_clip needs a track or a video")
    with source:
        assembly = build(options, source.info, estimator=estimator)
        assembly.run(source)
    assert assembly.report.report is not None
    return assembly.report.report.to_json()
