"""Key angles measured back from points, for 3D truth and for 2D image points alike.

Conventions: a joint angle is the interior angle at the middle point (180 = straight).
`body_line` is the shoulder-hip-ankle angle (180 = straight plank). Segment-to-horizontal
angles are in [0, 90]: 3D points use the floor plane (y up); 2D image points use the image
x axis (y down), which equals the floor only for a level camera.
"""

from __future__ import annotations

import numpy as np

from formcoach.landmarks import Landmark as L
from formcoach_studio.body import FloatArray

JOINT_TRIPLES: dict[str, tuple[L, L, L]] = {
    "left_knee": (L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE),
    "right_knee": (L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE),
    "left_hip": (L.LEFT_SHOULDER, L.LEFT_HIP, L.LEFT_KNEE),
    "right_hip": (L.RIGHT_SHOULDER, L.RIGHT_HIP, L.RIGHT_KNEE),
    "left_elbow": (L.LEFT_SHOULDER, L.LEFT_ELBOW, L.LEFT_WRIST),
    "right_elbow": (L.RIGHT_SHOULDER, L.RIGHT_ELBOW, L.RIGHT_WRIST),
    "left_body_line": (L.LEFT_SHOULDER, L.LEFT_HIP, L.LEFT_ANKLE),
    "right_body_line": (L.RIGHT_SHOULDER, L.RIGHT_HIP, L.RIGHT_ANKLE),
}
SEGMENTS: dict[str, tuple[L, L]] = {
    "left_thigh_to_horizontal": (L.LEFT_HIP, L.LEFT_KNEE),
    "right_thigh_to_horizontal": (L.RIGHT_HIP, L.RIGHT_KNEE),
    "left_shin_to_horizontal": (L.LEFT_KNEE, L.LEFT_ANKLE),
    "right_shin_to_horizontal": (L.RIGHT_KNEE, L.RIGHT_ANKLE),
}
ANGLE_NAMES: tuple[str, ...] = (
    *JOINT_TRIPLES,
    *SEGMENTS,
    "trunk_to_horizontal",
    "leg_to_horizontal_max",
)


def joint_angle_deg(a: FloatArray, b: FloatArray, c: FloatArray) -> FloatArray:
    """Interior angle at b of (..., D) point arrays, degrees."""
    u, v = a - b, c - b
    cos = np.sum(u * v, axis=-1) / np.maximum(
        np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1), 1e-12
    )
    return np.asarray(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def to_horizontal_deg(a: FloatArray, b: FloatArray) -> FloatArray:
    """Angle of segment a->b to the horizontal, degrees in [0, 90]."""
    d = b - a
    if d.shape[-1] == 3:
        vert = np.abs(d[..., 1])
        horiz = np.linalg.norm(d[..., [0, 2]], axis=-1)
    else:
        vert = np.abs(d[..., 1])
        horiz = np.abs(d[..., 0])
    return np.asarray(np.degrees(np.arctan2(vert, horiz)))


def key_angles(points: FloatArray) -> dict[str, FloatArray]:
    """(T, 33, D) points (D = 2 image px or 3 world m) -> name -> (T,) degrees."""
    p = np.asarray(points, dtype=np.float64)
    out = {n: joint_angle_deg(p[:, a], p[:, b], p[:, c]) for n, (a, b, c) in JOINT_TRIPLES.items()}
    for n, (a, b) in SEGMENTS.items():
        out[n] = to_horizontal_deg(p[:, a], p[:, b])
    mid_hip = (p[:, L.LEFT_HIP] + p[:, L.RIGHT_HIP]) / 2
    mid_sh = (p[:, L.LEFT_SHOULDER] + p[:, L.RIGHT_SHOULDER]) / 2
    out["trunk_to_horizontal"] = to_horizontal_deg(mid_hip, mid_sh)
    legs = [
        to_horizontal_deg(p[:, h], p[:, a])
        for h, a in ((L.LEFT_HIP, L.LEFT_ANKLE), (L.RIGHT_HIP, L.RIGHT_ANKLE))
    ]
    out["leg_to_horizontal_max"] = np.maximum(*legs)
    return out


def angle_matrix(points: FloatArray) -> FloatArray:
    """(T, len(ANGLE_NAMES)) key angles in `ANGLE_NAMES` order."""
    ang = key_angles(points)
    return np.stack([ang[n] for n in ANGLE_NAMES], axis=1)
