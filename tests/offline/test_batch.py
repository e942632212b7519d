"""`formcoach analyze FOLDER`: a batch in parallel, resumable, a bad video reported while
the others succeed. Short cuts of a real clip keep MediaPipe's share small."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcoach.cli import main
from formcoach.offline.analyze import OUTPUT_FILES, is_finished, is_video_batch
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


def _summary(out: Path) -> list[dict[str, str]]:
    import csv

    with (out / "summary.csv").open(newline="") as f:
        return list(csv.DictReader(f))


def test_every_batch_writes_one_table_of_its_videos(batch_folder, tmp_path):
    from formcoach.offline.summary_table import COLUMNS

    out = tmp_path / "out"
    assert main(["analyze", str(batch_folder), "-e", "plank", "-o", str(out), "-j", "1", "-q",
                 "--no-video"]) == 1  # fmt: skip
    rows = {r["video"]: r for r in _summary(out)}
    assert list(_summary(out)[0]) == list(COLUMNS)
    assert (
        rows["broken.mp4"]["status"] == "failed" and "cannot decode" in rows["broken.mp4"]["error"]
    )
    for name in ("a", "b"):
        row = rows[f"{name}.mp4"]
        report = json.loads((out / name / "report.json").read_text())
        assert row["status"] == "done" and row["exercise"] == "plank"
        assert int(row["reps"]) == report["reps"]["total"]
        assert float(row["hold_total_s"]) == report["hold_total_s"]
        assert int(row["holds"]) == len(report["holds"])
        assert int(row["faults"]) == len(report["faults"])
        assert row["view"] == report["view"]["detected"]
        assert int(row["frames"]) == report["video"]["frames"]
        assert row["report"] == f"{name}/report.json"
    # A rerun skips the finished videos and still lists them, from their reports.
    assert main(["analyze", str(batch_folder), "-e", "plank", "-o", str(out), "-j", "1", "-q",
                 "--no-video"]) == 1  # fmt: skip
    again = {r["video"]: r for r in _summary(out)}
    assert again["a.mp4"]["status"] == "skipped" and again["a.mp4"]["frames"] == "8"


def test_the_table_is_parquet_too_when_pyarrow_is_installed(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    from formcoach.offline import summary_table
    from formcoach.offline.analyze import Outcome

    (tmp_path / "a").mkdir()
    report = {"exercise": "lunge", "reps": {"total": 4, "left": 2, "right": 2, "partial": 1},
              "holds": [], "hold_total_s": 0.0, "faults": [{"rule": "knee_past_toes"}],
              "view": {"detected": "side", "judgeable": True}, "pose_coverage": 0.97,
              "video": {"frames": 120}, "warnings": ["one", "two"]}  # fmt: skip
    (tmp_path / "a" / "report.json").write_text(json.dumps(report))
    outcomes_ = [
        Outcome("v/a.mp4", str(tmp_path / "a"), "done"),
        Outcome("v/b.mp4", str(tmp_path / "b"), "failed", error="cannot decode"),
    ]
    written = summary_table.write(outcomes_, tmp_path)
    assert [p.name for p in written] == ["summary.csv", "summary.parquet"]
    table = pq.read_table(tmp_path / "summary.parquet").to_pylist()
    assert table[0]["reps_left"] == 2 and table[0]["fault_rules"] == "knee_past_toes"
    assert table[0]["warnings"] == "one | two" and table[0]["judgeable"] is True
    assert table[1]["status"] == "failed" and table[1]["reps"] is None
    assert [r["video"] for r in _summary(tmp_path)] == ["a.mp4", "b.mp4"]


def test_an_interrupted_batch_keeps_what_finished_and_lists_the_rest_as_pending(
    batch_folder, tmp_path, monkeypatch
):
    import formcoach.cli.analyze as commands
    from formcoach.offline.analyze import Outcome

    def interrupted(targets, options, jobs, force, engine, done, ray_options):
        first, out = next(iter(targets.items()))
        done(Outcome(str(first), str(out), "failed", error="as if it broke"))
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "run_batch", interrupted)
    out = tmp_path / "out"
    assert main(["analyze", str(batch_folder), "-e", "plank", "-o", str(out), "-q"]) == 130
    result = outcomes(out)
    assert result["a.mp4"]["status"] == "failed"
    assert result["b.mp4"]["status"] == result["broken.mp4"]["status"] == "pending"
    assert [r["video"] for r in _summary(out)] == ["a.mp4"]


@pytest.mark.parametrize(
    ("flag", "value", "said"),
    [
        ("--retries", "-1", "--retries must be 0 or more, got -1"),
        ("--ray-ship-mb", "-5", "--ray-ship-mb must be 0 or more, got -5"),
        ("--jobs", "0", "--jobs must be 1 or more, got 0"),
    ],
)
def test_a_batch_flag_out_of_range_is_one_line_and_writes_nothing(
    batch_folder, tmp_path, capsys, flag, value, said
):
    out = tmp_path / "out"
    argv = ["analyze", str(batch_folder), "-e", "plank", "-o", str(out), flag, value]
    assert main(argv) == 2
    assert capsys.readouterr().err.strip() == f"formcoach: error: {said}"
    assert not out.exists()
