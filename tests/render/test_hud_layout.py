"""The live screen's layout at every window size: nothing drawn outside, text sized from
the window's height (no display needed: `render_live` draws into an image)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from formcoach.coach.live_session import blank_verdict
from formcoach.exercises.summary import Target
from formcoach.render import hud, hud_counters, hud_message
from formcoach.render.hud import render_live
from formcoach.render.hud_message import CORRECTION_HEIGHT
from formcoach.render.overlay import WHITE, text, text_size
from formcoach.types import Frame, FrameResult, LiveState
from tests.posefactory import make_pose, plank_points

LONG = "straighten your legs onto your toes and keep your hips in line"


def state(**changes) -> LiveState:
    base = LiveState(phase="active", setup=None, countdown_s=0.0, paused=False, muted=True,
                     correction=LONG, set_elapsed_s=83.0, session_elapsed_s=300.0, fps=24.0,
                     source_status="", target=Target(reps=10, per_side=True), target_met=False,
                     label="main - set 2 of 3", time_left_s=None, instruction="")  # fmt: skip
    return dataclasses.replace(base, **changes)


def result(frame_wh=(640, 360)) -> FrameResult:
    image = np.full((frame_wh[1], frame_wh[0], 3), 120, np.uint8)
    # Reps per side and some whose side was not seen: the tallest counter there is.
    verdict = dataclasses.replace(blank_verdict(), reps_left=7, reps_right=12, reps_unsided=3)
    return FrameResult(Frame(image, 1.0, 0), make_pose(plank_points()), verdict, None)


# The modules that write text on the live screen (angle labels: overlay.angle_arc).
WRITERS = (hud, hud_counters, hud_message)


def record_text(monkeypatch, recording_text):
    for module in WRITERS:
        monkeypatch.setattr(module, "text", recording_text)


SIZES = [(640, 360), (1280, 720), (1366, 768), (1920, 1080), (3840, 2160), (360, 640), (1080, 1920)]


@pytest.mark.parametrize("canvas", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("kind", ["reps", "hold"])
def test_every_text_lies_inside_the_window_and_the_correction_is_big(canvas, kind, monkeypatch):
    drawn = []

    def recording_text(image, s, org, scale, colour=WHITE):
        tw, th = text_size(s, scale)
        drawn.append((s, org[0], org[1] - th, org[0] + tw, org[1], th))
        text(image, s, org, scale, colour)

    record_text(monkeypatch, recording_text)
    st = state(target=Target(hold_s=30.0)) if kind == "hold" else state()
    image = render_live(result(), st, "Side plank", kind, canvas_px=canvas)
    w, h = canvas
    assert image.shape == (h, w, 3)
    for s, x0, y0, x1, y1, _ in drawn:
        assert x0 >= 0 and y0 >= 0 and x1 <= w and y1 <= h, (s, x0, y0, x1, y1)
    words = set(LONG.split())
    correction = [d for d in drawn if set(d[0].split()) <= words]
    assert " ".join(d[0] for d in correction) == LONG  # every word shown, none cut
    assert min(d[5] for d in correction) >= h / 18 or w < h  # portrait: limited by width
    assert CORRECTION_HEIGHT >= 1 / 18


def test_the_frame_rate_is_shown_only_when_asked():
    plain = render_live(result(), state(), "Plank", "hold", canvas_px=(1280, 720))
    verbose = render_live(result(), state(), "Plank", "hold", canvas_px=(1280, 720), show_fps=True)
    assert not np.array_equal(plain[:92], verbose[:92])


def test_a_portrait_frame_in_a_landscape_window_is_fitted_not_cut():
    image = render_live(result((360, 640)), state(correction=None), "Lunge", "reps",
                        canvas_px=(1280, 720))  # fmt: skip
    assert image.shape == (720, 1280, 3)
    assert image[360, 10].max() == 0 and image[360, 640].max() > 0  # bars left, frame centred


def test_the_best_hold_stays_beside_the_ring_when_a_hold_breaks(monkeypatch):
    drawn = []
    record_text(monkeypatch, lambda image, s, *a, **k: (drawn.append(s), text(image, s, *a, **k)))
    broken = state(target=Target(hold_s=30.0), correction=None, best_hold_s=12.4)
    render_live(result(), broken, "Plank", "hold", canvas_px=(1280, 720))
    assert "of 30 s  best 12" in drawn
    drawn.clear()
    render_live(result(), state(target=Target(hold_s=30.0), correction=None), "Plank", "hold")
    assert "of 30 s" in drawn  # no best yet
