"""Which function runs each subcommand. Each group's module is imported only when its
command runs, so `formcoach --help` and a mistyped flag stay fast."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def cmd_live(args: argparse.Namespace) -> int:
    from formcoach.cli.live import cmd_live as live

    return live(args)


def cmd_analyze(args: argparse.Namespace) -> int:
    from formcoach.cli.analyze import cmd_analyze as analyze

    return analyze(args)


def cmd_eval(args: argparse.Namespace) -> int:
    from formcoach.cli.analyze import cmd_eval as evaluate

    return evaluate(args)


def cmd_routine(args: argparse.Namespace) -> int:
    from formcoach.cli.routine import cmd_routine as routine

    return routine(args)


def cmd_history(args: argparse.Namespace) -> int:
    from formcoach.cli.history import cmd_history as history

    return history(args)


def cmd_exercises(args: argparse.Namespace) -> int:
    from formcoach.cli.info import cmd_exercises as exercises

    return exercises(args)


def cmd_setup(args: argparse.Namespace) -> int:
    from formcoach.cli.info import cmd_setup as setup

    return setup(args)


def cmd_doctor(args: argparse.Namespace) -> int:
    from formcoach.cli.info import cmd_doctor as doctor

    return doctor(args)


def cmd_models(args: argparse.Namespace) -> int:
    from formcoach.cli.info import cmd_models as models

    return models(args)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "routine": cmd_routine,
    "history": cmd_history,
    "analyze": cmd_analyze,
    "eval": cmd_eval,
    "live": cmd_live,
    "exercises": cmd_exercises,
    "setup": cmd_setup,
    "doctor": cmd_doctor,
    "models": cmd_models,
}
