"""The local history: every set and session in one SQLite file that never leaves the machine.

Where: `$FORMCOACH_DATA_DIR`, else `$XDG_DATA_HOME/formcoach`, else
`~/.local/share/formcoach`; the folder is user-only (0700) and the database file 0600
(SQLite gives its WAL files the database's permissions). WAL mode keeps the file readable
while a session writes to it.

A write that finds the database locked by another program retries with backoff for up to
`LOCK_WAIT_S`; if the lock is still held, the session and its sets go to a side file that
the next start merges (`formcoach.store.aside`), and the command says so.
"""

from __future__ import annotations

import csv
import functools
import json
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from formcoach.exercises.summary import Summary
from formcoach.store.aside import AsideFile, aside_files, end_session_row, insert_row, merge

log = logging.getLogger(__name__)

DB_NAME = "history.sqlite3"
LOCK_WAIT_S = 15.0  # how long a write waits for another program's lock, then goes aside
MERGE_WAIT_S = 2.0  # how long the start waits to merge side files before leaving them
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


def data_dir() -> Path:
    """The user's formcoach data folder (not created here)."""
    override = os.environ.get("FORMCOACH_DATA_DIR")
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "formcoach"


@dataclass(frozen=True, slots=True)
class SetRecord:
    """One set as saved: what was counted and what went wrong."""

    exercise: str
    started_at: str
    ended_at: str
    duration_s: float
    reps_left: int = 0
    reps_right: int = 0
    reps_unsided: int = 0
    reps_partial: int = 0
    holds: int = 0
    hold_total_s: float = 0.0
    hold_best_s: float = 0.0
    faults: str = "[]"
    counted: bool = True
    complete: bool = True

    @classmethod
    def from_summary(
        cls,
        exercise: str,
        summary: Summary,
        started_at: datetime,
        ended_at: datetime,
        complete: bool,
        counted: bool = True,
    ) -> SetRecord:
        durations = [h.duration_s for h in summary.holds]
        faults = [
            {"rule": f.rule, "duration_s": round(f.interval.duration_s, 2)} for f in summary.faults
        ]
        return cls(
            exercise=exercise,
            started_at=started_at.isoformat(timespec="seconds"),
            ended_at=ended_at.isoformat(timespec="seconds"),
            duration_s=round((ended_at - started_at).total_seconds(), 2),
            reps_left=summary.reps_left,
            reps_right=summary.reps_right,
            reps_unsided=summary.reps_unsided,
            reps_partial=summary.reps_partial,
            holds=len(durations),
            hold_total_s=round(sum(durations), 2),
            hold_best_s=round(max(durations, default=0.0), 2),
            faults=json.dumps(faults),
            counted=counted,
            complete=complete,
        )


class HistoryLocked(Exception):
    """The database stayed locked by another program for the whole wait."""


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
        self.moved_aside: Path | None = None  # where a corrupt database was moved
        self.aside = AsideFile(path)  # written only if a write finds the database locked
        self._warned_busy = False
        self._db = self._open_waiting()
        self.merged_sets = self._merge_aside_files()

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
                        self.aside.path,
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
        """SQLite's own wait per attempt; `_write` retries around it with backoff."""
        return min(1.0, self.lock_wait_s / 4)

    def _merge_aside_files(self) -> int:
        """Add the side files of earlier runs; returns the number of sets added."""
        added = 0
        for path in aside_files(self.path):
            try:
                n = self._write(functools.partial(merge, path=path), MERGE_WAIT_S)
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

    def _write(self, work: Callable[[sqlite3.Connection], T], wait_s: float | None = None) -> T:
        """Run `work` in one write transaction, retrying with backoff while another
        program holds the lock; raises HistoryLocked when the wait is over."""
        if self._db is None:
            raise HistoryLocked(f"{self.path} is locked")
        db = self._db
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

    @property
    def readable(self) -> bool:
        """False when another program's lock kept the database closed for the whole wait."""
        return self._db is not None

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
        if self._db is not None:
            self._db.close()

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
            return self._write(lambda db: insert_row(db, "sessions", row))
        except HistoryLocked:
            return self._aside(lambda: self.aside.start_session(row))

    def end_session(self, session_id: int, pain_after: int | None = None) -> None:
        ended_at = _now()
        if session_id < 0:  # the session itself is in the side file
            self.aside.end_session(session_id, ended_at, pain_after)
            return
        try:
            self._write(lambda db: end_session_row(db, session_id, ended_at, pain_after))
        except HistoryLocked:
            self._aside(lambda: self.aside.end_session(session_id, ended_at, pain_after))

    def add_set(self, record: SetRecord, session_id: int | None = None) -> int | None:
        """Save a set; returns its id, or None when it went to the side file."""
        row = {**asdict(record), "session_id": session_id}
        if session_id is None or session_id >= 0:
            try:
                set_id = self._write(lambda db: insert_row(db, "sets", row))
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
        if self._db is None:
            return []
        return [dict(r) for r in self._db.execute(query + " ORDER BY sets.id", args)]

    def sessions(self) -> list[dict[str, Any]]:
        if self._db is None:
            return []
        return [dict(r) for r in self._db.execute("SELECT * FROM sessions ORDER BY id")]

    def last_finished_session(self, kind: str = "routine") -> dict[str, Any] | None:
        if self._db is None:
            return None
        row = self._db.execute(
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


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def table_rows(sets: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sets as rows for a printed table."""
    rows = []
    for s in sets:
        faults = json.loads(s["faults"])
        reps = (
            f"L{s['reps_left']} R{s['reps_right']}"
            if s["reps_left"] or s["reps_right"]
            else str(s["reps_unsided"])
        )
        pain = "" if s["pain_before"] is None else f"{s['pain_before']}->{s['pain_after'] or '?'}"
        rows.append(
            {
                "date": s["started_at"].replace("T", " ")[:16],
                "exercise": s["exercise"],
                "reps": reps if s["counted"] else "-",
                "hold_s": f"{s['hold_total_s']:.0f}" if s["holds"] else "-",
                "best_hold_s": f"{s['hold_best_s']:.0f}" if s["holds"] else "-",
                "faults": ", ".join(sorted({f["rule"] for f in faults})) or "-",
                "pain": pain,
                "time_s": f"{s['duration_s']:.0f}",
            }
        )
    return rows
