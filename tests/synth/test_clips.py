"""Clips: determinism, truth consistency, committed samples, and MediaPipe on a tiny clip."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from tests.goldens import ANALYZER_FOR, rule_for

from formcoach.exercises import create
from formcoach_studio.body import BODY_SIZES, segments_for
from formcoach_studio.motions import REGISTRY, make_motion
from formcoach_studio.sets import sample_set
from formcoach_studio.studio import ClipSpec, build_clip, pose_clip, render_frames
from formcoach_studio.truth import read_arrays, read_json

SAMPLES = Path(__file__).resolve().parents[2] / "sample_videos"
TINY = dict(width_px=160, height_px=96, fps=8.0)


def _first_frames(spec: ClipSpec, n: int) -> list[bytes]:
    posed = pose_clip(spec)
    posed = dataclasses.replace(posed, capsules=posed.capsules[:n])
    return [f.tobytes() for f in render_frames(spec, posed)]


def test_same_seed_same_bytes_other_seed_differs() -> None:
    spec = ClipSpec(name="t", exercise="wall_sit", **TINY)  # type: ignore[arg-type]
    a = _first_frames(spec, 3)
    assert a == _first_frames(spec, 3)
    assert a != _first_frames(dataclasses.replace(spec, seed=1), 3)


@pytest.mark.parametrize("exercise", sorted(REGISTRY))
def test_every_motion_gives_events_inside_the_clip(exercise: str) -> None:
    variants = REGISTRY[exercise][1]
    for variant in variants:
        spec = ClipSpec(name="t", exercise=exercise, variant=variant, **TINY)  # type: ignore[arg-type]
        posed = pose_clip(spec)
        end = posed.motion.duration_s
        ev = posed.motion.events
        assert 4.0 <= end <= 20.0
        assert ev.reps or ev.holds, f"{exercise}/{variant} has no reps or holds"
        for r in ev.reps:
            assert 0 <= r.start_s < r.bottom_s < r.end_s <= end
        for h in ev.holds:
            assert 0 <= h.start_s < h.end_s <= end
        for f in ev.faults:
            assert 0 <= f.start_s < f.end_s <= end
        assert (variant in ("good", "avoid")) == (not ev.faults)
        _assert_faults_are_rules(exercise, {f.rule for f in ev.faults})


def _assert_faults_are_rules(exercise: str, names: set[str]) -> None:
    """Every fault the studio records is a rule of the exercise's analyzer (under its own
    name or through tests/goldens.py's FAULT_RULES), so the sample goldens can judge it."""
    rules = create(ANALYZER_FOR.get(exercise, exercise)).rule_names()
    missing = {n for n in names if rule_for(n) not in rules}
    assert not missing, (
        f"{exercise}: truth faults {sorted(missing)} have no rule in {sorted(rules)}"
    )


def test_committed_samples_match_their_specs_and_limits() -> None:
    specs = {s.name: s for s in sample_set()}
    mp4s = sorted(p.name[:-4] for p in SAMPLES.glob("*.mp4"))
    jsons = sorted(p.name[: -len(".truth.json")] for p in SAMPLES.glob("*.truth.json"))
    assert mp4s == jsons == sorted(specs)
    assert len(mp4s) <= 25
    assert sum(p.stat().st_size for p in SAMPLES.glob("*.mp4")) <= 15e6
    for name in mp4s:
        t = read_json(SAMPLES / f"{name}.truth.json")
        assert t.spec == json.loads(json.dumps(specs[name].to_dict()))
        assert 4.0 <= t.duration_s <= 12.0
        for r in t.events.reps:
            assert 0 <= r.start_s < r.bottom_s < r.end_s <= t.duration_s
        # The clip has round(duration x fps) frames, so it may end half a frame before the
        # motion, and a hold lasting to the motion's end is rounded to 1 ms.
        for h in t.events.holds:
            assert 0 <= h.start_s < h.end_s <= t.duration_s + 0.5 / t.fps + 0.001


@pytest.mark.parametrize("spec", sample_set(), ids=lambda s: s.name)
def test_committed_truth_events_are_the_studios(spec: ClipSpec) -> None:
    """The committed events are what the studio's motion records for the clip's spec (a
    change to a motion's events must be written into the committed truth too)."""
    seg = segments_for(BODY_SIZES[spec.body])
    motion = make_motion(spec.exercise, spec.variant, seg, np.random.default_rng(spec.seed))
    assert read_json(SAMPLES / f"{spec.name}.truth.json").events == motion.events


def test_tiny_clip_files_and_arrays(tmp_path: Path) -> None:
    spec = ClipSpec(name="tiny", exercise="wall_sit", **TINY)  # type: ignore[arg-type]
    build_clip(spec, tmp_path)
    t = read_json(tmp_path / "tiny.truth.json")
    arr = read_arrays(tmp_path / t.arrays_file)
    assert arr.image_px.shape == (t.n_frames, 33, 2)
    assert arr.world_m.shape == (t.n_frames, 33, 3)
    assert (tmp_path / "tiny.mp4").stat().st_size > 0
    # the wall sit hold has thighs near horizontal in truth
    mid = int((t.events.holds[0].start_s + t.events.holds[0].end_s) / 2 * t.fps)
    assert arr.angle("left_thigh_to_horizontal")[mid] < 8.0
    assert float(np.min(arr.world_m[..., 1])) > -0.01


def test_the_cli_knows_every_clip_set():
    from formcoach_studio.cli import SET_NAMES
    from formcoach_studio.sets import SETS

    assert sorted(SETS) == sorted(SET_NAMES)
