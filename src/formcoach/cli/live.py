"""`formcoach live`: coaching from a camera (or a video standing in for one)."""

from __future__ import annotations

import argparse
import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from formcoach.assembly import (
    LiveOptions,
    RunOptions,
    Services,
    build,
    check_config_file,
    make_exercise,
)
from formcoach.cli.output import (
    CommandError,
    display_available,
    print_summary,
    terminate_as_interrupt,
)
from formcoach.coach.auto_runner import AutoRunner
from formcoach.coach.set_card import summarise_set
from formcoach.coach.voice import open_voice
from formcoach.config import ConfigError
from formcoach.exercises.registry import UnknownExerciseError
from formcoach.pose import models
from formcoach.run_options import AUTO, OptionsError
from formcoach.sinks.window import close_windows
from formcoach.sources.base import Source
from formcoach.sources.open import open_source
from formcoach.store.history import History

log = logging.getLogger(__name__)


@contextlib.contextmanager
def camera_session(args: argparse.Namespace) -> Iterator[tuple[Source, Services]]:
    """The camera (or the file standing in for it), the voice and the history of one
    `live` session, all closed however it ends (the window too)."""
    check_display(args)
    terminate_as_interrupt()
    history = None if args.no_history else History()
    voice = open_voice(args.voice)
    try:
        with open_source(args.source, realtime=True, size_px=args.resolution) as source:
            yield source, Services(voice, history, None, source.status)
    finally:
        if voice is not None:
            voice.close()
        if history is not None:
            history.close()
        if not args.no_window:
            close_windows()


def cmd_live(args: argparse.Namespace) -> int:
    options = live_options(args, args.exercise)
    validate_options(options)
    if args.exercise == AUTO:
        return _live_auto(args, options)
    with camera_session(args) as (source, services):
        assembly = build(options, source.info, services=services)
        stats = assembly.run(source)
    history = services.history
    if not args.quiet:
        session = assembly.session
        if session is not None and session.phase != "active":
            print("counting never started: the setup check did not pass")
        elif session is not None:
            card = summarise_set(
                assembly.exercise.title, assembly.exercise.summary(), session.target
            )
            print("\n".join(card.lines()))
        log.info("session ended: %d frames, %s", stats.frames, stats.stop_reason or "input ended")
        if session is not None and session.phase == "active" and history is not None:
            print(history.saved_message("set"))
        if args.out is not None and assembly.report.report is not None:
            print_summary(assembly.report.report.to_json(), args.out)
    return 0


def _live_auto(args: argparse.Namespace, options: RunOptions) -> int:
    """`live --exercise auto`: one set per exercise the coach names."""
    with camera_session(args) as (source, services):
        parts = AutoRunner(iter(source), options, source.info, services).run()
    history = services.history
    if not args.quiet:
        if not parts:
            print("no exercise was recognised: nothing was counted")
        for part in parts:
            card = summarise_set(part.title, part.summary, part.target)
            print(f"{part.start_s:.0f}-{part.end_s:.0f} s: " + "\n".join(card.lines()))
        if parts and history is not None:
            print(history.saved_message("sets" if len(parts) > 1 else "set"))
    return 0


def live_options(args: argparse.Namespace, exercise: str, **live: Any) -> RunOptions:
    """The run options of `live` and `routine` from their command-line flags."""
    out = getattr(args, "out", None)
    return RunOptions(
        exercise=exercise,
        model_path=str(models.model_path(args.model)),
        config_path=None if args.config is None else str(args.config),
        mode="live",
        out_dir=None if out is None else str(out),
        live=LiveOptions(
            setup_check=not args.skip_setup,
            window=not args.no_window,
            mirror=args.mirror,
            save_screen=None if args.save_screen is None else str(args.save_screen),
            show_fps=bool(getattr(args, "verbose", False)),
            **live,
        ),
    )


def validate_options(options: RunOptions) -> None:
    """Options and the config checked before the camera or the model is opened (with
    `auto`, every exercise's table of the config file)."""
    try:
        options.validate()
        if options.exercise != AUTO:
            make_exercise(options.exercise, options.config_path)
        elif options.config_path is not None:
            check_config_file(options.config_path)
    except (UnknownExerciseError, ConfigError, OptionsError) as exc:
        raise CommandError(str(exc)) from None


def check_display(args: argparse.Namespace) -> None:
    if not args.no_window and not display_available():
        raise CommandError(
            "no display to open a window on; use --no-window (or run under a desktop session)"
        )
