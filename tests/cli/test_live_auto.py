"""`formcoach live --exercise auto` on a file standing in for the camera, the whole path
(the model paced at the clip's frame rate, no window): the exercise is named and its set
is analysed as `formcoach analyze --exercise plank` analyses the same file."""

from __future__ import annotations

import json

import pytest

from formcoach.cli import main
from tests.conftest import shared_clip
from tests.replay import replay

# As tests/sinks/test_realtime_live_equals_offline.py: live analyses the newest frame, so a
# busy machine drops a few; a hold within 0.5 s is the same hold.
HOLD_TOLERANCE_S = 0.5


def test_live_auto_names_the_plank_and_times_its_hold(tmp_path, capsys):
    clip = shared_clip("plank_02.mp4")
    out = tmp_path / "live"
    argv = ["live", "-s", str(clip), "-e", "auto", "-o", str(out)]
    assert main([*argv, "--no-window", "--no-voice", "--no-history"]) == 0
    reports = sorted(out.glob("parts/*/report.json"))
    assert [p.parent.name for p in reports] == ["01_plank"]
    live = json.loads(reports[0].read_text())
    offline = replay("plank", "plank_02").report
    assert len(live["holds"]) == len(offline["holds"]) == 1
    got, want = live["holds"][0]["duration_s"], offline["holds"][0]["duration_s"]
    assert got == pytest.approx(want, abs=HOLD_TOLERANCE_S)
    assert "Forearm plank" in capsys.readouterr().out


def test_live_auto_refuses_a_broken_config_before_opening_the_camera(tmp_path, capsys):
    config = tmp_path / "bad.toml"
    config.write_text("[plank]\nno_such_key = 1\n")
    argv = ["live", "-s", "0", "-e", "auto", "--config", str(config), "--no-window"]
    assert main(argv) == 2
    assert "no_such_key" in capsys.readouterr().err
