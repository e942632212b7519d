"""Pure numpy geometry on landmark coordinates.

Conventions, written once:
- Points are (..., 2) image pixels (x right, y DOWN) or (..., 3) world metres (y down).
- `joint_angle_deg(a, b, c)` is the inner angle at b between b->a and b->c, in [0, 180].
  A straight limb is 180.
- `incline_deg(a, b)` is the angle of segment a->b to the image horizontal, in [0, 90],
  ignoring direction: 0 = horizontal, 90 = vertical.
- `line_offset_ratio(a, b, p)` is the signed perpendicular distance of p from line a-b,
  divided by |a-b|. Positive means p lies *above* the line in the image (smaller y):
  for a plank that is piked hips, negative is sagging hips.
- `signed_bend_deg(a, p, b)` is how far the path a->p->b bends at p from straight, in
  [-180, 180]: positive when p lies above the line a-b (piked hips), negative below.
Degenerate input (coincident points, NaN) gives NaN, never an exception.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from formcoach.landmarks import Landmark as L

Array = npt.NDArray[np.float64]


def _as_array(p: npt.ArrayLike) -> Array:
    return np.asarray(p, dtype=np.float64)


def joint_angle_deg(a: npt.ArrayLike, b: npt.ArrayLike, c: npt.ArrayLike) -> Array:
    """Inner angle at b (degrees), vectorised over leading axes."""
    b_ = _as_array(b)
    ba = _as_array(a) - b_
    bc = _as_array(c) - b_
    # Plain sums and a masked divide, not linalg.norm and errstate: the analysis calls
    # this a few times per frame on single points, where their overhead dominated.
    norms = np.sqrt((ba * ba).sum(axis=-1) * (bc * bc).sum(axis=-1))
    dot = (ba * bc).sum(axis=-1)
    cos = np.divide(dot, norms, out=np.full(np.shape(dot), np.nan), where=norms > 1e-12)
    angle: Array = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    return angle


def incline_deg(a: npt.ArrayLike, b: npt.ArrayLike) -> Array:
    """Angle of segment a-b to the horizontal (degrees, 0..90), direction ignored."""
    d = _as_array(b) - _as_array(a)
    dx = np.abs(d[..., 0])
    dy = np.abs(d[..., 1])
    angle = np.degrees(np.arctan2(dy, dx))
    return np.where((dx + dy) > 1e-12, angle, np.nan)


def line_offset_ratio(a: npt.ArrayLike, b: npt.ArrayLike, p: npt.ArrayLike) -> Array:
    """Signed distance of p from line a-b over |a-b|; positive = above the line (image)."""
    a_, b_, p_ = _as_array(a), _as_array(b), _as_array(p)
    ab = b_ - a_
    ap = p_ - a_
    squared = ab[..., 0] * ab[..., 0] + ab[..., 1] * ab[..., 1]
    cross = ab[..., 0] * ap[..., 1] - ab[..., 1] * ap[..., 0]
    # With y down, cross > 0 means p is clockwise of a->b. Orient a->b left-to-right so the
    # sign means "above/below" whichever way the person lies.
    direction = np.where(ab[..., 0] >= 0, 1.0, -1.0)
    ratio: Array = np.divide(
        -direction * cross, squared, out=np.full(np.shape(cross), np.nan),
        where=squared > 1e-24,
    )  # fmt: skip
    return ratio


def signed_bend_deg(a: npt.ArrayLike, p: npt.ArrayLike, b: npt.ArrayLike) -> float:
    """180 minus the angle at p, signed by which side of the line a-b p lies: positive
    above it (smaller y), negative below (or when the side cannot be told)."""
    bend = 180.0 - float(joint_angle_deg(a, p, b))
    return bend if float(line_offset_ratio(a, b, p)) >= 0 else -bend


def distance(a: npt.ArrayLike, b: npt.ArrayLike) -> Array:
    """Euclidean distance over the last axis."""
    d: Array = np.linalg.norm(_as_array(a) - _as_array(b), axis=-1)
    return d


def midpoint(a: npt.ArrayLike, b: npt.ArrayLike) -> Array:
    return (_as_array(a) + _as_array(b)) / 2.0


def trunk_vector_m(world_m: npt.ArrayLike) -> Array:
    """Mid-hips to mid-shoulders in MediaPipe world coordinates (metres, y down)."""
    w = _as_array(world_m)
    shoulders = midpoint(w[L.LEFT_SHOULDER], w[L.RIGHT_SHOULDER])
    return shoulders - midpoint(w[L.LEFT_HIP], w[L.RIGHT_HIP])


def elevation_deg(v: npt.ArrayLike) -> float:
    """A 3D vector's angle to the horizontal plane (degrees, 0..90, direction ignored;
    y is vertical): 0 lying level, 90 upright. NaN for a zero vector."""
    a = _as_array(v)
    n = float(np.linalg.norm(a))
    if not n > 1e-12:
        return float("nan")
    return float(np.degrees(np.arcsin(min(1.0, abs(float(a[1])) / n))))
