"""Camera-to-overlay latency of live mode, with a video file paced at its real frame rate
standing in for the camera.

    PYTHONPATH=src python benchmarks/live_latency.py /path/to/clip.mp4 [--model full]

Latency of a frame = from the moment the reader thread has it (what a camera driver hands
over) to the moment its overlay is rendered and shown. Also reports the model's own
inference time per frame and how many frames were dropped because the pipeline was busy
(the newest frame is always taken; there is never a queue).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

import numpy as np

from formcoach.assembly import LiveOptions, RunOptions, build, make_estimator
from formcoach.pose import models
from formcoach.pose.estimators import PoseEstimator
from formcoach.render.hud import render_live
from formcoach.sources.video_file import VideoFileSource
from formcoach.types import Event, Frame, FrameResult, Pose, RunStats


class TimedEstimator:
    """The default path's estimator, timed per frame."""

    def __init__(self, inner: PoseEstimator) -> None:
        self.inner, self.times_s = inner, []

    def estimate(self, frame: Frame) -> Pose | None:
        start = time.perf_counter()
        pose = self.inner.estimate(frame)
        self.times_s.append(time.perf_counter() - start)
        return pose

    def close(self) -> None:
        self.inner.close()


class LatencySink:
    """Measures when each frame's overlay is done: rendered here unless the live window
    (the assembly's own sink, before this one) already drew and showed it."""

    def __init__(self, source: VideoFileSource, render: bool) -> None:
        self.source, self.render = source, render
        self.latencies_s: list[float] = []

    def write(self, result: FrameResult) -> None:
        assert result.session is not None
        if self.render:
            render_live(result, result.session, "benchmark", "hold")
        read_at = self.source.read_times.get(result.frame.index)
        if read_at is not None:
            self.latencies_s.append(time.monotonic() - read_at)

    def close(self, summary: object, stats: RunStats, events: Sequence[Event]) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video")
    parser.add_argument("--model", default="full")
    parser.add_argument("--window", action="store_true", help="also show the window")
    args = parser.parse_args()
    source = VideoFileSource(args.video, realtime=True)
    options = RunOptions(
        "plank",
        model_path=str(models.model_path(args.model)),
        mode="live",
        live=LiveOptions(setup_check=False, window=args.window, voice=False),
    )
    estimator = TimedEstimator(make_estimator(options))
    sink = LatencySink(source, render=not args.window)
    with source:
        assembly = build(options, source.info, estimator=estimator)
        assembly.sinks.append(sink)
        stats = assembly.run(source)
    lat = np.array(sink.latencies_s[5:]) * 1000  # the first frames include model warm-up
    inf = np.array(estimator.times_s[5:]) * 1000
    interval = 1000 / source.info.fps
    total = stats.frames + source.dropped
    print(f"clip {args.video}: {source.info.fps:.2f} fps ({interval:.1f} ms per frame)")
    print(f"model {args.model}: inference p50 {np.percentile(inf, 50):.1f} ms, "
          f"p95 {np.percentile(inf, 95):.1f} ms")  # fmt: skip
    print(f"camera-to-overlay latency p50 {np.percentile(lat, 50):.1f} ms, "
          f"p95 {np.percentile(lat, 95):.1f} ms")  # fmt: skip
    print(f"p95 latency beyond p95 inference: "
          f"{np.percentile(lat, 95) - np.percentile(inf, 95):.1f} ms")  # fmt: skip
    print(f"frames processed {stats.frames}, dropped {source.dropped} of {total} "
          f"({source.dropped / max(total, 1):.0%})")  # fmt: skip


if __name__ == "__main__":
    main()
