"""Offline outputs: rows.csv agrees with report.json, report.html is one self-contained page
with its tables, plots and a thumbnail per fault, the video codec probe is silent, and
video sources honour variable frame rate and rotation metadata."""

from __future__ import annotations

import csv
import json
import re

import numpy as np
import pytest

from formcoach.sinks.html_report import HtmlReportSink
from formcoach.sinks.rows_csv import rows
from formcoach.sinks.video_writer import OpenCVWriter
from formcoach.sources.base import SourceInfo
from formcoach.sources.video_file import VideoFileSource
from formcoach.types import Event, Frame
from tests.posefactory import make_pose, plank_points, standing_points
from tests.replay import replay_poses
from tests.videogen import rotate_90, write_clip

FPS = 30.0
SIZE = (320, 180)


def sag_session():
    good, sag = make_pose(plank_points()), make_pose(plank_points(bend_deg=-30.0))
    return [make_pose(standing_points())] * 30 + [good] * 90 + [sag] * 90 + [good] * 90


def analyse(tmp_path, poses, video=False, thumbnails=True):
    info = SourceInfo("synthetic.mp4", FPS, len(poses), SIZE)
    image = np.full((SIZE[1], SIZE[0], 3), 90, np.uint8)
    frames = (Frame(image, i / FPS, i) for i in range(len(poses)))
    replayed = replay_poses(
        "plank",
        poses,
        frames,
        info=info,
        out_dir=str(tmp_path),
        video=video,
        thumbnails=thumbnails,
    )
    (html,) = (s for s in replayed.assembly.sinks if isinstance(s, HtmlReportSink))
    report = json.loads((tmp_path / "report.json").read_text())
    return report, (tmp_path / "report.html").read_text(), html


def test_csv_rows_match_the_report(tmp_path):
    report, _, _ = analyse(tmp_path, sag_session())
    with (tmp_path / "rows.csv").open() as f:
        table = list(csv.DictReader(f))
    holds = [r for r in table if r["type"] == "hold"]
    assert len(holds) == len(report["holds"]) >= 1
    for row, hold in zip(holds, report["holds"], strict=True):
        assert float(row["start_s"]) == hold["start_s"]
        assert float(row["end_s"]) == hold["end_s"]
        assert float(row["duration_s"]) == hold["duration_s"]
    # The sag (4-7 s) breaks the form-gated hold in two; neither hold overlaps it.
    assert [f["rule"] for f in report["faults"]] == ["hips_sagging"]
    assert len(holds) == 2 and all(r["faults"] == "" for r in holds)


def test_html_is_self_contained_with_tables_plots_and_a_thumbnail_per_fault(tmp_path):
    report, page, sink = analyse(tmp_path, sag_session())
    assert page.startswith("<!DOCTYPE html>")
    assert "<h2>Reps and holds</h2><table" in page and "<h2>Summary</h2><table" in page
    images = re.findall(r'<img [^>]*src="([^"]*)"', page)
    n_plots = len(sink.bands)  # plank: hip line, elbows, head
    assert len(images) == n_plots + len(report["faults"]) == 4
    assert all(src.startswith("data:image/") for src in images)
    assert page.count("data:image/jpeg") == 1  # the sag's worst moment
    assert not re.search(r"https?://|<script|<link|@import", page)
    # The thumbnail is the worst sag, inside the reported fault interval.
    (thumb,) = sink.thumbnails
    fault = report["faults"][0]
    assert fault["start_s"] <= thumb.t_s <= fault["end_s"]
    assert thumb.severity == pytest.approx(30.0 - 12.0, abs=1.0)


def test_no_thumbnails_keeps_every_video_frame_out_of_the_outputs(tmp_path):
    """`--no-thumbnails` (and --no-html, --no-video): the outputs hold numbers and plots only."""
    report, page, sink = analyse(tmp_path, sag_session(), thumbnails=False)
    assert report["faults"] and sink.thumbnails == []
    assert "data:image/jpeg" not in page
    assert len(re.findall(r"<img ", page)) == len(sink.bands)  # the signal plots only
    for name in ("report.json", "events.jsonl", "rows.csv"):
        assert "data:image" not in (tmp_path / name).read_text()


