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


@pytest.fixture(scope="session")
def x_display():
    """One virtual X display for every window test of the session (":N"; skips without
    Xvfb). One, not one per test: OpenCV's window backend keeps its connection to the
    first X server it used, and exits the process when that server goes away."""
    from tests.xscreen import virtual_display

    with virtual_display() as display:
        saved = os.environ.get("DISPLAY")
        os.environ["DISPLAY"] = display
        try:
            yield display
        finally:
            if saved is None:
                os.environ.pop("DISPLAY", None)
            else:
                os.environ["DISPLAY"] = saved


@pytest.fixture(scope="session", autouse=True)
def demo_cache(tmp_path_factory):
    """Rendered demonstrations go to a folder of the test session, never the user's cache
    (the environment variable reaches the commands the tests start, too)."""
    folder = tmp_path_factory.mktemp("cache")
    saved = os.environ.get("FORMCOACH_CACHE_DIR")
    os.environ["FORMCOACH_CACHE_DIR"] = str(folder)
    yield folder
    if saved is None:
        os.environ.pop("FORMCOACH_CACHE_DIR", None)
    else:
        os.environ["FORMCOACH_CACHE_DIR"] = saved
