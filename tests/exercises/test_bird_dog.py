"""Bird dog: reps per lifted leg from the thigh's extension, the leg lifted above the
trunk's line, and the pelvis turning open; on hand-made side-view poses (scene metres,
y up, head toward +x, the right side toward the camera)."""

from __future__ import annotations

import math

import numpy as np

from formcoach.recognition import Recognizer, dominant
from tests.posefactory_holds import make_pose_3d
from tests.replay import blank_frames, replay_poses

FPS = 15.0
LATERAL = np.array([0.0, 0.0, -1.0])  # the person's right-to-left direction
HIP = np.array([0.0, 0.47, 0.0])
SHOULDER = np.array([0.6, 0.5, 0.0])
THIGH_M, SHIN_M = 0.45, 0.43


def _leg(thigh_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Knee and ankle (centre line) with the thigh `thigh_deg` back from hanging down."""
    t = math.radians(thigh_deg)
    knee = HIP + THIGH_M * np.array([-math.sin(t), -math.cos(t), 0.0])
    return knee, knee + np.array([-SHIN_M, 0.0, 0.0])


def bird_dog_pose(lifted: str | None, thigh_deg: float = 0.0, hip_tilt_deg: float = 0.0):
    half = 0.16
    tilt = math.radians(hip_tilt_deg)
    hip_side = half * np.array([0.0, math.sin(tilt), -math.cos(tilt)])
    pts = {
        "LEFT_HIP": HIP + hip_side,
        "RIGHT_HIP": HIP - hip_side,
        "LEFT_SHOULDER": SHOULDER + LATERAL * 0.18,
        "RIGHT_SHOULDER": SHOULDER - LATERAL * 0.18,
        "NOSE": SHOULDER + np.array([0.2, 0.0, 0.0]),
    }
    for side, sign in (("LEFT", 1.0), ("RIGHT", -1.0)):
        knee, ankle = _leg(thigh_deg if lifted == side else 0.0)
        offset = sign * LATERAL * 0.1
        pts[f"{side}_KNEE"], pts[f"{side}_ANKLE"] = knee + offset, ankle + offset
        pts[f"{side}_HEEL"] = ankle + offset + np.array([0.0, 0.04, 0.0])
        pts[f"{side}_FOOT_INDEX"] = ankle + offset + np.array([-0.05, -0.02, 0.0])
        pts[f"{side}_ELBOW"] = SHOULDER + sign * LATERAL * 0.18 + np.array([0.0, -0.25, 0.0])
        pts[f"{side}_WRIST"] = SHOULDER + sign * LATERAL * 0.18 + np.array([0.0, -0.48, 0.0])
    return make_pose_3d(pts, lateral=LATERAL)


def bird_dogs(top_deg: float, sides=("RIGHT", "LEFT"), n: int = 3, hip_tilt_deg: float = 0.0):
    """n reaches per side, each up to `top_deg`, held 2 s, back, a second's rest."""
    poses = [bird_dog_pose(None)] * int(FPS)
    for _ in range(n):
        for side in sides:
            ramp = list(np.linspace(0.0, top_deg, int(FPS)))
            lifts = ramp + [top_deg] * int(2 * FPS) + ramp[::-1] + [0.0] * int(FPS)
            for deg in lifts:
                tilt = hip_tilt_deg * deg / top_deg
                poses.append(bird_dog_pose(side if deg else None, deg, tilt))
    return poses


def reps(top_deg: float, sides=("RIGHT", "LEFT"), n: int = 3, hip_tilt_deg: float = 0.0):
    poses = bird_dogs(top_deg, sides, n, hip_tilt_deg)
    return replay_poses("bird_dog", poses, blank_frames(len(poses), FPS)).report


def test_legs_reached_out_level_count_per_side():
    report = reps(90.0)
    assert report["view"]["detected"] == "side"
    assert (report["reps"]["right"], report["reps"]["left"]) == (3, 3)
    assert report["faults"] == []


def test_a_leg_lifted_above_the_trunk_is_flagged():
    report = reps(118.0, sides=("RIGHT",))  # the knee 28 deg above the trunk's line
    assert report["reps"]["right"] == 3
    assert {f["rule"] for f in report["faults"]} == {"leg_too_high"}


def test_the_pelvis_turning_open_is_flagged():
    report = reps(90.0, sides=("LEFT",), hip_tilt_deg=35.0)
    assert {f["rule"] for f in report["faults"]} == {"hips_rotated"}


def test_a_leg_short_of_level_is_a_partial_rep():
    report = reps(55.0, sides=("RIGHT",))  # the thigh 145 deg from the trunk
    assert report["reps"]["total"] == 0 and report["reps"]["partial"] == 3


def test_recognised_as_a_bird_dog_not_a_plank():
    recognizer = Recognizer()
    for i, pose in enumerate(bird_dogs(90.0)):
        recognizer.update(pose, i / FPS)
    assert dominant(recognizer.labels) == "bird_dog"
