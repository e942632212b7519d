"""MediaPipe's process environment: what formcoach hides from it (native stderr chatter,
the desktop it would probe for a GPU) and how its landmark lists become numpy arrays.
Used by the modules that run a landmarker (`estimators`, `people_check`)."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from formcoach.types import FloatArray


class _WhileAnyIn:
    """A change to the process (a file descriptor, the environment) made by the first
    caller to enter and undone by the last to leave: safe to nest and to use from two
    threads at once (the people check starts and warms up its model on its own)."""

    def __init__(self, make: Callable[[], Any], undo: Callable[[Any], None]) -> None:
        self._make, self._undo = make, undo
        self._lock = threading.Lock()
        self._depth = 0
        self._saved: Any = None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._saved = self._make()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0:
                    self._undo(self._saved)
                    self._saved = None


def _stderr_to_devnull() -> int:
    sys.stderr.flush()
    saved = os.dup(2)
    with Path(os.devnull).open("wb") as devnull:
        os.dup2(devnull.fileno(), 2)
    return saved


def _stderr_back(saved: int) -> None:
    os.dup2(saved, 2)
    os.close(saved)


_QUIET = _WhileAnyIn(_stderr_to_devnull, _stderr_back)

_NO_DISPLAY = _WhileAnyIn(
    lambda: {k: os.environ.pop(k) for k in ("DISPLAY", "WAYLAND_DISPLAY") if k in os.environ},
    os.environ.update,
)


@contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Hide what native code writes to stderr (file descriptor 2) for a moment.

    MediaPipe's C++ side prints start-up chatter (GPU probing, delegate creation, one
    warning on the first frame) that no logging setting reaches. The CLI asks for quiet
    (FORMCOACH_QUIET_NATIVE=1) unless --verbose; library use is unaffected. Safe to nest
    and across threads (`_WhileAnyIn`)."""
    if os.environ.get("FORMCOACH_QUIET_NATIVE") != "1":
        yield
        return
    with _QUIET.held():
        yield


@contextmanager
def without_display() -> Iterator[None]:
    """Hide the desktop from MediaPipe while it starts a graph.

    With DISPLAY (or WAYLAND_DISPLAY) set, MediaPipe probes for a GPU: Mesa opens a GL
    context, looks the user up in the system's user database (nsswitch, which may be a
    network directory) and writes a shader cache under ~/.cache. formcoach runs the model
    on the CPU, so none of that is needed; the window, opened afterwards, still sees the
    display. Safe to nest and across threads (`_WhileAnyIn`)."""
    with _NO_DISPLAY.held():
        yield


def mask_2d(mask: FloatArray) -> FloatArray:
    """A segmentation mask as (H, W): 0.10.21 gives (H, W), mediapipe 1.x gives (H, W, 1)."""
    return mask[..., 0] if mask.ndim == 3 else mask


def landmarks_to_array(landmarks: Any) -> tuple[FloatArray, FloatArray, FloatArray]:
    arr = np.array(
        [(lm.x, lm.y, lm.z, lm.visibility or 0.0, lm.presence or 0.0) for lm in landmarks],
        dtype=np.float64,
    )
    return arr[:, :3], arr[:, 3], arr[:, 4]
