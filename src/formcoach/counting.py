"""Debounced state machines shared by every exercise: a rep counter and an interval timer.

Both take a value and a timestamp per frame, never read a clock, and emit events.
`None`/NaN input means "can't see" (no person, landmarks hidden): it never advances a
state; a gap longer than the configured limit abandons what was in progress.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from formcoach.types import Event, Side

# Threshold crossings are interpolated between samples at most this far apart: 10 fps with
# two frames dropped in a row (0.3 s). Across a longer gap nothing says when it happened,
# and the crossing is put at the first sample after it.
MAX_INTERPOLATION_GAP_S = 0.35
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


def crossing_s(
    previous: tuple[float, float] | None, value: float, t_s: float, level: float
) -> float:
    """When the signal crossed `level` on the straight line from the previous sample
    `(t_s, value)` to this one: threshold times that do not move with the frame rate.
    `t_s` without a previous sample, or when both lie on the same side of `level`."""
    if previous is None:
        return t_s
    t0_s, v0 = previous
    before, now = v0 - level, value - level
    if before * now > 0 or before == now:
        return t_s
    return t0_s + (t_s - t0_s) * before / (before - now)


@dataclass
class Stretch:
    """Time a sampled signal spends beyond a level, from crossing to crossing, each
    interpolated between the samples either side of it: a dwell then needs time, not a
    number of frames (at 10 fps one sample well past the level can cover 0.1 s).

    After `update`: `began_s` is when the current stretch began (or the one that ended on
    this sample; `ongoing` is then False) and `held_s` how long it has lasted (up to the
    crossing back, for one that just ended); None and 0 when the level is not passed.
    `first_s` and `total_s`: the first stretch's start and the time beyond the level
    summed over the stretches since `clear`."""

    level: float
    above: bool  # the condition is `value > level` (else `value < level`)
    began_s: float | None = None
    held_s: float = 0.0
    ongoing: bool = False
    first_s: float | None = None
    total_s: float = 0.0
    _done_s: float = 0.0  # summed over the stretches since `clear` that have ended

    def update(self, value: float, t_s: float, previous: tuple[float, float] | None) -> None:
        holds = value > self.level if self.above else value < self.level
        if holds:
            if not self.ongoing:
                self.began_s, self.ongoing = crossing_s(previous, value, t_s, self.level), True
                self.first_s = self.began_s if self.first_s is None else self.first_s
            assert self.began_s is not None
            self.held_s = t_s - self.began_s
            self.total_s = self._done_s + self.held_s
        elif self.ongoing and self.began_s is not None:
            self.held_s = crossing_s(previous, value, t_s, self.level) - self.began_s
            self.ongoing = False
            self._done_s += self.held_s
            self.total_s = self._done_s
        else:
            self.began_s, self.held_s = None, 0.0

    def clear(self) -> None:
        """Forget the stretches that have ended (the one in progress, if any, stays)."""
        self._done_s = 0.0
        self.first_s = self.began_s if self.ongoing else None
        self.total_s = self.held_s if self.ongoing else 0.0

    def reset(self) -> None:
        self.began_s, self.held_s, self.ongoing = None, 0.0, False
        self.clear()


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


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed stretch of time in which a condition held (a hold, a fault)."""

    start_s: float
    end_s: float
    side: str | None

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True, slots=True)
class IntervalConfig:
    """min_start_s: the condition must hold this long before an interval starts (back-dated).
    grace_s: a break in the condition or in visibility shorter than this does not end it.
    min_length_s: intervals shorter than this are dropped (a moment passing through).
    unseen_grace_s: a stretch that cannot be seen at all (None: a close-up, a camera cut)
        shorter than this is bridged when the condition holds again right after it; seen
        out of position (False) after `grace_s` still ends the interval at its last good
        frame. None: the same as `grace_s`.
    min_break_s: before an interval starts, a break in the condition shorter than this
        (a wobble, a frame or two misread) does not restart the wait for `min_start_s`:
        at 10 fps such a blip is one sample or none, so it must not decide when a hold
        begins (at most `grace_s`)."""

    min_start_s: float = 0.5
    grace_s: float = 1.0
    min_length_s: float = 1.0
    unseen_grace_s: float | None = None
    min_break_s: float = 0.25


