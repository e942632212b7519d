"""Demonstrations: shipped with formcoach (rendered by the clip studio), looped, shown on
the set-up screen; formcoach itself never renders one."""

from __future__ import annotations

import dataclasses

import numpy as np

from formcoach.cli import main
from formcoach.coach import demo
from formcoach.exercises import Exercise
from formcoach.render.hud import render_live
from formcoach_studio.demos import demo_spec, render_demo
from formcoach_studio.sets import sample_set


def test_every_exercise_with_a_good_form_sample_ships_a_demonstration_from_its_view():
    good = {s.exercise for s in sample_set() if s.variant == "good"}
    for name, cls in Exercise.registry.items():
        if cls.kind == "warning":  # never demonstrated: the command refuses (tested below)
            continue
        spec = demo_spec(name)
        assert (spec is not None) == (name in good) == demo.has_demo(name), name
        if spec is not None:
            assert spec.view in cls.views and spec.variant == "good", name
            assert (spec.width_px, spec.height_px) == demo.DEMO_SIZE_PX


def test_a_shipped_demonstration_loops():
    loop = demo.DemoLoop.cached("plank")
    assert loop is not None and 5.0 < loop.duration_s < 15.0
    assert loop.frames[0].shape == (180, 320, 3)
    t = 1.3
    assert np.array_equal(loop.frame_at(t), loop.frame_at(t + loop.duration_s))
    assert not np.array_equal(loop.frame_at(0.0), loop.frame_at(loop.duration_s / 2))  # moves


def test_the_studio_renders_a_demonstration_whole(tmp_path):
    path = render_demo("wall_slide", tmp_path)
    assert path == tmp_path / "wall_slide.mp4"
    assert not list(tmp_path.glob(".*partial*"))
    made, shipped = demo.DemoLoop(path), demo.DemoLoop(demo.demo_path("wall_slide"))
    assert len(made.frames) == len(shipped.frames) and made.fps == shipped.fps


def test_without_its_demonstration_the_set_up_screen_shows_none(monkeypatch, tmp_path):
    monkeypatch.setattr(demo, "demos_dir", lambda: tmp_path)
    assert not demo.has_demo("plank") and demo.DemoLoop.cached("plank") is None


def test_demo_command_prints_the_clip_without_a_display_and_names_bad_names(monkeypatch, capsys):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert main(["exercises", "--demo", "plank"]) == 0
    assert capsys.readouterr().out.strip().endswith("plank.mp4")
    assert main(["exercises", "--demo", "plnk"]) == 2
    assert "did you mean plank?" in capsys.readouterr().err
    assert main(["exercises", "--demo", "toe_touch"]) == 2
    assert "avoid list" in capsys.readouterr().err


def test_the_set_up_screen_shows_the_demonstration_and_counting_does_not():
    from tests.render.test_hud_layout import result, state

    loop = demo.DemoLoop(demo.demo_path("plank"))
    frame = loop.frame_at(2.0)
    setup = dataclasses.replace(state(correction=None), phase="setup")
    plain = render_live(result(), setup, "Plank", "hold", canvas_px=(1280, 720))
    shown = render_live(result(), setup, "Plank", "hold", canvas_px=(1280, 720), demo=frame)
    inset = (slice(100, 340), slice(16, 442))
    assert not np.array_equal(plain[inset], shown[inset])
    active = render_live(result(), state(), "Plank", "hold", canvas_px=(1280, 720), demo=frame)
    assert np.array_equal(
        active[inset], render_live(result(), state(), "Plank", "hold", canvas_px=(1280, 720))[inset]
    )
