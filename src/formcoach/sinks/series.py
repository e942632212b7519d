"""A sink that keeps what the offline reports need beyond report.json: per-frame signals
and a thumbnail of the worst moment of each fault.

Signals come from `Verdict.signals`; the target bands from the exercise's declarative
`Range` rules, so this works for every exercise without knowing any of them. "Worst" is
how far a failing rule's value lies outside its range. Thumbnails are kept per stretch of
consecutive failing frames (a bounded number per rule); when the run ends, each reported
fault interval gets the worst stretch inside it.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
import numpy.typing as npt

from formcoach.exercises.base import Exercise
from formcoach.exercises.rules import Range
from formcoach.exercises.summary import Summary
from formcoach.render.overlay import render
from formcoach.types import Event, FrameResult, RunStats

log = logging.getLogger(__name__)

THUMB_WIDTH_PX = 360
MAX_CANDIDATES_PER_RULE = 24
MIN_IMAGE_PX = 32  # replayed tracks carry 2x2 blank frames: nothing worth showing


@dataclass(frozen=True, slots=True)
class Band:
    """The target range of one signal, from a `Range` rule."""

    signal: str
    rule: str
    low: float | None
    high: float | None
    fault_rules: tuple[str, ...]


def bands(exercise: Exercise) -> list[Band]:
    """Target bands of an exercise's declarative rules, one per rule."""
    out = []
    for r in exercise.rules():
        if not isinstance(r, Range):
            continue
        names = tuple(dict.fromkeys((r.rule, r.below_rule or r.rule, r.above_rule or r.rule)))
        out.append(Band(r.signal, r.rule, r.low, r.high, names))
    return out


def severity(band: Band, value: float) -> float:
    """How far `value` lies outside the band (0 inside it)."""
    below = band.low - value if band.low is not None else -math.inf
    above = value - band.high if band.high is not None else -math.inf
    return max(0.0, below, above)


@dataclass
class Thumbnail:
    rule: str
    t_s: float
    severity: float
    value: float | None
    jpeg: bytes


@dataclass
class _Run:
    """Consecutive failing frames of one rule; keeps its worst moment."""

    best: Thumbnail | None = None
    last_index: int = -2


@dataclass
class Series:
    """What the sink collected: time, signals (NaN when not measured), in-position flags."""

    t_s: list[float] = field(default_factory=list)
    signals: dict[str, list[float]] = field(default_factory=dict)
    in_position: list[bool] = field(default_factory=list)
    pose_found: list[bool] = field(default_factory=list)

    def append(self, t_s: float, signals: dict[str, float], in_position: bool, found: bool) -> None:
        n = len(self.t_s)
        self.t_s.append(t_s)
        for name, value in signals.items():
            column = self.signals.get(name)
            if column is None:
                column = self.signals[name] = [math.nan] * n
            column.append(value)
        for column in self.signals.values():
            if len(column) == n:
                column.append(math.nan)
        self.in_position.append(in_position)
        self.pose_found.append(found)

    def array(self, name: str) -> npt.NDArray[np.float64]:
        return np.asarray(self.signals.get(name, [math.nan] * len(self.t_s)), dtype=np.float64)


class SeriesSink:
    """Collects per-frame signals and worst-moment thumbnails for the HTML report."""

    def __init__(self, exercise: Exercise, thumbnails: bool = True) -> None:
        self.exercise = exercise
        self.bands = bands(exercise)
        self._band_of = {name: b for b in self.bands for name in b.fault_rules}
        self.series = Series()
        self.thumbnails_enabled = thumbnails
        self._runs: dict[str, list[_Run]] = {}
        self.thumbnails: list[Thumbnail] = []  # one per reported fault, after close
        self.summary: Summary | None = None
        self.stats: RunStats | None = None
        self.events: list[Event] = []

    def write(self, result: FrameResult) -> None:
        v = result.verdict
        self.series.append(
            result.frame.timestamp_s, v.signals, v.in_position, result.pose is not None
        )
        if not self.thumbnails_enabled or min(result.frame.size_px) < MIN_IMAGE_PX:
            return
        for check in v.checks:
            if check.ok is False:
                self._consider(check.rule, check.value, result)

    def _consider(self, rule: str, value: float | None, result: FrameResult) -> None:
        band = self._band_of.get(rule)
        score = severity(band, value) if band is not None and value is not None else 0.0
        runs = self._runs.setdefault(rule, [])
        index = result.frame.index
        if not runs or runs[-1].last_index < index - 1:
            runs.append(_Run())
            if len(runs) > MAX_CANDIDATES_PER_RULE:  # drop the mildest finished stretch
                mildest = min(runs[:-1], key=lambda r: r.best.severity if r.best else -1.0)
                runs.remove(mildest)
        run = runs[-1]
        run.last_index = index
        # A small margin: a slowly worsening stretch does not re-render every frame.
        if run.best is None or score > run.best.severity * 1.05 + 1e-9:
            run.best = Thumbnail(
                rule, result.frame.timestamp_s, score, value, _thumb(result, self.exercise)
            )

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        self.summary, self.stats, self.events = summary, stats, list(events)
        for fault in summary.faults:
            inside = [
                r.best
                for r in self._runs.get(fault.rule, [])
                if r.best is not None
                and fault.interval.start_s - 0.5 <= r.best.t_s <= fault.interval.end_s + 0.5
            ]
            if inside:
                self.thumbnails.append(max(inside, key=lambda t: t.severity))
        self._runs.clear()


def _thumb(result: FrameResult, exercise: Exercise) -> bytes:
    image = render(result, exercise.title, exercise.kind)
    h, w = image.shape[:2]
    if w > THUMB_WIDTH_PX:
        image = cv2.resize(  # type: ignore[assignment]
            image, (THUMB_WIDTH_PX, round(h * THUMB_WIDTH_PX / w)), interpolation=cv2.INTER_AREA
        )
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
    if not ok:
        log.warning("could not encode a thumbnail at %.2f s", result.frame.timestamp_s)
        return b""
    return bytes(buf)
