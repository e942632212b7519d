"""The pose error map: the landmarks the analyzers see, against the synthetic clips' exact
truth, per camera view.

Each sample clip's recorded track goes through the assembly of a user's run
(`formcoach synth measure sample_videos --tracks tests/data/sample_tracks`), so a change to
any pose stage (smoothing, a left/right fix, a detector change recorded in the tracks)
shows here. The errors are measured against the truth; the levels below are the map as it
stands (docs/synthetic_accuracy.md, "Through formcoach's pose stages"), so a change that
makes the map worse fails, and one that makes it better lowers them. The issue's targets
for the pose front-end are strict xfails with what stands in their way.
"""

from __future__ import annotations

import pytest

from formcoach_studio.measure import ClipResult, measure_tracks, med, swap_rate
from tests.goldens import SAMPLE_TRACKS, SAMPLES

# Per view, measured 2026-12-02 on the 25 sample tracks: share of frames with a person
# found, median over clips of the median joint error (best labelling, px at 640x360), and
# the share of frames with the legs / arms apart in which their labels are swapped.
LEVELS = {
    "side": {"detected": 1.0, "err_px": 10.5, "legs": 0.05, "arms": 0.05},
    "oblique": {"detected": 1.0, "err_px": 15.6, "legs": 0.02, "arms": 0.21},
    "front": {"detected": 0.80, "err_px": 43.3, "legs": 0.39, "arms": 0.40},
}
# Slack for a change that leaves the pose stages alone but moves a replay by a frame.
SLACK = {"detected": 0.005, "err_px": 0.3, "legs": 0.01, "arms": 0.01}


@pytest.fixture(scope="module")
def results() -> list[ClipResult]:
    return measure_tracks(SAMPLES, SAMPLE_TRACKS)


def _view(results: list[ClipResult], view: str) -> list[ClipResult]:
    rs = [r for r in results if r.view == view]
    assert rs, f"no sample clip filmed from the {view}"
    return rs


def _measured(rs: list[ClipResult]) -> dict[str, float]:
    return {
        "detected": sum(r.detected for r in rs) / sum(r.frames for r in rs),
        "err_px": med([r.err_best_px for r in rs if r.detected]),
        "legs": swap_rate(rs, "legs"),
        "arms": swap_rate(rs, "arms"),
    }


@pytest.mark.parametrize("view", sorted(LEVELS))
def test_the_error_map_is_no_worse_than_it_was(results, view):
    got = _measured(_view(results, view))
    level = LEVELS[view]
    assert got["detected"] >= level["detected"] - SLACK["detected"], got
    for key in ("err_px", "legs", "arms"):
        assert got[key] <= level[key] + SLACK[key], (key, got)


def test_every_sample_clip_with_a_track_is_scored(results):
    assert len(results) == len(list(SAMPLE_TRACKS.glob("*.npz"))) >= 25
    assert all(r.frames > 0 for r in results)


@pytest.mark.xfail(
    strict=True,
    reason="MediaPipe swaps the legs at mid-stride in lunge_good_side (22 % of its frames "
    "with the legs apart) and the arms when they are apart in a wall sit; keeping each "
    "leg's identity by continuity was measured and swaps as often as it repairs, since "
    "the labels MediaPipe gives when the legs part are themselves wrong at times "
    "(docs/synthetic_accuracy.md)",
)
def test_side_views_swap_left_and_right_in_under_2_percent_of_frames(results):
    side = _view(results, "side")
    assert swap_rate(side, "legs") < 0.02 and swap_rate(side, "arms") < 0.02


@pytest.mark.xfail(
    strict=True,
    reason="lying on the back filmed from the feet, MediaPipe places the joints 43 px off "
    "even with left and right swapped back: the body is foreshortened along the camera "
    "axis; the model run on the image rotated 90/180/270 deg stays 38-45 px off "
    "(benchmarks/rotated_detection.py)",
)
def test_knee_rolls_from_the_feet_median_joint_error_under_15_px(results):
    rolls = [r for r in results if r.exercise == "knee_rolls" and r.view == "front"]
    assert rolls and med([r.err_best_px for r in rolls]) < 15.0


@pytest.mark.xfail(
    strict=True,
    reason="a plank filmed head-on is found in 45 % of frames: the body is a short "
    "foreshortened shape under the head that the detector misses; on the image rotated "
    "90/180/270 deg it is found in 59/33/36 % (benchmarks/rotated_detection.py)",
)
def test_a_head_on_plank_is_found_in_over_90_percent_of_frames(results):
    [plank] = [r for r in results if r.clip == "plank_good_front"]
    assert plank.detected / plank.frames > 0.9
