"""Adaptive sampling: fewer model calls while still, every frame around motion, timestamps
to the model still increasing, and the analysis unchanged on the cached plank tracks."""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.offline.evaluate import predict
from formcoach.pose.estimators import ReplayEstimator
from formcoach.pose.sampling import AdaptiveSampler, wrap
from formcoach.pose.tracks import Track, TrackSource
from formcoach.types import Frame, Pose
from tests.conftest import TRACKS
from tests.posefactory import make_pose, plank_points


class Recorder:
    """An estimator recording the frames it is called on."""

    def __init__(self, poses):
        self.poses = poses
        self.times: list[float] = []

    def estimate(self, frame):
        self.times.append(frame.timestamp_s)
        return self.poses[frame.index]

    def close(self):
        pass


def shifted(pose, dx_norm):
    image_norm = pose.image_norm.copy()
    image_norm[:, 0] += dx_norm
    return Pose(image_norm, pose.world_m, pose.visibility, pose.presence, pose.image_size_px)


def frames(n, image=None, fps=30.0):
    blank = np.zeros((36, 64, 3), np.uint8) if image is None else image
    return [Frame(blank, i / fps, i) for i in range(n)]


def test_still_body_is_sampled_sparsely_and_motion_at_full_rate():
    still = make_pose(plank_points())
    # The body slides across the image at 0.6 image widths per second (a rep's speed).
    moving = [shifted(still, 0.02 * (i + 1)) for i in range(30)]
    poses = [still] * 60 + moving + [still] * 60
    inner = Recorder(poses)
    sampler = AdaptiveSampler(inner)
    seen = [sampler.estimate(f) for f in frames(len(poses))]
    assert all(p is not None for p in seen)
    times = inner.times
    assert times == sorted(set(times))  # strictly increasing for VIDEO mode
    called = {round(t * 30) for t in times}
    assert len([i for i in called if i < 60]) <= 60 / 3  # still: at most every 3rd-4th frame
    assert set(range(64, 90)) <= called  # moving: every frame
    assert sampler.call_ratio < 0.6


def test_an_image_change_calls_the_model_before_the_stride_is_used_up():
    still = make_pose(plank_points())
    inner = Recorder([still] * 40)
    sampler = AdaptiveSampler(inner)
    dark, bright = np.zeros((36, 64, 3), np.uint8), np.full((36, 64, 3), 200, np.uint8)
    for f in frames(20, dark):
        sampler.estimate(f)
    before = len(inner.times)
    sampler.estimate(Frame(bright, 20 / 30, 20))
    assert len(inner.times) == before + 1


def test_full_mode_is_the_estimator_itself_and_bad_modes_name_the_valid_ones():
    inner = Recorder([])
    assert wrap(inner, "full") is inner
    with pytest.raises(ValueError, match="expected one of: full, adaptive"):
        wrap(inner, "sometimes")


@pytest.mark.parametrize("name", ["plank_02", "plank_04"])
def test_plank_tracks_give_the_same_holds_with_adaptive_sampling(name):
    track = TRACKS / f"{name}.npz"
    full = predict(name, "plank", track=track, sampling="full")
    adaptive = predict(name, "plank", track=track, sampling="adaptive")
    assert adaptive.hold_s == pytest.approx(full.hold_s, abs=0.2)
    assert [f["rule"] for f in adaptive.faults] == [f["rule"] for f in full.faults]
    loaded = Track.load(track)
    sampler = AdaptiveSampler(ReplayEstimator(loaded))
    for frame in TrackSource(loaded):
        sampler.estimate(frame)
    assert sampler.call_ratio < 0.6
