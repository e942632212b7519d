"""The one assembler: typed run options in, a ready stage and its sinks out.

Every command (`analyze` and a batch's workers, `--exercise auto`, `live`, `routine`,
`eval`), the Python API, the benchmarks and the tests' replay helper build their pipelines
with `build`; nothing else constructs an estimator, an analyzer or a sink set. A replay
passes a cached track as the estimator and goes through the same assembly otherwise, so
what the tests check is what a user runs.

    options = RunOptions("plank", out_dir="out")
    assembly = build(options, source.info)
    stats = assembly.run(source)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from formcoach.coach.demo import DemoLoop
from formcoach.coach.keys import KeyQueue, key_queue
from formcoach.coach.live_session import LiveSession, TimedStep
from formcoach.coach.setup_check import SetupCheck
from formcoach.coach.voice import Voice
from formcoach.config import exercise_config, load_config_file
from formcoach.defaults import DEFAULT_PEOPLE, DEFAULT_SAMPLING
from formcoach.exercises.base import Exercise
from formcoach.exercises.registry import create
from formcoach.exercises.settings import ExerciseConfig
from formcoach.exercises.summary import Target
from formcoach.pipeline import Pipeline, Sink, Stage, run
from formcoach.pose.continuity import BodyContinuity
from formcoach.pose.estimators import MediaPipeEstimator, PoseEstimator
from formcoach.pose.sampling import SAMPLING_MODES, wrap
from formcoach.pose.smoothing import NoSmoothing, PoseSmoother
from formcoach.sinks.events import EventsSink
from formcoach.sinks.history import HistorySink
from formcoach.sinks.report import ReportSink
from formcoach.sinks.video import VideoSink
from formcoach.sinks.window import LiveWindowSink
from formcoach.sources.base import SourceInfo
from formcoach.store.history import History
from formcoach.types import Frame, Pose, RunStats

log = logging.getLogger(__name__)

Mode = Literal["offline", "live"]
MODES: tuple[Mode, ...] = ("offline", "live")
# The exercise name of a routine's timed step (and a rest): the pose is shown, nothing is
# counted or judged.
TIMED = "timed"
# People MediaPipe may be asked to look for: its cost grows with each.
MAX_PEOPLE = 5


REPORT_FILE, EVENTS_FILE, CSV_FILE, HTML_FILE, VIDEO_FILE = (
    "report.json",
    "events.jsonl",
    "rows.csv",
    "report.html",
    "annotated.mp4",
)


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


def make_exercise(name: str, config_path: str | None = None) -> Exercise:
    """The analyzer; raises UnknownExerciseError (with the closest names) or ConfigError."""
    if name == TIMED:
        return TimedStep()
    create(name)  # the name first, with "did you mean", whatever the config file says
    config: ExerciseConfig
    if config_path is not None:
        config = load_config_file(Path(config_path), name)
    else:
        config = exercise_config(name)
    return create(name, config)


def check_config_file(config_path: str) -> None:
    """Validate every exercise table of a config file (for runs that name no exercise
    up front, like `--exercise auto`); raises ConfigError naming the table and key."""
    from formcoach.config import read_config_file

    for name, table in read_config_file(Path(config_path)).items():
        exercise_config(name, table)


def make_estimator(options: RunOptions) -> PoseEstimator:
    """The pose estimator a run uses: MediaPipe, wrapped by the sampling mode."""
    from formcoach.pose.models import model_path

    path = options.model_path or str(model_path())
    model = MediaPipeEstimator(
        path,
        num_poses=options.people,
        threads=options.threads,
        people_check=options.people_check,
        fits=_in_posture(options.exercise),
    )
    return wrap(model, options.sampling)


def _in_posture(exercise: str) -> Callable[[Pose], bool] | None:
    """Whether a person is in the exercise's posture, for choosing whom to coach among
    several (people.py); None when the exercise names no posture."""
    from formcoach.recognition import trunk_of

    kind = Exercise.registry.get(exercise)
    trunk = kind.trunk if kind is not None else None
    if trunk is None:
        return None
    return lambda pose: trunk_of(pose) == trunk


def _smoother(options: RunOptions) -> PoseSmoother:
    return PoseSmoother() if options.smoothing else NoSmoothing()


@dataclass
class Assembly:
    """A built run: its stage, its sinks and what they keep."""

    options: RunOptions
    exercise: Exercise
    pipeline: Pipeline
    stage: Stage
    sinks: list[Sink]
    report: ReportSink
    keys: KeyQueue | None = None

    @property
    def estimator(self) -> PoseEstimator:
        return self.pipeline.estimator

    @property
    def session(self) -> LiveSession | None:
        return self.stage if isinstance(self.stage, LiveSession) else None

    def run(self, frames: Iterable[Frame]) -> RunStats:
        """The one loop over `frames`; the estimator is closed however it ends."""
        try:
            return run(frames, self.stage, self.sinks)
        finally:
            self.estimator.close()


@dataclass
class Services:
    """The live run's resources that are objects, not options: shared by a routine's sets."""

    voice: Voice | None = None
    history: History | None = None
    session_id: int | None = None
    source_status: Callable[[], str] = lambda: ""
    now: Callable[[], datetime] = datetime.now  # the wall clock of the history's dates


def build(
    options: RunOptions,
    info: SourceInfo,
    *,
    estimator: PoseEstimator | None = None,
    services: Services | None = None,
) -> Assembly:
    """Assemble one run. `estimator` replaces the model (a replayed track); everything
    else comes from `options`. Raises OptionsError, UnknownExerciseError or ConfigError
    before anything is opened."""
    options.validate()
    exercise = make_exercise(options.exercise, options.config_path)
    services = services or Services()
    # One person: MediaPipe's own tracking, guarded; more: people.PersonTracker chooses.
    continuity = BodyContinuity(_in_posture(options.exercise)) if options.people == 1 else None
    pipeline = Pipeline(
        estimator or make_estimator(options), exercise, _smoother(options), continuity
    )
    out = Path(options.out_dir) if options.out_dir is not None else None
    sinks, report = _file_sinks(options, exercise, info, pipeline, out)
    stage: Stage = pipeline
    keys = None
    if options.mode == "live":
        keys = key_queue()
        stage = _session(options, pipeline, exercise, keys, services)
        sinks += _live_sinks(options, exercise, keys, services)
    return Assembly(options, exercise, pipeline, stage, sinks, report, keys)


def estimator_warnings(estimator: PoseEstimator) -> list[str]:
    """What the estimator (or the one a sampler wraps) says at the end: other people."""
    for candidate in (estimator, getattr(estimator, "inner", None)):
        warnings = getattr(candidate, "warnings", None)
        if callable(warnings):
            return [str(w) for w in warnings()]
    return []


def _file_sinks(
    options: RunOptions,
    exercise: Exercise,
    info: SourceInfo,
    pipeline: Pipeline,
    out: Path | None,
) -> tuple[list[Sink], ReportSink]:
    from formcoach.sinks.framing import FramingSink

    framing = FramingSink()
    estimator, continuity = pipeline.estimator, pipeline.continuity

    def warnings() -> list[str]:
        guarded = continuity.warnings() if continuity is not None else []
        return [*estimator_warnings(estimator), *guarded, *framing.warnings()]

    report = ReportSink(out / REPORT_FILE if out else None, exercise, info, warnings)
    sinks: list[Sink] = [framing, report]
    if out is None:
        return sinks, report
    sinks.append(EventsSink(out / EVENTS_FILE))
    if options.csv:
        from formcoach.sinks.rows_csv import CsvSink

        sinks.append(CsvSink(out / CSV_FILE, exercise, info))
    if options.html and options.mode == "offline":
        from formcoach.sinks.html_report import HtmlReportSink

        sinks.append(HtmlReportSink(out / HTML_FILE, exercise, info, options.thumbnails, warnings))
    if options.video and options.mode == "offline":
        sinks.append(
            VideoSink(out / VIDEO_FILE, info.fps, info.size_px, exercise.title, exercise.kind)
        )
    return sinks, report


def _session(
    options: RunOptions,
    pipeline: Pipeline,
    exercise: Exercise,
    keys: KeyQueue,
    services: Services,
) -> LiveSession:
    live = options.live
    setup = None
    if live.setup_check and options.exercise != TIMED:
        setup = SetupCheck(exercise.views, exercise.view_correction)
    return LiveSession(
        pipeline,
        setup,
        target=live.target,
        countdown_s=live.countdown_s,
        stop_after_target_s=live.stop_after_target_s,
        source_status=services.source_status,
        label=live.label,
        duration_s=live.duration_s,
        instruction=live.instruction,
        keys=keys,
        pain_stop_at=live.pain_stop_at,
    )


def _live_sinks(
    options: RunOptions, exercise: Exercise, keys: KeyQueue, services: Services
) -> list[Sink]:
    from formcoach.sinks.voice import VoiceSink

    live = options.live
    sinks: list[Sink] = []
    title = live.title or exercise.title
    if services.history is not None and options.exercise != TIMED:
        sinks.append(
            HistorySink(services.history, exercise.name, services.session_id, services.now)
        )
    if services.voice is not None and live.voice:
        sinks.append(VoiceSink(services.voice, title, timed=options.exercise == TIMED))
    if live.window:
        save = Path(live.save_screen) if live.save_screen else None
        sinks.append(
            LiveWindowSink(
                keys,
                title,
                exercise.kind,
                live.mirror,
                save_to=save,
                show_fps=live.show_fps,
                card_s=live.card_s if options.exercise != TIMED else 0.0,
                demo=DemoLoop.cached(options.exercise) if live.setup_check else None,
            )
        )
    return sinks
