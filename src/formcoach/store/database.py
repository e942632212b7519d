"""The history's SQLite file: opened user-only (0600) in WAL mode with its schema, a
damaged file moved aside (nothing deleted), and write transactions that wait out another
program's lock.

A write that finds the database locked retries with backoff for up to the wait it is
given, then raises `HistoryLocked`; `History` (history.py) then keeps what it was writing
in a side file (`formcoach.store.aside`).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

_BUSY, _LOCKED = 5, 6  # SQLite's primary result codes for a lock held elsewhere
T = TypeVar("T")
SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,              -- "live" or "routine"
    routine TEXT,
    started_at TEXT NOT NULL,        -- local time, ISO 8601
    ended_at TEXT,
    pain_before INTEGER,             -- 0-10, asked before a routine
    pain_after INTEGER
);
CREATE TABLE IF NOT EXISTS sets (
    id INTEGER PRIMARY KEY,
    session_id INTEGER REFERENCES sessions(id),
    exercise TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    duration_s REAL NOT NULL,
    reps_left INTEGER NOT NULL,
    reps_right INTEGER NOT NULL,
    reps_unsided INTEGER NOT NULL,
    reps_partial INTEGER NOT NULL,
    holds INTEGER NOT NULL,
    hold_total_s REAL NOT NULL,
    hold_best_s REAL NOT NULL,
    faults TEXT NOT NULL,            -- JSON: [{"rule": ..., "duration_s": ...}]
    counted INTEGER NOT NULL,        -- 1 when an analyzer judged it, 0 for a timed step
    complete INTEGER NOT NULL        -- 0 when stopped early
);
"""


class HistoryLocked(Exception):
    """The database stayed locked by another program for the whole wait."""


class Database:
    """The history's connection (`connection`: None when another program's lock kept the
    file closed for the whole wait; every write then goes to the side file at
    `aside_path`), and its write transactions."""

    def __init__(self, path: Path, lock_wait_s: float, aside_path: Path) -> None:
        self.path = path
        self.lock_wait_s = lock_wait_s
        self.aside_path = aside_path
        self.moved_aside: Path | None = None  # where a corrupt database was moved
        self._warned_busy = False
        self.connection = self._open_waiting()

    def _open_waiting(self) -> sqlite3.Connection | None:
        """Open the database, waiting out another program's lock; None if it stays locked
        (every write then goes to the side file)."""
        deadline = time.monotonic() + self.lock_wait_s
        while True:
            try:
                return self._open(self.path, self._busy_timeout_s())
            except sqlite3.DatabaseError as exc:
                if _is_lock(exc):
                    if time.monotonic() < deadline:
                        self._say_busy()
                        time.sleep(0.25)
                        continue
                    log.warning(
                        "the history %s stayed locked by another program; this run's sets "
                        "go to %s and are added at the next start",
                        self.path,
                        self.aside_path,
                    )
                    return None
                if self.moved_aside is not None:
                    raise
                self.moved_aside = _move_aside(self.path)
                log.warning(
                    "the history database %s is damaged (%s); it was moved to %s and a new "
                    "one started (nothing was deleted)",
                    self.path,
                    exc,
                    self.moved_aside,
                )

    @staticmethod
    def _open(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        path.chmod(0o600)
        # isolation_level=None: formcoach begins its own transactions (BEGIN IMMEDIATE)
        db = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            check = db.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(f"integrity check: {check}")
            db.executescript(SCHEMA)
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _busy_timeout_s(self) -> float:
        """SQLite's own wait per attempt; `write` retries around it with backoff."""
        return min(1.0, self.lock_wait_s / 4)

    def write(self, work: Callable[[sqlite3.Connection], T], wait_s: float | None = None) -> T:
        """Run `work` in one write transaction, retrying with backoff while another
        program holds the lock; raises HistoryLocked when the wait is over."""
        if self.connection is None:
            raise HistoryLocked(f"{self.path} is locked")
        db = self.connection
        deadline = time.monotonic() + (self.lock_wait_s if wait_s is None else wait_s)
        delay = 0.05
        while True:
            try:
                db.execute("BEGIN IMMEDIATE")
                result = work(db)
                db.execute("COMMIT")
                return result
            except sqlite3.OperationalError as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                if not _is_lock(exc):
                    raise
                if time.monotonic() + delay > deadline:
                    raise HistoryLocked(str(exc)) from exc
                self._say_busy()
                time.sleep(delay)
                delay = min(2 * delay, 1.0)
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    def _say_busy(self) -> None:
        if not self._warned_busy:
            self._warned_busy = True
            log.warning(
                "the history is locked by another program; waiting up to %.0f s",
                self.lock_wait_s,
            )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def _is_lock(exc: sqlite3.DatabaseError) -> bool:
    """Whether an error means another connection holds the lock (not damage)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_BUSY, _LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def _move_aside(path: Path) -> Path:
    """Rename a damaged database (and its WAL files) to a dated name beside it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        extra = Path(f"{path}{suffix}")
        if extra.exists():
            extra.replace(Path(f"{target}{suffix}"))
    return target
