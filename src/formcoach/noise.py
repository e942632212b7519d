"""Noise bands: how far each signal wanders on a still body, so decisions keep a margin.

A rule whose signal sits near its threshold would flip between pass and fault on the
pose model's jitter alone. Each signal's jitter was measured on still stretches of the
real clips (`benchmarks/noise.py`, stored in `data/noise.json`): its robust standard
deviation within a second, as the rules see it after smoothing. A rule's noise band is
NOISE_K of those: a value past the threshold by less than the band keeps the rule's last
decision (`exercises.base.Range.check`), so a fault needs the signal clearly past it.

A signal that no still clip measured takes the median of the measured signals of its unit
(angles in degrees, ratios of a body length); a signal of another unit has no band.
"""

from __future__ import annotations

import json
import statistics
from functools import cache
from importlib import resources

# Two standard deviations: a still body's signal stays inside the band 95 % of the time,
# and a fault must last a second past it, so jitter alone practically never raises one.
NOISE_K = 2.0


@cache
def _table() -> dict[str, float]:
    text = resources.files("formcoach").joinpath("data/noise.json").read_text(encoding="utf-8")
    signals = json.loads(text)["signals"]
    return {name: float(row["sigma"]) for name, row in signals.items() if row["frames"] > 0}


# Signals whose names do not end in their unit.
UNITS = {"roller_at_trunk": "ratio"}  # a share of the trunk's length, 0 hips to 1 shoulders


def unit(signal: str) -> str:
    """ "deg" or "ratio" from the signal's name ("" for any other)."""
    if signal in UNITS:
        return UNITS[signal]
    for suffix in ("deg", "ratio"):
        if signal.endswith(f"_{suffix}") or f"_{suffix}_" in signal:
            return suffix
    return ""


@cache
def _unit_sigma(kind: str) -> float:
    values = [s for name, s in _table().items() if unit(name) == kind and s > 0]
    return statistics.median(values) if values else 0.0


def sigma(signal: str) -> float:
    """The signal's measured jitter on a still body (its unit's median if unmeasured)."""
    measured = _table().get(signal)
    if measured is not None and measured > 0:
        return measured
    return _unit_sigma(unit(signal)) if unit(signal) else 0.0


def band(signal: str) -> float:
    """How far past a threshold the signal must be for a rule to change its decision."""
    return NOISE_K * sigma(signal)
