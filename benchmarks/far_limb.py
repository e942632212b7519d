"""Would reporting a far limb "not seen" where it lies on the near one undo the copies?

Filmed from the side, MediaPipe sometimes places the far foot or knee on (or near) the
near one with the near one's confidence: the straight-leg raise's far foot snaps onto the
raised foot every few frames, an ankle pump's far foot follows the near one. The check
tried here: in a side or oblique view (shoulder and hip lines more than
`view.FRONT_MAX_DEG` out of the image plane), a part (elbow, hand, knee, foot) whose
joints lie within RADIUS torso lengths of its mirror part is one shape with it, and the
one MediaPipe places behind (world z) gets visibility 0, the "not seen" every analyzer
gates on; apart again past RADIUS + 0.05.

Two measures, each with the check off and on (applied to the estimator's poses, before
every formcoach stage of the default assembly):

1. On the sample clips' tracks against the synthetic truth, per part, in frames where the
   true parts are apart (over APART torso lengths): **copied** (MediaPipe put them under
   half the truth's distance apart and both are reported seen), **hidden** (one reported
   not seen) and **lost** (hidden by the check although MediaPipe saw both and placed
   them apart as the truth has them).
2. On the perturbed tracks (`tests/data/perturbed_tracks`): how many runs' outcomes differ
   from their clip's own track (`benchmarks/perturb.py`'s outcome).

    PYTHONPATH=src:studio/src:. python benchmarks/far_limb.py [--radius 0.25]   # ~2 min

Result (docs/synthetic_accuracy.md, "Tried and measured, not adopted"): most copies are
not on the near part but pulled part-way toward it, and a far foot hidden while the feet
are together (standing, in a lunge) moves where the lunge's reps start; not adopted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.perturb import base_track, changes, outcome
from formcoach.assembly import RunOptions, build
from formcoach.exercises import Exercise
from formcoach.exercises.summary import Summary
from formcoach.landmarks import Landmark as L
from formcoach.pose.estimators import ReplayEstimator
from formcoach.pose.tracks import Track, TrackSource
from formcoach.types import Event, FloatArray, FrameResult, Pose, RunStats
from formcoach.view import FRONT_MAX_DEG, depth_angle_deg
from formcoach_studio.measure import load_truth
from formcoach_studio.truth import ANALYZER_FOR

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_videos"
TRACKS = ROOT / "tests" / "data" / "sample_tracks"
PERTURBED = ROOT / "tests" / "data" / "perturbed_tracks"
APART = 0.4  # torso lengths: the true parts are clearly two shapes
SEEN = 0.5  # the analyzers' `min_visibility`
# Each part's joints on the left (the right's are index + 1); the first decides.
PARTS: dict[str, tuple[L, ...]] = {
    "elbow": (L.LEFT_ELBOW,),
    "hand": (L.LEFT_WRIST, L.LEFT_PINKY, L.LEFT_INDEX, L.LEFT_THUMB),
    "knee": (L.LEFT_KNEE,),
    "foot": (L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT_INDEX),
}
DECIDES = {"elbow": 1, "hand": 1, "knee": 1, "foot": 3}


def _indices(part: str, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    left = np.array([int(j) for j in PARTS[part][:n]])
    return left, left + 1


@dataclass
class FarPartCheck:
    """The check tried (see the module doc)."""

    radius: float
    _together: dict[str, bool] = field(default_factory=dict)

    def update(self, pose: Pose | None) -> Pose | None:
        if pose is None or not depth_angle_deg(pose) > FRONT_MAX_DEG:
            self._together.clear()
            return pose
        px = pose.image_norm[:, :2] * np.asarray(pose.image_size_px, dtype=np.float64)
        torso = float(np.linalg.norm((px[11] + px[12]) / 2 - (px[23] + px[24]) / 2))
        visibility = pose.visibility.copy()
        for part in PARTS:
            a, b = _indices(part, DECIDES[part])
            apart = float(np.linalg.norm(px[a] - px[b], axis=-1).max())
            limit = self.radius + (0.05 if self._together.get(part) else 0.0)
            self._together[part] = together = torso > 0 and apart < limit * torso
            if together:
                left, right = _indices(part)
                z = pose.world_m[:, 2]  # grows away from the camera
                visibility[left if z[left].mean() > z[right].mean() else right] = 0.0
        return replace(pose, visibility=visibility)


class Checked(ReplayEstimator):
    """A recorded track's poses, through the check when it is given."""

    def __init__(self, track: Track, check: FarPartCheck | None) -> None:
        super().__init__(track)
        self.check = check

    def estimate(self, frame: Any) -> Pose | None:
        pose = super().estimate(frame)
        return pose if self.check is None else self.check.update(pose)


