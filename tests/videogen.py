"""Small test videos written without ffmpeg: variable frame rate (PyAV with explicit
timestamps) and rotation metadata (the MP4 track header's display matrix, patched)."""

from __future__ import annotations

import struct
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest


def marked_frame(size_px: tuple[int, int]) -> np.ndarray:
    """Black, with a white bar down the top half of the left edge (shows rotation)."""
    w, h = size_px
    image = np.zeros((h, w, 3), np.uint8)
    image[: h // 2, :8] = 255
    return image


def write_clip(path: Path, pts_ms: list[int], size_px: tuple[int, int] = (64, 48)) -> Path:
    av = pytest.importorskip("av")
    container = av.open(str(path), "w")
    stream = container.add_stream("mpeg4", rate=30)
    stream.width, stream.height = size_px
    stream.pix_fmt = "yuv420p"
    stream.codec_context.time_base = Fraction(1, 1000)
    stream.time_base = Fraction(1, 1000)
    for t in pts_ms:
        frame = av.VideoFrame.from_ndarray(marked_frame(size_px), format="bgr24")
        frame.pts, frame.time_base = t, Fraction(1, 1000)
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    container.close()
    return path


def rotate_90(path: Path) -> None:
    """Set the track header's display matrix to a 90 degree rotation (what phones write)."""
    data = bytearray(path.read_bytes())
    i = data.find(b"tkhd")
    version = data[i + 4]
    offset = i + 4 + 4 + (32 if version == 1 else 20) + 8 + 8
    data[offset : offset + 36] = struct.pack(">9i", 0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000)
    path.write_bytes(bytes(data))
