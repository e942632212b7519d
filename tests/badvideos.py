"""The bad-input corpus, generated on the fly: nothing here is committed as a binary.

Frames with people come from the project's own synthetic sample clips, composed with
OpenCV: side by side for two or three people, shifted out of the image for walking out,
shrunk or cropped for far or close, rotated with a phone's rotation metadata.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.videogen import rotate_90

SAMPLES = Path(__file__).resolve().parents[1] / "sample_videos"
FPS = 24


def sample_frames(name: str, n: int, start: int = 0, step: int = 1) -> list[np.ndarray]:
    """`n` frames of a sample clip (640x360), every `step`-th from `start`."""
    cap = cv2.VideoCapture(str(SAMPLES / f"{name}.mp4"))
    cap.set(cv2.CAP_PROP_POS_FRAMES, start)
    frames = []
    i = 0
    while len(frames) < n:
        ok, image = cap.read()
        assert ok, f"{name} has fewer than {start + n * step} frames"
        if i % step == 0:
            frames.append(image)
        i += 1
    cap.release()
    return frames


def write_mp4(path: Path, frames: list[np.ndarray], fps: float = FPS) -> Path:
    """MPEG-4 Part 2 through OpenCV (its index is written at the end of the file)."""
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, (w, h))
    for image in frames:
        writer.write(image)
    writer.release()
    return path


def write_av(
    path: Path,
    frames: list[np.ndarray],
    pts_ms: list[int],
    rate: Fraction | int = FPS,
    codec: str = "mpeg4",
    pix_fmt: str = "yuv420p",
    faststart: bool = False,
) -> Path:
    """A video through PyAV with explicit timestamps (variable rate, odd rates, gray)."""
    av = pytest.importorskip("av")
    options = {"movflags": "+faststart"} if faststart else {}
    container = av.open(str(path), "w", options=options)
    stream = container.add_stream(codec, rate=rate)
    stream.height, stream.width = frames[0].shape[:2]
    stream.pix_fmt = pix_fmt
    stream.codec_context.time_base = Fraction(1, 1000)
    stream.time_base = Fraction(1, 1000)
    for image, t in zip(frames, pts_ms, strict=True):
        if pix_fmt == "gray":
            frame = av.VideoFrame.from_ndarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), "gray")
        else:
            frame = av.VideoFrame.from_ndarray(image, format="bgr24")
        frame.pts, frame.time_base = t, Fraction(1, 1000)
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    container.close()
    return path


def side_by_side(*clips: list[np.ndarray]) -> list[np.ndarray]:
    return [np.hstack(images) for images in zip(*clips, strict=True)]


def shifted(image: np.ndarray, dx_px: int) -> np.ndarray:
    """The image moved right by dx_px; what leaves the frame is gone, the rest is black."""
    out = np.zeros_like(image)
    w = image.shape[1]
    if abs(dx_px) < w:
        if dx_px >= 0:
            out[:, dx_px:] = image[:, : w - dx_px]
        else:
            out[:, :dx_px] = image[:, -dx_px:]
    return out


def far(image: np.ndarray, scale: float = 0.15) -> np.ndarray:
    """The scene shrunk to `scale` in the middle of a grey image of the same size."""
    h, w = image.shape[:2]
    small = cv2.resize(image, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    out = np.full_like(image, 90)
    y, x = (h - small.shape[0]) // 2, (w - small.shape[1]) // 2
    out[y : y + small.shape[0], x : x + small.shape[1]] = small
    return out


def close(image: np.ndarray, zoom: float = 2.5, center: tuple[float, float] = (0.5, 0.5)):
    """A crop around `center` (fractions of the image) scaled up to the full size."""
    h, w = image.shape[:2]
    ch, cw = int(h / zoom), int(w / zoom)
    y = min(max(int(center[1] * h) - ch // 2, 0), h - ch)
    x = min(max(int(center[0] * w) - cw // 2, 0), w - cw)
    return cv2.resize(image[y : y + ch, x : x + cw], (w, h), interpolation=cv2.INTER_LINEAR)


def phone_rotated(path: Path, frames: list[np.ndarray]) -> Path:
    """Frames stored sideways with a 90 degree display matrix, as phones record them."""
    stored = [cv2.rotate(f, cv2.ROTATE_90_COUNTERCLOCKWISE) for f in frames]
    write_av(path, stored, [round(i * 1000 / FPS) for i in range(len(stored))])
    rotate_90(path)
    return path
