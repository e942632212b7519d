"""The end of a set: the summary card's content, its picture, and the live command's lines."""

from __future__ import annotations

import numpy as np

from formcoach.coach.set_card import summarise_set
from formcoach.exercises.summary import Fault, Summary, Target
from formcoach.interval_timer import Interval
from formcoach.render.hud import render_card
from formcoach.types import ViewInfo

VIEW = ViewInfo("side", True)


def summary(left=0, right=0, unsided=0, holds=(), faults=()) -> Summary:
    return Summary(left, right, unsided, 0, tuple(holds), tuple(faults), VIEW)


def test_reps_per_side_against_the_target_and_the_longest_fault_to_work_on():
    faults = [
        Fault("knee_past_toes", "keep your knee over your ankle", Interval(1.0, 1.5, "left")),
        Fault("too_shallow", "go a little deeper", Interval(2.0, 2.4, "left")),
        Fault("too_shallow", "go a little deeper", Interval(5.0, 5.4, "right")),
    ]
    card = summarise_set("Forward lunge", summary(7, 10, faults=faults), Target(10, per_side=True))
    assert card.lines() == [
        "Forward lunge: set done",
        "Reps: left 7/10, right 10/10",
        "Next time: go a little deeper",  # 0.8 s in all against 0.5 s
    ]
    assert not card.target_met


def test_reps_whose_side_was_not_seen_are_listed_beside_the_sides():
    card = summarise_set("Knee rolls", summary(1, 0, unsided=3), Target(10, per_side=True))
    assert card.lines()[1] == "Reps: left 1/10, right 0/10, 3 the camera could not tell which side"


def test_a_broken_hold_gives_the_best_and_the_total_and_no_fault_says_so():
    holds = [Interval(0.0, 12.0, None), Interval(14.0, 32.3, None)]
    card = summarise_set("Forearm plank", summary(holds=holds), Target(hold_s=30.0))
    assert not card.target_met  # the best hold is 18.3 s of 30
    assert card.lines()[1:] == ["Best hold 18 s of 30 s, 30 s held in all", "Form: nothing to fix"]


def test_the_target_is_met_when_every_side_reaches_it_or_the_best_hold_does():
    per_side = Target(10, per_side=True)
    assert summarise_set("Lunge", summary(10, 11), per_side).target_met
    assert not summarise_set("Lunge", summary(11, 9), per_side).target_met
    assert summarise_set("Crunch", summary(unsided=10), Target(10)).lines()[:2] == [
        "Crunch: target met",
        "Reps: 10/10",
    ]
    held = summary(holds=[Interval(3.0, 33.0, None)])
    assert summarise_set("Plank", held, Target(hold_s=30.0)).target_met


def test_the_card_is_drawn_over_the_dimmed_last_screen_inside_its_edges():
    screen = np.full((360, 640, 3), 200, np.uint8)
    lines = ["Forward lunge: set done", "Reps: left 7/10, right 10/10", "Next time: go deeper"]
    card = render_card(screen, lines)
    assert card.shape == screen.shape
    assert np.median(card) < 80  # dimmed
    green = (card[..., 1] > 150) & (card[..., 0] < 120) & (card[..., 2] < 120)
    ys, xs = np.nonzero(green)
    assert ys.size > 200 and xs.min() > 0 and xs.max() < 639  # the heading, not cut


def test_live_prints_the_card_and_its_report_says_the_same(tmp_path, capsys, monkeypatch):
    import json

    from formcoach.cli import main
    from tests.badvideos import sample_frames, write_mp4

    # 7 s of the project's good plank as the camera (the model runs, paced in real time):
    # after the 3 s countdown, about 4 s of plank.
    clip = write_mp4(tmp_path / "plank.mp4", sample_frames("plank_good_side", 168, start=48))
    monkeypatch.setenv("FORMCOACH_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "out"
    argv = ["live", "-s", str(clip), "-e", "plank", "--no-window", "--no-voice", "--skip-setup"]
    assert main([*argv, "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    report = json.loads((out / "report.json").read_text())
    best = max((h["duration_s"] for h in report["holds"]), default=0.0)
    total = sum(h["duration_s"] for h in report["holds"])
    assert best > 1.0  # a hold was seen
    assert printed[0] == "Forearm plank: set done"
    assert printed[1] == f"Best hold {best:.0f} s of 30 s, {total:.0f} s held in all"
    assert printed[2] in (
        "Form: nothing to fix",
        *(f"Next time: {f['message']}" for f in report["faults"]),
    )
