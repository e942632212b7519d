"""Live sources: only the newest frame is ever delivered; a lost camera is reopened."""

from __future__ import annotations

import itertools
import threading
import time

import cv2
import numpy as np
import pytest

from formcoach.sources.base import SourceError
from formcoach.sources.camera import CameraSource
from formcoach.sources.grabber import Grabbed, LatestSlot
from formcoach.sources.video_file import VideoFileSource


def _item(i: int) -> Grabbed:
    return Grabbed(np.zeros((2, 2, 3), np.uint8), i / 30, i, time.monotonic())


def test_slot_keeps_only_the_newest_and_counts_the_rest_as_dropped():
    slot = LatestSlot()
    for i in range(3):
        slot.put(_item(i))
    got = slot.get(0.1)
    assert got is not None and got.index == 2
    assert slot.dropped == 2
    assert slot.get(0.01) is None  # nothing new: no stale repeat
    slot.put(_item(3))
    slot.close()
    assert slot.get(0.1).index == 3  # what is left is still delivered after close
    assert slot.get(0.1) is None


def _write_video(path, n=45, fps=30.0, size=(64, 48)):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, size)
    for i in range(n):
        image = np.full((size[1], size[0], 3), (i * 5) % 255, np.uint8)
        writer.write(image)
    writer.release()


def test_realtime_file_skips_frames_for_a_slow_consumer_and_never_queues(tmp_path):
    video = tmp_path / "v.mp4"
    _write_video(video)
    source = VideoFileSource(video, realtime=True)
    seen, ages = [], []
    started = time.monotonic()
    for frame in source:
        ages.append(time.monotonic() - source.read_times.get(frame.index))
        seen.append(frame.index)
        time.sleep(0.1)  # a consumer at 10 fps behind a 30 fps "camera"
    elapsed = time.monotonic() - started
    source.close()
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    assert source.dropped > 0 and len(seen) + source.dropped == 45
    assert elapsed < 45 / 30 + 0.5  # paced at the video's rate, not the consumer's
    # Every frame handed over is at most about one frame interval old; a queue would make
    # the age grow to most of a second by the end of this clip.
    assert max(ages) < 0.15


def test_realtime_file_delivers_every_frame_to_a_fast_consumer(tmp_path):
    video = tmp_path / "v.mp4"
    _write_video(video, n=20)
    with VideoFileSource(video, realtime=True) as source:
        assert [f.index for f in source] == list(range(20))
        assert source.dropped == 0


class FakeCapture:
    """A cv2.VideoCapture stand-in: `frames` good reads, then reads fail (unplugged)."""

    def __init__(self, frames: int, opened: bool = True, value: int = 200):
        self.frames, self.opened, self.value = frames, opened, value
        self.released = False

    def isOpened(self):
        return self.opened

    def read(self):
        time.sleep(0.01)
        if self.frames <= 0 or self.released:
            return False, None
        self.frames -= 1
        return True, np.full((48, 64, 3), self.value, np.uint8)

    def get(self, prop):
        return {cv2.CAP_PROP_FRAME_WIDTH: 64, cv2.CAP_PROP_FRAME_HEIGHT: 48}.get(prop, 30.0)

    def set(self, prop, value):
        return True

    def release(self):
        self.released = True


def test_camera_reconnects_and_keeps_the_loop_alive_meanwhile():
    # First device: 5 frames then unplugged; two failed reopen attempts; then a new one.
    captures = iter(
        [
            FakeCapture(5),
            FakeCapture(0, opened=False),
            FakeCapture(0, opened=False),
            FakeCapture(1000, value=100),
        ]
    )
    opened = threading.Event()

    def factory(index):
        cap = next(captures)
        if cap.value == 100:
            opened.set()
        return cap

    source = CameraSource(0, capture_factory=factory, retry_s=0.05, placeholder_s=0.05)
    values, statuses, times = [], [], []
    for frame in source:
        values.append(int(frame.image_bgr[0, 0, 0]))
        statuses.append(source.status())
        times.append(frame.timestamp_s)
        if opened.is_set() and values[-1] == 100 and values.count(100) >= 5:
            break
    source.close()
    assert values[:5] == [200] * 5
    assert 0 in values  # black placeholders while the camera was gone
    assert any("disconnected" in s for s in statuses)
    assert statuses[-1] == "" and source.reconnects == 1
    assert all(b > a for a, b in itertools.pairwise(times))


def test_camera_gives_up_after_reconnect_s_when_asked():
    captures = iter([FakeCapture(2)] + [FakeCapture(0, opened=False)] * 100)
    source = CameraSource(
        0, capture_factory=lambda i: next(captures), reconnect_s=0.2, retry_s=0.05
    )
    frames = []
    with pytest.raises(SourceError, match="camera 0 stopped sending frames and did not come back"):
        for frame in source:
            frames.append(frame)
    assert 2 <= len(frames) < 20
    source.close()


def test_camera_that_cannot_open_is_a_source_error():
    with pytest.raises(SourceError, match="camera 3 cannot be opened"):
        CameraSource(3, capture_factory=lambda i: FakeCapture(0, opened=False))
