"""Which person is being coached when the camera sees several: a simple track by position
and size continuity, not "the largest one in each frame" (which jumps between two people
of similar size, or to someone walking past close to the camera).

The first person followed is the largest one. From then on, each frame's candidate
closest in position (in body sizes) and size (log ratio) to the last followed box is the
same person, unless it is closer still to someone else last seen beside them; if no
candidate qualifies, the followed person is not in view (None), even if someone else is.
After `reacquire_s` without them, the largest person is picked again.
Frames where the choice was a close call are counted, so the report can say so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from formcoach.types import FloatArray


@dataclass(frozen=True, slots=True)
class Box:
    """A body's extent in normalised image coordinates (0-1 across width and height)."""

    cx_norm: float
    cy_norm: float
    w_norm: float
    h_norm: float

    @property
    def size_norm(self) -> float:
        """One number for how big the body looks: its larger side."""
        return max(self.w_norm, self.h_norm, 1e-6)

    @property
    def area_norm(self) -> float:
        return max(self.w_norm * self.h_norm, 1e-12)


def box_of(image_norm: FloatArray) -> Box:
    """The bounding box of a pose's image landmarks (N, 3); non-finite points are ignored."""
    xy = image_norm[:, :2]
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) == 0:
        return Box(0.5, 0.5, 0.0, 0.0)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    (cx, cy), (w, h) = (lo + hi) / 2, hi - lo
    return Box(float(cx), float(cy), float(w), float(h))


@dataclass(frozen=True, slots=True)
class TrackConfig:
    # A candidate is the followed person if it moved less than one body size since the last
    # frame it was seen and its size changed by less than e (log ratio 1): at 24-30 fps a
    # person moves a few percent of their size per frame, a different person is usually
    # elsewhere or of another size.
    max_cost: float = 1.0
    # Two candidates whose costs differ by less than this are a close call (ambiguous).
    ambiguous_margin: float = 0.3
    # At the first pick, a runner-up this close in area to the largest makes it ambiguous.
    similar_area: float = 0.7
    # Gone this long, the followed person is picked again as the largest one in view.
    reacquire_s: float = 2.0


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

    def choose(self, boxes: Sequence[Box], t_s: float) -> int | None:
        """Index of the followed person in `boxes`, or None when they are not in view."""
        self.frames += 1
        self.frames_crowded += len(boxes) > 1
        if not boxes:
            return None
        index: int | None
        if self._last is None or t_s - self._last_seen_s > self.config.reacquire_s:
            index = self._pick_largest(boxes, t_s)
        else:
            index = self._follow(boxes, self._last)
        self._others = [b for i, b in enumerate(boxes) if i != index]
        if index is not None:
            self._last, self._last_seen_s = boxes[index], t_s
        return index

    def _pick_largest(self, boxes: Sequence[Box], t_s: float) -> int:
        areas = [b.area_norm for b in boxes]
        index = int(np.argmax(areas))
        self.picks.append(t_s)
        if len(boxes) > 1:
            runner_up = sorted(areas)[-2]
            if runner_up >= self.config.similar_area * areas[index]:
                self.frames_ambiguous += 1
        return index

    def _follow(self, boxes: Sequence[Box], last: Box) -> int | None:
        costs = [_cost(b, last) for b in boxes]
        order = [int(i) for i in np.argsort(costs)]
        eligible = [
            i
            for i in order
            if costs[i] <= self.config.max_cost
            and all(costs[i] <= _cost(boxes[i], other) for other in self._others)
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
        out = [
            f"more than one person was in view in {self.frames_crowded / self.frames:.0%} of "
            "frames: the person followed is the largest one when first seen, then kept by "
            "position and size"
        ]
        if self.frames_ambiguous:
            out.append(
                f"in {self.frames_ambiguous} frame(s) it was ambiguous who was being coached "
                "(people of similar size, or close together): check that the counts are yours"
            )
        if len(self.picks) > 1:
            times = ", ".join(f"{t:.1f}" for t in self.picks[1:6])
            out.append(
                f"the followed person was lost and picked again by size (at {times} s) with "
                "other people around: it may be someone else from then on"
            )
        return out


def _cost(box: Box, last: Box) -> float:
    moved = math.hypot(box.cx_norm - last.cx_norm, box.cy_norm - last.cy_norm)
    return moved / last.size_norm + abs(math.log(box.size_norm / last.size_norm))
