"""Routines: the file format, a scripted session on replayed tracks, the pain check-in."""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.assembly import LiveOptions, RunOptions, Services
from formcoach.cli import main
from formcoach.coach.routine import RoutineError, load_routine, pain_advice, parse_routine
from formcoach.coach.routine_runner import RoutineRunner
from formcoach.pose.estimators import ReplayEstimator
from formcoach.pose.tracks import Track
from formcoach.run_options import TIMED
from formcoach.sources.base import SourceInfo
from formcoach.store.history import History
from formcoach.types import Frame
from tests.conftest import TRACKS


def test_the_built_in_routine_is_a_15_to_20_minute_back_care_session():
    routine = load_routine()
    sections = [s.section for s in routine.steps]
    assert sections[0] == "warmup" and sections[-1] == "cooldown"
    assert 15 * 60 <= routine.estimated_s() <= 21 * 60
    plank = next(s for s in routine.steps if s.exercise == "plank")
    assert plank.counted and plank.hold_s > 0
    assert all(s.counted or s.duration_s > 0 for s in routine.steps)
    easier = routine.easier()
    assert easier.estimated_s() < routine.estimated_s()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"main": [{"exercise": "yoga"}]}, "unknown exercise 'yoga'; expected one of: "),
        ({"main": [{"exercise": "plank", "hold": 5}]}, "unknown key(s) ['hold']; expected: "),
        ({"warm_up": []}, "unknown key(s) ['warm_up']; expected one of: name, warmup"),
        ({"main": [{"exercise": "cat_cow"}]}, "cat_cow is a timed step here; give it a duration"),
        ({"main": [{"exercise": "plank", "sets": -1}]}, "sets: expected a int >= 0"),
    ],
)
def test_bad_routines_name_the_problem_and_the_choices(data, message):
    with pytest.raises(RoutineError) as info:
        parse_routine(data, "r.toml")
    assert message in str(info.value)
    if "unknown exercise" in message:
        assert "plank" in str(info.value) and "cat_cow" in str(info.value)


def test_cli_rejects_a_bad_routine_file(tmp_path, capsys):
    bad = tmp_path / "r.toml"
    bad.write_text('[[main]]\nexercise = "yoga"\n')
    assert main(["routine", "--file", str(bad), "--show"]) == 2
    assert "unknown exercise 'yoga'" in capsys.readouterr().err


class LoopedTrack:
    """A track replayed over and over, with timestamps that keep increasing."""

    def __init__(self, track: Track):
        self.track = track

    def pose(self, index):
        return self.track.pose(index % len(self.track))

    def frames(self, seconds):
        fps, lit = self.track.fps, np.full((2, 2, 3), 120, np.uint8)  # passes the light check
        for i in range(int(seconds * fps)):
            yield Frame(lit, i / fps, i)


ROUTINE = {
    "name": "test",
    "warmup": [{"exercise": "march_in_place", "duration_s": 2}],
    "main": [{"exercise": "plank", "hold_s": 4, "sets": 2, "rest_s": 1}],
    "cooldown": [{"exercise": "child_pose", "duration_s": 1}],
}


def replayed_runner(seconds, **kwargs):
    """A RoutineRunner over ROUTINE, plank_02's track looped as the camera for `seconds`."""
    looped = LoopedTrack(Track.load(TRACKS / "plank_02.npz"))
    options = RunOptions(
        TIMED, mode="live", live=LiveOptions(countdown_s=1.0, window=False, voice=False)
    )
    info = SourceInfo("camera", looped.track.fps, 0, looped.track.image_size_px)
    return RoutineRunner(
        parse_routine(ROUTINE),
        looped.frames(seconds),
        options,
        info,
        Services(),
        estimator=lambda: ReplayEstimator(looped),
        **kwargs,
    )


def press(monkeypatch, key):
    """Every set's window has `key` pressed at its start."""
    import queue

    import formcoach.assembly

    def pressed():
        keys = queue.SimpleQueue()
        keys.put(ord(key))
        return keys

    monkeypatch.setattr(formcoach.assembly, "key_queue", pressed)


