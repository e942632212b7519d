"""When one-person tracking should look for everyone: others in view.

By default MediaPipe follows one person itself, which is cheap, and a people check counts
everyone in view once a second (`people_check.PeopleCheck`). When a check finds someone
besides the person followed, one-person tracking is at risk: MediaPipe follows the region
it found last, and someone passing in front of the person coached takes it over, one
plausible pose at a time. So while others are in view the estimator finds everyone on
every frame, and `people.PersonTracker`, started on the person being followed, keeps
them by where their joints are (the cost of `--people 3`, paid only then). Once the
checks have seen nobody else for `hold_s`, MediaPipe's own tracking takes over again.

Which frames switch depends on video time only: a check's result applies from the first
frame `apply_after_s` after the checked one, so a run gives the same poses however fast
the machine is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from formcoach.pose.boxes import Box
from formcoach.pose.crowd_log import CrowdConfig, others_in_view


@dataclass(frozen=True, slots=True)
class CrowdSwitchConfig:
    # A check's result applies this long after the frame it checked: the check runs on
    # the other core beside the next frames' model calls (~45 ms), so at 10-30 fps it is
    # nearly always done by then and the main thread rarely waits for it.
    apply_after_s: float = 0.1
    # Everyone is looked for until the checks have seen nobody else for this long: a
    # person walking past is seen in one or two checks a second apart, and switching
    # back and forth on every check would restart the tracking each time.
    hold_s: float = 3.0


@dataclass
class CrowdSwitch:
    """Whether to look for everyone, from the people checks' results (module doc)."""

    config: CrowdSwitchConfig = field(default_factory=CrowdSwitchConfig)
    # who counts as someone else: as the report counts them (`crowd_log.CrowdLog`)
    people: CrowdConfig = field(default_factory=CrowdConfig)
    _until_s: float = -math.inf
    spans: list[tuple[float, float]] = field(default_factory=list)  # (from, to) looked

    def checked(self, boxes: Sequence[Box], followed: Box | None, t_s: float) -> None:
        """A check at `t_s` found `boxes` while `followed` was followed (None: nobody)."""
        people, config = self.people, self.config
        if others_in_view(boxes, followed, people.same_person_iou, people.inside_share):
            self._until_s = t_s + config.apply_after_s + config.hold_s

    def on(self, t_s: float) -> bool:
        """Whether the frame at `t_s` is analysed looking for everyone; logs the spans."""
        on = t_s <= self._until_s
        if on:
            if self.spans and self.spans[-1][1] >= t_s - self.config.hold_s:
                self.spans[-1] = (self.spans[-1][0], t_s)
            else:
                self.spans.append((t_s, t_s))
        return on
