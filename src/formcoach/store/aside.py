"""Sets and sessions kept aside while the history database is locked, and their merge.

When another program holds the history's write lock for longer than formcoach waits, the
session and its sets go to a side file beside the database
(`history.sqlite3.aside-<time>-<pid>.json`, user-only like the database). The next start
merges every side file into the database in one transaction, then removes it. Each merged
file's name is recorded in the same transaction, so a crash between the commit and the
removal never adds the same sets twice.

A session that could not be started in the database gets a negative id here; sets and the
session's end refer to it and are mapped to the database id when merged.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from formcoach.files import write_json_atomic

FORMAT = 1
MERGED_TABLE = (
    "CREATE TABLE IF NOT EXISTS merged_aside (name TEXT PRIMARY KEY, merged_at TEXT NOT NULL)"
)


def aside_files(db_path: Path) -> list[Path]:
    """The side files waiting to be merged into `db_path`, oldest first."""
    return sorted(db_path.parent.glob(f"{db_path.name}.aside-*.json"))


class AsideFile:
    """What this process could not write to the database; written out after every change."""

    def __init__(self, db_path: Path) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self.path = db_path.with_name(f"{db_path.name}.aside-{stamp}-{os.getpid()}.json")
        self.used = False
        self._data: dict[str, Any] = {"format": FORMAT, "sessions": [], "ends": [], "sets": []}

    def start_session(self, row: dict[str, Any]) -> int:
        """Keep a new session; returns its (negative) id for the sets that follow."""
        session_id = -(len(self._data["sessions"]) + 1)
        self._data["sessions"].append({**row, "id": session_id})
        self._save()
        return session_id

    def end_session(self, session_id: int, ended_at: str, pain_after: int | None) -> None:
        self._data["ends"].append(
            {"id": session_id, "ended_at": ended_at, "pain_after": pain_after}
        )
        self._save()

    def add_set(self, row: dict[str, Any]) -> None:
        self._data["sets"].append(row)
        self._save()

    def _save(self) -> None:
        self.used = True
        write_json_atomic(self.path, self._data)


def merge(db: sqlite3.Connection, path: Path) -> int:
    """Add one side file to the database in one transaction (the caller's, begun with
    BEGIN IMMEDIATE); returns the number of sets added (0 if it was merged before).
    Raises ValueError for a file that is not a side file of this format."""
    db.execute(MERGED_TABLE)
    if db.execute("SELECT 1 FROM merged_aside WHERE name = ?", (path.name,)).fetchone():
        return 0
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{path.name} is not a formcoach side file of format {FORMAT}")
    ids: dict[int, int] = {}
    for session in data["sessions"]:
        row = {k: v for k, v in session.items() if k != "id"}
        ids[session["id"]] = insert_row(db, "sessions", row)
    for end in data["ends"]:
        end_session_row(db, ids.get(end["id"], end["id"]), end["ended_at"], end["pain_after"])
    for row in data["sets"]:
        session_id = row.get("session_id")
        row = {**row, "session_id": ids.get(session_id, session_id)}
        insert_row(db, "sets", row)
    db.execute(
        "INSERT INTO merged_aside (name, merged_at) VALUES (?, ?)",
        (path.name, datetime.now().isoformat(timespec="seconds")),
    )
    return len(data["sets"])


def end_session_row(
    db: sqlite3.Connection, session_id: int, ended_at: str, pain_after: int | None
) -> None:
    """Mark a session ended, with the pain score given after it."""
    db.execute(
        "UPDATE sessions SET ended_at = ?, pain_after = ? WHERE id = ?",
        (ended_at, pain_after, session_id),
    )


def insert_row(db: sqlite3.Connection, table: str, row: dict[str, Any]) -> int:
    """Insert one row of named columns, each one a column of `table`; returns its id."""
    known = {r[1] for r in db.execute(f"PRAGMA table_info({table})")}
    unknown = set(row) - known
    if unknown:
        raise ValueError(f"unknown {table} columns {sorted(unknown)}")
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cur = db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))
    return int(cur.lastrowid or 0)
