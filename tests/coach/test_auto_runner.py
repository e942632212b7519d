"""`live --exercise auto`: a session that switches exercise gives one set per part, named
and counted as `analyze --exercise auto` names and counts the same frames.

The recording is two sample clips' cached tracks played one after the other (a plank,
then lunges), through the session's one estimator replaying the track, with the
history in a temporary file. Expectations come from the clips' `.truth.json`.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from formcoach.assembly import LiveOptions, RunOptions, Services
from formcoach.coach.auto_runner import AutoRunner
from formcoach.offline.auto import analyse_parts
from formcoach.pose.estimators import ReplayEstimator
from formcoach.pose.tracks import ARRAYS, Track, TrackSource
from formcoach.store.history import History
from formcoach.switching import NOT_SURE
from tests.agreement import HOLD_TOLERANCE_S
from tests.replay import SAMPLE_TRACKS, SAMPLES, TRACKS

CLIPS = ("plank_good_side", "lunge_good_side")


def played_in_turn(names: tuple[str, ...]) -> Track:
    """The clips' tracks as one recording: each starts one frame after the last ends."""
    tracks = [Track.load(SAMPLE_TRACKS / f"{n}.npz") for n in names]
    first = tracks[0]
    assert all(t.fps == first.fps and t.image_size_px == first.image_size_px for t in tracks)
    times, offset = [], 0.0
    for t in tracks:
        times.append(t.timestamps_s - t.timestamps_s[0] + offset)
        offset = float(times[-1][-1]) + 1.0 / first.fps
    arrays = {a: np.concatenate([getattr(t, a) for t in tracks]) for a in ARRAYS}
    return dataclasses.replace(
        first, name="+".join(names), timestamps_s=np.concatenate(times), **arrays
    )


