"""Which correction to show: one at a time, steady enough to read from the floor, and
never one the person has already fixed.

The analyzer proposes its top-priority correction every frame. A person lying on a mat
cannot read text that flickers, so a correction must persist `persist_s` before it is
shown. Once shown it stays while its fault lasts (the skeleton shows that fault in red),
and a different one replaces it only after it has been up `min_show_s`. When its fault
clears it goes within `clear_s`: text that says "lift your hips" over a green skeleton
tells the person the coach is not watching. Time comes from the frames' timestamps.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CueConfig:
    # A correction proposed for less than this is a wobble, not a habit.
    persist_s: float = 1.0
    # A shown correction is replaced by another only after this long: time to read it
    # and react.
    min_show_s: float = 3.0
    # A shown correction whose fault has cleared goes after this long. Rules keep their
    # decision near a threshold (hysteresis), so a cleared fault is cleared; this only
    # absorbs a single dropped frame. Well under the 0.5 s a person notices.
    clear_s: float = 0.2


class CorrectionPicker:
    """Debounces the analyzer's per-frame correction into the one shown."""

    def __init__(self, config: CueConfig | None = None) -> None:
        self.config = config or CueConfig()
        self.reset()

    def reset(self) -> None:
        self._candidate: str | None = None
        self._candidate_since_s = 0.0
        self._shown: str | None = None
        self._shown_at_s = 0.0
        self._fixed_since_s: float | None = None

    @property
    def shown(self) -> str | None:
        return self._shown

    def update(
        self, proposed: str | None, t_s: float, active: Collection[str] | None = None
    ) -> str | None:
        """The correction to show at `t_s`, given the analyzer's proposal for this frame
        and `active`, every correction whose fault holds now (default: the proposal)."""
        active = (() if proposed is None else (proposed,)) if active is None else active
        if proposed != self._candidate:
            self._candidate, self._candidate_since_s = proposed, t_s
        lasted = proposed is not None and t_s - self._candidate_since_s >= self.config.persist_s
        if self._shown is not None:
            if self._shown in active:
                self._fixed_since_s = None
            elif self._fixed_since_s is None:
                self._fixed_since_s = t_s
            since = self._fixed_since_s
            fixed = since is not None and t_s - since >= self.config.clear_s
            read = t_s - self._shown_at_s >= self.config.min_show_s
            if fixed:
                self._shown = None  # go now, and let a lasting new one in below
            elif proposed == self._shown or not lasted or not read:
                return self._shown
        if lasted and proposed != self._shown:
            self._shown, self._shown_at_s, self._fixed_since_s = proposed, t_s, None
        return self._shown
