"""The live window on screens of three sizes: it fits, and the correction reads from 3 m.

Each size is its own virtual screen and its own `formcoach live` process (OpenCV's window
backend keeps the first X server it used), with a project sample clip as the camera:
wall_sit_too_high_side's too-high stretch (2.2-8.8 s, its truth) three times over, so a
correction is up for most of 22 s however slowly a loaded machine starts. The screen is
photographed until the correction shows. FORMCOACH_DOCS_SHOTS=1 refreshes
docs/live_<size>.png.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import cv2
import numpy as np
import pytest

from tests.conftest import ROOT
from tests.xscreen import screenshot, virtual_display

AMBER = np.array([40, 180, 240])  # overlay.AMBER, BGR


def amber(image: np.ndarray) -> np.ndarray:
    return np.abs(image.astype(int) - AMBER).sum(axis=2) < 120


@pytest.fixture(scope="module")
def too_high_clip(tmp_path_factory):
    from tests.badvideos import sample_frames, write_mp4

    held = sample_frames("wall_sit_too_high_side", 168, start=48)  # 2.0-9.0 s
    return write_mp4(tmp_path_factory.mktemp("clip") / "too_high.mp4", held * 3, fps=24.0)


def shot_with_correction(size: str, clip, last: list, timeout_s: float = 60.0) -> np.ndarray:
    """The screen, the first time the bottom bar shows amber text (`last`: the latest
    screen, kept for a failure's message)."""
    with virtual_display(f"{size}x24") as display:
        command = [sys.executable, "-m", "formcoach.cli", "live", "--source", str(clip), "-e",
                   "wall_sit", "--no-voice", "--no-history", "--skip-setup", "-q"]  # fmt: skip
        env = {**os.environ, "DISPLAY": display}
        proc = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            started = time.monotonic()
            while time.monotonic() - started < timeout_s and proc.poll() is None:
                image = screenshot(display)
                last[:] = [image]
                h = image.shape[0]
                if amber(image[h // 2 :]).sum() > 200:
                    return image
                time.sleep(0.25)
        finally:
            proc.terminate()
            proc.wait(10)
    pytest.fail(f"no correction on the {size} screen within {timeout_s:.0f} s")


@pytest.mark.parametrize("size", ["640x360", "1366x768", "1920x1080"])
def test_the_live_window_fits_the_screen_and_its_correction_is_big(size, too_high_clip, tmp_path):
    last: list = []
    try:
        screen = shot_with_correction(size, too_high_clip, last)
    finally:
        if last:  # what the screen showed last, to look at when it fails
            cv2.imwrite(str(tmp_path / f"last_{size}.png"), last[0])
    cv2.imwrite(str(tmp_path / f"live_{size}.png"), screen)
    if os.environ.get("FORMCOACH_DOCS_SHOTS"):
        cv2.imwrite(str(ROOT / "docs" / f"live_{size}.png"), screen)
    sh, sw = screen.shape[:2]
    ys, xs = np.nonzero(screen.max(axis=2) > 0)  # the window (the rest of the screen is black)
    top, bottom, left, right = ys.min(), ys.max(), xs.min(), xs.max()
    # The window lies inside the screen with room for a taskbar, and uses most of it.
    assert bottom < sh - 1 and right < sw - 1, (top, bottom, left, right)
    wh, ww = bottom - top + 1, right - left + 1
    assert ww >= 0.8 * sw or wh >= 0.8 * sh
    # The correction is on screen, in the window's bottom bar, at least 1/18 of its height.
    window = screen[top : bottom + 1, left : right + 1]
    rows = np.nonzero(amber(window[wh // 2 :]).sum(axis=1) > 0)[0]
    assert rows.size and rows.max() < wh // 2 + (wh // 2) - 1  # not cut at the bottom
    assert rows.max() - rows.min() + 1 >= wh / 18
    cols = np.nonzero(amber(window[wh // 2 :]).sum(axis=0) > 0)[0]
    assert cols.min() > 0 and cols.max() < ww - 1  # not cut at the sides