def test_scripted_session_on_a_replayed_plank_stores_the_expected_sets(tmp_path):
    looped = LoopedTrack(Track.load(TRACKS / "plank_02.npz"))
    with History(tmp_path / "h.sqlite3") as history:
        sid = history.start_session("routine", "test", pain_before=3)
        options = RunOptions(
            TIMED, mode="live", live=LiveOptions(countdown_s=1.0, window=False, voice=False)
        )
        info = SourceInfo("camera", looped.track.fps, 0, looped.track.image_size_px)
        outcomes = RoutineRunner(
            parse_routine(ROUTINE),
            looped.frames(60),
            options,
            info,
            Services(history=history, session_id=sid),
            estimator=lambda: ReplayEstimator(looped),
            after_target_s=0.5,
        ).run()
        history.end_session(sid, pain_after=5)
        rows = history.sets()
    assert [(o.step.exercise, o.set_number) for o in outcomes] == [
        ("march_in_place", 1),
        ("plank", 1),
        ("plank", 2),
        ("child_pose", 1),
    ]
    reasons = [o.stop_reason for o in outcomes]
    assert reasons == ["time is up", "target reached", "target reached", "time is up"]
    assert [r["exercise"] for r in rows] == ["march_in_place", "plank", "plank", "child_pose"]
    assert [r["counted"] for r in rows] == [0, 1, 1, 0]
    for r in rows[1:3]:
        assert r["holds"] == 1 and r["hold_best_s"] >= 4.0
    assert all(r["pain_before"] == 3 and r["pain_after"] == 5 for r in rows)
    assert pain_advice(3, 5) is not None and "--easier" in pain_advice(3, 5)


def test_pain_rise_of_two_suggests_the_easier_plan_but_one_does_not():
    assert pain_advice(3, 4) is None
    assert pain_advice(4, 3) is None
    assert pain_advice(None, 6) is None
    assert "easier plan" in pain_advice(2, 4)


def test_the_built_in_routine_reaches_its_first_judged_exercise_within_a_minute():
    routine = load_routine()
    first = next(s for s in routine.steps if s.counted)
    assert first.section in ("warmup", "main")
    assert routine.seconds_to_first_judged() <= 60.0
    assert load_routine().easier().seconds_to_first_judged() <= 60.0


def test_a_routine_can_start_at_any_step_by_number_or_name():
    routine = parse_routine(ROUTINE)
    assert [s.exercise for s in routine.starting_at("2").steps] == ["plank", "child_pose"]
    later = routine.starting_at("child_pose")
    assert [s.exercise for s in later.steps] == ["child_pose"]
    assert later.first_number == 3 and later.easier().first_number == 3
    with pytest.raises(RoutineError, match="steps 1 to 3"):
        routine.starting_at("4")
    with pytest.raises(RoutineError, match="did you mean plank"):
        routine.starting_at("plnk")


def test_the_steps_not_done_are_listed_when_a_session_ends_early():
    from formcoach.cli.routine import not_done
    from formcoach.coach.routine_runner import SetOutcome

    routine = parse_routine(ROUTINE)
    march, plank, _ = routine.steps
    # The camera stopped during the plank's first set.
    outcomes = [SetOutcome(march, 1, False, 0, 0.0, "time is up")]
    outcomes.append(SetOutcome(plank, 1, True, 0, 2.0, "input ended"))
    assert not_done(routine, outcomes) == ["2. Forearm plank (set 2 of 2)", "3. Child's pose"]
    assert not_done(routine, []) == [
        "1. March in place",
        "2. Forearm plank (2 sets)",
        "3. Child's pose",
    ]
    later = routine.starting_at("2")
    assert not_done(later, [SetOutcome(later.steps[0], 2, True, 0, 4.0, "x")]) == [
        "3. Child's pose"
    ]


def test_a_session_whose_camera_stops_keeps_its_sets_and_says_what_is_left():
    # The march (2 s), then the camera is gone during the plank.
    runner = replayed_runner(4)
    outcomes = runner.run()
    assert outcomes is runner.outcomes
    assert (outcomes[0].step.exercise, outcomes[0].stop_reason) == ("march_in_place", "time is up")
    from formcoach.cli.routine import not_done

    assert "3. Child's pose" in not_done(runner.routine, outcomes)


def test_a_pain_rise_of_two_during_the_session_stops_it(monkeypatch):
    press(monkeypatch, "7")  # during the first step, after 5 before the session
    runner = replayed_runner(60, pain_before=5)
    outcomes = runner.run()
    assert runner.stopped_for_pain and runner.pain_now == 7
    assert [(o.step.exercise, o.stop_reason) for o in outcomes] == [("march_in_place", "pain rose")]
    from formcoach.coach.routine import pain_stop_message

    message = pain_stop_message(5, 7)
    assert "from 5 to 7" in message and "Rest" in message and "--easier" in message


