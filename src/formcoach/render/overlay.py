"""Drawing primitives, and the compact annotation used for recorded videos (`render`).

Reads results only; never analyses. The live screen's layout lives in `hud.py`.

Skeleton colour: green when every check passes, red where a check fails, amber when in
view but not in position, grey when the pose can't be judged.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import cv2
import numpy as np
import numpy.typing as npt

from formcoach.landmarks import SKELETON_EDGES, Landmark
from formcoach.types import FrameResult

Image = npt.NDArray[np.uint8]
BGR = tuple[int, int, int]

GREEN: BGR = (80, 200, 80)
RED: BGR = (60, 60, 230)
AMBER: BGR = (40, 180, 240)
GREY: BGR = (170, 170, 170)
WHITE: BGR = (255, 255, 255)
BLACK: BGR = (0, 0, 0)
PANEL: BGR = (30, 30, 30)
FONT = cv2.FONT_HERSHEY_SIMPLEX


def status_colour(result: FrameResult) -> BGR:
    v = result.verdict
    if result.pose is None or not v.view.judgeable:
        return GREY
    if not v.in_position:
        return AMBER
    if any(c.ok is False for c in v.checks):
        return RED
    return GREEN


def pose_points_px(
    result: FrameResult, size_px: tuple[int, int], mirror: bool = False
) -> npt.NDArray[np.int_]:
    """The pose's landmarks in pixels of an image of `size_px` (x flipped if mirrored)."""
    assert result.pose is not None
    w, h = size_px
    pts = result.pose.image_norm[:, :2] * np.array([w, h])
    if mirror:
        pts[:, 0] = w - 1 - pts[:, 0]
    px: npt.NDArray[np.int_] = pts.round().astype(int)
    return px


def draw_skeleton(
    image: Image,
    result: FrameResult,
    min_visibility: float = 0.3,
    edge_colour: Callable[[Landmark, Landmark], BGR | None] | None = None,
    mirror: bool = False,
    thickness: int | None = None,
) -> None:
    """Bones in the status colour; `edge_colour` may override single bones (None: keep)."""
    pose = result.pose
    if pose is None:
        return
    h, w = image.shape[:2]
    pts = pose_points_px(result, (w, h), mirror)
    colour = status_colour(result)
    thickness = thickness or max(2, round(min(w, h) / 160))
    for a, b in SKELETON_EDGES:
        if min(pose.visibility[a], pose.visibility[b]) >= min_visibility:
            c = (edge_colour(a, b) if edge_colour else None) or colour
            cv2.line(image, tuple(pts[a]), tuple(pts[b]), c, thickness, cv2.LINE_AA)
    for i, p in enumerate(pts):
        if pose.visibility[i] >= min_visibility and i > 10:
            cv2.circle(image, tuple(p), thickness + 1, WHITE, -1, cv2.LINE_AA)


def text(image: Image, s: str, org: tuple[int, int], scale: float, colour: BGR = WHITE) -> None:
    """Text with a dark outline, readable on any background."""
    thickness = max(1, round(scale * 2))
    org = (int(org[0]), int(org[1]))
    cv2.putText(image, s, org, FONT, scale, BLACK, thickness + 3, cv2.LINE_AA)
    cv2.putText(image, s, org, FONT, scale, colour, thickness, cv2.LINE_AA)


def text_size(s: str, scale: float) -> tuple[int, int]:
    (w, h), _ = cv2.getTextSize(s, FONT, scale, max(1, round(scale * 2)))
    return int(w), int(h)


def wrap(s: str, scale: float, max_width_px: int) -> list[str]:
    """Split `s` into lines no wider than `max_width_px` at `scale`."""
    lines: list[str] = []
    for word in s.split():
        if lines and text_size(f"{lines[-1]} {word}", scale)[0] <= max_width_px:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def fitting_scale(line: str, scale: float, max_width_px: int, floor: float) -> float:
    """`scale`, shrunk by tenths until `line` fits `max_width_px` (never below `floor`)."""
    while scale > floor and text_size(line, scale)[0] > max_width_px:
        scale *= 0.9
    return scale


