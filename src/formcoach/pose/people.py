"""Other people in view, two ways; this module holds `PersonTracker`, which follows one
person among everyone found on a frame.

The default (one person): MediaPipe follows one person from frame to frame itself, and a
separate check counts everyone in view once a second (`crowd_log.CrowdLog` turns those
checks into the report's lines). While a check sees someone else, everyone is found on
every frame and `PersonTracker` (below), started on the person followed, keeps them
(`crowd_switch.py`); alone, the coached person's landmarks never depend on the check.

With `--people 2` or more, MediaPipe returns everyone on every frame and `PersonTracker`
chooses whom to coach: a simple track by position and size continuity, not "the largest
one in each frame" (which jumps between two people of similar size, or to someone walking
past close to the camera).

The first person followed is the largest one doing the exercise's posture (its `trunk`:
upright or lying; the largest of all when nobody is, or the exercise names none), so
the one on the mat is coached, not someone larger standing beside them; if the one
followed stays out of that posture for `refit_s` while someone else is in it all along,
that one is picked instead (the person on the mat found later). From then on,
each frame's candidate closest in position (in body sizes) and size (log ratio) to the
last followed box is the same person, unless it is closer still to someone else last
seen beside them; if no candidate qualifies, the followed person is not in view (None),
even if someone else is.
After `reacquire_s` without them, they are picked again the same way.
Frames where the choice was a close call are counted, so the report can say so. Bodies
are compared as boxes (`boxes.py`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from formcoach.pose.boxes import Box, body_cost


@dataclass(frozen=True, slots=True)
class TrackConfig:
    # A candidate is the followed person if it moved less than one body size since the last
    # frame it was seen and its size changed by less than e (log ratio 1): at 24-30 fps a
    # person moves a few percent of their size per frame, a different person is usually
    # elsewhere or of another size.
    max_cost: float = 1.0
    # ... and less than this plus `max_speed` body sizes per second since then: a body
    # seen a frame ago is within a quarter of its size of where it was (MediaPipe's
    # jitter, a box that grows as more of the body is found), and people move at most
    # about 1.5 body sizes a second (a brisk walk is under one), so someone passing in
    # front of a person the detector lost for a moment is not taken for them.
    step_cost: float = 0.25
    max_speed: float = 1.5
    # Two candidates whose costs differ by less than this are a close call (ambiguous).
    ambiguous_margin: float = 0.3
    # At the first pick, a runner-up this close in area to the largest makes it ambiguous.
    similar_area: float = 0.7
    # Gone this long, the followed person is picked again as the largest one in view.
    reacquire_s: float = 2.0
    # Never in the exercise's posture since picked, for this long, while someone else in
    # view was in it the whole time: the followed person was the wrong pick (someone
    # standing by when the person on the mat was not yet found), and the one in the
    # posture is picked instead. Someone who was in it and stands up to rest is kept.
    refit_s: float = 1.0
    refit_gap_s: float = 0.5  # a gap this short in "all along" is bridged

    def limit(self, since_s: float) -> float:
        """The largest `body_cost` of the same body `since_s` after it was last seen."""
        return min(self.max_cost, self.step_cost + self.max_speed * since_s)


class PersonTracker:
    """Chooses the followed person among each frame's candidates (see the module doc)."""

    def __init__(self, config: TrackConfig | None = None) -> None:
        self.config = config or TrackConfig()
        self._last: Box | None = None
        self._others: list[Box] = []  # the other people in the last frame with anyone
        self._last_seen_s = -math.inf
        self.frames = 0
        self.frames_crowded = 0  # more than one person in view
        self.frames_ambiguous = 0  # the choice was a close call
        self.picks: list[float] = []  # times the followed person was (re)picked by size
        self.refits: list[float] = []  # times the pick moved to the one in the posture
        self._others_fit_since: float | None = None  # others in the posture, not followed
        self._followed_fit = False  # the followed person was in the posture since picked
        self._others_fit_last_s = -math.inf

    def follow(self, box: Box, t_s: float) -> None:
        """Go on following a person someone else picked (one-person tracking, when others
        come into view): `box`, last seen at `t_s`."""
        self._last, self._last_seen_s = box, t_s
        self._followed_fit = False
        self._others_fit_since = None
        self.picks.append(t_s)

    def _picking(self, t_s: float) -> bool:
        """Whether the next `choose` at `t_s` picks someone afresh."""
        return self._last is None or t_s - self._last_seen_s > self.config.reacquire_s

    def choose(
        self, boxes: Sequence[Box], t_s: float, fits: Sequence[bool] | None = None
    ) -> int | None:
        """Index of the followed person in `boxes`, or None when they are not in view.
        `fits`: per box, whether that person is in the exercise's posture (None: the
        exercise names none, or one person in view)."""
        self.frames += 1
        self.frames_crowded += len(boxes) > 1
        if not boxes:
            return None
        index: int | None
        last = self._last
        if last is None or self._picking(t_s):
            index = self._pick(boxes, t_s, fits)
        else:
            index = self._follow(boxes, last, t_s)
            if self._wrong_pick(index, fits, t_s):
                index = self._pick(boxes, t_s, fits)
                self.picks.pop()  # not lost: a better pick, said apart
                self.refits.append(t_s)
        self._others = [b for i, b in enumerate(boxes) if i != index]
        if index is not None:
            self._last, self._last_seen_s = boxes[index], t_s
        return index

    def _wrong_pick(self, index: int | None, fits: Sequence[bool] | None, t_s: float) -> bool:
        """Whether the followed person, never in the exercise's posture since picked, has
        been out of it for `refit_s` while someone else in view was in it all along."""
        if fits is not None and index is not None and fits[index]:
            self._followed_fit = True
        others_fit = (
            fits is not None
            and index is not None
            and not self._followed_fit
            and any(fit for i, fit in enumerate(fits) if i != index)
        )
        if not others_fit:
            # a frame or two without them (the detector missing a body on the floor)
            # does not break "all along"
            if t_s - self._others_fit_last_s > self.config.refit_gap_s:
                self._others_fit_since = None
            return False
        self._others_fit_last_s = t_s
        if self._others_fit_since is None:
            self._others_fit_since = t_s
        if t_s - self._others_fit_since < self.config.refit_s:
            return False
        self._others_fit_since = None
        return True

    def _pick(self, boxes: Sequence[Box], t_s: float, fits: Sequence[bool] | None) -> int:
        """The largest person in the exercise's posture, else the largest."""
        pool = [i for i, fit in enumerate(fits or ()) if fit] or list(range(len(boxes)))
        areas = [boxes[i].area_norm for i in pool]
        index = pool[int(np.argmax(areas))]
        self._followed_fit = fits is not None and fits[index]
        self._others_fit_since = None
        self.picks.append(t_s)
        if len(pool) > 1:
            runner_up = sorted(areas)[-2]
            if runner_up >= self.config.similar_area * boxes[index].area_norm:
                self.frames_ambiguous += 1
        return index

    def _follow(self, boxes: Sequence[Box], last: Box, t_s: float) -> int | None:
        limit = self.config.limit(t_s - self._last_seen_s)
        costs = [body_cost(b, last) for b in boxes]
        order = [int(i) for i in np.argsort(costs)]
        eligible = [
            i
            for i in order
            if costs[i] <= limit
            and all(costs[i] <= body_cost(boxes[i], other) for other in self._others)
        ]
        if not eligible:
            return None
        best = eligible[0]
        runner_up = min((c for i, c in enumerate(costs) if i != best), default=math.inf)
        if runner_up - costs[best] < self.config.ambiguous_margin:
            self.frames_ambiguous += 1
        return best

    def warnings(self) -> list[str]:
        """What the report should say about other people in view (nothing if alone)."""
        if not self.frames_crowded:
            return []
        return [
            f"more than one person was in view in {self.frames_crowded / self.frames:.0%} of "
            "frames: the person followed is the largest one in the exercise's posture when "
            "first seen, then kept by position and size",
            *self.notes(),
        ]

    def notes(self) -> list[str]:
        """What went wrong or was uncertain in following the person (the warnings' lines
        after the first)."""
        out = []
        if self.frames_ambiguous:
            out.append(
                f"in {self.frames_ambiguous} frame(s) it was ambiguous who was being coached "
                "(people of similar size, or close together): check that the counts are yours"
            )
        if self.refits:
            out.append(
                f"at {times_listed(self.refits)} s the person followed changed to the one "
                "doing the exercise's posture (someone else was in view first)"
            )
        if len(self.picks) > 1:
            out.append(
                "the followed person was lost and picked again (at "
                f"{times_listed(self.picks[1:])} s) with "
                "other people around: it may be someone else from then on"
            )
        return out


def times_listed(times: Sequence[float], limit: int = 5) -> str:
    """The first `limit` times, to a tenth of a second, for a report's line."""
    return ", ".join(f"{t:.1f}" for t in times[:limit])
