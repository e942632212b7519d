from __future__ import annotations

import numpy as np

from formcoach.pose.smoothing import OneEuroFilter, PoseSmoother
from tests.posefactory import make_pose, plank_points


def test_one_euro_reduces_jitter_on_a_still_signal():
    rng = np.random.default_rng(0)
    f = OneEuroFilter()
    raw = 0.5 + rng.normal(0, 0.01, 300)
    out = np.array([f.update(np.array([x]), i / 30)[0] for i, x in enumerate(raw)])
    assert out[30:].std() < raw[30:].std() / 2


def test_one_euro_follows_a_fast_move_with_little_lag():
    f = OneEuroFilter()
    values = [f.update(np.array([0.0 if i < 30 else 1.0]), i / 30)[0] for i in range(60)]
    assert values[29] == 0.0
    assert values[40] > 0.9  # within ~1/3 s of a step


def test_smoother_resets_after_a_long_gap():
    s = PoseSmoother(max_gap_s=0.5)
    a = make_pose(plank_points())
    b = make_pose(plank_points(bend_deg=-30))
    s.update(a, 0.0)
    assert s.update(None, 0.3) is None
    out = s.update(b, 1.0)  # 1 s since the last pose: no blending with the old one
    assert out is not None
    assert np.allclose(out.image_norm, b.image_norm)
