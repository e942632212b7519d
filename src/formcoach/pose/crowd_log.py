"""What the once-a-second people checks saw, beside one-person tracking: `CrowdLog`
turns the checks into the report's lines, and `others_in_view` says whether a check found
someone besides the person followed (`crowd_switch.py` looks for everyone while so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from formcoach.pose.boxes import Box, iou, share_inside
from formcoach.pose.people import times_listed


@dataclass(frozen=True, slots=True)
class CrowdConfig:
    # How often the people in view are counted. Once a second notices anyone who stays
    # long enough to matter (a person walking past is seen in one or two checks) and costs
    # one extra model call (~45 ms, on the other core) per second of video.
    every_s: float = 1.0
    # Boxes overlapping this much (intersection over union) are the same person: the check
    # and the tracker see the same body within a few percent. A check that finds a box
    # overlapping the followed one less than this, and mostly outside it, found someone
    # else (`others_in_view`).
    same_person_iou: float = 0.3
    # A box with this share of its area inside the followed one is that body found in part.
    inside_share: float = 0.6
    # Another person at least this large (area, vs the one followed) makes it ambiguous
    # who is coached; the same share as `TrackConfig.similar_area`.
    similar_area: float = 0.7
    # The followed person unseen this long, then found again while others were around,
    # may be someone else (MediaPipe picks anew after losing its person).
    reacquire_s: float = 2.0
    # Checks listed by time in a warning, at most.
    max_times_listed: int = 5


@dataclass
class CrowdLog:
    """What the people checks saw, and what the report should say about it.

    `check` gets the boxes of everyone a check found and the box of the person the main
    estimator follows at that moment (None: nobody followed); `seen` gets every frame's
    followed box, to notice when the followed person was lost and picked again."""

    config: CrowdConfig = field(default_factory=CrowdConfig)
    checks: int = 0
    crowded: list[float] = field(default_factory=list)  # check times with 2+ people
    ambiguous: list[float] = field(default_factory=list)
    reacquired: list[float] = field(default_factory=list)
    _last_seen_s: float | None = None
    _lost_since_s: float | None = None

    def seen(self, followed: Box | None, t_s: float) -> None:
        if followed is None:
            if self._last_seen_s is not None and self._lost_since_s is None:
                self._lost_since_s = self._last_seen_s
            return
        lost = self._lost_since_s
        if lost is not None and t_s - lost > self.config.reacquire_s and self.crowded:
            self.reacquired.append(t_s)
        self._lost_since_s = None
        self._last_seen_s = t_s

    def check(self, boxes: Sequence[Box], followed: Box | None, t_s: float) -> None:
        self.checks += 1
        config = self.config
        if not others_in_view(boxes, followed, config.same_person_iou, config.inside_share):
            return
        self.crowded.append(t_s)
        if followed is None:
            return
        overlaps = [iou(b, followed) for b in boxes]
        me = int(np.argmax(overlaps))
        if overlaps[me] < self.config.same_person_iou:
            return
        area = followed.area_norm
        if any(
            b.area_norm >= self.config.similar_area * area for i, b in enumerate(boxes) if i != me
        ):
            self.ambiguous.append(t_s)

    def _times(self, times: Sequence[float]) -> str:
        shown = times_listed(times, self.config.max_times_listed)
        return shown + (", ..." if len(times) > self.config.max_times_listed else "")

    def warnings(self) -> list[str]:
        if not self.crowded:
            return []
        share = len(self.crowded) / max(self.checks, 1)
        out = [
            f"more than one person was in view in {share:.0%} of the checks (every "
            f"{self.config.every_s:g} s, at {self._times(self.crowded)} s): the person "
            "followed is the one found first (with --people 3, the largest one in the "
            "exercise's posture)"
        ]
        if self.ambiguous:
            out.append(
                f"at {self._times(self.ambiguous)} s it was ambiguous who was being coached "
                "(someone of similar size was in view): check that the counts are yours"
            )
        if self.reacquired:
            out.append(
                f"the followed person was lost and found again at {self._times(self.reacquired)}"
                " s with other people around: it may be someone else from then on"
            )
        return out


def others_in_view(
    boxes: Sequence[Box], followed: Box | None, same_person_iou: float, inside_share: float
) -> bool:
    """Whether `boxes` hold someone besides `followed`: a box overlapping it less than
    `same_person_iou` and lying less than `inside_share` of its area inside it, or two
    boxes when nobody is followed. A box mostly inside the followed one is the same body
    found again in part (crunch_02 from the head: a check finds a torso-sized pose 75-84 %
    inside the followed box, IoU 0.17-0.30); someone else beside, in front of or behind
    the person is mostly outside their box."""
    if followed is None:
        return len(boxes) > 1
    return any(
        iou(box, followed) < same_person_iou and share_inside(box, followed) < inside_share
        for box in boxes
    )
