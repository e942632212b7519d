"""A history locked by another program: writes wait with backoff, then go to a side file
that the next start merges once; nothing is lost and the user is told."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from formcoach.cli import main
from formcoach.store import history as history_module
from formcoach.store.aside import aside_files
from formcoach.store.history import History
from formcoach.store.sets import SetRecord
from tests.badvideos import sample_frames, write_mp4

RECORD = SetRecord("plank", "2025-01-01T09:00:00", "2025-01-01T09:01:00", 60.0, holds=1)

HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()  # holds the write lock until the test closes stdin
db.execute("ROLLBACK")
"""


@pytest.fixture
def db_path(tmp_path) -> Path:
    path = tmp_path / "history.sqlite3"
    History(path).close()  # an existing history, as a second run finds it
    return path


def hold_lock(path: Path) -> sqlite3.Connection:
    """Another connection that holds the database's write lock until it is closed."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_lock_released_during_the_wait_is_waited_out(db_path):
    other = hold_lock(db_path)
    threading.Timer(0.6, other.rollback).start()
    with History(db_path, lock_wait_s=10.0) as h:
        started = time.monotonic()
        set_id = h.add_set(RECORD)
        waited = time.monotonic() - started
        assert set_id is not None and h.saved_aside is None
        assert [s["exercise"] for s in h.sets()] == ["plank"]
    assert 0.5 < waited < 5.0
    assert aside_files(db_path) == []
    other.close()


def test_a_lock_held_past_the_wait_keeps_the_set_aside_until_the_next_start(db_path, caplog):
    other = hold_lock(db_path)
    with History(db_path, lock_wait_s=0.3) as h:
        assert h.add_set(RECORD) is None
        aside = h.saved_aside
        assert h.sets() == []  # the database could not take it
    assert aside is not None and aside_files(db_path) == [aside]
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert "saved to" in caplog.text and str(aside) in caplog.text
    assert "the set was saved to" in h.saved_message("set")
    other.close()

    with History(db_path) as h:
        assert h.merged_sets == 1
        [saved] = h.sets()
    assert (saved["exercise"], saved["holds"], saved["duration_s"]) == ("plank", 1, 60.0)
    assert aside_files(db_path) == []
    assert "added 1 set(s) to your history" in caplog.text
    with History(db_path) as h:  # merged once, never twice
        assert h.merged_sets == 0 and len(h.sets()) == 1


def test_a_session_started_while_locked_keeps_its_sets_and_its_end(db_path):
    other = hold_lock(db_path)
    with History(db_path, lock_wait_s=0.2) as h:
        session_id = h.start_session("routine", "back care", pain_before=4)
        assert session_id < 0
        h.add_set(RECORD, session_id)
        h.add_set(RECORD, session_id)
        h.end_session(session_id, pain_after=2)
    other.close()
    with History(db_path) as h:
        sets = h.sets()
        [session] = h.sessions()
    assert [s["session_id"] for s in sets] == [session["id"]] * 2
    assert (session["routine"], session["pain_before"], session["pain_after"]) == (
        "back care",
        4,
        2,
    )
    assert session["ended_at"] is not None
    assert all(s["pain_before"] == 4 for s in sets)


def test_a_session_locked_at_its_end_keeps_its_end(db_path):
    with History(db_path, lock_wait_s=0.2) as h:
        session_id = h.start_session("routine", "back care", pain_before=4)
        assert session_id > 0
        other = hold_lock(db_path)
        h.add_set(RECORD, session_id)
        h.end_session(session_id, pain_after=3)
        other.close()
    with History(db_path) as h:
        [saved] = h.sets()
        [session] = h.sessions()
    assert saved["session_id"] == session["id"] == session_id
    assert session["pain_after"] == 3


def test_a_crash_between_merge_and_removal_adds_nothing_twice(db_path, tmp_path):
    other = hold_lock(db_path)
    with History(db_path, lock_wait_s=0.2) as h:
        h.add_set(RECORD)
        aside = h.saved_aside
    other.close()
    assert aside is not None
    copy = tmp_path / "copy.json"
    shutil.copy(aside, copy)
    History(db_path).close()
    shutil.copy(copy, aside)  # as if the process died after the commit, before the unlink
    with History(db_path) as h:
        assert h.merged_sets == 0 and len(h.sets()) == 1
    assert aside_files(db_path) == []


def test_a_damaged_side_file_is_kept_and_named(db_path, caplog):
    bad = db_path.with_name(f"{db_path.name}.aside-20250101-090000-1.json")
    bad.write_text('{"format": 1, "sessions": [], "ends": [], "sets": [{"nope": 1}]}')
    with History(db_path) as h:
        assert h.merged_sets == 0 and h.sets() == []
        h.add_set(RECORD)  # the database itself is fine
    assert bad.exists()
    assert f"could not add {bad}" in caplog.text and "nope" in caplog.text


def test_a_database_nobody_else_can_read_is_not_taken_for_damage(db_path):
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    with History(db_path, lock_wait_s=0.3) as h:
        assert h.moved_aside is None
        assert h.add_set(RECORD) is None and h.saved_aside is not None
        assert h.sets() == []
    other.close()
    assert sorted(p.name for p in db_path.parent.glob("*damaged*")) == []
    with History(db_path) as h:
        assert len(h.sets()) == 1


def test_live_with_a_locked_history_exits_0_and_says_where_the_set_is(
    tmp_path, monkeypatch, capsys
):
    data = tmp_path / "data"
    monkeypatch.setenv("FORMCOACH_DATA_DIR", str(data))
    data.mkdir(mode=0o700)
    History().close()
    monkeypatch.setattr(history_module, "LOCK_WAIT_S", 0.5)
    clip = write_mp4(tmp_path / "small.mp4", sample_frames("plank_good_side", 6))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data / "history.sqlite3")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        argv = ["live", "-s", str(clip), "-e", "plank", "--no-window", "--no-voice"]
        assert main([*argv, "--skip-setup"]) == 0
    finally:
        holder.communicate(timeout=10)  # closes stdin: the lock is released
    out = capsys.readouterr().out
    [aside] = aside_files(data / "history.sqlite3")
    assert f"the set was saved to {aside}" in out
    assert "added to your history at the next start" in out
    [kept] = json.loads(aside.read_text())["sets"]
    assert kept["exercise"] == "plank"
    with History() as h:
        assert [s["exercise"] for s in h.sets()] == ["plank"]


def test_history_command_on_a_database_it_cannot_read_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FORMCOACH_DATA_DIR", str(tmp_path))
    path = tmp_path / "history.sqlite3"
    with History(path) as h:
        h.add_set(RECORD)
    monkeypatch.setattr(history_module, "LOCK_WAIT_S", 0.3)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        assert main(["history"]) == 1
    finally:
        other.close()
    err = capsys.readouterr().err
    assert f"the history {path} is locked by another program" in err
    assert main(["history"]) == 0  # once released, the set is there
    assert "plank" in capsys.readouterr().out
