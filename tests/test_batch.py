"""`formcoach analyze FOLDER`: a batch in parallel, resumable, a bad video reported while
the others succeed. Short cuts of a real clip keep MediaPipe's share small."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcoach.cli import main
from formcoach.offline import OUTPUT_FILES, is_finished, is_video_batch
from tests.conftest import shared_clip


def cut(clip, path, frames, step=3):
    """The first frames (every `step`th) of a clip, as a new mp4v video."""
    cap = cv2.VideoCapture(str(clip))
    writer = None
    kept = 0
    index = 0
    while kept < frames:
        ok, image = cap.read()
        if not ok:
            break
        if index % step == 0:
            if writer is None:
                h, w = image.shape[:2]
                writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 10, (w, h))
            writer.write(image)
            kept += 1
        index += 1
    cap.release()
    writer.release()
    return path


def make_batch_folder(tmp_path):
    """Two short cuts of a real clip, a broken "video" and a file that is no video."""
    clip = shared_clip("plank_02.mp4")
    folder = tmp_path / "videos"
    folder.mkdir()
    cut(clip, folder / "a.mp4", 8)
    cut(clip, folder / "b.mp4", 6)
    (folder / "broken.mp4").write_text("not a video\n" * 40)
    (folder / "notes.txt").write_text("ignored")
    return folder


@pytest.fixture
def batch_folder(tmp_path):
    return make_batch_folder(tmp_path)


def outcomes(out):
    return {Path(o["input"]).name: o for o in json.loads((out / "batch.json").read_text())}


def test_batch_reports_a_bad_video_and_finishes_the_others(batch_folder, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["analyze", str(batch_folder), "-e", "plank", "-o", str(out), "-j", "1", "-q"]
    assert main([*argv, "--no-video"]) == 1
    err = capsys.readouterr().err
    assert "broken.mp4 failed" in err and "cannot decode" in err
    result = outcomes(out)
    assert set(result) == {"a.mp4", "b.mp4", "broken.mp4"}
    assert result["broken.mp4"]["status"] == "failed"
    for name, frames in (("a", 8), ("b", 6)):
        assert result[f"{name}.mp4"]["status"] == "done"
        assert all((out / name / f).is_file() for f in OUTPUT_FILES)
        report = json.loads((out / name / "report.json").read_text())
        assert report["video"]["frames"] == frames and report["complete"]

    # Run again: finished videos are skipped (files untouched), the broken one retried.
    stamp = (out / "a" / "report.json").stat().st_mtime_ns
    assert main([*argv, "--no-video"]) == 1
    result = outcomes(out)
    assert result["a.mp4"]["status"] == result["b.mp4"]["status"] == "skipped"
    assert result["broken.mp4"]["status"] == "failed"
    assert (out / "a" / "report.json").stat().st_mtime_ns == stamp

    # --force analyses them again.
    assert main([*argv, "--no-video", "--force"]) == 1
    assert outcomes(out)["a.mp4"]["status"] == "done"
    assert (out / "a" / "report.json").stat().st_mtime_ns != stamp


def test_batch_in_two_processes_with_the_summary_table(batch_folder, tmp_path, capsys):
    (batch_folder / "broken.mp4").unlink()
    out = tmp_path / "out"
    assert main(["analyze", str(batch_folder), "-e", "plank", "-o", str(out), "-j", "2"]) == 0
    captured = capsys.readouterr()
    table = captured.out.splitlines()
    assert table[-3].split()[:3] == ["input", "status", "frames"]
    assert [line.split()[:3] for line in table[-2:]] == [
        ["a.mp4", "done", "8"],
        ["b.mp4", "done", "6"],
    ]
    assert (out / "a" / "annotated.mp4").stat().st_size > 1000
    assert (out / "b" / "report.html").is_file()


def test_a_folder_is_a_batch_or_an_image_sequence_by_content(tmp_path):
    (tmp_path / "imgs").mkdir()
    cv2.imwrite(str(tmp_path / "imgs" / "0001.png"), np.full((8, 8, 3), 255, np.uint8))
    assert is_video_batch(tmp_path / "imgs") is False
    (tmp_path / "vids").mkdir()
    (tmp_path / "vids" / "x.MOV").write_bytes(b"")
    assert is_video_batch(tmp_path / "vids") is True
    assert is_video_batch(tmp_path / "vids" / "x.MOV") is False


def test_an_interrupted_or_partial_output_is_not_finished(tmp_path):
    for name in OUTPUT_FILES:
        (tmp_path / name).write_text("{}")
    (tmp_path / "report.json").write_text(json.dumps({"complete": False}))
    assert not is_finished(tmp_path, video=False)
    (tmp_path / "report.json").write_text(json.dumps({"complete": True}))
    assert is_finished(tmp_path, video=False)
    assert not is_finished(tmp_path, video=True)  # annotated.mp4 missing
