"""`--engine ray --ray-address` on a real two-node Ray cluster started here: a head and a
second node as separate `ray start` processes on loopback, each with its own temporary
folder and resources. A batch of the project's sample clips (cut to 4 s) runs on it; every
output arrives at the driver and matches a run in one local process; one worker killed
mid-batch is retried; the cluster is stopped at the end.

About a minute (two Ray nodes starting, workers importing MediaPipe), so it is the
`integration` tier, which `scripts/test` (and so CI) runs after the default tier.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks.perturb import outcome
from benchmarks.ray_cluster import RAY, loopback_cluster

from formcoach.cli import main
from formcoach.offline.analyze import OUTPUT_FILES
from tests.badvideos import SAMPLES
from tests.cli.test_privacy import dns_activity
from tests.offline.test_batch import cut

pytestmark = pytest.mark.integration

CLIPS = ("plank_good_side", "lunge_good_side", "side_plank_good_front")


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    pytest.importorskip("ray")
    if not RAY.is_file():
        pytest.skip("the ray command is not installed beside this Python")
    with loopback_cluster() as address:
        yield address


@pytest.fixture(scope="module")
def videos(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("clips")
    for name in CLIPS:
        cut(SAMPLES / f"{name}.mp4", folder / f"{name}.mp4", 96, step=1)
    return folder


def _outcomes(out: Path) -> dict[str, dict[str, object]]:
    return {Path(o["input"]).stem: o for o in json.loads((out / "batch.json").read_text())}


def _analyse(videos: Path, out: Path, *flags: str) -> int:
    return main(["analyze", str(videos), "-e", "plank", "-o", str(out), "-q", "--no-video",
                 *flags])  # fmt: skip


def _cluster_command(videos: Path, out: Path, address: str, *flags: str) -> list[str]:
    """The batch as a user runs it: the command, for a fresh process whose environment
    holds the cluster's token (Ray reads it when it is imported)."""
    return [sys.executable, "-m", "formcoach.cli", "analyze", str(videos), "-e", "plank",
            "-o", str(out), "-q", "--no-video", "--engine", "ray", "--ray-address", address,
            *flags]  # fmt: skip


def _on_cluster(videos: Path, out: Path, address: str, *flags: str) -> int:
    command = _cluster_command(videos, out, address, *flags)
    return subprocess.run(command, env=dict(os.environ), timeout=600, check=False).returncode


def _running_tasks() -> list[int]:
    """The processes running an analysis on the cluster's nodes (Ray names them)."""
    found = subprocess.run(["pgrep", "-f", "ray::analyze_remote"], capture_output=True,
                           text=True, check=False).stdout.split()  # fmt: skip
    return [int(pid) for pid in found]


