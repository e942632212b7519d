"""Avoid list first under `--exercise auto`: a recording of an avoid-list movement is
warned as that movement for most of its length and never counted as a program exercise.

The clips are the shared clips whose truth.tsv row names an avoid-list movement (their
firm facts: the movement's warning over a stretch, 0 reps), and the project's synthetic
full sit-up. Each goes through recognition and the analysis of every recognised part,
as `analyze --exercise auto` does, from its cached track (no model run).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from formcoach.assembly import RunOptions
from formcoach.exercises import Exercise
from formcoach.offline import truthtable
from formcoach.offline.auto import analyse_parts
from formcoach.report_combine import Part
from formcoach.switching import SwitchConfig
from tests.conftest import SHARED_CLIPS
from tests.goldens import SAMPLES
from tests.replay import load_track

AVOID = {name for name, cls in Exercise.registry.items() if cls.kind == "warning"}
# The avoid movement must be named over this share of the recording once a first part can
# be named (`SwitchConfig.confirm_s` after the start: a part is only named on what has
# been seen, as live): the truth's warned stretches cover 90 % (full_situp_01: 1-29 of
# 31 s) and 100 % (leg_raise_01's montage), and recognition needs its 2.5 s window to
# settle at each end.
MIN_WARNED_SHARE = 0.75


def _avoid_clips() -> list[object]:
    table = SHARED_CLIPS / "truth.tsv"
    clips = [pytest.param(SAMPLES / "full_situp_avoid_side.mp4", "full_situp", id="synthetic")]
    if table.is_file():
        movements = {c.clip: c.exercise for c in truthtable.load(table) if c.exercise in AVOID}
        clips += [
            pytest.param(SHARED_CLIPS / clip, movement, id=Path(clip).stem)
            for clip, movement in sorted(movements.items())
        ]
    return clips


def _parts(video: Path, tmp_path: Path) -> tuple[list[Part], float]:
    """The recognised parts (`none` left out, as `analyze -e auto` lists them) and the
    recording's length."""
    if not video.is_file():
        pytest.skip(f"{video} is not available")
    track = load_track(video.stem)
    parts = analyse_parts(video, track, tmp_path, RunOptions("auto", video=False, html=False))
    return parts, float(track.timestamps_s[-1] - track.timestamps_s[0])


@pytest.mark.parametrize(("video", "movement"), _avoid_clips())
def test_an_avoid_movement_is_never_counted_as_a_program_exercise(video, movement, tmp_path):
    counted = {
        p.exercise: p.report.reps.total
        for p in _parts(video, tmp_path)[0]
        if p.report is not None and not p.warning_kind and p.report.reps.total
    }
    assert counted == {}


@pytest.mark.parametrize(("video", "movement"), _avoid_clips())
def test_an_avoid_movement_is_warned_for_most_of_the_recording(video, movement, tmp_path):
    parts, length_s = _parts(video, tmp_path)
    named = sum(p.end_s - p.start_s for p in parts if p.exercise == movement)
    nameable_s = length_s - SwitchConfig().confirm_s
    assert nameable_s > 0 and named / nameable_s >= MIN_WARNED_SHARE, [
        (p.exercise, p.start_s, p.end_s) for p in parts
    ]
    warned = [p for p in parts if p.exercise == movement and p.report is not None]
    assert any(f.rule == movement for p in warned for f in p.report.faults)


# The other way: program exercises that resemble an avoid movement (a partial crunch a
# full sit-up, a straight-leg raise a double leg lift) are not warned as one. crunch_01's
# trunk comes up to 43 deg from vertical at its highest curls, 3 deg short of the full
# sit-up's 40 (the window's lowest tilt; `recognition`).
RESEMBLING = [
    ("crunch_01", SHARED_CLIPS / "crunch_01.mp4"),
    ("partial_crunch_good_side", SAMPLES / "partial_crunch_good_side.mp4"),
    ("partial_crunch_feet_lifting_side", SAMPLES / "partial_crunch_feet_lifting_side.mp4"),
    ("straight_leg_raise_good_side", SAMPLES / "straight_leg_raise_good_side.mp4"),
]


@pytest.mark.parametrize(("name", "video"), RESEMBLING, ids=[n for n, _ in RESEMBLING])
def test_a_program_exercise_is_not_warned_as_an_avoid_movement(name, video, tmp_path):
    parts, _ = _parts(video, tmp_path)
    assert parts and not [(p.exercise, p.start_s, p.end_s) for p in parts if p.warning_kind]
