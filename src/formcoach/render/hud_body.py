"""The person on the live screen: the skeleton coloured by the verdict, red where a check
fails, and the angle of the one check in focus drawn at its joint.

Reads a `FrameResult`; never analyses. Part of the layout of `hud.py`.
"""

from __future__ import annotations

from formcoach.landmarks import Landmark, sided
from formcoach.render.overlay import (
    AMBER,
    BGR,
    GREEN,
    GREY,
    RED,
    Image,
    angle_arc,
    draw_skeleton,
    pose_points_px,
)
from formcoach.types import Check, FrameResult


def focus_check(result: FrameResult) -> Check | None:
    """The check to show at its joint: the top-priority failing one, else the top one."""
    shown = [c for c in result.verdict.checks if c.joint is not None and c.value is not None]
    if not shown:
        return None
    return max(shown, key=lambda c: (c.ok is False, c.priority))


def _joint_landmarks(result: FrameResult, check: Check) -> tuple[Landmark, ...]:
    assert result.pose is not None and check.joint is not None
    vis = result.pose.visibility

    def score(side: str) -> float:
        return float(sum(vis[int(sided(side, n))] for n in check.joint or ()))

    side = "left" if score("left") >= score("right") else "right"
    return tuple(sided(side, n) for n in check.joint)


def _base_colour(result: FrameResult) -> BGR:
    v = result.verdict
    if result.pose is None or not v.view.judgeable:
        return GREY
    return GREEN if v.in_position else AMBER


def draw_body(image: Image, result: FrameResult, mirror: bool, s: float) -> None:
    """The skeleton over the fitted frame, red at failing checks' joints, and the angle in
    focus at its joint."""
    if result.pose is None:
        return
    failing = [c for c in result.verdict.checks if c.ok is False]
    red: set[Landmark] = set()
    vertices: set[Landmark] = set()
    for c in failing:
        if c.joint is not None:  # both sides: in a side view they are drawn over each other
            red.update(sided(side, n) for side in ("left", "right") for n in c.joint)
            vertices.update(sided(side, c.joint[1]) for side in ("left", "right"))
    base = RED if any(c.joint is None for c in failing) else _base_colour(result)

    def edge(a: Landmark, b: Landmark) -> BGR:
        at_fault = (a in red and b in red) or a in vertices or b in vertices
        return RED if at_fault else base

    draw_skeleton(image, result, edge_colour=edge, mirror=mirror, thickness=max(3, int(5 * s)))
    check = focus_check(result)
    if check is None or check.value is None:
        return
    h, w = image.shape[:2]
    pts = pose_points_px(result, (w, h), mirror)
    a, b, c = (pts[int(lm)] for lm in _joint_landmarks(result, check))
    colour = RED if check.ok is False else GREEN
    joint = check.joint[1].lower() if check.joint else ""  # the angle at this joint
    angle_arc(image, a, b, c, colour, f"{joint} {check.value:+.0f} deg".strip(), 1.25 * s)
