"""`formcoach routine`: a guided session of live sets, with pain asked before and after."""

from __future__ import annotations

import argparse
import sys

from formcoach.assembly import Services, make_exercise
from formcoach.cli.live import check_display, live_options
from formcoach.cli.output import CommandError, terminate_as_interrupt
from formcoach.coach.routine import (
    SAFETY_NOTE,
    Routine,
    RoutineError,
    load_routine,
    pain_advice,
    pain_stop_message,
)
from formcoach.coach.routine_runner import RoutineRunner, SetOutcome
from formcoach.coach.voice import open_voice
from formcoach.config import ConfigError
from formcoach.exercises.registry import UnknownExerciseError
from formcoach.pose import models
from formcoach.run_options import TIMED
from formcoach.sinks.window import close_windows
from formcoach.sources.open import open_source
from formcoach.store.history import History


def _ask_pain(when: str, given: int | None) -> int | None:
    if given is not None:
        if not 0 <= given <= 10:
            raise CommandError(f"pain must be 0-10, got {given}")
        return given
    if not sys.stdin.isatty():
        return None
    while True:
        answer = input(f"Pain {when}, 0 (none) to 10 (worst)? [enter to skip] ").strip()
        if not answer:
            return None
        if answer.isdigit() and 0 <= int(answer) <= 10:
            return int(answer)
        print("please type a number from 0 to 10")


def cmd_routine(args: argparse.Namespace) -> int:
    routine = _chosen_routine(args)
    if args.show:
        print(f"{routine.name} (about {routine.estimated_s() / 60:.0f} min)")
        for i, step in enumerate(routine.steps, routine.first_number):
            print(f"  {i:2d}  {step.section:8s} {step.describe()}")
        return 0
    _check_config(args, routine)
    check_display(args)
    history = None if args.no_history else History()
    try:
        _routine_intro(args, history)
        pain_before = _ask_pain("now", args.pain_before)
        session_id = (
            history.start_session("routine", routine.name, pain_before) if history else None
        )
        runner = _run_routine(args, routine, history, session_id, pain_before)
        outcomes = runner.outcomes
        if runner.stopped_for_pain and pain_before is not None and runner.pain_now is not None:
            print(pain_stop_message(pain_before, runner.pain_now))
        pain_after = _ask_pain("after the session", args.pain_after)
        if pain_after is None:
            pain_after = runner.pain_now  # reported during the session
        if history is not None and session_id is not None:
            history.end_session(session_id, pain_after)
    finally:
        if history is not None:
            history.close()
    _print_the_end(routine, outcomes, history, pain_before, pain_after)
    return 0


def _chosen_routine(args: argparse.Namespace) -> Routine:
    """The routine file, made easier or started later as the flags ask."""
    try:
        routine = load_routine(args.file)
        if args.easier:
            routine = routine.easier()
        if args.start_at:
            routine = routine.starting_at(args.start_at)
    except RoutineError as exc:
        raise CommandError(str(exc)) from None
    return routine


def _print_the_end(
    routine: Routine,
    outcomes: list[SetOutcome],
    history: History | None,
    pain_before: int | None,
    pain_after: int | None,
) -> None:
    """The session's summary, what was not done and how to do it later, the pain advice."""
    print(session_summary(outcomes))
    if history is not None and history.saved_aside is not None:
        print(history.saved_message("session"))
    missed = not_done(routine, outcomes)
    if missed:
        print("Not done this time: " + "; ".join(missed))
        print(f"  to do them later: formcoach routine --from {missed[0].split('.')[0]}")
    advice = pain_advice(pain_before, pain_after)
    if advice:
        print(advice)


def session_summary(outcomes: list[SetOutcome]) -> str:
    """Every set of the session: a judged set's card (what its window showed at its end),
    a timed step as done."""
    lines = ["Session summary:"] if outcomes else ["Session summary: no set was done"]
    for o in outcomes:
        if o.counted and o.card:
            lines.append(f"  set {o.set_number}: {o.card[0]}")
            lines += [f"      {line}" for line in o.card[1:]]
        else:
            lines.append(f"  {o.step.title}, set {o.set_number}: timed, done")
    return "\n".join(lines)


def not_done(routine: Routine, outcomes: list[SetOutcome]) -> list[str]:
    """The steps, or sets of a step, the session did not get to (the camera stopped, `q`,
    Ctrl-C) or skipped (`n`), in order, e.g. "Forearm plank (sets 2-3 of 3)"."""
    done: dict[int, int] = {}
    for o in outcomes:
        done[id(o.step)] = max(done.get(id(o.step), 0), o.set_number)
    missed = []
    for i, step in enumerate(routine.steps, routine.first_number):
        n = done.get(id(step), 0)
        if n >= step.sets:
            continue
        if n == 0:
            what = "" if step.sets == 1 else f" ({step.sets} sets)"
        else:
            left = f"set {step.sets}" if n + 1 == step.sets else f"sets {n + 1}-{step.sets}"
            what = f" ({left} of {step.sets})"
        missed.append(f"{i}. {step.title}{what}")
    return missed


def _check_config(args: argparse.Namespace, routine: Routine) -> None:
    """The model, and the config for every judged step, before the session starts."""
    models.model_path(args.model)
    options = live_options(args, TIMED)
    try:
        for step in routine.steps:
            if step.counted:
                make_exercise(step.exercise, options.config_path)
    except (UnknownExerciseError, ConfigError) as exc:
        raise CommandError(str(exc)) from None


def _routine_intro(args: argparse.Namespace, history: History | None) -> None:
    first = history is None or not history.sessions()
    if first and not args.yes:
        print(SAFETY_NOTE)
        if sys.stdin.isatty():
            input("Press Enter to start (Ctrl-C to stop) ")
    last = history.last_finished_session() if history is not None else None
    if last is not None and not args.easier:
        advice = pain_advice(last["pain_before"], last["pain_after"])
        if advice:
            print(f"Last session: {advice}")


def _run_routine(
    args: argparse.Namespace,
    routine: Routine,
    history: History | None,
    session_id: int | None,
    pain_before: int | None,
) -> RoutineRunner:
    terminate_as_interrupt()
    options = live_options(args, TIMED)
    voice = open_voice(args.voice)
    try:
        with open_source(args.source, realtime=True, size_px=args.resolution) as source:
            runner = RoutineRunner(
                routine,
                iter(source),
                options,
                source.info,
                Services(voice, history, session_id, source.status),
                pain_before=pain_before,
            )
            try:
                runner.run()
            except KeyboardInterrupt:
                runner.interrupted = True
            if runner.interrupted:
                print("session interrupted: the sets done so far are saved")
            if runner.stopped_for_pain and voice is not None and runner.pain_now is not None:
                voice.say(pain_stop_message(pain_before or 0, runner.pain_now))
            return runner
    finally:
        if voice is not None:
            voice.close()
        if not args.no_window:
            close_windows()
