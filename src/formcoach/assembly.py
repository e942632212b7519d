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

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from formcoach.coach.keys import KeyQueue, key_queue
from formcoach.coach.live_session import LiveSession, TimedStep
from formcoach.coach.setup_check import SetupCheck
from formcoach.coach.voice import Voice
from formcoach.config import exercise_config, load_config_file
from formcoach.exercises.base import Exercise
from formcoach.exercises.registry import create
from formcoach.exercises.settings import ExerciseConfig
from formcoach.pipeline import Pipeline, Sink, Stage, run
from formcoach.pose.continuity import BodyContinuity
from formcoach.pose.estimators import MediaPipeEstimator, PoseEstimator
from formcoach.pose.sampling import wrap
from formcoach.pose.smoothing import NoSmoothing, PoseSmoother
from formcoach.run_options import TIMED, LiveOptions, RunOptions
from formcoach.sink_set import file_sinks, live_sinks
from formcoach.sinks.report import ReportSink
from formcoach.sources.base import SourceInfo
from formcoach.store.history import History
from formcoach.types import Frame, Pose, RunStats

# RunOptions and LiveOptions are defined in run_options.py; runs import them from here too.
__all__ = [
    "Assembly",
    "LiveOptions",
    "RunOptions",
    "Services",
    "build",
    "check_config_file",
    "make_estimator",
    "make_exercise",
]


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
    sinks, report = file_sinks(options, exercise, info, pipeline, out)
    stage: Stage = pipeline
    keys = None
    if options.mode == "live":
        keys = key_queue()
        stage = _session(options, pipeline, exercise, keys, services)
        sinks += live_sinks(options, exercise, keys, services)
    return Assembly(options, exercise, pipeline, stage, sinks, report, keys)


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
