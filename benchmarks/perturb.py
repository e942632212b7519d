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
a +/-5 deg camera rotation, a slow handheld zoom and pan, JPEG quality 30, brightness
-40 %, a text overlay, a logo, a dissolve to another shot and back, 10, 15 and 20 fps,
20 % of frames dropped at random, and two people looked for instead of one. Each is
deterministic (seeded), so two runs give the same table.

`--tracks DIR` keeps each perturbed run's landmarks, and `--replay DIR` recomputes every
outcome from them with the code on PYTHONPATH, in seconds (docs/perturbation.md);
`benchmarks/noise.py` reads the same tracks for the noise bands.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CLIPS = ROOT.parent / "shared" / "clips"
HOLD_TOLERANCE_S = 0.5

Image = np.ndarray
# A frame's image and its time (s) -> the perturbed image.
ImageFn = Callable[[Image, float], Image]


def scale(k: float) -> ImageFn:
    def fn(image: Image, t_s: float = 0.0) -> Image:
        h, w = image.shape[:2]
        return cv2.resize(image, (max(2, round(w * k)), max(2, round(h * k))))

    return fn


def crop_edge(share: float = 0.1) -> ImageFn:
    """Cut `share` of the width off the right edge (a person near the frame's border)."""

    def fn(image: Image, t_s: float = 0.0) -> Image:
        w = image.shape[1]
        return image[:, : w - round(w * share)].copy()

    return fn


def rotate(deg: float) -> ImageFn:
    def fn(image: Image, t_s: float = 0.0) -> Image:
        h, w = image.shape[:2]
        m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
        return cv2.warpAffine(image, m, (w, h), borderMode=cv2.BORDER_REFLECT)

    return fn


def handheld(zoom: float = 0.08, pan: float = 0.04, period_s: float = 8.0) -> ImageFn:
    """A slow zoom in and out by `zoom` and a pan by `pan` of the frame, as a phone held
    in the hand drifts: one smooth cycle every `period_s`."""

    def fn(image: Image, t_s: float = 0.0) -> Image:
        h, w = image.shape[:2]
        phase = 2 * np.pi * t_s / period_s
        k = 1.0 + zoom * (1 - np.cos(phase)) / 2
        dx, dy = pan * w * np.sin(phase), pan * h * np.sin(phase / 2) / 2
        m = cv2.getRotationMatrix2D((w / 2, h / 2), 0.0, k)
        m[:, 2] += (dx, dy)
        return cv2.warpAffine(image, m, (w, h), borderMode=cv2.BORDER_REFLECT)

    return fn


def jpeg(quality: int) -> ImageFn:
    def fn(image: Image, t_s: float = 0.0) -> Image:
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
        assert ok
        return cv2.imdecode(data, cv2.IMREAD_COLOR)

    return fn


def brightness(share: float) -> ImageFn:
    def fn(image: Image, t_s: float = 0.0) -> Image:
        return np.clip(image.astype(np.float32) * (1.0 + share), 0, 255).astype(np.uint8)

    return fn