@pytest.fixture(scope="module")
def local(videos, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local")
    assert _analyse(videos, out, "-j", "1") == 0
    return out


def test_a_batch_on_the_cluster_comes_back_to_the_driver_as_a_local_run(
    cluster, videos, local, tmp_path
):
    out = tmp_path / "cluster"
    assert _on_cluster(videos, out, cluster) == 0
    result = _outcomes(out)
    assert {o["status"] for o in result.values()} == {"done"}
    assert len({o["node"] for o in result.values()}) == 2  # both nodes worked
    for name in CLIPS:
        assert all((out / name / f).is_file() for f in OUTPUT_FILES)
        report = json.loads((out / name / "report.json").read_text())
        expected = json.loads((local / name / "report.json").read_text())
        assert outcome(report) == outcome(expected)
        assert report["video"]["path"] == str(videos / f"{name}.mp4")  # not the worker's copy
    rows = (out / "summary.csv").read_text().splitlines()
    assert len(rows) == 1 + len(CLIPS)


@contextlib.contextmanager
def killing_one_task() -> Iterator[list[int]]:
    """Kills the first worker seen running an analysis (SIGKILL, as a crashed node
    would); yields the list its process id is put in."""
    killed: list[int] = []

    def watch() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            found = _running_tasks()
            if found:
                os.kill(found[0], signal.SIGKILL)
                killed.append(found[0])
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        yield killed
    finally:
        watcher.join()


def test_a_worker_killed_mid_batch_is_retried_and_the_batch_finishes(
    cluster, videos, local, tmp_path
):
    out = tmp_path / "cluster"
    with killing_one_task() as killed:
        code = _on_cluster(videos, out, cluster)
    assert killed, "no task was seen running"
    assert code == 0
    for name, result in _outcomes(out).items():
        assert result["status"] == "done"
        report = json.loads((out / name / "report.json").read_text())
        assert outcome(report) == outcome(json.loads((local / name / "report.json").read_text()))


def test_without_retries_the_killed_video_is_reported_and_the_rest_go_on(cluster, videos, tmp_path):
    out = tmp_path / "cluster"
    with killing_one_task() as killed:
        code = _on_cluster(videos, out, cluster, "--retries", "0")
    assert killed and code == 1
    statuses = sorted(str(o["status"]) for o in _outcomes(out).values())
    assert statuses == ["done", "done", "failed"]


def test_joining_the_cluster_the_driver_reaches_only_the_clusters_addresses(
    cluster, videos, tmp_path
):
    """Under strace: every internet socket the command connects goes to the cluster's
    loopback addresses, and no name query is sent."""
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (Debian package strace)")
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(videos / f"{CLIPS[0]}.mp4", one)
    trace, out = tmp_path / "trace.log", tmp_path / "out"
    syscalls = "trace=execve,socket,connect,sendto,sendmsg,open,openat"
    command = ["strace", "-f", "-qq", "-e", syscalls, "-o", str(trace),
               *_cluster_command(one, out, cluster)]  # fmt: skip
    done = subprocess.run(command, env=dict(os.environ), capture_output=True, text=True,
                          timeout=600, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads((out / CLIPS[0] / "report.json").read_text())["exercise"] == "plank"
    log = trace.read_text()
    assert "execve(" in log and "connect(" in log  # the trace recorded the run
    ipv4 = re.findall(r'connect\(\d+, \{sa_family=AF_INET, .*?inet_addr\("([\d.]+)"\)', log)
    ipv6 = re.findall(r'connect\(\d+, \{sa_family=AF_INET6, .*?inet_pton\(AF_INET6, "([^"]+)"', log)
    reached = ipv4 + [a.removeprefix("::ffff:") for a in ipv6]  # IPv4 mapped into IPv6
    assert reached and all(a.startswith("127.") or a == "::1" for a in reached), set(reached)
    assert len(re.findall(r"connect\(\d+, \{sa_family=AF_INET6?,", log)) == len(reached)
    # Ray's native module reads /etc/hosts and nsswitch.conf when it is imported (any Ray
    # run, local or not: a local name); no query leaves the machine, none to port 53.
    queries = [line for line in dns_activity(log) if "htons(53)" in line]
    assert queries == [], queries[:5]


def test_ctrl_c_cancels_what_is_pending_and_keeps_what_finished(cluster, videos, tmp_path):
    many = tmp_path / "many"
    many.mkdir()
    for i in range(3):
        for clip in videos.glob("*.mp4"):
            shutil.copy(clip, many / f"{i}_{clip.name}")
    out = tmp_path / "out"
    run = subprocess.Popen(
        _cluster_command(many, out, cluster),
        env=dict(os.environ),
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        manifest = out / "batch.json"
        if manifest.is_file() and '"done"' in manifest.read_text():
            break
        time.sleep(0.1)
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 130, err[-2000:]
    statuses = {name: str(o["status"]) for name, o in _outcomes(out).items()}
    done = sorted(n for n, s in statuses.items() if s == "done")
    assert done and "pending" in statuses.values(), statuses
    assert set(statuses.values()) <= {"done", "pending"}
    for name in done:  # finished: whole outputs; pending: no report
        assert all((out / name / f).is_file() for f in OUTPUT_FILES)
    for name in (n for n, s in statuses.items() if s == "pending"):
        assert not (out / name / "report.json").exists()
    rows = (out / "summary.csv").read_text().splitlines()
    assert len(rows) == 1 + len(done)
    # Nothing of the batch goes on running on the cluster.
    for _ in range(100):
        running = _running_tasks()
        if not running:
            break
        time.sleep(0.1)
    assert not running
