"""The view vote: a window in seconds, so a turn shows after the same time at any rate."""

from __future__ import annotations

import pytest

from formcoach.view import ViewVote


@pytest.mark.parametrize("fps", [10.0, 15.0, 24.0, 30.0, 60.0])
def test_a_camera_cut_shows_after_the_same_time_at_any_frame_rate(fps):
    vote = ViewVote(window_s=0.5)
    winners = []
    for i in range(int(4 * fps)):
        t = i / fps
        vote.add("side" if t < 2.0 else "front", t)
        winners.append((t, vote.winner()))
    switched_s = next(t for t, w in winners if w == "front")
    # Half the window after the cut (a majority of it), within a frame: a window of 15
    # frames would take 0.75 s at 10 fps and 0.13 s at 60.
    assert switched_s == pytest.approx(2.25, abs=1 / fps + 1e-9)


def test_one_noisy_frame_does_not_flip_the_view():
    vote = ViewVote(window_s=0.5)
    for i in range(30):
        vote.add("front" if i == 20 else "side", i / 10)
        assert vote.winner() == "side"


def test_an_empty_vote_has_no_winner_until_a_frame_is_added():
    vote = ViewVote(window_s=0.5)
    assert vote.winner() is None
    vote.add("oblique", 0.0)
    assert vote.winner() == "oblique"
    vote.clear()
    assert vote.winner() is None
