"""The settings every exercise shares; each exercise's config extends them."""

from __future__ import annotations

from dataclasses import dataclass, field

from formcoach.interval_timer import IntervalConfig


@dataclass(frozen=True, kw_only=True)
class ExerciseConfig:
    """Settings every exercise shares; each exercise extends it with its own thresholds."""

    # MediaPipe's visibility below which a landmark counts as hidden; 0.5 is its own default
    # for drawing, and below it the landmark positions are guesses.
    min_visibility: float = 0.5
    # Holds: a position held 0.5 s starts a hold (a blip under 0.25 s on the way in does
    # not restart that wait); breaks under 1 s (a wobble, a dropped frame) are bridged;
    # holds under 1 s are not reported. Nobody seen for up to 3 s (an edited video's
    # cutaway or dissolve, someone walking past the camera) is bridged when the person is
    # seen back in position right after: a static hold seen before and after was most
    # likely held, and a rest hidden in the gap would cost at most those 3 s. Seen out of
    # position still ends the hold after 1 s.
    hold: IntervalConfig = field(default_factory=lambda: IntervalConfig(unseen_grace_s=3.0))
    # Faults: a fault must last 1 s before it is raised (a moment is not a habit); a break
    # under 0.5 s does not end it. Any frame of good form restarts the wait
    # (min_break_s 0): a correction is given only for bad form seen throughout a second.
    fault: IntervalConfig = field(
        default_factory=lambda: IntervalConfig(
            min_start_s=1.0, grace_s=0.5, min_length_s=1.0, min_break_s=0.0
        )
    )
    # The view is judged on the frames of the last 1 s, so one noisy frame does not flip it
    # and a camera cut or a turn shows within ~0.5 s (a majority of the window).
    view_window_s: float = 0.5