def test_a_pain_rise_of_one_during_the_session_does_not_stop_it(monkeypatch):
    press(monkeypatch, "6")
    runner = replayed_runner(60, pain_before=5, after_target_s=0.5)
    outcomes = runner.run()
    assert not runner.stopped_for_pain and runner.pain_now == 6
    assert [o.step.exercise for o in outcomes][-1] == "child_pose"


def test_the_session_ends_with_every_sets_card():
    from formcoach.cli.routine import session_summary

    runner = replayed_runner(60, after_target_s=0.5)
    outcomes = runner.run()
    text = session_summary(outcomes)
    plank_sets = [o for o in outcomes if o.counted]
    assert len(plank_sets) == 2
    for o in plank_sets:  # the card its window ended on, from that set's own summary
        assert o.card[0] == "Forearm plank: target met"
        best = int(o.card[1].split()[2])  # "Best hold N s of 4 s, ..."
        assert 4 <= best <= 5 and " of 4 s" in o.card[1]  # the 4 s target, then 0.5 s more
    assert text.splitlines()[0] == "Session summary:"
    assert text.count("Forearm plank: target met") == 2
    assert "March in place, set 1: timed, done" in text


def test_ctrl_c_during_a_set_ends_the_session_and_keeps_the_set(tmp_path):
    # The loop catches Ctrl-C to close the set's sinks (the set is saved); the session
    # must end there too, not carry on to the next step.
    def interrupted(frames, at_s):
        for frame in frames:
            if frame.timestamp_s >= at_s:
                raise KeyboardInterrupt
            yield frame

    runner = replayed_runner(60)
    runner.frames = interrupted(runner.frames, at_s=8.0)  # during the first plank set
    with History(tmp_path / "h.sqlite") as history:
        runner.services = Services(history=history)
        outcomes = runner.run()
        saved = [s["exercise"] for s in history.sets()]
    assert runner.interrupted
    assert [o.step.exercise for o in outcomes] == ["march_in_place", "plank"]
    assert saved == ["march_in_place", "plank"]


def test_a_choice_step_lists_recognisable_exercises_only():
    step = {"exercise": "auto", "choices": ["plank", "side_plank"], "hold_s": 10}
    routine = parse_routine({"main": [step]})
    assert routine.steps[0].chosen_from == ("plank", "side_plank")
    assert routine.steps[0].counted
    assert "Forearm plank" in routine.steps[0].instructions
    for bad, message in [
        ({"exercise": "auto", "choices": ["cat_cow"]}, "unknown choice 'cat_cow'"),
        ({"exercise": "auto", "choices": ["foam_roll_lumbar"]}, "unknown choice"),
        ({"exercise": "auto", "choices": []}, "expected a list of exercise names"),
        ({"exercise": "plank", "choices": ["plank"]}, 'only a step whose exercise is "auto"'),
    ]:
        with pytest.raises(RoutineError) as info:
            parse_routine({"main": [bad]})
        assert message in str(info.value)
    assert parse_routine({"main": [{"exercise": "auto"}]}).steps[0].chosen_from  # any


def choice_session(choices, seconds, tmp_path):
    """ROUTINE's main step made a choice step, over plank_02's track looped: the choice
    step's outcomes and the exercises saved to the history."""
    routine = dict(ROUTINE, main=[{"exercise": "auto", "choices": choices, "hold_s": 4}])
    runner = replayed_runner(seconds)
    runner.routine = parse_routine(routine)
    with History(tmp_path / "h.sqlite") as history:
        runner.services = Services(history=history)
        outcomes = runner.run()
        saved = [s["exercise"] for s in history.sets()]
    return [o for o in outcomes if o.step.exercise == "auto"], saved


def test_a_choice_step_coaches_the_exercise_chosen_and_saves_it(tmp_path):
    chosen, saved = choice_session(["side_plank", "plank"], 40, tmp_path)
    assert len(chosen) == 1 and chosen[0].counted
    assert chosen[0].card[0].startswith("Forearm plank")
    assert chosen[0].hold_best_s >= 4.0  # the step's target, then the set ends
    assert saved == ["march_in_place", "plank", "child_pose"]


def test_a_choice_step_ignores_an_exercise_it_does_not_offer(tmp_path):
    chosen, saved = choice_session(["side_plank", "lunge"], 20, tmp_path)
    assert [o.counted for o in chosen] == [False]
    assert saved == ["march_in_place"]
