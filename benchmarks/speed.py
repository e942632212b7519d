"""Speed benchmarks of offline analysis, reported as ratios measured in one run.

Each measurement runs in a fresh Python process (so peak memory is per process and one
run's warm caches do not help the next):
- plain: decode + MediaPipe PoseLandmarker VIDEO loop over every frame, nothing else;
- analysis: `formcoach analyze` without the video output (report, events, CSV, HTML);
- adaptive: the same with `--sampling adaptive`;
- batch: COPIES copies of the clip analysed with --jobs 1, then with --jobs 2;
- length: the clip vs a ~60 s clip made by concatenating its frames (in /tmp).

Usage: PYTHONPATH=src FORMCOACH_MODEL_DIR=... python benchmarks/speed.py [CLIP] [--copies N]
       [--skip batch,length]
The machine's load average is printed with the results: other processes share the cores.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CLIP = Path(__file__).resolve().parents[2] / "shared" / "clips" / "plank_02.mp4"


def _peak_mb() -> float:
    """Peak resident memory of this process. VmHWM, not ru_maxrss: ru_maxrss survives
    exec, so a child forked from a parent holding many frames would report the parent's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def one_plain(clip: str) -> dict[str, float]:
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    from formcoach.pose.models import model_path

    started = time.perf_counter()  # model loading counts, as it does for the analysis
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model_path("full"))),
        running_mode=vision.RunningMode.VIDEO,
    )
    landmarker = vision.PoseLandmarker.create_from_options(options)
    cap = cv2.VideoCapture(clip)
    frames, last = 0, -1
    while True:
        ok, image = cap.read()
        if not ok:
            break
        t_ms = max(round(cap.get(cv2.CAP_PROP_POS_MSEC)), last + 1)
        last = t_ms
        rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        landmarker.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), t_ms)
        frames += 1
    seconds = time.perf_counter() - started
    landmarker.close()
    return {"seconds": seconds, "frames": frames, "calls": frames, "peak_mb": _peak_mb()}


def one_analysis(clip: str, sampling: str, html: str = "html") -> dict[str, float]:
    # Imported before the clock starts, as in `one_plain`: both time model loading and the
    # frames, neither times Python importing mediapipe (~1 s).
    import mediapipe  # noqa: F401
    from mediapipe.tasks.python import vision  # noqa: F401

    from formcoach.assembly import RunOptions
    from formcoach.offline.analyze import analyze_source
    from formcoach.pose.models import model_path
    from formcoach.sources.open import open_source

    options = RunOptions(
        "plank", str(model_path("full")), video=False, html=html == "html", sampling=sampling
    )
    with tempfile.TemporaryDirectory() as out, open_source(clip) as source:
        started = time.perf_counter()
        outcome = analyze_source(source, Path(out), options)
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "frames": outcome.frames,
        "calls": outcome.model_calls or outcome.frames,
        "hold_s": outcome.summary.get("hold_s", 0.0),
        "reps": outcome.summary.get("reps", 0),
        "peak_mb": _peak_mb(),
    }


def one_batch(folder: str, jobs: int) -> dict[str, float]:
    from formcoach.cli import main

    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        code = main(
            ["analyze", folder, "-e", "plank", "-o", out, "-j", str(jobs), "-q", "--no-video"]
        )
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "exit": code, "peak_mb": _peak_mb()}


def measure(*args: str) -> dict[str, float]:
    """Run one measurement in a fresh process; its JSON result."""
    result = subprocess.run(
        [sys.executable, __file__, "--one", *args],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def make_long_clip(clip: Path, seconds: float, path: Path) -> Path:
    """Concatenate the clip's frames until it lasts `seconds` (mp4v: it is re-decoded)."""
    import cv2

    cap = cv2.VideoCapture(str(clip))
    fps = cap.get(cv2.CAP_PROP_FPS)
    frames = []
    while True:
        ok, image = cap.read()
        if not ok:
            break
        frames.append(image)
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, (w, h))
    for i in range(round(seconds * fps)):
        cycle, j = divmod(i, len(frames))
        writer.write(frames[j] if cycle % 2 == 0 else frames[-1 - j])  # ping-pong: no jump cut
    writer.release()
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("clip", nargs="?", type=Path, default=DEFAULT_CLIP)
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--skip", default="", help="comma-separated: batch,length")
    parser.add_argument("--one", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, *rest = args.one
        result = {
            "plain": lambda: one_plain(rest[0]),
            "analysis": lambda: one_analysis(*rest),
            "batch": lambda: one_batch(rest[0], int(rest[1])),
        }[kind]()
        print(json.dumps(result))
        return 0

    clip = str(args.clip)
    skip = set(args.skip.split(",")) if args.skip else set()
    print(f"clip {args.clip.name}; {os.cpu_count()} cores; load before: {os.getloadavg()}")
    plain = measure("plain", clip)
    full = measure("analysis", clip, "full")
    nohtml = measure("analysis", clip, "full", "nohtml")
    adaptive = measure("analysis", clip, "adaptive")
    runs = {"plain": plain, "full": full, "nohtml": nohtml, "adaptive": adaptive}
    fps = {k: r["frames"] / r["seconds"] for k, r in runs.items()}
    print(f"plain MediaPipe loop: {fps['plain']:.1f} frames/s, peak {plain['peak_mb']:.0f} MB")
    print(
        f"analysis (no video):  {fps['full']:.1f} frames/s = {fps['full'] / fps['plain']:.2f}x "
        f"plain, peak {full['peak_mb']:.0f} MB, hold {full['hold_s']} s, reps {full['reps']}"
    )
    print(
        f"  same without HTML:  {fps['nohtml']:.1f} frames/s = "
        f"{fps['nohtml'] / fps['plain']:.2f}x plain (matplotlib's import and plots are a "
        f"fixed {full['seconds'] - nohtml['seconds']:.1f} s)"
    )
    print(
        f"adaptive sampling:    {fps['adaptive']:.1f} frames/s = "
        f"{fps['adaptive'] / fps['plain']:.2f}x plain, model calls "
        f"{adaptive['calls'] / adaptive['frames']:.2f}/frame, peak {adaptive['peak_mb']:.0f} MB, "
        f"hold {adaptive['hold_s']} s, reps {adaptive['reps']}"
    )
    with tempfile.TemporaryDirectory(prefix="formcoach-bench-") as tmp:
        if "batch" not in skip:
            folder = Path(tmp) / "batch"
            folder.mkdir()
            for i in range(args.copies):
                (folder / f"copy{i}{args.clip.suffix}").symlink_to(args.clip.resolve())
            one = measure("batch", str(folder), "1")
            two = measure("batch", str(folder), "2")
            print(
                f"batch of {args.copies}: 1 process {one['seconds']:.1f} s, 2 processes "
                f"{two['seconds']:.1f} s = {one['seconds'] / two['seconds']:.2f}x"
            )
        if "length" not in skip:
            long_clip = make_long_clip(args.clip, 60.0, Path(tmp) / "long.mp4")
            long = measure("analysis", str(long_clip), "full")
            per_frame = (full["seconds"] / full["frames"], long["seconds"] / long["frames"])
            print(
                f"length: {full['frames']} frames {per_frame[0] * 1000:.1f} ms/frame, "
                f"{long['frames']} frames {per_frame[1] * 1000:.1f} ms/frame "
                f"(ratio {per_frame[1] / per_frame[0]:.2f}; 1.00 = linear), "
                f"peak {long['peak_mb']:.0f} MB"
            )
    print(f"load after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
