"""The live screen's counter, top right: a ring filling toward the hold target (or the time
left in a timed step), or the reps in big digits, per side when the target is per side.

Reads a `FrameResult` and the session's `LiveState`; never analyses. Part of the layout of
`hud.py`.
"""

from __future__ import annotations

from formcoach.render.overlay import BGR, GREEN, GREY, WHITE, Image, panel, ring, text, text_size
from formcoach.types import FrameResult, LiveState, Verdict


def draw_counter(image: Image, result: FrameResult, state: LiveState, kind: str, s: float) -> None:
    """The ring (a hold, or a timed step's time left) or the reps, top right."""
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
