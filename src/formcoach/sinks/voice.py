"""What the live coach says, and when: a sink reading frame results (with the session state).

For someone lying on a mat who cannot see the screen: each step's instruction at its start
(what to do, for how long), the countdown's numbers when the screen shows them, "go",
rep counts, a hold counted up every `HOLD_COUNT_EVERY_S` and its last five seconds
counted down, the correction shown on screen, setup instructions, a lost camera and the
end of the set. A countdown number is said only if the voice is free when the screen shows
it (speech lengths are measured, `Voice.length_s`): late is worse than silent. Every cue is
logged with its time (`formcoach -v`). Throttling is the `Voice`'s.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence

from formcoach.coach.voice import Voice
from formcoach.exercises.summary import Summary, Target
from formcoach.types import Event, FrameResult, LiveState, RunStats

log = logging.getLogger(__name__)

HOLD_COUNT_EVERY_S = 10.0  # "10 seconds", "20 seconds" while holding
HOLD_LAST_S = 5  # the last seconds of a hold target, counted down one by one


def dose_in_words(target: Target) -> str:
    """The target as said aloud: "10 reps per side", "hold 30 seconds"."""
    if not (target.reps or target.hold_s):
        return ""
    return re.sub(r"(\d) s\b", r"\1 seconds", target.describe())


def spoken(instruction: str) -> str:
    """An on-screen instruction as a sentence: "rest - next: plank; press 0-9" reads
    "rest. next: plank. press 0-9"."""
    return instruction.replace(" - ", ". ").replace("; ", ". ")


class VoiceSink:
    def __init__(self, voice: Voice, title: str, timed: bool = False) -> None:
        self.voice, self.title, self.timed = voice, title, timed
        self._phase: str | None = None
        self._reps = (0, 0, 0)
        self._holding = self._met = False
        self._status = ""
        self._counted: set[str] = set()
        self._last_said: tuple[float, str] | None = None  # (time, text) of the last cue
        self._t = 0.0

    def _say(self, text: str, key: str | None = None, force: bool = False) -> bool:
        said = self.voice.say(text, key=key, force=force)
        if said:
            log.info("cue at %.2f s: %s", self._t, text)
            self._last_said = (self._t, text)
        return said

    def _voice_free(self) -> bool:
        """The last cue has been said by now. Its length is measured here, during the
        countdown only, not for every cue in the middle of a set (espeak-ng renders it)."""
        if self._last_said is None:
            return True
        at, text = self._last_said
        return self._t >= at + self.voice.length_s(text)

    def _once(self, key: str, text: str) -> None:
        if key not in self._counted and self._say(text, key=f"{id(self)}:{key}", force=True):
            self._counted.add(key)

    def write(self, result: FrameResult) -> None:
        state = result.session
        if state is None:
            return
        self._t = result.frame.timestamp_s
        self.voice.muted = state.muted
        if state.source_status and not self._status:
            self._say("The camera is disconnected. Trying to reconnect.", force=True)
        self._status = state.source_status
        if self._phase is None:
            self._announce(state)
        if state.phase != self._phase:
            if state.phase == "active" and self._phase == "countdown":
                self._say("Go.", key=f"{id(self)}:go", force=True)
            self._phase = state.phase
        if state.phase == "countdown":
            n = math.ceil(state.countdown_s)
            if 1 <= n <= 3 and f"count:{n}" not in self._counted and self._voice_free():
                self._once(f"count:{n}", str(n))
        if state.phase == "setup" and state.setup is not None and state.setup.message:
            self._say(state.setup.message, key=f"setup:{state.setup.problem}")
        if state.phase != "active" or state.paused:
            return
        self._counts(result, state)
        if state.target_met and not self._met:
            self._met = self._say("Well done. Set complete.", force=True)
        if state.correction:  # repeated while shown; the voice's throttle spaces it out
            self._say(state.correction, key=state.correction)

    def _announce(self, state: LiveState) -> None:
        """The step's instruction at its start: what to do, and for how long."""
        if self.timed:
            what = spoken(state.instruction) or self.title
            if state.time_left_s is None:  # open-ended: watching for an exercise
                self._say(f"{self.title}. {what}.", force=True)
                return
            total = state.time_left_s + state.set_elapsed_s
            self._say(f"{self.title}. {what}. {total:.0f} seconds.", force=True)
            return
        dose = dose_in_words(state.target)
        go = " Go." if state.phase == "active" else ""
        self._say(f"{self.title}: {dose}.{go}" if dose else f"{self.title}.{go}", force=True)

    def _counts(self, result: FrameResult, state: LiveState) -> None:
        v, target = result.verdict, state.target
        reps = (v.reps_left, v.reps_right, v.reps_unsided)
        if sum(reps) > sum(self._reps):
            side = (
                "left " if reps[0] > self._reps[0] else "right " if reps[1] > self._reps[1] else ""
            )
            count = reps[0] if side == "left " else reps[1] if side == "right " else reps[2]
            # Every rep is said (a count is short, reps come every 2 s or so): forced past
            # the voice's gap between utterances, never past the same-message gap.
            self._say(f"{side}{count}", key=f"rep:{side}{count}", force=True)
        self._reps = reps
        if v.holding and v.hold_s < 3.0 and not self._holding:  # retried if throttled
            self._holding = self._say("Hold.", key="hold")
        elif not v.holding:
            self._holding = False
            self._counted = {k for k in self._counted if not k.startswith("hold")}
            return
        left = target.hold_s - v.hold_s
        if target.hold_s >= 2 * HOLD_LAST_S and 0 < left <= HOLD_LAST_S:
            self._once(f"hold-left:{math.ceil(left)}", str(math.ceil(left)))
        elif v.hold_s >= HOLD_COUNT_EVERY_S and (not target.hold_s or left > HOLD_LAST_S):
            n = int(v.hold_s // HOLD_COUNT_EVERY_S * HOLD_COUNT_EVERY_S)
            self._once(f"hold-up:{n}", f"{n} seconds")

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        if self._phase == "active" and not self._met and not self.timed:
            self._say("End of set.", force=True)
