"""Decisions with margins: every rule's noise band, and what a value inside it may do."""

from __future__ import annotations

import json
import math

import pytest

from formcoach import noise
from formcoach.exercises import Exercise, create
from formcoach.exercises.rules import Range
from tests.conftest import ROOT, shared_clip
from tests.posefactory import make_pose, plank_points

FPS = 30.0
SAG = Range("hip_line", "hip_line_deg", low=-12.0, high=20.0, below="lift your hips",
            below_rule="hips_sagging", band=1.0)  # fmt: skip


def decide(value, raised=(), rule=SAG):
    check = rule.check({rule.signal: value}, raised)
    return check.rule, check.ok, check.marginal


def test_inside_the_band_a_rule_keeps_its_standing_decision():
    # Without a fault raised, a value up to the band past the limit passes ...
    assert [decide(v)[1:] for v in (-5.0, -12.5, -12.9)] == [(True, False)] * 3
    # ... and clearly past it fails.
    assert decide(-13.1) == ("hips_sagging", False, False)
    # With the fault raised, a value inside the band keeps it (marginal), and only a
    # value back inside the range ends it.
    sagging = {"hips_sagging"}
    assert decide(-12.5, sagging) == ("hips_sagging", False, True)
    assert decide(-13.5, sagging) == ("hips_sagging", False, False)
    assert decide(-11.9, sagging)[1:] == (True, False)
    # The other direction's fault keeps nothing here.
    assert decide(-11.5, {"hip_line"})[1:] == (True, False)
    # Unseen (NaN) is can't judge either way.
    assert decide(math.nan)[1] is decide(math.nan, sagging)[1] is None


HIP_WIDTHS = {"knee_gap_ratio": 0.4}  # signals over the hip width: a hip width in torsos


def test_every_rule_has_a_noise_band_in_its_signals_unit():
    for name, cls in sorted(Exercise.registry.items()):
        exercise = cls()
        for rule in exercise.rules():
            band = rule.margin()
            if rule.signal.startswith("avoid_"):  # a yes/no sighting: nothing to wobble
                assert band == 0, (name, rule.signal)
                continue
            assert band > 0, (name, rule.signal)
            if rule.band is not None:  # declared in the rule's own unit (inches)
                continue
            unit = noise.unit(rule.signal)
            # A band is the pose model's wobble, far under any threshold's meaning: under
            # 3 deg, or 0.05 of a body length (a torso or a leg). The knees' gap is over
            # the hip width instead: in the image, from the front, MediaPipe's hips are
            # 0.42 torso lengths apart (median of 4525 front-view frames of 13 shared
            # clips, quartiles 0.37-0.51), so its bound in hip widths is 0.05 / 0.4.
            bound = {"deg": 3.0, "ratio": 0.05}[unit] / HIP_WIDTHS.get(rule.signal, 1.0)
            assert band < bound, (name, rule.signal, band)


def run_plank(hip_line_deg):
    """A plank whose hip line follows `hip_line_deg(t)` for 6 s; the faults raised."""
    plank = create("plank")
    for i in range(round(6 * FPS)):
        t = i / FPS
        plank.update(make_pose(plank_points(bend_deg=hip_line_deg(t))), t)
    plank.finish()
    return plank.summary()


def test_hips_wavering_at_the_sag_limit_raise_no_fault_and_break_no_hold():
    limit = create("plank").config.max_sag_deg
    band = noise.band("hip_line_deg")
    # Within the band of the limit, switching sides every few frames: jitter, not a sag.
    s = run_plank(lambda t: -limit - band * 0.8 * (1 if int(t * 7) % 2 else -1))
    assert s.faults == ()
    assert len(s.holds) == 1 and s.holds[0].duration_s > 5.0


def test_a_sag_past_the_band_for_a_second_is_a_fault_and_a_blip_past_it_is_not():
    limit = create("plank").config.max_sag_deg
    band = noise.band("hip_line_deg")
    deep, near = -limit - band - 3.0, -limit - band * 0.5
    s = run_plank(lambda t: deep if 2.0 <= t < 3.5 else -5.0)
    assert [f.rule for f in s.faults] == ["hips_sagging"]
    # 0.3 s clearly past, then 2 s inside the band: kept failing, never raised.
    s = run_plank(lambda t: deep if 2.0 <= t < 2.3 else (near if 2.3 <= t < 4.3 else -5.0))
    assert s.faults == ()
    # Raised, then inside the band: the same fault goes on until back inside the range.
    s = run_plank(lambda t: deep if 2.0 <= t < 3.5 else (near if t < 4.5 else -5.0))
    assert len(s.faults) == 1
    assert s.faults[0].interval.end_s == pytest.approx(4.5, abs=0.1)


@pytest.mark.slow  # a minute: every real track and perturbed track replayed
def test_the_stored_noise_table_is_what_the_real_tracks_measure():
    from benchmarks.noise import measure

    stored = json.loads((ROOT / "src" / "formcoach" / "data" / "noise.json").read_text())
    measured = measure(shared_clip("truth.tsv"))
    assert set(measured) == set(stored["signals"])
    for name, row in measured.items():
        for key in ("sigma", "shift_sigma"):
            assert stored["signals"][name][key] == pytest.approx(row[key], abs=1e-3), (name, key)


def summary_view(segments):
    plank, t = create("plank"), 0.0
    for seconds, view in segments:
        pose = make_pose(plank_points(), view=view)
        for _ in range(round(seconds * FPS)):
            plank.update(pose, t)
            t += 1 / FPS
    return plank.summary().view.detected


def test_two_set_ups_of_about_the_same_length_name_the_first_view():
    # The summary's view is the one seen first until another leads it by a tenth of the
    # frames: a few frames more one way or the other do not flip it.
    assert summary_view([(5.0, "side"), (5.3, "front")]) == "side"
    assert summary_view([(5.0, "front"), (5.3, "side")]) == "front"
    assert summary_view([(4.0, "side"), (6.0, "front")]) == "front"


def test_a_rep_is_partial_only_when_its_bottom_is_short_of_depth_by_more_than_the_band():
    lunge = create("lunge")
    declared = lunge.rep_config()
    counting = lunge.counting_config()
    assert counting.depth == pytest.approx(declared.depth - noise.band("front_knee_deg"))
    assert (counting.start, counting.end) == (declared.start, declared.end)
    from formcoach.counting import RepCounter

    def bottom_at(flexion_deg: float) -> tuple[int, int]:
        counter = RepCounter(counting)
        t = 0.0
        for value in [0.0] * 24 + [flexion_deg] * 24 + [0.0] * 24:  # 1 s at the bottom
            counter.update(value, t, "left")  # the front leg (a lunge's partial needs one)
            t += 1 / 24
        return counter.complete, counter.partial

    inside = declared.depth - noise.band("front_knee_deg") / 2
    assert bottom_at(inside) == (1, 0)  # within noise of depth: not called partial
    assert bottom_at(declared.depth - 2 * noise.band("front_knee_deg")) == (0, 1)


def test_no_margin_where_start_and_depth_are_within_two_bands():
    rotation = create("foam_roll_rotation")  # depth 0.07 sits 0.02 above start 0.05
    assert rotation.counting_config() == rotation.rep_config()
