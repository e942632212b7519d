"""Exercises by name: creating an analyzer, and the message for a name that is not one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from formcoach.exercises.base import Exercise
from formcoach.exercises.settings import ExerciseConfig


class UnknownExerciseError(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def create(name: str, config: ExerciseConfig | None = None) -> Exercise:
    """An analyzer by its snake_case name; the error lists the valid names."""
    from formcoach import exercises  # noqa: F401  (importing registers every exercise)

    try:
        cls = Exercise.registry[name]
    except KeyError:
        raise UnknownExerciseError(
            unknown_name_message("exercise", name, Exercise.registry)
        ) from None
    return cls(config)


def unknown_name_message(what: str, name: str, valid: Iterable[str], prefix: str = "") -> str:
    """E.g. "unknown exercise 'side_plnk' (did you mean side_plank?); expected one of: ...".
    `prefix` is left out of the comparison (a config key `plank.max_sag` vs `max_sag_deg`)."""
    choices = sorted(valid)
    bare = name.removeprefix(f"{prefix}.") if prefix else name
    close = difflib.get_close_matches(bare, choices, n=2, cutoff=0.6)
    hint = f" (did you mean {' or '.join(close)}?)" if close else ""
    shown = name if prefix else repr(name)
    return f"unknown {what} {shown}{hint}; expected one of: {', '.join(choices)}"
