"""Run MediaPipe PoseLandmarker (Tasks API, VIDEO mode) on synthetic clips; compare with truth.

Errors use the 12 limb joints (shoulders, elbows, wrists, hips, knees, ankles) in pixels.
MediaPipe picks left/right by its own guess, so each frame is scored both as returned
("raw") and with left/right swapped; "best" takes the lower, and a frame counts as swapped
when the swapped assignment is lower. Angle errors compare MediaPipe's 2D angles with the
true 2D angles (projected truth) after the best assignment.

Limb swaps are counted per limb pair (legs: knees and ankles; arms: elbows and wrists), and
only in frames where the true left and right joints of that pair are apart (more than 5 % of
the body's extent): where they overlap, as in a side view with the legs together, either
labelling is right. A frame counts when the swapped labelling of that pair is closer.

Two sources of landmarks: MediaPipe run on the clips (`measure_folder`), or recorded tracks
replayed through formcoach's own assembly (`measure_tracks`), which scores the poses the
analyzers see (after every pose stage of a user's run) in seconds instead of minutes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from formcoach.exercises.summary import Summary
from formcoach.landmarks import Landmark, mirror
from formcoach.pose.tracks import Track
from formcoach.types import Event, FrameResult, RunStats
from formcoach_studio.body import FloatArray
from formcoach_studio.kinematics import key_angles
from formcoach_studio.studio import ClipSpec, pose_clip, truth_arrays
from formcoach_studio.truth import ANALYZER_FOR, FrameArrays, read_arrays


def med(values: list[Any]) -> float:
    """Median of a list, NaN when it is empty."""
    return float(np.median(values)) if values else float("nan")


log = logging.getLogger(__name__)
L = Landmark
JOINTS = [
    L.LEFT_SHOULDER,
    L.RIGHT_SHOULDER,
    L.LEFT_ELBOW,
    L.RIGHT_ELBOW,
    L.LEFT_WRIST,
    L.RIGHT_WRIST,
    L.LEFT_HIP,
    L.RIGHT_HIP,
    L.LEFT_KNEE,
    L.RIGHT_KNEE,
    L.LEFT_ANKLE,
    L.RIGHT_ANKLE,
]
SWAP = np.array([int(mirror(lm)) for lm in Landmark])
LIMB_PAIRS = {
    "legs": ((L.LEFT_KNEE, L.RIGHT_KNEE), (L.LEFT_ANKLE, L.RIGHT_ANKLE)),
    "arms": ((L.LEFT_ELBOW, L.RIGHT_ELBOW), (L.LEFT_WRIST, L.RIGHT_WRIST)),
}
APART_OF_BODY = 0.05  # a limb pair is apart when its joints are this far (of body extent)
ANGLES = ("left_knee", "right_knee", "left_hip", "right_hip", "left_body_line", "right_body_line")


@dataclass(frozen=True, slots=True)
class ClipResult:
    clip: str
    exercise: str
    view: str
    frames: int
    detected: int
    swapped: int
    err_raw_px: float  # median over detected frames of the mean joint error
    err_best_px: float
    err_best_p90_px: float
    err_best_pct_body: float
    angle_err_deg: dict[str, float]  # median |error| per angle name
    angle_err_p90_deg: float
    misses: list[tuple[float, float]]  # undetected segments (start_s, end_s)
    limb_swaps: dict[str, tuple[int, int]]  # per limb pair: (swapped, frames apart)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_truth(folder: Path, name: str) -> tuple[dict[str, Any], FrameArrays]:
    """The clip's JSON and arrays; arrays are regenerated (no rendering) when missing."""
    data = json.loads((folder / f"{name}.truth.json").read_text())
    npz = folder / data["arrays_file"]
    if npz.exists():
        return data, read_arrays(npz)
    return data, truth_arrays(pose_clip(ClipSpec.from_dict(data["spec"])))


ROTATIONS = {
    90: cv2.ROTATE_90_CLOCKWISE,
    180: cv2.ROTATE_180,
    270: cv2.ROTATE_90_COUNTERCLOCKWISE,
}


