"""One person's body from frame to frame: a guard on MediaPipe's own tracking.

With one person (the default), MediaPipe follows whoever it found, and when someone walks
in front of the person coached it can move to them. This stage compares each pose with
the last one it let through, as `people.PersonTracker` compares candidates: the median
distance of the body joints from where they were, in body sizes, against what a person
can move in the time since (a quarter of their size for MediaPipe's jitter, plus
`max_speed` body sizes a second). A pose that jumped further is someone else, and the
analyzer is told nobody is in view (holds bridge a short absence), unless it is in the
exercise's posture (upright or lying, `Exercise.trunk`): then the person coached moved,
or the camera cut, and it is let through at once. After `reacquire_s` of someone else,
the new body is followed and the report says so.

It works on poses alone, so a replayed track goes through it exactly as a live run does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from formcoach.pose.boxes import Box, body_cost, box_of
from formcoach.pose.people import TrackConfig, times_listed
from formcoach.types import Pose

Verdict = Literal["same", "moved", "new", "other"]


@dataclass(frozen=True, slots=True)
class Jump:
    """What `BodyContinuity.update` decided for a frame."""

    pose: Pose | None  # the pose let through, or None (someone else)
    restart: bool  # a new body is followed from here (a cut, a move, a re-pick)


class BodyContinuity:
    """Lets through the poses of the body being followed (see the module doc)."""

    def __init__(
        self, fits: Callable[[Pose], bool] | None = None, config: TrackConfig | None = None
    ) -> None:
        self.config = config or TrackConfig()
        self.fits = fits
        self._last: Box | None = None
        self._last_s = -math.inf
        self.others: list[tuple[float, float]] = []  # someone else let out: (start, end)
        self.repicks: list[float] = []  # someone else followed after reacquire_s

    def reset(self) -> None:
        self._last, self._last_s = None, -math.inf

    def update(self, pose: Pose | None, t_s: float) -> Jump:
        if pose is None:
            return Jump(None, False)
        box = box_of(pose.image_norm)
        verdict = self._judge(box, pose, t_s)
        if verdict == "other":
            if self._someone_else_since_last():  # the same stretch of someone else
                self.others[-1] = (self.others[-1][0], t_s)
            else:
                self.others.append((t_s, t_s))
            return Jump(None, False)
        if verdict == "new" and self._last is not None and self._someone_else_since_last():
            self.repicks.append(t_s)  # someone else was there all that time
        restart = verdict != "same" and self._last is not None
        self._last, self._last_s = box, t_s
        return Jump(pose, restart)

    def _judge(self, box: Box, pose: Pose, t_s: float) -> Verdict:
        """What `pose` (whose box is `box`) is: the "same" body, "moved" (a jump into
        the exercise's posture: a move or a cut), "new" (the first, or after
        `reacquire_s` without the body) or "other" (someone else)."""
        if self._last is None:
            return "new"
        since = t_s - self._last_s
        if body_cost(box, self._last) <= self.config.limit(since):
            return "same"
        if since > self.config.reacquire_s:
            return "new"
        if self.fits is not None and self.fits(pose):
            return "moved"
        return "other"

    def _someone_else_since_last(self) -> bool:
        return bool(self.others) and self.others[-1][1] >= self._last_s

    def warnings(self) -> list[str]:
        out = []
        if self.others:
            spans = ", ".join(
                f"{a:.1f}" if round(a, 1) == round(b, 1) else f"{a:.1f}-{b:.1f}"
                for a, b in self.others[:5]
            )
            out.append(
                f"at {spans} s the pose found was someone else's (it jumped further than a "
                "person moves): nothing was judged then"
            )
        if self.repicks:
            out.append(
                f"at {times_listed(self.repicks)} s the person followed was someone else for "
                f"over {self.config.reacquire_s:g} s and is followed from then on: it may be "
                "someone else"
            )
        return out
