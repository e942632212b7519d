"""Progress plots from the history: one PNG per exercise, days on the x axis.

Each day shows its best set, the way a target is set: the longest hold, and the most reps
in one set (per side when the exercise's target is per side: summing left and right, or
the day's sets, would pass a per-side target nobody reached). The target is a dashed
line; the date axis has days as ticks even with one day of data; y axes start at zero.
matplotlib is imported here only, with the Agg backend (no display needed).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DayStats = dict[str, float]
# A matplotlib Axes: its type hints take no dates on the x axis, which it plots.
Axes = Any


def daily(sets: Sequence[dict[str, Any]]) -> dict[str, dict[date, DayStats]]:
    """Per exercise and day: the best set's hold and reps (per side and in all), and
    faults per set."""
    out: dict[str, dict[date, DayStats]] = defaultdict(dict)
    for s in sets:
        day = date.fromisoformat(s["started_at"][:10])
        d = out[s["exercise"]].setdefault(
            day,
            {"reps": 0.0, "reps_left": 0.0, "reps_right": 0.0, "best_hold_s": 0.0,
             "faults": 0.0, "sets": 0.0},
        )  # fmt: skip
        d["reps"] = max(d["reps"], float(s["reps_left"] + s["reps_right"] + s["reps_unsided"]))
        d["reps_left"] = max(d["reps_left"], float(s["reps_left"]))
        d["reps_right"] = max(d["reps_right"], float(s["reps_right"]))
        d["best_hold_s"] = max(d["best_hold_s"], float(s["hold_best_s"]))
        d["faults"] += len(json.loads(s["faults"]))
        d["sets"] += 1
    return dict(out)


def _target(exercise: str) -> tuple[float, float, bool]:
    """(reps, hold seconds, per side) of the exercise's own target; zeros if unknown."""
    from formcoach.exercises.base import Exercise

    cls = Exercise.registry.get(exercise)
    if cls is None:
        return 0.0, 0.0, False
    return float(cls.target.reps), float(cls.target.hold_s), cls.target.per_side


def plot_progress(sets: Sequence[dict[str, Any]], folder: Path) -> list[Path]:
    """Write `progress_<exercise>.png` for each exercise with counted sets."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for exercise, days in sorted(daily([s for s in sets if s["counted"]]).items()):
        fig = _progress_figure(exercise, days)
        path = folder / f"progress_{exercise}.png"
        fig.savefig(path, dpi=100)
        plt.close(fig)
        written.append(path)
    return written


def _progress_figure(exercise: str, days: dict[date, DayStats]) -> Figure:
    """One exercise's panels, one above the other: best hold and reps where there are any
    (or a target), faults per set always, on a shared axis of days."""
    import matplotlib.pyplot as plt

    xs = sorted(days)
    target_reps, target_hold, per_side = _target(exercise)
    holds = [days[d]["best_hold_s"] for d in xs]
    show_holds = bool(target_hold or any(holds))
    show_reps = bool(target_reps or any(days[d]["reps"] for d in xs))
    panels = 1 + show_holds + show_reps
    fig, axes = plt.subplots(panels, 1, figsize=(7, 2.2 * panels + 0.4), sharex=True)
    axes = list(axes) if panels > 1 else [axes]
    row = 0
    if show_holds:
        _holds_panel(axes[row], xs, holds, target_hold)
        row += 1
    if show_reps:
        _reps_panel(axes[row], xs, days, target_reps, per_side)
    _faults_panel(axes[-1], xs, days)
    for a in axes:
        a.grid(alpha=0.3)
    _day_axis(axes[-1], xs)
    axes[0].set_title(f"{exercise.replace('_', ' ')}: progress by day")
    fig.tight_layout()
    return fig


def _holds_panel(ax: Axes, xs: list[date], holds: list[float], target_hold: float) -> None:
    ax.plot(xs, holds, "o-", color="tab:green", label="best hold")
    if target_hold:
        ax.axhline(target_hold, color="tab:green", ls="--", lw=1, label="target")
    ax.set_ylabel("best hold (s)")
    ax.set_ylim(0, 1.15 * max([target_hold, *holds, 1.0]))
    ax.legend(loc="lower right", fontsize=8)


def _reps_panel(
    ax: Axes, xs: list[date], days: dict[date, DayStats], target_reps: float, per_side: bool
) -> None:
    if per_side:
        left = [days[d]["reps_left"] for d in xs]
        right = [days[d]["reps_right"] for d in xs]
        ax.plot(xs, left, "s-", color="tab:blue", label="left")
        ax.plot(xs, right, "^-", color="tab:purple", label="right")
        peak = max([*left, *right, 1.0])
        ax.set_ylabel("reps per side\n(best set)")
    else:
        reps = [days[d]["reps"] for d in xs]
        ax.plot(xs, reps, "s-", color="tab:blue", label="reps")
        peak = max([*reps, 1.0])
        ax.set_ylabel("reps (best set)")
    if target_reps:
        ax.axhline(target_reps, color="tab:blue", ls="--", lw=1, label="target")
    ax.set_ylim(0, 1.15 * max(peak, target_reps))
    ax.legend(loc="lower right", fontsize=8)


def _faults_panel(ax: Axes, xs: list[date], days: dict[date, DayStats]) -> None:
    ax.bar(xs, [days[d]["faults"] / days[d]["sets"] for d in xs], color="tab:red")
    ax.set_ylabel("faults per set")
    ax.set_ylim(0, 1.15 * max([1.0, *(days[d]["faults"] / days[d]["sets"] for d in xs)]))


def _day_axis(ax: Axes, xs: list[date]) -> None:
    """Days as ticks, a day of margin each side: one day of data reads as a date, not as
    hours around midnight."""
    import matplotlib.dates as mdates

    ax.set_xlim(xs[0] - timedelta(days=1), xs[-1] + timedelta(days=1))
    few_days = (xs[-1] - xs[0]).days < 10
    locator = mdates.DayLocator() if few_days else mdates.AutoDateLocator(maxticks=10)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))  # type: ignore[no-untyped-call]