def panel(image: Image, top_left: tuple[float, float], bottom_right: tuple[float, float]) -> None:
    """A translucent dark rectangle behind text."""
    x0, y0 = max(0, int(top_left[0])), max(0, int(top_left[1]))
    x1, y1 = int(bottom_right[0]), int(bottom_right[1])
    roi = image[y0:y1, x0:x1]
    if roi.size:
        roi[:] = (roi.astype(np.uint16) * 2 // 5 + np.array(PANEL, np.uint16) * 3 // 5).astype(
            np.uint8
        )


def ring(
    image: Image, centre: tuple[int, int], radius: int, fraction: float, colour: BGR, width: int
) -> None:
    """A progress ring: a grey track with `fraction` of it filled clockwise from the top."""
    cv2.circle(image, centre, radius, (90, 90, 90), width, cv2.LINE_AA)
    end = -90 + 360 * max(0.0, min(1.0, fraction))
    if fraction > 0:
        cv2.ellipse(image, centre, (radius, radius), 0, -90, end, colour, width, cv2.LINE_AA)


def angle_arc(
    image: Image,
    a: npt.NDArray[np.int_],
    b: npt.NDArray[np.int_],
    c: npt.NDArray[np.int_],
    colour: BGR,
    label: str,
    scale: float,
) -> None:
    """An arc at joint `b` between the segments to `a` and `c`, with a label beside it."""
    ang_a = math.degrees(math.atan2(float(a[1] - b[1]), float(a[0] - b[0])))
    ang_c = math.degrees(math.atan2(float(c[1] - b[1]), float(c[0] - b[0])))
    sweep = (ang_c - ang_a) % 360
    start, end = (ang_a, ang_a + sweep) if sweep <= 180 else (ang_c, ang_c + 360 - sweep)
    radius = max(18, int(40 * scale))
    centre = (int(b[0]), int(b[1]))
    cv2.ellipse(image, centre, (radius, radius), 0, start, end, colour, 3, cv2.LINE_AA)
    mid = math.radians((start + end) / 2)
    tw, th = text_size(label, 0.9 * scale)
    lx = centre[0] + int((radius + 12 + tw / 2) * math.cos(mid)) - tw // 2
    ly = centre[1] + int((radius + 12 + th / 2) * math.sin(mid)) + th // 2
    text(image, label, (lx, ly), 0.9 * scale, colour)


def counter_text(result: FrameResult, kind: str) -> str:
    v = result.verdict
    if kind == "reps":
        if v.reps_left or v.reps_right:
            return f"L {v.reps_left}  R {v.reps_right}"
        return f"reps {v.reps_total}"
    if kind == "hold":
        return f"hold {v.hold_s:4.1f} s" if v.holding else "hold -"
    return ""


def render(result: FrameResult, title: str, kind: str) -> Image:
    """A new image for recorded videos: skeleton, counter and the one correction."""
    image = result.frame.image_bgr.copy()
    draw_skeleton(image, result)
    h, w = image.shape[:2]
    scale = max(0.5, w / 900)
    bar = int(44 * scale)
    panel(image, (0, 0), (w, bar))
    text(image, title, (int(10 * scale), int(30 * scale)), 0.7 * scale)
    count = counter_text(result, kind)
    if count:
        tw, _ = text_size(count, 0.9 * scale)
        text(image, count, (w - tw - int(12 * scale), int(32 * scale)), 0.9 * scale,
             status_colour(result))  # fmt: skip
    message = result.verdict.correction
    if result.pose is None:
        message = "no person in view"
    if message:
        text(image, message, (int(10 * scale), h - int(16 * scale)), 0.75 * scale, AMBER)
    stamp = f"{result.frame.timestamp_s:6.1f} s"
    text(image, stamp, (w - int(110 * scale), h - int(16 * scale)), 0.5 * scale, GREY)
    return image
