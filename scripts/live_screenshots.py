"""Screenshots of the live window for the README, from the project's own sample clips.

Starts a virtual display, plays a sample clip as the camera in `formcoach live`, and
saves the screen at chosen moments. Usage (needs Xvfb and xwd):
    PYTHONPATH=src:. python scripts/live_screenshots.py --out docs
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import cv2
from tests.xscreen import screenshot, virtual_display

SHOTS = [  # (clip, exercise, seconds after start, file name)
    ("plank_sagging_side", "plank", (3.0, 9.5), "live_plank"),
    ("lunge_good_side", "lunge", (9.0,), "live_lunge"),
]


def capture(clip: str, exercise: str, times: tuple[float, ...], name: str, out: Path) -> None:
    with virtual_display("1280x720x24") as display:
        env = {**os.environ, "DISPLAY": display}
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "formcoach.cli",
                "live",
                "--source",
                f"sample_videos/{clip}.mp4",
                "-e",
                exercise,
                "--no-voice",
                "--no-history",
                "--skip-setup" if name != "live_setup" else "--mirror",
                "-q",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started = time.monotonic()
        for i, t in enumerate(times):
            time.sleep(max(0.0, t - (time.monotonic() - started)))
            image = screenshot(display)
            target = out / f"{name}_{i + 1}.png"
            cv2.imwrite(str(target), image)
            print(f"{target} at {t:.1f} s")
        proc.terminate()
        proc.wait(10)


def capture_card(clip: str, exercise: str, name: str, out: Path, timeout_s: float = 60.0) -> None:
    """The summary card a set ends on: the screen once it is dimmed with a green heading."""
    import numpy as np

    with virtual_display("1280x720x24") as display:
        env = {**os.environ, "DISPLAY": display}
        command = [sys.executable, "-m", "formcoach.cli", "live", "--source",
                   f"sample_videos/{clip}.mp4", "-e", exercise, "--no-voice", "--no-history",
                   "--skip-setup", "-q"]  # fmt: skip
        proc = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        started = time.monotonic()
        try:
            while time.monotonic() - started < timeout_s and proc.poll() is None:
                image = screenshot(display)
                green = (image[..., 1] > 150) & (image[..., 0] < 120) & (image[..., 2] < 120)
                if np.median(image) < 40 and green[200:450].sum() > 2000:
                    target = out / f"{name}.png"
                    cv2.imwrite(str(target), image)
                    print(target)
                    return
                time.sleep(0.2)
        finally:
            proc.terminate()
            proc.wait(10)
    print(f"no card seen for {clip}", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args()
    args.out.mkdir(exist_ok=True)
    for clip, exercise, times, name in SHOTS:
        capture(clip, exercise, times, name, args.out)
    from formcoach.coach.demo import ensure_demo

    ensure_demo("side_plank")  # the set-up screen shows it; rendered before the clock starts
    capture("side_plank_good_front", "side_plank", (2.0,), "live_setup", args.out)
    capture_card("plank_sagging_side", "plank", "live_card", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
