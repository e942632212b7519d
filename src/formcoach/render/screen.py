"""The size of the screen the live window opens on, and the window's size on it.

OpenCV's window does not say how large the screen is, so a fixed 1280x720 window showed
only its top-left quarter on a 640x360 screen and lost its bottom bar behind a laptop's
taskbar. X11 (libX11, loaded only when a display is set) and Windows say; elsewhere the
window keeps the frame's size and the user can resize it (`f`: full screen).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

# Share of the screen a new window may take: room for a title bar and a taskbar.
SCREEN_SHARE = 0.9


def screen_size() -> tuple[int, int] | None:
    """(width, height) of the default screen in pixels, or None when unknown."""
    try:
        if sys.platform == "win32":
            user32 = ctypes.windll.user32  # type: ignore[attr-defined,unused-ignore]
            return int(user32.GetSystemMetrics(0)), int(user32.GetSystemMetrics(1))
        if not os.environ.get("DISPLAY"):
            return None
        name = ctypes.util.find_library("X11")
        if name is None:
            return None
        x11 = ctypes.CDLL(name)
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XDefaultScreen.argtypes = [ctypes.c_void_p]
        x11.XDisplayWidth.argtypes = [ctypes.c_void_p, ctypes.c_int]
        x11.XDisplayHeight.argtypes = [ctypes.c_void_p, ctypes.c_int]
        x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        display = x11.XOpenDisplay(None)
        if not display:
            return None
        try:
            screen = x11.XDefaultScreen(display)
            return int(x11.XDisplayWidth(display, screen)), int(x11.XDisplayHeight(display, screen))
        finally:
            x11.XCloseDisplay(display)
    except (OSError, AttributeError, ValueError):
        return None


def window_size(content_wh: tuple[int, int], screen_wh: tuple[int, int] | None) -> tuple[int, int]:
    """A window for content of this aspect: SCREEN_SHARE of the screen when the screen is
    known (larger or smaller than the content: from 3 m, bigger is better), aspect kept;
    else the content's size."""
    w, h = content_wh
    if screen_wh is None:
        return w, h
    k = min(SCREEN_SHARE * screen_wh[0] / w, SCREEN_SHARE * screen_wh[1] / h)
    return max(1, int(w * k)), max(1, int(h * k))
