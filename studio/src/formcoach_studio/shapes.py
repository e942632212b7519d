"""Skeleton -> the mannequin's primitives (capsules; a sphere is a capsule with a = b)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from formcoach_studio.body import FloatArray, Segments, Skeleton, forward_kinematics


class Material(IntEnum):
    """What a primitive is made of; `render.Appearance` gives each a colour."""

    SKIN = 0
    SHIRT = 1
    PANTS = 2
    SHOE = 3
    HAIR = 4
    EYE_WHITE = 5
    PUPIL = 6
    MOUTH = 7
    LOWER_LEG = 8  # pants or skin (shorts)
    PROP = 9


@dataclass(frozen=True, slots=True)
class Capsules:
    """N capsules: axis ends `a_m`, `b_m` (N, 3), radius `r_m` (N,), `material` (N,)."""

    a_m: FloatArray
    b_m: FloatArray
    r_m: FloatArray
    material: npt.NDArray[Any]

    def __post_init__(self) -> None:
        n = self.r_m.shape[0]
        if self.a_m.shape != (n, 3) or self.b_m.shape != (n, 3) or self.material.shape != (n,):
            raise ValueError("Capsules arrays must be (N,3), (N,3), (N,), (N,)")

    def lowest_y_m(self) -> float:
        return float(np.min(np.minimum(self.a_m[:, 1], self.b_m[:, 1]) - self.r_m))

    def shifted(self, offset: FloatArray) -> Capsules:
        return Capsules(self.a_m + offset, self.b_m + offset, self.r_m, self.material)


def _unit(v: FloatArray) -> FloatArray:
    return v / max(float(np.linalg.norm(v)), 1e-9)


def _face(seg: Segments, sk: Skeleton) -> list[tuple[FloatArray, FloatArray, float, Material]]:
    p, rh, head = sk.points, seg.head_radius_m, sk.points["head"]
    hair_c = head + sk.head_rot @ np.array([-0.14 * rh, 0.12 * rh, 0.0])
    out = [(head, head, rh, Material.SKIN), (hair_c, hair_c, 0.99 * rh, Material.HAIR)]
    for side in ("left", "right"):
        eye = p[f"{side}_eye"]
        out.append((eye, eye, 0.2 * rh, Material.EYE_WHITE))
        pupil = eye + _unit(eye - head) * 0.1 * rh
        out.append((pupil, pupil, 0.12 * rh, Material.PUPIL))
        ear = p[f"{side}_ear"]
        out.append((ear, ear, 0.22 * rh, Material.SKIN))
        brow = eye + sk.head_rot @ np.array([0.0, 0.22 * rh, 0.0])
        out.append((brow, brow, 0.12 * rh, Material.HAIR))
    nose_c = head + _unit(p["nose"] - head) * 0.95 * rh
    out.append((nose_c, nose_c, 0.2 * rh, Material.SKIN))
    out.append((p["mouth_left"], p["mouth_right"], 0.07 * rh, Material.MOUTH))
    return out


def _limbs(seg: Segments, sk: Skeleton) -> list[tuple[FloatArray, FloatArray, float, Material]]:
    p, h, g = sk.points, seg.height_m, seg.girth
    out = []
    for s in ("left", "right"):
        out += [
            (p[f"{s}_shoulder"], p[f"{s}_elbow"], 0.026 * h * g, Material.SHIRT),
            (p[f"{s}_elbow"], p[f"{s}_wrist"], 0.019 * h * g, Material.SKIN),
            (p[f"{s}_wrist"], p[f"{s}_knuckles"], 0.013 * h, Material.SKIN),
            (p[f"{s}_index"], p[f"{s}_pinky"], 0.011 * h, Material.SKIN),
            (p[f"{s}_knuckles"], p[f"{s}_fingertips"], 0.009 * h, Material.SKIN),
            (p[f"{s}_wrist"], p[f"{s}_thumb"], 0.007 * h, Material.SKIN),
            (p[f"{s}_hip"], p[f"{s}_knee"], 0.042 * h * g, Material.PANTS),
            (p[f"{s}_knee"], p[f"{s}_ankle"], 0.027 * h * g, Material.LOWER_LEG),
            (p[f"{s}_ankle"], p[f"{s}_heel"], 0.02 * h, Material.SHOE),
            (p[f"{s}_heel"], p[f"{s}_foot_index"], 0.02 * h, Material.SHOE),
        ]
    return out


def _torso(seg: Segments, sk: Skeleton) -> list[tuple[FloatArray, FloatArray, float, Material]]:
    p, h, g = sk.points, seg.height_m, seg.girth
    chest_low = p["chest"] - _unit(p["chest"] - p["mid_spine"]) * 0.045 * h
    return [
        (p["left_hip"], p["right_hip"], 0.045 * h * g, Material.PANTS),
        (p["pelvis"], p["mid_spine"], 0.056 * h * g, Material.SHIRT),
        (p["mid_spine"], chest_low, 0.058 * h * g, Material.SHIRT),
        (p["left_shoulder"], p["right_shoulder"], 0.033 * h * g, Material.SHIRT),
        (p["chest"], p["neck_top"], 0.024 * h, Material.SKIN),
    ]


def body_capsules(seg: Segments, sk: Skeleton) -> Capsules:
    """The mannequin for this skeleton: torso, limbs, hands, feet, head with a face."""
    parts = _torso(seg, sk) + _limbs(seg, sk) + _face(seg, sk)
    return Capsules(
        a_m=np.array([x[0] for x in parts]),
        b_m=np.array([x[1] for x in parts]),
        r_m=np.array([x[2] for x in parts], dtype=np.float64),
        material=np.array([int(x[3]) for x in parts], dtype=np.int64),
    )


def grounded_body(
    seg: Segments, angles: Mapping[str, float], feet_only: bool = False
) -> tuple[Skeleton, Capsules]:
    """Skeleton and capsules moved up so the lowest surface touches the floor (+ `lift_m`).

    `feet_only` grounds on the shoes alone (the body may rest on a prop, e.g. a roller).
    """
    sk = forward_kinematics(seg, angles)
    caps = body_capsules(seg, sk)
    low = caps
    if feet_only:
        keep = caps.material == int(Material.SHOE)
        low = Capsules(caps.a_m[keep], caps.b_m[keep], caps.r_m[keep], caps.material[keep])
    offset = np.array([0.0, angles.get("lift_m", 0.0) - low.lowest_y_m(), 0.0])
    return sk.shifted(offset), caps.shifted(offset)
