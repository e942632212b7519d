"""Batches on Ray: a private instance on this machine (the default) or a cluster that
already runs (`--ray-address`, or Ray's own RAY_ADDRESS).

On a cluster a task may run on another node, whose disk the caller never sees. So a
task analyses into a temporary folder on its node and returns every output file (the
annotated video too when the run writes one) to the driver, which writes them under
`--out`; no worker writes to the caller's paths. Inputs travel one of two ways: a file
up to `ship_mb` is read by the driver and shipped through Ray's object store; a larger
one is read by the worker from the same path, so it must be on storage every node can
read. A worker that dies is retried up to `retries` times (Ray's task retries), then
reported as failed, and the rest go on. At most two tasks per CPU of the cluster are in
flight, so shipped inputs never pile up in the object store.
"""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from formcoach.assembly import RunOptions
from formcoach.defaults import DEFAULT_RAY_RETRIES, DEFAULT_RAY_SHIP_MB
from formcoach.files import write_bytes_atomic, write_json_atomic
from formcoach.offline.analyze import Outcome, analyze_one, finished_outcome
from formcoach.sink_set import REPORT_FILE

# relative path -> (permission bits, content)
Files = dict[str, tuple[int, bytes]]


class EngineError(RuntimeError):
    """The requested engine cannot run here (e.g. Ray is not installed)."""


@dataclass(frozen=True, slots=True)
class RayOptions:
    address: str | None = None  # None: RAY_ADDRESS if set, else a private local instance
    ship_mb: float = DEFAULT_RAY_SHIP_MB  # inputs up to this size travel as bytes
    retries: int = DEFAULT_RAY_RETRIES  # times a task whose worker died is run again


