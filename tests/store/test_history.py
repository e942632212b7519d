"""The local history: where it lives, who can read it, what a set stores, plot and CSV."""

from __future__ import annotations

import csv
import json
import sqlite3
import stat
from datetime import datetime, timedelta

import numpy as np
import pytest

from formcoach.assembly import LiveOptions, Services
from formcoach.cli import main
from formcoach.sinks.history import HistorySink
from formcoach.store.history import History, data_dir
from formcoach.store.plot import plot_progress
from formcoach.types import Frame
from tests.posefactory import make_pose, plank_points
from tests.replay import replay_poses

BLANK = np.zeros((2, 2, 3), np.uint8)


def test_data_dir_respects_override_then_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("FORMCOACH_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "formcoach"
    monkeypatch.setenv("FORMCOACH_DATA_DIR", str(tmp_path / "mine"))
    assert data_dir() == tmp_path / "mine"


def test_database_is_user_only_and_in_wal_mode(monkeypatch, tmp_path):
    monkeypatch.setenv("FORMCOACH_DATA_DIR", str(tmp_path / "d"))
    with History() as h:
        h.start_session("live")
        assert stat.S_IMODE(h.path.stat().st_mode) == 0o600
        assert stat.S_IMODE(h.path.parent.stat().st_mode) == 0o700
        db = sqlite3.connect(h.path)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.close()


def _plank_set(history, session_id, seconds, sag_s=0.0, day=0):
    """A live plank set (no setup check, no window) saved by the assembly's history sink."""
    poses = [make_pose(plank_points())] * int(seconds * 10)
    poses += [make_pose(plank_points(bend_deg=-16))] * int(sag_s * 10)
    clock = iter(datetime(2025, 3, 1, 9, 0) + timedelta(days=day, seconds=s) for s in (0, 60))
    services = Services(history=history, session_id=session_id, now=lambda: next(clock))
    frames = (Frame(BLANK, i / 10, i) for i in range(len(poses)))
    replayed = replay_poses(
        "plank",
        poses,
        frames,
        services=services,
        mode="live",
        live=LiveOptions(setup_check=False, window=False),
    )
    (sink,) = (s for s in replayed.assembly.sinks if isinstance(s, HistorySink))
    return sink.saved_id


def test_a_set_is_stored_with_holds_faults_and_pain(tmp_path):
    with History(tmp_path / "h.sqlite3") as h:
        sid = h.start_session("routine", "back care", pain_before=3)
        _plank_set(h, sid, seconds=12, sag_s=3)
        h.end_session(sid, pain_after=2)
        (row,) = h.sets()
    assert row["exercise"] == "plank" and row["holds"] == 1
    assert row["hold_best_s"] == pytest.approx(12.0, abs=0.2)
    assert [f["rule"] for f in json.loads(row["faults"])] == ["hips_sagging"]
    assert (row["pain_before"], row["pain_after"]) == (3, 2)
    assert row["started_at"] == "2025-03-01T09:00:00" and row["duration_s"] == 60.0


def test_history_command_table_csv_and_plot(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("FORMCOACH_DATA_DIR", str(tmp_path / "d"))
    with History() as h:
        for day, seconds in enumerate((10, 15, 22)):
            _plank_set(h, None, seconds, day=day)
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert out.count("plank") == 3 and "2025-03-03 09:00" in out and "22" in out
    assert main(["history", "--csv", str(tmp_path / "h.csv"), "--plot", str(tmp_path / "p")]) == 0
    with (tmp_path / "h.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [float(r["hold_best_s"]) for r in rows] == pytest.approx([10, 15, 22], abs=0.2)
    plot = tmp_path / "p" / "progress_plank.png"
    assert plot.stat().st_size > 5000 and plot.read_bytes()[:4] == b"\x89PNG"


def test_plot_skips_uncounted_steps(tmp_path):
    sets = [
        {"exercise": "cat_cow", "started_at": "2025-03-01T09:00:00", "counted": 0,
         "reps_left": 0, "reps_right": 0, "reps_unsided": 0, "hold_best_s": 0.0, "faults": "[]"}
    ]  # fmt: skip
    assert plot_progress(sets, tmp_path) == []


def _set_row(exercise, when, left=0, right=0, unsided=0, hold=0.0, faults="[]"):
    reps = {"reps_left": left, "reps_right": right, "reps_unsided": unsided}
    return {"exercise": exercise, "started_at": when, "counted": 1, **reps,
            "hold_best_s": hold, "faults": faults}  # fmt: skip


def test_a_day_is_its_best_set_per_side_never_a_sum():
    from formcoach.store.plot import daily

    sets = [
        _set_row("lunge", "2025-03-01T09:00:00", left=8, right=10),
        _set_row("lunge", "2025-03-01T09:10:00", left=9, right=7, faults='["too_shallow"]'),
    ]
    (day,) = daily(sets)["lunge"].values()
    # 9 left and 10 right at best: summing (34) or adding sides would pass a 10-per-side
    # target nobody reached in a set.
    assert (day["reps_left"], day["reps_right"], day["reps"]) == (9, 10, 18)
    assert day["faults"] / day["sets"] == 0.5


def test_progress_plots_read_with_one_day_of_data(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = {}
    real_savefig = plt.Figure.savefig

    def keep(fig, path, **kwargs):  # look at the figure as it is saved
        axes = fig.get_axes()
        shown[path.name] = {
            "ticks": [t.get_text() for t in axes[-1].get_xticklabels()],
            "ylims": [a.get_ylim() for a in axes],
            "dashed": [[ln.get_linestyle() for ln in a.get_lines()] for a in axes],
        }
        real_savefig(fig, path, **kwargs)

    sets = [_set_row("plank", "2025-03-01T09:00:00", hold=5.6)]
    sets.append(_set_row("lunge", "2025-03-01T09:00:00", left=8, right=10))
    import unittest.mock

    with unittest.mock.patch.object(plt.Figure, "savefig", keep):
        written = plot_progress(sets, tmp_path)
    assert sorted(p.name for p in written) == ["progress_lunge.png", "progress_plank.png"]
    plank = shown["progress_plank.png"]
    plt.close("all")
    assert plank["ticks"] == ["28 Feb", "01 Mar", "02 Mar"]  # days, not hours
    assert plank["ylims"][0][0] == 0 and plank["ylims"][0][1] >= 30  # from 0, the target shown
    assert "--" in plank["dashed"][0]  # the 30 s target as a dashed line
    assert len(shown["progress_lunge.png"]["dashed"][0]) == 3  # left, right, target
