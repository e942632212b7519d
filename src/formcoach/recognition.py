"""Which exercise of the catalog is being done, per time segment.

Rules on view-independent 3D features (MediaPipe world landmarks, y down), over a sliding
window of about 2.5 s: the posture (upright, prone, supine, side-lying, folded forward)
from the trunk's tilt and the chest's facing direction, then the movement within the
posture, tested by each registered exercise's `Signature` (its own file says what
identifies it). Foam rolling needs the roller, which is not a landmark, so the foam
exercises declare no signature.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from formcoach.exercises import Exercise
from formcoach.exercises.signature import BENT_KNEE_DEG, Posture, Signature, Window
from formcoach.geometry import elevation_deg, joint_angle_deg
from formcoach.landmarks import Landmark as L
from formcoach.switching import NONE, Segment, SwitchConfig, segment_labels
from formcoach.types import Pose


@dataclass(frozen=True, slots=True)
class Features:
    """One frame's posture numbers, all from world coordinates."""

    trunk_tilt_deg: float  # hip->shoulder from vertical: 0 upright, 90 lying
    chest_up: float  # the chest normal's upward component: +1 supine, -1 prone, 0 side
    knee_left_deg: float
    knee_right_deg: float
    thigh_tilt_deg: float  # mean hip->knee from vertical: 0 standing, 90 thighs level
    leg_lift_deg: float  # mean hip flexion: 0 legs along the trunk line, 90 legs up
    knee_sway: float  # knees' sideways shift from the hips, over thigh length
    hip_deg: float  # mean shoulder-hip-knee angle: 180 hips extended (bridge), 90 flexed


