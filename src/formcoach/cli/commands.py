"""Which function runs each subcommand. A group's module is imported only when one of its
commands runs, so `formcoach --help` and a mistyped flag stay fast."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable

# subcommand -> (module in formcoach.cli, function)
WHERE: dict[str, tuple[str, str]] = {
    "live": ("live", "cmd_live"),
    "analyze": ("analyze", "cmd_analyze"),
    "eval": ("analyze", "cmd_eval"),
    "routine": ("routine", "cmd_routine"),
    "history": ("history", "cmd_history"),
    "exercises": ("info", "cmd_exercises"),
    "setup": ("info", "cmd_setup"),
    "doctor": ("info", "cmd_doctor"),
    "models": ("info", "cmd_models"),
}


def handler(command: str) -> Callable[[argparse.Namespace], int] | None:
    """The function that runs `command`, or None (a subcommand with its own, as `synth`)."""
    where = WHERE.get(command)
    if where is None:
        return None
    module, function = where
    found: Callable[[argparse.Namespace], int] = getattr(
        importlib.import_module(f"formcoach.cli.{module}"), function
    )
    return found
