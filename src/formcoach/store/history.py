"""The local history: every set and session in one SQLite file that never leaves the machine.

Where: `$FORMCOACH_DATA_DIR`, else `$XDG_DATA_HOME/formcoach`, else
`~/.local/share/formcoach`; the folder is user-only (0700) and the database file 0600
(SQLite gives its WAL files the database's permissions). WAL mode keeps the file readable
while a session writes to it.

A write that finds the database locked by another program retries with backoff for up to
`LOCK_WAIT_S`; if the lock is still held, the session and its sets go to a side file that
the next start merges (`formcoach.store.aside`), and the command says so. The file itself
(opening, a damaged one moved aside, waiting out a lock) is `database.py`; a set's row is
`sets.py`.
"""

from __future__ import annotations

import csv
import functools
import logging
import os
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from formcoach.store.aside import AsideFile, aside_files, end_session_row, insert_row, merge
from formcoach.store.database import Database, HistoryLocked
from formcoach.store.sets import SetRecord

log = logging.getLogger(__name__)

DB_NAME = "history.sqlite3"
LOCK_WAIT_S = 15.0  # how long a write waits for another program's lock, then goes aside
MERGE_WAIT_S = 2.0  # how long the start waits to merge side files before leaving them
T = TypeVar("T")


def data_dir() -> Path:
    """The user's formcoach data folder (not created here)."""
    override = os.environ.get("FORMCOACH_DATA_DIR")
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "formcoach"


class History:
    """The history database. A context manager; every write is committed at once, or kept
    in a side file when another program holds the lock for longer than `lock_wait_s`."""

    def __init__(self, path: Path | None = None, lock_wait_s: float | None = None) -> None:
        if path is None:
            folder = data_dir()
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = folder / DB_NAME
        self.path = path
        self.lock_wait_s = LOCK_WAIT_S if lock_wait_s is None else lock_wait_s
        self.aside = AsideFile(path)  # written only if a write finds the database locked
        self.database = Database(path, self.lock_wait_s, self.aside.path)
        self.merged_sets = self._merge_aside_files()

    def _merge_aside_files(self) -> int:
        """Add the side files of earlier runs; returns the number of sets added."""
        added = 0
        for path in aside_files(self.path):
            try:
                n = self.database.write(functools.partial(merge, path=path), MERGE_WAIT_S)
            except HistoryLocked:
                log.info("the history is locked; %s is merged at a later start", path.name)
                break
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.warning("could not add %s to the history (%s); it is kept", path, exc)
                continue
            path.unlink(missing_ok=True)
            added += n
            log.warning(
                "added %d set(s) to your history that were saved aside while it was locked (%s)",
                n,
                path.name,
            )
        return added

    @property
    def readable(self) -> bool:
        """False when another program's lock kept the database closed for the whole wait."""
        return self.database.connection is not None

    @property
    def moved_aside(self) -> Path | None:
        """Where a damaged database was moved (None: it was not damaged)."""
        return self.database.moved_aside

    @property
    def saved_aside(self) -> Path | None:
        """The side file this run wrote because the database was locked, if any."""
        return self.aside.path if self.aside.used else None

    def saved_message(self, what: str = "set") -> str:
        """Where the run's data went, for the user."""
        if self.saved_aside is not None:
            return (
                f"the history was locked by another program: the {what} was saved to "
                f"{self.saved_aside} and is added to your history at the next start"
            )
        return f"{what} saved to your history ({self.path})"

    def close(self) -> None:
        self.database.close()

    def __enter__(self) -> History:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- writing ----------------------------------------------------------------------
    def start_session(
        self, kind: str, routine: str | None = None, pain_before: int | None = None
    ) -> int:
        """A new session's id; negative when it went to the side file."""
        row = {"kind": kind, "routine": routine, "started_at": _now(), "pain_before": pain_before}
        try:
            return self.database.write(lambda db: insert_row(db, "sessions", row))
        except HistoryLocked:
            return self._aside(lambda: self.aside.start_session(row))

    def end_session(self, session_id: int, pain_after: int | None = None) -> None:
        ended_at = _now()
        if session_id < 0:  # the session itself is in the side file
            self.aside.end_session(session_id, ended_at, pain_after)
            return
        try:
            self.database.write(lambda db: end_session_row(db, session_id, ended_at, pain_after))
        except HistoryLocked:
            self._aside(lambda: self.aside.end_session(session_id, ended_at, pain_after))

    def add_set(self, record: SetRecord, session_id: int | None = None) -> int | None:
        """Save a set; returns its id, or None when it went to the side file."""
        row = {**asdict(record), "session_id": session_id}
        if session_id is None or session_id >= 0:
            try:
                set_id = self.database.write(lambda db: insert_row(db, "sets", row))
            except HistoryLocked:
                pass
            else:
                log.info("saved a %s set to %s", record.exercise, self.path)
                return set_id
        self._aside(lambda: self.aside.add_set(row))
        return None

    def _aside(self, keep: Callable[[], T]) -> T:
        result = keep()
        log.warning(
            "the history stayed locked by another program: saved to %s, added to your "
            "history at the next start",
            self.aside.path,
        )
        return result

    # --- reading ----------------------------------------------------------------------
    def sets(self, exercise: str | None = None) -> list[dict[str, Any]]:
        """Every set, oldest first, with its session's pain scores."""
        query = (
            "SELECT sets.*, sessions.pain_before, sessions.pain_after, sessions.routine "
            "FROM sets LEFT JOIN sessions ON sets.session_id = sessions.id"
        )
        args: tuple[str, ...] = ()
        if exercise is not None:
            query += " WHERE sets.exercise = ?"
            args = (exercise,)
        db = self.database.connection
        if db is None:
            return []
        return [dict(r) for r in db.execute(query + " ORDER BY sets.id", args)]

    def sessions(self) -> list[dict[str, Any]]:
        db = self.database.connection
        if db is None:
            return []
        return [dict(r) for r in db.execute("SELECT * FROM sessions ORDER BY id")]

    def last_finished_session(self, kind: str = "routine") -> dict[str, Any] | None:
        db = self.database.connection
        if db is None:
            return None
        row = db.execute(
            "SELECT * FROM sessions WHERE kind = ? AND ended_at IS NOT NULL "
            "ORDER BY id DESC LIMIT 1",
            (kind,),
        ).fetchone()
        return dict(row) if row else None

    def export_csv(self, path: Path, exercise: str | None = None) -> int:
        rows = self.sets(exercise)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as f:
            columns = list(rows[0]) if rows else ["exercise"]
            writer = csv.DictWriter(f, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        return len(rows)


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")
