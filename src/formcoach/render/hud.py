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
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from formcoach.landmarks import Landmark, sided
from formcoach.render.overlay import (
    AMBER,
    BGR,
    GREEN,
    GREY,
    RED,
    WHITE,
    Image,
    angle_arc,
    draw_skeleton,
    panel,
    pose_points_px,
    ring,
    text,
    text_size,
    wrap,
)
from formcoach.types import Check, FrameResult, LiveState, Verdict

# The correction's letters, as a share of the canvas height (at least 1/18, the issue's
# "readable from 3 m" on a laptop screen).
CORRECTION_HEIGHT = 1 / 16


def layout_scale(width: int, height: int) -> float:
    """The HUD's size factor for a canvas: 1.0 at 1280x720 (or 720x1280), limited by the
    shorter side so a portrait window lays out like a landscape one of its width."""
    return min(max(width, height) / 1280, min(width, height) / 720)


def fitting_scale(line: str, scale: float, max_width_px: int, floor: float) -> float:
    """`scale`, shrunk by tenths until `line` fits `max_width_px` (never below `floor`)."""
    while scale > floor and text_size(line, scale)[0] > max_width_px:
        scale *= 0.9
    return scale


def clock(seconds: float) -> str:
    m, s = divmod(int(max(0.0, seconds)), 60)
    return f"{m}:{s:02d}"


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


def _draw_body(image: Image, result: FrameResult, mirror: bool, s: float) -> None:
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


def _counter(image: Image, result: FrameResult, state: LiveState, kind: str, s: float) -> None:
    v, target = result.verdict, state.target
    colour = GREEN if state.target_met else WHITE
    if state.time_left_s is not None and not (target.reps or target.hold_s):
        total = state.time_left_s + state.set_elapsed_s
        _ring(image, state.set_elapsed_s / max(total, 1e-9), f"{state.time_left_s:.0f}",
              "s left", WHITE, s)  # fmt: skip
        return
    if kind == "hold" and target.hold_s:
        sub = f"of {target.hold_s:g} s"
        if state.best_hold_s >= 1.0 and state.best_hold_s > v.hold_s + 0.5:
            sub += f"  best {state.best_hold_s:.0f}"  # a broken hold: what was done stays
        _ring(image, v.hold_s / target.hold_s, f"{v.hold_s:.0f}", sub, colour, s)
        return
    if kind != "reps":
        return
    _reps(image, v, state, colour, s)


def _ring(image: Image, fraction: float, big: str, sub: str, colour: BGR, s: float) -> None:
    w = image.shape[1]
    r = int(86 * s)
    centre = (w - r - int(40 * s), int(92 * s) + r + int(30 * s))
    panel(image, (centre[0] - r - 20 * s, centre[1] - r - 20 * s),
          (centre[0] + r + 20 * s, centre[1] + r + 50 * s))  # fmt: skip
    ring(image, centre, r, fraction, GREEN, max(6, int(16 * s)))
    tw, th = text_size(big, 2.4 * s)
    text(image, big, (centre[0] - tw // 2, centre[1] + th // 2), 2.4 * s, colour)
    tw, _ = text_size(sub, 0.8 * s)
    text(image, sub, (centre[0] - tw // 2, centre[1] + r + int(40 * s)), 0.8 * s, GREY)


def _reps(image: Image, v: Verdict, state: LiveState, colour: BGR, s: float) -> None:
    w, target = image.shape[1], state.target
    per_side = target.per_side or v.reps_left or v.reps_right
    goal = f"/{target.reps}" if target.reps else ""
    rows = [("L", v.reps_left, goal), ("R", v.reps_right, goal)]
    if not per_side:
        rows = [("reps", v.reps_total, goal)]
    elif v.reps_unsided:  # counted, side unknown (e.g. knee rolls seen from the side)
        rows.append(("L/R?", v.reps_unsided, ""))
    y = int(92 * s) + int(20 * s)
    for name, count, goal in rows:
        big = f"{name} {count}"
        tw, th = text_size(big, 2.6 * s)
        gw, _ = text_size(goal, 1.2 * s)
        x = w - tw - gw - int(40 * s)
        panel(image, (x - 16 * s, y), (w - 16 * s, y + th + 36 * s))
        text(image, big, (x, y + th + int(18 * s)), 2.6 * s, colour)
        if goal:
            text(image, goal, (x + tw + int(8 * s), y + th + int(18 * s)), 1.2 * s, GREY)
        y += th + int(50 * s)


def _banner(image: Image, result: FrameResult, state: LiveState) -> tuple[str, BGR]:
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


def _bottom(image: Image, message: str, colour: BGR, state: LiveState, s: float) -> None:
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
    _draw_body(fitted, result, mirror, s)
    image: Image = np.zeros((canvas_px[1], canvas_px[0], 3), np.uint8)
    image[y : y + fh, x : x + fw] = fitted
    _top_bar(image, state, title, s, show_fps)
    if demo is not None and state.phase == "setup":
        _demo_inset(image, demo, s)
    if state.phase == "active":
        _counter(image, result, state, kind, s)
    message, colour = _banner(image, result, state)
    if message:
        _bottom(image, message, colour, state, s)
    if state.paused:
        _centre(image, "PAUSED", s)
    elif state.phase == "countdown":
        _centre(image, str(int(np.ceil(state.countdown_s)) or "GO"), s, GREEN)
    return image
