"""annotated.mp4: each frame with the skeleton and the verdict drawn on it."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

from formcoach.exercises.summary import Summary
from formcoach.render.overlay import render
from formcoach.sinks.video_writer import FrameWriter, open_writer
from formcoach.types import Event, FrameResult, RunStats


class VideoSink:
    """The annotated video: H.264 where this machine can encode it (see `videowriter`),
    else MPEG-4 Part 2. The writer opens on the first frame, at that frame's size, so a
    rotated phone video is written upright at its decoded size."""

    def __init__(
        self, path: Path, fps: float, size_px: tuple[int, int], title: str, kind: str
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._tmp = path.with_name(f".{path.stem}.partial{path.suffix}")
        self.title, self.kind = title, kind
        self.fps = fps
        self.codec = ""
        self._writer: FrameWriter | None = None
        self._failed = False  # a write failed (disk full): the partial file is dropped

    def write(self, result: FrameResult) -> None:
        image = render(result, self.title, self.kind)
        try:
            if self._writer is None:
                self._writer = open_writer(self._tmp, self.fps, (image.shape[1], image.shape[0]))
                self.codec = self._writer.codec
            self._writer.write(image)
        except OSError as exc:
            self.drop_partial()  # its space lets report.json be written at the end
            if exc.filename:
                raise
            raise OSError(exc.errno, exc.strerror, str(self.path)) from exc  # names the file

    def drop_partial(self) -> bool:
        """Give up the video and delete what was written of it (the disk is full and
        the report comes first); True if a file was deleted."""
        self._failed = True
        writer, self._writer = self._writer, None
        existed = self._tmp.exists()
        # Emptied first: an encoder that cannot flush may keep the file open, and an
        # open file's space is only given back when it is emptied or closed.
        with contextlib.suppress(OSError):
            os.truncate(self._tmp, 0)
        with contextlib.suppress(Exception):
            if writer is not None:
                writer.close()
        self._tmp.unlink(missing_ok=True)
        return existed

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        """A stopped run (Ctrl-C) leaves a playable video of the frames so far; a failed
        write leaves nothing, not a half-written file."""
        if self._failed:
            self.drop_partial()
            return
        writer, self._writer = self._writer, None
        if writer is not None:
            try:
                writer.close()
            except BaseException:
                self._tmp.unlink(missing_ok=True)
                raise
            # The video shows the person: readable by its owner only (set once the
            # encoder is done: a faststart mp4 is rewritten as it closes).
            self._tmp.chmod(0o600)
            self._tmp.replace(self.path)