def test_rep_rows_come_from_rep_events():
    report = {"holds": [], "faults": [{"rule": "knee", "start_s": 2.0, "end_s": 3.0}]}
    events = [
        Event("rep", 1.5, {"side": "left", "start_s": 0.5, "end_s": 1.5, "peak_s": 1.0}),
        Event("rep_partial", 3.0, {"side": None, "start_s": 2.1, "end_s": 3.0, "peak_s": 2.5}),
        Event("rep_ignored", 3.2, {"side": None, "start_s": 3.0, "end_s": 3.2, "peak_s": 3.1}),
        Event("rep", 5.0, {"side": "right", "start_s": 4.0, "end_s": 5.0, "peak_s": 4.4}),
    ]
    table = rows(report, events)
    assert [(r["type"], r["index"], r["side"]) for r in table] == [
        ("rep", 1, "left"),
        ("rep_partial", 1, ""),
        ("rep", 2, "right"),
    ]
    assert [r["faults"] for r in table] == ["", "knee", ""]
    assert table[0]["duration_s"] == 1.0


def test_opencv_codec_probe_is_silent_and_falls_back(tmp_path, capfd):
    writer = OpenCVWriter(tmp_path / "v.mp4", 30.0, (64, 48), codecs=("avc1", "mp4v"))
    writer.write(np.zeros((48, 64, 3), np.uint8))
    writer.close()
    assert writer.codec in ("avc1", "mp4v")
    assert capfd.readouterr().err == ""


def test_annotated_video_is_h264_with_pyav(tmp_path):
    av = pytest.importorskip("av")
    analyse(tmp_path, sag_session()[:60], video=True)
    with av.open(str(tmp_path / "annotated.mp4")) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert (stream.width, stream.height) == SIZE
        assert sum(1 for _ in container.decode(stream)) == 60


def test_variable_frame_rate_uses_container_timestamps(tmp_path):
    pts = [0, 33, 67, 200, 233, 500, 533, 567]
    clip = write_clip(tmp_path / "vfr.mp4", pts)
    with VideoFileSource(clip) as source:
        times = [round(f.timestamp_s * 1000) for f in source]
    assert times == pts


def test_rotation_metadata_is_applied(tmp_path):
    clip = write_clip(tmp_path / "rot.mp4", [0, 33, 67], size_px=(64, 48))
    rotate_90(clip)
    with VideoFileSource(clip) as source:
        assert source.info.size_px == (48, 64)
        frame = next(iter(source))
    assert frame.size_px == (48, 64)
    # The bar down the top half of the left edge is now along the right half of the top.
    white = np.argwhere(frame.image_bgr[:, :, 0] > 128)
    assert white[:, 0].max() < 10 and white[:, 1].min() >= 20


def test_html_names_signals_and_targets_in_words(tmp_path):
    _, page, sink = analyse(tmp_path, sag_session())
    assert "hips above (+) or below (-) the shoulder-ankle line (deg): target -12 to 20 deg" in page
    assert "upper arm&#x27;s tilt from vertical (deg): target at most 25 deg" in page
    assert "inf" not in re.sub(r"<img [^>]*>", "", page)  # no '-inf to 25' left
    for band in sink.bands:  # no variable name as a caption
        assert f"<figcaption>{band.signal}" not in page


def test_a_lunge_report_has_each_reps_depth_in_words(tmp_path):
    from tests.replay import replay

    replayed = replay("lunge", "lunge_01", out_dir=str(tmp_path), video=False)
    reps = [e for e in replayed.events if e.kind == "rep"]
    assert len(reps) >= 8  # MANIFEST: 8 complete lunges
    page = (tmp_path / "report.html").read_text()
    assert "<th>depth: front knee bend (deg)</th>" in page
    with (tmp_path / "rows.csv").open() as f:
        table = [r for r in csv.DictReader(f) if r["type"] == "rep"]
    depths = [float(r["depth"]) for r in table]
    assert depths == [e.data["peak"] for e in reps]
    assert all(60.0 <= d <= 120.0 for d in depths)  # MANIFEST: front knee about 90 deg
