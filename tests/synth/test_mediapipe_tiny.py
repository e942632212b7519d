"""Render a short clip, write it as video, run MediaPipe, check detection and joint error.

Tolerance: on the committed sample set (docs/synthetic_accuracy.md) side-view clips had a
median best-assignment joint error of 4-17 px at 640x360 (1.5-4.4 % of body size). This
test uses 320x180, so 4.4 % of body size is allowed for the median, 10 % for the 90th pct.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from formcoach.models import model_path
from formcoach.synth.studio import ClipSpec, build_clip


def test_mediapipe_finds_the_synthetic_lunger(tmp_path: Path) -> None:
    from formcoach.synth.measure import detect_clip, load_truth, score_clip

    MODEL = model_path()  # built by `formcoach setup`, which the test command runs first
    spec = ClipSpec(
        name="tiny_lunge", exercise="lunge", width_px=320, height_px=180, fps=10.0, seed=3
    )
    build_clip(spec, tmp_path)
    data, truth = load_truth(tmp_path, "tiny_lunge")
    n = 20  # the first two seconds
    det = detect_clip(tmp_path / "tiny_lunge.mp4", MODEL)[:n]
    short = type(truth)(
        truth.times_s[:n],
        truth.image_px[:n],
        truth.world_m[:n],
        truth.angles3d_deg[:n],
        truth.angles2d_deg[:n],
        truth.in_frame[:n],
    )
    res = score_clip(data, short, det)
    assert res.detected >= 0.9 * n
    assert res.err_best_pct_body < 4.4
    assert np.isfinite(res.err_best_p90_px)
