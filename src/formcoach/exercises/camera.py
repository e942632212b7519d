"""How one analyzer sees the camera: each frame's view, the view voted over a short window,
the view a whole recording is reported in, and the body side nearer the camera."""

from __future__ import annotations

from collections import Counter

from formcoach.landmarks import SIDES, sided
from formcoach.types import Pose, Side, ViewName
from formcoach.view import FRONT_MAX_DEG, ViewVote, view_of_angle

# The summary names the view seen first unless another was seen in this share of the
# frames more: a recording of two set-ups of about the same length (plank_19: 7.2 s
# oblique, then 7.0 s side) names the first, not whichever a few frames more favour.
VIEW_TALLY_MARGIN = 0.1
# The near side changes only when the other side's visibility sum is this much higher.
NEAR_SIDE_MARGIN = 0.5
NEAR_SIDE_JOINTS = ("SHOULDER", "HIP", "KNEE", "ANKLE", "ELBOW")


class CameraView:
    """Views and the near side for one analyzer, each with its margin against noise."""

    def __init__(self, window_s: float, front_max_deg: float = FRONT_MAX_DEG) -> None:
        self._votes = ViewVote(window_s)
        self._front_max_deg = front_max_deg
        self._kept: ViewName | None = None  # the last known frame view (its band keeps it)
        self.frame: ViewName = "unknown"  # this frame's view
        self.angle_deg = float("nan")  # this frame's view angle (90 side, 0 front)
        self._tally: Counter[ViewName] = Counter()
        self.recording: ViewName | None = None  # the view the summary reports
        self._near: Side | None = None

    def see(self, angle_deg: float, t_s: float) -> None:
        """One frame's view angle (90 side, 0 front), kept inside its noise band."""
        self.angle_deg = angle_deg
        view = view_of_angle(angle_deg, self._kept, self._front_max_deg)
        self.frame = view
        self._kept = view if view != "unknown" else self._kept
        self._votes.add(view, t_s)

    def voted(self, counted: bool) -> ViewName | None:
        """The view of the last window (None: nothing seen yet); `counted`: this frame
        showed a person, so it counts toward the recording's view."""
        view = self._votes.winner()
        if view is not None and counted:
            self._count(view)
        return view

    def _count(self, view: ViewName) -> None:
        """The recording's view, with a margin: the view seen first stands until another
        has been seen in VIEW_TALLY_MARGIN of the frames more than it, so a recording of
        two camera set-ups of about the same length names the same one every time."""
        self._tally[view] += 1
        standing = self.recording
        if standing is None:
            self.recording = view
            return
        lead = self._tally[view] - self._tally[standing]
        if view != standing and lead > VIEW_TALLY_MARGIN * self._tally.total():
            self.recording = view

    def near_side(self, pose: Pose) -> Side:
        """The body side nearer the camera (higher visibility), with hysteresis."""
        score = {
            side: sum(pose.visibility[int(sided(side, j))] for j in NEAR_SIDE_JOINTS)
            for side in SIDES
        }
        best: Side = "left" if score["left"] >= score["right"] else "right"
        if self._near is None or score[best] > score[self._near] + NEAR_SIDE_MARGIN:
            self._near = best
        return self._near
