"""report.html: one self-contained page a physiotherapist reads instead of report.json.

Inline CSS, images as data URIs, no scripts and no external requests: the file can be
mailed or archived and opens offline. Contents: the summary, the per-rep and per-hold
table, the faults with a thumbnail of each one's worst moment, and a plot of each key
signal over time with its target band shaded and fault intervals marked.
"""

from __future__ import annotations

import base64
import html
import io
import logging
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from formcoach.exercises.base import Exercise
from formcoach.exercises.summary import Summary
from formcoach.files import write_text_atomic
from formcoach.report_build import build_report
from formcoach.signal_names import label as signal_label
from formcoach.signal_names import target_words, words_and_unit
from formcoach.sinks.rows_csv import COLUMNS, TITLES, rows
from formcoach.sinks.series import Band, Series, SeriesSink, Thumbnail
from formcoach.sources.base import SourceInfo
from formcoach.types import Event, FrameResult, RunStats

log = logging.getLogger(__name__)

MAX_PLOTS = 6

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;
max-width:1000px;color:#222;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em} h2{font-size:1.2em;margin-top:1.6em;
border-bottom:1px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse;margin:.5em 0;font-size:.92em}
th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f4f4f4} td.num{text-align:right;font-variant-numeric:tabular-nums}
.warn{background:#fff4e0;border-left:4px solid #f0a030;padding:.4em .8em;margin:.3em 0}
.ok{color:#1a7f37} .bad{color:#c62828} .muted{color:#777}
figure{margin:1em 0} figure img{max-width:100%} .faults img{width:320px;border-radius:4px}
"""


class HtmlReportSink(SeriesSink):
    """Collects signals and thumbnails, writes report.html when the run ends."""

    def __init__(
        self,
        path: Path,
        exercise: Exercise,
        info: SourceInfo,
        thumbnails: bool = True,
        notes: Callable[[], list[str]] = list,
    ) -> None:
        super().__init__(exercise, thumbnails)
        self.path = path
        self.info = info
        self.notes = notes

    def write(self, result: FrameResult) -> None:
        super().write(result)

    def close(self, summary: Summary, stats: RunStats, events: Sequence[Event]) -> None:
        super().close(summary, stats, events)
        report = build_report(self.exercise, summary, stats, self.info, self.notes()).to_json()
        page = render_page(
            report,
            list(events),
            self.series,
            self.bands,
            self.thumbnails,
            type(self.exercise).depth_label,
        )
        write_text_atomic(self.path, page)


def _e(value: object) -> str:
    return html.escape(str(value))


def _table(header: Sequence[str], body: Sequence[Sequence[object]], cls: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    trs = []
    for row in body:
        cells = "".join(
            f'<td class="num">{_e(c)}</td>' if isinstance(c, int | float) else f"<td>{c}</td>"
            for c in row
        )
        trs.append(f"<tr>{cells}</tr>")
    return f'<table class="{cls}"><tr>{head}</tr>{"".join(trs)}</table>'


def _summary(report: dict[str, Any]) -> str:
    video, reps, view = report["video"], report["reps"], report["view"]
    target = report["target"]
    lines: list[tuple[str, str]] = [
        ("video", _e(Path(video["path"]).name)),
        (
            "length",
            _e(f"{video['duration_s']:.1f} s, {video['frames']} frames at {video['fps']:.2f} fps"),
        ),
        ("person found in", _e(f"{report['pose_coverage']:.0%} of frames")),
    ]
    if target["reps"] or reps["total"] or reps["partial"]:
        text = f"{reps['total']} complete"
        if reps["left"] or reps["right"]:
            text += f" (left {reps['left']}, right {reps['right']})"
        text += f", {reps['partial']} partial"
        if target["reps"]:
            text += f"; target {target['reps']}" + (" per side" if target["per_side"] else "")
        lines.append(("reps", _e(text)))
    if target["hold_s"] or report["holds"]:
        text = f"{report['hold_total_s']:.1f} s in {len(report['holds'])} hold(s)"
        if target["hold_s"]:
            text += f"; target {target['hold_s']:g} s"
        lines.append(("hold", _e(text)))
    ok = view["judgeable"]
    lines.append(
        (
            "camera view",
            f'<span class="{"ok" if ok else "bad"}">{_e(view["detected"])}</span> '
            + _e(view["message"]),
        )
    )
    n = len(report["faults"])
    lines.append(
        ("faults", '<span class="ok">none</span>' if n == 0 else f'<span class="bad">{n}</span>')
    )
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in lines)
    warnings = "".join(f'<div class="warn">{_e(w)}</div>' for w in report["warnings"])
    return f"<table>{body}</table>{warnings}"


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _faults(report: dict[str, Any], thumbnails: Sequence[Thumbnail]) -> str:
    if not report["faults"]:
        return '<p class="ok">No form faults were found.</p>'
    body = []
    for f in report["faults"]:
        thumb = next(
            (
                t
                for t in thumbnails
                if t.rule == f["rule"] and f["start_s"] - 0.5 <= t.t_s <= f["end_s"] + 0.5
            ),
            None,
        )
        if thumb is not None and thumb.jpeg:
            value = f", value {thumb.value:.1f}" if thumb.value is not None else ""
            cell = (
                f'<img alt="{_e(f["rule"])} at {thumb.t_s:.1f} s" '
                f'src="{_data_uri(thumb.jpeg, "image/jpeg")}">'
                f'<br><span class="muted">worst moment {thumb.t_s:.1f} s{_e(value)}</span>'
            )
        else:
            cell = '<span class="muted">no image</span>'
        body.append(
            [
                _e(f["rule"]),
                f["start_s"],
                f["end_s"],
                round(f["end_s"] - f["start_s"], 1),
                _e(f["message"]),
                cell,
            ]
        )
    header = ["fault", "from s", "to s", "length s", "correction", "worst moment"]
    return _table(header, body, "faults")


def _rows_table(report: dict[str, Any], events: Sequence[Event], depth_label: str = "") -> str:
    table = rows(report, events)
    if not table:
        return '<p class="muted">No reps or holds were recorded.</p>'
    rep_only = ("depth", "descent_start_s", "rep_duration_s")
    columns = [c for c in COLUMNS if c not in rep_only or any(r[c] != "" for r in table)]
    titles = {**TITLES, "depth": f"depth: {depth_label}" if depth_label else "depth"}
    return _table([titles[c] for c in columns], [[r[c] for c in columns] for r in table])


def _plot_signal(
    series: Series,
    signal: str,
    band: Band | None,
    report: dict[str, Any],
    events: Sequence[Event],
) -> bytes:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    t = np.asarray(series.t_s)
    y = series.array(signal)
    fig = Figure(figsize=(9.5, 2.6), dpi=90)
    ax = fig.add_subplot()
    finite = y[np.isfinite(y)]
    lo = float(finite.min()) if finite.size else 0.0
    hi = float(finite.max()) if finite.size else 1.0
    if band is not None:
        lo, hi = axis_range(lo, hi, band)
        b_lo = band.low if band.low is not None else lo - (hi - lo)
        b_hi = band.high if band.high is not None else hi + (hi - lo)
        ax.axhspan(b_lo, b_hi, color="#2e7d32", alpha=0.12, lw=0, label="target band")
        for f in report["faults"]:
            if f["rule"] in band.fault_rules:
                ax.axvspan(f["start_s"], f["end_s"], color="#c62828", alpha=0.22, lw=0)
    for h in report["holds"]:
        ax.axvspan(h["start_s"], h["end_s"], ymin=0, ymax=0.04, color="#1565c0", lw=0)
    for e in events:
        if e.kind == "rep":
            ax.axvline(float(e.data["peak_s"]), color="#555", lw=0.8, ls=":")
    ax.plot(t, y, color="#222", lw=1.2)
    pad = 0.05 * (hi - lo or 1.0)
    ax.set_ylim(lo - pad, hi + pad)
    if t.size and t[-1] > t[0]:  # one sample (a 1-frame video) keeps matplotlib's limits
        ax.set_xlim(float(t[0]), float(t[-1]))
    ax.set_xlabel("time (s)")
    ax.set_ylabel(signal_label(signal), fontsize=8)
    ax.grid(alpha=0.25)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def axis_range(lo: float, hi: float, band: Band) -> tuple[float, float]:
    """The y range for data in [lo, hi]: the data, plus a target threshold when it lies
    within one data span of it (a threshold far away would squash the curve flat)."""
    span = max(hi - lo, 1e-6)
    for v in (band.low, band.high):
        if v is not None and lo - span <= v <= hi + span:
            lo, hi = min(lo, v), max(hi, v)
    return lo, hi


def _plots(
    report: dict[str, Any], events: Sequence[Event], series: Series, bands: Sequence[Band]
) -> str:
    chosen: list[tuple[str, Band | None]] = [(b.signal, b) for b in bands]
    if not chosen:  # an exercise without declarative rules: plot what it measures
        chosen = [(name, None) for name in sorted(series.signals)]
    figures = []
    for signal, band in chosen[:MAX_PLOTS]:
        if signal not in series.signals or not any(
            math.isfinite(v) for v in series.signals[signal]
        ):
            continue
        png = _plot_signal(series, signal, band, report, events)
        unit = words_and_unit(signal)[1]
        caption = signal_label(signal)
        if band is not None:
            caption += (
                f": target {target_words(band.low, band.high, unit)} (green band);"
                f" red: {', '.join(r.replace('_', ' ') for r in band.fault_rules)}"
            )
        caption += "; blue ticks: holds; dotted lines: rep peaks"
        figures.append(
            f'<figure><img alt="{_e(signal)} over time" src="{_data_uri(png, "image/png")}">'
            f"<figcaption>{_e(caption)}</figcaption></figure>"
        )
    if not figures:
        return '<p class="muted">No signals were measured (no person judged in view).</p>'
    return "".join(figures)


def render_page(
    report: dict[str, Any],
    events: Sequence[Event],
    series: Series,
    bands: Sequence[Band],
    thumbnails: Sequence[Thumbnail],
    depth_label: str = "",
) -> str:
    title = f"formcoach: {report['exercise']} - {Path(report['video']['path']).name}"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{_e(title)}</h1>"
        f"<h2>Summary</h2>{_summary(report)}"
        f"<h2>Reps and holds</h2>{_rows_table(report, events, depth_label)}"
        f"<h2>Faults</h2>{_faults(report, thumbnails)}"
        f"<h2>Signals over time</h2>{_plots(report, events, series, bands)}"
        '<p class="muted">Made by formcoach offline; nothing in this page is loaded from '
        "the network.</p></body></html>\n"
    )
