"""Live equals offline: a clip paced at its real frame rate through the whole live path
(`formcoach live`, the window on a virtual display when there is one) counts the same reps
and times the same holds (+/- 0.5 s) as `formcoach analyze` on the same file.

The offline side replays the clip's cached track through the same assembly `analyze`
uses (tests/replay.py): the same poses MediaPipe gives on the file, which the slow tier
checks (tests/accuracy/test_real_clips.py), without running the model a second time.

Live always analyses the newest frame, so a busy machine drops frames; the counts must not
depend on it (tests/accuracy/test_frame_rate.py checks the same on every cached track).

(Named to run after test_live_window.py: OpenCV's Qt backend sometimes leaves a window it
creates again, after one was closed in the same process, unpainted on a virtual display,
and that test reads the screen.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from formcoach.cli import main
from tests.conftest import shared_clip
from tests.replay import replay
from tests.xscreen import has_virtual_display

HOLD_TOLERANCE_S = 0.5


@pytest.fixture
def window(request) -> bool:
    """The live window on the session's virtual display, or headless without Xvfb."""
    if not has_virtual_display():
        return False
    request.getfixturevalue("x_display")
    return True


def _live(clip: Path, exercise: str, out: Path, window: bool) -> dict:
    argv = ["live", "-s", str(clip), "-e", exercise, "-o", str(out), "-q"]
    argv += ["--skip-setup", "--no-voice", "--no-history"]
    assert main(argv if window else [*argv, "--no-window"]) == 0
    return json.loads((out / "report.json").read_text())


def _offline(name: str, exercise: str) -> dict:
    return replay(exercise, name).report


@pytest.mark.parametrize(("name", "exercise"), [("lunge_02", "lunge"), ("plank_02", "plank")])
def test_live_counts_what_analyze_counts(name, exercise, window, tmp_path):
    clip = shared_clip(f"{name}.mp4")
    live = _live(clip, exercise, tmp_path / "live", window)
    offline = _offline(name, exercise)
    dropped = offline["video"]["frames"] - live["video"]["frames"]
    where = f"{name}: live analysed {live['video']['frames']} frames, dropped {dropped}"
    assert live["reps"] == offline["reps"], where
    assert len(live["holds"]) == len(offline["holds"]), where
    for got, want in zip(live["holds"], offline["holds"], strict=True):
        assert got["duration_s"] == pytest.approx(want["duration_s"], abs=HOLD_TOLERANCE_S), where
    assert {f["rule"] for f in live["faults"]} == {f["rule"] for f in offline["faults"]}, where