@contextlib.contextmanager
def offline_ray_env() -> Iterator[None]:
    """Environment for starting or joining Ray so that it calls nothing outside.

    RAY_USAGE_STATS_ENABLED=0 stops usage reports. Ray (measured with 2.60 under strace)
    still starts its API-server process with the UsageStatsHead module, which probes the
    cloud metadata addresses (169.254.169.254, metadata.google.internal) over HTTP with
    `requests` even when reporting is off. HTTP_PROXY (upper case: `requests` reads it,
    gRPC reads only the lower-case names, so Ray's own traffic is untouched) points those
    probes at a closed local port instead. Ray's processes inherit it at start-up; a
    cluster started elsewhere needs the same two variables when it is started (README).
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


def cluster_address(options: RayOptions) -> str | None:
    """The cluster to join: `--ray-address`, else RAY_ADDRESS, else None (start one)."""
    return options.address or os.environ.get("RAY_ADDRESS") or None


def run_ray(
    tasks: list[tuple[str, str]],
    options: RunOptions,
    jobs: int,
    force: bool,
    done: Callable[[Outcome], None],
    ray_options: RayOptions,
) -> dict[str, Outcome]:
    """Analyse `tasks` ((input, output folder) pairs) on Ray; Outcomes by input."""
    try:
        import ray
    except ImportError:
        raise EngineError("--engine ray needs Ray: pip install 'formcoach[ray]'") from None
    address = cluster_address(ray_options)
    started_here = not ray.is_initialized()
    if started_here:
        with offline_ray_env():
            if address is not None:
                try:
                    # Ray finds this machine's address on the route to the head (no
                    # lookup towards 8.8.8.8, as a private instance would make).
                    ray.init(address=address, log_to_driver=False, configure_logging=False)
                except (ConnectionError, RuntimeError, ValueError) as exc:
                    raise EngineError(f"cannot join the Ray cluster at {address}: {exc}") from None
            else:
                ray.init(
                    num_cpus=jobs,
                    include_dashboard=False,
                    _node_ip_address="127.0.0.1",  # bind locally; no route lookup via 8.8.8.8
                    log_to_driver=False,
                    configure_logging=False,
                )
    try:
        return _run(ray, tasks, options, force, done, ray_options)
    finally:
        if started_here:
            ray.shutdown()


def _run(
    ray: Any,
    tasks: list[tuple[str, str]],
    options: RunOptions,
    force: bool,
    done: Callable[[Outcome], None],
    ray_options: RayOptions,
) -> dict[str, Outcome]:
    remote: Any = ray.remote(num_cpus=1, max_retries=ray_options.retries)(analyze_remote)
    in_flight = max(1, 2 * int(ray.cluster_resources().get("CPU", 1)))
    ship_bytes = ray_options.ship_mb * 1e6
    results: dict[str, Outcome] = {}
    queue = list(tasks)
    pending: dict[Any, tuple[str, str]] = {}
    try:
        while queue or pending:
            while queue and len(pending) < in_flight:
                path, out = queue.pop(0)
                finished = None if force else finished_outcome(path, out, options.video)
                if finished is not None:
                    results[path] = finished
                    done(finished)
                    continue
                data = _read_if_small(Path(path), ship_bytes)
                pending[remote.remote(path, out, data, options)] = (path, out)
            if not pending:
                continue
            [ready], _ = ray.wait(list(pending), num_returns=1)
            path, out = pending.pop(ready)
            try:
                outcome, files = ray.get(ready)
                write_outputs(Path(out), files)
            except OSError as exc:  # the driver's disk: the outputs could not be kept
                outcome = Outcome(path, out, "failed", error=f"writing outputs: {exc}")
            except Exception as exc:  # the task failed past its retries: reported, go on
                outcome = Outcome(path, out, "failed", error=f"{type(exc).__name__}: {exc}")
            results[path] = outcome
            done(outcome)
    finally:
        for ref in pending:
            ray.cancel(ref, force=True)
    return results


def _read_if_small(path: Path, limit: float) -> bytes | None:
    """The file's bytes when it is at most `limit` bytes (shipped), else None (read by
    the worker from the same path)."""
    try:
        return path.read_bytes() if path.stat().st_size <= limit else None
    except OSError:
        return None  # the worker reports it, as for any unreadable input


def analyze_remote(
    path: str, out: str, data: bytes | None, options: RunOptions
) -> tuple[Outcome, Files]:
    """One video on a Ray worker: analysed in a temporary folder on this node; the
    Outcome (naming the caller's paths) and every output file go back to the driver."""
    from formcoach.pose import models

    if not Path(options.model_path).is_file():  # another node: its own model file
        options = replace(options, model_path=str(models.model_path()))
    with tempfile.TemporaryDirectory(prefix="formcoach-task-") as tmp:
        source = path
        if data is not None:
            shipped = Path(tmp) / "input" / Path(path).name
            shipped.parent.mkdir()
            shipped.write_bytes(data)
            source = str(shipped)
        elif not Path(path).is_file():
            node = socket.gethostname()
            return Outcome(path, out, "failed", error=f"{path} cannot be read on node "
                           f"{node}: larger inputs than --ray-ship-mb must be on storage "
                           "every node reads"), {}  # fmt: skip
        work = Path(tmp) / "out"
        outcome = analyze_one(source, str(work), options, force=True)
        if source != path:
            _name_the_input(work, source, path)
        files = {
            str(f.relative_to(work)): (f.stat().st_mode & 0o777, f.read_bytes())
            for f in sorted(work.rglob("*"))
            if f.is_file()
        }
    import ray

    node = ray.get_runtime_context().get_node_id()
    error = outcome.error.replace(source, path)
    return replace(outcome, input=path, out_dir=out, error=error, node=node), files


def _name_the_input(work: Path, shipped: str, path: str) -> None:
    """Reports name the input the caller gave, not the shipped copy's temporary path."""
    import json

    for report in work.rglob(REPORT_FILE):
        data = json.loads(report.read_text(encoding="utf-8"))
        video = data.get("video")
        if isinstance(video, dict) and video.get("path") == shipped:
            video["path"] = path
            mode = report.stat().st_mode & 0o777
            write_json_atomic(report, data)
            report.chmod(mode)


def write_outputs(out: Path, files: Files) -> None:
    """A task's returned files under `out`, each written whole (atomic) with the
    permissions the worker gave it (images of the person: owner only). The report goes
    last: a batch interrupted meanwhile leaves no report.json, so the video is not taken
    for finished (`offline.analyze.is_finished`)."""
    order = sorted(files, key=lambda relative: (Path(relative).name == REPORT_FILE,
                                                relative == REPORT_FILE))  # fmt: skip
    for relative in order:
        mode, content = files[relative]
        target = out / relative
        if out.resolve() not in target.resolve().parents:
            raise OSError(f"refusing to write {relative} outside {out}")
        write_bytes_atomic(target, content, mode)
