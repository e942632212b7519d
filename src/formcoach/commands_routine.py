"""`formcoach routine`: a guided session of live sets, with pain asked before and after."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from formcoach import models
from formcoach.commands import CommandError, _check_display, _terminate_as_interrupt
from formcoach.estimators import MediaPipeEstimator
from formcoach.history import History
from formcoach.live import LivePipeline
from formcoach.pipeline import Sink
from formcoach.routine import SAFETY_NOTE, Routine, RoutineError, load_routine, pain_advice
from formcoach.session import RoutineRunner, SetOutcome
from formcoach.sinks import LiveWindowSink
from formcoach.sources import open_source
from formcoach.voice import open_voice
from formcoach.voice_cues import VoiceSink


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
    try:
        routine = load_routine(args.file)
    except RoutineError as exc:
        raise CommandError(str(exc)) from None
    if args.easier:
        routine = routine.easier()
    if args.show:
        print(f"{routine.name} (about {routine.estimated_s() / 60:.0f} min)")
        for step in routine.steps:
            print(f"  {step.section:8s} {step.describe()}")
        return 0
    model = models.model_path(args.model)
    _check_display(args)
    history = None if args.no_history else History()
    try:
        _routine_intro(args, history)
        pain_before = _ask_pain("now", args.pain_before)
        session_id = (
            history.start_session("routine", routine.name, pain_before) if history else None
        )
        outcomes = _run_routine(args, routine, model, history, session_id)
        pain_after = _ask_pain("after the session", args.pain_after)
        if history is not None and session_id is not None:
            history.end_session(session_id, pain_after)
    finally:
        if history is not None:
            history.close()
    for o in outcomes:
        done = f"{o.reps} reps" if o.reps else f"best hold {o.hold_best_s:.0f} s"
        print(f"  {o.step.title}, set {o.set_number}: {done if o.counted else 'timed'}")
    advice = pain_advice(pain_before, pain_after)
    if advice:
        print(advice)
    return 0


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
    model: Path,
    history: History | None,
    session_id: int | None,
) -> list[SetOutcome]:
    _terminate_as_interrupt()
    voice = open_voice(args.voice)

    def sinks(pipeline: LivePipeline, title: str, kind: str) -> list[Sink]:
        out: list[Sink] = []
        if voice is not None:
            out.append(VoiceSink(voice, pipeline, title))
        if not args.no_window:
            out.append(LiveWindowSink(pipeline, title, kind, args.mirror, save_to=args.save_screen))
        return out

    try:
        with open_source(args.source, realtime=True, size_px=args.resolution) as source:
            runner = RoutineRunner(
                routine,
                iter(source),
                lambda: MediaPipeEstimator(model),
                history,
                session_id,
                sinks=sinks,
                source_status=source.status,
                setup_check=not args.skip_setup,
            )
            try:
                return runner.run()
            except KeyboardInterrupt:
                print("session interrupted: the sets done so far are saved")
                return []
    finally:
        if voice is not None:
            voice.close()
