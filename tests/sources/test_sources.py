"""Sources: timestamps strictly increase and come from the source; bad input fails clearly."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from formcoach.sources.base import SourceError
from formcoach.sources.images import ImageFolderSource
from formcoach.sources.open import open_source
from formcoach.sources.video_file import VideoFileSource


def write_video(path, n=30, fps=15.0, size=(64, 48), gray=False):
    writer = cv2.VideoWriter(
        str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, size, isColor=not gray
    )
    for i in range(n):
        shape = (size[1], size[0]) if gray else (size[1], size[0], 3)
        writer.write(np.full(shape, (i * 8) % 255, dtype=np.uint8))
    writer.release()
    return path


def test_video_timestamps_follow_the_container(tmp_path):
    with VideoFileSource(write_video(tmp_path / "v.mp4", n=30, fps=15.0)) as source:
        frames = list(source)
    assert source.info.fps == pytest.approx(15.0)
    assert [f.index for f in frames] == list(range(30))
    times = np.array([f.timestamp_s for f in frames])
    assert times[0] == pytest.approx(0.0)
    assert np.allclose(np.diff(times), 1 / 15.0, atol=1e-3)


def test_grayscale_video_frames_come_out_bgr(tmp_path):
    with VideoFileSource(write_video(tmp_path / "g.mp4", gray=True)) as source:
        frame = next(iter(source))
    assert frame.image_bgr.shape == (48, 64, 3) and frame.image_bgr.dtype == np.uint8


def test_image_folder_is_timed_at_its_frame_rate(tmp_path):
    for i in range(5):
        cv2.imwrite(str(tmp_path / f"{i:03d}.png"), np.full((20, 30, 3), i * 40, np.uint8))
    (tmp_path / "notes.txt").write_text("not an image")
    source = open_source(tmp_path)
    assert isinstance(source, ImageFolderSource)
    frames = list(source)
    assert [f.timestamp_s for f in frames] == pytest.approx([i / 30.0 for i in range(5)])
    assert frames[3].image_bgr[0, 0, 0] == 120


def test_folder_without_images_is_refused(tmp_path):
    with pytest.raises(SourceError, match="no images"):
        open_source(tmp_path)


def test_truncated_video_yields_the_frames_before_the_cut(tmp_path):
    path = write_video(tmp_path / "t.mp4", n=60)
    data = path.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    try:
        source = VideoFileSource(cut)
    except SourceError as exc:  # mp4 with its index at the end: unreadable, said clearly
        assert "cannot decode" in str(exc)
        return
    with source:
        try:
            frames = list(source)
        except SourceError as exc:
            assert "no frame could be decoded" in str(exc)
            return
    assert 0 < len(frames) < 60
