"""The live screen's one message, at the bottom in big letters: which one (the source's
trouble, pause, the set-up instruction, the correction, ...) and how big, with the
set-up's progress bar under it.

Reads a `FrameResult` and the session's `LiveState`; never analyses. Part of the layout of
`hud.py`.
"""

from __future__ import annotations

import cv2

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
    wrap,
)
from formcoach.types import FrameResult, LiveState

# The correction's letters, as a share of the canvas height (at least 1/18, the issue's
# "readable from 3 m" on a laptop screen).
CORRECTION_HEIGHT = 1 / 16


def banner(image: Image, result: FrameResult, state: LiveState) -> tuple[str, BGR]:
    """The message to show and its colour: the first of these that applies."""
    if state.source_status:
        return state.source_status, RED
    if state.paused:
        return "paused: press space to go on", WHITE
    if state.phase == "setup" and state.setup is not None:
        if state.setup.ok:
            return "good: hold still, starting soon", GREEN
        return state.setup.message, AMBER
    if state.phase == "countdown":
        return "get ready", WHITE
    if result.pose is None:
        return "step into view of the camera", AMBER
    if state.correction:
        return state.correction, AMBER
    if state.target_met:
        return "set complete: well done", GREEN
    return state.instruction, WHITE


MAX_MESSAGE_LINES = 3


def correction_scale(message: str, width: int, height: int, s: float) -> float:
    """The font scale of the bottom message: CORRECTION_HEIGHT of the canvas, smaller only
    if it would not fit the width in MAX_MESSAGE_LINES lines (a narrow portrait window)."""
    room = width - int(60 * s)
    longest = max(message.split(), key=len, default="")
    scale = fitting_scale(
        longest, height * CORRECTION_HEIGHT / text_size("Ag", 1.0)[1], room, 0.3 * s
    )
    while scale > 0.3 * s and len(wrap(message, scale, room)) > MAX_MESSAGE_LINES:
        scale *= 0.9
    return scale


def draw_message(image: Image, message: str, colour: BGR, state: LiveState, s: float) -> None:
    """The message across the bottom, in at most MAX_MESSAGE_LINES lines; while setting up,
    the setup check's progress bar under it."""
    h, w = image.shape[:2]
    scale = correction_scale(message, w, h, s)
    lines = wrap(message, scale, w - int(60 * s))[:MAX_MESSAGE_LINES]
    _, th = text_size("Ag", scale)
    step = th + int(22 * s)
    extra = int(24 * s) if state.phase == "setup" and state.setup else 0
    top = h - step * len(lines) - int(30 * s) - extra
    panel(image, (0, top), (w, h))
    for i, line in enumerate(lines):
        tw, _ = text_size(line, scale)
        text(image, line, ((w - tw) // 2, top + int(14 * s) + th + i * step), scale, colour)
    if extra and state.setup is not None:
        y = h - int(22 * s)
        cv2.rectangle(image, (int(40 * s), y), (w - int(40 * s), y + int(10 * s)), GREY, 1)
        fill = int(40 * s + (w - 80 * s) * state.setup.progress)
        cv2.rectangle(image, (int(40 * s), y), (fill, y + int(10 * s)), GREEN, -1)