def detect_clip(
    video: Path, model: Path, rotate_deg: int = 0, *, fresh: bool = False
) -> list[FloatArray | None]:
    """(33, 2) pixel landmarks per frame, or None where no person was found.
    `rotate_deg` (90, 180, 270 clockwise) runs the model on the rotated image and maps
    the landmarks back to the original frame. `fresh`: IMAGE mode, the person detector
    on every frame instead of VIDEO mode's tracking from frame to frame."""
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    mode = vision.RunningMode.IMAGE if fresh else vision.RunningMode.VIDEO
    opts = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model)),
        running_mode=mode,
        num_poses=1,
    )
    out: list[FloatArray | None] = []
    cap = cv2.VideoCapture(str(video))
    fps = cap.get(cv2.CAP_PROP_FPS) or 24.0
    with vision.PoseLandmarker.create_from_options(opts) as lm:
        i = 0
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            h, w = frame.shape[:2]
            seen = cv2.rotate(frame, ROTATIONS[rotate_deg]) if rotate_deg else frame
            img = mp.Image(
                image_format=mp.ImageFormat.SRGB, data=cv2.cvtColor(seen, cv2.COLOR_BGR2RGB)
            )
            res = lm.detect(img) if fresh else lm.detect_for_video(img, round(i * 1000.0 / fps))
            if res.pose_landmarks:
                sh, sw = seen.shape[:2]
                pts = np.array([[p.x * sw, p.y * sh] for p in res.pose_landmarks[0]])
                out.append(unrotate(pts, rotate_deg, (w, h)))
            else:
                out.append(None)
            i += 1
    cap.release()
    return out


def unrotate(pts: FloatArray, rotate_deg: int, size_px: tuple[int, int]) -> FloatArray:
    """Pixel points found in an image rotated clockwise by `rotate_deg`, in the original
    image of `size_px` (width, height)."""
    w, h = size_px
    x, y = pts[:, 0], pts[:, 1]
    if rotate_deg == 90:
        return np.stack([y, h - 1 - x], axis=1)
    if rotate_deg == 180:
        return np.stack([w - 1 - x, h - 1 - y], axis=1)
    if rotate_deg == 270:
        return np.stack([w - 1 - y, x], axis=1)
    return pts


def _misses(found: npt.NDArray[Any], fps: float) -> list[tuple[float, float]]:
    segs, start = [], None
    for i, f in enumerate([*found.tolist(), True]):
        if not f and start is None:
            start = i
        elif f and start is not None:
            segs.append((round(start / fps, 2), round(i / fps, 2)))
            start = None
    return segs


def score_clip(
    data: dict[str, Any], truth: FrameArrays, detections: list[FloatArray | None]
) -> ClipResult:
    n = min(len(detections), truth.image_px.shape[0])
    found = np.array([d is not None for d in detections[:n]])
    idx = np.flatnonzero(found)
    fps = float(data["fps"])
    if idx.size == 0:
        return ClipResult(
            data["clip"],
            data["exercise"],
            data["view"],
            n,
            0,
            0,
            np.nan,
            np.nan,
            np.nan,
            np.nan,
            {},
            np.nan,
            _misses(found, fps),
            {name: (0, 0) for name in LIMB_PAIRS},
        )
    mp_pts = np.stack([detections[i] for i in idx])
    tr = truth.image_px[idx]
    raw = np.linalg.norm(mp_pts[:, JOINTS] - tr[:, JOINTS], axis=-1).mean(axis=1)
    swapped_pts = mp_pts[:, SWAP]
    sw = np.linalg.norm(swapped_pts[:, JOINTS] - tr[:, JOINTS], axis=-1).mean(axis=1)
    is_sw = sw < raw
    best_pts = np.where(is_sw[:, None, None], swapped_pts, mp_pts)
    best = np.minimum(raw, sw)
    ext = tr[:, JOINTS].max(axis=1) - tr[:, JOINTS].min(axis=1)
    body_px = np.maximum(ext.max(axis=1), 1.0)
    a_mp, a_tr = key_angles(best_pts), key_angles(tr)
    errs = {k: np.abs(a_mp[k] - a_tr[k]) for k in ANGLES}
    return ClipResult(
        clip=data["clip"],
        exercise=data["exercise"],
        view=data["view"],
        frames=n,
        detected=int(idx.size),
        swapped=int(is_sw.sum()),
        err_raw_px=float(np.median(raw)),
        err_best_px=float(np.median(best)),
        err_best_p90_px=float(np.percentile(best, 90)),
        err_best_pct_body=float(np.median(best / body_px) * 100),
        angle_err_deg={k: round(float(np.median(v)), 2) for k, v in errs.items()},
        angle_err_p90_deg=float(np.percentile(np.concatenate(list(errs.values())), 90)),
        misses=_misses(found, fps),
        limb_swaps=_limb_swaps(mp_pts, tr, body_px),
    )


