"""Evaluation against ground truth: a clip's prediction and the metrics against the truth file.

The truth file (`truth_file.py`) lists clips with what is known about each. Metrics per
exercise:
- rep MAE: mean of |predicted - true| / true over clips with a known count above 0;
- off-by-one accuracy: share of those clips with |predicted - true| <= 1;
- hold error: mean |predicted - true| total hold seconds over clips with known holds;
- per fault rule: precision and recall of fault intervals, an interval matching a true
  one of the same rule when they overlap (clips with faults = null are left out).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formcoach.offline.truth_file import ClipTruth


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
