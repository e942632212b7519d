"""Exercise recognition: synthetic postures, label merging, and real clips."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcoach.recognition import NONE, Recognizer, dominant, merge_labels
from formcoach.tracks import Track
from tests.conftest import TRACKS
from tests.posefactory import make_pose, plank_points, standing_points


def label_of(points, seconds=3.0, fps=30.0, view="side"):
    r = Recognizer()
    pose = make_pose(points, view=view)
    for i in range(round(seconds * fps)):
        r.update(pose, i / fps)
    return dominant(r.labels)


def test_a_still_plank_is_a_plank():
    # Head-on planks are covered by the real clip plank_08 below.
    assert label_of(plank_points()) == "plank"


def test_standing_still_is_no_exercise():
    assert label_of(standing_points()) == NONE


def test_short_wobbles_are_absorbed_into_the_neighbouring_segment():
    labels = [(i / 10, "plank") for i in range(100)]
    labels[50:55] = [(i / 10, "side_plank") for i in range(50, 55)]
    segments = merge_labels(labels, min_segment_s=3.0)
    assert [(s.exercise, s.start_s, s.end_s) for s in segments] == [("plank", 0.0, 9.9)]


def test_long_segments_are_kept_apart():
    labels = [(i / 10, "plank" if i < 60 else "lunge") for i in range(120)]
    segments = merge_labels(labels, min_segment_s=3.0)
    assert [s.exercise for s in segments] == ["plank", "lunge"]
    assert segments[1].start_s == pytest.approx(6.0)


# Real clips (MANIFEST.md) with the catalog exercise they show. leg_raise_01 is a double
# straight-leg raise and leg_raise_03 scissors: both hold straight legs off the floor,
# the avoid list's "double leg lift".
REAL = {
    "crunch_01": "partial_crunch",
    "crunch_02": "partial_crunch",
    "knee_rolls_01": "knee_rolls",
    "leg_raise_01": "double_leg_lift",
    "leg_raise_03": "double_leg_lift",
    "lunge_01": "lunge",
    "lunge_02": "lunge",
    "plank_01": "plank",
    "plank_02": "plank",
    "plank_03": "plank",
    "plank_04": "plank",
    "plank_08": "plank",
    "side_plank_01": "side_plank",
    "side_plank_02": "side_plank",
    "wall_sit_01": "wall_sit",
    "wall_sit_02": "wall_sit",
}
# Measured: 15 of 16 (crunch_02, filmed from the feet with a high camera, is read as
# abdominal bracing for its first shot). The test fails if recognition gets worse.
MIN_CORRECT = 15


def recognise(name: str) -> Recognizer:
    track = Track.load(TRACKS / f"{name}.npz")
    r = Recognizer()
    for i in range(len(track)):
        r.update(track.pose(i), float(track.timestamps_s[i]))
    return r


def test_real_clips_are_recognised():
    results = {name: dominant(recognise(name).labels) for name in REAL}
    wrong = {n: got for n, got in results.items() if got != REAL[n]}
    assert len(REAL) - len(wrong) >= MIN_CORRECT, wrong


def test_a_clip_with_set_up_has_a_none_segment_before_the_exercise():
    segments = recognise("lunge_01").segments()  # title card 0-5.8 s, then lunges
    assert segments[0].exercise == NONE and segments[0].end_s == pytest.approx(6.0, abs=1.0)
    assert segments[-1].exercise == "lunge"


def test_track_files_exist_for_the_real_table():
    assert all((TRACKS / f"{n}.npz").is_file() for n in REAL), sorted(
        n for n in REAL if not Path(TRACKS / f"{n}.npz").is_file()
    )


def test_synthetic_sample_clips_are_recognised():
    """The project's own clips with exact labels. Measured: 16 of 25. Foam rolling cannot
    be recognised without the roller (4 clips); knee rolls filmed from the feet and the
    head-on plank fail where MediaPipe's pose fails (docs/synthetic_accuracy.md); a
    too-high wall sit reads as a wall slide's hold (the two differ only in knee depth);
    the straight-leg raise's far leg is confused by MediaPipe."""
    import json

    from tests.goldens import SAMPLE_TRACKS, SAMPLES, clips

    correct = 0
    for name in clips():
        truth = json.loads((SAMPLES / f"{name}.truth.json").read_text())
        track = Track.load(SAMPLE_TRACKS / f"{name}.npz")
        r = Recognizer()
        for i in range(len(track)):
            r.update(track.pose(i), float(track.timestamps_s[i]))
        correct += dominant(r.labels) == truth["exercise"]
    assert correct >= 16
