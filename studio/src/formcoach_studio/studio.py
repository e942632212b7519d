"""Clip specs -> rendered clips with ground truth; whole sets in parallel over clips."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from formcoach_studio.body import BODY_SIZES, Skeleton, segments_for
from formcoach_studio.camera import Camera, CameraRig, frame_subject
from formcoach_studio.kinematics import angle_matrix
from formcoach_studio.motions import Motion, make_motion
from formcoach_studio.render import SKIN_TONES_BGR, Appearance, CameraEffects, finish, render_body
from formcoach_studio.scene import Lighting, Room, Scene, render_background
from formcoach_studio.shapes import Capsules, grounded_body
from formcoach_studio.truth import CameraTruth, ClipTruth, FrameArrays, write_arrays, write_json

log = logging.getLogger(__name__)
Colour = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class ClipSpec:
    """Everything that decides a clip; the same spec and seed give identical bytes."""

    name: str
    exercise: str
    variant: str = "good"
    view: str = "side"
    azimuth_deg: float = 90.0
    camera_height_m: float = 0.5
    fill: float = 0.72
    hfov_deg: float = 62.0
    body: str = "average"
    skin: str = "medium"
    shirt_bgr: Colour = (0.55, 0.3, 0.15)
    pants_bgr: Colour = (0.45, 0.4, 0.38)
    shorts: bool = False
    floor_kind: str = "wood"
    gain_start: float = 1.0
    gain_end: float = 1.0
    noise_sigma: float = 2.0
    jpeg_quality: int | None = None
    width_px: int = 640
    height_px: int = 360
    fps: float = 24.0
    seed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_dict(data: dict[str, Any]) -> ClipSpec:
        names = {f.name for f in fields(ClipSpec)}
        unknown = set(data) - names
        if unknown:
            raise KeyError(f"unknown ClipSpec keys {sorted(unknown)}; expecting {sorted(names)}")
        conv: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return ClipSpec(**conv)


@dataclass(frozen=True, slots=True)
class Posed:
    """The posed bodies of every frame and the camera that frames them."""

    motion: Motion
    times_s: npt.NDArray[Any]
    skeletons: list[Skeleton]
    capsules: list[Capsules]
    camera: Camera


def pose_clip(spec: ClipSpec) -> Posed:
    """Motion, per-frame bodies and camera of a clip, without rendering."""
    rng = np.random.default_rng(spec.seed)
    seg = segments_for(BODY_SIZES[spec.body])
    motion = make_motion(spec.exercise, spec.variant, seg, rng)
    n = round(motion.duration_s * spec.fps)
    times = np.arange(n) / spec.fps
    angles = motion.sample(times, rng)
    bodies = [grounded_body(seg, a, motion.feet_only_ground) for a in angles]
    sks = [b[0] for b in bodies]
    caps = [b[1] for b in bodies]
    cloud = np.concatenate([np.concatenate([c.a_m, c.b_m]) for c in caps[::3]])
    rig = CameraRig(spec.azimuth_deg, spec.camera_height_m, spec.hfov_deg, spec.fill)
    cam = frame_subject(rig, motion.yaw_deg(), cloud, spec.width_px, spec.height_px)
    return Posed(motion, times, sks, caps, cam)


def truth_arrays(posed: Posed) -> FrameArrays:
    world = np.stack([s.landmarks_m() for s in posed.skeletons])
    cam = posed.camera
    uv, depth = cam.project(world.reshape(-1, 3))
    image = uv.reshape(world.shape[0], -1, 2)
    inside = (
        (image[..., 0] >= 0)
        & (image[..., 0] < cam.width_px)
        & (image[..., 1] >= 0)
        & (image[..., 1] < cam.height_px)
        & (depth.reshape(image.shape[:2]) > 0)
    )
    return FrameArrays(
        posed.times_s, image, world, angle_matrix(world), angle_matrix(image), inside
    )


def _scene(spec: ClipSpec, motion: Motion) -> Scene:
    room = Room(floor_kind=spec.floor_kind)
    light = Lighting(gain_start=spec.gain_start, gain_end=spec.gain_end)
    return Scene(room, light, motion.boxes, motion.rollers)


def open_writer(path: Path, fps: float, size: tuple[int, int]) -> tuple[cv2.VideoWriter, str]:
    """H.264 ('avc1') when this OpenCV build can encode it, else MPEG-4 part 2 ('mp4v')."""
    for codec in ("avc1", "mp4v"):
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*codec), fps, size)
        if writer.isOpened():
            return writer, codec
        writer.release()
    raise RuntimeError(f"no mp4 encoder available in this OpenCV build for {path}")


def render_frames(spec: ClipSpec, posed: Posed) -> Iterator[npt.NDArray[np.uint8]]:
    scene = _scene(spec, posed.motion)
    cloud = np.concatenate([posed.capsules[0].a_m, posed.capsules[0].b_m])
    bg = render_background(scene, posed.camera, cloud.mean(axis=0))
    rays = posed.camera.ray_dirs()
    app = Appearance(
        skin_bgr=SKIN_TONES_BGR[spec.skin],
        shirt_bgr=spec.shirt_bgr,
        pants_bgr=spec.pants_bgr,
        shorts=spec.shorts,
    )
    fx = CameraEffects(noise_sigma=spec.noise_sigma, jpeg_quality=spec.jpeg_quality)
    rng = np.random.default_rng(spec.seed + 7919)
    n = len(posed.capsules)
    for i, caps in enumerate(posed.capsules):
        gain = spec.gain_start + (spec.gain_end - spec.gain_start) * i / max(n - 1, 1)
        colour = render_body(posed.camera, rays, bg, caps, app, scene.lighting)
        yield finish(colour, gain, fx, rng)


def build_clip(spec: ClipSpec, out_dir: Path) -> dict[str, float]:
    """Render one clip and write `<name>.mp4`, `.truth.json`, `.truth.npz`; returns timings."""
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    posed = pose_clip(spec)
    writer, codec = open_writer(
        out_dir / f"{spec.name}.mp4", spec.fps, (spec.width_px, spec.height_px)
    )
    n = 0
    for frame in render_frames(spec, posed):
        writer.write(frame)
        n += 1
    writer.release()
    t_render = time.perf_counter() - t0
    arrays = truth_arrays(posed)
    write_arrays(arrays, out_dir / f"{spec.name}.truth.npz")
    write_json(clip_truth(spec, posed), out_dir / f"{spec.name}.truth.json")
    log.info("%s: %d frames, %.3f s/frame (%s)", spec.name, n, t_render / max(n, 1), codec)
    return {"frames": float(n), "render_s": t_render}


def clip_truth(spec: ClipSpec, posed: Posed) -> ClipTruth:
    cam = posed.camera
    m = posed.motion
    n = len(posed.times_s)
    return ClipTruth(
        clip=spec.name,
        exercise=spec.exercise,
        variant=spec.variant,
        view=spec.view,
        avoid=m.avoid,
        fps=spec.fps,
        n_frames=n,
        duration_s=round(n / spec.fps, 4),
        width_px=spec.width_px,
        height_px=spec.height_px,
        body_size=spec.body,
        camera=CameraTruth(
            tuple(round(float(x), 4) for x in cam.position_m),  # type: ignore[arg-type]
            round(float(cam.position_m[1]), 4),
            round(cam.tilt_deg, 3),
            round(cam.focal_px, 3),
            spec.azimuth_deg,
        ),
        events=m.events,
        arrays_file=f"{spec.name}.truth.npz",
        regenerate=f"python -m formcoach_studio build --spec DIR/{spec.name}.truth.json --out DIR",
        spec=spec.to_dict(),
    )


def _build_one(args: tuple[ClipSpec, Path]) -> tuple[str, dict[str, float]]:
    spec, out = args
    return spec.name, build_clip(spec, out)


def build_set(specs: list[ClipSpec], out_dir: Path, workers: int = 2) -> dict[str, float]:
    """Build clips in parallel (one process per clip); returns overall timing."""
    t0 = time.perf_counter()
    jobs = [(s, out_dir) for s in specs]
    if workers <= 1:
        results = [_build_one(j) for j in jobs]
    else:
        with get_context("spawn").Pool(workers) as pool:
            results = list(pool.imap_unordered(_build_one, jobs))
    frames = sum(r[1]["frames"] for r in results)
    render_s = sum(r[1]["render_s"] for r in results)
    wall = time.perf_counter() - t0
    return {
        "clips": float(len(results)),
        "frames": frames,
        "wall_s": wall,
        "render_s_per_frame": render_s / max(frames, 1.0),
    }
