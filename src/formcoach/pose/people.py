"""Other people in view, two ways.

The default (one person): MediaPipe follows one person from frame to frame itself, and a
separate check counts everyone in view once a second; `CrowdLog` turns those checks into
the report's lines. While a check sees someone else, everyone is found on every frame
and `PersonTracker` (below), started on the person followed, keeps them
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
Frames where the choice was a close call are counted, so the report can say so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from formcoach.types import FloatArray

# The body joints a pose is matched by (shoulders, elbows, wrists, hips, knees, ankles),
# left and right in turn, and the same joints with left and right swapped.
BODY_JOINTS = (11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28)
MIRRORED = [1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10]


@dataclass(frozen=True, slots=True)
class Box:
    """A body's extent in normalised image coordinates (0-1 across width and height), and
    where its body joints are (`joints`, (12, 2), when known from a pose)."""

    cx_norm: float
    cy_norm: float
    w_norm: float
    h_norm: float
    joints: FloatArray | None = field(default=None, compare=False, repr=False)

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
    joints = image_norm[list(BODY_JOINTS), :2] if len(image_norm) > max(BODY_JOINTS) else None
    return Box(float(cx), float(cy), float(w), float(h), joints)


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


def body_cost(box: Box, last: Box) -> float:
    """How unlike `last` a candidate is, in body sizes. With both poses' joints: the
    median distance of each joint from where it was (a partial pose of someone else, or
    a box that grows as more of the same body is found, is told apart by where the
    joints are), with left and right as labelled or swapped, whichever is closer (the
    model swapping the labels is the same body); else by the box's move and size."""
    if box.joints is not None and last.joints is not None:
        costs = []
        for joints in (box.joints, box.joints[MIRRORED]):
            moved_joints = np.linalg.norm(joints - last.joints, axis=1)
            moved_joints = moved_joints[np.isfinite(moved_joints)]
            if len(moved_joints):
                costs.append(float(np.median(moved_joints)))
        if costs:
            return min(costs) / last.size_norm
    moved = math.hypot(box.cx_norm - last.cx_norm, box.cy_norm - last.cy_norm)
    return moved / last.size_norm + abs(math.log(box.size_norm / last.size_norm))


# --- a separate check for other people, beside one-person tracking ----------------------


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


def share_inside(box: Box, other: Box) -> float:
    """The share of `box`'s area that lies inside `other`."""
    return _intersection(box, other) / box.area_norm


def _intersection(a: Box, b: Box) -> float:
    w = min(a.cx_norm + a.w_norm / 2, b.cx_norm + b.w_norm / 2) - max(
        a.cx_norm - a.w_norm / 2, b.cx_norm - b.w_norm / 2
    )
    h = min(a.cy_norm + a.h_norm / 2, b.cy_norm + b.h_norm / 2) - max(
        a.cy_norm - a.h_norm / 2, b.cy_norm - b.h_norm / 2
    )
    return max(0.0, w) * max(0.0, h)


def iou(a: Box, b: Box) -> float:
    inter = _intersection(a, b)
    union = a.area_norm + b.area_norm - inter
    return inter / union if union > 0 else 0.0
