"""Signals and targets in words, and plot axes that fit the data."""

from __future__ import annotations

import pytest

from formcoach.assembly import make_exercise
from formcoach.exercises import Exercise
from formcoach.signal_names import LABELS, declared_words, label, target_words
from formcoach.sinks.html_report import axis_range
from formcoach.sinks.series import Band, bands


def test_every_plotted_signal_has_words_and_a_unit():
    for name in Exercise.registry:
        for band in bands(make_exercise(name)):
            if band.signal.startswith("avoid_"):  # yes/no sightings, spelled out
                assert label(band.signal).endswith("seen (0 no, 1 yes)")
                continue
            assert band.signal in LABELS or band.signal in declared_words(), (name, band.signal)
            assert "_" not in label(band.signal)


def test_labels_and_targets_read_as_words():
    assert label("front_knee_deg") == "front knee angle (deg)"
    assert label("some_new_angle_deg") == "some new angle (deg)"  # spelled out from its name
    assert target_words(None, 25.0, "deg") == "at most 25 deg"
    assert target_words(140.0, None, "deg") == "at least 140 deg"
    assert target_words(-12.0, 20.0, "deg") == "-12 to 20 deg"
    assert target_words(None, 0.25, "x shin length") == "at most 0.25 (x shin length)"


@pytest.mark.parametrize(
    ("lo", "hi", "band", "expected"),
    [
        (-10.0, 0.0, (None, 25.0), (-10.0, 0.0)),  # 25 is far: the curve is not squashed
        (-10.0, 0.0, (None, 5.0), (-10.0, 5.0)),  # near: the threshold is shown
        (100.0, 170.0, (140.0, None), (100.0, 170.0)),  # inside the data
        (0.0, 1.0, (-12.0, 20.0), (0.0, 1.0)),
    ],
)
def test_plot_axes_fit_the_data_and_show_near_thresholds(lo, hi, band, expected):
    assert axis_range(lo, hi, Band("s", "r", band[0], band[1], ("r",))) == expected


def test_every_rep_exercise_says_what_its_depth_measures():
    for name, cls in Exercise.registry.items():
        if cls.kind == "reps":
            assert cls.depth_label and "_" not in cls.depth_label, name
