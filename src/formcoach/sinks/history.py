"""Each finished set, saved to the history."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from formcoach.exercises.summary import Summary
from formcoach.store.history import History
from formcoach.store.sets import SetRecord
from formcoach.types import Event, FrameResult, RunStats


class HistorySink:
    """Saves the set to the local history when the run ends, however it ends (a finished
    video, q, a closed window, Ctrl-C). Nothing is saved if counting never started (a live
    session that never left its setup check)."""

    def __init__(
        self,
        history: History,
        exercise: str,
        session_id: int | None = None,
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.history, self.exercise, self.session_id = history, exercise, session_id
        self.now = now
        self.started_at: datetime | None = None
        self.counted = False
        self.saved_id: int | None = None

    def write(self, result: FrameResult) -> None:
        if self.started_at is None:
            self.started_at = self.now()
        if result.session is None or result.session.phase == "active":
            self.counted = True

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        if self.started_at is None or not self.counted:
            return
        record = SetRecord.from_summary(
            self.exercise, summary, self.started_at, self.now(), stats.complete
        )
        self.saved_id = self.history.add_set(record, self.session_id)
