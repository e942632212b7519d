"""A full disk loses nothing small: report.json and the events are written first and
survive, a writer that fails removes its own temporary file, and the message names the
file that failed and what was kept."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from formcoach import files
from formcoach.cli import main
from tests.badvideos import sample_frames, write_mp4


def test_a_failing_html_leaves_no_temporary_file_and_the_report_stands(
    tmp_path, monkeypatch, capsys
):
    made: list[str] = []
    real_mkstemp, real_fdopen = files.tempfile.mkstemp, files.os.fdopen

    def mkstemp(*args, **kwargs):
        fd, path = real_mkstemp(*args, **kwargs)
        made.append(path)
        return fd, path

    def fdopen(fd, *args, **kwargs):
        f = real_fdopen(fd, *args, **kwargs)
        if ".report.html." in made[-1]:  # the disk fills up on the HTML page

            def write(text):
                raise OSError(errno.ENOSPC, "No space left on device")

            f.write = write
        return f

    clip = write_mp4(tmp_path / "plank.mp4", sample_frames("plank_good_side", 72))
    monkeypatch.setattr(files.tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(files.os, "fdopen", fdopen)
    out = tmp_path / "out"
    code = main(["analyze", str(clip), "-e", "plank", "-o", str(out), "-q", "--no-video"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"({out / 'report.html'})" in err and "kept:" in err and "report.json" in err
    assert json.loads((out / "report.json").read_text())["exercise"] == "plank"
    assert (out / "events.jsonl").is_file() and (out / "rows.csv").is_file()
    assert sorted(p.name for p in out.iterdir()) == ["events.jsonl", "report.json", "rows.csv"]


def _tmpfs(path: Path, size: str) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    path.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")


@pytest.mark.parametrize(("size", "video"), [("48k", False), ("120k", True)])
def test_on_a_really_full_disk_the_small_results_survive(tmp_path, capsys, size, video):
    # 48 kB: the HTML page does not fit; 120 kB: the annotated video fills it mid-run.
    clip = write_mp4(tmp_path / "plank.mp4", sample_frames("plank_good_side", 72))
    disk = tmp_path / "disk"
    _tmpfs(disk, size)
    try:
        out = disk / "out"
        argv = ["analyze", str(clip), "-e", "plank", "-o", str(out), "-q"]
        argv += [] if video else ["--no-video"]
        code = main(argv)
        err = capsys.readouterr().err
        names = sorted(p.name for p in out.iterdir())
        assert code == 1 and "No space left on device" in err and "kept:" in err, err
        assert json.loads((out / "report.json").read_text())["exercise"] == "plank"
        assert "events.jsonl" in names
        assert not [n for n in names if n.startswith(".")], names  # no temporary file left
        if video:  # the video filled the disk: it is the file named, and it is dropped
            assert "annotated" in err.split(";")[0] and "annotated.mp4" not in names, err
    finally:
        # Nothing of formcoach's may hold a file open on the disk: unmounting works.
        unmounted = subprocess.run(["umount", str(disk)], capture_output=True, text=True)
        if unmounted.returncode != 0:
            subprocess.run(["umount", "-l", str(disk)], check=False)
        assert unmounted.returncode == 0, f"a file stayed open: {unmounted.stderr}"
