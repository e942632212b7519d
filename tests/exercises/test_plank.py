"""Plank rules on synthetic poses: one test per rule and fault, and hold sequences."""

from __future__ import annotations

import pytest

from formcoach import noise
from formcoach.exercises import create
from formcoach.exercises.plank import PlankConfig
from tests.posefactory import make_pose, plank_points, standing_points

FPS = 30.0


def verdict_for(points, view="side", from_plank=True, **kw):
    """The verdict on `points` after a second in a good plank (faults develop from a
    plank), or from a fresh start with `from_plank=False`."""
    plank = create("plank")
    t = 0.0
    if from_plank:
        good = make_pose(plank_points(), view=view, **kw)
        for _ in range(30):
            plank.update(good, t)
            t += 1 / FPS
    pose = make_pose(points, view=view, **kw)
    for _ in range(5):
        verdict = plank.update(pose, t)
        t += 1 / FPS
    return verdict


def failing(verdict):
    return {c.rule for c in verdict.checks if c.ok is False}


def test_good_plank_passes_every_check():
    v = verdict_for(plank_points())
    assert v.in_position
    assert v.view.detected == "side" and v.view.judgeable
    assert [c.rule for c in v.checks] == [
        "position",
        "hip_line",
        "elbows_under_shoulders",
        "head_in_line",
    ]
    assert all(c.ok for c in v.checks)
    assert v.correction is None
    assert v.signals["hip_line_deg"] == pytest.approx(0.0, abs=0.5)


@pytest.mark.parametrize(
    ("bend", "rule", "word"),
    [
        (-20.0, "hips_sagging", "lift your hips"),
        (30.0, "hips_piked", "lower your hips"),
    ],
)
def test_hip_line_faults_carry_their_sign(bend, rule, word):
    v = verdict_for(plank_points(bend_deg=bend))
    assert v.in_position
    assert v.signals["hip_line_deg"] == pytest.approx(bend, abs=0.5)
    assert failing(v) == {rule}
    assert word in v.correction


@pytest.mark.parametrize("bend", [-8.0, 0.0, 8.0, 15.0])
def test_small_hip_deviations_are_accepted(bend):
    assert failing(verdict_for(plank_points(bend_deg=bend))) == set()


def test_sag_limit_is_the_configured_one():
    # The limit, plus the hip line's noise band before a sag is called.
    cfg, band = PlankConfig(), noise.band("hip_line_deg")
    just_inside = verdict_for(plank_points(bend_deg=-(cfg.max_sag_deg - 1)))
    in_band = verdict_for(plank_points(bend_deg=-(cfg.max_sag_deg + band / 2)))
    just_outside = verdict_for(plank_points(bend_deg=-(cfg.max_sag_deg + band + 1)))
    assert failing(just_inside) == failing(in_band) == set()
    assert failing(just_outside) == {"hips_sagging"}


def test_elbows_ahead_of_shoulders():
    v = verdict_for(plank_points(arm_tilt_deg=40.0))
    assert failing(v) == {"elbows_under_shoulders"}
    assert "elbows under your shoulders" in v.correction


def test_head_dropped():
    v = verdict_for(plank_points(head_deg=50.0))
    assert failing(v) == {"head_in_line"}


def test_correction_is_the_highest_priority_fault():
    v = verdict_for(plank_points(bend_deg=-25.0, head_deg=50.0))
    assert failing(v) == {"hips_sagging", "head_in_line"}
    assert "lift your hips" in v.correction


@pytest.mark.parametrize(
    ("points", "message"),
    [
        (plank_points(knee_deg=100.0), "straighten your legs"),
        (plank_points(hips_on_floor=True), "lift your hips and knees off the floor"),
        (standing_points(), "get down on your forearms"),
    ],
)
def test_setup_positions_are_not_plank(points, message):
    v = verdict_for(points, from_plank=False)
    assert not v.in_position
    assert v.checks[0].rule == "position" and v.checks[0].ok is False
    assert message in v.checks[0].message
    assert len(v.checks) == 1  # form is not judged outside the position


def test_front_view_is_not_judged():
    v = verdict_for(plank_points(bend_deg=-30.0), view="front")
    assert v.view.detected == "front"
    assert not v.view.judgeable
    assert v.checks == ()
    assert v.correction == "turn so your side faces the camera"


def test_deep_sag_from_a_plank_is_a_fault_but_from_the_floor_is_set_up():
    assert failing(verdict_for(plank_points(bend_deg=-25.0))) == {"hips_sagging"}
    fresh = verdict_for(plank_points(bend_deg=-25.0), from_plank=False)
    assert not fresh.in_position


