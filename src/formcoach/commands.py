"""What each `formcoach` subcommand does. Parsing and exit codes live in cli.py."""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from formcoach.assembly import LiveOptions, OptionsError, RunOptions, Services, build, make_exercise
from formcoach.config import ConfigError
from formcoach.exercises.base import Exercise
from formcoach.exercises.registry import UnknownExerciseError
from formcoach.pose import models
from formcoach.set_summary import summarise_set
from formcoach.sinks import close_windows
from formcoach.sources import Source, open_source
from formcoach.store.history import History
from formcoach.types import Frame
from formcoach.voice import open_voice

log = logging.getLogger(__name__)


class CommandError(Exception):
    """Unusable input or arguments, reported in one line (exit code 2)."""


def _terminate_as_interrupt() -> None:
    """SIGTERM ends a run like Ctrl-C: sinks close and the report is marked incomplete."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def _progress(source: Source, quiet: bool) -> Iterator[Frame]:
    if quiet:
        yield from source
        return
    from tqdm import tqdm

    with tqdm(
        source,
        total=source.info.frames,
        unit="frame",
        desc=Path(source.info.name).name,
        file=sys.stderr,
        leave=False,
    ) as bar:
        yield from bar


def cmd_analyze(args: argparse.Namespace) -> int:
    from formcoach.commands_offline import cmd_analyze as analyze

    return analyze(args)


def cmd_eval(args: argparse.Namespace) -> int:
    from formcoach.commands_offline import cmd_eval as evaluate

    return evaluate(args)


def _print_summary(report: dict[str, object], out: Path) -> None:
    print(
        json.dumps(
            {k: report[k] for k in ("exercise", "pose_coverage", "reps", "hold_total_s", "view")},
            indent=None,
        )
    )
    for fault in report["faults"]:  # type: ignore[attr-defined]
        print(
            f"  fault {fault['rule']} {fault['start_s']:.1f}-{fault['end_s']:.1f} s: "
            f"{fault['message']}"
        )
    for warning in report["warnings"]:  # type: ignore[attr-defined]
        print(f"  warning: {warning}")
    print(f"written to {out}/")


def cmd_live(args: argparse.Namespace) -> int:
    options = live_options(args, args.exercise)
    _validate(options)
    _check_display(args)
    if options.live.window and options.live.setup_check:
        prepare_demo(options.exercise)
    _terminate_as_interrupt()
    history = None if args.no_history else History()
    voice = open_voice(args.voice)
    try:
        with open_source(args.source, realtime=True, size_px=args.resolution) as source:
            services = Services(voice, history, None, source.status)
            assembly = build(options, source.info, services=services)
            stats = assembly.run(source)
    finally:
        if voice is not None:
            voice.close()
        if history is not None:
            history.close()
        if not args.no_window:
            close_windows()
    if not args.quiet:
        session = assembly.session
        if session is not None and session.phase != "active":
            print("counting never started: the setup check did not pass")
        elif session is not None:
            card = summarise_set(
                assembly.exercise.title, assembly.exercise.summary(), session.target
            )
            print("\n".join(card.lines()))
        log.info("session ended: %d frames, %s", stats.frames, stats.stop_reason or "input ended")
        if session is not None and session.phase == "active" and history is not None:
            print(history.saved_message("set"))
        if args.out is not None and assembly.report.report is not None:
            _print_summary(assembly.report.report.to_json(), args.out)
    return 0


def live_options(args: argparse.Namespace, exercise: str, **live: Any) -> RunOptions:
    """The run options of `live` and `routine` from their command-line flags."""
    out = getattr(args, "out", None)
    return RunOptions(
        exercise=exercise,
        model_path=str(models.model_path(args.model)),
        config_path=None if args.config is None else str(args.config),
        mode="live",
        out_dir=None if out is None else str(out),
        live=LiveOptions(
            setup_check=not args.skip_setup,
            window=not args.no_window,
            mirror=args.mirror,
            save_screen=None if args.save_screen is None else str(args.save_screen),
            show_fps=bool(getattr(args, "verbose", False)),
            **live,
        ),
    )


def _validate(options: RunOptions) -> None:
    """Options and the config checked before the camera or the model is opened."""
    try:
        options.validate()
        make_exercise(options.exercise, options.config_path)
    except (UnknownExerciseError, ConfigError, OptionsError) as exc:
        raise CommandError(str(exc)) from None


def _check_display(args: argparse.Namespace) -> None:
    if not args.no_window and not _display_available():
        raise CommandError(
            "no display to open a window on; use --no-window (or run under a desktop session)"
        )


def _display_available() -> bool:
    return sys.platform in ("win32", "darwin") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def cmd_exercises(args: argparse.Namespace) -> int:
    if getattr(args, "demo", None):
        return play_demo(args.demo)
    print(exercises_text(), end="")
    return 0


def prepare_demo(exercise: str) -> None:
    """Render the exercise's demonstration for the set-up screen if it is not cached yet
    (once, a few seconds). A failure only costs the demonstration, never the session."""
    from formcoach import demo

    if not demo.has_demo(exercise) or demo.demo_path(exercise).is_file():
        return
    print(f"preparing the demonstration of {exercise} (once, a few seconds)...")
    try:
        demo.ensure_demo(exercise)
    except Exception:  # the set-up screen then shows no demonstration
        log.warning("the demonstration of %s could not be rendered", exercise, exc_info=True)


def play_demo(name: str) -> int:
    """`formcoach exercises --demo NAME`: render once, then loop it in a window (any key,
    or closing the window, ends it); with no display, print the clip's path."""
    from formcoach import demo
    from formcoach.exercises.registry import create

    try:
        create(name)  # the name, with "did you mean", as every command checks it
    except UnknownExerciseError as exc:
        raise CommandError(str(exc)) from None
    if Exercise.registry[name].kind == "warning":
        raise CommandError(f"{name} is on the avoid list: formcoach shows no demonstration of it")
    if not demo.has_demo(name):
        raise CommandError(f"there is no demonstration of {name} yet")
    if not demo.demo_path(name).is_file():
        print(f"rendering the demonstration of {name} (once, a few seconds)...")
    path = demo.ensure_demo(name)
    assert path is not None
    if not _display_available():
        print(path)
        return 0
    import cv2

    loop = demo.DemoLoop(path)
    window = f"formcoach: {Exercise.registry[name].title}"
    cv2.namedWindow(window, cv2.WINDOW_NORMAL | cv2.WINDOW_KEEPRATIO | cv2.WINDOW_GUI_NORMAL)
    cv2.resizeWindow(window, 960, 540)
    for i in range(round(3 * loop.duration_s * loop.fps)):  # three times through
        cv2.imshow(window, loop.frames[i % len(loop.frames)])
        if cv2.waitKey(round(1000 / loop.fps)) != -1:
            break
        if cv2.getWindowProperty(window, cv2.WND_PROP_VISIBLE) < 1:
            break
    close_windows()
    return 0


