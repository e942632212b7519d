"""What the live coach says, and when: a sink reading frame results (with the session state).

It speaks the countdown, "hold", "10 seconds left", rep counts, the correction shown on
screen, setup instructions, a lost camera and the end of the set. All throttling is the
`Voice`'s: this module only decides what is worth saying.
"""

from __future__ import annotations

from collections.abc import Sequence

from formcoach.exercises.base import Summary
from formcoach.types import Event, FrameResult, RunStats
from formcoach.voice import Voice

HOLD_WARNING_S = 10.0  # "10 seconds left", for holds long enough to need it


class VoiceSink:
    def __init__(self, voice: Voice, title: str) -> None:
        self.voice, self.title = voice, title
        self._phase: str | None = None
        self._reps = (0, 0, 0)
        self._holding = self._warned = self._met = False
        self._status = ""

    def write(self, result: FrameResult) -> None:
        state = result.session
        if state is None:
            return
        say = self.voice.say
        self.voice.muted = state.muted
        if state.source_status and not self._status:
            say("The camera is disconnected. Trying to reconnect.", force=True)
        self._status = state.source_status
        if state.phase != self._phase:
            if state.phase == "countdown":
                say("Good. Get ready: 3, 2, 1, go.", force=True)
            elif state.phase == "active" and self._phase is None:
                say(f"{self.title}. Go.", force=True)
            self._phase = state.phase
        if state.phase == "setup" and state.setup is not None and state.setup.message:
            say(state.setup.message, key=f"setup:{state.setup.problem}")
        if state.phase != "active" or state.paused:
            return
        v, target = result.verdict, state.target
        reps = (v.reps_left, v.reps_right, v.reps_unsided)
        if sum(reps) > sum(self._reps):
            side = (
                "left " if reps[0] > self._reps[0] else "right " if reps[1] > self._reps[1] else ""
            )
            count = reps[0] if side == "left " else reps[1] if side == "right " else reps[2]
            say(f"{side}{count}", key=f"rep:{side}{count}")
        self._reps = reps
        if v.holding and v.hold_s < 3.0 and not self._holding:  # retried if throttled
            self._holding = say("Hold.", key="hold")
        elif not v.holding:
            self._holding = False
        left = target.hold_s - v.hold_s
        long_hold = target.hold_s > 2 * HOLD_WARNING_S
        if v.holding and long_hold and 0 < left <= HOLD_WARNING_S and not self._warned:
            self._warned = say(f"{HOLD_WARNING_S:.0f} seconds left", force=True)
        if state.target_met and not self._met:
            self._met = say("Well done. Set complete.", force=True)
        if state.correction:  # repeated while shown; the voice's throttle spaces it out
            say(state.correction, key=state.correction)

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        if self._phase == "active" and not self._met:
            self.voice.say("End of set.", force=True)
