"""The setup check says exactly what to change and starts counting by itself."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from formcoach.coach.setup_check import SetupCheck
from formcoach.exercises import create
from formcoach.types import Frame
from tests.posefactory import make_pose, plank_points

LIT = np.full((360, 640, 3), 120, np.uint8)
DARK = np.full((360, 640, 3), 25, np.uint8)


def check_for(name="plank"):
    ex = create(name)
    return SetupCheck(ex.views, ex.view_correction)


def shifted(pose, dx=0.0, scale=1.0):
    image = pose.image_norm.copy()
    centre = np.array([0.5, 0.5])
    image[:, :2] = (image[:, :2] - centre) * scale + centre + np.array([dx, 0.0])
    return dataclasses.replace(pose, image_norm=image)


def feed(check, pose, image=LIT, seconds=3.0, fps=10.0, t0=0.0):
    statuses = []
    for i in range(int(seconds * fps)):
        statuses.append(check.update(Frame(image, t0 + i / fps, i), pose))
    return statuses


@pytest.mark.parametrize(
    ("image", "pose", "problem", "message"),
    [
        (DARK, make_pose(plank_points()), "light", "turn on more light"),
        (LIT, None, "person", "step into view of the camera"),
        (
            LIT,
            shifted(make_pose(plank_points()), dx=-0.35),
            "frame",
            "move the laptop back: your feet are out of frame",
        ),
        (
            LIT,
            shifted(make_pose(plank_points()), dx=0.35),
            "frame",
            "move the laptop back: your head is out of frame",
        ),
        (
            LIT,
            shifted(make_pose(plank_points()), scale=0.5),
            "distance",
            "come closer to the camera",
        ),
        (
            LIT,
            make_pose(plank_points(), view="front"),
            "view",
            "turn so your side faces the camera",
        ),
    ],
)
def test_each_problem_says_what_to_change_and_never_gets_ready(image, pose, problem, message):
    statuses = feed(check_for(), pose, image)
    assert {s.problem for s in statuses} == {problem}
    assert message in statuses[-1].message
    assert not any(s.ready or s.ok for s in statuses)


def test_ready_after_two_seconds_of_good_setup_and_it_latches():
    check = check_for()
    good = make_pose(plank_points())
    statuses = feed(check, good, seconds=3.0)
    ready_at = next(i for i, s in enumerate(statuses) if s.ready) / 10.0
    assert ready_at == pytest.approx(2.0, abs=0.11)
    assert statuses[5].progress == pytest.approx(0.25, abs=0.01)
    # Once ready, a moment out of frame does not take it back.
    later = feed(check, None, seconds=0.5, t0=3.0)
    assert all(s.ready and not s.ok for s in later)


def test_a_problem_restarts_the_wait():
    check = check_for()
    good = make_pose(plank_points())
    feed(check, good, seconds=1.5)
    feed(check, None, seconds=0.2, t0=1.5)
    statuses = feed(check, good, seconds=1.5, t0=1.7)
    assert not any(s.ready for s in statuses)
