"""Sinks: where frame results go. Each writes to a temporary name and renames on close,
so an interrupted run leaves complete files, never half-written ones."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from formcoach.demo import DemoLoop
from formcoach.exercises.base import Exercise
from formcoach.exercises.summary import Summary
from formcoach.files import write_json_atomic
from formcoach.hud import render_card, render_live
from formcoach.keys import KEY_FULLSCREEN, WINDOW_CLOSED, KeyQueue
from formcoach.overlay import render
from formcoach.report import Report, build_report
from formcoach.screen import screen_size, window_size
from formcoach.set_summary import summarise_set
from formcoach.sources import SourceInfo
from formcoach.store.history import History, SetRecord
from formcoach.types import Event, FrameResult, LiveState, RunStats
from formcoach.videowriter import FrameWriter, open_writer

log = logging.getLogger(__name__)


class ReportSink:
    """Builds the report when the run ends (also when it was interrupted) and writes it to
    report.json; with no path it is only kept (evaluation, the Python API)."""

    def __init__(
        self,
        path: Path | None,
        exercise: Exercise,
        info: SourceInfo,
        notes: Callable[[], list[str]] = list,
    ) -> None:
        self.path = path
        self.exercise = exercise
        self.info = info
        self.notes = notes  # warnings known only at the end (other people, framing)
        self.report: Report | None = None

    def write(self, result: FrameResult) -> None:
        """The report is built from the summary at the end."""

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        self.report = build_report(self.exercise, summary, stats, self.info, self.notes())
        if self.path is not None:
            write_json_atomic(self.path, self.report.to_json())


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


class LiveWindowSink:
    """The live coach's window: the HUD for each frame; keys go into the session's queue.

    space pause, n next exercise, m mute, q/Esc quit; closing the window quits too; `f`
    toggles full screen (the window's own key, not the session's). The window opens
    sized to the screen (`screen.window_size`) and the screen is drawn at the window's
    current size, so a resized or full-screen window is laid out for its pixels.
    `save_to` writes the last rendered screen as an image when the window closes.
    """

    def __init__(
        self,
        keys: KeyQueue,
        title: str,
        kind: str,
        mirror: bool = False,
        window: str = "formcoach",
        save_to: Path | None = None,
        show_fps: bool = False,
        card_s: float = 0.0,
        demo: DemoLoop | None = None,
    ) -> None:
        self.keys, self.title, self.kind = keys, title, kind
        self.show_fps, self.card_s, self.demo = show_fps, card_s, demo
        self._last_state: LiveState | None = None
        self.mirror, self.window, self.save_to = mirror, window, save_to
        self.last_image: npt.NDArray[np.uint8] | None = None
        # Resizable, no toolbar (keys and text are the interface), sized on the first frame.
        cv2.namedWindow(window, cv2.WINDOW_NORMAL | cv2.WINDOW_KEEPRATIO | cv2.WINDOW_GUI_NORMAL)
        self._size: tuple[int, int] | None = None  # given on the first frame
        self._closed = False

    def write(self, result: FrameResult) -> None:
        if result.session is None or self._closed:
            return
        self._last_state = result.session
        if self._size is None:
            h, w = result.frame.image_bgr.shape[:2]
            natural = (max(w, 1280), round(h * max(w, 1280) / w))
            self._size = window_size(natural, screen_size())
            cv2.resizeWindow(self.window, *self._size)
        canvas = self._canvas(self._size)
        demo = self.demo.frame_at(result.frame.timestamp_s) if self.demo is not None else None
        self.last_image = render_live(
            result,
            result.session,
            self.title,
            self.kind,
            self.mirror,
            canvas,
            self.show_fps,
            demo=demo,
        )
        cv2.imshow(self.window, self.last_image)
        key = cv2.waitKey(1)
        if key != -1 and key & 0xFF == KEY_FULLSCREEN:
            self._toggle_fullscreen()
        elif key != -1:
            self.keys.put(key & 0xFF)
        if cv2.getWindowProperty(self.window, cv2.WND_PROP_VISIBLE) < 1:
            self._closed = True  # showing again would open a new window
            self.keys.put(WINDOW_CLOSED)

    def _show_card(self, image: npt.NDArray[np.uint8]) -> None:
        cv2.imshow(self.window, image)
        ends = time.monotonic() + self.card_s
        while time.monotonic() < ends:
            key = cv2.waitKey(50)
            if key != -1 and key & 0xFF != KEY_FULLSCREEN:
                return
            if cv2.getWindowProperty(self.window, cv2.WND_PROP_VISIBLE) < 1:
                return

    def _canvas(self, given: tuple[int, int]) -> tuple[int, int]:
        """The window's drawable size now (resized, full screen), else the size it was given."""
        try:
            _, _, w, h = cv2.getWindowImageRect(self.window)
        except cv2.error:
            w = h = 0
        return (w, h) if w >= 64 and h >= 64 else given

    def _toggle_fullscreen(self) -> None:
        full = cv2.getWindowProperty(self.window, cv2.WND_PROP_FULLSCREEN) == cv2.WINDOW_FULLSCREEN
        mode = cv2.WINDOW_NORMAL if full else cv2.WINDOW_FULLSCREEN
        cv2.setWindowProperty(self.window, cv2.WND_PROP_FULLSCREEN, mode)

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        """A judged set ends on its summary card, shown `card_s` (a key skips it). The
        window stays open for the next set (a routine's sets and rests share it): OpenCV's
        Qt backend may leave a window it re-creates at once unmapped. The command closes it
        at the end (`close_windows`)."""
        state = self._last_state
        shown = self.last_image is not None and not self._closed
        if self.card_s > 0 and shown and state is not None and state.phase == "active":
            assert self.last_image is not None
            card = summarise_set(self.title, summary, state.target)
            self.last_image = render_card(self.last_image, card.lines())
            self._show_card(self.last_image)
        if self.save_to is not None and self.last_image is not None:
            self.save_to.parent.mkdir(parents=True, exist_ok=True)
            if cv2.imwrite(str(self.save_to), self.last_image):
                self.save_to.chmod(0o600)  # the screen shows the person
        cv2.waitKey(1)


def close_windows() -> None:
    """Close the live window at the end of a command."""
    cv2.destroyAllWindows()
    cv2.waitKey(1)


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