def test_hidden_landmarks_mean_cannot_judge():
    v = verdict_for(plank_points(), from_plank=False, visibility=0.1, far_visibility=0.1)
    assert v.checks[0].ok is None
    assert not v.in_position


def run_sequence(segments):
    """segments: (seconds, points or None); returns the plank analyzer after the run."""
    plank = create("plank")
    t = 0.0
    for seconds, points in segments:
        pose = make_pose(points) if points is not None else None
        for _ in range(round(seconds * FPS)):
            plank.update(pose, t)
            t += 1 / FPS
    plank.finish()
    return plank


def test_hold_is_timed_from_position_to_the_end():
    plank = run_sequence(
        [(2.0, standing_points()), (10.0, plank_points()), (2.0, standing_points())]
    )
    s = plank.summary()
    assert len(s.holds) == 1
    assert s.holds[0].start_s == pytest.approx(2.0, abs=0.05)
    assert s.holds[0].duration_s == pytest.approx(10.0, abs=0.1)
    assert s.faults == ()


def test_sagging_stops_the_hold_and_is_reported():
    plank = run_sequence(
        [(5.0, plank_points()), (4.0, plank_points(bend_deg=-25.0)), (5.0, plank_points())]
    )
    s = plank.summary()
    assert [round(h.duration_s) for h in s.holds] == [5, 5]
    assert [f.rule for f in s.faults] == ["hips_sagging"]
    assert s.faults[0].interval.start_s == pytest.approx(5.0, abs=0.05)
    assert s.faults[0].interval.duration_s == pytest.approx(4.0, abs=0.1)


def test_short_dropout_is_bridged_long_one_ends_the_hold():
    # Nobody seen for up to 3 s (a cutaway, someone walking past) with the plank seen on
    # both sides is one hold, timed through the gap; longer is two.
    for gap_s in (0.5, 2.5):
        short = run_sequence([(4.0, plank_points()), (gap_s, None), (4.0, plank_points())])
        assert [round(h.duration_s) for h in short.summary().holds] == [round(8 + gap_s)]
    long = run_sequence([(4.0, plank_points()), (3.5, None), (4.0, plank_points())])
    assert len(long.summary().holds) == 2


def test_seen_out_of_position_ends_the_hold_after_a_second_even_across_a_gap():
    s = run_sequence(
        [(4.0, plank_points()), (1.0, None), (1.5, standing_points()), (4.0, plank_points())]
    )
    assert len(s.summary().holds) == 2


def test_a_moment_of_sag_is_not_a_fault():
    plank = run_sequence(
        [(5.0, plank_points()), (0.5, plank_points(bend_deg=-25.0)), (5.0, plank_points())]
    )
    assert plank.summary().faults == ()
    assert len(plank.summary().holds) == 1


def test_hold_continues_through_a_head_on_stretch_without_judging_form():
    plank = create("plank")
    t = 0.0
    for seconds, view in ((5.0, "side"), (4.0, "front"), (5.0, "side")):
        pose = make_pose(plank_points(), view=view)
        for _ in range(round(seconds * FPS)):
            plank.update(pose, t)
            t += 1 / FPS
    plank.finish()
    s = plank.summary()
    assert len(s.holds) == 1
    assert s.holds[0].duration_s == pytest.approx(14.0, abs=0.1)
    # Most of the 4 s head-on stretch is carried (the view window takes ~1 s to switch).
    assert 2.5 <= s.unjudged_hold_s <= 4.0


def test_head_on_only_never_starts_a_hold():
    plank = run_sequence([])
    pose = make_pose(plank_points(), view="front")
    for i in range(300):
        plank.update(pose, i / FPS)
    plank.finish()
    assert plank.summary().holds == ()
    assert plank.summary().view.judgeable is False


def test_a_hidden_knee_is_not_taken_for_a_kneeling_plank_through_a_head_on_view():
    # A head-on camera hides the knees; MediaPipe still guesses their bend. The hold is
    # carried through such a view on the trunk alone, never on a guess of a hidden knee.
    plank = create("plank")
    bent = make_pose(plank_points(knee_deg=110.0))
    assert plank.coarse_position(bent) is False  # knees seen bent: kneeling
    hidden = make_pose(plank_points(knee_deg=110.0), visibility=0.2, far_visibility=0.2)
    assert plank.coarse_position(hidden) is True
    standing = make_pose(standing_points(), visibility=0.2, far_visibility=0.2)
    assert plank.coarse_position(standing) is False  # the trunk still decides
