"""`open_source`: a camera index, a video file or an image folder, by what the text names."""

from __future__ import annotations

from pathlib import Path

from formcoach.sources.base import (
    IMAGE_SUFFIXES,
    Source,
    SourceError,
)
from formcoach.sources.camera import CameraSource
from formcoach.sources.images import ImageFolderSource
from formcoach.sources.video_file import VideoFileSource


def open_source(
    spec: str | Path, realtime: bool = False, size_px: tuple[int, int] | None = None
) -> Source:
    """A camera index ("0"), an image folder or a video file. `size_px` asks a camera for
    a resolution."""
    text = str(spec)
    if text.isdigit():
        return CameraSource(int(text), size_px)
    path = Path(text)
    if path.is_dir():
        return ImageFolderSource(path)
    if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file():
        raise SourceError(
            f"{path} is a still image: give a video, or a folder of images for an image sequence"
        )
    return VideoFileSource(path, realtime=realtime)