def exercises_text(width: int = 100) -> str:
    """The catalogue as a person reads it in a terminal: the program (what to do, the
    target, where the camera goes) and then the avoid list, each line at most `width`."""
    import textwrap

    program = {n: c for n, c in sorted(Exercise.registry.items()) if c.kind != "warning"}
    avoid = {n: c for n, c in sorted(Exercise.registry.items()) if c.kind == "warning"}
    name_w = max(len(n) for n in Exercise.registry) + 2
    lines = ["Exercises (formcoach live -e NAME, formcoach analyze VIDEO -e NAME)", ""]
    for name, cls in program.items():
        head = f"  {name:<{name_w}}{cls.title} ({cls.kind}): {cls.target.describe()}"
        lines += textwrap.wrap(head, width, subsequent_indent=" " * (name_w + 4))
        lines += textwrap.wrap(
            cls.placement.removeprefix("camera "), width,
            initial_indent=" " * (name_w + 2) + "camera: ",
            subsequent_indent=" " * (name_w + 10),
        )  # fmt: skip
    lines += ["", "Avoid list: formcoach warns when it sees these (not part of a program)", ""]
    for name, cls in avoid.items():
        lines += textwrap.wrap(
            f"  {name:<{name_w}}{cls.title}", width, subsequent_indent=" " * (name_w + 4)
        )
    return "\n".join(lines) + "\n"


def cmd_setup(args: argparse.Namespace) -> int:
    path = models.setup_model(force=args.force)
    print(f"pose model ready: {path} (sha256 {models.sha256_file(path)[:16]}...)")
    return 0


def runtime_is_network_silent(version: str) -> bool:
    """mediapipe 0.10.21 was measured to make no network call during a pose session;
    releases from 0.10.30 on contact Google's servers. Versions in between are unmeasured."""
    parts = tuple(int(p) for p in version.split(".")[:3] if p.isdigit())
    return parts == (0, 10, 21)


def cmd_doctor(args: argparse.Namespace) -> int:
    import cv2
    import mediapipe
    import numpy

    from formcoach import __version__
    from formcoach.cli import print_table

    silent = runtime_is_network_silent(mediapipe.__version__)
    print(f"formcoach {__version__} on Python {platform.python_version()} ({sys.platform})")
    print(
        f"mediapipe {mediapipe.__version__}: "
        + (
            "network-silent runtime (measured: no network call during a pose session)"
            if silent
            else "WARNING: this runtime is not known to be network-silent; "
            "pip install mediapipe==0.10.21"
        )
    )
    print(f"opencv {cv2.__version__}, numpy {numpy.__version__}")
    print(f"model folder: {models.model_dir()}")
    print_table(models.describe_models(), ["name", "state", "sha256", "path"])
    return 0 if silent else 1


def cmd_models(args: argparse.Namespace) -> int:
    from formcoach.cli import print_table

    if args.models_command == "list":
        print_table(models.describe_models(), ["name", "state", "path"])
        return 0
    path = models.fetch_model(args.name, sha256=args.sha256, url=args.url)
    print(f"model {args.name} ready: {path}")
    return 0


def cmd_routine(args: argparse.Namespace) -> int:
    from formcoach.commands_routine import cmd_routine as routine

    return routine(args)


def cmd_history(args: argparse.Namespace) -> int:
    from formcoach.commands_history import cmd_history as history

    return history(args)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "routine": cmd_routine,
    "history": cmd_history,
    "analyze": cmd_analyze,
    "eval": cmd_eval,
    "live": cmd_live,
    "exercises": cmd_exercises,
    "setup": cmd_setup,
    "doctor": cmd_doctor,
    "models": cmd_models,
}
