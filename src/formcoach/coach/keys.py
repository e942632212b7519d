"""Keys from the live window to the live session, through a queue.

The window sink only puts what was pressed into the queue; the session reads it at the
start of its next frame. Neither side calls the other.
"""

from __future__ import annotations

import queue

KEY_PAUSE, KEY_NEXT, KEY_MUTE, KEY_QUIT, KEY_ESC = ord(" "), ord("n"), ord("m"), ord("q"), 27
KEY_FULLSCREEN = ord("f")  # handled by the window itself, never queued
# Not a key: the window was closed by the user (its close button, the desktop).
WINDOW_CLOSED = -2

KeyQueue = queue.SimpleQueue[int]


def pain_of_key(key: int) -> int | None:
    """A digit key is the pain felt now, 0 (none) to 9 (9 or worse); other keys: None."""
    return key - ord("0") if ord("0") <= key <= ord("9") else None


def key_queue() -> KeyQueue:
    return queue.SimpleQueue()
