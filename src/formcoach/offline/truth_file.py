"""The truth file of `formcoach eval` (JSON): what is known about each clip, read and written.

Each clip lists its rep count, held intervals and faults ([] = none seen; null = not
established), with the confidence and notes of where they come from. `clip_manifest.py`
makes one from the shared clips' MANIFEST.md; `evaluate.py` scores analyses against it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

TRUTH_VERSION = 1


class TruthError(ValueError):
    """The truth file or the manifest cannot be read."""


@dataclass
class ClipTruth:
    clip: str  # file name, e.g. plank_01.mp4
    exercise: str  # analyzer name, from the file name (plank_01 -> plank)
    reps: int | None = None
    holds: list[tuple[float, float]] | None = None
    faults: list[dict[str, Any]] | None = None  # {rule, start_s, end_s}; [] = none
    confidence: str = ""
    description: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def hold_s(self) -> float | None:
        return None if self.holds is None else sum(e - s for s, e in self.holds)


def save_truth(rows: Sequence[ClipTruth], path: Path, clips_dir: Path | None) -> None:
    data = {
        "truth_version": TRUTH_VERSION,
        "clips_dir": str(clips_dir) if clips_dir is not None else None,
        "clips": [asdict(r) for r in rows],
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def load_truth(path: Path) -> tuple[list[ClipTruth], Path | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TruthError(f"cannot read truth file {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("truth_version") != TRUTH_VERSION:
        raise TruthError(f"{path} is not a formcoach truth file (truth_version {TRUTH_VERSION})")
    rows = []
    for c in data["clips"]:
        holds = c.get("holds")
        rows.append(
            ClipTruth(
                clip=c["clip"],
                exercise=c["exercise"],
                reps=c.get("reps"),
                holds=None if holds is None else [(float(s), float(e)) for s, e in holds],
                faults=c.get("faults"),
                confidence=c.get("confidence", ""),
                description=c.get("description", ""),
                notes=list(c.get("notes", [])),
            )
        )
    clips_dir = data.get("clips_dir")
    return rows, (Path(clips_dir) if clips_dir else None)
