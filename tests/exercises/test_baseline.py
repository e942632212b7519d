"""Baseline and camera-cut detection: sequences in, reference values and cut frames out."""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcoach.exercises._signals.baselines import Baseline
from formcoach.exercises._signals.cuts import BodyCutDetector, TorsoCutDetector
from tests.posefactory_reps import FEET_YAW, camera_pose, knee_roll_points

DT = 1 / 30


def test_baseline_is_the_median_of_the_first_settled_stretch():
    b = Baseline(settle_s=1.0)
    values = [10.0] * 15 + [50.0] + [10.0] * 20  # one outlier
    for i, v in enumerate(values):
        b.offer(v, i * DT)
    assert b.ready and float(b.value) == pytest.approx(10.0)
    b.offer(99.0, 5.0)  # ignored once set
    assert float(b.value) == pytest.approx(10.0)


def test_baseline_waits_for_a_steady_stretch_and_skips_nan():
    b = Baseline(settle_s=1.0, max_break_s=0.3)
    for i in range(20):
        b.offer(1.0, i * DT)
    b.offer(math.nan, 0.7)
    for i in range(20):  # after a 1 s break: settling starts over
        b.offer(2.0, 2.0 + i * DT)
    assert not b.ready
    for i in range(20, 35):
        b.offer(2.0, 2.0 + i * DT)
    assert b.ready and float(b.value) == pytest.approx(2.0)
    b.reset()
    assert not b.ready


def test_baseline_of_a_vector():
    b = Baseline(settle_s=0.5)
    for i in range(20):
        b.offer([0.0, 1.0, 0.0], i * DT)
    assert b.value is not None
    np.testing.assert_allclose(b.value, [0.0, 1.0, 0.0])


def lying(shift_px=(0.0, 0.0), scale=1.0, roll=0.0):
    return camera_pose(
        knee_roll_points(roll),
        yaw_deg=FEET_YAW,
        pitch_deg=15.0,
        centre_px=(320 + shift_px[0], 200 + shift_px[1]),
        scale=scale,
    )


def test_cut_detector_fires_once_on_a_jump_or_a_zoom():
    for after in (lying(shift_px=(120.0, 0.0)), lying(scale=1.6)):
        cuts = TorsoCutDetector()
        seen = [cuts.update(lying(), i * DT) for i in range(20)]
        seen += [cuts.update(after, (20 + i) * DT) for i in range(20)]
        assert seen.count(True) == 1 and seen[20]


def test_cut_detector_ignores_legs_moving_and_nobody():
    cuts = TorsoCutDetector()
    seen = [cuts.update(lying(roll=70.0 * i / 60), i * DT) for i in range(60)]
    seen.append(cuts.update(None, 2.1))
    assert not any(seen)


def test_baseline_settles_at_10_fps_with_frames_dropped():
    # Two frames of every three dropped: samples 0.3 s apart are one steady stretch.
    b = Baseline(settle_s=1.0)
    for i in range(0, 20, 3):
        b.offer(4.0, i / 10)
    assert b.ready and float(b.value) == pytest.approx(4.0)


@pytest.mark.parametrize("gap_s", [0.1, 0.4, 0.8])
def test_cut_detector_sees_a_cut_across_frames_further_apart_than_its_window(gap_s):
    cuts = TorsoCutDetector()  # compares with 0.3 s ago
    seen = [cuts.update(lying(), i * DT) for i in range(20)]
    seen.append(cuts.update(lying(shift_px=(120.0, 0.0)), 19 * DT + gap_s))
    assert seen.count(True) == 1 and seen[-1]


def test_supine_cut_detector_sees_a_cut_across_frames_further_apart_than_its_span():
    cuts = BodyCutDetector()  # compares with 0.5 s ago
    seen = [cuts.update(lying(), "left", i * DT) for i in range(20)]
    seen.append(cuts.update(lying(shift_px=(120.0, 0.0)), "left", 19 * DT + 0.7))
    assert seen.count(True) == 1 and seen[-1]
