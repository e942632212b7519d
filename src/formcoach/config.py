"""Exercise settings: typed dataclass defaults, overridden by a TOML file and CLI flags.

A TOML file has one table per exercise, e.g.

    [plank]
    max_sag_deg = 10.0

Unknown exercises or keys, wrong types and values out of their range raise ConfigError
naming the key, the value and the allowed range (or the valid choices).
"""

from __future__ import annotations

import dataclasses
import math
import sys
from pathlib import Path
from typing import Any

from formcoach.exercises.base import Exercise
from formcoach.exercises.registry import unknown_name_message
from formcoach.exercises.settings import ExerciseConfig
from formcoach.interval_timer import IntervalConfig

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


# Joint angles and inclines are at most 180 degrees; a larger threshold is a typo.
MAX_ANGLE_DEG = 180.0
# Every number's range, by how its name ends (what it measures): (ending, high, unit).
# Nothing is negative; angles are checked above. Shares and MediaPipe's visibility are
# 0-1; a length in body or limb lengths is under 10 of them; a time is under 10 minutes
# (longer than any set); a height in inches is under an adult's 48 in leg. Other numbers
# (a rep signal's levels) have no upper limit.
RANGES: tuple[tuple[str, float, str], ...] = (
    ("visibility", 1.0, "(MediaPipe's visibility, a probability)"),
    ("_at_trunk", 1.0, "(a share of the trunk, hips 0 to shoulders 1)"),
    ("_ratio", 10.0, "(a length in body or limb lengths)"),
    ("_s", 600.0, "seconds"),
    ("_in", 48.0, "inches"),
)


def _range(key: str) -> tuple[float, str] | None:
    name = key.rsplit(".", 1)[-1]
    for ending, high, unit in RANGES:
        if name.endswith(ending):
            return high, unit
    return None


class ConfigError(ValueError):
    """A configuration value is unknown, of the wrong type, or out of range."""


def _coerce(key: str, value: Any, default: Any) -> Any:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{key} must be true or false, got {value!r}")
        return value
    if isinstance(default, int | float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{key} must be a number, got {value!r}")
        if not math.isfinite(value):
            raise ConfigError(f"{key} must be a finite number, got {value!r}")
        limit = _range(key)
        if key.endswith("_deg") and not 0 <= value <= MAX_ANGLE_DEG:
            raise ConfigError(f"{key} is an angle: 0 to {MAX_ANGLE_DEG:g} degrees, got {value!r}")
        if limit is not None and not 0 <= value <= limit[0]:
            raise ConfigError(f"{key} must be 0 to {limit[0]:g} {limit[1]}, got {value!r}")
        if value < 0:
            raise ConfigError(f"{key} must not be negative (0 or more), got {value!r}")
        if isinstance(default, int) and not isinstance(default, bool):
            if isinstance(value, float) and not value.is_integer():
                raise ConfigError(f"{key} must be a whole number, got {value!r}")
            return int(value)
        return float(value)
    if isinstance(default, IntervalConfig):
        if not isinstance(value, dict):
            raise ConfigError(f"{key} must be a table, got {value!r}")
        return _apply(key, default, value)
    raise ConfigError(f"{key} cannot be set from a config file")


# Keys that configured a count of frames and now take seconds (the same movement must give
# the same result at any frame rate): old key -> new key.
RENAMED = {"view_window_frames": "view_window_s"}


def _apply(prefix: str, obj: Any, values: dict[str, Any]) -> Any:
    fields = {f.name: f for f in dataclasses.fields(obj)}
    changes = {}
    for key, value in values.items():
        if key in RENAMED and RENAMED[key] in fields:
            raise ConfigError(
                f"{prefix}.{key} was replaced by {prefix}.{RENAMED[key]}, in seconds "
                f"(at 30 fps, {key} = 30 is {RENAMED[key]} = 1.0)"
            )
        if key not in fields:
            raise ConfigError(unknown_name_message("key", f"{prefix}.{key}", fields, prefix))
        changes[key] = _coerce(f"{prefix}.{key}", value, getattr(obj, key))
    return dataclasses.replace(obj, **changes)


def exercise_config(name: str, overrides: dict[str, Any] | None = None) -> ExerciseConfig:
    """The config for exercise `name` with `overrides` (a TOML table) applied."""
    cls = Exercise.registry[name].config_class
    return _apply(name, cls(), overrides or {})  # type: ignore[no-any-return]


def load_config_file(path: Path, name: str) -> ExerciseConfig:
    """Read a TOML file and return the config for exercise `name`. Every table of the
    file is checked, not only `name`'s: a typo elsewhere is reported, not ignored."""
    tables = read_config_file(path)
    configs = {table: exercise_config(table, values) for table, values in tables.items()}
    return configs.get(name) or exercise_config(name)


def read_config_file(path: Path) -> dict[str, Any]:
    """A TOML file's exercise tables; raises ConfigError for a file that cannot be read or
    names an exercise that does not exist."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not a UTF-8 text file") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    unknown = set(data) - set(Exercise.registry)
    if unknown:
        raise ConfigError(
            f"{path}: unknown exercise table(s) {sorted(unknown)}; expected one "
            f"of: {', '.join(sorted(Exercise.registry))}"
        )
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [{name}] must be a table of settings, got {table!r}")
    return data
