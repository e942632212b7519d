"""IntervalTimer.unseen_grace_s: unseen stretches bridged, seen breaks still end holds."""

from __future__ import annotations

import pytest

from formcoach.interval_timer import IntervalConfig, IntervalTimer

FPS = 10.0


def feed(timer, segments):
    t = 0.0
    for seconds, ok in segments:
        for _ in range(round(seconds * FPS)):
            timer.update(ok, t)
            t += 1 / FPS
    timer.finish()
    return [(round(i.start_s, 1), round(i.end_s, 1)) for i in timer.intervals]


@pytest.mark.parametrize(
    ("segments", "expected"),
    [
        # unseen 3 s, back in position: one interval across the gap
        ([(5, True), (3, None), (5, True)], [(0.0, 12.9)]),
        # unseen longer than the limit: two intervals
        ([(5, True), (6, None), (5, True)], [(0.0, 4.9), (11.0, 15.9)]),
        # unseen, then seen out of position: ends at the last good frame
        ([(5, True), (3, None), (3, False), (5, True)], [(0.0, 4.9), (11.0, 15.9)]),
        # seen out of position for longer than grace_s: ends as before
        ([(5, True), (2, False), (5, True)], [(0.0, 4.9), (7.0, 11.9)]),
    ],
)
def test_unseen_grace(segments, expected):
    timer = IntervalTimer(IntervalConfig(unseen_grace_s=4.0))
    assert feed(timer, segments) == expected


def test_default_treats_unseen_like_any_break():
    timer = IntervalTimer(IntervalConfig())
    assert feed(timer, [(5, True), (3, None), (5, True)]) == [(0.0, 4.9), (8.0, 12.9)]
