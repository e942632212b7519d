"""Property-based tests (hypothesis): the config loader, geometry on degenerate points and
the rep counter under random jitter and dropouts never crash and keep their invariants."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formcoach import exercises  # noqa: F401  (registers the analyzers)
from formcoach.config import ConfigError, exercise_config
from formcoach.counting import RepConfig, RepCounter
from formcoach.exercises.base import Exercise
from formcoach.geometry import incline_deg, joint_angle_deg, line_offset_ratio

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- config --------------------------------------------------------------------------------

NAMES = sorted(Exercise.registry)
VALUES = st.one_of(
    st.integers(-1000, 1000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@st.composite
def overrides(draw):
    name = draw(st.sampled_from(NAMES))
    fields = [f.name for f in dataclasses.fields(Exercise.registry[name].config_class)]
    keys = draw(st.lists(st.one_of(st.sampled_from(fields), st.text(min_size=1, max_size=8))))
    return name, {k: draw(VALUES) for k in keys}


@FAST
@given(overrides())
def test_config_is_valid_or_a_config_error_naming_the_key(case):
    name, table = case
    try:
        config = exercise_config(name, table)
    except ConfigError as exc:
        assert any(f"{name}.{key}" in str(exc) for key in table), str(exc)
        return
    for key, value in table.items():  # everything accepted was applied as given
        applied = getattr(config, key)
        if isinstance(value, int | float) and not isinstance(applied, bool):
            assert applied == value or (math.isnan(value) and math.isnan(applied))


@pytest.mark.parametrize("value", [-1, -0.5, float("nan"), float("inf")])
def test_out_of_range_thresholds_are_refused(value):
    with pytest.raises(ConfigError, match=r"plank\.max_sag_deg"):
        exercise_config("plank", {"max_sag_deg": value})


# --- geometry ------------------------------------------------------------------------------

COORD = st.one_of(
    st.floats(-1e6, 1e6, allow_nan=False), st.just(float("nan")), st.just(0.0), st.just(1.0)
)
POINT = st.tuples(COORD, COORD)


@FAST
@given(POINT, POINT, POINT)
def test_geometry_gives_a_value_in_range_or_nan_never_an_error(a, b, c):
    angle = float(joint_angle_deg(a, b, c))
    assert math.isnan(angle) or 0.0 <= angle <= 180.0
    incline = float(incline_deg(a, b))
    assert math.isnan(incline) or 0.0 <= incline <= 90.0
    ratio = float(line_offset_ratio(a, b, c))
    assert math.isnan(ratio) or math.isfinite(ratio) or abs(ratio) == math.inf


@FAST
@given(POINT)
def test_coincident_joints_give_nan(a):
    assert math.isnan(float(joint_angle_deg(a, a, a)))
    assert math.isnan(float(incline_deg(a, a)))
    assert math.isnan(float(line_offset_ratio(a, a, (0.0, 0.0))))


# --- rep counter ---------------------------------------------------------------------------

CONFIG = RepConfig(start=0.3, depth=0.7, end=0.2, min_dwell_s=0.1, max_gap_s=1.0, min_rep_s=0.4)


@st.composite
def signals(draw):
    """A phase signal at 30 fps: random excursions with jitter, and dropouts (None)."""
    n = draw(st.integers(10, 400))
    levels = draw(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=12))
    jitter = draw(st.floats(0.0, 0.15))
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    hold = max(1, n // len(levels))
    values: list[float | None] = []
    for i in range(n):
        v = levels[min(i // hold, len(levels) - 1)] + rng.normal(0, jitter)
        values.append(None if rng.random() < draw(st.sampled_from([0.0, 0.05, 0.3])) else v)
    return values


@FAST
@given(signals())
def test_counts_never_decrease_and_never_outnumber_the_excursions(values):
    counter = RepCounter(CONFIG)
    complete = partial = 0
    excursions = 0
    below_end = False  # the signal was seen under `end` since the last excursion began
    rested_since_count = False
    for i, v in enumerate(values):
        events = counter.update(v, i / 30)
        if v is not None and v < CONFIG.end:
            below_end = rested_since_count = True
        if v is not None and v > CONFIG.start and below_end:
            excursions += 1
            below_end = False
        assert counter.complete >= complete and counter.partial >= partial
        if counter.complete > complete or counter.partial > partial:
            assert rested_since_count, "counted without a rest before it"
            rested_since_count = False
        complete, partial = counter.complete, counter.partial
        assert all(e.timestamp_s == i / 30 for e in events)
    assert complete + partial <= excursions


def test_an_angle_over_180_degrees_is_refused():
    with pytest.raises(ConfigError, match=r"plank\.max_sag_deg is an angle: 0 to 180 degrees"):
        exercise_config("plank", {"max_sag_deg": 270})


def test_a_frame_count_key_names_its_replacement_in_seconds():
    with pytest.raises(ConfigError, match=r"plank\.view_window_frames was replaced by "
                       r"plank\.view_window_s, in seconds"):  # fmt: skip
        exercise_config("plank", {"view_window_frames": 30})
    assert exercise_config("plank", {"view_window_s": 1.0}).view_window_s == 1.0


def test_every_number_has_a_range_and_the_error_names_key_value_and_range():
    with pytest.raises(ConfigError, match=r"plank\.min_visibility must be 0 to 1 .* got 5\.0"):
        exercise_config("plank", {"min_visibility": 5.0})
    with pytest.raises(ConfigError, match=r"plank\.view_window_s must be 0 to 600 seconds"):
        exercise_config("plank", {"view_window_s": 1e6})
    with pytest.raises(ConfigError, match=r"lunge\.max_knee_past_toes_ratio must be 0 to 10"):
        exercise_config("lunge", {"max_knee_past_toes_ratio": 25.0})
    with pytest.raises(ConfigError, match=r"plank\.hold\.grace_s must be 0 to 600 seconds"):
        exercise_config("plank", {"hold": {"grace_s": -1.0}})


def test_every_default_lies_in_its_own_range():
    # Each exercise's defaults, written back as a config file would: all accepted.
    for name, cls in sorted(Exercise.registry.items()):
        for f in dataclasses.fields(cls.config_class):
            value = getattr(cls.config_class(), f.name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                exercise_config(name, {f.name: value})
