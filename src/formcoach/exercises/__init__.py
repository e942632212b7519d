"""Exercise analyzers. Importing this package registers every exercise module in it.

A new exercise is one module here defining an `Exercise` subclass with a unique `name`;
nothing else needs editing.
"""

import importlib
import pkgutil

from formcoach.exercises.base import Exercise
from formcoach.exercises.registry import create
from formcoach.exercises.settings import ExerciseConfig
from formcoach.exercises.summary import Target

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["Exercise", "ExerciseConfig", "Target", "create"]
