"""Faults: a signal in the middle of a run, a full disk, an unwritable output folder, a camera
that stops, a damaged model or history database. Each must end with a clear line, keep what
was measured, and leave no half-written file behind."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import cv2
import pytest

from formcoach.cli import live as commands
from formcoach.cli import main
from formcoach.sources.camera import CameraSource
from formcoach.store.history import History
from tests.badvideos import SAMPLES, sample_frames, write_mp4
from tests.sources.test_live_sources import FakeCapture

FORMCOACH = [sys.executable, "-m", "formcoach.cli"]
CLIP = SAMPLES / "plank_good_side.mp4"  # 10 s: long enough to be stopped in the middle


def child_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    env["FORMCOACH_DATA_DIR"] = str(tmp_path / "data")
    return env


def wait_for(condition, timeout_s: float = 60.0) -> None:
    end = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def ctrl_c_as_in_a_terminal() -> None:
    """In the child: SIGINT's default action, as for a command typed in a terminal. A test
    run started in the background (`pytest &` from a script) has SIGINT ignored, and a
    Python started with it ignored never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def count_frames(path: Path) -> int:
    cap = cv2.VideoCapture(str(path))
    n = 0
    while cap.read()[0]:
        n += 1
    cap.release()
    return n


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory) -> Path:
    """The plank sample four times over (33 s): it cannot finish before the signal."""
    frames = sample_frames("plank_good_side", 200)
    return write_mp4(tmp_path_factory.mktemp("long") / "long.mp4", frames * 4)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_during_analyze_keeps_a_marked_report_and_a_playable_video(
    tmp_path, long_clip, signum
):
    out = tmp_path / "out"
    cmd = [*FORMCOACH, "analyze", str(long_clip), "-e", "plank", "-o", str(out), "-q"]
    proc = subprocess.Popen(
        cmd,
        env=child_env(tmp_path),
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_as_in_a_terminal,
    )
    partial = out / ".annotated.partial.mp4"
    try:
        wait_for(partial.exists)
        time.sleep(1.0)  # a second of frames
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err[-2000:]
    assert "Traceback" not in err
    report = json.loads((out / "report.json").read_text())
    assert report["complete"] is False
    assert "incomplete: interrupted (Ctrl-C)" in report["warnings"]
    measured = report["video"]["frames"]
    assert 0 < measured < 800
    # Every measured frame is in the video (but one, if the signal came between the two).
    assert measured - 1 <= count_frames(out / "annotated.mp4") <= measured
    assert not partial.exists()
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_sigterm_during_live_saves_the_set_and_a_marked_report(tmp_path):
    out = tmp_path / "out"
    cmd = [
        *FORMCOACH,
        "live",
        "--source",
        str(CLIP),
        "-e",
        "plank",
        "--no-window",
        "--no-voice",
        "--skip-setup",
        "--out",
        str(out),
    ]
    proc = subprocess.Popen(cmd, env=child_env(tmp_path), stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(4.0)  # the model loads, then the clip plays in real time
        proc.send_signal(signal.SIGTERM)
        stdout, _ = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert "interrupted" in stdout and "set saved to your history" in stdout
    report = json.loads((out / "report.json").read_text())
    assert report["complete"] is False and report["video"]["frames"] > 0
    with History(tmp_path / "data" / "history.sqlite3") as history:
        [saved] = history.sets()
    assert saved["complete"] == 0


@pytest.fixture
def small_clip(tmp_path) -> Path:
    return write_mp4(tmp_path / "small.mp4", sample_frames("plank_good_side", 6))


def test_disk_full_while_writing_the_video_leaves_no_half_video(
    tmp_path, small_clip, monkeypatch, capsys
):
    from formcoach.sinks import video_writer as videowriter

    written = []

    def full_disk(self, image_bgr):
        written.append(1)
        if len(written) > 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(videowriter.PyAVWriter, "write", full_disk)
    monkeypatch.setattr(videowriter.OpenCVWriter, "write", full_disk)
    out = tmp_path / "out"
    code = main(["analyze", str(small_clip), "-e", "plank", "-o", str(out), "-q", "--people", "1"])
    err = capsys.readouterr().err.strip()
    assert code == 1
    # The file that failed, and what was kept all the same.
    full = "formcoach: file error: No space left on device"
    assert err.startswith(f"{full} ({out / 'annotated.mp4'})")
    assert f"kept: {out / 'report.json'}, {out / 'events.jsonl'}" in err
    assert not (out / "annotated.mp4").exists()
    assert not any(p.name.startswith(".") for p in out.iterdir())  # no partial files
    report = json.loads((out / "report.json").read_text())  # the report still fits
    # Three frames were measured; the third one's video frame could not be written.
    assert report["complete"] is False and report["video"]["frames"] == 3
    assert any("No space left on device" in w for w in report["warnings"])


def test_disk_full_while_writing_the_report_leaves_no_half_report(
    tmp_path, small_clip, monkeypatch, capsys
):
    from formcoach import files

    real_fdopen = files.os.fdopen

    def half_then_full(fd, *args, **kwargs):
        f = real_fdopen(fd, *args, **kwargs)
        real_write = f.write

        def write(text):
            real_write(text[: len(text) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        f.write = write
        return f

    monkeypatch.setattr(files.os, "fdopen", half_then_full)
    out = tmp_path / "out"
    code = main(["analyze", str(small_clip), "-e", "plank", "-o", str(out), "-q", "--people", "1"])
    assert code == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"formcoach: file error: No space left on device ({out / 'report.json'})")
    assert not (out / "report.json").exists()
    assert not any(p.name.startswith(".") for p in out.iterdir())


def test_output_folder_that_cannot_be_created_or_written(tmp_path, small_clip, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["analyze", str(small_clip), "-e", "plank", "-o", str(blocker / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"formcoach: error: cannot create output folder {blocker / 'out'}")
    assert len(err.splitlines()) == 1

    monkeypatch.setattr(os, "access", lambda path, mode: False)  # as root, chmod is no test
    assert main(["analyze", str(small_clip), "-e", "plank", "-o", str(tmp_path / "ro")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"formcoach: error: output folder {tmp_path / 'ro'} is not writable"
    )


def test_camera_unplugged_mid_session_reconnects_then_gives_up_and_saves(
    tmp_path, monkeypatch, capsys, caplog
):
    """10 frames, unplugged, back for 10 frames, then gone for good."""
    captures = iter(
        [FakeCapture(10), FakeCapture(0, opened=False), FakeCapture(10)]
        + [FakeCapture(0, opened=False)] * 1000
    )

    def fake_open_source(spec, realtime=False, size_px=None):
        return CameraSource(
            0,
            capture_factory=lambda i: next(captures),
            reconnect_s=0.3,
            retry_s=0.05,
            placeholder_s=0.05,
        )

    monkeypatch.setattr(commands, "open_source", fake_open_source)
    monkeypatch.setenv("FORMCOACH_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "out"
    argv = ["live", "-e", "plank", "--no-window", "--no-voice", "--skip-setup", "--out", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        "formcoach: error: camera 0 stopped sending frames and did not come back within "
        "0.3 s (unplugged?)"
    )
    log = caplog.text
    assert "stopped sending frames; trying to reconnect" in log and "camera 0 is back" in log
    report = json.loads((out / "report.json").read_text())
    # 20 frames were sent; a slow consumer skips some (only the newest frame is kept).
    assert report["complete"] is False and report["video"]["frames"] > 0
    assert any("incomplete: stopped by an error: camera 0 stopped" in w for w in report["warnings"])
    with History(tmp_path / "data" / "history.sqlite3") as history:
        [saved] = history.sets()
    assert saved["complete"] == 0


def test_corrupt_model_names_the_file_and_the_fix(tmp_path, small_clip, monkeypatch, capsys):
    from formcoach.pose import models

    folder = tmp_path / "models"
    shutil.copytree(models.model_dir(), folder)
    bundle = folder / "pose_landmarker_full.task"
    bundle.write_bytes(bundle.read_bytes()[:1000])
    monkeypatch.setenv("FORMCOACH_MODEL_DIR", str(folder))
    assert main(["analyze", str(small_clip), "-e", "plank", "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("formcoach: model error:") and str(bundle) in err
    assert "run `formcoach setup`" in err and len(err.splitlines()) == 1


def test_damaged_history_is_moved_aside_not_overwritten(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FORMCOACH_DATA_DIR", str(tmp_path))
    damaged = b"this was a history database once" * 100
    (tmp_path / "history.sqlite3").write_bytes(damaged)
    (tmp_path / "history.sqlite3").chmod(0o600)
    assert main(["history"]) == 0
    assert "no sets saved yet" in capsys.readouterr().out
    [aside] = tmp_path.glob("history.sqlite3.damaged-*")
    assert aside.read_bytes() == damaged
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    with History() as history:  # the new one works
        assert history.moved_aside is None and history.sets() == []
        assert stat.S_IMODE(history.path.stat().st_mode) == 0o600


WRITER = """
import sys
from formcoach.store.history import History
from formcoach.store.sets import SetRecord
h = History()
record = SetRecord("plank", "2025-01-01T09:00:00", "2025-01-01T09:01:00", 60.0, holds=1)
session = h.start_session("live")
for i in range(1_000_000):
    h.add_set(record, session)
    print(i + 1, flush=True)
"""


def test_a_kill_during_writes_loses_at_most_the_set_being_written(tmp_path):
    env = child_env(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER], env=env, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if int(line) >= 200:
            break
    proc.kill()
    rest = proc.communicate(timeout=30)[0].split()
    confirmed = int(rest[-1]) if rest else 200
    db = sqlite3.connect(tmp_path / "data" / "history.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    saved = db.execute("SELECT COUNT(*) FROM sets").fetchone()[0]
    db.close()
    assert confirmed <= saved <= confirmed + 1
