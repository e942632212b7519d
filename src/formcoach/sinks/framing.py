"""How well the person was framed: out of view for a while, far away, cut off by the image
edges. A sink that only watches; its `warnings()` go into the report.

The pose it sees is the smoothed pose the analyzer judged, so a frame without a person is
one where the analyzer had nobody to judge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from formcoach.exercises.summary import Summary
from formcoach.types import Event, FrameResult, RunStats


@dataclass(frozen=True, slots=True)
class FramingConfig:
    # A gap without a person this long, after they were seen, is worth a line in the report
    # (shorter ones are detection flicker, bridged by the counters' grace periods).
    min_gap_s: float = 1.0
    # A body whose larger side spans less than this fraction of the image is "far": MediaPipe
    # loses joints below roughly a fifth of the image height.
    min_size_frac: float = 0.2
    # Landmarks this visible but outside the image mean the body is cut off by an edge...
    cut_visibility: float = 0.5
    # ...and in more than this share of the frames with a person it gets a warning.
    cut_frames_frac: float = 0.25
    # Gaps listed in the report at most.
    max_gaps_listed: int = 3


class FramingSink:
    """Collects per-frame framing facts; `warnings()` summarises them."""

    def __init__(self, config: FramingConfig | None = None) -> None:
        self.config = config or FramingConfig()
        self.sizes: list[float] = []
        self.cut_frames = 0
        self.gaps: list[tuple[float, float]] = []
        self._first_s: float | None = None  # the input's first and last frames
        self._last_s: float | None = None
        self._last_seen_s: float | None = None
        self._missing_since_s: float | None = None

    def write(self, result: FrameResult) -> None:
        t_s, pose = result.frame.timestamp_s, result.pose
        self._first_s = t_s if self._first_s is None else self._first_s
        self._last_s = t_s
        if pose is None:
            if self._missing_since_s is None:
                self._missing_since_s = t_s
            return
        if self._missing_since_s is not None:
            # Out of view since the start, or since they were last seen.
            since = self._last_seen_s if self._last_seen_s is not None else self._first_s
            if t_s - since >= self.config.min_gap_s:
                self.gaps.append((self._missing_since_s, t_s))
            self._missing_since_s = None
        self._last_seen_s = t_s
        xy = pose.image_norm[:, :2]
        finite = np.isfinite(xy).all(axis=1)
        if finite.any():
            extent = xy[finite].max(axis=0) - xy[finite].min(axis=0)
            self.sizes.append(float(extent.max()))
        seen = finite & (pose.visibility >= self.config.cut_visibility)
        outside = ((xy < 0.0) | (xy > 1.0)).any(axis=1)
        self.cut_frames += bool((seen & outside).any())

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        """Nothing to write: the report sink asks for `warnings()`."""

    def all_gaps(self) -> list[tuple[float, float]]:
        """The gaps, and one still open at the end of the input (the person left and did
        not come back) if it lasts `min_gap_s`; nothing when nobody was ever seen."""
        gaps = list(self.gaps)
        since, seen, end = self._missing_since_s, self._last_seen_s, self._last_s
        if since is not None and seen is not None and end is not None:
            gaps += [(since, end)] if end - seen >= self.config.min_gap_s else []
        return gaps

    def warnings(self) -> list[str]:
        c = self.config
        out = []
        gaps = self.all_gaps()
        if gaps:
            listed = gaps[: c.max_gaps_listed]
            spans = ", ".join(f"{a:.1f}-{b:.1f} s" for a, b in listed)
            more = f" and {len(gaps) - len(listed)} more" if len(gaps) > len(listed) else ""
            # The last gap is still open (all_gaps added it) and is among those listed.
            still_gone = len(gaps) > len(self.gaps) and len(listed) == len(gaps)
            left = " (to the end: they did not come back)" if still_gone else ""
            out.append(
                f"the person was out of view at {spans}{more}{left}: nothing was judged then"
            )
        if self.sizes:
            median = float(np.median(self.sizes))
            if median < c.min_size_frac:
                out.append(
                    f"the person was small in the image (about {median:.0%} of it): closer to "
                    "the camera, joints are found more reliably"
                )
            if self.cut_frames > c.cut_frames_frac * len(self.sizes):
                out.append(
                    f"part of the body was outside the image in {self.cut_frames} of "
                    f"{len(self.sizes)} frames: step back so the whole body is in view"
                )
        return out
