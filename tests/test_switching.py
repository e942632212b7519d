"""The part going on, switched only on what has been seen (`formcoach.switching`)."""

from __future__ import annotations

import pytest

from formcoach.switching import NONE, NOT_SURE, SwitchConfig, Switcher, segment_labels

FPS = 10.0


def labels(*runs: tuple[str, float]) -> list[tuple[float, str]]:
    """Runs of (label, seconds) at 10 fps from t = 0."""
    out: list[tuple[float, str]] = []
    for label, seconds in runs:
        for _ in range(round(seconds * FPS)):
            out.append((len(out) / FPS, label))
    return out


def parts(*runs: tuple[str, float]) -> list[tuple[str, float, float]]:
    return [(s.exercise, s.start_s, s.end_s) for s in segment_labels(labels(*runs))]


def test_a_wobble_keeps_the_part_going_on():
    assert parts(("plank", 5.0), ("side_plank", 0.5), ("plank", 5.0)) == [("plank", 0.0, 10.4)]


def test_a_label_that_holds_switches_the_part_at_its_first_frame():
    assert parts(("plank", 6.0), ("lunge", 6.0)) == [("plank", 0.0, 6.0), ("lunge", 6.0, 11.9)]


def test_labels_alternating_with_the_part_going_on_keep_it():
    flicker = [("plank", 0.5), ("side_plank", 0.5)] * 8
    assert parts(("plank", 5.0), *flicker) == [("plank", 0.0, 12.9)]


def test_two_other_labels_alternating_for_two_windows_are_not_sure():
    flicker = [("lunge", 0.5), ("wall_sit", 0.5)] * 8
    segments = segment_labels(labels(("plank", 5.0), *flicker))
    assert [s.exercise for s in segments] == ["plank", NOT_SURE]
    # From the first frame that was not the plank; decided once the plank is under 20 %
    # of the last 6 s.
    assert segments[1].start_s == pytest.approx(5.0)
    assert segments[1].named_s == pytest.approx(5.0 + 0.8 * SwitchConfig().unsure_s, abs=0.15)
    assert set(segments[1].candidates) == {"lunge", "wall_sit"}


def test_a_set_up_passing_through_two_postures_is_not_not_sure():
    # Getting down into a plank reads as a bird dog for a moment.
    assert [p[0] for p in parts(("bird_dog", 1.3), ("plank", 8.0))] == [NONE, "plank"]


def test_an_avoid_movement_is_named_on_a_close_call():
    # A sit-up read half the time as a crunch: warned, not coached as a crunch.
    close = [("full_situp", 0.6), ("partial_crunch", 0.5)] * 6
    warned = SwitchConfig(warnings=frozenset({"full_situp"}))
    assert [s.exercise for s in segment_labels(labels(*close), warned)] == ["full_situp"]
    assert NOT_SURE in [s.exercise for s in segment_labels(labels(*close))]


def test_none_between_the_reps_of_an_exercise_does_not_end_it():
    # A full sit-up's top is read as standing (`none`) for under 2 s of every rep.
    reps = [("full_situp", 2.0), (NONE, 1.5)] * 4
    named = [p for p in parts(*reps) if p[0] != NONE]
    assert [p[0] for p in named] == ["full_situp"]
    assert named[0][1] <= 0.5 and named[0][2] == pytest.approx(13.9)


def test_a_long_rest_ends_the_part():
    assert [p[0] for p in parts(("plank", 6.0), (NONE, 6.0))] == ["plank", NONE]


def test_an_exercise_is_named_once_its_label_has_held_half_the_window():
    switcher = Switcher()
    named = [switcher.update(t, label) for t, label in labels(("plank", 2.0))]
    assert set(named[:15]) == {NONE} and set(named[15:]) == {"plank"}


def test_the_decision_comes_once_the_label_has_held_long_enough():
    switcher, decided = Switcher(), None
    for t, label in labels((NONE, 4.0), ("plank", 6.0)):
        if switcher.update(t, label) == "plank" and decided is None:
            decided = t
    # Half of the 3 s window must carry the label: 1.5 s after it first appears.
    assert decided == pytest.approx(4.0 + 1.5, abs=0.11)


def test_leaving_an_exercise_for_another_takes_most_of_the_window():
    switcher, decided = Switcher(), None
    for t, label in labels(("plank", 6.0), ("lunge", 6.0)):
        if switcher.update(t, label) == "lunge" and decided is None:
            decided = t
    # 80 % of the 3 s window's labelled frames: 2.4 s after the first lunge label.
    assert decided == pytest.approx(6.0 + 2.4, abs=0.11)


def test_the_analyzer_sees_the_lead_after_nothing_and_on_to_the_next_decision():
    config = SwitchConfig()
    segments = segment_labels(labels((NONE, 6.0), ("plank", 6.0), ("lunge", 6.0)), config)
    assert [s.exercise for s in segments] == [NONE, "plank", "lunge"]
    plank, lunge = segments[1], segments[2]
    # From the window before its first label (nothing was going on), to the frame the
    # lunge was decided: what a live session's plank analyzer sees.
    assert plank.analysed[0] == pytest.approx(6.0 - config.lead_s)
    assert plank.analysed[1] == pytest.approx(lunge.start_s + 2.4, abs=0.11)
    # After an exercise, no lead: those frames were the plank's.
    assert lunge.analysed[0] == lunge.start_s == pytest.approx(12.0)


def test_a_rest_between_reps_is_not_the_posture_held_still():
    # Lying still between bridges reads as bracing (the supine catch-all) for 3 s: the
    # bridge goes on; bracing held for longer than a rest (8 s) is bracing.
    config = SwitchConfig(at_rest=frozenset({"abdominal_bracing"}))
    reps = [("glute_bridge", 4.0), ("abdominal_bracing", 3.0)] * 3
    named = [s.exercise for s in segment_labels(labels(*reps), config)]
    assert named == ["glute_bridge"]
    held = segment_labels(labels(("glute_bridge", 6.0), ("abdominal_bracing", 8.0)), config)
    assert [s.exercise for s in held] == ["glute_bridge", "abdominal_bracing"]
    assert held[1].start_s == pytest.approx(6.0)
    # Without the rule the first rest already ends the bridge.
    assert "abdominal_bracing" in [s.exercise for s in segment_labels(labels(*reps))]


def test_the_lead_never_reaches_into_frames_the_part_before_analysed():
    # A plank, 3 s of nothing, a plank again: the first plank's analyzer runs on to the
    # frame the rest was named; the second's lead starts after it, so no frame counts twice.
    segments = segment_labels(labels(("plank", 6.0), (NONE, 3.0), ("plank", 6.0)))
    assert [s.exercise for s in segments] == ["plank", NONE, "plank"]
    first, second = segments[0].analysed, segments[2].analysed
    assert second[0] > first[1]
    assert second[0] < segments[2].start_s  # a lead all the same, over the rest
