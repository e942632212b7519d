"""Exercise analyzers. Importing this package registers every exercise by name."""

from formcoach.exercises import plank
from formcoach.exercises.base import Exercise, ExerciseConfig, Target, create

__all__ = ["Exercise", "ExerciseConfig", "Target", "create", "plank"]
