"""Progress plots from the history: one PNG per exercise, days on the x axis.

matplotlib is imported here only, with the Agg backend (no display needed).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any


def daily(sets: Sequence[dict[str, Any]]) -> dict[str, dict[date, dict[str, float]]]:
    """Per exercise and day: reps, best hold, and faults per set."""
    out: dict[str, dict[date, dict[str, float]]] = defaultdict(dict)
    for s in sets:
        day = date.fromisoformat(s["started_at"][:10])
        d = out[s["exercise"]].setdefault(
            day, {"reps": 0.0, "best_hold_s": 0.0, "faults": 0.0, "sets": 0.0}
        )
        d["reps"] += s["reps_left"] + s["reps_right"] + s["reps_unsided"]
        d["best_hold_s"] = max(d["best_hold_s"], float(s["hold_best_s"]))
        d["faults"] += len(json.loads(s["faults"]))
        d["sets"] += 1
    return dict(out)


def plot_progress(sets: Sequence[dict[str, Any]], folder: Path) -> list[Path]:
    """Write `progress_<exercise>.png` for each exercise with counted sets."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for exercise, days in sorted(daily([s for s in sets if s["counted"]]).items()):
        xs = sorted(days)
        fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 5), sharex=True)
        holds = [days[d]["best_hold_s"] for d in xs]
        if any(holds):
            top.plot(xs, holds, "o-", color="tab:green", label="best hold (s)")
        reps = [days[d]["reps"] for d in xs]
        if any(reps):
            top.plot(xs, reps, "s-", color="tab:blue", label="reps")
        top.set_title(f"{exercise}: progress by day")
        top.legend(loc="upper left")
        top.grid(alpha=0.3)
        bottom.bar(xs, [days[d]["faults"] / days[d]["sets"] for d in xs], color="tab:red")
        bottom.set_ylabel("faults per set")
        bottom.grid(alpha=0.3)
        fig.autofmt_xdate()
        path = folder / f"progress_{exercise}.png"
        fig.savefig(path, dpi=100)
        plt.close(fig)
        written.append(path)
    return written
