"""Composite clips of several people, made from the project's own sample clips.

The coached person is a sample clip shrunk onto a plain canvas; other people are cut out
of other sample clips with MediaPipe's segmentation mask, tinted so they do not look
alike, and pasted over it: one standing still at the side from the first frame, one
larger (nearer the camera) walking across in front of the coached person.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from formcoach.pose.models import model_path
from tests.badvideos import SAMPLES, write_mp4

FPS = 24.0


@dataclass(frozen=True, slots=True)
class Person:
    """Someone pasted in: frames of a sample clip cut out by its mask."""

    frames: list[np.ndarray]
    masks: list[np.ndarray]  # float 0-1 per pixel, the person's alpha

    def at(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        return self.frames[i % len(self.frames)], self.masks[i % len(self.masks)]


def read_frames(name: str, n: int | None = None) -> list[np.ndarray]:
    cap = cv2.VideoCapture(str(SAMPLES / f"{name}.mp4"))
    frames: list[np.ndarray] = []
    while n is None or len(frames) < n:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    cap.release()
    return frames


def cut_out(name: str, n: int, tint: tuple[float, float, float]) -> Person:
    """The first `n` frames of a sample clip's person, tinted (B, G, R gains)."""
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model_path())),
        running_mode=vision.RunningMode.VIDEO,
        num_poses=1,
        output_segmentation_masks=True,
    )
    frames = read_frames(name, n)
    masks = []
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        for i, frame in enumerate(frames):
            rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
            found = landmarker.detect_for_video(
                mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), round(i * 1000 / FPS)
            )
            mask = np.zeros(frame.shape[:2], np.float32)
            if found.segmentation_masks:
                view = np.asarray(found.segmentation_masks[0].numpy_view())
                mask = view[..., 0] if view.ndim == 3 else view
            masks.append(np.clip((mask - 0.3) / 0.4, 0.0, 1.0).astype(np.float32))
    gains = np.array(tint, np.float32)
    tinted = [np.clip(f.astype(np.float32) * gains, 0, 255).astype(np.uint8) for f in frames]
    return Person(tinted, masks)


def paste(canvas: np.ndarray, image: np.ndarray, mask: np.ndarray, scale: float, cx: float) -> None:
    """Paste the masked person scaled by `scale`, centred at x=`cx` px, feet on the
    canvas's bottom edge."""
    size = (round(image.shape[1] * scale), round(image.shape[0] * scale))
    image, mask = cv2.resize(image, size), cv2.resize(mask, size)
    ys, xs = np.nonzero(mask > 0.5)
    if len(xs) == 0:
        return
    ox, oy = round(cx) - int(xs.mean()), canvas.shape[0] - 1 - int(ys.max())
    h, w = canvas.shape[:2]
    x0, y0 = max(0, ox), max(0, oy)
    x1, y1 = min(w, ox + image.shape[1]), min(h, oy + image.shape[0])
    if x1 <= x0 or y1 <= y0:
        return
    alpha = mask[y0 - oy : y1 - oy, x0 - ox : x1 - ox, None]
    part = image[y0 - oy : y1 - oy, x0 - ox : x1 - ox]
    canvas[y0:y1, x0:x1] = (canvas[y0:y1, x0:x1] * (1 - alpha) + part * alpha).astype(np.uint8)


def crowd_clip(
    path: Path,
    coached: str,
    others: bool = True,
    coached_scale: float = 0.7,
    walk_s: tuple[float, float] = (3.0, 6.0),
    standing_by: bool = True,
) -> Path:
    """`coached` shrunk by `coached_scale` at the bottom centre of a plain canvas of its
    own size; with `others`, a wall slide standing at the left from the first frame
    (unless not `standing_by`) and a lunge 1.3x larger crossing the whole width in front
    during `walk_s`."""
    frames = read_frames(coached)
    h, w = frames[0].shape[:2]
    standing = (
        cut_out("wall_slide_good_side", 48, (0.6, 0.9, 1.4)) if others and standing_by else None
    )
    walking = cut_out("lunge_good_side", 80, (1.4, 0.8, 0.6)) if others else None
    start_s, end_s = walk_s
    out = []
    for i, frame in enumerate(frames):
        small = cv2.resize(frame, (round(w * coached_scale), round(h * coached_scale)))
        canvas = np.empty_like(frame)
        canvas[:] = np.median(frame.reshape(-1, 3), axis=0).astype(np.uint8)
        x0 = (w - small.shape[1]) // 2
        canvas[h - small.shape[0] :, x0 : x0 + small.shape[1]] = small
        if standing is not None:
            paste(canvas, *standing.at(i), 0.8, 0.12 * w)
        t = i / FPS
        if walking is not None and start_s <= t <= end_s:
            share = (t - start_s) / (end_s - start_s)
            paste(canvas, *walking.at(i), 1.3, (-0.2 + 1.4 * share) * w)
        out.append(canvas)
    return write_mp4(path, out, FPS)


def one_after_another(names: list[str], out: Path) -> Path:
    """Sample clips played one after the other, as one video (a session of exercises)."""
    writer = None
    for name in names:
        cap = cv2.VideoCapture(str(SAMPLES / f"{name}.mp4"))
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            if writer is None:
                h, w = frame.shape[:2]
                fps = cap.get(cv2.CAP_PROP_FPS)
                writer = cv2.VideoWriter(str(out), cv2.VideoWriter.fourcc(*"mp4v"), fps, (w, h))
            writer.write(frame)
        cap.release()
    assert writer is not None
    writer.release()
    return out
