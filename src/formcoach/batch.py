"""Many videos at once: worker processes (default) or a Ray cluster (`--engine ray`).

One MediaPipe landmarker keeps about one core busy, so `jobs` defaults to the core count
and each worker runs TFLite single-threaded. A video whose outputs are all there from a
finished run is skipped unless `force`. A video that fails is reported in its Outcome and
the batch goes on; a worker process that dies is reported for the video it was running.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import Any

from formcoach.assembly import RunOptions
from formcoach.offline import Outcome, analyze_one, worker_threads

log = logging.getLogger(__name__)

ENGINES = ("process", "ray")


class EngineError(RuntimeError):
    """The requested engine cannot run here (e.g. Ray is not installed)."""


Callback = Callable[[Outcome], None]


def run_batch(
    jobs_by_input: dict[Path, Path],
    options: RunOptions,
    jobs: int,
    force: bool = False,
    engine: str = "process",
    on_done: Callback | None = None,
) -> list[Outcome]:
    """Analyse every input into its output folder; Outcomes in input order."""
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}; expected one of: {', '.join(ENGINES)}")
    jobs = max(1, min(jobs, len(jobs_by_input) or 1))
    options = replace(options, threads=worker_threads(jobs))
    tasks = [(str(k), str(v)) for k, v in jobs_by_input.items()]
    done = on_done or (lambda outcome: None)
    if engine == "ray":
        results = _ray(tasks, options, jobs, force, done)
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


@contextlib.contextmanager
def offline_ray_env() -> Iterator[None]:
    """Environment for starting a local Ray instance that calls nothing outside.

    RAY_USAGE_STATS_ENABLED=0 stops usage reports. Ray (measured with 2.60 under strace)
    still starts its API-server process with the UsageStatsHead module, which probes the
    cloud metadata addresses (169.254.169.254, metadata.google.internal) over HTTP with
    `requests` even when reporting is off. HTTP_PROXY (upper case: `requests` reads it,
    gRPC reads only the lower-case names, so Ray's own traffic is untouched) points those
    probes at a closed local port instead. Ray's processes inherit it at start-up.
    """
    saved = {k: os.environ.get(k) for k in ("RAY_USAGE_STATS_ENABLED", "HTTP_PROXY")}
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    os.environ["HTTP_PROXY"] = "http://127.0.0.1:9"  # port 9: discard, nothing listens
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _ray(
    tasks: list[tuple[str, str]], options: RunOptions, jobs: int, force: bool, done: Callback
) -> dict[str, Outcome]:
    try:
        import ray
    except ImportError:
        raise EngineError("--engine ray needs Ray: pip install 'formcoach[ray]'") from None
    started_here = not ray.is_initialized()
    if started_here:
        with offline_ray_env():
            ray.init(
                num_cpus=jobs,
                include_dashboard=False,
                _node_ip_address="127.0.0.1",  # bind locally; no route lookup via 8.8.8.8
                log_to_driver=False,
                configure_logging=False,
            )
    remote: Any = ray.remote(num_cpus=1, max_retries=0)(analyze_one)
    pending = {remote.remote(path, out, options, force): (path, out) for path, out in tasks}
    results: dict[str, Outcome] = {}
    try:
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            path, out = pending.pop(ready[0])
            try:
                outcome = ray.get(ready[0])
            except Exception as exc:  # a worker that died: reported, the batch goes on
                outcome = Outcome(path, out, "failed", error=f"{type(exc).__name__}: {exc}")
            results[path] = outcome
            done(outcome)
    finally:
        for ref in pending:
            ray.cancel(ref, force=True)
        if started_here:
            ray.shutdown()
    return results
