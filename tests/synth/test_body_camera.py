"""Body model and camera: segment lengths, angles round-trip, projection."""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.landmarks import Landmark as L
from formcoach_studio.body import BODY_SIZES, forward_kinematics, segments_for
from formcoach_studio.camera import look_at
from formcoach_studio.kinematics import key_angles

SEG = segments_for(BODY_SIZES["average"])


def _pts(angles: dict[str, float]) -> np.ndarray:
    return forward_kinematics(SEG, angles).landmarks_m()


@pytest.mark.parametrize("size", sorted(BODY_SIZES))
def test_segment_lengths_survive_any_pose(size: str) -> None:
    seg = segments_for(BODY_SIZES[size])
    p = forward_kinematics(
        seg,
        {
            "pitch_deg": 37.0,
            "left_hip_flex_deg": 71.0,
            "left_knee_flex_deg": 44.0,
            "right_shoulder_abd_deg": 80.0,
            "right_elbow_flex_deg": 33.0,
        },
    ).landmarks_m()
    for side in ("LEFT", "RIGHT"):
        thigh = np.linalg.norm(p[L[f"{side}_HIP"]] - p[L[f"{side}_KNEE"]])
        shank = np.linalg.norm(p[L[f"{side}_KNEE"]] - p[L[f"{side}_ANKLE"]])
        upper = np.linalg.norm(p[L[f"{side}_SHOULDER"]] - p[L[f"{side}_ELBOW"]])
        assert thigh == pytest.approx(seg.thigh_m, abs=1e-9)
        assert shank == pytest.approx(seg.shank_m, abs=1e-9)
        assert upper == pytest.approx(seg.upper_arm_m, abs=1e-9)


def test_taller_bodies_have_longer_segments() -> None:
    short = segments_for(BODY_SIZES["short_slim"])
    tall = segments_for(BODY_SIZES["tall_slim"])
    assert tall.thigh_m > short.thigh_m and tall.torso_m > short.torso_m


@pytest.mark.parametrize("knee", [0.0, 12.5, 45.0, 90.0, 133.3])
@pytest.mark.parametrize("pitch", [0.0, 80.0, -90.0])
def test_knee_and_hip_angles_measured_back_within_001_deg(knee: float, pitch: float) -> None:
    angles = {
        "pitch_deg": pitch,
        "yaw_deg": 31.0,
        "left_knee_flex_deg": knee,
        "right_hip_flex_deg": knee / 2,
        "right_elbow_flex_deg": knee,
    }
    p = _pts(angles)
    ang = key_angles(p[None])
    assert ang["left_knee"][0] == pytest.approx(180.0 - knee, abs=0.01)
    assert ang["right_elbow"][0] == pytest.approx(180.0 - knee, abs=0.01)
    # hip flexion: trunk axis (pelvis -> chest) against the thigh
    pts = forward_kinematics(SEG, angles).points
    trunk = pts["chest"] - pts["pelvis"]
    thigh = pts["right_knee"] - pts["right_hip"]
    cos = trunk @ thigh / np.linalg.norm(trunk) / np.linalg.norm(thigh)
    assert np.degrees(np.arccos(cos)) == pytest.approx(180.0 - knee / 2, abs=0.01)


def test_body_line_follows_hip_sag() -> None:
    straight = key_angles(_pts({"pitch_deg": 80.0})[None])["left_body_line"][0]
    sag = key_angles(
        _pts({"pitch_deg": 80.0, "spine_flex_deg": -10.0, "left_hip_flex_deg": -10.0})[None]
    )["left_body_line"][0]
    pike = key_angles(
        _pts({"pitch_deg": 80.0, "spine_flex_deg": 10.0, "left_hip_flex_deg": 10.0})[None]
    )["left_body_line"][0]
    assert straight > 170.0
    assert sag < straight - 8.0 and pike < straight - 8.0


def test_anatomical_left_is_on_the_left() -> None:
    p = _pts({})  # standing, facing +x, y up: the subject's left is -z
    assert p[L.LEFT_SHOULDER, 2] < 0 < p[L.RIGHT_SHOULDER, 2]
    assert p[L.LEFT_EYE, 2] < 0 < p[L.RIGHT_EYE, 2]
    assert p[L.NOSE, 0] > p[L.LEFT_EAR, 0]


def test_unknown_angle_key_raises_with_valid_names() -> None:
    with pytest.raises(KeyError, match="expecting"):
        forward_kinematics(SEG, {"knee_deg": 3.0})


def test_projection_centre_and_focal() -> None:
    cam = look_at(np.array([0.0, 1.0, 5.0]), np.array([0.0, 1.0, 0.0]), 500.0, 640, 360)
    uv, depth = cam.project(np.array([[0.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 2.0, 0.0]]))
    assert depth[0] == pytest.approx(5.0)
    assert uv[0] == pytest.approx([320.0, 180.0])
    # camera looks along -z: world +x is image right, world up is image up
    assert uv[1] == pytest.approx([320.0 + 100.0, 180.0])
    assert uv[2] == pytest.approx([320.0, 180.0 - 100.0])


def test_rays_hit_their_pixels() -> None:
    cam = look_at(np.array([0.3, 0.5, 3.0]), np.array([0.0, 0.4, 0.0]), 400.0, 64, 48)
    rays = cam.ray_dirs()
    pts = cam.position_m + rays[10, 20] * 2.7
    uv, _ = cam.project(pts[None])
    assert uv[0] == pytest.approx([20.5, 10.5], abs=1e-6)
    assert cam.tilt_deg > 0
