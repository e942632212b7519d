"""What an exercise declares: its identity and settings (class attributes) and the hooks
it fills in, each with its default.

An exercise is a subclass of `base.Exercise`, which runs these hooks: it owns the gating
and counting around them. A hook gets what it needs passed in (the pose, the side, a
`Moment`), never the base's own state.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

from formcoach.counting import RepConfig
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Range, Signals
from formcoach.exercises.settings import ExerciseConfig
from formcoach.exercises.signature import Signature
from formcoach.exercises.summary import Target
from formcoach.types import Check, Pose, Side, ViewName
from formcoach.view import FRONT_MAX_DEG, depth_angle_deg

Kind = Literal["hold", "reps", "warning"]
# The trunk while the exercise is done: how the person doing it is told from others in
# view (people.py). Trunk tilt from vertical under 45 deg is upright, else lying.
Trunk = Literal["upright", "lying"]

NAN = math.nan


class ExerciseDeclaration(ABC):
    """The class attributes an exercise sets and the hooks it fills in."""

    name: ClassVar[str]
    title: ClassVar[str]
    kind: ClassVar[Kind]
    target: ClassVar[Target] = Target()
    placement: ClassVar[str]  # where to put the camera, in the user's words
    # What a rep's depth (the deepest value of `phase`) measures, with its unit, for the
    # report's per-rep table; "" leaves the column headed "depth".
    depth_label: ClassVar[str] = ""
    views: ClassVar[frozenset[ViewName]] = frozenset({"side"})
    view_correction: ClassVar[str] = "turn so your side faces the camera"
    # Where the front view ends (the depth angle of `view_angle`, deg): an exercise whose
    # measures were shown to hold nearer head-on than the common boundary reads the views
    # between as oblique (measured per exercise; see its value's comment).
    front_max_deg: ClassVar[float] = FRONT_MAX_DEG
    # Views from which the position (so the hold) can be followed but some rules cannot be
    # judged (they give ok=None there): view -> what the user is told about it.
    partial_views: ClassVar[Mapping[ViewName, str]] = {}
    config_class: ClassVar[type[ExerciseConfig]] = ExerciseConfig
    # Sides reported per rep or hold: "none" (both sides work together), "working" (the
    # exercise says which side works), used for `left`/`right` in reports.
    sided: ClassVar[bool] = False
    # Rep exercises whose sides move on their own, overlapping in time (alternate ankle
    # pumps): each side is counted by its own counter from `side_phases`, not `phase`.
    counts_sides_apart: ClassVar[bool] = False
    # Rule names `extra_checks` may fail with (the declarative rules name themselves), so
    # every fault an exercise can raise is listed by `rule_names`.
    extra_rules: ClassVar[frozenset[str]] = frozenset()
    # "upright" or "lying" (Trunk); None for an exercise that passes through both
    trunk: ClassVar[Trunk | None] = None
    # The signal `phase` follows, up to sign and offset. Its noise band widens "deep
    # enough": a rep is partial only when its bottom stays short of depth by more than
    # the band (a decision on noise is no decision). None: no band.
    phase_signal: ClassVar[str | None] = None
    # How `formcoach.recognition` tells this exercise (its posture and movement); None:
    # never recognised (it needs what is not a landmark, such as a foam roller).
    signature: ClassVar[Signature | None] = None
    # What to do, in the user's words, for a routine step of this exercise.
    instructions: ClassVar[str] = ""
    # Words and unit for the report's plots of this exercise's own rule signals (signals
    # shared by several exercises have theirs in `formcoach.signal_names`).
    signal_words: ClassVar[Mapping[str, tuple[str, str]]] = {}

    @abstractmethod
    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        """Signals (angles, ratios) from one pose, seen mainly from `side`; NaN if hidden.
        The one hook that may keep state over time (smoothing, a rest reference)."""

    @abstractmethod
    def position(self, signals: Signals, now: Moment) -> Check:
        """Whether the body is in the exercise position (ok None: can't tell). Pure: the
        same signals and moment give the same answer, however often it is asked."""

    def rules(self) -> Sequence[Range]:
        """Form rules evaluated while in position."""
        return ()

    def extra_checks(self, signals: Signals, now: Moment) -> list[Check]:
        """Escape hatch for a check none of the declarative rules can express; the rule
        names it uses are declared in `extra_rules`."""
        return []

    def phase(self, signals: Signals, now: Moment) -> float:
        """Rep exercises: the phase signal, larger = further into the rep (NaN: unseen)."""
        return NAN

    def side_phases(self, signals: Signals, now: Moment) -> dict[Side, float]:
        """`counts_sides_apart` exercises: the phase of each side seen (a side left out is
        unseen on this frame)."""
        return {}

    def rep_config(self) -> RepConfig:
        raise NotImplementedError(f"{self.name} counts no reps")

    def coarse_position(self, pose: Pose) -> bool | None:
        """A view-independent test (3D world landmarks) that the position is still held.

        Used only to carry a hold already verified from a judgeable view through a stretch
        the camera cannot judge (a camera cut, a turn); form is not checked then. None: the
        exercise has no such test, so the hold pauses like any unseen stretch."""
        return None

    def view_angle(self, pose: Pose) -> float:
        """The angle (deg) the view is read from: 90 side, 0 front. The default reads the
        shoulder and hip lines out of the image plane; an exercise whose body lies
        otherwise (on its side) may read another axis."""
        return depth_angle_deg(pose)

    def details(self) -> dict[str, Any]:
        """Exercise-specific results for the summary and report (JSON values)."""
        return {}

    def working_side(self, pose: Pose, signals: Signals) -> Side | None:
        """The side doing the work (leg in front, arm underneath), for per-side counts."""
        return None
