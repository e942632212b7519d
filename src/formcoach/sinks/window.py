"""The live window: the camera picture with the HUD, full screen on request, and the
set's card at the end."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from formcoach.coach.demo import DemoLoop
from formcoach.coach.keys import KEY_FULLSCREEN, WINDOW_CLOSED, KeyQueue
from formcoach.coach.set_card import summarise_set
from formcoach.exercises.summary import Summary
from formcoach.render.hud import render_card, render_live
from formcoach.render.screen import screen_size, window_size
from formcoach.types import Event, FrameResult, LiveState, RunStats


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
