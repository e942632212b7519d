"""What the live coach says, and when, on a cached track: the cue log of a replayed set.

The voice's lengths are measured with espeak-ng (nothing is played); its clock follows the
replayed frames, so throttling happens as in a live set. Usage:
    PYTHONPATH=src:. python scripts/voice_schedule.py plank_03 plank
    PYTHONPATH=src:. python scripts/voice_schedule.py lunge_01 lunge
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from tests.conftest import TRACKS
from tests.goldens import SAMPLE_TRACKS
from tests.replay import replay

import formcoach.assembly as assembly
from formcoach.assembly import LiveOptions, Services
from formcoach.coach.voice import EspeakEngine, Voice
from formcoach.pose.tracks import Track


class Silent:
    """Speaks nothing; says how long espeak-ng would take."""

    def __init__(self) -> None:
        self.espeak = EspeakEngine()

    def speak(self, text: str) -> None:
        pass

    def length_s(self, text: str) -> float:
        return self.espeak.length_s(text)


class FrameClock:
    t = 0.0

    def __call__(self) -> float:
        return self.t

    # A sink: the clock reads each frame's time before the voice sink sees it.
    def write(self, result: Any) -> None:
        self.t = result.frame.timestamp_s

    def close(self, *args: Any) -> None:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("track", help="a cached track: tests/data/tracks or the sample tracks")
    parser.add_argument("exercise")
    args = parser.parse_args()
    folder = TRACKS if (TRACKS / f"{args.track}.npz").is_file() else SAMPLE_TRACKS
    track = Track.load(folder / f"{args.track}.npz")
    clock = FrameClock()
    voice = Voice(Silent(), clock=clock)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    logging.getLogger().handlers[0].addFilter(lambda r: r.name == "formcoach.sinks.voice")
    live_sinks = assembly.live_sinks
    assembly.live_sinks = lambda *a, **k: [clock, *live_sinks(*a, **k)]  # type: ignore[assignment]
    replay(args.exercise, track, services=Services(voice=voice), mode="live",
           live=LiveOptions(setup_check=False, window=False))  # fmt: skip
    voice.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
