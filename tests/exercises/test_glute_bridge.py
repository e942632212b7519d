"""Glute bridge: reps from the hips' extension, partial reps short of the line, the low
back arching past it; on hand-made side-view poses and on real footage (truth.tsv's
glute_bridge_01 row is checked by tests/accuracy/test_truth_table.py)."""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.geometry import joint_angle_deg
from formcoach.recognition import Recognizer, dominant
from tests.posefactory import make_pose
from tests.replay import blank_frames, load_track, replay_poses

FPS = 15.0
SHOULDER, KNEE, ANKLE = np.array([1.0, -0.08]), np.array([0.28, -0.5]), np.array([0.0, -0.08])
HIP_X = 0.55


def _in_line_height() -> float:
    """The hip height that puts the hip on the shoulder-knee line."""
    slope = (KNEE[1] - SHOULDER[1]) / (KNEE[0] - SHOULDER[0])
    return -(SHOULDER[1] + slope * (HIP_X - SHOULDER[0]))


def bridge_pose(hip_height_m: float):
    points = {
        "SHOULDER": SHOULDER,
        "HIP": np.array([HIP_X, -hip_height_m]),
        "KNEE": KNEE,
        "ANKLE": ANKLE,
        "HEEL": ANKLE + np.array([-0.05, 0.05]),
        "FOOT_INDEX": ANKLE + np.array([0.12, 0.07]),
        "ELBOW": SHOULDER + np.array([-0.25, 0.05]),
        "WRIST": SHOULDER + np.array([-0.5, 0.06]),
        "EAR": SHOULDER + np.array([0.2, -0.05]),
    }
    return make_pose(points, view="side")


def extension_deg(hip_height_m: float) -> float:
    hip = np.array([HIP_X, -hip_height_m])
    return float(joint_angle_deg(SHOULDER, hip, KNEE))


def bridges(top_m: float, n: int, hold_s: float = 2.0):
    """n bridges from resting (hips 0.1 m up) to `top_m`, held, down, rested."""
    rest_m = 0.10
    heights = [rest_m] * int(FPS)
    for _ in range(n):
        heights += list(np.linspace(rest_m, top_m, int(FPS)))
        heights += [top_m] * int(hold_s * FPS)
        heights += list(np.linspace(top_m, rest_m, int(FPS)))
        heights += [rest_m] * int(FPS)
    return [bridge_pose(h) for h in heights]


def run(poses):
    return replay_poses("glute_bridge", poses, blank_frames(len(poses), FPS)).report


def test_the_poses_are_what_the_tests_say():
    line = _in_line_height()
    assert extension_deg(line) == pytest.approx(180.0, abs=0.5)
    assert extension_deg(0.10) < 140.0  # resting: hips flexed


def test_bridges_to_the_line_count_as_full_reps():
    report = run(bridges(_in_line_height(), 5))
    assert report["reps"]["total"] == 5 and report["reps"]["partial"] == 0
    assert report["faults"] == []


def test_hips_short_of_the_line_are_partial_reps():
    line = _in_line_height()
    short = 0.10 + 0.6 * (line - 0.10)  # hips lifted, but well below the line
    assert 150.0 < extension_deg(short) < 170.0
    report = run(bridges(short, 4))
    assert report["reps"]["total"] == 0 and report["reps"]["partial"] == 4


def test_hips_pushed_above_the_line_are_an_arched_back():
    high = _in_line_height() + 0.12
    assert 25.0 < 180.0 - extension_deg(high) < 40.0  # the hips that far above the line
    report = run(bridges(high, 3, hold_s=3.0))
    assert {f["rule"] for f in report["faults"]} == {"back_arched"}


def test_real_bridges_are_recognised_as_the_glute_bridge():
    """glute_bridge_01 (real footage, several shots): the catalogue's other lying
    exercises keep the hips flexed, so the bridge's extended hips name it."""
    track = load_track("glute_bridge_01")
    recognizer = Recognizer()
    for i, t_s in enumerate(track.timestamps_s):
        recognizer.update(track.pose(i), float(t_s))
    assert dominant(recognizer.labels) == "glute_bridge"
