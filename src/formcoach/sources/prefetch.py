"""Run an iterator on a thread a few items ahead of its consumer.

Offline, the next frame is decoded while the model works on the current one (OpenCV's
decoder and MediaPipe both release the GIL). Unlike the live grabber, nothing is ever
dropped: the queue is bounded, so the producer waits for the consumer. An error in the
producer is raised in the consumer; `close` stops the producer and waits for it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

_ITEM, _END, _ERROR = "item", "end", "error"


class Prefetcher(Generic[T]):
    def __init__(self, items: Iterator[T], depth: int = 4, name: str = "prefetch") -> None:
        self._queue: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(items,), name=name, daemon=True)
        self._thread.start()

    def _put(self, message: tuple[str, object]) -> bool:
        """Put unless stopped; False when the consumer has gone."""
        while not self._stop.is_set():
            try:
                self._queue.put(message, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self, items: Iterator[T]) -> None:
        try:
            for item in items:
                if not self._put((_ITEM, item)):
                    return
            self._put((_END, None))
        except BaseException as exc:  # handed to the consumer, raised there
            self._put((_ERROR, exc))

    def __iter__(self) -> Iterator[T]:
        while True:
            kind, value = self._queue.get()
            if kind == _ITEM:
                yield value  # type: ignore[misc]
            elif kind == _END:
                return
            else:
                assert isinstance(value, BaseException)
                raise value

    def close(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout_s)