def _unit(v: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    n = float(np.linalg.norm(v))
    return v / n if n > 1e-9 else v * math.nan


def _tilt_deg(v: npt.NDArray[np.float64]) -> float:
    """Angle from vertical: 0 upright, 90 level."""
    return 90.0 - elevation_deg(v)


# Landmarks every feature needs; frames where they are hidden (out of frame, a close-up)
# are left out of the window rather than guessed.
KEY_LANDMARKS = (
    L.LEFT_SHOULDER,
    L.RIGHT_SHOULDER,
    L.LEFT_HIP,
    L.RIGHT_HIP,
    L.LEFT_KNEE,
    L.RIGHT_KNEE,
    L.LEFT_ANKLE,
    L.RIGHT_ANKLE,
)
MIN_VISIBILITY = 0.5


def features(pose: Pose) -> Features | None:
    """The frame's features, or None when the body is not fully in view."""
    if float(np.mean(pose.visibility[list(KEY_LANDMARKS)])) < MIN_VISIBILITY:
        return None
    w = pose.world_m
    shoulders = (w[L.LEFT_SHOULDER] + w[L.RIGHT_SHOULDER]) / 2
    hips = (w[L.LEFT_HIP] + w[L.RIGHT_HIP]) / 2
    spine = _unit(shoulders - hips)
    across = _unit((w[L.LEFT_SHOULDER] - w[L.RIGHT_SHOULDER]) + (w[L.LEFT_HIP] - w[L.RIGHT_HIP]))
    chest = _unit(np.cross(across, spine))  # anterior direction (y down: up is -y)
    knees = [
        float(joint_angle_deg(w[h], w[k], w[a]))
        for h, k, a in (
            (L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE),
            (L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE),
        )
    ]
    thighs = [w[L.LEFT_KNEE] - w[L.LEFT_HIP], w[L.RIGHT_KNEE] - w[L.RIGHT_HIP]]
    lifts = [
        180.0 - float(joint_angle_deg(shoulders, w[h], w[k]))
        for h, k in ((L.LEFT_HIP, L.LEFT_KNEE), (L.RIGHT_HIP, L.RIGHT_KNEE))
    ]
    knee_mid = (w[L.LEFT_KNEE] + w[L.RIGHT_KNEE]) / 2
    thigh_len = float(np.mean([np.linalg.norm(t) for t in thighs]))
    sway = float(np.dot(knee_mid - hips, across)) / thigh_len if thigh_len > 1e-6 else math.nan
    return Features(
        trunk_tilt_deg=_tilt_deg(shoulders - hips),
        chest_up=-float(chest[1]),
        knee_left_deg=knees[0],
        knee_right_deg=knees[1],
        thigh_tilt_deg=float(np.mean([_tilt_deg(t) for t in thighs])),
        leg_lift_deg=float(np.mean(lifts)),
        knee_sway=sway,
        hip_deg=180.0 - float(np.mean(lifts)),
    )


LYING_TILT_DEG = 45.0  # trunk tilt from vertical at which a body counts as lying


def trunk_of(pose: Pose) -> str | None:
    """ "upright" or "lying" (an exercise's `trunk`), None when the body is not in view."""
    f = features(pose)
    if f is None or math.isnan(f.trunk_tilt_deg):
        return None
    return "lying" if f.trunk_tilt_deg >= LYING_TILT_DEG else "upright"


@dataclass(frozen=True, slots=True)
class RecognizerConfig:
    window_s: float = 2.5  # long enough to hold one slow rep's motion, short for switching
    # Lying: the trunk more than 45 deg from vertical; upright: under 35 (between: keep).
    lying_tilt_deg: float = 45.0
    upright_tilt_deg: float = 35.0
    # Legs vertical: hip->knee within 35 deg of vertical (standing, or folded forward).
    vertical_thigh_deg: float = 35.0
    # The chest faces up (supine) or down (prone) when its normal is within 60 deg of
    # vertical (|component| > 0.5); in between the body lies on its side.
    facing_min: float = 0.5


def _range(values: list[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    if len(finite) < 3:
        return 0.0
    lo, hi = np.percentile(finite, [10, 90])
    return float(hi - lo)


def _median(values: list[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return float(np.median(finite)) if finite else math.nan


def _lowest(values: list[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return min(finite) if finite else math.nan


def summarize(window: list[Features]) -> Window:
    """The window's medians and ranges that the signatures test."""
    knees = [min(f.knee_left_deg, f.knee_right_deg) for f in window]
    tilts = [f.trunk_tilt_deg for f in window]
    lifts = [f.leg_lift_deg for f in window]
    hips = [f.hip_deg for f in window if math.isfinite(f.hip_deg)]
    return Window(
        tilt_deg=_median(tilts),
        chest_up=_median([f.chest_up for f in window]),
        knee_min_deg=_median(knees),
        knee_max_deg=_median([max(f.knee_left_deg, f.knee_right_deg) for f in window]),
        knee_lowest_deg=_lowest(knees),
        knee_range_deg=_range(knees),
        knee_asymmetry_deg=_median(
            [
                abs(f.knee_left_deg - f.knee_right_deg)
                for f in window
                if min(f.knee_left_deg, f.knee_right_deg) < 140.0
            ]
        ),
        thigh_tilt_deg=_median([f.thigh_tilt_deg for f in window]),
        trunk_lift_range_deg=_range(tilts),
        tilt_lowest_deg=_lowest(tilts),
        leg_lift_deg=_median(lifts),
        leg_lift_range_deg=_range(lifts),
        knee_sway_range=_range([f.knee_sway for f in window]),
        hip_high_deg=float(np.percentile(hips, 90)) if hips else math.nan,
    )


def posture_of(w: Window, cfg: RecognizerConfig) -> Posture:
    """The posture of the window from the trunk's tilt, the thighs and the chest's facing."""
    legs_vertical = w.thigh_tilt_deg < cfg.vertical_thigh_deg
    if w.tilt_deg <= cfg.upright_tilt_deg or (w.tilt_deg < cfg.lying_tilt_deg and legs_vertical):
        return "upright"
    if legs_vertical and w.chest_up < 0.0 and w.knee_min_deg > BENT_KNEE_DEG:
        return "folded"  # standing on straight legs, trunk folded forward
    if w.chest_up <= -cfg.facing_min:
        return "prone"  # face down: on forearms and toes, or on hands and knees
    if w.chest_up < cfg.facing_min:
        return "side_lying"
    return "supine"


def signatures() -> list[tuple[str, Signature]]:
    """Every registered exercise's signature, in the order they are tried: the avoid-list
    movements first, whatever their `order`, then by `order`. A window that shows an
    avoid movement is warned as it even where a program exercise's signature matches
    too; the avoid signature itself leaves out what the program exercise clearly shows
    (one knee bent: not a double leg lift; the trunk staying low: not a full sit-up)."""
    declared = [
        (c.kind != "warning", c.signature.order, c.name, c.signature)
        for c in Exercise.registry.values()
        if c.signature is not None
    ]
    return [(name, signature) for *_, name, signature in sorted(declared, key=lambda d: d[:3])]


def classify_window(window: list[Features], cfg: RecognizerConfig) -> str:
    """The exercise label for a window of consecutive features (oldest first): the first
    signature of the posture seen that matches its movement, or none."""
    if len(window) < 3:
        return NONE
    w = summarize(window)
    posture = posture_of(w, cfg)
    for name, signature in signatures():
        if signature.posture == posture and signature.seen(w):
            return name
    return NONE


@dataclass
class Recognizer:
    """Labels each frame from the window ending at it; `segments()` splits the labels
    into parts (`switching`)."""

    config: RecognizerConfig = field(default_factory=RecognizerConfig)
    keep_labels: bool = True  # for `segments()`; a live session's switcher needs none
    _window: deque[tuple[float, Features]] = field(default_factory=deque)
    labels: list[tuple[float, str]] = field(default_factory=list)

    def update(self, pose: Pose | None, t_s: float) -> str:
        f = features(pose) if pose is not None else None
        if f is not None:
            self._window.append((t_s, f))
        while self._window and t_s - self._window[0][0] > self.config.window_s:
            self._window.popleft()
        label = classify_window([f for _, f in self._window], self.config)
        if self.keep_labels:
            self.labels.append((t_s, label))
        return label

    def segments(self, switching: SwitchConfig | None = None) -> list[Segment]:
        """The recording's parts, switched as a live session switches them."""
        return segment_labels(self.labels, switching or switch_config())


def switch_config() -> SwitchConfig:
    """How parts are switched (`switching`): the avoid-list movements named on a close
    call, as recognition tries them first; the postures held still slow to replace an
    exercise."""
    declared = [(n, c) for n, c in Exercise.registry.items() if c.signature is not None]
    avoid = frozenset(n for n, c in declared if c.kind == "warning")
    still = frozenset(n for n, c in declared if c.signature is not None and c.signature.at_rest)
    return SwitchConfig(warnings=avoid, at_rest=still)


def dominant(labels: list[tuple[float, str]]) -> str:
    """The most frequent label other than `none` (or `none`)."""
    counts = Counter(label for _, label in labels if label != NONE)
    return counts.most_common(1)[0][0] if counts else NONE
