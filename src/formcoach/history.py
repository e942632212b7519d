"""The local history: every set and session in one SQLite file that never leaves the machine.

Where: `$FORMCOACH_DATA_DIR`, else `$XDG_DATA_HOME/formcoach`, else
`~/.local/share/formcoach`; the folder is user-only (0700) and the database file 0600
(SQLite gives its WAL files the database's permissions). WAL mode keeps the file readable
while a session writes to it.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from formcoach.exercises.base import Summary

log = logging.getLogger(__name__)

DB_NAME = "history.sqlite3"
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


class History:
    """The history database. A context manager; every write is committed at once."""

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            folder = data_dir()
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = folder / DB_NAME
        self.path = path
        self.moved_aside: Path | None = None  # where a corrupt database was moved
        try:
            self._db = self._open(path)
        except sqlite3.DatabaseError as exc:
            self.moved_aside = _move_aside(path)
            log.warning(
                "the history database %s is damaged (%s); it was moved to %s and a new one "
                "started (nothing was deleted)",
                path,
                exc,
                self.moved_aside,
            )
            self._db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        path.chmod(0o600)
        db = sqlite3.connect(path)
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

    def close(self) -> None:
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
        with self._db:
            cur = self._db.execute(
                "INSERT INTO sessions (kind, routine, started_at, pain_before) VALUES (?,?,?,?)",
                (kind, routine, _now(), pain_before),
            )
        return int(cur.lastrowid or 0)

    def end_session(self, session_id: int, pain_after: int | None = None) -> None:
        with self._db:
            self._db.execute(
                "UPDATE sessions SET ended_at = ?, pain_after = ? WHERE id = ?",
                (_now(), pain_after, session_id),
            )

    def add_set(self, record: SetRecord, session_id: int | None = None) -> int:
        row = asdict(record)
        row["session_id"] = session_id
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self._db:
            cur = self._db.execute(
                f"INSERT INTO sets ({columns}) VALUES ({marks})", tuple(row.values())
            )
        log.info("saved a %s set to %s", record.exercise, self.path)
        return int(cur.lastrowid or 0)

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
        return [dict(r) for r in self._db.execute(query + " ORDER BY sets.id", args)]

    def sessions(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self._db.execute("SELECT * FROM sessions ORDER BY id")]

    def last_finished_session(self, kind: str = "routine") -> dict[str, Any] | None:
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
