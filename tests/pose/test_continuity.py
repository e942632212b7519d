"""The one-person guard on MediaPipe's tracking (formcoach.pose.continuity): a pose that jumps
further than a person moves is someone else, unless it is in the exercise's posture."""

from __future__ import annotations

import numpy as np

from formcoach.landmarks import Landmark as L
from formcoach.pose.continuity import BodyContinuity
from formcoach.types import Pose

DT = 1 / 24


def pose_at(x: float, y: float = 0.6, width: float = 0.3, swap: bool = False) -> Pose:
    """A body lying along x from `x` to `x + width` (image coordinates)."""
    image = np.zeros((33, 3))
    image[:, 0] = np.linspace(x, x + width, 33)
    image[:, 1] = y
    if swap:  # the model's left and right labels the other way round
        for lm in L:
            name = lm.name
            if name.startswith("LEFT_"):
                other = L[name.replace("LEFT_", "RIGHT_")]
                image[[lm, other]] = image[[other, lm]]
    return Pose(image, np.zeros((33, 3)), np.ones(33), np.ones(33), (640, 360))


def test_a_body_that_moves_like_a_person_is_let_through():
    guard = BodyContinuity()
    for i in range(48):  # 0.5 body sizes a second
        assert guard.update(pose_at(0.2 + 0.15 * i * DT), i * DT).pose is not None
    assert guard.warnings() == []


def test_someone_else_found_in_place_of_the_person_is_nobody_then_the_person_is_back():
    guard = BodyContinuity()
    assert guard.update(pose_at(0.2), 0.0).pose is not None
    others = [guard.update(pose_at(0.65), (i + 1) * DT) for i in range(12)]
    assert all(j.pose is None for j in others)  # half a second of someone else
    back = guard.update(pose_at(0.21), 13 * DT)
    assert back.pose is not None and not back.restart
    [said] = guard.warnings()
    assert said.startswith("at 0.0-0.5 s the pose found was someone else's")


def test_a_jump_into_the_exercises_posture_is_the_person_moved_or_a_cut():
    guard = BodyContinuity(fits=lambda pose: True)
    guard.update(pose_at(0.2), 0.0)
    jump = guard.update(pose_at(0.65), DT)
    assert jump.pose is not None and jump.restart  # the smoother starts again
    assert guard.warnings() == []


def test_swapped_left_and_right_labels_are_the_same_body():
    guard = BodyContinuity()
    guard.update(pose_at(0.2), 0.0)
    assert guard.update(pose_at(0.2, swap=True), DT).pose is not None


def test_someone_else_for_longer_than_reacquire_s_is_followed_and_the_report_says_so():
    guard = BodyContinuity()
    guard.update(pose_at(0.2), 0.0)
    t = DT
    while t <= guard.config.reacquire_s:
        assert guard.update(pose_at(0.65), t).pose is None
        t += DT
    taken = guard.update(pose_at(0.65), t + DT)
    assert taken.pose is not None and taken.restart
    assert any("is followed from then on" in w for w in guard.warnings())


def test_after_nobody_in_view_for_long_a_body_elsewhere_is_followed_quietly():
    guard = BodyContinuity()
    guard.update(pose_at(0.2), 0.0)
    assert guard.update(None, 1.0).pose is None
    back = guard.update(pose_at(0.65), 3.0)  # walked out and back in elsewhere
    assert back.pose is not None and back.restart and guard.warnings() == []
