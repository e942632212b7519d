"""Ground truth of a synthetic clip: events as JSON, per-frame arrays as .npz.

`<clip>.truth.json` holds what happened (exercise, view, reps, holds, faults, camera);
`<clip>.truth.npz` holds per-frame arrays and can be regenerated from the JSON's `spec`.
Left/right always name the subject's anatomical sides.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from formcoach_studio.body import FloatArray
from formcoach_studio.kinematics import ANGLE_NAMES

SCHEMA_VERSION = 1
# Truth exercises judged by another exercise's analyzer: rolling the lower back is the
# warning of thoracic foam rolling (the roller moved too low).
ANALYZER_FOR = {"foam_roll_lumbar": "foam_roll_thoracic"}


@dataclass(frozen=True, slots=True)
class Rep:
    """One repetition: leaves the start position, reaches the bottom/top, is back."""

    start_s: float
    bottom_s: float
    end_s: float
    side: str | None = None


@dataclass(frozen=True, slots=True)
class Hold:
    """A held position (plank, wall sit, raised leg ...)."""

    start_s: float
    end_s: float
    side: str | None = None


@dataclass(frozen=True, slots=True)
class Fault:
    """A form fault by rule name, active from start_s to end_s."""

    rule: str
    start_s: float
    end_s: float
    side: str | None = None


@dataclass(frozen=True, slots=True)
class Events:
    reps: tuple[Rep, ...] = ()
    holds: tuple[Hold, ...] = ()
    faults: tuple[Fault, ...] = ()


@dataclass(frozen=True, slots=True)
class CameraTruth:
    position_m: tuple[float, float, float]
    height_m: float
    tilt_deg: float
    focal_px: float
    azimuth_deg: float


@dataclass(frozen=True, slots=True)
class ClipTruth:
    clip: str
    exercise: str
    variant: str
    view: str
    avoid: bool
    fps: float
    n_frames: int
    duration_s: float
    width_px: int
    height_px: int
    body_size: str
    camera: CameraTruth
    events: Events
    arrays_file: str
    regenerate: str
    spec: dict[str, Any] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION

    def reps_per_side(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.events.reps:
            key = r.side or "both"
            out[key] = out.get(key, 0) + 1
        return out


def write_json(truth: ClipTruth, path: Path) -> None:
    data = asdict(truth)
    data["reps_per_side"] = truth.reps_per_side()
    path.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")


def read_json(path: Path) -> ClipTruth:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("reps_per_side", None)
    ev = data.pop("events")
    events = Events(
        reps=tuple(Rep(**r) for r in ev["reps"]),
        holds=tuple(Hold(**h) for h in ev["holds"]),
        faults=tuple(Fault(**f) for f in ev["faults"]),
    )
    camera = data.pop("camera")
    cam_args: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in camera.items()
    }
    cam = CameraTruth(**cam_args)
    return ClipTruth(events=events, camera=cam, **data)


@dataclass(frozen=True, slots=True)
class FrameArrays:
    """Per-frame truth: times (T,), image_px (T,33,2), world_m (T,33,3),
    angles3d_deg / angles2d_deg (T, len(ANGLE_NAMES)), in_frame (T,33) bool."""

    times_s: FloatArray
    image_px: FloatArray
    world_m: FloatArray
    angles3d_deg: FloatArray
    angles2d_deg: FloatArray
    in_frame: npt.NDArray[Any]

    def angle(self, name: str, space: str = "3d") -> FloatArray:
        table = self.angles3d_deg if space == "3d" else self.angles2d_deg
        return np.asarray(table[:, ANGLE_NAMES.index(name)])


def write_arrays(arrays: FrameArrays, path: Path) -> None:
    np.savez_compressed(
        path,
        times_s=arrays.times_s,
        image_px=arrays.image_px.astype(np.float32),
        world_m=arrays.world_m.astype(np.float32),
        angles3d_deg=arrays.angles3d_deg.astype(np.float32),
        angles2d_deg=arrays.angles2d_deg.astype(np.float32),
        in_frame=arrays.in_frame,
        angle_names=np.array(ANGLE_NAMES),
    )


def read_arrays(path: Path) -> FrameArrays:
    with np.load(path) as z:
        return FrameArrays(
            times_s=z["times_s"],
            image_px=z["image_px"].astype(np.float64),
            world_m=z["world_m"].astype(np.float64),
            angles3d_deg=z["angles3d_deg"].astype(np.float64),
            angles2d_deg=z["angles2d_deg"].astype(np.float64),
            in_frame=z["in_frame"],
        )