@dataclass
class IntervalTimer:
    """Debounced on/off timer: holds of a form-gated position, or stretches of a fault.

    Emits `<kind>_start` and `<kind>_end` events; `labels` are added to every event."""

    config: IntervalConfig = field(default_factory=IntervalConfig)
    kind: str = "hold"
    labels: dict[str, str] = field(default_factory=dict)
    intervals: list[Interval] = field(default_factory=list)
    _candidate_s: float | None = None
    _start_s: float | None = None
    _last_ok_s: float | None = None
    _side: str | None = None

    def reset(self) -> None:
        self.intervals.clear()
        self._candidate_s = self._start_s = self._last_ok_s = None

    @property
    def active(self) -> bool:
        return self._start_s is not None

    def current_s(self) -> float:
        """Length of the interval in progress (0 when none)."""
        if self._start_s is None or self._last_ok_s is None:
            return 0.0
        return self._last_ok_s - self._start_s

    def total_s(self) -> float:
        return sum(i.duration_s for i in self.intervals) + self.current_s()

    def update(self, ok: bool | None, t_s: float, side: str | None = None) -> list[Event]:
        """ok: True the condition holds, False it does not, None can't see."""
        if ok:
            return self._on(t_s, side)
        if self._start_s is None:
            if ok is False and self._candidate_s is not None:
                assert self._last_ok_s is not None
                if t_s - self._last_ok_s >= min(self.config.min_break_s, self.config.grace_s):
                    self._candidate_s = None
            return []
        assert self._last_ok_s is not None
        limit = self.config.grace_s
        if ok is None and self.config.unseen_grace_s is not None:
            limit = max(limit, self.config.unseen_grace_s)
        if t_s - self._last_ok_s > limit:
            return self._end()
        return []

    def _on(self, t_s: float, side: str | None) -> list[Event]:
        if side != self._side:
            # A change of side ends what was running and starts afresh.
            ended = self._end() if self._start_s is not None else []
            self._candidate_s = None
            self._side = side
            return ended + self._on(t_s, side)
        self._last_ok_s = t_s
        if self._start_s is not None:
            return []
        if self._candidate_s is None:
            self._candidate_s = t_s
        if t_s - self._candidate_s < self.config.min_start_s:
            return []
        self._start_s = self._candidate_s
        return [
            Event(
                f"{self.kind}_start",
                t_s,
                {**self.labels, "start_s": round(self._start_s, 3), "side": side},
            )
        ]

    def finish(self) -> list[Event]:
        """Close the interval in progress (end of video or session)."""
        return self._end() if self._start_s is not None else []

    def _end(self) -> list[Event]:
        assert self._start_s is not None and self._last_ok_s is not None
        interval = Interval(self._start_s, self._last_ok_s, self._side)
        self._start_s = self._candidate_s = None
        data = {
            **self.labels,
            "start_s": round(interval.start_s, 3),
            "end_s": round(interval.end_s, 3),
            "duration_s": round(interval.duration_s, 3),
            "side": interval.side,
        }
        if interval.duration_s < self.config.min_length_s:
            return [Event(f"{self.kind}_ignored", interval.end_s, data)]
        self.intervals.append(interval)
        return [Event(f"{self.kind}_end", interval.end_s, data)]


@dataclass
class SideRepCounters:
    """One `RepCounter` per side, for sides that move on their own and overlap in time
    (alternate ankle pumps: one foot rises while the other is still coming down).

    Reads like a `RepCounter` (`count`, `partial`, `complete`, `events`); `update` takes a
    phase per side, and a side missing from it is unseen on that frame."""

    config: RepConfig
    by_side: dict[str, RepCounter] = field(default_factory=dict)

    @property
    def complete(self) -> int:
        return sum(c.complete for c in self.by_side.values())

    @property
    def partial(self) -> int:
        return sum(c.partial for c in self.by_side.values())

    @property
    def events(self) -> list[Event]:
        merged = [e for c in self.by_side.values() for e in c.events]
        return sorted(merged, key=lambda e: e.timestamp_s)

    def count(self, side: str | None) -> int:
        counter = self.by_side.get(side) if side is not None else None
        return counter.count(side) if counter is not None else 0

    def update(self, values: Mapping[Side, float], t_s: float) -> list[Event]:
        out: list[Event] = []
        for side in sorted(set(self.by_side) | set(values)):
            counter = self.by_side.setdefault(side, RepCounter(self.config))
            value = next((v for s, v in values.items() if s == side), math.nan)
            out += counter.update(value, t_s, side)
        return out

    def reset(self) -> None:
        self.by_side.clear()