def truth(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.truth.json").read_text())


@pytest.fixture(scope="module")
def recording() -> Track:
    return played_in_turn(CLIPS)


def live_parts(
    track: Track,
    services: Services | None = None,
    estimator: ReplayEstimator | None = None,
    voice: bool = False,
) -> list:
    """A live auto session on the track's frames, the track replayed as the model (or
    `estimator`), no window; its parts."""
    options = RunOptions("auto", mode="live", live=LiveOptions(window=False, voice=voice))
    source = TrackSource(track)
    runner = AutoRunner(
        iter(source),
        options,
        source.info,
        services or Services(),
        estimator=estimator or ReplayEstimator(track),
    )
    return runner.run()


@pytest.fixture
def live_session(recording, tmp_path):
    history = History(tmp_path / "history.sqlite")
    parts = live_parts(recording, Services(history=history))
    yield parts, history.sets()
    history.close()


def test_each_part_is_its_own_set_with_the_right_name(live_session):
    parts, sets = live_session
    assert [p.exercise for p in parts] == ["plank", "lunge"]
    assert [s["exercise"] for s in sets] == ["plank", "lunge"]


def test_the_plank_set_holds_what_the_truth_holds(live_session):
    plank = live_session[0][0]
    (hold,) = truth("plank_good_side")["events"]["holds"]
    best = max((h.duration_s for h in plank.summary.holds), default=0.0)
    assert best == pytest.approx(hold["end_s"] - hold["start_s"], abs=HOLD_TOLERANCE_S)


@pytest.mark.xfail(
    strict=True,
    reason="lunge_good_side's golden known miss rep1-left: standing, the far leg is under "
    "0.5 visibility, so the first lunge is already 35 deg deep at its first measured frame",
)
def test_the_lunge_set_counts_every_true_rep(live_session):
    lunge = live_session[0][1]
    reps = truth("lunge_good_side")["events"]["reps"]
    assert lunge.summary.reps_left + lunge.summary.reps_right == len(reps)


def assert_live_equals_offline(track: Track, live: list, out: Path) -> None:
    """The same parts named at the same frames, each counting the same reps and holds;
    the not-sure parts listed offline, not analysed, and never coached live."""
    offline = analyse_parts(
        Path("unused.mp4"),
        track,
        out,
        RunOptions("auto", video=False, html=False),
        video=lambda: TrackSource(track),
    )
    unsure = [p for p in offline if p.exercise == NOT_SURE]
    assert all(p.report is None and p.candidates for p in unsure)
    analysed = [p for p in offline if p.exercise != NOT_SURE]
    assert [(p.exercise, p.start_s) for p in analysed] == [(p.exercise, p.start_s) for p in live]
    for part, off in zip(live, analysed, strict=True):
        assert off.report is not None
        assert part.frames == off.report.video.frames  # the same frames, not just counts
        s = part.summary
        assert (s.reps_left, s.reps_right) == (off.report.reps.left, off.report.reps.right)
        held = [round(h.duration_s, 2) for h in s.holds]
        assert held == [round(h.duration_s, 2) for h in off.report.holds]


def test_live_counts_what_the_offline_analysis_counts(live_session, recording, tmp_path):
    assert_live_equals_offline(recording, live_session[0], tmp_path)


# Real clips with several parts: knee_rolls_01 begins with 8 s the recogniser is not sure
# of (knee rolls or bracing), glute_bridge_01 has crunch, bridge and bracing parts,
# side_plank_01 a set-up read as a lunge (docs/recognition.md).
@pytest.mark.parametrize("name", ["knee_rolls_01", "glute_bridge_01", "side_plank_01"])
def test_live_equals_offline_on_real_clips_of_several_parts(name, tmp_path):
    if not (TRACKS / f"{name}.npz").is_file():
        pytest.skip(f"no track for {name}")
    track = Track.load(TRACKS / f"{name}.npz")
    assert_live_equals_offline(track, live_parts(track), tmp_path)


class InterruptedAt(ReplayEstimator):
    """The track, with Ctrl-C pressed while the model works on one frame."""

    def __init__(self, track: Track, t_s: float) -> None:
        super().__init__(track)
        self.at_s = t_s

    def estimate(self, frame):
        if frame.timestamp_s >= self.at_s:
            self.at_s = float("inf")
            raise KeyboardInterrupt
        return super().estimate(frame)


def test_ctrl_c_ends_the_session_and_keeps_the_set_going_on(recording, tmp_path):
    with History(tmp_path / "history.sqlite") as history:
        during_the_plank = InterruptedAt(recording, t_s=8.0)
        parts = live_parts(recording, Services(history=history), during_the_plank)
        saved = [s["exercise"] for s in history.sets()]
    assert [p.exercise for p in parts] == saved == ["plank"]
    assert parts[0].stop_reason == "interrupted (Ctrl-C)"


class Silent:
    def speak(self, text: str) -> None:
        """Nothing said aloud."""


def test_the_screen_and_the_voice_start_when_the_part_is_named(recording, monkeypatch):
    # The analyzer catches up on the frames that named the part; what is shown and said
    # is about now, from the frame it was named on.
    from formcoach.coach.voice import Voice
    from formcoach.sinks.voice import VoiceSink

    heard: dict[int, list[float]] = {}
    write = VoiceSink.write

    def spy(self, result):
        heard.setdefault(id(self), []).append(result.frame.timestamp_s)
        write(self, result)

    monkeypatch.setattr(VoiceSink, "write", spy)
    voice = Voice(Silent())
    try:
        parts = live_parts(recording, Services(voice=voice), voice=True)
    finally:
        voice.close()
    firsts = sorted(times[0] for times in heard.values())
    frame_s = 1.0 / recording.fps
    for part in parts:
        assert part.start_s < part.named_s  # the analyzer saw frames from before
        # Its voice's first frame is the one after the naming frame (which the watching
        # step, or the part before, showed).
        after = [t for t in firsts if part.start_s <= t <= part.named_s + 1.5 * frame_s]
        assert after == [pytest.approx(part.named_s + frame_s)]


def every_other_frame(track: Track) -> Track:
    arrays = {a: getattr(track, a)[::2] for a in ARRAYS}
    return dataclasses.replace(
        track, timestamps_s=track.timestamps_s[::2], fps=track.fps / 2, **arrays
    )


def test_at_half_the_frame_rate_the_same_parts_count_the_same(recording, live_session):
    # 24 fps -> 12 fps: the switcher and the recogniser read seconds, not frames. A hold
    # within 0.5 s (the perturbation table's outcome tolerance) is the same hold.
    slow = every_other_frame(recording)
    parts = live_parts(slow)
    full = live_session[0]
    assert [p.exercise for p in parts] == [p.exercise for p in full]
    for got, want in zip(parts, full, strict=True):
        assert got.named_s == pytest.approx(want.named_s, abs=0.2)
        g, w = got.summary, want.summary
        assert (g.reps_left, g.reps_right) == (w.reps_left, w.reps_right)
        best = [max((h.duration_s for h in s.holds), default=0.0) for s in (g, w)]
        assert best[0] == pytest.approx(best[1], abs=0.5)


def test_n_starts_a_new_set_and_the_next_part_still_counts_as_offline(
    recording, tmp_path, monkeypatch
):
    # `n` during the plank at 11 s, after the lunge's first label (10.6 s) and before it
    # is named (13.0 s): a second plank set starts there; the lunge then catches up from
    # its own start, as offline, and the frame the key came with still reaches the
    # recogniser (the parts are named on the same frames).
    from formcoach.coach.keys import KEY_NEXT
    from formcoach.coach.live_session import LiveSession

    process, pressed = LiveSession.process, []

    def process_with_key(self, frame):
        if not pressed and frame.timestamp_s >= 11.0:
            pressed.append(frame.timestamp_s)
            self.handle_key(KEY_NEXT)
        return process(self, frame)

    monkeypatch.setattr(LiveSession, "process", process_with_key)
    parts = live_parts(recording)
    monkeypatch.undo()
    assert [p.exercise for p in parts] == ["plank", "plank", "lunge"]
    assert parts[1].start_s == pytest.approx(pressed[0], abs=0.1)
    offline = analyse_parts(
        Path("unused.mp4"),
        recording,
        tmp_path,
        RunOptions("auto", video=False, html=False),
        video=lambda: TrackSource(recording),
    )
    lunge, off = parts[2], offline[-1]
    assert (lunge.exercise, lunge.start_s) == (off.exercise, off.start_s)
    assert off.report is not None
    assert lunge.frames == off.report.video.frames
    assert (lunge.summary.reps_left, lunge.summary.reps_right) == (
        off.report.reps.left,
        off.report.reps.right,
    )
