"""The bad-input corpus through `formcoach analyze`: unusable input is one line and exit 2;
anything analysable is exit 0 with a warning in the report saying what was wrong.

Every video is generated here (see badvideos.py); MediaPipe runs on a few small frames.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from formcoach.cli import main
from tests.badvideos import (
    FPS,
    close,
    far,
    phone_rotated,
    sample_frames,
    shifted,
    side_by_side,
    write_av,
    write_mp4,
)
from tests.conftest import shared_clip


def analyze(
    tmp_path: Path, clip: Path, capsys: Any, *extra: str, exercise: str = "plank"
) -> tuple[int, dict[str, Any] | None, str]:
    out = tmp_path / "out"
    code = main(["analyze", str(clip), "-e", exercise, "-o", str(out), "-q", *extra])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    report = out / "report.json"
    return code, json.loads(report.read_text()) if report.exists() else None, err.strip()


def assert_one_line_error(code: int, report: object, err: str, message: str) -> None:
    assert code == 2
    assert report is None
    assert len(err.splitlines()) == 1, err
    assert err.startswith("formcoach: error:") and message in err


# --- unusable input: exit 2, one line --------------------------------------------------------


def test_missing_path(tmp_path, capsys):
    code, report, err = analyze(tmp_path, tmp_path / "nope.mp4", capsys)
    assert_one_line_error(code, report, err, f"video not found: {tmp_path / 'nope.mp4'}")


def test_empty_file(tmp_path, capsys):
    (tmp_path / "empty.mp4").write_bytes(b"")
    code, report, err = analyze(tmp_path, tmp_path / "empty.mp4", capsys)
    assert_one_line_error(code, report, err, "video file is empty")


def test_text_file_named_mp4(tmp_path, capsys):
    (tmp_path / "notes.mp4").write_text("not a video\n" * 100)
    code, report, err = analyze(tmp_path, tmp_path / "notes.mp4", capsys)
    assert_one_line_error(code, report, err, "not a readable video")


def test_still_image(tmp_path, capsys):
    image = tmp_path / "photo.png"
    cv2.imwrite(str(image), sample_frames("plank_good_side", 1)[0])
    code, report, err = analyze(tmp_path, image, capsys)
    assert_one_line_error(code, report, err, "is a still image: give a video, or a folder")


def test_truncated_mp4_with_its_index_at_the_end(tmp_path, capsys):
    """OpenCV's mp4 has its index (moov) last: cut, nothing can be decoded."""
    clip = write_mp4(tmp_path / "cut.mp4", sample_frames("plank_good_side", 12))
    clip.write_bytes(clip.read_bytes()[: clip.stat().st_size // 2])
    code, report, err = analyze(tmp_path, clip, capsys)
    assert_one_line_error(code, report, err, "cut.mp4")


def test_truncated_faststart_mp4_keeps_the_frames_before_the_cut(tmp_path, capsys):
    frames = sample_frames("plank_good_side", 24)
    pts = [round(i * 1000 / FPS) for i in range(24)]
    clip = write_av(tmp_path / "cut.mp4", frames, pts, faststart=True)
    full = clip.read_bytes()
    index = full.find(b"mdat")
    assert index > 0
    clip.write_bytes(full[: index + (len(full) - index) // 2])
    code, report, err = analyze(tmp_path, clip, capsys)
    assert code == 0 and report is not None, err
    assert 0 < report["video"]["frames"] < 24
    assert report["pose_coverage"] > 0.5
    # Marked, and the warning says what was cut (1.0 s declared: 24 frames at 24 fps).
    assert report["truncated"] is True
    [cut] = [w for w in report["warnings"] if "cut off" in w]
    assert f"({report['video']['frames']} of 24 frames)" in cut and "of the 1.0 s" in cut


def test_a_real_clip_cut_off_halfway_is_marked_and_says_where(tmp_path, capsys):
    # The first 162,781 bytes of plank_02.mp4 (10.6 s declared): 5.4 s decode.
    clip = tmp_path / "half.mp4"
    clip.write_bytes(shared_clip("plank_02.mp4").read_bytes()[:162_781])
    code, report, err = analyze(tmp_path, clip, capsys, "--no-video", "--no-html")
    assert code == 0 and report is not None, err
    assert report["truncated"] is True and report["complete"] is True  # read to its end
    [cut] = [w for w in report["warnings"] if "cut off" in w]
    assert "of the 10.6 s its header declares" in cut
    assert report["video"]["duration_s"] == pytest.approx(5.4, abs=0.2)


def test_a_whole_file_is_not_called_cut(tmp_path, capsys):
    clip = write_mp4(tmp_path / "whole.mp4", sample_frames("plank_good_side", 24))
    code, report, err = analyze(tmp_path, clip, capsys, "--no-video", "--no-html")
    assert code == 0 and report is not None, err
    assert report["truncated"] is False
    assert not [w for w in report["warnings"] if "cut off" in w]


# --- analysable but odd: exit 0, the report says what was odd ---------------------------------


def test_one_frame_video_is_too_short(tmp_path, capsys):
    clip = write_mp4(tmp_path / "one.mp4", sample_frames("plank_good_side", 1))
    code, report, err = analyze(tmp_path, clip, capsys)
    assert code == 0 and report is not None, err
    assert report["video"]["frames"] == 1 and report["complete"]
    assert any("only 1 frame(s)" in w and "too short" in w for w in report["warnings"])


def test_4k_video(tmp_path, capsys):
    frames = [cv2.resize(f, (3840, 2160)) for f in sample_frames("plank_good_side", 3)]
    clip = write_mp4(tmp_path / "uhd.mp4", frames)
    code, report, err = analyze(tmp_path, clip, capsys, "--people", "1")
    assert code == 0 and report is not None, err
    assert (report["video"]["width"], report["video"]["height"]) == (3840, 2160)
    assert report["video"]["frames"] == 3 and report["pose_coverage"] == 1.0
    annotated = cv2.VideoCapture(str(tmp_path / "out" / "annotated.mp4"))
    assert int(annotated.get(cv2.CAP_PROP_FRAME_COUNT)) == 3


def test_rotated_phone_video_is_analysed_upright(tmp_path, capsys):
    clip = phone_rotated(tmp_path / "phone.mp4", sample_frames("plank_good_side", 6))
    code, report, err = analyze(tmp_path, clip, capsys, "--no-html", "--no-video")
    assert code == 0 and report is not None, err
    assert (report["video"]["width"], report["video"]["height"]) == (640, 360)
    assert report["pose_coverage"] == 1.0


def test_variable_frame_rate_keeps_container_time(tmp_path, capsys):
    pts = [0, 40, 80, 200, 240, 500, 540, 580]
    clip = write_av(tmp_path / "vfr.mp4", sample_frames("plank_good_side", len(pts)), pts)
    code, report, err = analyze(tmp_path, clip, capsys, "--no-html", "--no-video")
    assert code == 0 and report is not None, err
    assert report["video"]["frames"] == len(pts)
    # From the first to the last container time, plus one frame at the nominal rate.
    assert report["video"]["duration_s"] == pytest.approx(0.58 + 1 / report["video"]["fps"], 0.05)


def test_grayscale_video(tmp_path, capsys):
    frames = sample_frames("plank_good_side", 6)
    pts = [round(i * 1000 / FPS) for i in range(6)]
    clip = write_av(tmp_path / "gray.mkv", frames, pts, codec="ffv1", pix_fmt="gray")
    code, report, err = analyze(tmp_path, clip, capsys, "--no-html", "--no-video")
    assert code == 0 and report is not None, err
    assert report["pose_coverage"] > 0.5


@pytest.mark.parametrize(
    ("rate", "step_ms"), [(Fraction(1000), 1), (Fraction(1, 10), 10_000)], ids=["1000", "0.1"]
)
def test_extreme_frame_rate_in_the_container(tmp_path, capsys, rate, step_ms):
    frames = sample_frames("plank_good_side", 4)
    clip = write_av(tmp_path / "odd.mp4", frames, [i * step_ms for i in range(4)], rate=rate)
    code, report, err = analyze(tmp_path, clip, capsys, "--no-html", "--no-video")
    assert code == 0 and report is not None, err
    assert report["video"]["fps"] == 30.0
    assert any(f"claims {float(rate):g} fps" in w for w in report["warnings"])
    assert report["video"]["duration_s"] == pytest.approx(3 * step_ms / 1000 + 1 / 30, abs=0.01)


def test_nobody_in_view(tmp_path, capsys):
    rng = np.random.default_rng(0)
    frames = [rng.integers(60, 120, (360, 640, 3), dtype=np.uint8) for _ in range(6)]
    code, report, err = analyze(tmp_path, write_mp4(tmp_path / "empty_room.mp4", frames), capsys)
    assert code == 0 and report is not None, err
    assert report["pose_coverage"] == 0.0 and report["reps"]["total"] == 0
    assert "a person was found in only 0% of frames" in report["warnings"]


def _crop(frames: list[np.ndarray], x0: float, x1: float) -> list[np.ndarray]:
    return [np.ascontiguousarray(f[:, int(x0 * f.shape[1]) : int(x1 * f.shape[1])]) for f in frames]


def test_two_people_the_report_says_so(tmp_path, capsys):
    lunge = _crop(sample_frames("lunge_good_side", 8), 0.45, 0.75)
    plank = _crop(sample_frames("plank_good_side", 8), 0.2, 0.78)
    clip = write_mp4(tmp_path / "two.mp4", side_by_side(lunge, plank))
    code, report, err = analyze(tmp_path, clip, capsys, "--no-html", "--no-video")
    assert code == 0 and report is not None, err
    assert any("more than one person was in view" in w for w in report["warnings"])


@pytest.mark.parametrize("people", [1, 2], ids=["default", "people2"])
def test_two_people_of_the_same_size_is_ambiguous_and_one_is_kept(tmp_path, people):
    """Two copies of the same person: largest-per-frame would flip between them. By
    default MediaPipe follows one person and the once-a-second check sees both; with
    --people 2 the tracker chooses among both on every frame."""
    from formcoach.assembly import RunOptions, make_estimator
    from formcoach.types import Frame

    lunge = _crop(sample_frames("lunge_good_side", 40), 0.45, 0.75)
    estimator = make_estimator(RunOptions("lunge", people=people))
    centres = []
    for i, image in enumerate(side_by_side(lunge, lunge)):
        pose = estimator.estimate(Frame(np.ascontiguousarray(image), i / FPS, i))
        assert pose is not None
        centres.append(float(np.mean(pose.image_norm[:, 0])))
    warnings = estimator.warnings()
    estimator.close()
    assert len({c > 0.5 for c in centres}) == 1, centres  # always the same half
    assert any("more than one person was in view" in w for w in warnings)
    assert any("ambiguous who was being coached" in w for w in warnings)


def test_walking_out_and_back_keeps_the_person_and_says_when(tmp_path, capsys):
    frames = sample_frames("plank_good_side", 60)
    gone = range(12, 48)  # 1.5 s out of view
    moved = [shifted(f, 640) if i in gone else f for i, f in enumerate(frames)]
    code, report, err = analyze(
        tmp_path,
        write_mp4(tmp_path / "out_and_back.mp4", moved),
        capsys,
        "--no-video",
        "--no-thumbnails",
    )
    assert code == 0 and report is not None, err
    assert report["pose_coverage"] == pytest.approx(24 / 60, abs=0.05)
    [gap] = [w for w in report["warnings"] if "out of view" in w]
    start, end = (float(x) for x in gap.split(" at ")[1].split(" s")[0].split("-"))
    assert start == pytest.approx(12 / FPS, abs=0.1) and end == pytest.approx(48 / FPS, abs=0.1)
    html = (tmp_path / "out" / "report.html").read_text()
    assert "out of view" in html
    assert "data:image/jpeg" not in html  # --no-thumbnails: no frame of the video in it
    assert not (tmp_path / "out" / "annotated.mp4").exists()


def test_person_far_away(tmp_path, capsys):
    frames = [far(f, 0.3) for f in sample_frames("plank_good_side", 6)]
    code, report, err = analyze(tmp_path, write_mp4(tmp_path / "far.mp4", frames), capsys)
    assert code == 0 and report is not None, err
    # Too far for the model: the report says a person was rarely found.
    assert any("a person was found in only" in w for w in report["warnings"])


def test_person_very_close_is_cut_off(tmp_path, capsys):
    frames = [close(f, 2.2) for f in sample_frames("plank_good_side", 8)]
    code, report, err = analyze(tmp_path, write_mp4(tmp_path / "close.mp4", frames), capsys)
    assert code == 0 and report is not None, err
    assert any(
        "outside the image" in w or "a person was found in only" in w for w in report["warnings"]
    ), report["warnings"]
