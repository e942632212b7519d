"""Following one person among several (people.py) and the framing warnings (framing.py):
sequences of boxes in, choices and report lines out. No model."""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.landmarks import NUM_LANDMARKS
from formcoach.pose.boxes import BODY_JOINTS, Box, box_of
from formcoach.pose.crowd_log import CrowdLog
from formcoach.pose.people import PersonTracker
from formcoach.sinks.framing import FramingSink
from formcoach.types import Frame, FrameResult, Pose, Verdict, ViewInfo

ME = Box(0.3, 0.5, 0.2, 0.7)  # the person coached: the largest at the start
OTHER = Box(0.7, 0.5, 0.2, 0.6)  # someone a little smaller, on the right
DT = 1 / 25


def test_the_first_pick_is_kept_when_the_other_person_becomes_larger():
    tracker = PersonTracker()
    picks = [tracker.choose([ME, OTHER], 0.0)]
    for i in range(1, 20):  # OTHER walks towards the camera and becomes the largest
        other = Box(0.7, 0.5, 0.2 + 0.01 * i, 0.6 + 0.02 * i)
        picks.append(tracker.choose([other, ME], i * DT))  # and comes first in the list
    assert picks == [0] + [1] * 19


def test_crossing_people_are_told_apart_by_continuity_and_flagged_ambiguous():
    tracker = PersonTracker()
    xs = np.linspace(0.3, 0.7, 21)
    picks = []
    for i, x in enumerate(xs):  # ME goes right while OTHER goes left, through each other
        me, other = Box(x, 0.5, 0.2, 0.7), Box(1.0 - x, 0.5, 0.2, 0.6)
        index = tracker.choose([other, me], i * DT)
        picks.append(index)
    assert picks == [1] * 21
    assert tracker.frames_ambiguous > 0
    assert any("ambiguous who was being coached" in w for w in tracker.warnings())


def test_walking_out_gives_none_even_with_someone_else_in_view_then_the_person_is_back():
    tracker = PersonTracker()
    assert tracker.choose([ME, OTHER], 0.0) == 0
    gone = [tracker.choose([OTHER], 0.5 + i * DT) for i in range(20)]  # ME left the room
    assert gone == [None] * 20
    assert tracker.choose([OTHER, Box(0.32, 0.5, 0.2, 0.7)], 1.4) == 1  # back where they were


def test_after_reacquire_s_the_largest_is_picked_again_and_the_report_says_so():
    tracker = PersonTracker()
    tracker.choose([ME, OTHER], 0.0)
    assert tracker.choose([OTHER], 1.0) is None
    assert tracker.choose([OTHER], 2.5) == 0  # gone 2.5 s > reacquire_s: OTHER now
    warnings = tracker.warnings()
    assert "more than one person was in view in 33% of frames" in warnings[0]
    assert any("picked again (at 2.5 s) with other people around" in w for w in warnings)


def test_one_person_alone_gives_no_warning():
    tracker = PersonTracker()
    assert [tracker.choose([ME], i * DT) for i in range(10)] == [0] * 10
    assert tracker.choose([], 0.5) is None
    assert tracker.warnings() == []


def test_box_ignores_missing_points():
    points = np.full((NUM_LANDMARKS, 3), np.nan)
    points[:2, :2] = [[0.2, 0.1], [0.4, 0.9]]
    box = box_of(points)
    assert (box.cx_norm, box.cy_norm, box.w_norm, box.h_norm) == pytest.approx((0.3, 0.5, 0.2, 0.8))
    assert box_of(np.full((NUM_LANDMARKS, 3), np.nan)).size_norm > 0


VERDICT = Verdict((), False, None, 0, 0, 0, 0, 0.0, False, None, ViewInfo("side", True))


def _result(t_s: float, pose_box: Box | None) -> FrameResult:
    frame = Frame(np.zeros((36, 64, 3), np.uint8), t_s, round(t_s * 25))
    pose = None
    if pose_box is not None:
        xy = np.random.default_rng(0).uniform(0, 1, (NUM_LANDMARKS, 2))
        xy = (xy - 0.5) * [pose_box.w_norm, pose_box.h_norm] + [pose_box.cx_norm, pose_box.cy_norm]
        image = np.column_stack([xy, np.zeros(NUM_LANDMARKS)])
        ones = np.ones(NUM_LANDMARKS)
        pose = Pose(image, np.zeros((NUM_LANDMARKS, 3)), ones, ones, (64, 36))
    return FrameResult(frame, pose, VERDICT)


