"""Many videos at once: worker processes (default) or Ray (`--engine ray`, ray_engine.py).

One MediaPipe landmarker keeps about one core busy, so `jobs` defaults to the core count
and each worker runs TFLite single-threaded. A video whose outputs are all there from a
finished run is skipped unless `force`. A video that fails is reported in its Outcome and
the batch goes on; a worker process that dies is reported for the video it was running.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

from formcoach.assembly import RunOptions
from formcoach.files import write_json_atomic
from formcoach.offline.analyze import Outcome, analyze_one, worker_threads
from formcoach.offline.ray_engine import EngineError, RayOptions, run_ray

log = logging.getLogger(__name__)

ENGINES = ("process", "ray")


Callback = Callable[[Outcome], None]


class Manifest:
    """batch.json: every input's Outcome so far and "pending" for the rest, rewritten
    (atomically) after each, so an interrupted or killed batch says what it finished; a
    rerun skips the videos whose outputs are finished (`offline.finished_outcome`)."""

    def __init__(self, path: Path, jobs_by_input: dict[Path, Path]) -> None:
        self.path = path
        self.outcomes = {
            str(k): Outcome(str(k), str(v), "pending") for k, v in jobs_by_input.items()
        }

    def record(self, outcome: Outcome) -> None:
        self.outcomes[outcome.input] = outcome
        self.write()

    def finished(self) -> list[Outcome]:
        return [o for o in self.outcomes.values() if o.status != "pending"]

    def write(self) -> None:
        write_json_atomic(self.path, [o.to_json() for o in self.outcomes.values()])


def run_batch(
    jobs_by_input: dict[Path, Path],
    options: RunOptions,
    jobs: int,
    force: bool = False,
    engine: str = "process",
    on_done: Callback | None = None,
    ray_options: RayOptions | None = None,
) -> list[Outcome]:
    """Analyse every input into its output folder; Outcomes in input order."""
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}; expected one of: {', '.join(ENGINES)}")
    jobs = max(1, min(jobs, len(jobs_by_input) or 1))
    options = replace(options, threads=worker_threads(jobs))
    tasks = [(str(k), str(v)) for k, v in jobs_by_input.items()]
    done = on_done or (lambda outcome: None)
    if engine == "ray":
        results = run_ray(tasks, options, jobs, force, done, ray_options or RayOptions())
    elif jobs == 1:
        results = {}
        for path, out in tasks:
            results[path] = analyze_one(path, out, options, force)
            done(results[path])
    else:
        results = _processes(tasks, options, jobs, force, done)
    return [results[path] for path, _ in tasks]


def _processes(
    tasks: list[tuple[str, str]], options: RunOptions, jobs: int, force: bool, done: Callback
) -> dict[str, Outcome]:
    # spawn, not fork: MediaPipe and OpenCV start threads that a fork would copy half-way.
    context = multiprocessing.get_context("spawn")
    results: dict[str, Outcome] = {}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures: dict[Future[Outcome], tuple[str, str]] = {
            pool.submit(analyze_one, path, out, options, force): (path, out) for path, out in tasks
        }
        try:
            for future in as_completed(futures):
                path, out = futures[future]
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    outcome = Outcome(path, out, "failed", error="the worker process died")
                results[path] = outcome
                done(outcome)
        except KeyboardInterrupt:
            for future in futures:
                future.cancel()
            raise
    return results
