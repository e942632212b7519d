"""Rep exercises on real clips from ../shared/clips, against the ground truth in MANIFEST.md.

Replays the cached landmark tracks (tests/data/tracks), so no model runs. Tolerances:
- lunge: counts exact. lunge_01 shows 8 complete lunges after a rep that fades in from the
  title card; the counter needs an observed rest before a rep, so that one is not counted.
  lunge_02 shows 6 complete ones; a 7th is going down when the clip ends and must not count.
  Both demos alternate legs (lunge_02 per the manifest; lunge_01 checked frame by frame),
  so the per-side counts differ by at most one.
- Correct-form demos: no fault raised at all (faults need 0.4 s for the lunge).
"""

from __future__ import annotations

import pytest

from tests.test_real_clips import analyse_track

# (clip, complete reps per MANIFEST.md)
LUNGE_TRUTH = [("lunge_01", 8), ("lunge_02", 6)]


@pytest.mark.parametrize(("name", "reps"), LUNGE_TRUTH)
def test_lunge_reps_match_the_manifest(name, reps, tmp_path):
    report = analyse_track(name, "lunge", tmp_path)
    assert report["view"]["judgeable"] is True
    counted = report["reps"]
    assert counted["total"] == reps
    assert counted["left"] + counted["right"] == reps  # every rep has a front leg
    assert abs(counted["left"] - counted["right"]) <= 1
    assert counted["partial"] == 0
    assert report["faults"] == []
