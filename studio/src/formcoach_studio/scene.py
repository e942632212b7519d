"""The room (floor, back wall), static props (wall to lean on, mat, foam roller) and lighting.

The static part of every frame is rendered once per clip into a `Background`: a colour image
and the ray distance of each pixel, so the body can be depth-composited over it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcoach_studio.body import FloatArray, rot_y
from formcoach_studio.camera import Camera
from formcoach_studio.raycast import box_hits, capsule_hits, plane_hits, plane_y_hits


@dataclass(frozen=True, slots=True)
class Lighting:
    """A directional light plus ambient; `gain_start`/`gain_end` ramp brightness over a clip."""

    towards_light: tuple[float, float, float] = (0.4, 1.0, 0.5)
    ambient: float = 0.45
    diffuse: float = 0.6
    gain_start: float = 1.0
    gain_end: float = 1.0
    tint_bgr: tuple[float, float, float] = (1.0, 1.0, 1.0)

    def unit_dir(self) -> FloatArray:
        d = np.array(self.towards_light, dtype=np.float64)
        return d / np.linalg.norm(d)

    def shade(self, normals: FloatArray) -> FloatArray:
        """(N, 3) normals -> (N,) light factor (hemisphere ambient + Lambert)."""
        lam = np.clip(normals @ self.unit_dir(), 0.0, None)
        sky = 0.85 + 0.15 * normals[:, 1]
        return np.asarray(self.ambient * sky + self.diffuse * lam)


@dataclass(frozen=True, slots=True)
class Box:
    """An upright box prop turned by `yaw_deg` about world up (wall slab, exercise mat)."""

    centre_m: tuple[float, float, float]
    half_m: tuple[float, float, float]
    yaw_deg: float
    colour_bgr: tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class Roller:
    """A foam roller lying on the floor: a capsule between two floor-level end points."""

    a_m: tuple[float, float, float]
    b_m: tuple[float, float, float]
    radius_m: float
    colour_bgr: tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class Room:
    floor_kind: str = "wood"  # "wood", "tile" or "carpet"
    floor_bgr: tuple[float, float, float] = (0.35, 0.5, 0.62)
    wall_bgr: tuple[float, float, float] = (0.78, 0.8, 0.82)
    wall_behind_m: float = 1.5


@dataclass(frozen=True, slots=True)
class Scene:
    room: Room
    lighting: Lighting
    boxes: tuple[Box, ...] = ()
    rollers: tuple[Roller, ...] = ()


@dataclass(frozen=True, slots=True)
class Background:
    colour: FloatArray  # (H, W, 3) BGR in [0, 1] before the lighting gain
    dist_m: FloatArray  # (H, W) ray distance of the visible surface


def _floor_albedo(room: Room, p: FloatArray) -> FloatArray:
    base = np.array(room.floor_bgr)
    x, z = p[:, 0], p[:, 2]
    if room.floor_kind == "wood":
        plank = np.floor(z / 0.14)
        shade = 0.85 + 0.15 * np.sin(plank * 12.9898) ** 2
        seam = (np.abs(z / 0.14 - np.round(z / 0.14)) < 0.025).astype(float)
        grain = 0.04 * np.sin(x * 40.0 + plank * 3.0)
        f = shade * (1 - 0.35 * seam) + grain
    elif room.floor_kind == "tile":
        gx = np.abs(x / 0.4 - np.round(x / 0.4)) < 0.02
        gz = np.abs(z / 0.4 - np.round(z / 0.4)) < 0.02
        f = 1.0 - 0.25 * (gx | gz)
    else:
        f = 0.95 + 0.05 * np.sin(x * 91.0) * np.sin(z * 77.0)
    return np.asarray(f[:, None] * base[None, :])


def _wall_albedo(room: Room, p: FloatArray) -> FloatArray:
    base = np.array(room.wall_bgr)
    skirting = p[:, 1] < 0.09
    out = np.repeat(base[None, :], p.shape[0], axis=0) * (0.97 + 0.03 * np.tanh(p[:, 1]))[:, None]
    out[skirting] = np.array([0.92, 0.93, 0.94])
    return np.asarray(out)


def render_background(scene: Scene, cam: Camera, subject_centre_m: FloatArray) -> Background:
    """Floor, back wall and props, shaded, as seen by `cam`."""
    h, w = cam.height_px, cam.width_px
    dirs = cam.ray_dirs().reshape(-1, 3)
    o = cam.position_m
    fwd = cam.rotation[2].copy()
    fwd[1] = 0.0
    fwd /= np.linalg.norm(fwd)
    wall_point = subject_centre_m + fwd * scene.room.wall_behind_m
    t_floor = plane_y_hits(o, dirs, 0.0)
    t_wall = plane_hits(o, dirs, wall_point, -fwd)
    t = np.minimum(t_floor, t_wall)
    t = np.where(np.isfinite(t), t, 50.0)
    p = o + dirs * t[:, None]
    on_floor = t_floor <= t_wall
    albedo = np.where(on_floor[:, None], _floor_albedo(scene.room, p), _wall_albedo(scene.room, p))
    normals = np.where(on_floor[:, None], np.array([0.0, 1.0, 0.0]), -fwd[None, :])
    colour = albedo * scene.lighting.shade(normals)[:, None]
    colour, t = _props(scene, o, dirs, colour, t)
    colour = colour * np.array(scene.lighting.tint_bgr)[None, :]
    return Background(colour.reshape(h, w, 3), t.reshape(h, w))


def _props(
    scene: Scene, o: FloatArray, dirs: FloatArray, colour: FloatArray, t: FloatArray
) -> tuple[FloatArray, FloatArray]:
    for box in scene.boxes:
        tb, nb = box_hits(o, dirs, np.array(box.centre_m), np.array(box.half_m), rot_y(box.yaw_deg))
        closer = tb < t
        shade = scene.lighting.shade(nb[closer])
        colour[closer] = np.array(box.colour_bgr)[None, :] * shade[:, None]
        t = np.where(closer, tb, t)
    for roller in scene.rollers:
        tr, nr = capsule_hits(o, dirs, np.array(roller.a_m), np.array(roller.b_m), roller.radius_m)
        closer = tr < t
        shade = scene.lighting.shade(nr[closer])
        colour[closer] = np.array(roller.colour_bgr)[None, :] * shade[:, None]
        t = np.where(closer, tr, t)
    return colour, t