def _limb_swaps(
    mp_pts: FloatArray, truth_px: FloatArray, body_px: FloatArray
) -> dict[str, tuple[int, int]]:
    """Per limb pair: frames where swapping its labels is closer, of frames it is apart."""
    out = {}
    for name, pairs in LIMB_PAIRS.items():
        left = [int(a) for a, _ in pairs]
        right = [int(b) for _, b in pairs]
        apart = np.linalg.norm(truth_px[:, left] - truth_px[:, right], axis=-1).mean(axis=1)
        apart_ok = apart > APART_OF_BODY * body_px
        kept = _dist(mp_pts[:, left], truth_px[:, left]) + _dist(
            mp_pts[:, right], truth_px[:, right]
        )
        swapped = _dist(mp_pts[:, right], truth_px[:, left]) + _dist(
            mp_pts[:, left], truth_px[:, right]
        )
        out[name] = (int((apart_ok & (swapped < kept)).sum()), int(apart_ok.sum()))
    return out


def _dist(a: FloatArray, b: FloatArray) -> FloatArray:
    return np.asarray(np.linalg.norm(a - b, axis=-1).sum(axis=1))


def measure_folder(folder: Path, model: Path) -> list[ClipResult]:
    results = []
    for js in sorted(folder.glob("*.truth.json")):
        name = js.name[: -len(".truth.json")]
        data, truth = load_truth(folder, name)
        det = detect_clip(folder / f"{name}.mp4", model)
        results.append(score_clip(data, truth, det))
        log.info("%s: %d/%d detected", name, results[-1].detected, results[-1].frames)
    return results


def perceived_px(track: Track, exercise: str) -> list[FloatArray | None]:
    """(33, 2) pixel landmarks per frame as the analyzer sees them: the track replayed
    through the assembly of a user's run (`formcoach.assembly.build`, default options),
    only the model replaced."""
    from formcoach.assembly import RunOptions, build
    from formcoach.exercises import Exercise
    from formcoach.pose.estimators import ReplayEstimator
    from formcoach.pose.tracks import TrackSource

    if exercise not in Exercise.registry:  # the pose stages do not depend on the analyzer
        exercise = "plank"
    source = TrackSource(track)
    assembly = build(RunOptions(exercise), source.info, estimator=ReplayEstimator(track))
    size = np.array(track.image_size_px, dtype=np.float64)
    seen = _PoseSink(size)
    assembly.sinks.append(seen)
    assembly.run(source)
    return seen.points


class _PoseSink:
    """Keeps each frame's pose in pixels."""

    def __init__(self, size_px: FloatArray) -> None:
        self.size_px = size_px
        self.points: list[FloatArray | None] = []

    def write(self, result: FrameResult) -> None:
        pose = result.pose
        self.points.append(None if pose is None else pose.image_norm[:, :2] * self.size_px)

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        """Nothing to write."""


