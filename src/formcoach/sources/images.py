"""A folder of images as one video, timed by index / fps."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import cv2

from formcoach.sources.base import (
    IMAGE_SUFFIXES,
    Source,
    SourceError,
    SourceInfo,
    as_bgr,
)
from formcoach.types import Frame

log = logging.getLogger(__name__)


class ImageFolderSource(Source):
    """Images of a folder in name order, timed at a fixed frame rate."""

    def __init__(self, folder: str | Path, fps: float = 30.0) -> None:
        self.folder = Path(folder)
        self.paths = sorted(p for p in self.folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self.paths:
            raise SourceError(f"no images ({', '.join(IMAGE_SUFFIXES)}) in {self.folder}")
        first = cv2.imread(str(self.paths[0]))
        if first is None:
            raise SourceError(f"cannot read image {self.paths[0]}")
        h, w = first.shape[:2]
        self.info = SourceInfo(str(self.folder), fps, len(self.paths), (w, h))

    def __iter__(self) -> Iterator[Frame]:
        for index, path in enumerate(self.paths):
            image = cv2.imread(str(path))
            if image is None:
                log.warning("skipping unreadable image %s", path)
                continue
            yield Frame(as_bgr(image), index / self.info.fps, index)
