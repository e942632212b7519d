"""Contact solvers for key poses: make two body parts touch the floor together, make a
segment vertical. Each works on one angle key by bisection over forward kinematics."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from formcoach_studio.body import Segments, forward_kinematics
from formcoach_studio.motions.base import bisect

PoseFn = Callable[[float], dict[str, float]]


def bottom_m(seg: Segments, pose: dict[str, float], parts: tuple[tuple[str, float], ...]) -> float:
    """Lowest height of the named points each minus its radius (fraction of height)."""
    pts = forward_kinematics(seg, pose).points
    return min(
        float(pts[name][1]) - frac * seg.height_m * _girth(seg, name) for name, frac in parts
    )


def _girth(seg: Segments, name: str) -> float:
    return 1.0 if any(k in name for k in ("heel", "foot", "ankle")) else seg.girth


def solve_contacts(
    seg: Segments,
    make: PoseFn,
    lo: float,
    hi: float,
    a: tuple[tuple[str, float], ...],
    b: tuple[tuple[str, float], ...],
    above_m: float = 0.0,
) -> dict[str, float]:
    """The pose `make(v)`, v in [lo, hi], where parts `a` are `above_m` higher than parts `b`
    (0: both touch the floor)."""

    def gap(x: float) -> float:
        p = make(x)
        return bottom_m(seg, p, a) - bottom_m(seg, p, b) - above_m

    v = bisect(gap, lo, hi, 24)
    return make(v)


def make_vertical(
    seg: Segments,
    pose: dict[str, float],
    key: str,
    top: str,
    bottom: str,
    lo: float,
    hi: float,
    lateral: bool = False,
) -> dict[str, float]:
    """Set `key` in [lo, hi] so the segment top->bottom points straight down, judged along
    the body's head direction (or, if `lateral`, its left-right direction) on the floor."""

    def lean(v: float) -> float:
        p = dict(pose)
        p[key] = v
        pts = forward_kinematics(seg, p).points
        d = pts[bottom] - pts[top]
        ref = (
            pts["left_shoulder"] - pts["right_shoulder"]
            if lateral
            else pts["chest"] - pts["pelvis"]
        )
        ref[1] = 0.0
        return float(np.dot(d, ref / max(float(np.linalg.norm(ref)), 1e-9)))

    out = dict(pose)
    out[key] = bisect(lean, lo, hi, 24)
    return out
