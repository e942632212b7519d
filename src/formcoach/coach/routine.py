"""Guided routines: a readable TOML file of steps (warm-up, main, cool-down) with targets.

A step names an exercise. If formcoach has an analyzer for it, sets are judged and counted
against the step's target; if not (yet), the step runs as a timed, uncounted step with
its instructions on screen. A step whose exercise is "auto" lets the person choose: each
set is whichever of its `choices` (every recognisable program exercise if none are
listed) the coach recognises, judged and counted as that exercise. Unknown names or keys
raise and list the valid choices.
"""

from __future__ import annotations

import dataclasses
import math
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from formcoach.exercises.base import Exercise
from formcoach.exercises.registry import unknown_name_message
from formcoach.exercises.summary import Target
from formcoach.run_options import AUTO

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SECTIONS = ("warmup", "main", "cooldown")
PAIN_RISE_EASIER = 2  # a rise of this much (0-10 scale) after a session suggests easing off
# A rise of this much reported during a session (a digit key) stops it: exercise for low
# back pain should not make it worse while you do it (the same 2 points as above: the
# smallest change people notice on a 0-10 scale).
PAIN_RISE_STOP = 2

SAFETY_NOTE = """\
Before you start:
  - Check with your doctor or physiotherapist before starting a new exercise programme.
  - Move gently. Stop if your pain increases or spreads (for example down a leg).
  - Seek medical care promptly for numbness, leg weakness, changes in bladder or bowel
    control, fever, or pain after a fall or injury.
formcoach counts and comments on form; it does not diagnose or treat anything."""

# Exercises of the guides that no analyzer judges: a title and what to do, in the user's
# words. An analyzer declares its own (`Exercise.title`, `Exercise.instructions`) and
# takes precedence over an entry of the same name.
GUIDED: dict[str, tuple[str, str]] = {
    "march_in_place": ("March in place", "march on the spot, arms swinging, breathe easily"),
    "pelvic_tilt": ("Pelvic tilt", "on your back, knees bent: flatten your low back, then relax"),
    "cat_cow": ("Cat-cow", "on hands and knees: slowly round your back, then let it dip"),
    "knee_to_chest": ("Knee to chest", "on your back: hug one knee gently to your chest"),
    "child_pose": ("Child's pose", "kneel, sit back on your heels, arms forward, breathe"),
    "hamstring_stretch": ("Hamstring stretch", "on your back: raise one straight leg gently"),
}


class RoutineError(ValueError):
    """A routine file is unreadable, or names an unknown exercise or key."""


@dataclass(frozen=True, slots=True)
class Step:
    exercise: str
    section: str
    reps: int = 0
    hold_s: float = 0.0
    per_side: bool = False
    sets: int = 1
    rest_s: float = 30.0
    duration_s: float = 0.0
    note: str = ""
    choices: tuple[str, ...] = ()  # an "auto" step's exercises (none: any recognisable)

    @property
    def counted(self) -> bool:
        """An analyzer judges this step (else it is timed and uncounted)."""
        return self.exercise == AUTO or self.exercise in Exercise.registry

    @property
    def chosen_from(self) -> tuple[str, ...]:
        """An "auto" step's exercises: its choices, or every recognisable one."""
        return self.choices or recognisable()

    @property
    def choice_titles(self) -> str:
        """An "auto" step's exercises by title: "Forearm plank, Side plank"."""
        return ", ".join(Exercise.registry[n].title for n in self.chosen_from)

    @property
    def title(self) -> str:
        if self.exercise == AUTO:
            return "Your choice"
        cls = Exercise.registry.get(self.exercise)
        return cls.title if cls is not None else GUIDED[self.exercise][0]

    @property
    def instructions(self) -> str:
        if self.exercise == AUTO:
            return self.note or f"do one of: {self.choice_titles}"
        cls = Exercise.registry.get(self.exercise)
        declared = cls.instructions if cls is not None else ""
        return self.note or declared or GUIDED.get(self.exercise, ("", ""))[1]

    @property
    def target(self) -> Target:
        return Target(reps=self.reps, hold_s=self.hold_s, per_side=self.per_side)

    def describe(self) -> str:
        dose = self.target.describe() if (self.reps or self.hold_s) else ""
        if not self.counted or not dose:
            dose = ", ".join(p for p in (dose, f"{self.duration_s:g} s") if p)
        sets = f"{self.sets} x " if self.sets > 1 else ""
        how = "counted" if self.counted else "timed"
        title = self.title
        if self.exercise == AUTO:
            title += f" of {self.choice_titles}"
        return f"{title}: {sets}{dose} ({how})"


@dataclass(frozen=True, slots=True)
class Routine:
    name: str
    steps: tuple[Step, ...]
    first_number: int = 1  # the number of steps[0] in the whole routine (after --from)

    def easier(self) -> Routine:
        """About 60% of the dose: fewer reps, shorter holds, one set less."""

        def ease(s: Step) -> Step:
            return dataclasses.replace(
                s,
                reps=math.ceil(s.reps * 0.6),
                hold_s=float(math.ceil(s.hold_s * 0.6)),
                sets=max(1, s.sets - 1),
                duration_s=float(math.ceil(s.duration_s * 0.75)),
            )

        eased = tuple(ease(s) for s in self.steps)
        return Routine(f"{self.name} (easier)", eased, self.first_number)

    def starting_at(self, where: str) -> Routine:
        """The routine from one step on: `where` is its number in `--show`'s list (1 is
        the first) or its exercise name (its first step)."""
        if where.isdigit():
            index = int(where) - self.first_number
            if not 0 <= index < len(self.steps):
                first, last = self.first_number, self.first_number + len(self.steps) - 1
                raise RoutineError(f"step {where}: the routine has steps {first} to {last}")
        else:
            names = [s.exercise for s in self.steps]
            if where not in names:
                raise RoutineError(unknown_name_message("step", where, sorted(set(names))))
            index = names.index(where)
        return Routine(self.name, self.steps[index:], self.first_number + index)

    def seconds_to_first_judged(self) -> float:
        """How long the timed steps (and their rests) before the first judged one take."""
        total = 0.0
        for s in self.steps:
            if s.counted:
                return total
            total += s.sets * s.duration_s + (s.sets - 1) * s.rest_s
            total += s.rest_s if s.section == "main" else 0.0  # the rest after a main step
        return total

    def estimated_s(self) -> float:
        """A rough length: timed steps, ~3 s per rep, holds with 10 s to set up, rests."""
        total = 0.0
        for s in self.steps:
            work = s.duration_s
            if s.counted and (s.reps or s.hold_s):
                sides = 2 if s.per_side else 1
                work = sides * (s.reps * 3.0 or s.hold_s + 10.0)
            total += s.sets * work + (s.sets - 1) * s.rest_s
        return total