def test_framing_warns_about_a_far_person_a_cut_off_body_and_gaps():
    far = FramingSink()
    for i in range(10):
        far.write(_result(i * DT, Box(0.5, 0.5, 0.05, 0.1)))
    assert any("small in the image (about 10% of it)" in w for w in far.warnings())

    cut = FramingSink()
    for i in range(10):
        cut.write(_result(i * DT, Box(0.5, 0.5, 0.9, 1.4)))
    assert any("outside the image in 10 of 10 frames" in w for w in cut.warnings())

    gaps = FramingSink()
    for i in range(100):
        gaps.write(_result(i * DT, None if 30 <= i < 70 else Box(0.5, 0.5, 0.3, 0.6)))
    assert gaps.warnings() == ["the person was out of view at 1.2-2.8 s: nothing was judged then"]


def test_framing_is_silent_for_a_well_framed_person():
    sink = FramingSink()
    for i in range(50):
        sink.write(_result(i * DT, Box(0.5, 0.5, 0.3, 0.7) if i % 7 else None))  # flicker
    assert sink.warnings() == []


# --- the once-a-second people check beside one-person tracking (CrowdLog) ----------------


def test_crowd_log_is_silent_for_one_person():
    log = CrowdLog()
    for t in range(10):
        log.seen(ME, float(t))
        log.check([ME], ME, float(t))
    assert log.checks == 10 and log.warnings() == []


def test_crowd_log_counts_checks_with_others_and_flags_a_similar_sized_one():
    log = CrowdLog()
    small = Box(0.8, 0.6, 0.05, 0.2)  # far in the background: not ambiguous
    for t in range(4):
        log.check([ME, small] if t < 2 else [ME], ME, float(t))
    [line] = log.warnings()
    assert "more than one person was in view in 50% of the checks" in line
    assert "at 0.0, 1.0 s" in line
    log.check([OTHER, ME], ME, 4.0)  # OTHER is 86% of ME's size
    assert any("at 4.0 s it was ambiguous who was being coached" in w for w in log.warnings())


def test_crowd_log_says_when_the_person_was_found_again_with_others_around():
    log = CrowdLog()
    log.seen(ME, 0.0)
    log.check([ME, OTHER], ME, 0.0)
    for t in (0.5, 1.5, 2.5):
        log.seen(None, t)  # gone for 3 s
    log.seen(OTHER, 3.0)  # MediaPipe picked up a person again
    assert any("lost and found again at 3.0 s" in w for w in log.warnings())
    quick = CrowdLog()  # a short loss is a flicker, not a new pick
    quick.seen(ME, 0.0)
    quick.check([ME, OTHER], ME, 0.0)
    quick.seen(None, 0.5)
    quick.seen(ME, 1.0)
    assert not any("found again" in w for w in quick.warnings())


def test_hiding_native_stderr_from_two_threads_at_once_restores_it(monkeypatch, capfd):
    # The people check warms up on its thread while the analysis may hide the same file
    # descriptor: overlapping uses must leave stderr working, not pointed at /dev/null.
    import os
    import threading

    from formcoach.pose.mediapipe_env import quiet_native_stderr

    monkeypatch.setenv("FORMCOACH_QUIET_NATIVE", "1")
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with quiet_native_stderr():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other)
    with quiet_native_stderr():
        thread.start()
        inside.wait(5)
        os.write(2, b"hidden\n")
    os.write(2, b"still hidden\n")  # the other thread is still inside
    leave.set()
    thread.join()
    os.write(2, b"shown\n")
    assert capfd.readouterr().err == "shown\n"


def test_a_people_check_whose_model_fails_to_load_says_so_and_closes(tmp_path):
    from formcoach.pose.people_check import PeopleCheck

    check = PeopleCheck(tmp_path / "missing.task")  # loads on its own thread
    with pytest.raises(Exception, match=r"missing\.task|No such file|Unable to open"):
        check.wait_ready()
    check.close()
    assert check.warnings() == []


def test_a_failed_check_is_answered_not_waited_for(tmp_path):
    from formcoach.pose.people_check import PeopleCheck

    check = PeopleCheck(tmp_path / "missing.task")
    with pytest.raises(Exception, match=r"missing\.task|No such file|Unable to open"):
        check.wait_ready()
    frame = Frame(np.zeros((8, 8, 3), np.uint8), 0.0, 0)
    assert check.offer(frame, ME) == 0.0
    assert check.boxes_at(0.0) is None  # the check failed: no answer, and no hang
    check.close()


