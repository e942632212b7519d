"""`formcoach live --exercise auto`: the person just starts, and the coach names each part.

One pose estimator watches the whole session. The recogniser labels every frame's raw
pose and the switcher (`formcoach.switching`) decides the part going on, on the very
frames `analyze --exercise auto` decides it on. While nothing is going on a watching step
shows the pose and asks the person to start. Once an exercise is named, its set begins:
announced ("Side plank: hold 10 seconds per side."), coached by that exercise's analyzer
from the frames that named it (kept in a short buffer: `Segment.analysed`), and ended on
the frame the switcher names another part. Each named part is saved as its own set; an
avoid-list movement is warned, as under `analyze --exercise auto`. `q` ends the session,
`n` starts the part going on afresh as a new set. A routine's choice step runs one set:
the first part named among its choices.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain

from formcoach.assembly import Assembly, RunOptions, Services, build, make_estimator
from formcoach.coach.live_session import LiveSession
from formcoach.coach.shared_frames import SharedFrames
from formcoach.exercises.base import Exercise
from formcoach.exercises.summary import Summary, Target
from formcoach.pipeline import INTERRUPTED, Sink, StopRequested
from formcoach.pose.estimators import PoseEstimator
from formcoach.recognition import Recognizer, switch_config
from formcoach.run_options import TIMED
from formcoach.sinks.voice import VoiceSink
from formcoach.sinks.window import LiveWindowSink
from formcoach.sources.base import SourceInfo
from formcoach.switching import NONE, NOT_SURE, Switcher
from formcoach.types import Event, Frame, FrameResult, Pose, RunStats

log = logging.getLogger(__name__)

WATCHING = "Start any exercise of the program - formcoach names it in a few seconds"


@dataclass
class WatchedEstimator:
    """The session's one estimator, with the recogniser and the switcher fed every new
    frame's raw pose. The last seconds' poses are kept (not their images): a frame it has
    seen, replayed into a new part's analyzer, gets its pose back from them, not from the
    model again."""

    inner: PoseEstimator
    keep_s: float
    recognizer: Recognizer = field(default_factory=lambda: Recognizer(keep_labels=False))
    switcher: Switcher = field(default_factory=lambda: Switcher(switch_config()))
    seen: deque[tuple[int, float, Pose | None]] = field(default_factory=deque)
    newest: Frame | None = None
    # A routine's choice (with the avoid list): other labels read as nothing.
    choices: frozenset[str] | None = None

    def estimate(self, frame: Frame) -> Pose | None:
        if self.seen and frame.index <= self.seen[-1][0]:
            return next((p for i, _, p in self.seen if i == frame.index), None)
        pose = self.inner.estimate(frame)
        t = frame.timestamp_s
        label = self.recognizer.update(pose, t)
        if self.choices is not None and label not in self.choices:
            label = NONE
        self.switcher.update(t, label)
        self.seen.append((frame.index, t, pose))
        self.newest = frame
        while t - self.seen[0][1] > self.keep_s:
            self.seen.popleft()
        return pose

    def since(self, t_s: float) -> list[Frame]:
        """The kept frames from `t_s` on, for a part that starts there, each with the
        newest image (what the camera shows now; the poses are the frames' own)."""
        if self.newest is None:
            return []
        image = self.newest.image_bgr
        return [Frame(image, t, i) for i, t, _ in self.seen if t >= t_s]

    def close(self) -> None:
        """The runner closes `inner` once, at the end of the session."""


class LiveOnly:
    """A sink that shows or says (the window, the voice) kept from the frames a new part
    catches up on: they happened seconds ago, and the screen and the voice are about now.
    The part's report, events and history see every frame."""

    def __init__(self, sink: Sink, after_index: int) -> None:
        self.sink, self.after_index = sink, after_index

    def write(self, result: FrameResult) -> None:
        if result.frame.index > self.after_index:
            self.sink.write(result)

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        self.sink.close(summary, stats, events)


class PartEnds:
    """A sink that ends a set on the frame the switcher names another part."""

    def __init__(self, switcher: Switcher, coaching: str) -> None:
        self.switcher, self.coaching = switcher, coaching

    def write(self, result: FrameResult) -> None:
        if self.switcher.current != self.coaching:
            raise StopRequested(f"switched to {self.switcher.current}")

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        """Nothing kept."""


@dataclass(frozen=True, slots=True)
class AutoPart:
    """One named part of the session: its set as coached."""

    exercise: str
    title: str
    summary: Summary
    target: Target
    start_s: float
    end_s: float
    stop_reason: str
    named_s: float  # when it was named: the set's screen and voice start here
    frames: int  # the frames its analyzer saw (those it caught up on included)


@dataclass
class AutoRunner:
    """`options` are the session's own (model, config, window, voice); each part replaces
    the exercise. `estimator` replaces the model (tests replay a track). A routine's
    choice step gives its `choices` and asks for `one_set`: the first part coached (or `n`
    while watching) ends the run."""

    frames: Iterator[Frame] | SharedFrames  # a routine shares its own
    options: RunOptions
    info: SourceInfo
    services: Services
    estimator: PoseEstimator | None = None
    choices: tuple[str, ...] = ()
    one_set: bool = False
    watching: str = WATCHING  # what the watching step asks
    parts: list[AutoPart] = field(default_factory=list)  # kept if the run is interrupted
    quit_requested: bool = False
    next_requested: bool = False  # `n` while watching, in a routine's choice step
    last_session: LiveSession | None = None  # the last set's (its pain keys)
    last_stop: str = ""  # why the last set ended
    # An `n` key ended a set: (the part's start, the frame it was pressed on); the same
    # part's next set starts after that frame.
    _restart: tuple[float, int] | None = None

    def __post_init__(self) -> None:
        shared = self.frames
        self._shared = shared if isinstance(shared, SharedFrames) else SharedFrames(shared)

    def run(self) -> list[AutoPart]:
        inner = self.estimator if self.estimator is not None else make_estimator(self.options)
        config = switch_config()
        # The poses a part may catch up on: from its start, backdated by up to a confirm
        # time after a lead, or by unsure_s for a posture held still (`switching`).
        keep_s = max(config.confirm_s + config.lead_s, config.unsure_s) + 1.0
        watched = WatchedEstimator(inner, keep_s)
        if self.choices:
            watched.choices = frozenset(self.choices) | config.warnings
        try:
            while not (self.quit_requested or self._shared.exhausted or self._done()):
                current = watched.switcher.current
                if current in (NONE, NOT_SURE):
                    self._watch(watched, current)
                else:
                    self._coach(watched, current)
        finally:
            inner.close()
        return self.parts

    def _done(self) -> bool:
        """A routine's choice step is done once one of its choices was coached (an avoid
        movement is warned, and the step goes on), or on `n`."""
        chosen = any(p.exercise in self.choices for p in self.parts)
        return self.one_set and (chosen or self.next_requested)

    def _build(
        self,
        exercise: str,
        watched: WatchedEstimator,
        going_on: str,
        instruction: str = "",
        title: str = "",
    ) -> Assembly:
        """The set's assembly, ended on the frame the part `going_on` is no longer."""
        live = replace(
            self.options.live,
            setup_check=False,  # watching for the exercise is the set-up
            card_s=0.0,  # the person is moving on: the cards are printed at the end
            instruction=instruction,
            title=title,
        )
        if exercise == TIMED:  # watching lasts until an exercise is named
            live = replace(live, target=None, duration_s=None, stop_after_target_s=None)
        out = self.options.out_dir  # each set's report in its own folder
        if out is not None:
            out = None if exercise == TIMED else f"{out}/parts/{len(self.parts) + 1:02d}_{exercise}"
        options = replace(self.options, exercise=exercise, mode="live", live=live, out_dir=out)
        assembly = build(options, self.info, estimator=watched, services=self.services)
        assembly.sinks.append(PartEnds(watched.switcher, going_on))
        return assembly

    def _run(
        self, assembly: Assembly, frames: Iterator[Frame], watched: WatchedEstimator
    ) -> RunStats:
        stats = assembly.run(frames)
        last = self._shared.last
        if last is not None and (not watched.seen or watched.seen[-1][0] < last.index):
            watched.estimate(last)  # a key ended the set before its frame was perceived
        session = assembly.session
        assert session is not None
        self.last_session, self.last_stop = session, stats.stop_reason or "input ended"
        self.quit_requested = session.quit_requested or stats.stop_reason == INTERRUPTED
        return stats

    def _watch(self, watched: WatchedEstimator, going_on: str) -> None:
        """Nothing named: the pose shown, with what to do (or what it is unsure of)."""
        instruction = self.watching
        titles = [Exercise.registry[n].title for n in watched.switcher.candidates()]
        if going_on == NOT_SURE and titles:
            instruction = f"Not sure: {' or '.join(titles)}? Keep going"
        assembly = self._build(TIMED, watched, going_on, instruction, "Watching")
        self._run(assembly, self._shared.for_a_set(), watched)
        session = assembly.session
        self.next_requested = session is not None and session.next_requested

    def _coach(self, watched: WatchedEstimator, exercise: str) -> None:
        switcher = watched.switcher
        start = switcher.started_s or 0.0
        named = watched.newest.timestamp_s if watched.newest is not None else start
        replay = watched.since(switcher.analysed_from_s)
        if self._restart is not None and self._restart[0] == start:  # `n`: a new set from now
            replay = [f for f in replay if f.index > self._restart[1]]
            start = named = replay[0].timestamp_s if replay else named
        assembly = self._build(exercise, watched, exercise)
        caught_up = replay[-1].index if replay else -1
        assembly.sinks[:] = [
            LiveOnly(s, caught_up) if isinstance(s, LiveWindowSink | VoiceSink) else s
            for s in assembly.sinks
        ]
        stats = self._run(assembly, chain(replay, self._shared.for_a_set()), watched)
        session = assembly.session
        assert session is not None
        if session.next_requested:  # the same part again, from the next frame: a new set
            pressed = self._shared.last.index if self._shared.last is not None else -1
            self._restart = (switcher.started_s or 0.0, pressed)
        if stats.frames == 0:
            return  # ended before its first frame: nothing was coached
        end = switcher.started_s if switcher.current != exercise else stats.last_t_s
        self.parts.append(
            AutoPart(
                exercise,
                assembly.exercise.title,
                assembly.exercise.summary(),
                session.target,
                start,
                end or stats.last_t_s,
                stats.stop_reason or "input ended",
                named,
                stats.frames,
            )
        )
