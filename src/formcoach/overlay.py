"""Draws a FrameResult onto its image. Reads results only; never analyses.

Skeleton colour: green when every check passes, red where a check fails, amber when in
view but not in position, grey when the pose can't be judged.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from formcoach.landmarks import SKELETON_EDGES
from formcoach.types import FrameResult

GREEN = (80, 200, 80)
RED = (60, 60, 230)
AMBER = (40, 180, 240)
GREY = (170, 170, 170)
WHITE = (255, 255, 255)
PANEL = (30, 30, 30)


def status_colour(result: FrameResult) -> tuple[int, int, int]:
    v = result.verdict
    if result.pose is None or not v.view.judgeable:
        return GREY
    if not v.in_position:
        return AMBER
    if any(c.ok is False for c in v.checks):
        return RED
    return GREEN


def draw_skeleton(
    image: npt.NDArray[np.uint8], result: FrameResult, min_visibility: float = 0.3
) -> None:
    pose = result.pose
    if pose is None:
        return
    h, w = image.shape[:2]
    pts = (pose.image_norm[:, :2] * np.array([w, h])).round().astype(int)
    colour = status_colour(result)
    thickness = max(2, round(min(w, h) / 160))
    for a, b in SKELETON_EDGES:
        if min(pose.visibility[a], pose.visibility[b]) >= min_visibility:
            cv2.line(image, tuple(pts[a]), tuple(pts[b]), colour, thickness, cv2.LINE_AA)
    for i, p in enumerate(pts):
        if pose.visibility[i] >= min_visibility and i > 10:
            cv2.circle(image, tuple(p), thickness + 1, WHITE, -1, cv2.LINE_AA)


def _text(
    image: npt.NDArray[np.uint8],
    text: str,
    org: tuple[int, int],
    scale: float,
    colour: tuple[int, int, int] = WHITE,
) -> None:
    thickness = max(1, round(scale * 2))
    cv2.putText(
        image, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), thickness + 3, cv2.LINE_AA
    )
    cv2.putText(image, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thickness, cv2.LINE_AA)


def counter_text(result: FrameResult, kind: str) -> str:
    v = result.verdict
    if kind == "reps":
        if v.reps_left or v.reps_right:
            return f"L {v.reps_left}  R {v.reps_right}"
        return f"reps {v.reps_total}"
    if kind == "hold":
        return f"hold {v.hold_s:4.1f} s" if v.holding else "hold -"
    return ""


def render(result: FrameResult, title: str, kind: str) -> npt.NDArray[np.uint8]:
    """A new image: the frame with skeleton, counter and the one correction."""
    image = result.frame.image_bgr.copy()
    draw_skeleton(image, result)
    h, w = image.shape[:2]
    scale = max(0.5, w / 900)
    bar = int(44 * scale)
    overlay = image.copy()
    cv2.rectangle(overlay, (0, 0), (w, bar), PANEL, -1)
    cv2.addWeighted(overlay, 0.55, image, 0.45, 0, dst=image)
    _text(image, title, (int(10 * scale), int(30 * scale)), 0.7 * scale)
    count = counter_text(result, kind)
    if count:
        (tw, _), _ = cv2.getTextSize(count, cv2.FONT_HERSHEY_SIMPLEX, 0.9 * scale, 2)
        _text(
            image,
            count,
            (w - tw - int(12 * scale), int(32 * scale)),
            0.9 * scale,
            status_colour(result),
        )
    message = result.verdict.correction
    if result.pose is None:
        message = "no person in view"
    if message:
        _text(image, message, (int(10 * scale), h - int(16 * scale)), 0.75 * scale, AMBER)
    _text(
        image,
        f"{result.frame.timestamp_s:6.1f} s",
        (w - int(110 * scale), h - int(16 * scale)),
        0.5 * scale,
        GREY,
    )
    return image
