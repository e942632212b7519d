"""Speech: throttled, off the main thread, newest replaces pending; never crashes."""

from __future__ import annotations

import shutil
import threading
import wave

import numpy as np
import pytest

from formcoach.assembly import LiveOptions, Services
from formcoach.types import Frame
from formcoach.voice import EspeakEngine, Voice, VoiceUnavailable
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


def test_cues_for_a_set_hold_warning_correction_and_completion():
    poses = [make_pose(plank_points(bend_deg=-16))] * 50 + [make_pose(plank_points())] * 330
    clock, engine = Clock(), FakeEngine()
    voice = Voice(engine, clock=clock)

    def frames():
        for i in range(len(poses)):
            clock.t = i / 10
            yield Frame(np.zeros((2, 2, 3), np.uint8), i / 10, i)
            voice.wait_idle()

    replay_poses(
        "plank",
        poses,
        frames(),
        services=Services(voice=voice),
        mode="live",
        live=LiveOptions(setup_check=False, window=False),
    )
    voice.close()
    assert engine.said == [
        "Forearm plank. Go.",
        "lift your hips: make a straight line",
        "Hold.",
        "10 seconds left",
        "Well done. Set complete.",
    ]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_renders_speech_to_a_wav(tmp_path):
    path = tmp_path / "cue.wav"
    EspeakEngine().to_wav("Hold. Ten seconds left.", path)
    with wave.open(str(path)) as w:
        duration_s = w.getnframes() / w.getframerate()
    assert 0.5 < duration_s < 10
