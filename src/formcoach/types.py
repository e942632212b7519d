"""Frozen data types shared by every stage of the pipeline.

Units are in the names (`_s`, `_deg`, `_px`, `_norm`, `_m`); images are BGR (`image_bgr`).
A missing person is `None`, never an empty `Pose`; "can't judge" is `ok=None`, never `False`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from formcoach.landmarks import NUM_LANDMARKS, Landmark

if TYPE_CHECKING:
    from formcoach.coach.setup_check import SetupStatus
    from formcoach.exercises.summary import Target

FloatArray = npt.NDArray[np.float64]
Side = Literal["left", "right"]
ViewName = Literal["side", "front", "oblique", "unknown"]


@dataclass(frozen=True, slots=True)
class Frame:
    """One image from a source. `timestamp_s` is the only clock any stage may read."""

    image_bgr: npt.NDArray[np.uint8]
    timestamp_s: float
    index: int

    def __post_init__(self) -> None:
        if self.image_bgr.ndim != 3 or self.image_bgr.shape[2] != 3:
            raise ValueError(f"image_bgr must be HxWx3, got shape {self.image_bgr.shape}")

    @property
    def size_px(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return int(self.image_bgr.shape[1]), int(self.image_bgr.shape[0])


@dataclass(frozen=True, slots=True)
class Pose:
    """One person's landmarks as arrays, converted from MediaPipe once at the boundary.

    `image_norm`: (33, 3) x, y in [0, 1] of the image width/height, z relative depth.
    `world_m`: (33, 3) metres, origin between the hips, y down.
    `visibility`, `presence`: (33,) in [0, 1].
    `image_size_px`: (width, height) of the image the pose was found in, so that
    normalized coordinates can be turned into square pixels for angles.
    """

    image_norm: FloatArray
    world_m: FloatArray
    visibility: FloatArray
    presence: FloatArray
    image_size_px: tuple[int, int]

    def __post_init__(self) -> None:
        for name, shape in (
            ("image_norm", (NUM_LANDMARKS, 3)),
            ("world_m", (NUM_LANDMARKS, 3)),
            ("visibility", (NUM_LANDMARKS,)),
            ("presence", (NUM_LANDMARKS,)),
        ):
            value = getattr(self, name)
            if value.shape != shape:
                raise ValueError(f"Pose.{name} must have shape {shape}, got {value.shape}")

    @property
    def image_px(self) -> FloatArray:
        """(33, 2) image coordinates in pixels (square units, y down)."""
        w, h = self.image_size_px
        px: FloatArray = self.image_norm[:, :2] * np.array([w, h], dtype=np.float64)
        return px

    def px(self, landmark: Landmark) -> FloatArray:
        """One point in pixels."""
        point: FloatArray = self.image_px[int(landmark)]
        return point

    def visible(self, *landmarks: Landmark, threshold: float = 0.5) -> bool:
        """True when every named landmark's visibility reaches `threshold`."""
        return bool(all(self.visibility[int(lm)] >= threshold for lm in landmarks))


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of one rule on one frame.

    `ok` is True (passes), False (fault) or None (can't judge: landmarks hidden, wrong view).
    `value` is the measured quantity in the rule's unit, for overlays and plots.
    `joint` optionally names the angle measured, as three landmark names without side
    ("SHOULDER", "HIP", "ANKLE": the angle at the hip), so an overlay can draw it there.
    `marginal`: a failure kept because its fault is already raised, while the value is
    past the limit by no more than the signal's noise band (such a value never starts one).
    """

    rule: str
    ok: bool | None
    message: str = ""
    value: float | None = None
    priority: int = 0
    joint: tuple[str, str, str] | None = None
    marginal: bool = False


@dataclass(frozen=True, slots=True)
class ViewInfo:
    """Which way the camera looks at the person, and whether the exercise can be judged."""

    detected: ViewName
    judgeable: bool
    message: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened at a moment: a rep, a hold start/end, a fault start/end."""

    kind: str
    timestamp_s: float
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "t_s": round(self.timestamp_s, 3), **self.data}


@dataclass(frozen=True, slots=True)
class Verdict:
    """What an exercise analyzer concluded about one frame."""

    checks: tuple[Check, ...]
    in_position: bool
    correction: str | None
    reps_left: int
    reps_right: int
    reps_partial: int
    reps_unsided: int
    hold_s: float
    holding: bool
    side: Side | None
    view: ViewInfo
    events: tuple[Event, ...] = ()
    signals: dict[str, float] = field(default_factory=dict)

    @property
    def reps_total(self) -> int:
        return self.reps_left + self.reps_right + self.reps_unsided


SessionPhase = Literal["setup", "countdown", "active"]


@dataclass(frozen=True, slots=True)
class LiveState:
    """What a live session adds to a frame's result: its phase, clocks, the correction
    shown, the target. The window and the voice read it here, never from the session."""

    phase: SessionPhase
    setup: SetupStatus | None
    countdown_s: float  # seconds left in the countdown
    paused: bool
    muted: bool
    correction: str | None  # the one correction shown (debounced)
    set_elapsed_s: float
    session_elapsed_s: float
    fps: float
    source_status: str  # "camera disconnected ..." or ""
    target: Target
    target_met: bool
    label: str = ""  # e.g. "set 1 of 2" in a routine
    time_left_s: float | None = None  # timed steps and rests
    instruction: str = ""  # what to do, for steps no analyzer judges
    best_hold_s: float = 0.0  # the longest hold of the set so far (kept when a hold breaks)


@dataclass(frozen=True, slots=True)
class FrameResult:
    """Everything the sinks may read about one frame: the frame, the pose, the verdict and,
    in a live session, the session's state."""

    frame: Frame
    pose: Pose | None
    verdict: Verdict
    session: LiveState | None = None


@dataclass(frozen=True, slots=True)
class RunStats:
    """What one run of the loop saw: frames, frames with a person, time span, and whether
    the input was read to its end."""

    frames: int
    frames_with_pose: int
    first_t_s: float
    last_t_s: float
    complete: bool  # the input was read to its end (not stopped or interrupted)
    stop_reason: str = ""

    @property
    def pose_coverage(self) -> float:
        return self.frames_with_pose / self.frames if self.frames else 0.0
