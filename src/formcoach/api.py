"""The Python API: a recorded video in a line, or a coach for your own camera loop.

    import formcoach

    report = formcoach.analyze("plank.mp4", exercise="plank")
    print(report.longest_hold_s, report.faults)

    with formcoach.Coach("lunge") as coach:
        for frame_bgr, t_s in my_camera():
            verdict = coach.update(frame_bgr, t_s)
            if verdict.correction:
                show(verdict.correction)
    print(coach.report().reps)

Both go through the one assembler with the command line's defaults, so a result here is
what `formcoach analyze` would report.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import numpy.typing as npt

from formcoach.assembly import Assembly, RunOptions, build
from formcoach.pipeline import Loop
from formcoach.report import Report
from formcoach.run_options import AUTO
from formcoach.sources.base import SourceInfo
from formcoach.sources.open import open_source
from formcoach.types import Frame, FrameResult, Verdict

__all__ = ["Coach", "analyze"]


def analyze(
    path: str | os.PathLike[str],
    exercise: str,
    *,
    out_dir: str | os.PathLike[str] | None = None,
    **options: Any,
) -> Report:
    """Analyse a video file (or a folder of images) as `formcoach analyze` does.

    `exercise` is a name from `formcoach exercises`, or "auto" to recognise each part.
    With `out_dir` the same files as the command line are written there (report.json,
    events, rows.csv, report.html, annotated.mp4); without it nothing is written. Other
    keywords are `RunOptions` fields (config_path, people, sampling, video, html, ...).
    Raises `SourceError` for an unreadable video, `UnknownExerciseError` or `ConfigError`
    for a bad name or config.
    """
    run_options = replace(RunOptions(exercise), **options)
    if exercise == AUTO:
        return _analyze_auto(Path(path), out_dir, run_options)
    if out_dir is not None:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        run_options = replace(run_options, out_dir=str(out_dir))
    with open_source(Path(path)) as source:
        assembly = build(run_options, source.info)
        assembly.run(source)
    assert assembly.report.report is not None
    return assembly.report.report


def _analyze_auto(
    path: Path, out_dir: str | os.PathLike[str] | None, options: RunOptions
) -> Report:
    import json

    from formcoach.offline.auto import analyze_auto

    with tempfile.TemporaryDirectory(prefix="formcoach-") as tmp:
        out = Path(out_dir) if out_dir is not None else Path(tmp)
        analyze_auto(path, out, options)
        return Report.from_json(json.loads((out / "report.json").read_text(encoding="utf-8")))


class Coach:
    """Frame-by-frame coaching for a caller with its own camera loop.

    `update(frame_bgr, t_s)` analyses one BGR image taken at `t_s` seconds (any clock
    that increases) and returns the `Verdict`: counts, hold time, the one correction.
    `report()` ends the set and returns its `Report`. Options are `RunOptions` fields.
    """

    def __init__(self, exercise: str, **options: Any) -> None:
        self.options = replace(RunOptions(exercise), **options)
        self.options.validate()
        self._assembly: Assembly | None = None
        self._loop: Loop | None = None
        self._index = 0
        self.last: FrameResult | None = None

    def update(self, frame_bgr: npt.NDArray[np.uint8], t_s: float) -> Verdict:
        if self._loop is not None and self._loop.closed is not None:
            raise RuntimeError("this set has ended (report() was called); start a new Coach")
        if self._loop is None:
            height, width = frame_bgr.shape[:2]
            info = SourceInfo("camera", 30.0, 0, (int(width), int(height)))
            self._assembly = build(self.options, info)
            self._loop = Loop(self._assembly.stage, self._assembly.sinks)
        self.last = self._loop.step(Frame(frame_bgr, float(t_s), self._index))
        self._index += 1
        return self.last.verdict

    def report(self) -> Report:
        """End the set (holds in progress are closed) and return its report."""
        if self._loop is None or self._assembly is None:
            raise RuntimeError("no frame was given to update() yet")
        self._loop.close(complete=True)
        self._assembly.estimator.close()
        assert self._assembly.report.report is not None
        return self._assembly.report.report

    def close(self) -> None:
        if self._loop is not None and self._loop.closed is None:
            self.report()

    def __enter__(self) -> Coach:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
