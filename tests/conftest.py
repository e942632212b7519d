from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_CLIPS = Path(os.environ.get("FORMCOACH_SHARED_CLIPS", ROOT.parent / "shared" / "clips"))
TRACKS = ROOT / "tests" / "data" / "tracks"


def shared_clip(name: str) -> Path:
    """A real clip from ../shared/clips, or skip the test with the reason."""
    path = SHARED_CLIPS / name
    if not path.is_file():
        pytest.skip(f"real clip {path} is not available (../shared/clips is absent)")
    return path
