"""Offline analysis of one recorded video (or image sequence) into an output folder.

Outputs: report.json (the contract, see report.py), events.jsonl, rows.csv (per rep and
per hold), report.html (self-contained) and annotated.mp4. `analyze_one` never raises
for a bad input: it returns an `Outcome` with the error, so a batch goes on.

What a folder is, decided by its content: video files in it (see `VIDEO_SUFFIXES`) make a
batch of videos; otherwise image files make one image-sequence video.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from formcoach.assembly import RunOptions, build
from formcoach.sink_set import CSV_FILE, EVENTS_FILE, HTML_FILE, REPORT_FILE, VIDEO_FILE
from formcoach.sources.base import IMAGE_SUFFIXES, VIDEO_SUFFIXES, Source
from formcoach.sources.open import open_source
from formcoach.types import Frame

log = logging.getLogger(__name__)

OUTPUT_FILES = (REPORT_FILE, EVENTS_FILE, CSV_FILE, HTML_FILE)


class InputError(ValueError):
    """The input path is neither a video, an image folder nor a folder of videos."""


@dataclass
class Outcome:
    """What happened to one input: `status` is done, skipped, failed or interrupted."""

    input: str
    out_dir: str
    status: str
    seconds: float = 0.0
    frames: int = 0
    error: str = ""
    summary: dict[str, Any] = field(default_factory=dict)
    model_calls: int | None = None
    node: str = ""  # the Ray node that analysed it (empty: this machine's processes)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def list_videos(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES)


def is_video_batch(path: Path) -> bool:
    """A folder holding video files is a batch; one holding only images is a sequence."""
    if not path.is_dir():
        return False
    if list_videos(path):
        return True
    if any(p.suffix.lower() in IMAGE_SUFFIXES for p in path.iterdir()):
        return False
    raise InputError(
        f"{path} holds no videos ({', '.join(VIDEO_SUFFIXES)}) "
        f"and no images ({', '.join(IMAGE_SUFFIXES)})"
    )


def output_dirs(videos: Iterable[Path], out: Path) -> dict[Path, Path]:
    """One output folder per video, named by its stem (plus suffix when stems clash)."""
    videos = list(videos)
    stems = [v.stem for v in videos]
    return {
        v: out / (v.stem if stems.count(v.stem) == 1 else f"{v.stem}_{v.suffix.lstrip('.')}")
        for v in videos
    }


def is_finished(out_dir: Path, video: bool) -> bool:
    """A previous run read the whole input and wrote every output."""
    names = OUTPUT_FILES + ((VIDEO_FILE,) if video else ())
    if not all((out_dir / n).is_file() for n in names):
        return False
    try:
        report = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(report.get("complete"))


def analyze_source(
    source: Source,
    out_dir: Path,
    options: RunOptions,
    progress: Callable[[Source], Iterable[Frame]] | None = None,
) -> Outcome:
    """Analyse an opened source into `out_dir`. Errors propagate (see `analyze_one`)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    assembly = build(replace(options, out_dir=str(out_dir)), source.info)
    started = time.perf_counter()
    frames: Iterable[Frame] = progress(source) if progress is not None else source
    stats = assembly.run(frames)
    report = assembly.report.report.to_json() if assembly.report.report is not None else {}
    return Outcome(
        input=source.info.name,
        out_dir=str(out_dir),
        status="done" if stats.complete else "interrupted",
        seconds=round(time.perf_counter() - started, 2),
        frames=stats.frames,
        error="" if stats.complete else stats.stop_reason,
        summary=summarize(report),
        model_calls=getattr(assembly.estimator, "calls", None),
    )


def summarize(report: dict[str, Any]) -> dict[str, Any]:
    """The few numbers of a report a summary table shows."""
    if not report:
        return {}
    return {
        "reps": report["reps"]["total"],
        "hold_s": report["hold_total_s"],
        "faults": len(report["faults"]),
        "coverage": report["pose_coverage"],
        "view": report["view"]["detected"],
    }


def finished_outcome(path: str, out_dir: str, video: bool) -> Outcome | None:
    """A "skipped" Outcome when a previous run finished `path` into `out_dir`, else None."""
    out = Path(out_dir)
    if not is_finished(out, video):
        return None
    report = json.loads((out / REPORT_FILE).read_text(encoding="utf-8"))
    frames = report["video"]["frames"]
    return Outcome(path, out_dir, "skipped", frames=frames, summary=summarize(report))


def analyze_one(path: str, out_dir: str, options: RunOptions, force: bool = False) -> Outcome:
    """Analyse one video into `out_dir`, or skip it when already finished; never raises for
    a bad input (the Outcome carries the error). Runs in worker processes."""
    out = Path(out_dir)
    finished = None if force else finished_outcome(path, out_dir, options.video)
    if finished is not None:
        return finished
    try:
        if options.exercise == "auto":  # see formcoach.offline.auto
            from formcoach.offline.auto import analyze_auto

            return analyze_auto(Path(path), out, options)
        with open_source(path) as source:
            return analyze_source(source, out, options)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # one bad video must not stop a batch
        log.debug("analysis of %s failed", path, exc_info=True)
        return Outcome(path, out_dir, "failed", error=f"{type(exc).__name__}: {exc}")


def worker_threads(jobs: int) -> int | None:
    """TFLite threads per worker: one each when the cores are shared among workers."""
    cores = os.cpu_count() or 1
    return max(1, cores // jobs) if jobs > 1 else None
