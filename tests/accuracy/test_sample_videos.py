"""The project's own sample clips against their exact truth, item by item.

Each clip's items come from its `.truth.json` alone (tests/goldens.py): every true rep,
hold and fault, the view, and nothing claimed beyond them. Each item is one test on the
clip's cached track (tests/agreement.py). `<clip>.golden.json` holds only the clip's
known misses, each with the reason found on the replay; they are strict xfails, so a fix
shows as XPASS and fails until its entry is removed, and a regression fails outright.
`scripts/sample_agreement.py` prints every item met or missed.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.exercises import Exercise, create
from formcoach.pose.estimators import MediaPipeEstimator
from formcoach.pose.models import model_path
from formcoach.pose.tracks import Track, record_track
from formcoach.sources.video_file import VideoFileSource
from tests.agreement import judge_clip, outcome_of
from tests.goldens import (
    FAULT_RULES,
    SAMPLE_TRACKS,
    SAMPLES,
    analyzer_name,
    clips,
    expected_items,
    known_misses,
    load_truth,
    rule_for,
    truth_fault_names,
)

CLIPS = clips()


def _item_cases() -> list[object]:
    cases = []
    for name in CLIPS:
        misses = known_misses(name)
        for item in expected_items(load_truth(name)):
            reason = misses.get(item.id)
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            cases.append(pytest.param(name, item.id, marks=marks, id=f"{name}:{item.id}"))
    return cases


@pytest.mark.parametrize(("name", "item_id"), _item_cases())
def test_clip_agrees_with_its_truth(name, item_id):
    judgement = next(j for j in judge_clip(name) if j.item.id == item_id)
    assert judgement.met, f"{name}: expected {judgement.item.describe()}, got {judgement.got}"


@pytest.mark.parametrize("name", CLIPS)
def test_every_known_miss_is_an_item_of_its_clip_with_a_reason(name):
    ids = {item.id for item in expected_items(load_truth(name))}
    misses = known_misses(name)
    assert set(misses) <= ids, f"{name}: stale known misses {sorted(set(misses) - ids)}"
    assert all(len(reason) >= 20 for reason in misses.values())


@pytest.mark.parametrize("name", CLIPS)
def test_every_truth_fault_name_is_a_rule_of_the_clip_analyzer(name):
    truth = load_truth(name)
    assert analyzer_name(truth) in Exercise.registry, f"{name}: no analyzer"
    rules = create(analyzer_name(truth)).rule_names()
    for fault in truth_fault_names(truth):
        assert rule_for(fault) in rules, f"{name}: truth fault {fault!r} has no rule in {rules}"


def test_the_fault_name_table_has_no_unused_entry():
    used = set().union(*(truth_fault_names(load_truth(name)) for name in CLIPS))
    assert set(FAULT_RULES) <= used


@pytest.mark.parametrize("name", CLIPS)
def test_every_reported_fault_is_a_declared_rule(name):
    outcome = outcome_of(name)
    assert {f.rule for f in outcome.faults} <= outcome.rule_names


def test_every_clip_has_truth_golden_and_track_and_nothing_is_orphaned():
    stems = {
        p.name.split(".")[0]
        for p in SAMPLES.iterdir()
        if p.is_file() and p.suffix in (".mp4", ".json")
    }
    for stem in stems:
        assert (SAMPLES / f"{stem}.mp4").is_file(), f"{stem}: golden or truth without its clip"
        assert (SAMPLES / f"{stem}.truth.json").is_file(), f"{stem}: clip without its truth"
        assert (SAMPLES / f"{stem}.golden.json").is_file(), f"{stem}: clip without its golden"
        assert (SAMPLE_TRACKS / f"{stem}.npz").is_file(), f"{stem}: clip without its track"
    tracks = {p.stem for p in SAMPLE_TRACKS.glob("*.npz")}
    assert tracks <= stems, f"tracks without clips: {sorted(tracks - stems)}"
    assert len(CLIPS) >= 20


def test_sample_set_stays_small():
    total = sum(p.stat().st_size for p in SAMPLES.glob("*.mp4"))
    assert len(CLIPS) <= 25 and total <= 15 * 2**20


@pytest.mark.slow
@pytest.mark.parametrize("name", CLIPS)
def test_mediapipe_on_the_sample_matches_its_cached_track(name):
    cached = Track.load(SAMPLE_TRACKS / f"{name}.npz")
    estimator = MediaPipeEstimator(model_path())
    with VideoFileSource(SAMPLES / f"{name}.mp4") as source:
        fresh = record_track(source, estimator)
    estimator.close()
    both = np.isfinite(fresh.image_norm[:, 0, 0]) & np.isfinite(cached.image_norm[:, 0, 0])
    diff = np.abs(fresh.image_norm[both, :, :2] - cached.image_norm[both, :, :2])
    assert np.percentile(diff, 95) < 0.03  # MediaPipe's own test tolerance
