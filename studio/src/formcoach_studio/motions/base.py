"""Keyframe timelines, the motion registry and small pose solvers shared by motion scripts.

A motion script builds a `Timeline` of key poses (joint angles) with natural timing jitter,
records the true events (reps, holds, faults) as it goes, and returns a `Motion`.
Between keys the angles ease in and out (smoothstep); a low-frequency sway is added on top.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from formcoach_studio.body import Angles, Segments, forward_kinematics, full_angles
from formcoach_studio.scene import Box, Roller
from formcoach_studio.truth import Events, Fault, Hold, Rep

SWAY_KEYS = ("pitch_deg", "roll_deg", "spine_flex_deg", "neck_flex_deg", "spine_twist_deg")


@dataclass(frozen=True, slots=True)
class Motion:
    """What a script produced: key poses over time, true events and the props it needs."""

    exercise: str
    variant: str
    keys: tuple[tuple[float, dict[str, float]], ...]
    events: Events
    boxes: tuple[Box, ...] = ()
    rollers: tuple[Roller, ...] = ()
    feet_only_ground: bool = False
    sway_deg: float = 0.6
    avoid: bool = False

    @property
    def duration_s(self) -> float:
        return self.keys[-1][0]

    def yaw_deg(self) -> float:
        return self.keys[0][1]["yaw_deg"]

    def sample(self, times_s: npt.NDArray[Any], rng: np.random.Generator) -> list[dict[str, float]]:
        """Angles at each time: eased keyframe interpolation plus a smooth sway."""
        kt = np.array([k[0] for k in self.keys])
        names = list(self.keys[0][1])
        table = np.array([[k[1][n] for n in names] for k in self.keys])
        idx = np.clip(np.searchsorted(kt, times_s, side="right") - 1, 0, len(kt) - 2)
        span = np.maximum(kt[idx + 1] - kt[idx], 1e-9)
        u = np.clip((times_s - kt[idx]) / span, 0.0, 1.0)
        u = u * u * (3 - 2 * u)
        vals = table[idx] + (table[idx + 1] - table[idx]) * u[:, None]
        for key in SWAY_KEYS:
            j = names.index(key)
            f1, f2 = rng.uniform(0.15, 0.4), rng.uniform(0.5, 1.1)
            p1, p2 = rng.uniform(0, 2 * np.pi, 2)
            vals[:, j] += self.sway_deg * (
                0.7 * np.sin(2 * np.pi * f1 * times_s + p1)
                + 0.3 * np.sin(2 * np.pi * f2 * times_s + p2)
            )
        return [dict(zip(names, row, strict=True)) for row in vals]


@dataclass
class Timeline:
    """Builder of key poses and events; times get a little random jitter."""

    start: dict[str, float]
    rng: np.random.Generator
    jitter: float = 0.12
    keys: list[tuple[float, dict[str, float]]] = field(default_factory=list)
    reps: list[Rep] = field(default_factory=list)
    holds: list[Hold] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.keys.append((0.0, full_angles(self.start)))

    @property
    def t(self) -> float:
        return self.keys[-1][0]

    @property
    def pose(self) -> dict[str, float]:
        return self.keys[-1][1]

    def dur(self, seconds: float) -> float:
        """`seconds` with natural timing variation."""
        return float(seconds * self.rng.uniform(1 - self.jitter, 1 + self.jitter))

    def move(self, pose: Angles, seconds: float, exact: bool = False) -> float:
        """Ease to `pose` over about `seconds`; returns the time the move ends."""
        d = seconds if exact else self.dur(seconds)
        self.keys.append((self.t + d, full_angles(pose)))
        return self.t

    def hold(self, seconds: float, exact: bool = False) -> tuple[float, float]:
        start = self.t
        self.move(self.pose, seconds, exact)
        return start, self.t

    def motion(self, exercise: str, variant: str, **kw: object) -> Motion:
        events = Events(tuple(self.reps), tuple(self.holds), tuple(self.faults))
        return Motion(exercise, variant, tuple(self.keys), events, **kw)  # type: ignore[arg-type]


def blend(a: Mapping[str, float], b: Mapping[str, float], w: float) -> dict[str, float]:
    """(1 - w) a + w b over all angle keys."""
    fa, fb = full_angles(a), full_angles(b)
    return {k: (1 - w) * fa[k] + w * fb[k] for k in fa}


def bisect(f: Callable[[float], float], lo: float, hi: float, iters: int = 40) -> float:
    """Root of f on [lo, hi] (f(lo), f(hi) of opposite sign), else the end nearer zero."""
    flo, fhi = f(lo), f(hi)
    if flo * fhi > 0:
        return lo if abs(flo) < abs(fhi) else hi
    for _ in range(iters):
        mid = (lo + hi) / 2
        fm = f(mid)
        if (fm > 0) == (flo > 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return (lo + hi) / 2


def height_m(seg: Segments, pose: Angles, point: str) -> float:
    """World height of a named point before grounding (relative, for contact solving)."""
    return float(forward_kinematics(seg, pose).points[point][1])


def leg_ik(seg: Segments, forward_m: float, down_m: float) -> tuple[float, float]:
    """(hip flexion, knee flexion) putting the ankle `forward_m` ahead of and `down_m` below
    the hip, for an upright pelvis; the knee bends forward."""
    t, s = seg.thigh_m, seg.shank_m
    d = float(np.clip(np.hypot(forward_m, down_m), abs(t - s) + 1e-6, t + s - 1e-6))
    knee_int = np.degrees(np.arccos((t * t + s * s - d * d) / (2 * t * s)))
    alpha = np.degrees(np.arctan2(forward_m, down_m))
    beta = np.degrees(np.arccos((t * t + d * d - s * s) / (2 * t * d)))
    return float(alpha + beta), float(180.0 - knee_int)


def _foot_slope_deg(seg: Segments, pose: Mapping[str, float], side: str) -> float:
    sk = forward_kinematics(seg, pose)
    v = sk.points[f"{side}_foot_index"] - sk.points[f"{side}_heel"]
    return float(np.degrees(np.arctan2(v[1], np.hypot(v[0], v[2]))))


def foot_level(seg: Segments, pose: dict[str, float], side: str, toe_up_deg: float = 0.0) -> None:
    """Set `side`'s ankle flexion so the foot (heel->toe) points `toe_up_deg` above level."""
    key = f"{side}_ankle_flex_deg"
    for _ in range(3):
        now = _foot_slope_deg(seg, pose, side)
        pose[key] = pose.get(key, 0.0) + 1.0
        gain = _foot_slope_deg(seg, pose, side) - now
        pose[key] -= 1.0
        if abs(gain) < 1e-3:
            return
        pose[key] = float(pose[key] + (toe_up_deg - now) / gain)


MotionFn = Callable[[Segments, str, np.random.Generator], Motion]
REGISTRY: dict[str, tuple[MotionFn, tuple[str, ...]]] = {}


def register(name: str, variants: tuple[str, ...]) -> Callable[[MotionFn], MotionFn]:
    """Register a motion script by exercise name with its variants (first = correct form)."""

    def deco(fn: MotionFn) -> MotionFn:
        if name in REGISTRY:
            raise ValueError(f"motion {name!r} registered twice")
        REGISTRY[name] = (fn, variants)
        return fn

    return deco


def make_motion(exercise: str, variant: str, seg: Segments, rng: np.random.Generator) -> Motion:
    if exercise not in REGISTRY:
        raise KeyError(f"unknown exercise {exercise!r}; expecting one of {sorted(REGISTRY)}")
    fn, variants = REGISTRY[exercise]
    if variant not in variants:
        raise KeyError(f"unknown variant {variant!r} of {exercise}; expecting one of {variants}")
    return fn(seg, variant, rng)
