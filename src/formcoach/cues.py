"""Which correction to show: one at a time, steady enough to read from the floor.

The analyzer proposes its top-priority correction every frame. A person lying on a mat
cannot read text that flickers, so a correction must persist `persist_s` before it is
shown and then stays at least `min_show_s`. Time comes from the frames' timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CueConfig:
    # A correction proposed for less than this is a wobble, not a habit.
    persist_s: float = 1.0
    # A shown correction stays at least this long: time to read it and react.
    min_show_s: float = 3.0


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

    @property
    def shown(self) -> str | None:
        return self._shown

    def update(self, proposed: str | None, t_s: float) -> str | None:
        """The correction to show at `t_s`, given the analyzer's proposal for this frame."""
        if proposed != self._candidate:
            self._candidate, self._candidate_since_s = proposed, t_s
        if self._shown is not None and t_s - self._shown_at_s < self.config.min_show_s:
            return self._shown
        if proposed == self._shown:
            return self._shown
        if proposed is not None and t_s - self._candidate_since_s >= self.config.persist_s:
            self._shown, self._shown_at_s = proposed, t_s
        else:  # the shown one is fixed, or a new one has not lasted long enough yet
            self._shown = None
        return self._shown
