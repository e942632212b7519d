"""The live session: setup gates counting, keys, pause, one steady correction, target."""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.assembly import LiveOptions, RunOptions, build
from formcoach.coach.corrections import CorrectionPicker
from formcoach.coach.keys import KEY_MUTE, KEY_NEXT, KEY_PAUSE, KEY_QUIT
from formcoach.pipeline import StopRequested
from formcoach.pose.estimators import ReplayEstimator
from formcoach.render.hud import render_live
from formcoach.sources.base import SourceInfo
from formcoach.types import Frame
from tests.posefactory import make_pose, plank_points, standing_points
from tests.replay import PoseList

FPS = 10.0
LIT = np.full((360, 640, 3), 120, np.uint8)
INFO = SourceInfo("camera", FPS, 0, (640, 360))


def live(poses, setup=True, **kwargs):
    """A live plank set built by the assembler (no window, no voice), poses replayed."""
    options = RunOptions(
        "plank",
        mode="live",
        live=LiveOptions(setup_check=setup, countdown_s=1.0, window=False, **kwargs),
    )
    return build(options, INFO, estimator=ReplayEstimator(PoseList(poses)))


def frames(n):
    return (Frame(LIT, i / FPS, i) for i in range(n))


def test_nothing_is_counted_before_setup_and_countdown():
    good = make_pose(plank_points())
    pipe = live([good] * 100).stage
    phases, holds = [], []
    for frame in frames(100):
        result = pipe.process(frame)
        phases.append(result.session.phase)
        holds.append(result.verdict.hold_s)
    # 2 s of good setup, 1 s countdown, then the plank is analysed.
    assert phases[19] == "setup" and phases[21] == "countdown" and phases[31] == "active"
    assert max(holds[:31]) == 0.0
    assert holds[-1] == pytest.approx(6.9, abs=0.15)  # active from t = 3.0 s to 9.9 s


def test_pause_stops_the_set_clock_and_keeps_the_counts():
    assembly = live([make_pose(plank_points())] * 80, setup=False)
    pipe, it = assembly.stage, frames(80)
    for _ in range(30):
        pipe.process(next(it))
    held = pipe.process(next(it)).verdict.hold_s
    assembly.keys.put(KEY_PAUSE)  # what the window does with a key: read at the next frame
    for _ in range(30):
        result = pipe.process(next(it))
    assert result.session.paused and result.verdict.hold_s == held
    assert result.session.set_elapsed_s == pytest.approx(3.0, abs=0.11)
    assembly.keys.put(KEY_PAUSE)
    assert not pipe.process(next(it)).session.paused


def test_keys_mute_next_and_quit_arrive_through_the_queue():
    assembly = live([None] * 5, setup=False)
    it = frames(5)
    assembly.keys.put(KEY_MUTE)
    assert assembly.stage.process(next(it)).session.muted
    assembly.keys.put(KEY_NEXT)
    with pytest.raises(StopRequested, match="next"):
        assembly.stage.process(next(it))
    session = assembly.session
    assert session.next_requested and not session.quit_requested
    assembly.keys.put(KEY_QUIT)
    with pytest.raises(StopRequested):
        assembly.stage.process(next(it))
    assert session.quit_requested


def test_a_quit_key_on_the_last_frame_still_counts_as_quit():
    assembly = live([None] * 3, setup=False)
    assembly.keys.put(KEY_QUIT)
    assembly.stage.finish()  # the loop ended before another frame
    assert assembly.session.quit_requested


def test_a_correction_must_persist_one_second_before_it_is_shown():
    picker = CorrectionPicker()
    timeline = [(0.0, "a"), (0.5, None), (0.6, "b"), (1.5, "b"), (1.6, "b"), (2.5, "b")]
    shown = [picker.update(c, t) for t, c in timeline]
    # "a" lasts 0.5 s: a wobble, never shown; "b" shown once it has lasted 1 s.
    assert shown == [None, None, None, None, "b", "b"]


def test_a_fixed_fault_clears_its_correction_within_half_a_second():
    picker = CorrectionPicker()
    for i in range(16):  # "b" proposed 0.0-1.5 s: shown from 1.0 s
        picker.update("b", i / 10)
    # The person fixes it at 1.6 s: gone by the next frames, not 3 s later.
    after = [picker.update(None, 1.6 + i / 10) for i in range(6)]
    assert after[0] == "b"  # one frame's grace (clear_s 0.2 s) absorbs a dropped frame
    assert after[3:] == [None, None, None]
    assert picker.config.clear_s < 0.5


