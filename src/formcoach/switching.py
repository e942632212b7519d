"""Which exercise is going on, decided frame by frame as the labels come: the one
segmenter of `analyze --exercise auto` and `live --exercise auto`.

The recogniser labels every frame from the window ending at it (`recognition.Recognizer`).
A label alone never switches the part going on. The part switches to another exercise
once, over the last `confirm_s` seconds, that exercise holds `share` of the frames given
any exercise's label and at least `evidence` of all frames, for at least `evidence` of
those seconds; it switches to `none` (standing, resting, moving between) once `none`
holds `share` of all frames. A part that is an exercise lasts at least `confirm_s`. The new part
starts at its label's first frame in those seconds, and the old one ends there. A label
that flickers, or two that alternate, keep the part that was going on: near a
signature's threshold the last decision stands.

Where, for `unsure_s` seconds, an exercise is going on (exercises' labels hold `share` of
all frames) but no one exercise's label holds and the part going on is not among them
(a set-up passing through two postures takes a few seconds), the part is `not_sure`:
shown, with the exercises its labels named, and not analysed. An avoid-list movement
(`SwitchConfig.warnings`) is named on `warn_share` of the labelled frames instead of
`share`: where it is a close call, the person is warned rather than coached through it.

Deciding only on what has been seen lets a live session switch on the very frame an
offline run does. Each part's analyzer sees the frames from `from_s` to `to_s`: up to
`lead_s` before its start where nothing was going on (the movement that named it began
up to a recognition window earlier), and on to the frame its successor was decided,
which is where a live session can stop it.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass, field

NONE = "none"  # no exercise of the catalog (standing, resting, moving between)
NOT_SURE = "not_sure"  # an exercise is going on, but which one is not clear: not analysed


@dataclass(frozen=True, slots=True)
class Segment:
    """One part of a recording: its exercise from `start_s` to `end_s`; its analyzer sees
    the frames from `from_s` to `to_s` (both included)."""

    exercise: str
    start_s: float
    end_s: float
    from_s: float
    to_s: float
    named_s: float  # when the part was decided
    candidates: tuple[str, ...] = ()  # a not_sure part's exercises, most seen first

    @property
    def analysed(self) -> tuple[float, float]:
        return self.from_s, self.to_s


@dataclass(frozen=True, slots=True)
class SwitchConfig:
    confirm_s: float = 3.0  # a part lasts this long before the next is decided
    share: float = 0.8  # of those seconds' frames given an exercise, in the new one
    evidence: float = 0.5  # of all those seconds' frames, in the new exercise
    lead_s: float = 2.5  # the recogniser's window (`RecognizerConfig.window_s`)
    unsure_s: float = 6.0  # mixed labels this long, none named: not sure (two windows)
    # Avoid-list movements are named on half the labelled frames: a close call warns.
    warn_share: float = 0.5
    warnings: frozenset[str] = frozenset()
    # A posture held still (bracing: lying on the back, nothing moving) is also what
    # every movement of that posture looks like between reps: it replaces an exercise
    # only once it has held over unsure_s, longer than a rest between reps.
    at_rest: frozenset[str] = frozenset()


@dataclass
class Switcher:
    """Feed `update(t_s, label)` in time order; `current` is the part going on and
    `segments()` every part so far, the one going on ending at the last frame."""

    config: SwitchConfig = field(default_factory=SwitchConfig)
    current: str = NONE
    closed: list[Segment] = field(default_factory=list)
    _start_s: float | None = None
    _from_s: float = 0.0
    _named_s: float = 0.0
    _analysed_to_s: float = -math.inf  # the last frame an exercise part's analyzer saw
    _last_s: float = 0.0
    _longer: deque[tuple[float, str]] = field(default_factory=deque)  # the last unsure_s
    _recent: list[tuple[float, str]] = field(default_factory=list)  # the last confirm_s
    _seen: Counter[str] = field(default_factory=Counter)  # labels of the part going on

    @property
    def started_s(self) -> float | None:
        """When the part going on started (None before the first frame)."""
        return self._start_s

    @property
    def analysed_from_s(self) -> float:
        """The first frame the analyzer of the part going on sees."""
        return self._from_s

    def candidates(self) -> tuple[str, ...]:
        """The exercises the part going on's labels named, most seen first (two)."""
        named = [(n, label) for label, n in self._seen.items() if label not in (NONE, NOT_SURE)]
        return tuple(label for _, label in sorted(named, reverse=True)[:2])

    def update(self, t_s: float, label: str) -> str:
        """The part going on after this frame (switched if the label has held)."""
        if self._start_s is None:
            self._start_s = self._from_s = self._named_s = t_s
        self._last_s = t_s
        self._longer.append((t_s, label))
        self._seen[label] += 1
        while t_s - self._longer[0][0] > self.config.unsure_s:
            self._longer.popleft()
        self._recent = [(t, seen) for t, seen in self._longer if t_s - t <= self.config.confirm_s]
        held = self._held(label, t_s) if label != self.current else None
        if held is not None:
            self._switch(label, held, t_s)
        elif self._unsure(t_s):
            going_on = self.current
            first = next(t for t, seen in self._longer if seen not in (going_on, NONE))
            self._switch(NOT_SURE, first, t_s)
        return self.current

    def _lasted(self, t_s: float) -> bool:
        assert self._start_s is not None
        return t_s - self._start_s >= self.config.confirm_s * 0.999

    def _held(self, label: str, t_s: float) -> float | None:
        """Where the label starts, if it holds over the last confirm_s seconds (None if
        not). An exercise that was going on is kept at least that long; from nothing (or
        not sure), an exercise is named as soon as its label has held for `evidence` of
        those seconds."""
        window, recent = self.config.confirm_s, self._recent
        from_exercise = self.current not in (NONE, NOT_SURE)
        if label in self.config.at_rest and from_exercise:  # a rest between reps?
            if self._start_s is None or t_s - self._start_s < self.config.unsure_s * 0.999:
                return None
            window, recent = self.config.unsure_s, list(self._longer)
        if label == NOT_SURE or ((label == NONE or from_exercise) and not self._lasted(t_s)):
            return None
        same = sum(seen == label for _, seen in recent)
        first = next(t for t, seen in recent if seen == label)
        if label == NONE:
            return first if same >= self.config.share * len(recent) else None
        labelled = sum(seen != NONE for _, seen in recent)
        share = self.config.warn_share if label in self.config.warnings else self.config.share
        enough = same >= self.config.evidence * len(recent)
        lasted = t_s - first >= self.config.evidence * window * 0.999
        return first if enough and lasted and same >= share * labelled else None

    def _unsure(self, t_s: float) -> bool:
        """Over a full unsure_s, exercises' labels hold `share` of the frames and the
        part going on's under the rest; no one label held (else it was named)."""
        assert self._start_s is not None
        full = self.config.unsure_s * 0.999  # the part going on and the labels span it
        if self.current == NOT_SURE or t_s - self._start_s < full:
            return False
        if t_s - self._longer[0][0] < full:
            return False
        labelled = sum(seen != NONE for _, seen in self._longer)
        if labelled < self.config.share * len(self._longer):
            return False
        going_on = sum(seen == self.current for _, seen in self._longer)
        return going_on < (1.0 - self.config.share) * labelled

    def _switch(self, label: str, at_s: float, decided_s: float) -> None:
        assert self._start_s is not None
        if at_s > self._start_s:
            self.closed.append(self._segment(at_s, decided_s))
        lead = self.config.lead_s if self.current in (NONE, NOT_SURE) else 0.0
        if self.current not in (NONE, NOT_SURE):
            self._analysed_to_s = decided_s
        # The lead reaches back over nothing going on, never into frames the exercise
        # before it analysed (they would count twice).
        after = self._analysed_to_s + 1e-6
        self._from_s = min(at_s, max(self._start_s, at_s - lead, after))
        self.current, self._start_s, self._named_s = label, at_s, decided_s
        self._seen = Counter(seen for t, seen in self._longer if t >= at_s)

    def _segment(self, end_s: float, to_s: float) -> Segment:
        assert self._start_s is not None
        unsure = self.candidates() if self.current == NOT_SURE else ()
        return Segment(
            self.current, self._start_s, end_s, self._from_s, to_s, self._named_s, unsure
        )

    def segments(self) -> list[Segment]:
        if self._start_s is None:
            return []
        return [*self.closed, self._segment(self._last_s, self._last_s)]


def segment_labels(
    labels: list[tuple[float, str]], config: SwitchConfig | None = None
) -> list[Segment]:
    """The parts of a labelled recording, as a live session would have switched them."""
    switcher = Switcher(config or SwitchConfig())
    for t_s, label in labels:
        switcher.update(t_s, label)
    return switcher.segments()
