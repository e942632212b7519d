"""Privacy: a full analysis and a live session make no network call at all.

Two independent proofs: (1) strace records every socket/connect/sendto of the process
tree and no internet socket (AF_INET/AF_INET6) may appear; (2) the same runs succeed in
a namespace that has no network at all (`unshare --net`, root only).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

from formcoach.commands import runtime_is_network_silent
from tests.conftest import shared_clip

FORMCOACH = [sys.executable, "-m", "formcoach.cli"]


@pytest.fixture(scope="module")
def short_clip(tmp_path_factory) -> Path:
    """The first 2 s of a real plank clip, written to a temporary folder (not the repo)."""
    source = shared_clip("plank_02.mp4")
    out = tmp_path_factory.mktemp("privacy") / "short.mp4"
    cap = cv2.VideoCapture(str(source))
    fps = cap.get(cv2.CAP_PROP_FPS)
    writer = None
    for _ in range(int(fps * 2)):
        ok, frame = cap.read()
        if not ok:
            break
        if writer is None:
            h, w = frame.shape[:2]
            writer = cv2.VideoWriter(str(out), cv2.VideoWriter.fourcc(*"mp4v"), fps, (w, h))
        writer.write(frame)
    assert writer is not None
    writer.release()
    cap.release()
    return out


def analyze_cmd(clip: Path, out: Path) -> list[str]:
    return [*FORMCOACH, "analyze", str(clip), "-e", "plank", "-o", str(out), "-q"]


def live_cmd(clip: Path, out: Path) -> list[str]:
    return [
        *FORMCOACH,
        "live",
        "--source",
        str(clip),
        "-e",
        "plank",
        "--no-window",
        "--out",
        str(out),
        "-q",
    ]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env


@pytest.mark.parametrize("command", [analyze_cmd, live_cmd], ids=["analyze", "live"])
def test_no_internet_socket_is_ever_opened(short_clip, tmp_path, command):
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (Debian package strace)")
    trace = tmp_path / "trace.log"
    out = tmp_path / "out"
    result = subprocess.run(
        [
            "strace",
            "-f",
            "-qq",
            "-e",
            "trace=execve,socket,connect,sendto,sendmsg",
            "-o",
            str(trace),
            *command(short_clip, out),
        ],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads((out / "report.json").read_text())["exercise"] == "plank"
    log = trace.read_text()
    internet = re.findall(r"socket\(AF_INET6?,.*|connect\(\d+, \{sa_family=AF_INET6?.*", log)
    assert internet == [], f"network activity: {internet[:5]}"
    # The trace really recorded the process's syscalls: its own start is in it.
    assert "execve(" in log


@pytest.mark.parametrize("command", [analyze_cmd, live_cmd], ids=["analyze", "live"])
def test_runs_in_a_namespace_without_network(short_clip, tmp_path, command):
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("unshare --net needs root and util-linux")
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"unshare --net is not permitted here: {probe.stderr.decode().strip()}")
    out = tmp_path / "out"
    result = subprocess.run(
        ["unshare", "--net", *command(short_clip, out)],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (out / "report.json").is_file()


@pytest.mark.parametrize(
    ("version", "silent"),
    [
        ("0.10.21", True),
        ("0.10.30", False),
        ("1.2.2", False),
        ("0.10.14", False),
    ],
)
def test_only_the_measured_runtime_counts_as_network_silent(version, silent):
    assert runtime_is_network_silent(version) is silent
