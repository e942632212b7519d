"""`formcoach exercises` (and their demonstrations), `setup`, `doctor` and `models`."""

from __future__ import annotations

import argparse
import logging
import platform
import sys

from formcoach.cli.output import CommandError, display_available, print_table
from formcoach.exercises.base import Exercise
from formcoach.exercises.registry import UnknownExerciseError
from formcoach.pose import models
from formcoach.sinks.window import close_windows

log = logging.getLogger(__name__)


def cmd_exercises(args: argparse.Namespace) -> int:
    if getattr(args, "demo", None):
        return play_demo(args.demo)
    print(exercises_text(), end="")
    return 0


def play_demo(name: str) -> int:
    """`formcoach exercises --demo NAME`: loop it in a window (any key, or closing the
    window, ends it); with no display, print the clip's path."""
    from formcoach.coach import demo
    from formcoach.exercises.registry import create

    try:
        create(name)  # the name, with "did you mean", as every command checks it
    except UnknownExerciseError as exc:
        raise CommandError(str(exc)) from None
    if Exercise.registry[name].kind == "warning":
        raise CommandError(f"{name} is on the avoid list: formcoach shows no demonstration of it")
    if not demo.has_demo(name):
        raise CommandError(f"there is no demonstration of {name} yet")
    path = demo.demo_path(name)
    if not display_available():
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

    if args.models_command == "list":
        print_table(models.describe_models(), ["name", "state", "path"])
        return 0
    path = models.fetch_model(args.name, sha256=args.sha256, url=args.url)
    print(f"model {args.name} ready: {path}")
    return 0
