"""The live screen's layout, readable from 2-3 m: big counters, one correction, a hold ring.

Reads a `FrameResult` and the session's `LiveState`; never analyses. The screen is drawn
at the window's own size (`canvas_px`), the frame fitted into it, and every size comes
from that canvas (`layout_scale`): 640x360 to 4K, landscape or portrait, nothing is cut
off, and the correction is at least 1/18 of the height tall so it reads from 3 m.

    +---------------------------------------------------------------+
    | title - set 1 of 2                       set 0:32  (24 fps)   |
    | space pause  m mute  n next  f full screen  q quit   [MUTED]  |
    |                                               ( hold ring )   |
    |        skeleton, arc + angle at the joint      or  L 3  R 4   |
    |                                                               |
    | [ the one correction / the setup instruction, in big text ]   |
    +---------------------------------------------------------------+

This module lays the screen out and draws its top bar; the parts have a module each:
`hud_body` (the skeleton and the angle in focus), `hud_counters` (ring or reps) and
`hud_message` (the big text at the bottom). The end-of-set card is drawn here too.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from formcoach.render.hud_body import draw_body
from formcoach.render.hud_counters import draw_counter
from formcoach.render.hud_message import banner, draw_message
from formcoach.render.overlay import (
    AMBER,
    BGR,
    GREEN,
    GREY,
    RED,
    WHITE,
    Image,
    fitting_scale,
    panel,
    text,
    text_size,
)
from formcoach.types import FrameResult, LiveState


def layout_scale(width: int, height: int) -> float:
    """The HUD's size factor for a canvas: 1.0 at 1280x720 (or 720x1280), limited by the
    shorter side so a portrait window lays out like a landscape one of its width."""
    return min(max(width, height) / 1280, min(width, height) / 720)


def clock(seconds: float) -> str:
    m, s = divmod(int(max(0.0, seconds)), 60)
    return f"{m}:{s:02d}"


def _top_bar(image: Image, state: LiveState, title: str, s: float, show_fps: bool) -> None:
    w = image.shape[1]
    panel(image, (0, 0), (w, int(92 * s)))
    timers = f"set {clock(state.set_elapsed_s)}"
    timers += f"   {state.fps:4.1f} fps" if show_fps else ""
    tw, _ = text_size(timers, 1.5 * s)  # the set's clock: read from the mat
    text(image, timers, (w - tw - int(16 * s), int(50 * s)), 1.5 * s)
    heading = f"{title}  -  {state.label}" if state.label else title
    scale = fitting_scale(heading, 1.1 * s, w - tw - int(48 * s), 0.5 * s)
    text(image, heading, (int(16 * s), int(44 * s)), scale)
    keys = "space pause   m mute   n next   f full screen   q quit"
    scale = fitting_scale(keys, 0.6 * s, w - int(140 * s), 0.35 * s)
    text(image, keys, (int(16 * s), int(80 * s)), scale, GREY)
    if state.muted:
        tw, _ = text_size("MUTED", 0.7 * s)
        text(image, "MUTED", (w - tw - int(16 * s), int(78 * s)), 0.7 * s, RED)


def _centre(image: Image, big: str, s: float, colour: BGR = WHITE) -> None:
    h, w = image.shape[:2]
    scale = 5.0 * s if len(big) <= 2 else 2.6 * s
    tw, th = text_size(big, scale)
    panel(image, ((w - tw) // 2 - 30 * s, (h - th) // 2 - 30 * s),
          ((w + tw) // 2 + 30 * s, (h + th) // 2 + 30 * s))  # fmt: skip
    text(image, big, ((w - tw) // 2, (h + th) // 2), scale, colour)


def render_card(background: Image, lines: list[str]) -> Image:
    """The end-of-set card over the last screen (dimmed): the first line as a heading,
    the rest below, all sized from the height and fitted to the width."""
    h, w = background.shape[:2]
    s = layout_scale(w, h)
    image: Image = (background.astype(np.uint16) * 2 // 7).astype(np.uint8)
    unit = text_size("Ag", 1.0)[1]
    sizes = [h / 11 / unit] + [h / 16 / unit] * (len(lines) - 1)  # heading, then the rest
    scales = [
        fitting_scale(ln, sc, w - int(60 * s), 0.3 * s) for ln, sc in zip(lines, sizes, strict=True)
    ]
    heights = [text_size("Ag", sc)[1] for sc in scales]
    gap = int(h / 30)
    y = (h - sum(heights) - gap * (len(lines) - 1)) // 2
    for i, (line, sc, th) in enumerate(zip(lines, scales, heights, strict=True)):
        tw, _ = text_size(line, sc)
        y += th
        colour = GREEN if i == 0 else (AMBER if line.startswith("Next time") else WHITE)
        text(image, line, ((w - tw) // 2, y), sc, colour)
        y += gap
    return image


def _demo_inset(image: Image, demo: Image, s: float) -> None:
    """The exercise's demonstration, looping in the top-left corner while the person sets
    up: a third of the width, under the top bar, labelled."""
    h, w = image.shape[:2]
    iw = int(w / 3)
    ih = round(demo.shape[0] * iw / demo.shape[1])
    x0, y0 = int(16 * s), int(100 * s)
    if y0 + ih + int(40 * s) > h:
        return  # no room (a very flat window): the set-up message matters more
    image[y0 : y0 + ih, x0 : x0 + iw] = cv2.resize(demo, (iw, ih), interpolation=cv2.INTER_AREA)
    cv2.rectangle(image, (x0, y0), (x0 + iw, y0 + ih), WHITE, max(1, int(2 * s)))
    text(image, "how it is done", (x0, y0 + ih + int(30 * s)), 0.8 * s, WHITE)


def fit_frame(frame_wh: tuple[int, int], canvas_wh: tuple[int, int]) -> tuple[int, int, int, int]:
    """Where the frame goes in the canvas, keeping its aspect: x, y, width, height."""
    (w, h), (cw, ch) = frame_wh, canvas_wh
    k = min(cw / w, ch / h)
    fw, fh = max(1, round(w * k)), max(1, round(h * k))
    return (cw - fw) // 2, (ch - fh) // 2, fw, fh


def render_live(
    result: FrameResult,
    state: LiveState,
    title: str,
    kind: str,
    mirror: bool = False,
    canvas_px: tuple[int, int] | None = None,
    show_fps: bool = False,
    min_width_px: int = 1280,
    demo: Image | None = None,
) -> Image:
    """A new image of `canvas_px` (width, height; None: the frame's aspect, at least
    `min_width_px` wide): the frame fitted in (mirrored if asked), the layout on top."""
    frame: npt.NDArray[Any] = result.frame.image_bgr
    if mirror:
        frame = cv2.flip(frame, 1)
    h, w = frame.shape[:2]
    if canvas_px is None:
        cw = max(w, min_width_px)
        canvas_px = (cw, round(h * cw / w))
    x, y, fw, fh = fit_frame((w, h), canvas_px)
    s = layout_scale(*canvas_px)
    if (fw, fh) != (w, h):
        frame = cv2.resize(frame, (fw, fh), interpolation=cv2.INTER_LINEAR)
    fitted: Image = np.array(frame, dtype=np.uint8, copy=True)
    draw_body(fitted, result, mirror, s)
    image: Image = np.zeros((canvas_px[1], canvas_px[0], 3), np.uint8)
    image[y : y + fh, x : x + fw] = fitted
    _top_bar(image, state, title, s, show_fps)
    if demo is not None and state.phase == "setup":
        _demo_inset(image, demo, s)
    if state.phase == "active":
        draw_counter(image, result, state, kind, s)
    message, colour = banner(image, result, state)
    if message:
        draw_message(image, message, colour, state, s)
    if state.paused:
        _centre(image, "PAUSED", s)
    elif state.phase == "countdown":
        _centre(image, str(int(np.ceil(state.countdown_s)) or "GO"), s, GREEN)
    return image
