"""Offline speech: espeak-ng in a subprocess, spoken from a background thread.

A person in pain should not be nagged: `Voice.say` drops an utterance when anything was
said less than `min_gap_s` ago, or the same thing less than `same_gap_s` ago. At most one
utterance waits while another is spoken; a newer one replaces it (the older one is out of
date by then). No engine or no audio device is logged once, never raised into the session.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

INSTALL_HINT = "install espeak-ng (Debian/Ubuntu: sudo apt install espeak-ng) for spoken cues"


class VoiceUnavailable(RuntimeError):
    """No speech engine, or it cannot reach an audio device."""


class SpeechEngine(Protocol):
    def speak(self, text: str) -> None:
        """Say `text` and return when done; raise VoiceUnavailable if it cannot."""


class EspeakEngine:
    """espeak-ng (or the older espeak): fully offline, no Python audio stack needed."""

    def __init__(
        self, executable: str | None = None, voice: str = "en", words_per_minute: int = 150
    ) -> None:
        found = executable or shutil.which("espeak-ng") or shutil.which("espeak")
        if found is None:
            raise VoiceUnavailable(f"no speech engine found: {INSTALL_HINT}")
        self.executable = found
        self.args = ["-v", voice, "-s", str(words_per_minute)]

    def speak(self, text: str) -> None:
        proc = subprocess.run(
            [self.executable, *self.args, "--", text],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        # espeak-ng exits 0 even when ALSA has no device; its stderr says so.
        err = proc.stderr.strip()
        if proc.returncode != 0 or "Unknown PCM" in err or "cannot find card" in err:
            last = err.splitlines()[-1] if err else f"exit code {proc.returncode}"
            raise VoiceUnavailable(f"speech could not be played (no audio device?): {last}")

    def length_s(self, text: str) -> float:
        """How long saying `text` takes, measured: espeak-ng renders it to a WAV file."""
        import tempfile
        import wave

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "cue.wav"
            self.to_wav(text, path)
            with wave.open(str(path)) as w:
                return float(w.getnframes()) / float(w.getframerate())

    def to_wav(self, text: str, path: Path) -> None:
        """Render `text` to a WAV file instead of the speakers."""
        subprocess.run(
            [self.executable, *self.args, "-w", str(path), "--", text],
            capture_output=True,
            timeout=60,
            check=True,
        )


class Voice:
    """Throttled speech from a background thread with a one-utterance mailbox."""

    def __init__(
        self,
        engine: SpeechEngine,
        min_gap_s: float = 3.0,
        same_gap_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.min_gap_s, self.same_gap_s = min_gap_s, same_gap_s
        self.clock = clock
        self.muted = False
        self.available = True
        self.spoken: list[str] = []  # what was actually said, for tests and logs
        self._last_any_s: float | None = None
        self._last_by_key: dict[str, float] = {}
        self._pending: str | None = None
        self._lengths: dict[str, float] = {}
        self._busy = False
        self._closed = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="voice", daemon=True)
        self._thread.start()

    def length_s(self, text: str) -> float:
        """How long `text` takes to say: measured by the engine when it can (espeak-ng),
        else about 0.4 s a word. Cached: cues repeat."""
        if text not in self._lengths:
            measure = getattr(self.engine, "length_s", None)
            try:
                self._lengths[text] = float(measure(text)) if measure else 0.4 * len(text.split())
            except (OSError, subprocess.SubprocessError, EOFError):
                self._lengths[text] = 0.4 * len(text.split())
        return self._lengths[text]

    def say(self, text: str, key: str | None = None, force: bool = False) -> bool:
        """Queue `text` unless muted or throttled (`force` skips the any-speech gap only).
        Returns whether it was queued. `key` groups messages for the same-message gap."""
        if self.muted or not self.available or self._closed:
            return False
        now, key = self.clock(), key or text
        last_same = self._last_by_key.get(key)
        if last_same is not None and now - last_same < self.same_gap_s:
            return False
        if not force and self._last_any_s is not None and now - self._last_any_s < self.min_gap_s:
            return False
        self._last_any_s = self._last_by_key[key] = now
        with self._cond:
            if self._pending is not None:
                log.debug("voice: %r replaced by %r", self._pending, text)
            self._pending = text
            self._cond.notify_all()
        return True

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending is not None or self._closed)
                if self._pending is None:
                    return
                text, self._pending, self._busy = self._pending, None, True
            try:
                self.engine.speak(text)
                self.spoken.append(text)
            except (VoiceUnavailable, OSError, subprocess.SubprocessError) as exc:
                log.warning("voice off: %s", exc)
                self.available = False
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def wait_idle(self, timeout_s: float = 10.0) -> bool:
        """Wait until nothing is pending or being spoken."""
        with self._cond:
            return self._cond.wait_for(lambda: self._pending is None and not self._busy, timeout_s)

    def close(self, finish_s: float = 5.0) -> None:
        """Let the current utterance finish (up to `finish_s`), then stop."""
        self.wait_idle(finish_s)
        with self._cond:
            self._closed = True
            self._pending = None
            self._cond.notify_all()
        self._thread.join(1.0)


def open_voice(enabled: bool) -> Voice | None:
    """The default voice, or None (logged) when disabled or no engine is installed."""
    if not enabled:
        return None
    try:
        return Voice(EspeakEngine())
    except VoiceUnavailable as exc:
        log.warning("%s", exc)
        return None
