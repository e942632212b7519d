"""Signals named for a physiotherapist: words and a unit, not a variable name.

`label("front_knee_deg")` is "front knee angle (deg)". Signals of the declarative rules
(the ones the report plots against a target) have their own words here; any other is
spelled out from its name, its suffix read as the unit (`_deg`, `_ratio`, `_s`).
"""

from __future__ import annotations

# name -> (what it measures, unit)
LABELS: dict[str, tuple[str, str]] = {
    "arm_tilt_deg": ("supporting arm's tilt from vertical", "deg"),
    "feet_rise_ratio": ("feet lifted off the floor", "ratio"),
    "flexion_deg": ("knee bend from straight", "deg"),
    "front_knee_deg": ("front knee angle", "deg"),
    "head_deg": ("head dropped below the body line", "deg"),
    "hip_line_deg": ("hips above (+) or below (-) the shoulder-ankle line", "deg"),
    "hip_rise_ratio": ("hips lifted off the floor", "ratio"),
    "knee_deg": ("knee angle", "deg"),
    "knee_gap_ratio": ("gap between the knees", "ratio"),
    "knee_past_toes_ratio": ("front knee ahead of the toes", "x shin length"),
    "leg_raise_deg": ("leg raised off the floor", "deg"),
    "lifted_knee_deg": ("raised leg's knee angle", "deg"),
    "other_knee_deg": ("other knee's angle", "deg"),
    "pelvis_shift_ratio": ("pelvis movement from rest", "x leg length"),
    "shin_tilt_deg": ("shin's tilt from vertical", "deg"),
    "shoulder_lift_deg": ("shoulders lifted off the floor", "deg"),
    "thigh_above_parallel_deg": ("thighs above parallel to the floor", "deg"),
    "trunk_lean_deg": ("trunk lean from vertical", "deg"),
    "trunk_shift_ratio": ("shoulder movement from rest", "x leg length"),
    "upper_arm_tilt_deg": ("upper arm's tilt from vertical", "deg"),
    "roller_at_trunk": ("roller's place along the trunk", "0 hips, 1 shoulders"),
    "lift_in": ("raised foot's height", "inches"),
}


def declared_words() -> dict[str, tuple[str, str]]:
    """Words an exercise declares for its own signals (`Exercise.signal_words`)."""
    from formcoach.exercises import Exercise

    return {k: v for cls in Exercise.registry.values() for k, v in cls.signal_words.items()}


SUFFIX_UNITS = {"_deg": "deg", "_ratio": "ratio", "_s": "s", "_m": "m", "_px": "px"}


def words_and_unit(name: str) -> tuple[str, str]:
    if name in LABELS:
        return LABELS[name]
    declared = declared_words().get(name)
    if declared is not None:
        return declared
    if name.startswith("avoid_"):
        return (f"{name.removeprefix('avoid_').replace('_', ' ')} seen", "0 no, 1 yes")
    for suffix, unit in SUFFIX_UNITS.items():
        if name.endswith(suffix):
            return name.removesuffix(suffix).replace("_", " "), unit
    return name.replace("_", " "), ""


def label(name: str) -> str:
    """e.g. "front knee angle (deg)"."""
    words, unit = words_and_unit(name)
    return f"{words} ({unit})" if unit else words


def target_words(low: float | None, high: float | None, unit: str = "") -> str:
    """A target band in words: "at most 25 deg", "at least 140 deg", "-12 to 20 deg"."""
    u = f" {unit}" if unit and not unit.startswith(("x ", "0 ")) else (f" ({unit})" if unit else "")
    if low is None and high is None:
        return "any value"
    if low is None:
        return f"at most {high:g}{u}"
    if high is None:
        return f"at least {low:g}{u}"
    return f"{low:g} to {high:g}{u}"
