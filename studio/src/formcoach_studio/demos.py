"""The demonstrations formcoach ships (`formcoach/data/demos/`): each exercise's good-form
sample from the recommended camera view, made small and slow enough to loop as an inset
of the live set-up screen. Rendered here, once, by

    formcoach synth demos --out src/formcoach/data/demos

so formcoach itself never needs the studio to show them."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from formcoach.coach.demo import DEMO_FPS, DEMO_SIZE_PX
from formcoach_studio.sets import sample_set
from formcoach_studio.studio import ClipSpec, open_writer, pose_clip, render_frames

log = logging.getLogger(__name__)


def demo_spec(exercise: str) -> ClipSpec | None:
    """The studio's good-form sample of `exercise`, made small; None if it has none."""
    for spec in sample_set():
        if spec.exercise == exercise and spec.variant == "good":
            return replace(
                spec,
                name=f"demo_{exercise}",
                width_px=DEMO_SIZE_PX[0],
                height_px=DEMO_SIZE_PX[1],
                fps=DEMO_FPS,
                noise_sigma=0.0,
            )
    return None


def render_demo(exercise: str, out_dir: Path) -> Path | None:
    """`out_dir/<exercise>.mp4`, rendered whole under a temporary name then renamed; None
    if the exercise has no good-form sample."""
    from formcoach.pose.mediapipe_env import quiet_native_stderr

    spec = demo_spec(exercise)
    if spec is None:
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{exercise}.mp4"
    partial = path.with_name(f".{path.stem}.partial.mp4")
    with quiet_native_stderr():  # the writer tries codecs; FFmpeg names each one missing
        writer, _ = open_writer(partial, spec.fps, (spec.width_px, spec.height_px))
    try:
        for frame in render_frames(spec, pose_clip(spec)):
            writer.write(frame)
    finally:
        writer.release()
    partial.replace(path)  # a half-rendered demo is never taken for a whole one
    log.info("demonstration of %s rendered to %s", exercise, path)
    return path


def render_all(out_dir: Path) -> list[Path]:
    """Every exercise's demonstration that the studio has a good-form sample for."""
    exercises = sorted({s.exercise for s in sample_set() if s.variant == "good"})
    return [p for e in exercises if (p := render_demo(e, out_dir)) is not None]
