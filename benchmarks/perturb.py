"""How often does an outcome change when the input is perturbed? A sensitivity harness.

Each clip is analysed as it is and under each perturbation, through the default assembly
(`analyze --no-video --no-html`), and the outcomes are compared: reps per side, holds
(the same number, each within HOLD_TOLERANCE_S), the set of faults raised, the view and
whether it was judgeable. The table gives, per exercise and perturbation, how many clips'
outcomes changed.

    export PYTHONPATH=src FORMCOACH_MODEL_DIR=...
    python benchmarks/perturb.py --clips ../shared/clips/plank_02.mp4 --perturbations scale_0.5
    python benchmarks/perturb.py                    # every shared and sample clip: hours

Perturbations (`PERTURBATIONS`): image scale 0.5x and 1.5x, 10 % cut off one edge,
a +/-5 deg camera rotation, JPEG quality 30, brightness -40 %, a text overlay, 10 and 15
fps, 20 % of frames dropped at random, and two people looked for instead of one.
Each is deterministic (seeded), so two runs give the same table.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CLIPS = ROOT.parent / "shared" / "clips"
HOLD_TOLERANCE_S = 0.5

Image = np.ndarray
ImageFn = Callable[[Image], Image]


def scale(k: float) -> ImageFn:
    def fn(image: Image) -> Image:
        h, w = image.shape[:2]
        return cv2.resize(image, (max(2, round(w * k)), max(2, round(h * k))))

    return fn


def crop_edge(share: float = 0.1) -> ImageFn:
    """Cut `share` of the width off the right edge (a person near the frame's border)."""

    def fn(image: Image) -> Image:
        w = image.shape[1]
        return image[:, : w - round(w * share)].copy()

    return fn


def rotate(deg: float) -> ImageFn:
    def fn(image: Image) -> Image:
        h, w = image.shape[:2]
        m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
        return cv2.warpAffine(image, m, (w, h), borderMode=cv2.BORDER_REFLECT)

    return fn


def jpeg(quality: int) -> ImageFn:
    def fn(image: Image) -> Image:
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
        assert ok
        return cv2.imdecode(data, cv2.IMREAD_COLOR)

    return fn


def brightness(share: float) -> ImageFn:
    def fn(image: Image) -> Image:
        return np.clip(image.astype(np.float32) * (1.0 + share), 0, 255).astype(np.uint8)

    return fn


def overlay_text(text: str = "FORM COACH  |  www.example.invalid") -> ImageFn:
    """A caption bar across the top, like a channel's title."""

    def fn(image: Image) -> Image:
        out = image.copy()
        h, w = out.shape[:2]
        cv2.rectangle(out, (0, 0), (w, h // 10), (30, 30, 30), -1)
        cv2.putText(out, text, (10, h // 14), cv2.FONT_HERSHEY_SIMPLEX, h / 600, (255, 255, 255), 2)
        return out

    return fn


@dataclass(frozen=True)
class Perturbation:
    name: str
    image: ImageFn | None = None  # applied to every frame
    keep: Callable[[int, float, np.random.Generator], bool] | None = None  # frames kept
    options: dict[str, Any] | None = None  # RunOptions fields changed


def every_nth_for(fps: float) -> Callable[[int, float, np.random.Generator], bool]:
    """Keep frames so the stream runs at about `fps` (by timestamp, any source rate)."""
    state = {"next": 0.0}

    def keep(index: int, t_s: float, rng: np.random.Generator) -> bool:
        if index == 0:
            state["next"] = 0.0
        if t_s + 1e-9 >= state["next"]:
            state["next"] = t_s + 1.0 / fps
            return True
        return False

    return keep


def drop(share: float) -> Callable[[int, float, np.random.Generator], bool]:
    return lambda index, t_s, rng: bool(rng.random() >= share)


PERTURBATIONS = {
    p.name: p
    for p in (
        Perturbation("scale_0.5", image=scale(0.5)),
        Perturbation("scale_1.5", image=scale(1.5)),
        Perturbation("crop_10pct", image=crop_edge(0.1)),
        Perturbation("rotate_+5", image=rotate(5.0)),
        Perturbation("rotate_-5", image=rotate(-5.0)),
        Perturbation("jpeg_30", image=jpeg(30)),
        Perturbation("dark_40pct", image=brightness(-0.4)),
        Perturbation("text_overlay", image=overlay_text()),
        Perturbation("fps_10", keep=every_nth_for(10.0)),
        Perturbation("fps_15", keep=every_nth_for(15.0)),
        Perturbation("drop_20pct", keep=drop(0.2)),
        Perturbation("two_people", options={"people": 2}),
    )
}


class PerturbedSource:
    """A source's frames, transformed and thinned by a perturbation (seeded)."""

    def __init__(self, source: Any, perturbation: Perturbation, seed: int = 0) -> None:
        self.source, self.p = source, perturbation
        self.rng = np.random.default_rng(seed)
        info = source.info
        if perturbation.image is not None:
            probe = perturbation.image(np.zeros((info.size_px[1], info.size_px[0], 3), np.uint8))
            info = replace(info, size_px=(probe.shape[1], probe.shape[0]))
        self.info = info

    def __iter__(self) -> Iterator[Any]:
        from formcoach.types import Frame

        for frame in self.source:
            if self.p.keep is not None and not self.p.keep(
                frame.index, frame.timestamp_s, self.rng
            ):
                continue
            image = frame.image_bgr if self.p.image is None else self.p.image(frame.image_bgr)
            yield Frame(image, frame.timestamp_s, frame.index)

    def status(self) -> str:
        return ""


def outcome(report: dict[str, Any]) -> dict[str, Any]:
    """What a perturbation must not change, from a report.json."""
    reps = report.get("reps", {})
    return {
        "reps": (reps.get("left", 0), reps.get("right", 0), reps.get("total", 0)),
        "holds": [round(float(h["duration_s"]), 2) for h in report.get("holds", [])],
        "faults": sorted({f["rule"] for f in report.get("faults", [])}),
        "view": (report.get("view", {}).get("detected"), report.get("view", {}).get("judgeable")),
    }


def changes(base: dict[str, Any], other: dict[str, Any]) -> list[str]:
    """What differs between two outcomes, in words ([] = the same outcome)."""
    out = []
    if base["reps"] != other["reps"]:
        out.append(f"reps {base['reps']} -> {other['reps']}")
    holds_a, holds_b = base["holds"], other["holds"]
    if len(holds_a) != len(holds_b) or any(
        abs(a - b) > HOLD_TOLERANCE_S for a, b in zip(holds_a, holds_b, strict=False)
    ):
        out.append(f"holds {holds_a} -> {holds_b}")
    if base["faults"] != other["faults"]:
        out.append(f"faults {base['faults']} -> {other['faults']}")
    if base["view"] != other["view"]:
        out.append(f"view {base['view']} -> {other['view']}")
    return out


def analyse(clip: Path, exercise: str, perturbation: Perturbation | None) -> dict[str, Any]:
    import tempfile

    from formcoach.assembly import RunOptions
    from formcoach.offline import analyze_source
    from formcoach.sources import open_source

    options = RunOptions(exercise, video=False, html=False)
    if perturbation is not None and perturbation.options:
        options = replace(options, **perturbation.options)
    with tempfile.TemporaryDirectory() as out, open_source(str(clip)) as source:
        src = source if perturbation is None else PerturbedSource(source, perturbation)
        analyze_source(src, Path(out), options)  # type: ignore[arg-type]
        return outcome(json.loads((Path(out) / "report.json").read_text()))


def clip_exercises(clips: list[Path]) -> list[tuple[Path, str]]:
    """Each clip with its exercise: truth.tsv for the shared clips, the truth file for
    the project's samples; clips of exercises outside the catalogue are left out."""
    from formcoach import truthtable
    from formcoach.exercises import Exercise

    table = {c.clip: c.exercise for c in truthtable.load(CLIPS / "truth.tsv")}
    out = []
    for clip in clips:
        exercise = table.get(clip.name)
        truth = clip.with_suffix(".truth.json")
        if exercise is None and truth.is_file():
            exercise = json.loads(truth.read_text())["exercise"]
            exercise = {"foam_roll_lumbar": "foam_roll_thoracic"}.get(exercise, exercise)
        if exercise in Exercise.registry:
            out.append((clip, exercise))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", nargs="*", type=Path)
    parser.add_argument("--perturbations", nargs="*", choices=sorted(PERTURBATIONS))
    args = parser.parse_args()
    clips = args.clips or sorted(CLIPS.glob("*.mp4")) + sorted(
        (ROOT / "sample_videos").glob("*.mp4")
    )
    names = args.perturbations or list(PERTURBATIONS)
    flips: dict[tuple[str, str], list[int]] = {}
    print("| clip | exercise | perturbation | outcome change |")
    print("|---|---|---|---|")
    for clip, exercise in clip_exercises(clips):
        base = analyse(clip, exercise, None)
        for name in names:
            diff = changes(base, analyse(clip, exercise, PERTURBATIONS[name]))
            counts = flips.setdefault((exercise, name), [0, 0])
            counts[0] += bool(diff)
            counts[1] += 1
            print(
                f"| {clip.name} | {exercise} | {name} | {'; '.join(diff) or 'none'} |", flush=True
            )
    print("\n| exercise | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for exercise in sorted({e for e, _ in flips}):
        cells = [f"{flips[(exercise, n)][0]}/{flips[(exercise, n)][1]}" for n in names]
        print(f"| {exercise} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
