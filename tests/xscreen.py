"""A virtual X display (Xvfb) and screenshots of it (xwd), for window tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest


def has_virtual_display() -> bool:
    """Xvfb is installed (the window tests can run on a virtual screen)."""
    return shutil.which("Xvfb") is not None


@contextmanager
def virtual_display(size: str = "1280x720x24") -> Iterator[str]:
    """Start Xvfb on a free display number; yields ":N". Skips if Xvfb or xwd is absent."""
    for tool in ("Xvfb", "xwd"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (Debian: apt-get install xvfb x11-apps)")
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as f:
            number = f.readline().strip()
        if not number:
            pytest.skip("Xvfb did not start")
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(5)


def screenshot(display: str) -> np.ndarray:
    """The whole screen as a BGR image, from `xwd -root` (ZPixmap, 24 or 32 bits)."""
    data = subprocess.run(
        ["xwd", "-root", "-silent", "-display", display], capture_output=True, check=True
    ).stdout
    h = np.frombuffer(data[:100], dtype=">u4")
    header_size, width, height = int(h[0]), int(h[4]), int(h[5])
    byte_order, bpp, stride, ncolors = int(h[7]), int(h[11]), int(h[12]), int(h[19])
    if bpp not in (24, 32):
        raise ValueError(f"expected a 24 or 32 bits per pixel screen, got {bpp}")
    n = bpp // 8
    start = header_size + 12 * ncolors
    pixels = np.frombuffer(data[start : start + stride * height], np.uint8)
    pixels = pixels.reshape(height, stride)[:, : width * n].reshape(height, width, n)
    if byte_order == 0:  # LSB first: B, G, R(, X)
        return pixels[..., :3].copy()
    return pixels[..., n - 1 : n - 4 : -1].copy() if n == 4 else pixels[..., ::-1].copy()