def measure_tracks(clips: Path, tracks: Path) -> list[ClipResult]:
    """Score each clip's recorded track (`tracks/<clip>.npz`) against its truth."""
    results = []
    for npz in sorted(tracks.glob("*.npz")):
        data, truth = load_truth(clips, npz.stem)
        track = Track.load(npz)
        points = perceived_px(track, ANALYZER_FOR.get(data["exercise"], data["exercise"]))
        results.append(score_track(data, truth, track, points))
    return results


def score_track(
    data: dict[str, Any], truth: FrameArrays, track: Track, points: list[FloatArray | None]
) -> ClipResult:
    """`score_clip` of a track's per-frame points, placed at the truth's frames by time."""
    by_frame: list[FloatArray | None] = [None] * truth.image_px.shape[0]
    for t_s, pts in zip(track.timestamps_s, points, strict=True):
        k = round(float(t_s) * float(data["fps"]))
        if 0 <= k < len(by_frame):
            by_frame[k] = pts
    return score_clip(data, truth, by_frame)


def _row(label: str, rs: list[ClipResult]) -> str:
    frames = sum(r.frames for r in rs)
    det = sum(r.detected for r in rs)
    ok = [r for r in rs if r.detected]
    knee = med([np.mean([r.angle_err_deg["left_knee"], r.angle_err_deg["right_knee"]]) for r in ok])
    hip = med([np.mean([r.angle_err_deg["left_hip"], r.angle_err_deg["right_hip"]]) for r in ok])
    line = med(
        [
            np.mean([r.angle_err_deg["left_body_line"], r.angle_err_deg["right_body_line"]])
            for r in ok
        ]
    )
    swap = sum(r.swapped for r in rs) / max(det, 1) * 100
    limbs = " | ".join(_swap_share(rs, name) for name in LIMB_PAIRS)
    return (
        f"| {label} | {len(rs)} | {det}/{frames} ({det / max(frames, 1) * 100:.0f}%) "
        f"| {med([r.err_raw_px for r in ok]):.1f} | {med([r.err_best_px for r in ok]):.1f} "
        f"| {med([r.err_best_pct_body for r in ok]):.1f} | {swap:.0f}% | {knee:.1f} "
        f"| {hip:.1f} | {line:.1f} | {limbs} |"
    )


def _swap_share(rs: list[ClipResult], limb: str) -> str:
    swapped = sum(r.limb_swaps[limb][0] for r in rs)
    apart = sum(r.limb_swaps[limb][1] for r in rs)
    return f"{swapped / apart * 100:.0f}% of {apart}" if apart else "-"


def swap_rate(rs: list[ClipResult], limb: str) -> float:
    """The share of frames (limb pair apart) where that pair's labels are swapped."""
    apart = sum(r.limb_swaps[limb][1] for r in rs)
    return sum(r.limb_swaps[limb][0] for r in rs) / apart if apart else 0.0


HEADER = (
    "| group | clips | detected frames | joint err raw px | joint err best px "
    "| best % body | L/R swapped | knee err deg | hip err deg | body-line err deg "
    "| legs swapped | arms swapped |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def write_report(results: list[ClipResult]) -> str:
    """Markdown tables per exercise, per view, per clip, and the detection gaps."""
    lines = ["### Per exercise", "", HEADER]
    for ex in sorted({r.exercise for r in results}):
        lines.append(_row(ex, [r for r in results if r.exercise == ex]))
    lines += ["", "### Per camera view", "", HEADER]
    for v in sorted({r.view for r in results}):
        lines.append(_row(v, [r for r in results if r.view == v]))
    lines += ["", "### Per clip", "", HEADER]
    lines += [_row(r.clip, [r]) for r in results]
    lines += ["", "### Frames where MediaPipe found no person", ""]
    gaps = [
        f"- {r.clip}: {', '.join(f'{a:.2f}-{b:.2f} s' for a, b in r.misses)}"
        for r in results
        if r.misses
    ]
    lines += gaps or ["- none"]
    return "\n".join(lines) + "\n"
