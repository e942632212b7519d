"""Vectorised ray-primitive intersections: capsules, oriented boxes, horizontal planes.

All rays start at one origin (the camera centre); `dirs` is (N, 3) unit directions.
A miss is `inf` distance.
"""

from __future__ import annotations

import numpy as np

from formcoach_studio.body import FloatArray


def capsule_hits(
    origin: FloatArray, dirs: FloatArray, a: FloatArray, b: FloatArray, r: float
) -> tuple[FloatArray, FloatArray]:
    """Distance along each ray to the capsule a-b of radius r, and the unit surface normal."""
    ba = b - a
    oa = origin - a
    baba = float(ba @ ba)
    bard = dirs @ ba
    baoa = float(ba @ oa)
    rdoa = dirs @ oa
    oaoa = float(oa @ oa)
    t = np.full(dirs.shape[0], np.inf)
    if baba > 1e-12:
        qa = baba - bard * bard
        qb = baba * rdoa - baoa * bard
        qc = baba * oaoa - baoa * baoa - r * r * baba
        h = qb * qb - qa * qc
        with np.errstate(invalid="ignore", divide="ignore"):
            t_body = (-qb - np.sqrt(h)) / qa
        y = baoa + t_body * bard
        body = (h >= 0) & (y > 0) & (y < baba) & (qa > 1e-12)
        t = np.where(body, t_body, t)
    for end in (a, b):
        oc = origin - end
        qb2 = dirs @ oc
        h2 = qb2 * qb2 - (float(oc @ oc) - r * r)
        with np.errstate(invalid="ignore"):
            t_cap = -qb2 - np.sqrt(h2)
        t = np.where((h2 >= 0) & (t_cap > 0) & (t_cap < t), t_cap, t)
    t = np.where(t > 0, t, np.inf)
    p = origin + dirs * np.where(np.isfinite(t), t, 0.0)[:, None]
    s = np.clip(((p - a) @ ba) / max(baba, 1e-12), 0.0, 1.0)
    normal = p - (a + s[:, None] * ba)
    normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-9)
    return t, normal


def box_hits(
    origin: FloatArray, dirs: FloatArray, centre: FloatArray, half: FloatArray, rot: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Distance to an oriented box (`rot` columns are the box axes in world) and normals."""
    o = (origin - centre) @ rot
    d = dirs @ rot
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = 1.0 / np.where(np.abs(d) < 1e-12, 1e-12, d)
        t1 = (-half - o) * inv
        t2 = (half - o) * inv
    t_near = np.minimum(t1, t2)
    t_far = np.maximum(t1, t2)
    t_enter = t_near.max(axis=1)
    t_exit = t_far.min(axis=1)
    hit = (t_enter <= t_exit) & (t_enter > 0)
    t = np.where(hit, t_enter, np.inf)
    axis = t_near.argmax(axis=1)
    n_local = np.zeros_like(d)
    n_local[np.arange(d.shape[0]), axis] = -np.sign(d[np.arange(d.shape[0]), axis])
    return t, n_local @ rot.T


def plane_y_hits(origin: FloatArray, dirs: FloatArray, y: float) -> FloatArray:
    """Distance to the horizontal plane at height y (inf when the ray goes away from it)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (y - origin[1]) / dirs[:, 1]
    return np.where(t > 0, t, np.inf)


def plane_hits(
    origin: FloatArray, dirs: FloatArray, point: FloatArray, normal: FloatArray
) -> FloatArray:
    """Distance to the plane through `point` with `normal`."""
    denom = dirs @ normal
    with np.errstate(divide="ignore", invalid="ignore"):
        t = float((point - origin) @ normal) / denom
    return np.where(t > 0, t, np.inf)
