"""One camera's frames shared by the consecutive sets of a session (a routine's steps and
rests, the parts of `live --exercise auto`): each set takes its own iterator, and
closing it (a set that stops early) does not close the camera's."""

from __future__ import annotations

from collections.abc import Iterator

from formcoach.types import Frame


class SharedFrames:
    def __init__(self, frames: Iterator[Frame]) -> None:
        self._frames = frames
        self.exhausted = False  # the frames ended (a file read to its end, a camera gone)
        self.last: Frame | None = None  # the newest frame taken

    def for_a_set(self) -> Iterator[Frame]:
        # Not `yield from`: closing this generator must not close the shared one.
        for frame in self._frames:
            self.last = frame
            yield frame
        self.exhausted = True
