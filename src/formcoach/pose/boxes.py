"""A body's box in the image and how two compare: `Box` (from a pose's landmarks,
`box_of`), how unlike the last one a candidate is in body sizes (`body_cost`), and how
much two boxes overlap (`iou`, `share_inside`).

Person tracking (`people.py`), the guard on one-person tracking (`continuity.py`) and the
people checks (`crowd_log.py`, `crowd_switch.py`) all compare bodies this way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from formcoach.types import FloatArray

# The body joints a pose is matched by (shoulders, elbows, wrists, hips, knees, ankles),
# left and right in turn, and the same joints with left and right swapped.
BODY_JOINTS = (11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28)
MIRRORED = [1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10]


@dataclass(frozen=True, slots=True)
class Box:
    """A body's extent in normalised image coordinates (0-1 across width and height), and
    where its body joints are (`joints`, (12, 2), when known from a pose)."""

    cx_norm: float
    cy_norm: float
    w_norm: float
    h_norm: float
    joints: FloatArray | None = field(default=None, compare=False, repr=False)

    @property
    def size_norm(self) -> float:
        """One number for how big the body looks: its larger side."""
        return max(self.w_norm, self.h_norm, 1e-6)

    @property
    def area_norm(self) -> float:
        return max(self.w_norm * self.h_norm, 1e-12)


def box_of(image_norm: FloatArray) -> Box:
    """The bounding box of a pose's image landmarks (N, 3); non-finite points are ignored."""
    xy = image_norm[:, :2]
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) == 0:
        return Box(0.5, 0.5, 0.0, 0.0)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    (cx, cy), (w, h) = (lo + hi) / 2, hi - lo
    joints = image_norm[list(BODY_JOINTS), :2] if len(image_norm) > max(BODY_JOINTS) else None
    return Box(float(cx), float(cy), float(w), float(h), joints)


def body_cost(box: Box, last: Box) -> float:
    """How unlike `last` a candidate is, in body sizes. With both poses' joints: the
    median distance of each joint from where it was (a partial pose of someone else, or
    a box that grows as more of the same body is found, is told apart by where the
    joints are), with left and right as labelled or swapped, whichever is closer (the
    model swapping the labels is the same body); else by the box's move and size."""
    if box.joints is not None and last.joints is not None:
        costs = []
        for joints in (box.joints, box.joints[MIRRORED]):
            moved_joints = np.linalg.norm(joints - last.joints, axis=1)
            moved_joints = moved_joints[np.isfinite(moved_joints)]
            if len(moved_joints):
                costs.append(float(np.median(moved_joints)))
        if costs:
            return min(costs) / last.size_norm
    moved = math.hypot(box.cx_norm - last.cx_norm, box.cy_norm - last.cy_norm)
    return moved / last.size_norm + abs(math.log(box.size_norm / last.size_norm))


def share_inside(box: Box, other: Box) -> float:
    """The share of `box`'s area that lies inside `other`."""
    return _intersection(box, other) / box.area_norm


def _intersection(a: Box, b: Box) -> float:
    w = min(a.cx_norm + a.w_norm / 2, b.cx_norm + b.w_norm / 2) - max(
        a.cx_norm - a.w_norm / 2, b.cx_norm - b.w_norm / 2
    )
    h = min(a.cy_norm + a.h_norm / 2, b.cy_norm + b.h_norm / 2) - max(
        a.cy_norm - a.h_norm / 2, b.cy_norm - b.h_norm / 2
    )
    return max(0.0, w) * max(0.0, h)


def iou(a: Box, b: Box) -> float:
    inter = _intersection(a, b)
    union = a.area_norm + b.area_norm - inter
    return inter / union if union > 0 else 0.0