def overlay_text(text: str = "FORM COACH  |  www.example.invalid") -> ImageFn:
    """A caption bar across the top, like a channel's title."""

    def fn(image: Image, t_s: float = 0.0) -> Image:
        out = image.copy()
        h, w = out.shape[:2]
        cv2.rectangle(out, (0, 0), (w, h // 10), (30, 30, 30), -1)
        cv2.putText(out, text, (10, h // 14), cv2.FONT_HERSHEY_SIMPLEX, h / 600, (255, 255, 255), 2)
        return out

    return fn


def logo(share: float = 0.18) -> ImageFn:
    """A broadcaster's logo in the bottom right corner: a bright badge, half opaque."""

    def fn(image: Image, t_s: float = 0.0) -> Image:
        out = image.copy()
        h, w = out.shape[:2]
        size = max(8, round(min(w, h) * share))
        x0, y0 = w - size - w // 40, h - size - h // 40
        badge = out[y0 : y0 + size, x0 : x0 + size]
        colour = np.zeros_like(badge)
        cv2.circle(colour, (size // 2, size // 2), size // 2, (40, 160, 250), -1)
        cv2.putText(colour, "FC", (size // 5, size * 2 // 3), cv2.FONT_HERSHEY_SIMPLEX,
                    size / 60, (255, 255, 255), max(1, size // 20))  # fmt: skip
        mask = colour.any(axis=2)
        badge[mask] = (0.5 * badge[mask] + 0.5 * colour[mask]).astype(np.uint8)
        return out

    return fn


def other_shot(h: int, w: int) -> Image:
    """Another shot with nobody in it: a lit room's gradient and some texture (seeded)."""
    rng = np.random.default_rng(7)
    y = np.linspace(0, 1, h)[:, None, None]
    room = (90 + 80 * y + np.zeros((h, w, 3))) * np.array([0.9, 1.0, 1.1])
    room += rng.normal(0, 6, (h, w, 3))
    return np.clip(room, 0, 255).astype(np.uint8)


def dissolve(at_share: float = 0.5, fade_s: float = 0.5, away_s: float = 1.0,
             clip_s: float = 10.0) -> ImageFn:  # fmt: skip
    """Cross-fade to another shot at `at_share` of the clip (`clip_s` long), stay there
    `away_s`, and fade back: an edited video's cutaway. The clip's length is set by
    PerturbedSource from the source."""
    state = {"clip_s": clip_s}

    def fn(image: Image, t_s: float = 0.0) -> Image:
        start = at_share * state["clip_s"]
        times = (start, start + fade_s, start + fade_s + away_s, start + 2 * fade_s + away_s)
        mix = float(np.interp(t_s, times, (0.0, 1.0, 1.0, 0.0)))
        if mix <= 0:
            return image
        other = other_shot(*image.shape[:2])
        return cv2.addWeighted(image, 1 - mix, other, mix, 0.0)

    fn.state = state  # type: ignore[attr-defined]
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
        Perturbation("handheld", image=handheld()),
        Perturbation("jpeg_30", image=jpeg(30)),
        Perturbation("dark_40pct", image=brightness(-0.4)),
        Perturbation("text_overlay", image=overlay_text()),
        Perturbation("logo", image=logo()),
        Perturbation("dissolve", image=dissolve()),
        Perturbation("fps_10", keep=every_nth_for(10.0)),
        Perturbation("fps_15", keep=every_nth_for(15.0)),
        Perturbation("fps_20", keep=every_nth_for(20.0)),
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
        state = getattr(perturbation.image, "state", None)
        if state is not None and info.fps > 0 and info.frames:
            state["clip_s"] = info.frames / info.fps  # where a dissolve falls
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
            image = frame.image_bgr
            if self.p.image is not None:
                image = self.p.image(image, frame.timestamp_s)
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


class Recording:
    """The run's estimator, keeping every frame's pose for a track."""

    def __init__(self, estimator: Any) -> None:
        self.estimator = estimator
        self.times: list[float] = []
        self.poses: list[Any] = []

    def estimate(self, frame: Any) -> Any:
        pose = self.estimator.estimate(frame)
        self.times.append(frame.timestamp_s)
        self.poses.append(pose)
        return pose

    def __getattr__(self, name: str) -> Any:
        return getattr(self.estimator, name)


def track_name(clip: str | Path, perturbation: str) -> str:
    return f"{Path(clip).stem}__{perturbation}"


def analyse(
    clip: Path, exercise: str, perturbation: Perturbation | None, tracks: Path | None = None
) -> dict[str, Any]:
    """The outcome of a clip (perturbed) through the default assembly; with `tracks`, the
    perturbed run's poses are saved there as `<clip>__<perturbation>.npz` (compact)."""
    from formcoach.assembly import RunOptions, build, make_estimator
    from formcoach.pose.tracks import track_of
    from formcoach.sources.open import open_source

    options = RunOptions(exercise, video=False, html=False)
    if perturbation is not None and perturbation.options:
        options = replace(options, **perturbation.options)
    with open_source(str(clip)) as source:
        src = source if perturbation is None else PerturbedSource(source, perturbation)
        recording = Recording(make_estimator(options))
        assembly = build(options, src.info, estimator=recording)  # type: ignore[arg-type]
        assembly.run(src)  # type: ignore[arg-type]
    assert assembly.report.report is not None
    if tracks is not None and perturbation is not None:
        name = track_name(clip, perturbation.name)
        track = track_of(name, recording.times, recording.poses, src.info)
        track.save(tracks / f"{name}.npz", compact=True)
    return outcome(assembly.report.report.to_json())


def replay(exercise: str, track_path: Path, sinks: Iterable[Any] = ()) -> Any:
    """A recorded track through the default assembly (with `sinks` added); the assembly."""
    from formcoach.assembly import RunOptions, build
    from formcoach.pose.estimators import ReplayEstimator
    from formcoach.pose.tracks import Track, TrackSource

    track = Track.load(track_path)
    source = TrackSource(track)
    assembly = build(RunOptions(exercise, video=False, html=False), source.info,
                     estimator=ReplayEstimator(track))  # fmt: skip
    assembly.sinks.extend(sinks)
    assembly.run(source)
    return assembly


def replay_outcome(exercise: str, track_path: Path) -> dict[str, Any]:
    """The outcome of a recorded track replayed through the default assembly."""
    report = replay(exercise, track_path).report.report
    assert report is not None
    return outcome(report.to_json())


def base_track(clip: str) -> Path:
    """The clip's own track: a real clip's (tests/data/tracks) or a sample's."""
    stem = Path(clip).stem
    real = ROOT / "tests" / "data" / "tracks" / f"{stem}.npz"
    return real if real.is_file() else ROOT / "tests" / "data" / "sample_tracks" / f"{stem}.npz"


def replay_rows(tracks: Path) -> list[dict[str, Any]]:
    """Every recorded perturbed track against its clip's own track, replayed with the
    code on PYTHONPATH (seconds, no model): the table for any version of the analysis."""
    index = json.loads((tracks / "index.json").read_text())
    rows, bases = [], {}
    for name, entry in sorted(index.items()):
        clip, exercise = entry["clip"], entry["exercise"]
        if clip not in bases:
            bases[clip] = replay_outcome(exercise, base_track(clip))
        perturbed = replay_outcome(exercise, tracks / f"{name}.npz")
        rows.append({"clip": clip, "exercise": exercise, "perturbation": entry["perturbation"],
                     "changes": changes(bases[clip], perturbed), "base": bases[clip],
                     "perturbed": perturbed})  # fmt: skip
    return rows


def clip_exercises(clips: list[Path]) -> list[tuple[Path, str]]:
    """Each clip with its exercise: truth.tsv for the shared clips, the truth file for
    the project's samples; clips of exercises outside the catalogue are left out."""
    from formcoach.exercises import Exercise
    from formcoach.offline import truthtable

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
    parser.add_argument(
        "--json", type=Path, help="keep every run's outcome change here "
        "(a rerun skips the clips and perturbations it already holds)"
    )  # fmt: skip
    parser.add_argument(
        "--replay", type=Path, metavar="TRACKS", help="no model: replay the perturbed tracks "
        "saved in TRACKS (index.json) against the clips' own tracks and print the tables"
    )  # fmt: skip
    parser.add_argument(
        "--tracks", type=Path, help="save each perturbed run's poses here, for replays "
        "(tests/accuracy/test_perturbed_tracks.py)"
    )  # fmt: skip
    args = parser.parse_args()
    if args.replay is not None:
        rows = replay_rows(args.replay)
        print("| clip | exercise | perturbation | outcome change |\n|---|---|---|---|")
        for r in rows:
            if r["changes"]:
                print(f"| {r['clip']} | {r['exercise']} | {r['perturbation']} | "
                      f"{'; '.join(r['changes'])} |")  # fmt: skip
        print()
        print(table(rows, list(PERTURBATIONS)))
        if args.json is not None:
            args.json.write_text(json.dumps({"runs": rows}, indent=1) + "\n")
        return 0
    clips = args.clips or sorted(CLIPS.glob("*.mp4")) + sorted(
        (ROOT / "sample_videos").glob("*.mp4")
    )
    names = args.perturbations or list(PERTURBATIONS)
    rows: list[dict[str, Any]] = []
    if args.json is not None and args.json.is_file():
        rows = json.loads(args.json.read_text())["runs"]
    done = {(r["clip"], r["perturbation"]) for r in rows}
    print("| clip | exercise | perturbation | outcome change |")
    print("|---|---|---|---|")
    for clip, exercise in clip_exercises(clips):
        todo = [n for n in names if (clip.name, n) not in done]
        if not todo:
            continue
        base = analyse(clip, exercise, None)
        for name in todo:
            run = analyse(clip, exercise, PERTURBATIONS[name], args.tracks)
            diff = changes(base, run)
            rows.append({"clip": clip.name, "exercise": exercise, "perturbation": name,
                         "changes": diff, "base": base, "perturbed": run})  # fmt: skip
            if args.json is not None:
                args.json.write_text(json.dumps({"runs": rows}, indent=1) + "\n")
            if args.tracks is not None:
                write_index(args.tracks, rows)
            print(
                f"| {clip.name} | {exercise} | {name} | {'; '.join(diff) or 'none'} |", flush=True
            )
    print()
    print(table(rows, names))
    return 0


def write_index(tracks: Path, rows: list[dict[str, Any]]) -> None:
    """index.json beside the saved tracks: each track's clip, exercise and perturbation
    (what tests/accuracy/test_perturbed_tracks.py replays)."""
    names = {track_name(r["clip"], r["perturbation"]): r for r in rows}
    index = {
        name: {"clip": r["clip"], "exercise": r["exercise"], "perturbation": r["perturbation"]}
        for name, r in names.items()
        if (tracks / f"{name}.npz").is_file()
    }
    (tracks / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")


def table(rows: list[dict[str, Any]], names: list[str]) -> str:
    """Per exercise and perturbation: clips whose outcome changed / clips run."""
    flips: dict[tuple[str, str], list[int]] = {}
    for r in rows:
        counts = flips.setdefault((r["exercise"], r["perturbation"]), [0, 0])
        counts[0] += bool(r["changes"])
        counts[1] += 1
    lines = ["| exercise | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for exercise in sorted({e for e, _ in flips}):
        cells = [
            "{}/{}".format(*flips[(exercise, n)]) if (exercise, n) in flips else "-" for n in names
        ]
        lines.append(f"| {exercise} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
