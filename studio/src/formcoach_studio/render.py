"""Ray-cast the mannequin's capsules over a pre-rendered background, then camera effects.

Each capsule is intersected only with the rays inside its projected bounding box, and a
depth buffer keeps the nearest surface, so a frame costs roughly the body's pixel area.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from formcoach_studio.body import FloatArray
from formcoach_studio.camera import Camera
from formcoach_studio.raycast import capsule_hits
from formcoach_studio.scene import Background, Lighting
from formcoach_studio.shapes import Capsules, Material

SKIN_TONES_BGR: dict[str, tuple[float, float, float]] = {
    "light": (0.68, 0.78, 0.94),
    "medium": (0.48, 0.63, 0.84),
    "tan": (0.36, 0.5, 0.7),
    "brown": (0.24, 0.35, 0.53),
    "dark": (0.15, 0.22, 0.34),
}


@dataclass(frozen=True, slots=True)
class Appearance:
    """Colours (BGR in [0, 1]) of the mannequin's materials."""

    skin_bgr: tuple[float, float, float] = SKIN_TONES_BGR["medium"]
    shirt_bgr: tuple[float, float, float] = (0.55, 0.3, 0.15)
    pants_bgr: tuple[float, float, float] = (0.2, 0.2, 0.22)
    shoe_bgr: tuple[float, float, float] = (0.9, 0.9, 0.9)
    hair_bgr: tuple[float, float, float] = (0.08, 0.1, 0.15)
    shorts: bool = False

    def palette(self) -> FloatArray:
        """(len(Material), 3) colour per material."""
        lower = self.skin_bgr if self.shorts else self.pants_bgr
        rows = {
            Material.SKIN: self.skin_bgr,
            Material.SHIRT: self.shirt_bgr,
            Material.PANTS: self.pants_bgr,
            Material.SHOE: self.shoe_bgr,
            Material.HAIR: self.hair_bgr,
            Material.EYE_WHITE: (0.92, 0.92, 0.92),
            Material.PUPIL: (0.1, 0.07, 0.05),
            Material.MOUTH: (0.25, 0.2, 0.55),
            Material.LOWER_LEG: lower,
            Material.PROP: (0.5, 0.5, 0.5),
        }
        return np.array([rows[m] for m in Material], dtype=np.float64)


@dataclass(frozen=True, slots=True)
class CameraEffects:
    """Sensor and codec effects: blur sigma, Gaussian noise (grey levels), JPEG quality."""

    blur_sigma_px: float = 0.6
    noise_sigma: float = 2.0
    jpeg_quality: int | None = None


def _bbox(cam: Camera, a: FloatArray, b: FloatArray, r: float) -> tuple[int, int, int, int]:
    uv, depth = cam.project(np.stack([a, b]))
    if depth.min() <= r + 0.02:
        return 0, cam.width_px, 0, cam.height_px
    pad = r * cam.focal_px / (depth.min() - r) + 2.0
    x0 = int(max(0, np.floor(uv[:, 0].min() - pad)))
    x1 = int(min(cam.width_px, np.ceil(uv[:, 0].max() + pad)))
    y0 = int(max(0, np.floor(uv[:, 1].min() - pad)))
    y1 = int(min(cam.height_px, np.ceil(uv[:, 1].max() + pad)))
    return x0, x1, y0, y1


def render_body(
    cam: Camera,
    rays: FloatArray,
    bg: Background,
    caps: Capsules,
    appearance: Appearance,
    lighting: Lighting,
) -> FloatArray:
    """Composite the shaded capsules over `bg`; returns (H, W, 3) BGR floats in [0, 1]."""
    colour = bg.colour.copy()
    dist = bg.dist_m.copy()
    palette = appearance.palette() * np.array(lighting.tint_bgr)[None, :]
    o = cam.position_m
    for i in range(caps.r_m.shape[0]):
        x0, x1, y0, y1 = _bbox(cam, caps.a_m[i], caps.b_m[i], float(caps.r_m[i]))
        if x1 <= x0 or y1 <= y0:
            continue
        d = rays[y0:y1, x0:x1].reshape(-1, 3)
        t, n = capsule_hits(o, d, caps.a_m[i], caps.b_m[i], float(caps.r_m[i]))
        zslice = dist[y0:y1, x0:x1].reshape(-1)
        win = t < zslice
        if not np.any(win):
            continue
        shade = lighting.shade(n[win])
        cslice = colour[y0:y1, x0:x1].reshape(-1, 3)
        cslice[win] = palette[caps.material[i]][None, :] * shade[:, None]
        zslice[win] = t[win]
        colour[y0:y1, x0:x1] = cslice.reshape(y1 - y0, x1 - x0, 3)
        dist[y0:y1, x0:x1] = zslice.reshape(y1 - y0, x1 - x0)
    return colour


def finish(
    colour: FloatArray, gain: float, effects: CameraEffects, rng: np.random.Generator
) -> npt.NDArray[np.uint8]:
    """Brightness gain, lens blur, sensor noise and optional JPEG -> 8-bit BGR image."""
    img = np.clip(colour * gain * 255.0, 0, 255).astype(np.float32)
    if effects.blur_sigma_px > 0:
        img = np.asarray(cv2.GaussianBlur(img, (0, 0), effects.blur_sigma_px), dtype=np.float32)
    if effects.noise_sigma > 0:
        img += rng.normal(0.0, effects.noise_sigma, img.shape).astype(np.float32)
    out = np.clip(img + 0.5, 0, 255).astype(np.uint8)
    if effects.jpeg_quality is not None:
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, effects.jpeg_quality])
        if ok:
            out = np.asarray(cv2.imdecode(buf, cv2.IMREAD_COLOR), dtype=np.uint8)
    return out
