"""events.jsonl: every event as it happens, one JSON line each."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path

from formcoach.exercises.summary import Summary
from formcoach.types import Event, FrameResult, RunStats


class EventsSink:
    """Events as JSON lines, flushed as they happen so a crash keeps them."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._f = path.open("w", encoding="utf-8")
        self._written = 0

    def write(self, result: FrameResult) -> None:
        for event in result.verdict.events:
            self._f.write(json.dumps(event.to_json()) + "\n")
            self._written += 1
        if result.verdict.events:
            self._f.flush()

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        # `events` is every event of the run in order; the first ones are already written.
        if self._f.closed:  # closed once already (a retry after a full disk)
            return
        try:
            for event in events[self._written :]:
                self._f.write(json.dumps(event.to_json()) + "\n")
                self._written += 1
        finally:
            with contextlib.suppress(OSError):
                self._f.close()
