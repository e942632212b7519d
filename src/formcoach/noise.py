"""Noise bands: how far each signal wanders without the body moving, so decisions keep a
margin.

A rule whose signal sits near its threshold would flip between pass and fault on the pose
model's noise alone. Two noises were measured on the real clips (`benchmarks/noise.py`,
stored in `data/noise.json`): a signal's jitter within a second on a still body, and how
far it moves when the same video is perturbed (scaled, cropped, compressed, darkened,
captioned, zoomed, at another frame rate, tracked as two people). Their quadrature sum is
the signal's sigma, and a rule's noise band is NOISE_K of it: a value past the threshold
by no more than the band keeps the rule's standing decision (`exercises.rules.Range.check`:
no new fault, a raised one goes on), and the camera view likewise (`formcoach.view`), so
a fault needs the signal clearly past.

A signal that was not measured takes the median of the measured signals of its unit
(angles in degrees, ratios of a body length); a signal of another unit has no band.
"""

from __future__ import annotations

import json
import math
import statistics
from functools import cache
from importlib import resources

# Two standard deviations: a still body's signal stays inside the band 95 % of the time,
# and a fault must last a second past it, so jitter alone practically never raises one.
NOISE_K = 2.0


@cache
def _table() -> dict[str, float]:
    """Signal -> sigma, the still jitter's and the perturbations' added in quadrature."""
    text = resources.files("formcoach").joinpath("data/noise.json").read_text(encoding="utf-8")
    signals = json.loads(text)["signals"]
    return {
        name: math.hypot(float(row["sigma"]), float(row.get("shift_sigma", 0.0)))
        for name, row in signals.items()
    }


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
    """The signal's measured noise (its unit's median if unmeasured)."""
    measured = _table().get(signal)
    if measured is not None and measured > 0:
        return measured
    return _unit_sigma(unit(signal)) if unit(signal) else 0.0


def band(signal: str) -> float:
    """How far past a threshold the signal must be for a rule to change its decision."""
    return NOISE_K * sigma(signal)
