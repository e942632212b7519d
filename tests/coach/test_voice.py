"""Speech: throttled, off the main thread, newest replaces pending; never crashes."""

from __future__ import annotations

import shutil
import threading
import wave

import numpy as np
import pytest

from formcoach.assembly import LiveOptions, Services
from formcoach.coach.voice import EspeakEngine, Voice, VoiceUnavailable
from formcoach.types import Frame
from tests.posefactory import make_pose, plank_points
from tests.replay import replay_poses


class FakeEngine:
    """Records what it says; `gate` holds the first utterance 'in the speaker'."""

    def __init__(self, gate: threading.Event | None = None):
        self.said: list[str] = []
        self.gate = gate
        self.thread_names: list[str] = []

    def speak(self, text):
        self.thread_names.append(threading.current_thread().name)
        if self.gate is not None and not self.said:
            self.gate.wait(2)
        self.said.append(text)


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_throttling_same_message_10s_any_message_3s():
    clock, engine = Clock(), FakeEngine()
    voice = Voice(engine, clock=clock)
    asked = {}
    for t, text in [(0, "a"), (1, "b"), (3, "b"), (6, "a"), (10, "a"), (13.5, "c")]:
        clock.t = t
        asked[(t, text)] = voice.say(text)
        voice.wait_idle()
    voice.close()
    assert engine.said == ["a", "b", "a", "c"]
    assert asked[(1, "b")] is False and asked[(6, "a")] is False
    assert set(engine.thread_names) == {"voice"}  # never the caller's thread


def test_a_newer_utterance_replaces_the_pending_one():
    gate, clock = threading.Event(), Clock()
    engine = FakeEngine(gate)
    voice = Voice(engine, min_gap_s=0, same_gap_s=0, clock=clock)
    voice.say("first")  # being spoken, held by the gate
    while not engine.thread_names:
        threading.Event().wait(0.01)
    for i, text in enumerate(["second", "third", "fourth"]):
        clock.t = i + 1.0
        voice.say(text)
    gate.set()
    voice.close()
    assert engine.said == ["first", "fourth"]


def test_muted_voice_says_nothing_and_a_broken_engine_only_logs(caplog):
    class Broken:
        def speak(self, text):
            raise VoiceUnavailable("no audio device")

    voice = Voice(Broken())
    voice.muted = True
    assert voice.say("hello") is False
    voice.muted = False
    assert voice.say("hello") is True
    voice.wait_idle()
    voice.close()
    assert not voice.available and "no audio device" in caplog.text


def _spoken_schedule(poses, caplog, **live):
    """Replays `poses` at 10 fps as a live plank set with a fake engine; returns
    [(time, text)] from the cue log (what `formcoach -v` shows) and what was said."""
    import logging

    clock, engine = Clock(), FakeEngine()
    voice = Voice(engine, clock=clock)

    def frames():
        for i in range(len(poses)):
            clock.t = i / 10
            yield Frame(np.full((2, 2, 3), 120, np.uint8), i / 10, i)  # lit: passes the light check
            voice.wait_idle()

    with caplog.at_level(logging.INFO, logger="formcoach.sinks.voice"):
        replay_poses(
            "plank",
            poses,
            frames(),
            services=Services(voice=voice),
            mode="live",
            live=LiveOptions(window=False, **live),
        )
    voice.close()
    schedule = []
    for record in caplog.records:
        if record.getMessage().startswith("cue at "):
            at, text = record.getMessage().removeprefix("cue at ").split(" s: ", 1)
            schedule.append((float(at), text))
    assert [text for _, text in schedule] == engine.said  # the log is what was said
    return schedule


def test_cues_for_a_set_instruction_correction_hold_counts_and_completion(caplog):
    poses = [make_pose(plank_points(bend_deg=-16))] * 50 + [make_pose(plank_points())] * 330
    schedule = _spoken_schedule(poses, caplog, setup_check=False)
    said = dict((text, t) for t, text in schedule)
    assert [text for _, text in schedule] == [
        "Forearm plank: hold 30 seconds. Go.",  # what to do, for how long, at the start
        "lift your hips: make a straight line",
        "Hold.",
        "10 seconds",  # counted up every 10 s: face down, the screen is out of sight
        "20 seconds",
        "5",  # the last five counted down
        "4",
        "3",
        "2",
        "1",
        "Well done. Set complete.",
    ]
    assert said["Forearm plank: hold 30 seconds. Go."] == 0.0
    start = said["Hold."]
    assert said["10 seconds"] - start == pytest.approx(10.0, abs=1.0)
    for n in (5, 4, 3, 2, 1):  # one a second, each when that many seconds are left
        assert said[str(n)] - said["5"] == pytest.approx(5 - n, abs=0.15)
    assert said["Well done. Set complete."] - said["1"] == pytest.approx(1.0, abs=0.15)