class _Keep:
    """Keeps each frame's time, (33, 2) pixel points and visibility."""

    def __init__(self, size_px: FloatArray) -> None:
        self.size_px = size_px
        self.frames: list[tuple[float, FloatArray, FloatArray] | None] = []

    def write(self, result: FrameResult) -> None:
        pose = result.pose
        if pose is None:
            self.frames.append(None)
        else:
            pts = pose.image_norm[:, :2] * self.size_px
            self.frames.append((result.frame.timestamp_s, pts, pose.visibility.copy()))

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        """Nothing to write."""


def replayed(track: Track, exercise: str, check: FarPartCheck | None) -> Any:
    """The assembly after the run, with a `_Keep` as its last sink."""
    if exercise not in Exercise.registry:
        exercise = "plank"
    source = TrackSource(track)
    options = RunOptions(exercise, video=False, html=False)
    assembly = build(options, source.info, estimator=Checked(track, check))
    assembly.sinks.append(_Keep(np.array(track.image_size_px, dtype=np.float64)))
    assembly.run(source)
    return assembly


@dataclass
class Count:
    apart: int = 0
    copied: int = 0
    hidden: int = 0
    lost: int = 0


def score(keep: _Keep, raw: _Keep, truth_px: FloatArray, fps: float) -> dict[str, Count]:
    out = {part: Count() for part in PARTS}
    for seen, before in zip(keep.frames, raw.frames, strict=True):
        if seen is None or before is None:
            continue
        t_s, px, vis = seen
        k = round(t_s * fps)
        if not 0 <= k < truth_px.shape[0]:
            continue
        tr = truth_px[k]
        torso = np.linalg.norm((tr[11] + tr[12]) / 2 - (tr[23] + tr[24]) / 2)
        for part in PARTS:
            a, b = _indices(part, DECIDES[part])
            true_apart = np.linalg.norm(tr[a] - tr[b], axis=-1).max()
            if true_apart < APART * torso:
                continue
            c = out[part]
            c.apart += 1
            mp_apart = np.linalg.norm(px[a] - px[b], axis=-1).max()
            both_seen = min(vis[a].min(), vis[b].min()) >= SEEN
            raw_both = min(before[2][a].min(), before[2][b].min()) >= SEEN
            c.copied += int(mp_apart < 0.5 * true_apart and both_seen)
            c.hidden += int(not both_seen)
            c.lost += int(not both_seen and raw_both and mp_apart >= 0.5 * true_apart)
    return out


def pose_table(radius: float) -> list[str]:
    totals = {on: {p: Count() for p in PARTS} for on in (False, True)}
    for npz in sorted(TRACKS.glob("*.npz")):
        data, truth = load_truth(SAMPLES, npz.stem)
        if data["view"] == "front":
            continue
        track = Track.load(npz)
        exercise = ANALYZER_FOR.get(data["exercise"], data["exercise"])
        raw = replayed(track, exercise, None).sinks[-1]
        for on in (False, True):
            keep = replayed(track, exercise, FarPartCheck(radius)).sinks[-1] if on else raw
            for part, c in score(keep, raw, truth.image_px, float(data["fps"])).items():
                t = totals[on][part]
                t.apart, t.copied = t.apart + c.apart, t.copied + c.copied
                t.hidden, t.lost = t.hidden + c.hidden, t.lost + c.lost
    rows = ["| part | frames apart | copied, off | copied, on | hidden, off | hidden, on "
            "| lost |", "|---|---|---|---|---|---|---|"]  # fmt: skip
    for part in PARTS:
        off, on = totals[False][part], totals[True][part]
        rows.append(f"| {part} | {off.apart} | {off.copied} | {on.copied} | {off.hidden} "
                    f"| {on.hidden} | {on.lost} |")  # fmt: skip
    return rows


def outcome_of(exercise: str, path: Path, check: FarPartCheck | None) -> dict[str, Any]:
    report = replayed(Track.load(path), exercise, check).report.report
    return outcome(report.to_json())


def flips(radius: float) -> list[str]:
    index = json.loads((PERTURBED / "index.json").read_text())
    changed: dict[bool, list[str]] = {False: [], True: []}
    for on in (False, True):
        bases: dict[str, dict[str, Any]] = {}
        for name, entry in sorted(index.items()):
            clip, exercise = entry["clip"], entry["exercise"]
            check = (lambda: FarPartCheck(radius)) if on else (lambda: None)
            if clip not in bases:
                bases[clip] = outcome_of(exercise, base_track(clip), check())
            if changes(bases[clip], outcome_of(exercise, PERTURBED / f"{name}.npz", check())):
                changed[on].append(name)
    more = sorted(set(changed[True]) - set(changed[False]))
    fewer = sorted(set(changed[False]) - set(changed[True]))
    return [f"runs changed, check off: {len(changed[False])} of {len(index)}",
            f"runs changed, check on: {len(changed[True])} of {len(index)}",
            f"changed only with the check: {', '.join(more) or '-'}",
            f"changed only without it: {', '.join(fewer) or '-'}"]  # fmt: skip


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--radius", type=float, default=0.25, help="torso lengths")
    args = parser.parse_args(argv)
    print("\n".join(pose_table(args.radius)))
    print("\n".join(flips(args.radius)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
