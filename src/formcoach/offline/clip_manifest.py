"""The shared clips' MANIFEST.md -> truth rows (`formcoach eval convert-manifest`).

Only clearly stated counts and holds are parsed; whatever is not becomes a note on the row,
and faults count as established only where the manifest says "Faults: none".
"""

from __future__ import annotations

import re
from pathlib import Path

from formcoach.offline.truth_file import ClipTruth, TruthError

_REPS = re.compile(r"\b(\d+) COMPLETE\b")
_HOLD = re.compile(r"\bHOLD\b[^;()]*?~?(\d+(?:\.\d+)?)\s*(?:s\s+to|-)\s*~?(\d+(?:\.\d+)?)\s*s\b")
_NO_FAULTS = re.compile(r"\bFaults:\s*none\b", re.IGNORECASE)


_ROLLS = re.compile(r"~?(\d+) rolls\b", re.IGNORECASE)

# The manifest's exercise descriptions -> catalog names, first match wins. Both a lying
# double straight-leg raise and scissors hold straight legs off the floor: the avoid
# list's double leg lift. Unmatched rows keep the clip's name (glute_bridge, ...).
CATALOG = (
    ("double straight-leg raise", "double_leg_lift"),
    ("scissors", "double_leg_lift"),
    ("crunch", "partial_crunch"),
    ("side plank", "side_plank"),
    ("plank", "plank"),
    ("wall sit", "wall_sit"),
    ("lunge", "lunge"),
    ("knee rolls", "knee_rolls"),
)


def exercise_of(clip: str, description: str = "") -> str:
    """The catalog name for a manifest row: from its description where one matches, else
    from the file name (plank_01.mp4 -> plank; side_plank_02.mp4 -> side_plank)."""
    text = description.lower()
    for words, name in CATALOG:
        if words in text:
            return name
    return re.sub(r"_\d+$", "", Path(clip).stem)


def parse_manifest(text: str) -> list[ClipTruth]:
    """Rows of the Markdown table; only clearly stated counts and holds are parsed."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("|")]
    if len(lines) < 3:
        raise TruthError("no Markdown table found in the manifest")
    header = [c.strip().lower() for c in lines[0].strip("|").split("|")]
    try:
        col_file = header.index("file")
        col_ex = header.index("exercise")
        col_truth = next(i for i, h in enumerate(header) if h.startswith("ground truth"))
    except (ValueError, StopIteration):
        raise TruthError(
            f"manifest table needs columns file, exercise, ground truth; found {header}"
        ) from None
    col_conf = next((i for i, h in enumerate(header) if "confidence" in h), None)
    out = []
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) != len(header):
            continue
        out.append(
            _parse_row(
                cells[col_file],
                cells[col_ex],
                cells[col_truth],
                cells[col_conf] if col_conf is not None else "",
            )
        )
    return out


def _is_avoided(exercise: str) -> bool:
    from formcoach.exercises import Exercise

    cls = Exercise.registry.get(exercise)
    return cls is not None and cls.kind == "warning"


def _parse_row(clip: str, exercise_text: str, truth: str, confidence: str) -> ClipTruth:
    row = ClipTruth(
        clip, exercise_of(clip, exercise_text), confidence=confidence, description=exercise_text
    )
    reps = _REPS.findall(truth) or _ROLLS.findall(truth)
    if len(reps) == 1 and _is_avoided(row.exercise):
        row.reps = 0  # an avoid-list movement is warned, never counted
        row.notes.append(f"{reps[0]} movements of an avoid-list exercise: expected 0 counted")
    elif len(reps) == 1:
        row.reps = int(reps[0])
    elif "rep" in truth.lower() or "roll" in truth.lower():
        row.notes.append("reps not parsed: the manifest gives no single clear count")
    hold = _HOLD.search(truth)
    if hold:
        row.holds = [(float(hold.group(1)), float(hold.group(2)))]
    elif "hold" in truth.lower():
        row.notes.append("hold not parsed: no clear HOLD start-end in the manifest")
    if _NO_FAULTS.search(truth):
        row.faults = []
    else:
        row.notes.append("faults not established")
    return row
