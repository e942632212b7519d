"""What one run is asked to do, as plain data: `RunOptions`, with a live set's `LiveOptions`.

`formcoach.assembly.build` turns them into a pipeline; a batch sends them to its worker
processes. `RunOptions.validate` refuses a value no run could use before anything opens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from formcoach.defaults import DEFAULT_PEOPLE, DEFAULT_SAMPLING
from formcoach.exercises.summary import Target
from formcoach.pose.sampling import SAMPLING_MODES

Mode = Literal["offline", "live"]
MODES: tuple[Mode, ...] = ("offline", "live")
# The exercise name of a routine's timed step (and a rest): the pose is shown, nothing is
# counted or judged.
TIMED = "timed"
# The exercise name that asks formcoach to recognise each part of a recording or session.
AUTO = "auto"
# People MediaPipe may be asked to look for: its cost grows with each.
MAX_PEOPLE = 5


class OptionsError(ValueError):
    """A run option is out of range or unknown; the message names it and the choices."""


@dataclass(frozen=True)
class LiveOptions:
    """A live set: the session around the pipeline and what the person sees and hears."""

    setup_check: bool = True
    countdown_s: float = 3.0
    target: Target | None = None  # None: the exercise's own
    stop_after_target_s: float | None = None  # end the set this long after the target
    duration_s: float | None = None  # a timed step's length
    label: str = ""  # e.g. "main - set 1 of 2"
    instruction: str = ""  # what to do in a step no analyzer judges
    title: str = ""  # shown and said at the start ("": the exercise's title)
    window: bool = True
    mirror: bool = False
    save_screen: str | None = None  # the last screen as an image (docs, tests)
    voice: bool = True
    show_fps: bool = False  # the frame rate on screen, a developer's number (--verbose)
    card_s: float = 4.0  # a judged set ends on its summary card this long (a key skips it)
    # A pain this high (0-10), pressed as a digit key during the set, ends the session
    # (the routine sets it from the pain before the session: PAIN_RISE_STOP above it).
    pain_stop_at: int | None = None


@dataclass(frozen=True)
class RunOptions:
    """Everything one run needs, as plain data (a batch sends it to worker processes)."""

    exercise: str
    model_path: str = ""  # "": the pose model `formcoach setup` built
    config_path: str | None = None
    people: int = DEFAULT_PEOPLE  # people MediaPipe looks for; 2+ follows one (people.py)
    people_check: bool = True  # with one person: count everyone in view once a second
    sampling: str = DEFAULT_SAMPLING
    smoothing: bool = True
    threads: int | None = None  # TFLite threads (None: MediaPipe's default)
    mode: Mode = "offline"
    out_dir: str | None = None  # None: nothing written, the report is kept in memory
    video: bool = True
    html: bool = True
    csv: bool = True
    thumbnails: bool = True  # fault thumbnails in report.html
    live: LiveOptions = field(default_factory=LiveOptions)

    def validate(self) -> None:
        """Raise OptionsError for a value no run could use (before any frame is read)."""
        if self.mode not in MODES:
            raise OptionsError(f"unknown mode {self.mode!r}; expected one of: {', '.join(MODES)}")
        if self.sampling not in SAMPLING_MODES:
            raise OptionsError(
                f"unknown sampling {self.sampling!r}; expected one of: {', '.join(SAMPLING_MODES)}"
            )
        if not 1 <= self.people <= MAX_PEOPLE:
            raise OptionsError(f"--people must be 1 to {MAX_PEOPLE}, got {self.people}")
        if self.threads is not None and self.threads < 1:
            raise OptionsError(f"threads must be 1 or more, got {self.threads}")
