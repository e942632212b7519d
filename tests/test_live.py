"""The live session: setup gates counting, keys, pause, one steady correction, target."""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.cues import CorrectionPicker
from formcoach.estimators import ReplayEstimator
from formcoach.exercises import create
from formcoach.hud import render_live
from formcoach.live import KEY_MUTE, KEY_NEXT, KEY_PAUSE, KEY_QUIT, LivePipeline
from formcoach.pipeline import StopRequested, run
from formcoach.setup_check import SetupCheck
from formcoach.types import Frame
from tests.posefactory import make_pose, plank_points, standing_points

FPS = 10.0
LIT = np.full((360, 640, 3), 120, np.uint8)


class PoseList:
    def __init__(self, poses):
        self.poses = poses

    def pose(self, index):
        return self.poses[index]


def live(poses, setup=True, **kwargs):
    ex = create("plank")
    check = SetupCheck(ex.views, ex.view_correction) if setup else None
    return LivePipeline(ReplayEstimator(PoseList(poses)), ex, check, countdown_s=1.0, **kwargs)


def frames(n):
    return (Frame(LIT, i / FPS, i) for i in range(n))


def test_nothing_is_counted_before_setup_and_countdown():
    good = make_pose(plank_points())
    pipe = live([good] * 100)
    phases, holds = [], []
    for frame in frames(100):
        result = pipe.process(frame)
        phases.append(pipe.state.phase)
        holds.append(result.verdict.hold_s)
    # 2 s of good setup, 1 s countdown, then the plank is analysed.
    assert phases[19] == "setup" and phases[21] == "countdown" and phases[31] == "active"
    assert max(holds[:31]) == 0.0
    assert holds[-1] == pytest.approx(6.9, abs=0.15)  # active from t = 3.0 s to 9.9 s


def test_pause_stops_the_set_clock_and_keeps_the_counts():
    pipe = live([make_pose(plank_points())] * 80, setup=False)
    it = frames(80)
    for _ in range(30):
        pipe.process(next(it))
    held = pipe.process(next(it)).verdict.hold_s
    pipe.handle_key(KEY_PAUSE)
    for _ in range(30):
        result = pipe.process(next(it))
    assert pipe.state.paused and result.verdict.hold_s == held
    assert pipe.state.set_elapsed_s == pytest.approx(3.0, abs=0.11)
    pipe.handle_key(KEY_PAUSE)
    pipe.process(next(it))
    assert not pipe.state.paused


def test_keys_mute_next_and_quit():
    pipe = live([None], setup=False)
    pipe.handle_key(KEY_MUTE)
    assert pipe.muted
    with pytest.raises(StopRequested, match="next"):
        pipe.handle_key(KEY_NEXT)
    assert pipe.next_requested and not pipe.quit_requested
    with pytest.raises(StopRequested):
        pipe.handle_key(KEY_QUIT)
    assert pipe.quit_requested


def test_correction_must_persist_one_second_and_stays_three():
    picker = CorrectionPicker()
    timeline = [(0.0, "a"), (0.5, None), (0.6, "b"), (1.5, "b"), (1.6, "b"), (2.0, None)]
    timeline += [(4.5, None), (4.7, "c"), (5.0, "a"), (6.1, "a")]
    shown = [picker.update(c, t) for t, c in timeline]
    # "a" flickers for 0.5 s: never shown; "b" shown once it has lasted 1 s, kept 3 s even
    # after it is fixed; then cleared; "c" too short; "a" shown after 1 s.
    assert shown == [None, None, None, None, "b", "b", "b", None, None, "a"]


def test_hold_target_stops_a_routine_set_and_the_hud_shows_it():
    pipe = live([make_pose(plank_points())] * 400, setup=False, stop_after_target_s=1.0)
    stats = run(frames(400), pipe, [])
    assert stats.stop_reason == "target reached"
    assert stats.last_t_s == pytest.approx(30.0 + 1.0, abs=0.2)
    assert pipe.state.target_met


def test_hud_draws_counter_correction_and_setup_message():
    pipe = live([make_pose(standing_points())] * 5)
    result = None
    for frame in frames(5):
        result = pipe.process(frame)
    assert pipe.state.setup.problem == "view" or pipe.state.setup.problem == "frame"
    image = render_live(result, pipe.state, "Forearm plank", "hold")
    assert image.shape == (720, 1280, 3)
    banner = image[600:, :, :]
    amber = (banner[..., 2] > 200) & (banner[..., 1] > 150) & (banner[..., 0] < 80)
    assert amber.sum() > 500  # the setup instruction, in amber text
    mirrored = render_live(result, pipe.state, "Forearm plank", "hold", mirror=True)
    assert not np.array_equal(mirrored[100:600], image[100:600])
