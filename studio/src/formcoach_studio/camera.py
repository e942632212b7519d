"""A pinhole camera: position, look-at target, focal length -> projection and pixel rays.

Camera frame as OpenCV: x right, y down, z forward. World as `body.py`: y up, metres.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcoach_studio.body import FloatArray


@dataclass(frozen=True, slots=True)
class Camera:
    """`rotation` maps world vectors to camera axes (rows: right, down, forward)."""

    position_m: FloatArray
    rotation: FloatArray
    focal_px: float
    width_px: int
    height_px: int

    @property
    def tilt_deg(self) -> float:
        """Downward tilt of the optical axis (positive looks down at the floor)."""
        fwd = self.rotation[2]
        return float(np.degrees(np.arcsin(-fwd[1])))

    def to_camera(self, points_m: FloatArray) -> FloatArray:
        """(N, 3) world points -> (N, 3) camera-frame points."""
        return (points_m - self.position_m) @ self.rotation.T

    def project(self, points_m: FloatArray) -> tuple[FloatArray, FloatArray]:
        """(N, 3) world points -> ((N, 2) pixels, (N,) depth along the optical axis, m)."""
        pc = self.to_camera(np.atleast_2d(points_m))
        depth = pc[:, 2]
        safe = np.where(np.abs(depth) < 1e-9, 1e-9, depth)
        uv = pc[:, :2] / safe[:, None] * self.focal_px
        uv += np.array([self.width_px / 2.0, self.height_px / 2.0])
        return uv, depth

    def ray_dirs(self) -> FloatArray:
        """(H, W, 3) unit world directions through each pixel centre."""
        u = (np.arange(self.width_px) + 0.5 - self.width_px / 2.0) / self.focal_px
        v = (np.arange(self.height_px) + 0.5 - self.height_px / 2.0) / self.focal_px
        uu, vv = np.meshgrid(u, v)
        d_cam = np.stack([uu, vv, np.ones_like(uu)], axis=-1)
        d_cam /= np.linalg.norm(d_cam, axis=-1, keepdims=True)
        return np.asarray(d_cam @ self.rotation)


def look_at(
    position_m: FloatArray, target_m: FloatArray, focal_px: float, width_px: int, height_px: int
) -> Camera:
    """A level (no roll) camera at `position_m` aimed at `target_m`."""
    fwd = np.asarray(target_m, dtype=np.float64) - np.asarray(position_m, dtype=np.float64)
    fwd /= np.linalg.norm(fwd)
    right = np.cross(fwd, np.array([0.0, 1.0, 0.0]))
    if np.linalg.norm(right) < 1e-6:
        raise ValueError("camera cannot look straight up or down")
    right /= np.linalg.norm(right)
    down = np.cross(fwd, right)
    rot = np.stack([right, down, fwd])
    return Camera(np.asarray(position_m, dtype=np.float64), rot, focal_px, width_px, height_px)


def focal_from_hfov(hfov_deg: float, width_px: int) -> float:
    return width_px / 2.0 / float(np.tan(np.radians(hfov_deg) / 2.0))


@dataclass(frozen=True, slots=True)
class CameraRig:
    """Where the camera goes, relative to the subject.

    `azimuth_deg` is measured from the subject's facing direction (yaw) about world up:
    0 = in front, 90 = on the subject's left side, -90 on the right side.
    `fill` is the fraction of the frame the subject spans (near ~0.8, far ~0.5).
    """

    azimuth_deg: float
    height_m: float
    hfov_deg: float = 62.0
    fill: float = 0.7
    aim_height_m: float | None = None


def frame_subject(
    rig: CameraRig, yaw_deg: float, points_m: FloatArray, width_px: int, height_px: int
) -> Camera:
    """Place the camera on `rig` so all `points_m` (any frames, (N, 3)) fit the frame."""
    lo, hi = points_m.min(axis=0), points_m.max(axis=0)
    centre = (lo + hi) / 2.0
    aim_y = rig.aim_height_m if rig.aim_height_m is not None else centre[1]
    target = np.array([centre[0], aim_y, centre[2]])
    az = np.radians(yaw_deg + rig.azimuth_deg)
    horiz = np.array([np.cos(az), 0.0, -np.sin(az)])
    focal = focal_from_hfov(rig.hfov_deg, width_px)
    near, far = 0.3, 30.0
    for _ in range(40):
        dist = (near + far) / 2.0
        pos = target + horiz * dist
        pos[1] = rig.height_m
        cam = look_at(pos, target, focal, width_px, height_px)
        if _span(cam, points_m) > rig.fill:
            near = dist
        else:
            far = dist
    pos = target + horiz * far
    pos[1] = rig.height_m
    return look_at(pos, target, focal, width_px, height_px)


def _span(cam: Camera, points_m: FloatArray) -> float:
    uv, depth = cam.project(points_m)
    if np.any(depth < 0.1):
        return np.inf
    frac_x = (uv[:, 0].max() - uv[:, 0].min()) / cam.width_px
    frac_y = (uv[:, 1].max() - uv[:, 1].min()) / cam.height_px
    edge = max(
        abs(uv[:, 0] - cam.width_px / 2).max() * 2 / cam.width_px,
        abs(uv[:, 1] - cam.height_px / 2).max() * 2 / cam.height_px,
    )
    return float(max(frac_x, frac_y, edge * 0.92))
