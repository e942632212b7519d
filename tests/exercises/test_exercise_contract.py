"""The exercise contract: hooks learn time, view and the standing decisions from the
`Moment` they are given, never from the base's private state; `position` is pure; the
enter/keep latch the base offers behaves as documented."""

from __future__ import annotations

import ast
import math
from pathlib import Path
from typing import Any

import pytest

from formcoach.exercises import Exercise
from formcoach.exercises.rules import Latch
from tests.conftest import ROOT
from tests.replay import replay

EXERCISES = ROOT / "src" / "formcoach" / "exercises"
BASE_MODULES = {"base", "camera", "faults", "moment", "registry", "rules", "settings", "summary"}


def _exercise_modules() -> list[Path]:
    return [p for p in sorted(EXERCISES.glob("*.py")) if p.stem not in BASE_MODULES | {"__init__"}]


@pytest.mark.parametrize("path", _exercise_modules(), ids=lambda p: p.stem)
def test_an_exercise_reads_no_private_state_of_the_base(path: Path) -> None:
    """`self._x` read in an exercise module must be set in that module (its own state),
    and the rep counter is read through `Moment.rep_phase`, not `self.counter`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    stored, loaded = set(), set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
        ):
            (stored if isinstance(node.ctx, ast.Store) else loaded).add(node.attr)
        elif isinstance(node, ast.FunctionDef):
            stored.add(node.name)  # the module's own methods
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            stored.add(node.target.id)  # the module's own class attributes
    foreign_private = {a for a in loaded - stored if a.startswith("_")}
    assert not foreign_private, f"reads the base's private state: {sorted(foreign_private)}"
    assert "counter" not in loaded and "side_counters" not in loaded


TRACKS = {
    "plank": "plank_sagging_side",
    "side_plank": "side_plank_good_front",
    "knee_rolls": "knee_rolls_good_front",
    "lunge": "lunge_good_side",
    "wall_sit": "wall_sit_good_side",
    "wall_slide": "wall_slide_good_side",
    "partial_crunch": "partial_crunch_good_side",
    "straight_leg_raise": "straight_leg_raise_good_side",
    "ankle_pumps": "ankle_pumps_good_side",
    "abdominal_bracing": "abdominal_bracing_good_side",
    "foam_roll_thoracic": "foam_roll_thoracic_good_side",
    "foam_roll_glutes": "foam_roll_glutes_good_side",
    "foam_roll_arm_reach": "foam_roll_arm_reach_good_side",
    "glute_bridge": "glute_bridge_01",
}


@pytest.mark.parametrize("exercise", sorted(TRACKS))
def test_position_is_pure(exercise: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Asked twice about the same frame, `position` answers the same, and asking does
    not change the set's outcome (a stateful check would drift on the second call)."""
    cls = Exercise.registry[exercise]
    owner = next(c for c in cls.__mro__ if "position" in c.__dict__)
    original = owner.__dict__["position"]
    asked = []

    def twice(self: Exercise, signals: Any, now: Any) -> Any:
        first = original(self, signals, now)
        second = original(self, signals, now)
        assert first == second, f"position changed between two calls at {now.t_s:.2f} s"
        asked.append(first)
        return first

    baseline = replay(exercise, TRACKS[exercise]).report
    monkeypatch.setattr(owner, "position", twice)
    again = replay(exercise, TRACKS[exercise]).report
    assert asked, "position was never asked"
    for key in ("reps", "holds", "faults", "view"):
        assert again.get(key) == baseline.get(key)


def test_latch_enters_at_enter_and_keeps_down_to_keep() -> None:
    up = Latch(enter=0.3, keep=0.2)  # larger is further in
    assert up.short_of(0.25, held=False)
    assert not up.short_of(0.25, held=True)
    assert up.short_of(0.15, held=True)
    assert not up.short_of(0.35, held=False)


def test_latch_for_a_position_entered_from_above() -> None:
    down = Latch(enter=100.0, keep=120.0)  # smaller is further in (an angle closing)
    assert down.short_of(110.0, held=False)
    assert not down.short_of(110.0, held=True)
    assert down.short_of(125.0, held=True)


def test_latch_leaves_an_unmeasured_value_to_other_checks() -> None:
    assert not Latch(enter=0.3, keep=0.2).short_of(math.nan, held=False)


@pytest.mark.parametrize("module", ["recognition.py", "coach/routine.py"])
def test_recognition_and_the_routine_name_no_exercise(module: str) -> None:
    """They read each exercise's signature, title and instructions from the registry, so
    a new exercise is one file: no registered exercise's name is written in them."""
    tree = ast.parse((ROOT / "src" / "formcoach" / module).read_text(encoding="utf-8"))
    names = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert not names & set(Exercise.registry)
