"""The live window on a virtual display: what the screen shows changes as the clip plays.

The clip stands in for the camera (paced at its own frame rate); poses are replayed from
the cached track (the frame index is the clip's own) so no model runs. The clip is
third-party footage: its screenshots are kept in the test's temporary folder only.
"""

from __future__ import annotations

import cv2
import numpy as np

from formcoach.assembly import LiveOptions, RunOptions, build
from formcoach.pose.estimators import ReplayEstimator
from formcoach.pose.tracks import Track
from formcoach.sources.video_file import VideoFileSource
from tests.conftest import TRACKS, shared_clip
from tests.xscreen import screenshot

GREEN = np.array([80, 200, 80])


class Shots:
    """A sink taking a screenshot of the display at given clip times."""

    def __init__(self, display, times_s):
        self.display, self.pending, self.shots = display, list(times_s), {}

    def write(self, result):
        if self.pending and result.frame.timestamp_s >= self.pending[0]:
            cv2.waitKey(50)  # let the X server draw the window first
            self.shots[self.pending.pop(0)] = window_content(screenshot(self.display))

    def close(self, summary, stats, events):
        pass


def window_content(screen):
    """The window's part of the screen (the rest of the virtual screen is black)."""
    ys, xs = np.nonzero(screen.max(axis=2) > 0)
    crop = screen[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    return cv2.resize(crop, (1280, 720), interpolation=cv2.INTER_AREA)


def green_pixels(image):
    return int((np.abs(image.astype(int) - GREEN).sum(axis=2) < 60).sum())


def test_window_shows_setup_then_a_filling_hold_ring(x_display, tmp_path):
    clip = shared_clip("plank_02.mp4")
    track = Track.load(TRACKS / "plank_02.npz")
    shots = Shots(x_display, [1.0, 7.0, 10.0])
    options = RunOptions("plank", mode="live", live=LiveOptions(voice=False))
    with VideoFileSource(clip, realtime=True) as source:
        assembly = build(options, source.info, estimator=ReplayEstimator(track))
        assembly.sinks.append(shots)
        assembly.run(source)
    cv2.waitKey(50)
    card = window_content(screenshot(x_display))  # the window stays open on the set's card
    setup, early, late = (shots.shots[t] for t in (1.0, 7.0, 10.0))
    names = ("setup", "hold_early", "hold_late", "card")
    for name, image in zip(names, (setup, early, late, card), strict=True):
        # Third-party footage: screenshots stay in the test's folder, never in docs/.
        cv2.imwrite(str(tmp_path / f"{name}.png"), image)
    assert setup.shape == (720, 1280, 3) and setup.std() > 20  # the clip is on screen
    ring = (slice(95, 360), slice(1030, 1280))  # the hold ring's corner of the window
    # During setup: no ring yet, a green progress bar and "good: hold still" at the bottom.
    assert green_pixels(setup[ring]) < 50
    assert green_pixels(setup[650:]) > 1000
    # Counting: the ring fills as the hold goes on.
    assert 200 < green_pixels(early[ring]) < green_pixels(late[ring])
    assert not np.array_equal(early[ring], late[ring])
    # The set ends on its card: the screen dimmed, the heading in green across the middle.
    assert card[560:].mean() < 0.6 * late[560:].mean()  # below the card's text
    assert green_pixels(card[200:520]) > 1000
