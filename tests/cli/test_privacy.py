"""Privacy: an analysis, a live session, a guided routine and the history make no network
call at all, not even a DNS lookup.

Two independent proofs: (1) strace records every socket/connect/sendto/open of the process
tree: no internet socket (AF_INET/AF_INET6), no connect to port 53 or to a local resolver
(nscd, systemd-resolved), no read of /etc/resolv.conf may appear; (2) the same runs
succeed in a namespace that has no network at all (`unshare --net`, root only).
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

from formcoach.cli.info import runtime_is_network_silent
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


def routine_cmd(clip: Path, out: Path) -> list[str]:
    """The built-in routine, scripted: no prompts, no window, no voice; saves to history."""
    return [
        *FORMCOACH,
        "routine",
        "--source",
        str(clip),
        "--no-window",
        "--no-voice",
        "--skip-setup",
        "--yes",
        "--pain-before",
        "2",
        "--pain-after",
        "1",
    ]


def history_cmd(clip: Path, out: Path) -> list[str]:
    return [*FORMCOACH, "history", "--csv", str(out / "sets.csv")]


COMMANDS = [analyze_cmd, live_cmd, routine_cmd, history_cmd]
IDS = ["analyze", "live", "routine", "history"]


def child_env(data_dir: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    if data_dir is not None:
        env["FORMCOACH_DATA_DIR"] = str(data_dir)
    return env


def check_output(command, out: Path, data: Path) -> None:
    """The run really did its work (a trace of a run that failed early proves nothing)."""
    if command is history_cmd:
        assert (out / "sets.csv").read_text().startswith("id,")
    elif command is routine_cmd:
        assert any(data.glob("history.sqlite3"))
    else:  # analyze, live with or without a window
        assert json.loads((out / "report.json").read_text())["exercise"] == "plank"


def dns_activity(log: str) -> list[str]:
    """Lines of an strace log that look up a name: port 53, a resolver socket, resolv.conf."""
    patterns = [
        r".*htons\(53\).*",
        r"connect\(.*(nscd|resolve|dbus).*",
        r".*open(at)?\(.*(resolv\.conf|nsswitch\.conf|/etc/hosts\b).*",
    ]
    return [m.group(0) for p in patterns for m in re.finditer(p, log)]


def test_the_dns_pattern_would_catch_a_lookup():
    log = (
        'openat(AT_FDCWD, "/etc/resolv.conf", O_RDONLY|O_CLOEXEC) = 3\n'
        "connect(3, {sa_family=AF_INET, sin_port=htons(53), "
        'sin_addr=inet_addr("127.0.0.53")}, 16) = 0\n'
    )
    assert len(dns_activity(log)) == 2
    assert dns_activity('openat(AT_FDCWD, "/work/x.py", O_RDONLY) = 3\n') == []


def live_window_cmd(clip: Path, out: Path) -> list[str]:
    """Live with its window on the desktop (the display is the test session's Xvfb)."""
    return [c for c in live_cmd(clip, out) if c != "--no-window"] + ["--no-voice"]


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_no_internet_socket_is_ever_opened(short_clip, tmp_path, command, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)  # a machine without a desktop
    trace_run(short_clip, tmp_path, command)


@pytest.mark.parametrize("command", [analyze_cmd, live_window_cmd], ids=["analyze", "live"])
def test_no_lookup_on_a_desktop_either(short_clip, tmp_path, command, x_display):
    """With a display, MediaPipe's GPU probe would open a GL context, look the user up in
    the user database (nsswitch: possibly a network directory) and write a shader cache;
    formcoach hides the display from it (pose/mediapipe_env.without_display)."""
    assert os.environ["DISPLAY"] == x_display
    log = trace_run(short_clip, tmp_path, command)
    assert "mesa_shader_cache" not in log


def trace_run(short_clip: Path, tmp_path: Path, command) -> str:
    """Run a command under strace; assert it did its work and touched no network."""
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (Debian package strace)")
    trace = tmp_path / "trace.log"
    out, data = tmp_path / "out", tmp_path / "data"
    out.mkdir()
    if command is history_cmd:  # something to show
        subprocess.run(routine_cmd(short_clip, out), env=child_env(data), check=True, timeout=300)
    result = subprocess.run(
        [
            "strace",
            "-f",
            "-qq",
            "-e",
            "trace=execve,socket,connect,sendto,sendmsg,open,openat",
            "-o",
            str(trace),
            *command(short_clip, out),
        ],
        env=child_env(data),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    check_output(command, out, data)
    log = trace.read_text()
    internet = re.findall(r"socket\(AF_INET6?,.*|connect\(\d+, \{sa_family=AF_INET6?.*", log)
    assert internet == [], f"network activity: {internet[:5]}"
    assert dns_activity(log) == [], f"name lookups: {dns_activity(log)[:5]}"
    assert "openat(" in log  # the trace did record file opens
    # The trace really recorded the process's syscalls: its own start is in it.
    assert "execve(" in log
    return log


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_runs_in_a_namespace_without_network(short_clip, tmp_path, command):
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("unshare --net needs root and util-linux")
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"unshare --net is not permitted here: {probe.stderr.decode().strip()}")
    out, data = tmp_path / "out", tmp_path / "data"
    out.mkdir()
    if command is history_cmd:
        subprocess.run(routine_cmd(short_clip, out), env=child_env(data), check=True, timeout=300)
    result = subprocess.run(
        ["unshare", "--net", *command(short_clip, out)],
        env=child_env(data),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    check_output(command, out, data)


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


def test_outputs_that_show_the_person_are_readable_by_their_owner_only(tmp_path):
    import stat

    from formcoach.cli import main
    from tests.badvideos import sample_frames, write_mp4

    clip = write_mp4(tmp_path / "plank.mp4", sample_frames("plank_good_side", 24))
    out = tmp_path / "out"
    assert main(["analyze", str(clip), "-e", "plank", "-o", str(out), "-q"]) == 0
    for name in ("annotated.mp4", "report.html"):  # the video, the fault thumbnails
        assert stat.S_IMODE((out / name).stat().st_mode) & 0o077 == 0, name