def test_the_spoken_countdown_keeps_time_with_the_screen(caplog):
    # The setup check passes after 2 s of a good plank, then the 3 s countdown: each
    # number is said when the screen shows it, "Go." when counting starts.
    poses = [make_pose(plank_points())] * 100
    schedule = _spoken_schedule(poses, caplog, setup_check=True, countdown_s=3.0)
    said = dict((text, t) for t, text in schedule)
    assert schedule[0] == (0.0, "Forearm plank: hold 30 seconds.")
    start = said["3"]
    assert said["2"] - start == pytest.approx(1.0, abs=0.15)
    assert said["1"] - start == pytest.approx(2.0, abs=0.15)
    assert said["Go."] - start == pytest.approx(3.0, abs=0.15)
    # The instruction (2.0 s by the fake engine's length) ended before the first number.
    assert start >= 2.0


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_renders_speech_to_a_wav(tmp_path):
    path = tmp_path / "cue.wav"
    EspeakEngine().to_wav("Hold. Ten seconds left.", path)
    with wave.open(str(path)) as w:
        duration_s = w.getnframes() / w.getframerate()
    assert 0.5 < duration_s < 10


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_each_countdown_and_last_seconds_cue_fits_in_its_second():
    # Measured with espeak-ng: a number said once a second must end before the next.
    engine = EspeakEngine()
    for cue in ("3", "2", "1", "Go.", "5", "4"):
        assert engine.length_s(cue) < 0.9, cue
    # The old single utterance did not fit the 3 s countdown it accompanied.
    assert engine.length_s("Good. Get ready: 3, 2, 1, go.") > 3.0


def test_a_timed_step_says_its_instruction_and_length_and_never_camera_advice(caplog):
    import logging

    from formcoach.run_options import TIMED

    clock, engine = Clock(), FakeEngine()
    voice = Voice(engine, clock=clock)
    poses = [make_pose(plank_points(), view="front")] * 100  # a view nothing could judge

    def frames():
        for i in range(len(poses)):
            clock.t = i / 10
            yield Frame(np.full((2, 2, 3), 120, np.uint8), i / 10, i)
            voice.wait_idle()

    live = LiveOptions(setup_check=False, window=False, duration_s=30.0, title="March in place",
                       instruction="march on the spot, arms swinging")  # fmt: skip
    with caplog.at_level(logging.INFO, logger="formcoach.sinks.voice"):
        replay_poses(TIMED, poses, frames(), services=Services(voice=voice), mode="live", live=live)
    voice.close()
    assert engine.said == ["March in place. march on the spot, arms swinging. 30 seconds."]


def test_targets_are_said_in_words():
    from formcoach.exercises.summary import Target
    from formcoach.sinks.voice import dose_in_words

    assert dose_in_words(Target(reps=10, per_side=True)) == "10 reps per side"
    assert dose_in_words(Target(hold_s=30.0)) == "hold 30 seconds"
    assert dose_in_words(Target(reps=10, hold_s=5.0)) == "10 reps, hold 5 seconds"


def test_every_rep_of_a_real_lunge_set_is_counted_aloud():
    # lunge_01: 8 complete lunges about 2 s apart (MANIFEST), each said as it ends. The
    # voice's clock stands still here, the harshest case: every count comes within the
    # voice's 3 s gap of the utterance before it, so only a forced cue gets through.
    from tests.replay import replay

    engine = FakeEngine()
    voice = Voice(engine, clock=Clock())
    queue_then_wait = voice.say

    def say(*args, **kwargs):  # each queued cue is spoken before the next frame
        queued = queue_then_wait(*args, **kwargs)
        voice.wait_idle()
        return queued

    voice.say = say
    replay("lunge", "lunge_01", services=Services(voice=voice), mode="live",
           live=LiveOptions(setup_check=False, window=False))  # fmt: skip
    voice.close()
    counts = [s for s in engine.said if s.startswith(("left ", "right "))]
    assert len(counts) == 8  # the manifest's 8; which leg led is not in the truth
    for side in ("left", "right"):  # each side counted 1, 2, 3, ... with none skipped
        said = [int(c.split()[1]) for c in counts if c.startswith(side)]
        assert said == list(range(1, len(said) + 1))