def test_a_shown_correction_stays_while_its_fault_lasts_then_yields_to_a_lasting_one():
    picker = CorrectionPicker()
    both = {"a", "c"}
    shown = {}
    for i in range(80):  # "a" from 0 s; from 1.5 s "c" (higher priority) is proposed too
        t = i / 10
        proposed = "a" if t < 1.5 else "c"
        shown[round(t, 1)] = picker.update(proposed, t, {"a"} if t < 1.5 else both)
    assert shown[1.0] == "a"
    assert shown[2.9] == "a"  # "c" has lasted 1.4 s, but "a" is up for under 3 s
    assert shown[4.0] == "c"  # "a" has been read; the lasting "c" replaces it


def test_the_live_correction_always_names_a_fault_the_skeleton_shows():
    # Correct plank, a sag, then correct again: the text never outlives the red skeleton
    # by more than the picker's clear_s, and is shown while the sag lasts.
    from formcoach.coach.live_session import active_corrections

    good, sag = make_pose(plank_points()), make_pose(plank_points(bend_deg=-20.0))
    poses = [good] * 40 + [sag] * 40 + [good] * 40
    pipe = live(poses, setup=False).stage
    shown_while_fixed, shown_during_fault = 0, 0
    for frame in frames(len(poses)):
        result = pipe.process(frame)
        text = result.session.correction
        if text is not None and text not in active_corrections(result.verdict):
            shown_while_fixed += 1
        shown_during_fault += text is not None and frame.index in range(40, 80)
    assert shown_during_fault >= 20  # the sag, 4 s, is said after its 1 s persistence
    # Frames of text over a cleared fault, as time: within the 0.5 s, and within
    # clear_s plus the frame on which the fault was seen fixed.
    assert result.session.correction is None  # fixed for the last 4 s
    assert 0 < shown_while_fixed / FPS <= 0.5
    assert shown_while_fixed / FPS <= pipe.picker.config.clear_s + 1 / FPS + 1e-9


def test_hold_target_stops_a_routine_set_and_the_hud_shows_it():
    assembly = live([make_pose(plank_points())] * 400, setup=False, stop_after_target_s=1.0)
    stats = assembly.run(frames(400))
    assert stats.stop_reason == "target reached"
    assert stats.last_t_s == pytest.approx(30.0 + 1.0, abs=0.2)
    assert assembly.session.state.target_met


def test_hud_draws_counter_correction_and_setup_message():
    pipe = live([make_pose(standing_points())] * 5).stage
    result = None
    for frame in frames(5):
        result = pipe.process(frame)
    state = result.session
    assert state.setup.problem == "view" or state.setup.problem == "frame"
    image = render_live(result, state, "Forearm plank", "hold")
    assert image.shape == (720, 1280, 3)
    banner = image[600:, :, :]
    amber = (banner[..., 2] > 200) & (banner[..., 1] > 150) & (banner[..., 0] < 80)
    assert amber.sum() > 500  # the setup instruction, in amber text
    mirrored = render_live(result, state, "Forearm plank", "hold", mirror=True)
    assert not np.array_equal(mirrored[100:600], image[100:600])


def test_a_digit_key_reports_pain_now_and_a_high_one_stops_the_session():
    assembly = live([make_pose(plank_points())] * 40, setup=False, pain_stop_at=6)
    pipe, it = assembly.stage, frames(40)
    assembly.keys.put(ord("5"))
    pipe.process(next(it))
    assert pipe.pain_reported == 5 and not pipe.quit_requested  # a rise of 1: go on
    assembly.keys.put(ord("7"))
    with pytest.raises(StopRequested, match="pain rose"):
        pipe.process(next(it))
    assert pipe.pain_reported == 7 and pipe.quit_requested


def test_the_best_hold_of_the_set_is_kept_when_the_hold_breaks():
    good, sag = make_pose(plank_points()), make_pose(plank_points(bend_deg=-20.0))
    pipe = live([good] * 60 + [sag] * 30, setup=False).stage
    for frame in frames(90):
        result = pipe.process(frame)
    assert result.verdict.hold_s == 0.0  # the sag broke the hold
    # Counting from 1.0 s (the countdown) to the sag at 6.0 s, plus at most the 1 s grace
    # a hold keeps through a break.
    assert 4.5 <= result.session.best_hold_s <= 6.1
