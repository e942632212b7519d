"""Ray batches against local processes: tasks per second and the overhead per video.

    PYTHONPATH=src:. python benchmarks/ray_cluster.py [--copies 8] [--seconds 4]

Makes COPIES cuts of a sample clip (SECONDS long), starts a Ray cluster of two nodes on
loopback (a head and a second node, one CPU each, as tests/offline/test_ray_cluster.py does), and
times `formcoach analyze FOLDER --no-video` three ways, each in a fresh process: `--jobs 2`
local processes, `--engine ray` (a private instance, 2 CPUs) and `--engine ray
--ray-address` (the cluster). Prints videos per second and, against the processes, the
seconds each video costs more. Run it on an idle machine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAY = Path(sys.executable).with_name("ray")
# A cluster's processes start with Ray's usage statistics off and its cloud-metadata
# probes pointed at a closed local port, as `ray_engine.offline_ray_env` does (README).
OFFLINE = {"RAY_USAGE_STATS_ENABLED": "0", "HTTP_PROXY": "http://127.0.0.1:9"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.2", 0))
        return int(s.getsockname()[1])


def _start(args: list[str], temp_dir: Path) -> subprocess.Popen[bytes]:
    """`ray start ... --block` in its own process group (stopped as a group)."""
    command = [str(RAY), "start", "--block", "--temp-dir", str(temp_dir),
               "--disable-usage-stats", *args]  # fmt: skip
    with (temp_dir.parent / f"{temp_dir.name}.log").open("wb") as log:  # the child's copy
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, **OFFLINE}, start_new_session=True)  # fmt: skip


def _stop(process: subprocess.Popen[bytes]) -> None:
    group = os.getpgid(process.pid)
    os.killpg(group, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)  # whatever of the node is left
    process.wait()


def _wait_for_nodes(address: str, count: int, timeout_s: float = 90.0) -> None:
    script = (
        "import ray, sys; ray.init(address=sys.argv[1], log_to_driver=False); "
        "print(sum(n['Alive'] for n in ray.nodes()))"
    )
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        done = subprocess.run([sys.executable, "-c", script, address], capture_output=True,
                              text=True, env={**os.environ, **OFFLINE}, timeout=60,
                              check=False)  # fmt: skip
        if done.returncode == 0 and done.stdout.strip() == str(count):
            return
        time.sleep(1.0)
    raise RuntimeError(f"the Ray cluster at {address} did not reach {count} nodes")


@contextlib.contextmanager
def loopback_cluster(cpus_per_node: int = 1) -> Iterator[str]:
    """A Ray head (127.0.0.2) and a second node (127.0.0.3) as separate `ray start`
    processes, each with its own temporary folder (the second with a `second_node`
    resource), sharing a fresh authentication token; yields the head's address with this
    process's environment set to join it (the token), and stops both.

    Loopback addresses other than 127.0.0.1: `ray start` replaces 127.0.0.1 by the
    machine's routable address (looked up with a route to 8.8.8.8)."""
    # Ray's socket paths must stay short (a Unix socket path has 107 bytes at most): its
    # temporary folders go directly under /tmp.
    root = Path(tempfile.mkdtemp(prefix="fc-ray-", dir="/tmp"))
    token = root / "auth_token"
    token.write_text(secrets.token_hex(32))
    token.chmod(0o600)
    auth = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN_PATH": str(token)}
    saved = {k: os.environ.get(k) for k in auth}
    os.environ.update(auth)
    port = _free_port()
    address = f"127.0.0.2:{port}"
    cpus = str(cpus_per_node)
    head = _start(["--node-ip-address", "127.0.0.2", "--head", "--port", str(port),
                   "--num-cpus", cpus, "--include-dashboard", "false"], root / "head")  # fmt: skip
    second = None
    try:
        second = _start(["--node-ip-address", "127.0.0.3", "--address", address,
                         "--num-cpus", cpus, "--resources", '{"second_node": 1}'],
                        root / "node2")  # fmt: skip
        _wait_for_nodes(address, 2)
        yield address
    finally:
        for process in (second, head):
            if process is not None:
                _stop(process)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(root, ignore_errors=True)


def _time(folder: Path, out: Path, *flags: str) -> float:
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "formcoach.cli", "analyze", str(folder), "-e", "plank",
               "-o", str(out), "-q", "--no-video", *flags]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=True, env={**os.environ, **OFFLINE})
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--clip", default="plank_good_side")
    args = parser.parse_args()
    from tests.offline.test_batch import cut

    work = Path(tempfile.mkdtemp(prefix="fc-ray-bench-"))
    folder = work / "videos"
    folder.mkdir()
    frames = round(args.seconds * 24)
    for i in range(args.copies):
        cut(ROOT / "sample_videos" / f"{args.clip}.mp4", folder / f"v{i:02d}.mp4", frames, 1)
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    try:
        runs = {
            "processes (--jobs 2)": _time(folder, work / "p", "-j", "2"),
            "ray, private instance": _time(folder, work / "r", "--engine", "ray", "-j", "2"),
        }
        with loopback_cluster() as address:
            runs["ray, 2-node cluster"] = _time(folder, work / "c", "--engine", "ray",
                                                "--ray-address", address)  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    base = runs["processes (--jobs 2)"]
    print(f"\n{args.copies} videos of {args.seconds:g} s ({frames} frames, {args.clip})\n")
    print("| engine | seconds | videos/s | extra s per video |\n|---|---|---|---|")
    for name, seconds in runs.items():
        extra = (seconds - base) / args.copies
        print(f"| {name} | {seconds:.1f} | {args.copies / seconds:.2f} | {extra:+.2f} |")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
