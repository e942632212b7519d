"""The person coached among several: a plank on the mat, someone standing by from the
first frame and someone larger walking across in front (tests/composites.py, made from
the project's own sample clips), analysed end to end with the model.

The oracle is the sample clip's truth (plank_good_side.truth.json: one correct hold,
2.14-7.60 s) and the same composite with nobody else in it: what the others change is
what is measured. A second composite has only the walker, who comes in when one-person
tracking has been running alone for 3 s.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from formcoach.cli import main
from tests.composites import crowd_clip
from tests.goldens import SAMPLES

TRUTH = json.loads((SAMPLES / "plank_good_side.truth.json").read_text())["events"]["holds"]
TOLERANCE_S = 0.5  # the perturbation harness's: a hold is the same within 0.5 s


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("crowd")
    return {
        "crowd": crowd_clip(folder / "crowd.mp4", "plank_good_side"),
        "walker": crowd_clip(folder / "walker.mp4", "plank_good_side", standing_by=False),
        "alone": crowd_clip(folder / "alone.mp4", "plank_good_side", others=False),
    }


def _analyse(clip: Path, out: Path, *flags: str) -> dict[str, Any]:
    assert main(["analyze", str(clip), "-e", "plank", "-o", str(out), "--no-video", "-q",
                 *flags]) == 0  # fmt: skip
    report: dict[str, Any] = json.loads((out / "report.json").read_text())
    return report


@pytest.fixture(scope="module")
def alone(clips, tmp_path_factory) -> dict[str, Any]:
    return _analyse(clips["alone"], tmp_path_factory.mktemp("alone"))


@pytest.fixture(scope="module")
def default_run(clips, tmp_path_factory) -> dict[str, Any]:
    return _analyse(clips["crowd"], tmp_path_factory.mktemp("default"))


def _holds(report: dict[str, Any]) -> list[tuple[float, float]]:
    return [(h["start_s"], h["end_s"]) for h in report["holds"]]


def _covers_the_truth(hold: tuple[float, float]) -> float:
    [true] = TRUTH
    overlap = min(hold[1], true["end_s"]) - max(hold[0], true["start_s"])
    return max(0.0, overlap) / (true["end_s"] - true["start_s"])


def test_alone_on_the_canvas_the_hold_is_the_truths(alone):
    [hold] = _holds(alone)
    assert _covers_the_truth(hold) > 0.95 and not alone["faults"]


# Three people are in view either way; looking for all three (12 s of the model) is the
# same path with one more pose asked of MediaPipe, so the default tier runs 2.
@pytest.mark.parametrize("people", ["2", pytest.param("3", marks=pytest.mark.slow)])
def test_looking_for_several_people_the_one_on_the_mat_is_coached(clips, alone, tmp_path, people):
    report = _analyse(clips["crowd"], tmp_path, "--people", people)
    [hold] = _holds(report)
    [hold_alone] = _holds(alone)
    assert abs(hold[0] - hold_alone[0]) <= TOLERANCE_S
    assert abs(hold[1] - hold_alone[1]) <= TOLERANCE_S
    assert _covers_the_truth(hold) > 0.95 and not report["faults"]
    said = " ".join(report["warnings"])
    assert "more than one person was in view" in said
    assert "lost and picked again" not in said and "out of view" not in said


def test_by_default_the_report_says_others_were_there_and_how_to_follow_the_right_one(
    default_run,
):
    said = " ".join(default_run["warnings"])
    assert "more than one person was in view" in said and "--people 3" in said


def test_by_default_the_one_on_the_mat_is_coached(default_run, alone):
    [hold] = _holds(default_run)
    [hold_alone] = _holds(alone)
    assert abs(hold[0] - hold_alone[0]) <= TOLERANCE_S
    assert abs(hold[1] - hold_alone[1]) <= TOLERANCE_S
    assert _covers_the_truth(hold) > 0.95 and not default_run["faults"]
    said = " ".join(default_run["warnings"])
    assert "everyone was looked for on every frame" in said


def test_by_default_someone_walking_in_later_does_not_take_over(clips, alone, tmp_path):
    """Nobody else until the walker comes in at 3 s: one-person tracking until a check
    sees them, then everyone is looked for while they cross in front (4-6 s)."""
    report = _analyse(clips["walker"], tmp_path)
    [hold] = _holds(report)
    [hold_alone] = _holds(alone)
    assert abs(hold[0] - hold_alone[0]) <= TOLERANCE_S
    assert abs(hold[1] - hold_alone[1]) <= TOLERANCE_S
    assert not report["faults"]
    said = " ".join(report["warnings"])
    assert "everyone was looked for on every frame" in said
    assert "lost and picked again" not in said