def test_crowd_log_does_not_count_the_same_body_found_twice():
    log = CrowdLog()
    twice = Box(ME.cx_norm + 0.01, ME.cy_norm, ME.w_norm * 1.1, ME.h_norm)
    log.check([ME, twice], ME, 0.0)
    assert log.crowded == [] and log.warnings() == []


def test_crowd_log_counts_someone_else_found_instead_of_the_person_followed():
    log = CrowdLog()
    log.check([OTHER], ME, 0.0)  # the check missed the person followed, found another
    assert log.crowded == [0.0]


def test_the_first_pick_is_the_largest_in_the_exercises_posture_not_the_largest():
    big = Box(0.7, 0.5, 0.3, 0.8)  # larger than ME, standing
    tracker = PersonTracker()
    assert tracker.choose([big, ME], 0.0, fits=[False, True]) == 1  # ME is in the posture
    assert tracker.choose([big, ME], DT) == 1  # then followed by position and size
    nobody = PersonTracker()
    assert nobody.choose([ME, big], 0.0, fits=[False, False]) == 1  # the largest


def test_someone_standing_by_picked_first_gives_way_to_the_one_found_on_the_mat():
    tracker = PersonTracker()
    assert tracker.choose([OTHER], 0.0) == 0  # the person on the mat is not found yet
    refit_s = tracker.config.refit_s
    steps = int(refit_s / DT)
    picks = [tracker.choose([OTHER, ME], (i + 1) * DT, fits=[False, True]) for i in range(steps)]
    assert set(picks[:-2]) == {0}  # not before refit_s of ME in the posture all along
    assert tracker.choose([OTHER, ME], refit_s + 2 * DT, fits=[False, True]) == 1
    assert tracker.choose([OTHER, ME], refit_s + 3 * DT, fits=[False, True]) == 1
    assert len(tracker.picks) == 1 and len(tracker.refits) == 1
    assert any("changed to the one doing the exercise" in w for w in tracker.warnings())


def test_a_moment_out_of_the_posture_does_not_switch_the_person_followed():
    tracker = PersonTracker()
    tracker.choose([ME, OTHER], 0.0, fits=[True, True])
    t = DT
    for i in range(200):  # ME stands up for a moment every 1.6 s, OTHER stays down
        fits = [i % 40 >= 20, True]
        assert tracker.choose([ME, OTHER], t, fits=fits) == 0
        t += DT


def test_the_person_coached_who_stands_up_to_rest_is_kept():
    tracker = PersonTracker()
    tracker.choose([ME, OTHER], 0.0, fits=[True, True])
    picks = [tracker.choose([ME, OTHER], i * DT, fits=[False, True]) for i in range(1, 150)]
    assert set(picks) == {0}  # 6 s standing while OTHER holds the plank: still ME


def _pose_box(joints: np.ndarray) -> Box:
    image_norm = np.full((33, 3), np.nan)
    image_norm[list(BODY_JOINTS), :2] = joints
    return box_of(image_norm)


def test_joints_tell_a_growing_box_of_the_same_body_from_a_fragment_beside_it():
    # A body lying on the mat: its box grows as the legs are found (0.2 -> 0.45 wide),
    # while a small fragment pose appears at its shoulders.
    rng = np.random.default_rng(1)
    body = np.column_stack([np.linspace(0.3, 0.5, 12), np.full(12, 0.65)])
    grown = body.copy()
    grown[8:, 0] = np.linspace(0.55, 0.75, 4)  # knees and ankles found further out
    fragment = body[:4] + rng.normal(0, 0.01, (4, 2))
    fragment_full = np.vstack([fragment, fragment.mean(axis=0) + rng.normal(0, 0.02, (8, 2))])
    tracker = PersonTracker()
    assert tracker.choose([_pose_box(body)], 0.0) == 0
    assert tracker.choose([_pose_box(grown), _pose_box(fragment_full)], DT) == 0
    by_box = [Box(b.cx_norm, b.cy_norm, b.w_norm, b.h_norm) for b in
              (_pose_box(grown), _pose_box(fragment_full))]  # fmt: skip
    boxes_only = PersonTracker()
    last = _pose_box(body)
    boxes_only.choose([Box(last.cx_norm, last.cy_norm, last.w_norm, last.h_norm)], 0.0)
    assert boxes_only.choose(by_box, DT) != 0  # by the box alone, the grown body is lost
