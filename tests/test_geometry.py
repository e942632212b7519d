from __future__ import annotations

import math

import numpy as np
import pytest

from formcoach.geometry import (
    distance,
    elevation_deg,
    incline_deg,
    joint_angle_deg,
    line_offset_ratio,
    signed_bend_deg,
    trunk_vector_m,
)
from formcoach.landmarks import Landmark as L


def test_joint_angle_known_values():
    assert joint_angle_deg([1, 0], [0, 0], [0, 1]) == pytest.approx(90.0)
    assert joint_angle_deg([1, 0], [0, 0], [-1, 0]) == pytest.approx(180.0)
    assert joint_angle_deg([1, 0], [0, 0], [1, 1]) == pytest.approx(45.0)


def test_joint_angle_is_vectorised():
    a = np.array([[1, 0], [1, 0]])
    c = np.array([[0, 1], [-1, 0]])
    assert np.allclose(joint_angle_deg(a, np.zeros((2, 2)), c), [90.0, 180.0])


@pytest.mark.parametrize("bad", [[0, 0], [math.nan, 1.0]])
def test_degenerate_points_give_nan(bad):
    assert math.isnan(joint_angle_deg(bad, [0, 0], [1, 0]))
    assert math.isnan(incline_deg([0, 0], [0, 0]))
    assert math.isnan(line_offset_ratio([0, 0], [0, 0], [1, 1]))


def test_incline_ignores_direction():
    assert incline_deg([0, 0], [1, 0]) == pytest.approx(0.0)
    assert incline_deg([0, 0], [0, -5]) == pytest.approx(90.0)
    assert incline_deg([1, 1], [0, 0]) == pytest.approx(45.0)


def test_line_offset_sign_means_above_in_the_image_either_way_round():
    # y grows downward: a point with smaller y is above the line.
    above = [5.0, -2.0]
    assert line_offset_ratio([0, 0], [10, 0], above) == pytest.approx(0.2)
    assert line_offset_ratio([10, 0], [0, 0], above) == pytest.approx(0.2)
    assert line_offset_ratio([0, 0], [10, 0], [5.0, 3.0]) == pytest.approx(-0.3)


def test_distance():
    assert distance([0, 0], [3, 4]) == pytest.approx(5.0)


def test_elevation_ignores_direction_and_horizontal_heading():
    assert elevation_deg([1.0, 0.0, 0.0]) == pytest.approx(0.0)
    assert elevation_deg([0.0, 0.0, 2.0]) == pytest.approx(0.0)
    assert elevation_deg([0.0, -1.0, 0.0]) == pytest.approx(90.0)
    assert elevation_deg([1.0, 1.0, 0.0]) == pytest.approx(45.0)
    assert math.isnan(elevation_deg([0.0, 0.0, 0.0]))


def test_trunk_vector_runs_from_mid_hips_to_mid_shoulders():
    w = np.zeros((33, 3))
    w[L.LEFT_SHOULDER], w[L.RIGHT_SHOULDER] = (0.1, -0.5, 0.0), (-0.1, -0.5, 0.2)
    w[L.LEFT_HIP], w[L.RIGHT_HIP] = (0.1, 0.0, 0.0), (-0.1, 0.0, 0.0)
    assert np.allclose(trunk_vector_m(w), [0.0, -0.5, 0.1])


def test_signed_bend_is_positive_above_the_line_and_negative_below():
    # Shoulder and ankle level 200 px apart; hips 100 px off the line at the middle: the
    # path bends by 180 - 90 = 90 deg (a right angle at the hips).
    sh, ank = (0.0, 100.0), (200.0, 100.0)
    assert signed_bend_deg(sh, (100.0, 0.0), ank) == pytest.approx(90.0)  # above (y up)
    assert signed_bend_deg(sh, (100.0, 200.0), ank) == pytest.approx(-90.0)  # below
    assert signed_bend_deg(sh, (100.0, 100.0), ank) == pytest.approx(0.0)
    # The person lying the other way round: the sign still means above/below.
    assert signed_bend_deg(ank, (100.0, 0.0), sh) == pytest.approx(90.0)
