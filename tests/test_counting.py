"""Counters: a sequence of (value, time) in, the exact events out."""

from __future__ import annotations

import math

import pytest

from formcoach.counting import IntervalConfig, IntervalTimer, RepConfig, RepCounter

CFG = RepConfig(start=20.0, depth=60.0, end=15.0, min_dwell_s=0.1, max_gap_s=1.0, min_rep_s=0.4)
DT = 1 / 30


def feed(counter, values, t0=0.0, side=None):
    events = []
    for i, v in enumerate(values):
        events += counter.update(v, t0 + i * DT, side)
    return events


def ramp(lo, hi, seconds):
    n = round(seconds / DT)
    return [lo + (hi - lo) * i / (n - 1) for i in range(n)]


def rep(depth=80.0, seconds=1.0):
    return [0.0] * 3 + ramp(0, depth, seconds / 2) + ramp(depth, 0, seconds / 2) + [0.0] * 10


def kinds(events):
    return [e.kind for e in events]


def test_one_full_rep():
    c = RepCounter(CFG)
    events = feed(c, rep())
    assert kinds(events) == ["rep"]
    assert c.complete == 1 and c.partial == 0
    e = events[0]
    assert e.data["peak"] == pytest.approx(80.0)
    assert e.data["start_s"] < e.data["peak_s"] < e.data["end_s"]


def test_shallow_rep_is_partial():
    c = RepCounter(CFG)
    assert kinds(feed(c, rep(depth=40.0))) == ["rep_partial"]
    assert (c.complete, c.partial) == (0, 1)


def test_jitter_around_a_threshold_never_double_counts():
    c = RepCounter(CFG)
    # Down past depth and hover there with +/-3 jitter, then hover across the start and
    # end thresholds with +/-6 jitter (single frames below `end` do not dwell).
    values = [0.0] * 5 + ramp(0, 64, 0.5)
    values += [64 + (3 if i % 2 else -3) for i in range(30)]
    values += [20 + (6 if i % 2 else -6) for i in range(30)]
    values += ramp(20, 0, 0.3) + [0.0] * 10
    assert kinds(feed(c, values)) == ["rep"]


def test_a_single_frame_spike_is_not_a_rep():
    c = RepCounter(CFG)
    assert feed(c, [0.0] * 10 + [90.0] + [0.0] * 10) == []
    assert c.complete == 0


def test_a_rep_needs_a_rest_first():
    c = RepCounter(CFG)
    # First seen at the bottom (walked into view mid-rep): that rep is not counted.
    events = feed(c, ramp(80, 0, 0.5) + [0.0] * 10 + rep())
    assert kinds(events) == ["rep"]
    assert c.complete == 1


def test_short_dropout_keeps_the_rep_long_dropout_abandons_it():
    c = RepCounter(CFG)
    down = [0.0] * 5 + ramp(0, 80, 0.5)
    up = ramp(80, 0, 0.5) + [0.0] * 10
    assert kinds(feed(c, down + [math.nan] * 10 + up)) == ["rep"]
    c2 = RepCounter(CFG)
    events = feed(c2, down + [None] * 45 + up)
    assert kinds(events) == ["rep_abandoned"]
    assert c2.complete == 0


def test_reps_are_counted_per_side_at_the_peak():
    c = RepCounter(CFG)
    feed(c, rep(), side="left")
    feed(c, rep(), t0=2.0, side="right")
    feed(c, rep(), t0=4.0, side="left")
    assert (c.count("left"), c.count("right"), c.complete) == (2, 1, 3)


def test_ten_reps_in_a_row():
    c = RepCounter(CFG)
    values = []
    for _ in range(10):
        values += rep(seconds=1.2)
    assert kinds(feed(c, values)) == ["rep"] * 10


def test_config_rejects_inverted_thresholds():
    with pytest.raises(ValueError, match="end <= start < depth"):
        RepConfig(start=50.0, depth=40.0, end=10.0)


HOLD = IntervalConfig(min_start_s=0.5, grace_s=1.0, min_length_s=1.0)


def run_timer(pattern, cfg=HOLD):
    """pattern: (seconds, ok) pieces at 30 fps."""
    timer = IntervalTimer(cfg)
    t, events = 0.0, []
    for seconds, ok in pattern:
        for _ in range(round(seconds / DT)):
            events += timer.update(ok, t)
            t += DT
    events += timer.finish()
    return timer, events


def test_hold_start_is_back_dated_and_end_is_the_last_good_frame():
    timer, events = run_timer([(1.0, False), (5.0, True), (2.0, False)])
    assert kinds(events) == ["hold_start", "hold_end"]
    (hold,) = timer.intervals
    assert hold.start_s == pytest.approx(1.0, abs=DT)
    assert hold.duration_s == pytest.approx(5.0 - DT, abs=DT)


def test_break_shorter_than_grace_is_bridged():
    timer, _ = run_timer([(3.0, True), (0.8, False), (3.0, True)])
    assert len(timer.intervals) == 1
    assert timer.intervals[0].duration_s == pytest.approx(6.8, abs=0.05)


def test_break_longer_than_grace_splits_the_hold():
    timer, _ = run_timer([(3.0, True), (1.5, False), (3.0, True)])
    assert [round(i.duration_s, 1) for i in timer.intervals] == [3.0, 3.0]


def test_cannot_see_is_bridged_like_a_break():
    timer, _ = run_timer([(3.0, True), (0.5, None), (3.0, True)])
    assert len(timer.intervals) == 1


def test_blip_shorter_than_min_start_never_starts():
    timer, events = run_timer([(0.3, True), (1.0, False)] * 5)
    assert timer.intervals == [] and events == []


def test_hold_shorter_than_min_length_is_ignored():
    timer, events = run_timer([(0.8, True), (2.0, False)])
    assert timer.intervals == []
    assert kinds(events) == ["hold_start", "hold_ignored"]


def test_change_of_side_ends_one_hold_and_starts_the_next():
    timer = IntervalTimer(HOLD)
    t = 0.0
    for side in ("left", "right"):
        for _ in range(90):
            timer.update(True, t, side)
            t += DT
    timer.finish()
    assert [(i.side, round(i.duration_s)) for i in timer.intervals] == [("left", 3), ("right", 3)]


def test_a_longer_end_dwell_bridges_a_brief_dip_to_rest():
    cfg = RepConfig(start=20.0, depth=60.0, end=15.0, end_dwell_s=0.5)
    dip = [80.0] * 10 + [0.0] * 9 + [80.0] * 10  # 0.3 s at rest mid-rep
    values = [0.0] * 5 + ramp(0, 80, 0.5) + dip + ramp(80, 0, 0.5) + [0.0] * 20
    assert kinds(feed(RepCounter(cfg), values)) == ["rep"]
    assert kinds(feed(RepCounter(CFG), values)) == ["rep", "rep"]  # default dwell: two
