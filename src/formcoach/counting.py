"""The debounced rep counter shared by every exercise: complete and partial reps from a
phase signal, with two thresholds, hysteresis and a minimum dwell.

It takes a value and a timestamp per frame, never reads a clock, and emits events.
`None`/NaN input means "can't see" (no person, landmarks hidden): it never advances a
state; a gap longer than the configured limit abandons what was in progress. Beside it:
`crossings.py` (threshold times between samples), `side_counters.py` (a counter per
side) and `interval_timer.py` (holds and fault stretches).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

from formcoach.crossings import MAX_INTERPOLATION_GAP_S, Stretch
from formcoach.types import Event

# A rep's movement begins at the last sample within this share of the way from rest to
# the start threshold (RepCounter._track_onset).
ONSET_SHARE = 0.2


class RepPhase(Enum):
    REST = "rest"
    MOVING = "moving"
    DEPTH = "depth"


@dataclass(frozen=True, slots=True)
class RepConfig:
    """Thresholds on a phase signal oriented so that larger = further into the rep.

    Times are measured between threshold crossings interpolated between samples, never
    in frames, so they come out the same at 10 or 60 fps.

    start: leaving rest; a rep begins once the signal has spent `min_dwell_s` above it
        (added up until it is back at rest: a start that wavers still counts once).
    depth: the rep is complete (not partial) once the signal has spent `min_dwell_s` above
        it during the rep (added up likewise: a bottom that wavers around depth).
    end: back at rest once the signal stays below it for `min_dwell_s`; `end < start` gives
        hysteresis so jitter around one threshold never counts twice.
    min_rest_s: a rep must start from a rest seen (not when the person walks into view
        mid-rep): the signal under `end` for this long on the line between samples. 0.05 s:
        a first sample that grazes `end` (within MediaPipe's few degrees of jitter) on the
        way into a rep is under it for milliseconds, a sample clearly under it covers more
        even at 10 fps, and standing between reps lasts a second or more.
    min_dwell_s: 0.15 s is longer than MediaPipe's glitches of one or two frames at 24-30
        fps and than one frame interval at 10 fps, and well short of the time a rep in
        the real demos spends past depth (0.4 s or more in most, 0.22 s the least).
    max_gap_s: a rep in progress is abandoned when the person is unseen for longer.
    min_rep_s: a "rep" faster than this (from crossing `start` to crossing `end`) is
        noise, not movement.
    end_dwell_s: how long the signal must stay below `end` to be back at rest, when that
        differs from `min_dwell_s` (None: the same); a longer one bridges brief glitches.
    max_peak: a rep whose peak went beyond this is not counted but ignored with the reason
        "beyond range" (a partial crunch that became a full sit-up); None: no limit.
    partial_needs_side: a partial rep during which no working side was ever told is not
        counted but ignored with the reason "no working side" (a lunge's knee bent short of
        depth with neither leg in front: a step, a bob). A rep that reached depth counts,
        side or not.
    """

    start: float
    depth: float
    end: float
    min_dwell_s: float = 0.15
    min_rest_s: float = 0.05
    max_gap_s: float = 1.0
    min_rep_s: float = 0.4
    end_dwell_s: float | None = None
    max_peak: float | None = None
    partial_needs_side: bool = False

    def __post_init__(self) -> None:
        if not self.end <= self.start < self.depth:
            raise ValueError(
                f"RepConfig needs end <= start < depth, got end={self.end}, "
                f"start={self.start}, depth={self.depth}"
            )


@dataclass
class RepCounter:
    """Counts complete and partial reps from a phase signal with dwell-time debouncing.

    Every time it uses (a rep's start and end, how long a threshold was passed) is
    interpolated between samples, so the same movement gives the same reps at 10 or 30
    fps, with frames dropped or unevenly spaced. Out of rest, the time beyond `start`
    (to begin a rep) and beyond `depth` (to complete it) adds up until the signal is back
    at rest: a signal that wavers around a threshold passes it as long at any frame rate
    (a wavering excursion breaks into a different number of stretches at each rate)."""

    config: RepConfig
    complete_by_side: dict[str | None, int] = field(default_factory=dict)
    partial: int = 0
    phase: RepPhase = RepPhase.REST
    events: list[Event] = field(default_factory=list)
    _rep_start_s: float = 0.0
    # Where the movement itself began, before the start threshold: the last sample at
    # rest, within ONSET_SHARE of the way from the lowest value at rest to `start`. A
    # rep's duration for a person is from there to its return (`end`), not between the
    # two thresholds (lunge_01: 1.04-1.16 s from the start of the descent, 0.85-0.93 s
    # between the thresholds).
    _rest_low: float = math.inf
    _onset_s: float | None = None
    _motion_start_s: float = 0.0
    _peak: float = -math.inf
    _peak_s: float = 0.0
    # A phase that saturates (clipped at 1) is flat at its top: the peak is then the
    # middle of that plateau, not its first sample (which moves with the frame rate).
    _peak_end_s: float = 0.0
    _peak_side: str | None = None
    # Seconds each side was seen working since the signal left rest: the rep's side is
    # the one seen longest, not one frame's reading (the peak's frame differs by rate).
    _side_time_s: dict[str, float] = field(default_factory=dict)
    _last: tuple[float, float] | None = None  # the last sample seen: (t_s, value)
    # A rep must start from an observed rest: not when the person is first seen mid-rep
    # (walked into view), nor right after a rep was abandoned.
    _seen_rest: bool = False
    _above_start: Stretch = field(init=False)
    _above_depth: Stretch = field(init=False)
    _below_end: Stretch = field(init=False)

    def __post_init__(self) -> None:
        self._above_start = Stretch(self.config.start, above=True)
        self._above_depth = Stretch(self.config.depth, above=True)
        self._below_end = Stretch(self.config.end, above=False)

    @property
    def complete(self) -> int:
        return sum(self.complete_by_side.values())

    def count(self, side: str | None) -> int:
        return self.complete_by_side.get(side, 0)

    def reset(self) -> None:
        self.complete_by_side.clear()
        self.partial = 0
        self._abandon()
        self._last = None
        self._seen_rest = False
        self.events.clear()

    def _abandon(self) -> None:
        self.phase = RepPhase.REST
        self._rest_low, self._onset_s = math.inf, None
        self._peak, self._side_time_s = -math.inf, {}
        for stretch in (self._above_start, self._above_depth, self._below_end):
            stretch.reset()

    def update(self, value: float | None, t_s: float, side: str | None = None) -> list[Event]:
        """Feed one sample; `side` is the body side working now.

        Returns the events it caused (also appended to `events`)."""
        out: list[Event] = []
        gap_s = math.inf if self._last is None else t_s - self._last[0]
        if value is None or math.isnan(value):
            if self.phase is not RepPhase.REST and gap_s > self.config.max_gap_s:
                out.append(Event("rep_abandoned", t_s, {"side": self._rep_side()}))
                self._abandon()
                self._seen_rest = False
        else:
            # A crossing is placed on the line from the last sample only across a short gap.
            previous = self._last if gap_s <= MAX_INTERPOLATION_GAP_S else None
            for stretch in (self._above_start, self._above_depth, self._below_end):
                stretch.update(value, t_s, previous)
            if value < self.config.end:  # at rest: what was passed before it is forgotten
                self._above_start.clear()
                self._above_depth.clear()
            self._track(value, t_s, side, min(gap_s, MAX_INTERPOLATION_GAP_S))
            if self.phase is RepPhase.REST:
                self._track_onset(value, t_s)
            out.extend(self._step(value, t_s))
            self._last = (t_s, value)
        self.events.extend(out)
        return out

    def _track(self, value: float, t_s: float, side: str | None, dt_s: float) -> None:
        """The peak and the sides' time since the signal left rest toward a rep."""
        if self.phase is RepPhase.REST and self._above_start.first_s is None:
            self._peak, self._side_time_s = -math.inf, {}
            return
        if value > self._peak:
            self._peak, self._peak_s, self._peak_side = value, t_s, side
            self._peak_end_s = t_s
        elif value == self._peak:
            self._peak_end_s = t_s
        if side is not None:
            self._side_time_s[side] = self._side_time_s.get(side, 0.0) + dt_s

    def _track_onset(self, value: float, t_s: float) -> None:
        self._rest_low = min(self._rest_low, value)
        if value <= self._rest_low + ONSET_SHARE * (self.config.start - self._rest_low):
            self._onset_s = t_s

    def _step(self, value: float, t_s: float) -> list[Event]:
        cfg = self.config
        if self.phase is RepPhase.REST:
            if not self._seen_rest:
                self._seen_rest = self._below_end.held_s >= cfg.min_rest_s
                self._above_start.reset()
                return []
            start = self._above_start
            if start.first_s is None or start.total_s < cfg.min_dwell_s:
                return []
            self.phase, self._rep_start_s = RepPhase.MOVING, start.first_s
            onset = self._onset_s
            self._motion_start_s = start.first_s if onset is None else min(onset, start.first_s)
        if self.phase is RepPhase.MOVING and self._above_depth.total_s >= cfg.min_dwell_s:
            self.phase = RepPhase.DEPTH
        end = self._below_end
        end_dwell_s = cfg.min_dwell_s if cfg.end_dwell_s is None else cfg.end_dwell_s
        # (A stretch at rest that began before this rep is the last rep's end.)
        began_s = end.began_s
        if began_s is not None and began_s >= self._rep_start_s and end.held_s >= end_dwell_s:
            return [self._finish(began_s, t_s)]
        return []

    def _rep_side(self) -> str | None:
        if not self._side_time_s:
            return self._peak_side
        return max(self._side_time_s, key=lambda s: self._side_time_s[s])

    def _finish(self, end_s: float, t_s: float) -> Event:
        full = self.phase is RepPhase.DEPTH
        start_s, side, peak = self._rep_start_s, self._rep_side(), self._peak
        data = {
            "side": side,
            "start_s": round(start_s, 3),
            "end_s": round(end_s, 3),
            "peak_s": round((self._peak_s + self._peak_end_s) / 2, 3),
            "peak": round(self._peak, 2),
            "motion_start_s": round(self._motion_start_s, 3),
        }
        self.phase = RepPhase.REST
        self._rest_low, self._onset_s = math.inf, None
        self._peak, self._side_time_s = -math.inf, {}
        self._above_start.clear()
        self._above_depth.clear()
        if end_s - start_s < self.config.min_rep_s:
            return Event("rep_ignored", t_s, {**data, "reason": "too short"})
        if self.config.max_peak is not None and peak > self.config.max_peak:
            return Event("rep_ignored", t_s, {**data, "reason": "beyond range"})
        if not full and self.config.partial_needs_side and side is None:
            return Event("rep_ignored", t_s, {**data, "reason": "no working side"})
        if full:
            self.complete_by_side[side] = self.count(side) + 1
            return Event("rep", t_s, {**data, "count": self.count(side)})
        self.partial += 1
        return Event("rep_partial", t_s, {**data, "count": self.partial})
