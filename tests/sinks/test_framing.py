"""Out of view: a gap without the person is reported wherever it falls, at the start, in
the middle, or at the end when they leave and do not come back."""

from __future__ import annotations

import pytest

from formcoach.sources.base import SourceInfo
from tests.posefactory import make_pose, plank_points
from tests.replay import blank_frames, replay_poses

FPS = 10.0


def out_of_view(plan):
    """plan: (seconds, seen) pieces; the report's out-of-view warning (or None) and the
    report."""
    poses = []
    for seconds, seen in plan:
        poses += [make_pose(plank_points()) if seen else None] * round(seconds * FPS)
    info = SourceInfo("plan.mp4", FPS, len(poses), (640, 360))
    report = replay_poses("plank", poses, blank_frames(len(poses), FPS), info=info).report
    warnings = [w for w in report["warnings"] if "out of view" in w]
    return (warnings[0] if warnings else None), report


def spans(warning):
    text = warning.split(" at ")[1].split(":")[0]
    return [tuple(float(x) for x in s.split(" s")[0].split("-")) for s in text.split(", ")]


def test_leaving_for_good_is_a_gap_to_the_end():
    warning, report = out_of_view([(4.0, True), (3.0, False)])
    assert warning is not None and "did not come back" in warning
    assert spans(warning) == [pytest.approx((4.0, 6.9), abs=0.11)]
    assert report["pose_coverage"] == pytest.approx(4 / 7, abs=0.02)


def test_a_late_start_is_a_gap_from_the_start():
    warning, _ = out_of_view([(2.0, False), (4.0, True)])
    assert warning is not None and "did not come back" not in warning
    assert spans(warning) == [pytest.approx((0.0, 2.0), abs=0.11)]


def test_gaps_everywhere_are_listed_in_order_and_short_ones_are_not():
    plan = [(1.5, False), (3.0, True), (0.5, False), (3.0, True), (2.0, False), (3.0, True),
            (1.5, False)]  # fmt: skip
    warning, _ = out_of_view(plan)
    assert [round(a) for a, _ in spans(warning)] == [0, 8, 13]  # the 0.5 s gap is flicker
    assert "did not come back" in warning
    assert out_of_view([(3.0, True), (0.5, False)])[0] is None  # a blink at the end


def test_nobody_ever_seen_is_not_called_a_gap():
    warning, report = out_of_view([(3.0, False)])
    assert warning is None and report["pose_coverage"] == 0


def test_back_on_the_last_frame_is_a_closed_gap_not_a_departure():
    warning, _ = out_of_view([(3.0, True), (2.0, False), (0.1, True)])
    assert warning is not None and "did not come back" not in warning
    assert spans(warning) == [pytest.approx((3.0, 5.0), abs=0.11)]
