"""Counters: a sequence of (value, time) in, the exact events out."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from formcoach.counting import RepConfig, RepCounter
from formcoach.crossings import Stretch, crossing_s
from formcoach.interval_timer import IntervalConfig, IntervalTimer

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


def test_a_partial_rep_that_needs_a_side_is_ignored_without_one():
    c = RepCounter(dataclasses.replace(CFG, partial_needs_side=True))
    ignored = feed(c, rep(depth=40.0))  # a step's bent knee with neither leg in front
    assert kinds(ignored) == ["rep_ignored"] and ignored[0].data["reason"] == "no working side"
    assert kinds(feed(c, rep(depth=40.0), t0=5.0, side="left")) == ["rep_partial"]
    assert kinds(feed(c, rep(), t0=10.0)) == ["rep"]  # depth reached: counted, side or not
    assert (c.count(None), c.partial) == (1, 1)


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


# --- frame rate: the same movement gives the same events at any rate ------------------------

RATES = (10.0, 15.0, 20.0, 24.0, 30.0, 60.0)


def sample(signal, seconds, fps, phase=0.0):
    """(value, t) of `signal(t)` sampled at `fps`, the first sample `phase` frames in."""
    n = int(seconds * fps)
    return [(signal(t), t) for t in ((i + phase) / fps for i in range(n))]


def run_samples(counter, samples, side=None):
    events = []
    for v, t in samples:
        events += counter.update(v, t, side(t) if callable(side) else side)
    return events


def bump(peak, t0=0.5, length_s=1.6):
    """A rep as a raised cosine from 0 up to `peak` and back, starting at `t0`."""

    def signal(t):
        u = (t - t0) / length_s
        return peak * (1 - math.cos(2 * math.pi * u)) / 2 if 0 <= u <= 1 else 0.0

    return signal


def bump_crossings(peak, level, t0=0.5, length_s=1.6):
    u = math.acos(1 - 2 * level / peak) / (2 * math.pi)
    return t0 + u * length_s, t0 + (1 - u) * length_s


@pytest.mark.parametrize("fps", RATES)
@pytest.mark.parametrize("phase", [0.0, 0.5])
def test_the_same_rep_at_any_frame_rate_has_the_same_start_and_end(fps, phase):
    events = run_samples(RepCounter(CFG), sample(bump(80.0), 3.0, fps, phase))
    assert kinds(events) == ["rep"]
    start_s, _ = bump_crossings(80.0, CFG.start)
    _, end_s = bump_crossings(80.0, CFG.end)
    # Interpolated crossings: within 0.05 s at 10 fps (sample times alone: up to 0.1 s).
    assert events[0].data["start_s"] == pytest.approx(start_s, abs=0.05)
    assert events[0].data["end_s"] == pytest.approx(end_s, abs=0.05)


def test_a_rep_just_longer_than_min_rep_s_counts_at_10_fps_too():
    # A fast rep whose time past `start` is 0.45 s against min_rep_s 0.4: the sample times
    # at 10 fps could measure 0.3-0.5 s; the interpolated crossings measure ~0.45 s.
    length_s = 0.45 / (1 - 2 * math.acos(1 - 2 * CFG.start / 80.0) / (2 * math.pi))
    for fps in RATES:
        for phase in (0.0, 0.3, 0.7):
            samples = sample(bump(80.0, length_s=length_s), 2.0, fps, phase)
            assert kinds(run_samples(RepCounter(CFG), samples)) == ["rep"], (fps, phase)


def test_dropped_frames_and_uneven_timestamps_change_nothing():
    rng = np.random.default_rng(7)
    signal = bump(80.0)
    full = sample(signal, 3.0, 30.0)
    dropped = [s for s in full if rng.random() >= 0.2]
    jittered = [(signal(t), t + rng.uniform(-0.25, 0.25) / 30) for _, t in full]
    want = run_samples(RepCounter(CFG), full)[0].data
    for samples in (dropped, jittered):
        got = run_samples(RepCounter(CFG), samples)[0].data
        assert got["start_s"] == pytest.approx(want["start_s"], abs=0.02)
        assert got["end_s"] == pytest.approx(want["end_s"], abs=0.02)


@pytest.mark.parametrize(("beyond_s", "kind"), [(0.3, "rep"), (0.08, "rep_partial")])
def test_time_beyond_depth_decides_complete_or_partial_at_any_rate(beyond_s, kind):
    # Choose the peak so the signal stays past `depth` for `beyond_s`.
    u = (1 - beyond_s / 1.6) / 2
    peak = 2 * CFG.depth / (1 - math.cos(2 * math.pi * u))
    for fps in RATES:
        for phase in (0.0, 0.5):
            events = run_samples(RepCounter(CFG), sample(bump(peak), 3.0, fps, phase))
            assert kinds(events) == [kind], (fps, phase)


def test_a_bottom_wavering_around_depth_adds_up_its_time_beyond_it():
    # Down past depth, back up, down past it again: 0.08 s past depth each time, under the
    # 0.1 s dwell alone but not together. A wavering bottom splits into a different number
    # of stretches at each frame rate; added up, the time past depth is the same.
    cfg = RepConfig(start=20.0, depth=60.0, end=15.0, min_dwell_s=0.1, min_rep_s=0.4)
    knots = [(0.0, 0.0), (0.5, 0.0), (1.0, 60.0), (1.04, 70.0), (1.08, 60.0), (1.3, 50.0),
             (1.52, 60.0), (1.56, 70.0), (1.6, 60.0), (2.1, 0.0), (3.0, 0.0)]  # fmt: skip
    signal = lambda t: float(np.interp(t, *zip(*knots, strict=True)))  # noqa: E731
    for fps in (24.0, 30.0, 60.0, 120.0):
        for phase in (0.0, 0.5):
            events = run_samples(RepCounter(cfg), sample(signal, 3.0, fps, phase))
            assert kinds(events) == ["rep"], (fps, phase)
    single = [k if k[0] < 1.2 else (k[0], min(k[1], 50.0)) for k in knots]
    signal = lambda t: float(np.interp(t, *zip(*single, strict=True)))  # noqa: E731
    assert kinds(run_samples(RepCounter(cfg), sample(signal, 3.0, 30.0))) == ["rep_partial"]


def test_one_sample_under_end_is_not_a_rest_seen():
    # First seen just under `end`, already on the way down into a rep: not counted.
    walked_in = [14.0] + ramp(30, 80, 0.4) + ramp(80, 0, 0.5) + [0.0] * 10
    assert kinds(feed(RepCounter(CFG), walked_in)) == []
    rested = [14.0] * 6 + ramp(30, 80, 0.4) + ramp(80, 0, 0.5) + [0.0] * 10
    assert kinds(feed(RepCounter(CFG), rested)) == ["rep"]


def test_the_rep_side_is_the_side_seen_longest_not_the_peak_frame():
    signal = bump(80.0)
    peak_s = 0.5 + 0.8
    side = lambda t: "right" if abs(t - peak_s) < 0.02 else "left"  # noqa: E731
    events = run_samples(RepCounter(CFG), sample(signal, 3.0, 30.0), side=side)
    assert [e.data["side"] for e in events] == ["left"]


def test_crossings_are_interpolated_between_samples():
    assert crossing_s((1.0, 10.0), 30.0, 1.1, 20.0) == pytest.approx(1.05)
    assert crossing_s((1.0, 30.0), 10.0, 1.1, 25.0) == pytest.approx(1.025)
    assert crossing_s(None, 30.0, 1.1, 20.0) == 1.1  # nothing before: the sample's time
    assert crossing_s((1.0, 25.0), 30.0, 1.1, 20.0) == 1.1  # both past it: no crossing


def test_a_stretch_adds_up_its_time_beyond_the_level_until_cleared():
    stretch = Stretch(20.0, above=True)
    previous = None
    for t, v in [(0.0, 10.0), (0.1, 30.0), (0.2, 10.0), (0.3, 30.0), (0.4, 30.0)]:
        stretch.update(v, t, previous)
        previous = (t, v)
    assert stretch.first_s == pytest.approx(0.05)
    assert stretch.began_s == pytest.approx(0.25) and stretch.ongoing
    assert stretch.total_s == pytest.approx(0.1 + 0.15)
    stretch.clear()  # the stretch in progress stays
    assert stretch.first_s == pytest.approx(0.25) and stretch.total_s == pytest.approx(0.15)


@pytest.mark.parametrize("fps", [10.0, 30.0])
def test_a_blip_on_the_way_into_a_hold_does_not_restart_its_wait(fps):
    def hold_start(pattern):
        timer, t = IntervalTimer(HOLD), 0.0
        for seconds, ok in pattern:
            for _ in range(round(seconds * fps)):
                timer.update(ok, t)
                t += 1 / fps
        timer.finish()
        return [round(i.start_s, 1) for i in timer.intervals]

    # 0.1 s of bad form 0.3 s in (a frame misread, or one sample at 10 fps): bridged.
    assert hold_start([(1.0, False), (0.3, True), (0.1, False), (3.0, True)]) == [1.0]
    # 0.5 s of it: the wait starts again after it.
    assert hold_start([(1.0, False), (0.3, True), (0.5, False), (3.0, True)]) == [1.8]


def test_one_sample_clearly_at_rest_is_a_rest_seen_even_at_10_fps():
    counter = RepCounter(CFG)
    values = [0.0, 18.0, 36.0, 54.0, 72.0, 72.0, 72.0, 48.0, 24.0, 0.0, 0.0, 0.0]
    events = []
    for i, v in enumerate(values):  # 10 fps: the person appears at rest, then lunges
        events += counter.update(v, i / 10)
    assert kinds(events) == ["rep"]


def test_a_long_gap_of_unseen_frames_abandons_the_rep_a_gap_of_dropped_frames_does_not():
    down = [(0.0, 0.0), (0.0, 0.1), (0.0, 0.2), (80.0, 0.5), (80.0, 0.6)]  # (value, t_s)
    up = [(40.0, 2.1), (0.0, 2.2), (0.0, 2.3), (0.0, 2.4)]
    unseen = [(None, 0.6 + 0.1 * i) for i in range(1, 15)]  # nobody found for 1.4 s
    assert kinds(run_samples(RepCounter(CFG), down + unseen + up)) == ["rep_abandoned"]
    # The same gap without frames at all (a source that skipped them): nothing says the
    # person left, and the rep goes on.
    assert kinds(run_samples(RepCounter(CFG), down + up)) == ["rep"]


@pytest.mark.parametrize("fps", [10.0, 24.0, 30.0, 60.0])
def test_a_flat_top_peaks_at_its_middle_at_any_rate(fps):
    # A phase clipped at its maximum (ankle pumps: 1.0) is flat at the top from 1.0 to
    # 2.0 s; the peak is that plateau's middle, not its first sample.
    c = RepCounter(CFG)
    t = np.arange(0.0, 3.5, 1.0 / fps)
    values = np.clip(np.interp(t, [0.0, 0.5, 1.0, 2.0, 2.5, 3.5], [0, 0, 80, 80, 0, 0]), 0, 80)
    events = [e for i, v in enumerate(values) for e in c.update(float(v), float(t[i]))]
    (done,) = [e for e in events if e.kind == "rep"]
    assert done.data["peak_s"] == pytest.approx(1.5, abs=0.5 / fps + 0.01)


def test_a_reps_movement_starts_where_it_leaves_rest_not_at_the_threshold():
    # Rest at 0 until 1.0 s, down to 90 at 2.0 s, back to 0 at 3.0 s (100 Hz). The start
    # threshold (20) is crossed at 1.22 s; the movement began at 1.0 s: the last sample
    # within ONSET_SHARE of the way from rest to the threshold is 1.04 s (value 3.6).
    from formcoach.counting import ONSET_SHARE

    counter = RepCounter(CFG)
    events = []
    for i in range(400):
        t = i / 100
        value = max(0.0, 90.0 - 90.0 * abs(t - 2.0)) if 1.0 <= t <= 3.0 else 0.0
        events += counter.update(value, t)
    (rep,) = [e for e in events if e.kind == "rep"]
    onset_limit = 1.0 + ONSET_SHARE * CFG.start / 90.0  # the signal's value there is 4
    assert 1.0 <= rep.data["motion_start_s"] <= onset_limit
    assert rep.data["start_s"] == pytest.approx(1.0 + 20.0 / 90.0, abs=0.01)


def test_a_real_lunges_reps_last_from_descent_to_return():
    # lunge_01 (MANIFEST): 8 complete lunges, bottoms about 2 s apart. Each rep's movement
    # starts before its threshold crossing and ends before the next bottom.
    from tests.replay import replay

    reps = [e.data for e in replay("lunge", "lunge_01").events if e.kind == "rep"]
    assert len(reps) >= 8
    for rep in reps:
        assert rep["motion_start_s"] <= rep["start_s"] < rep["peak_s"] < rep["end_s"]
        assert rep["end_s"] - rep["motion_start_s"] < 2.0  # shorter than the bottoms' spacing
