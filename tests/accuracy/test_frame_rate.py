"""Live equals offline: the same movement gives the same reps, holds and faults whatever
the frame rate between 10 and 30 fps, with dropped frames or uneven timestamps.

Every cached track (real clips in tests/data/tracks, the project's sample clips in
tests/data/sample_tracks) is replayed through its analyzer at full rate and under one
perturbation at a time: decimated to 10, 15 and 20 fps by timestamp (what a loaded laptop
that always analyses the newest frame sees), 20 % of frames dropped at random, and
timestamps jittered by up to a quarter of a frame interval. The perturbed result must
match the full-rate one; nothing here is compared with the truth (test_truth_table.py
and test_sample_videos.py do that).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pytest

from formcoach.exercises import Exercise
from formcoach.exercises.summary import Summary
from formcoach.offline import truthtable
from formcoach.pose.tracks import Track
from tests.conftest import SHARED_CLIPS, TRACKS
from tests.goldens import SAMPLE_TRACKS, analyzer_name, load_truth
from tests.replay import replay

# Real clips truth.tsv does not list, and the catalogue exercise they are replayed as.
EXTRA_EXERCISES = {
    # Scissors: both straight legs up, lowered in turn; the double-leg-lift watcher.
    "leg_raise_03": "double_leg_lift",
    "knee_to_chest_01": "knee_to_chest",  # no analyzer yet: skipped with the reason
}
# Known differences: (track, variant) -> why. Each was looked at sample by sample: a
# signal sits within its noise of a threshold, and which side the fewer samples of the
# perturbed stream fall decides; no timing rule of the analysis can tell them apart.
KNOWN_DIFFERENCES = {
    ("lunge_too_shallow_side", "10fps"): "the first shallow lunge passes the 50 deg start "
    "line by 5 deg for 0.18 s (3.88-4.06 s); the 10 fps samples either side read 49.6 and "
    "48.7 deg, so that partial rep is never seen to start",
    ("lunge_too_shallow_side", "drop20"): "on the way up from the second lunge (4.70-4.83 "
    "s) MediaPipe reads the right knee at 81-100 deg for 0.13 s while the truth's knees "
    "are at 118-145 deg (a misread leg); with the depth line at 102.75 deg (100 plus the "
    "knee's 2.75 deg noise band) the samples left after dropping a fifth of the frames "
    "at random put 0.15 s past it, so that too-shallow lunge counts as deep",
    ("straight_leg_raise_good_side", "20fps"): "the lifted knee reads 135-148 deg around "
    "the 145 deg limit for 2 s (4.4-6.3 s); at full rate single frames out of position (the "
    "other knee misread) restart the fault's 0.5 s wait, at 20 fps they fall between samples "
    "and the 2 s read as one fault",
    ("wall_sit_good_side", "jitter"): "MediaPipe's shins jump to 19-23 deg off vertical for "
    "0.29 s (2.75-3.05 s) while the truth's stay within 3.4 deg: past the 15 deg limit and "
    "its band for as long as ends a hold to within a frame, so at full rate the hold runs "
    "on from 1.96 s and with the timestamps jittered it starts again at 3.09 s",
}
# Tolerances of the comparison (the brief of the frame-rate work, not tuned on results).
HOLD_TOLERANCE_S = 0.5  # each hold's duration and the total hold time
MIN_FAULT_S = 1.0  # faults at least this long at full rate must be found again
DROP_SHARE = 0.2
JITTER_SHARE = 0.25  # of one frame interval
SEED = 20240601


@dataclass(frozen=True, slots=True)
class Outcome:
    """What must not depend on the frame rate."""

    reps: dict[str, int]
    holds_s: tuple[float, ...]
    faults: dict[str, float]  # rule -> longest stretch, seconds

    @classmethod
    def of(cls, summary: Summary) -> Outcome:
        longest: dict[str, float] = {}
        for fault in summary.faults:
            d = fault.interval.duration_s
            longest[fault.rule] = max(longest.get(fault.rule, 0.0), d)
        reps = {
            "left": summary.reps_left,
            "right": summary.reps_right,
            "unsided": summary.reps_unsided,
            "total": summary.reps_left + summary.reps_right + summary.reps_unsided,
            "partial": summary.reps_partial,
        }
        return cls(reps, tuple(h.duration_s for h in summary.holds), longest)


def _real_exercises() -> dict[str, str]:
    table = SHARED_CLIPS / "truth.tsv"
    found = {c.stem: c.exercise for c in truthtable.load(table)} if table.is_file() else {}
    return {**EXTRA_EXERCISES, **found}


def _cases() -> list[object]:
    real = _real_exercises()
    cases: list[object] = []
    for path in sorted(TRACKS.glob("*.npz")):
        exercise = real.get(path.stem)
        marks = []
        if exercise is None:
            marks.append(pytest.mark.skip(reason=f"no exercise for it: {SHARED_CLIPS} absent"))
        elif exercise not in Exercise.registry:
            marks.append(pytest.mark.skip(reason=f"no analyzer for {exercise}"))
        cases.append(pytest.param("real", path.stem, exercise, marks=marks, id=path.stem))
    for path in sorted(SAMPLE_TRACKS.glob("*.npz")):
        truth = load_truth(path.stem)
        cases.append(pytest.param("sample", path.stem, analyzer_name(truth), id=path.stem))
    return cases


@functools.cache
def _track(kind: str, name: str) -> Track:
    return Track.load((TRACKS if kind == "real" else SAMPLE_TRACKS) / f"{name}.npz")


def outcome(track: Track, exercise: str) -> Outcome:
    """The track through the default assembly (tests/replay.py)."""
    return Outcome.of(replay(exercise, track).assembly.exercise.summary())


@functools.cache
def _full_rate(kind: str, name: str, exercise: str) -> Outcome:
    return outcome(_track(kind, name), exercise)


# --- perturbations ------------------------------------------------------------------------


def kept(track: Track, keep: npt.NDArray[np.bool_], fps: float | None = None) -> Track:
    """The track with only the kept frames (frame indices renumbered to match)."""
    return dataclasses.replace(
        track,
        timestamps_s=track.timestamps_s[keep],
        image_norm=track.image_norm[keep],
        world_m=track.world_m[keep],
        visibility=track.visibility[keep],
        presence=track.presence[keep],
        fps=track.fps if fps is None else fps,
    )


def decimated(track: Track, fps: float) -> Track:
    """The first frame of every 1/fps slot of time: any source rate lands on `fps`."""
    t = track.timestamps_s - track.timestamps_s[0]
    slot = np.floor(t * fps + 1e-6).astype(np.int64)
    keep = np.ones(len(t), dtype=bool)
    keep[1:] = slot[1:] != slot[:-1]
    return kept(track, keep, min(fps, track.fps))


def dropped(track: Track, share: float, seed: int) -> Track:
    keep = np.random.default_rng(seed).random(len(track)) >= share
    keep[0] = True
    return kept(track, keep, track.fps * (1 - share))


def jittered(track: Track, share: float, seed: int) -> Track:
    dt = 1.0 / track.fps
    noise = np.random.default_rng(seed).uniform(-share, share, len(track)) * dt
    t = track.timestamps_s + noise
    assert np.all(np.diff(t) > 0), "jitter must keep timestamps strictly increasing"
    return dataclasses.replace(track, timestamps_s=t)


VARIANTS = {
    "10fps": lambda tr: decimated(tr, 10.0),
    "15fps": lambda tr: decimated(tr, 15.0),
    "20fps": lambda tr: decimated(tr, 20.0),
    "drop20": lambda tr: dropped(tr, DROP_SHARE, SEED),
    "jitter": lambda tr: jittered(tr, JITTER_SHARE, SEED),
}


def test_decimation_keeps_frames_by_time_not_by_index():
    for fps in (24.0, 25.0, 30.0, 59.94):
        t = np.arange(int(20 * fps)) / fps
        track = Track("t", t, *(np.zeros((len(t), 33, 3)),) * 2, *(np.zeros((len(t), 33)),) * 2,
                      (2, 2), fps)  # fmt: skip
        for target in (10.0, 15.0, 20.0):
            out = decimated(track, target)
            assert len(out) == pytest.approx(20 * target, abs=1)
            assert np.diff(out.timestamps_s).max() < 1.0 / target + 1.0 / fps + 1e-9


def assert_same_outcome(got: Outcome, want: Outcome) -> None:
    assert got.reps == want.reps, "rep counts differ"
    assert len(got.holds_s) == len(want.holds_s), f"holds {got.holds_s} vs {want.holds_s}"
    for g, w in zip(got.holds_s, want.holds_s, strict=True):
        assert g == pytest.approx(w, abs=HOLD_TOLERANCE_S), f"holds {got.holds_s} vs {want.holds_s}"
    assert sum(got.holds_s) == pytest.approx(sum(want.holds_s), abs=HOLD_TOLERANCE_S)
    firm_want = {r for r, d in want.faults.items() if d >= MIN_FAULT_S}
    firm_got = {r for r, d in got.faults.items() if d >= MIN_FAULT_S}
    assert firm_want <= set(got.faults), f"faults {got.faults} vs {want.faults}"
    assert firm_got <= set(want.faults), f"faults {got.faults} vs {want.faults}"


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize(("kind", "name", "exercise"), _cases())
def test_same_outcome_at_any_frame_rate(kind, name, exercise, variant, request):
    reason = KNOWN_DIFFERENCES.get((name, variant))
    if reason is not None:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))
    want = _full_rate(kind, name, exercise)
    got = outcome(VARIANTS[variant](_track(kind, name)), exercise)
    assert_same_outcome(got, want)


def test_every_known_difference_names_a_track_and_a_variant():
    names = {p.stem for p in (*TRACKS.glob("*.npz"), *SAMPLE_TRACKS.glob("*.npz"))}
    assert {n for n, _ in KNOWN_DIFFERENCES} <= names
    assert {v for _, v in KNOWN_DIFFERENCES} <= set(VARIANTS)
