"""The Python API: `formcoach.analyze` and `formcoach.Coach` give what the command line
gives, with its defaults; the package's public names."""

from __future__ import annotations

import json

import pytest

import formcoach
from formcoach.cli import main
from formcoach.exercises.registry import UnknownExerciseError
from formcoach.sources.video_file import VideoFileSource
from tests.conftest import ROOT

CLIP = ROOT / "sample_videos" / "plank_good_side.mp4"


def _essentials(report: dict) -> dict:
    return {k: report[k] for k in ("exercise", "reps", "holds", "faults", "view", "target")}


@pytest.fixture(scope="module")
def cli_report(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("cli")
    assert main(["analyze", str(CLIP), "-e", "plank", "-o", str(out), "-q", "--no-video"]) == 0
    return json.loads((out / "report.json").read_text())


def test_analyze_in_one_line_equals_the_command_line(cli_report):
    report = formcoach.analyze(CLIP, exercise="plank")
    assert isinstance(report, formcoach.Report)
    assert _essentials(report.to_json()) == _essentials(cli_report)
    assert report.longest_hold_s == max(h["duration_s"] for h in cli_report["holds"])


def test_coach_frame_by_frame_equals_the_command_line(cli_report):
    verdicts = []
    with VideoFileSource(CLIP) as source, formcoach.Coach("plank") as coach:
        for frame in source:  # the caller's own loop: an image and a time
            verdicts.append(coach.update(frame.image_bgr, frame.timestamp_s))
        report = coach.report()
    assert isinstance(verdicts[-1], formcoach.Verdict)
    assert max(v.hold_s for v in verdicts) > 0  # the hold was timed as it happened
    assert _essentials(report.to_json()) == _essentials(cli_report)
    with pytest.raises(RuntimeError, match="has ended"):
        coach.update(frame.image_bgr, frame.timestamp_s + 1)


def test_bad_names_fail_before_any_frame_with_the_closest_name():
    with pytest.raises(UnknownExerciseError, match="did you mean side_plank"):
        formcoach.analyze(CLIP, exercise="side_plnk")
    with pytest.raises(ValueError, match="unknown sampling"):
        formcoach.Coach("plank", sampling="sometimes")


def test_the_package_exports_its_api():
    assert set(formcoach.__all__) >= {"analyze", "Coach", "Report", "RunOptions", "Verdict"}
    for name in formcoach.__all__:
        assert getattr(formcoach, name) is not None
    with pytest.raises(AttributeError):
        formcoach.no_such_thing  # noqa: B018