STEP_KEYS = tuple(f.name for f in dataclasses.fields(Step) if f.name not in ("section",))


def recognisable() -> tuple[str, ...]:
    """The program exercises recognition can name (a choice step's default choices)."""
    return tuple(
        sorted(
            name
            for name, kind in Exercise.registry.items()
            if kind.signature is not None and kind.kind != "warning"
        )
    )


def valid_exercises() -> list[str]:
    return sorted(set(Exercise.registry) | set(GUIDED) | {AUTO})


def parse_routine(data: dict[str, Any], origin: str = "routine") -> Routine:
    from formcoach import exercises  # noqa: F401  (registers the analyzers)

    unknown = set(data) - {"name", *SECTIONS}
    if unknown:
        raise RoutineError(
            f"{origin}: unknown key(s) {sorted(unknown)}; expected one of: name, "
            + ", ".join(SECTIONS)
        )
    steps = []
    for section in SECTIONS:
        for i, raw in enumerate(data.get(section, [])):
            steps.append(_step(raw, section, f"{origin}: {section}[{i}]"))
    if not steps:
        raise RoutineError(f"{origin}: no steps; add [[main]] tables")
    return Routine(str(data.get("name", "routine")), tuple(steps))


def _step(raw: Any, section: str, where: str) -> Step:
    if not isinstance(raw, dict):
        raise RoutineError(f"{where}: expected a table, got {raw!r}")
    bad = set(raw) - set(STEP_KEYS)
    if bad:
        raise RoutineError(
            f"{where}: unknown key(s) {sorted(bad)}; expected: {', '.join(STEP_KEYS)}"
        )
    name = raw.get("exercise")
    if name not in valid_exercises():
        message = unknown_name_message("exercise", str(name), valid_exercises())
        raise RoutineError(f"{where}: {message}")
    defaults = Step(name, section)
    values: dict[str, Any] = {}
    if "choices" in raw:
        values["choices"] = _choices(raw["choices"], name, f"{where}.choices")
    for key, value in raw.items():
        if key == "choices":
            continue
        default = getattr(defaults, key)
        ok = isinstance(value, type(default)) or (
            isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool)
        )
        if not ok or (isinstance(value, int | float) and value < 0):
            raise RoutineError(
                f"{where}.{key}: expected a {type(default).__name__} >= 0, got {value!r}"
            )
        values[key] = type(default)(value)
    step = dataclasses.replace(defaults, **values)
    if step.sets < 1:
        raise RoutineError(f"{where}.sets: at least 1, got {step.sets}")
    if not step.counted and not step.duration_s:
        raise RoutineError(f"{where}: {name} is a timed step here; give it a duration_s")
    return step


def _choices(value: Any, exercise: str, where: str) -> tuple[str, ...]:
    """A choice step's exercises: recognisable program exercises, for an "auto" step."""
    if exercise != AUTO:
        raise RoutineError(f'{where}: only a step whose exercise is "{AUTO}" has choices')
    if not isinstance(value, list) or not value:
        raise RoutineError(f"{where}: expected a list of exercise names, got {value!r}")
    names = recognisable()
    for name in value:
        if name not in names:
            message = unknown_name_message("choice", str(name), list(names))
            raise RoutineError(f"{where}: {message} (exercises recognition can name)")
    return tuple(dict.fromkeys(value))


def load_routine(path: Path | None = None) -> Routine:
    """A routine file, or the built-in one."""
    try:
        if path is None:
            text = resources.files("formcoach").joinpath("data/routine_default.toml").read_text()
            origin = "built-in routine"
        else:
            text, origin = path.read_text(encoding="utf-8"), str(path)
        return parse_routine(tomllib.loads(text), origin)
    except FileNotFoundError:
        raise RoutineError(f"routine file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RoutineError(f"{path} is not valid TOML: {exc}") from None


def pain_stop_message(before: int, now: int) -> str:
    """What the session says when it stops because pain rose during it."""
    return (
        f"Stopped: your pain rose from {before} to {now}. Rest in a comfortable position. "
        "Next time start with the easier plan (formcoach routine --easier); if the pain "
        "stays up or spreads down a leg, talk to your doctor or physiotherapist."
    )


def pain_advice(before: int | None, after: int | None) -> str | None:
    """The suggestion after a session whose pain rose by PAIN_RISE_EASIER or more."""
    if before is None or after is None or after - before < PAIN_RISE_EASIER:
        return None
    return (
        f"Your pain rose from {before} to {after}. Next time use the easier plan "
        "(formcoach routine --easier), and talk to your doctor or physiotherapist if "
        "it keeps rising."
    )
