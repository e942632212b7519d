"""Rewrite sample_videos/*.golden.json from the cached tracks (after a deliberate change).

Usage: PYTHONPATH=src:. python scripts/update_goldens.py
Record missing tracks first: python scripts/record_tracks.py sample_videos/X.mp4 \
    --out tests/data/sample_tracks
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from tests.goldens import SAMPLES, clips, golden_for


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        for name in clips():
            golden = golden_for(name, Path(tmp))
            (SAMPLES / f"{name}.golden.json").write_text(json.dumps(golden, indent=1) + "\n")
            print(name, golden["vs_truth"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
