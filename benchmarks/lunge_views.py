"""From how near head-on can a lunge be counted? The clip studio's lunges at many azimuths.

Renders lunges (good, knee past the toes, too shallow; 4 reps each, 2 per leg) filmed from
10 to 45 deg off head-on, from a chair-height and a hip-height rig, records MediaPipe's
landmarks with the default estimator, replays them through the default assembly and
compares with each clip's exact truth. The view angle is MediaPipe's (the shoulder and hip
lines out of the image plane, `formcoach.view`), as the analyzer sees it; the table groups
the clips by it, which is where `Lunge.front_max_deg` comes from.

    PYTHONPATH=src:. python benchmarks/lunge_views.py --work /tmp/lunge_views   # ~15 min
    PYTHONPATH=src:. python benchmarks/lunge_views.py --work /tmp/lunge_views   # again: 1 min

Rendered clips and tracks stay in --work (not committed); a second run replays them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
from scripts.record_tracks import record

from benchmarks.perturb import replay
from formcoach.pose.tracks import Track
from formcoach.view import depth_angle_deg
from formcoach_studio.sets import _looks
from formcoach_studio.studio import ClipSpec, build_set

AZIMUTHS = (10.0, 20.0, 30.0, 35.0, 40.0, 45.0, -20.0, -40.0)
RIGS = ((0.9, 0.55), (0.5, 0.7))  # (camera height m, fill)
VARIANTS = ("good", "knee_past_toes", "too_shallow")
BUCKETS = ((0.0, 15.0), (15.0, 20.0), (20.0, 35.0), (35.0, 90.0))


def specs() -> list[ClipSpec]:
    out = []
    for i, (variant, az, (height, fill)) in enumerate(
        (v, a, r) for v in VARIANTS for a in AZIMUTHS for r in RIGS
    ):
        out.append(
            ClipSpec(
                name=f"lunge_{variant}_az{int(az):+d}_h{height}",
                exercise="lunge",
                variant=variant,
                view="oblique",
                azimuth_deg=az,
                camera_height_m=height,
                fill=fill,
                seed=9000 + i,
                **_looks(i),
            )
        )
    return out


def ensure_tracks(work: Path, clips: list[ClipSpec]) -> None:
    missing = [s for s in clips if not (work / f"{s.name}.npz").is_file()]
    if not missing:
        return
    build_set([s for s in missing if not (work / f"{s.name}.mp4").is_file()], work, workers=1)
    for spec in missing:
        print(record(work / f"{spec.name}.mp4", work), flush=True)


def view_angle(track_path: Path) -> float:
    track = Track.load(track_path)
    poses = (track.pose(i) for i in range(len(track)))
    return float(np.nanmedian([depth_angle_deg(p) for p in poses if p is not None]))


def row(work: Path, spec: ClipSpec) -> dict[str, Any]:
    truth = json.loads((work / f"{spec.name}.truth.json").read_text())["events"]
    report = replay("lunge", work / f"{spec.name}.npz").report.report.to_json()
    true_faults = {f["rule"] for f in truth["faults"]} - {"too_shallow"}
    faults = {f["rule"] for f in report["faults"]} - {"depth"}
    return {
        "clip": spec.name,
        "variant": spec.variant,
        "azimuth": spec.azimuth_deg,
        "angle": view_angle(work / f"{spec.name}.npz"),
        "view": report["view"]["detected"],
        "true_reps": len(truth["reps"]),
        "reps": report["reps"]["total"],
        "partial": report["reps"]["partial"],
        "false_faults": sorted(faults - true_faults),
        "missed_faults": sorted(true_faults - faults),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="clips and tracks go here")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    clips = specs()
    ensure_tracks(args.work, clips)
    rows = sorted((row(args.work, s) for s in clips), key=lambda r: r["angle"])
    print("| clip | azimuth | view angle | view | reps (of 4) | partial | false faults |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['clip']} | {r['azimuth']:+.0f} | {r['angle']:.1f} | {r['view']} | "
            f"{r['reps']} | {r['partial']} | {', '.join(r['false_faults']) or '-'} |"
        )
    print("\nFull-depth lunges (good, knee past the toes) by view angle:\n")
    print("| view angle | clips | reps counted | partial | clips with a false fault |")
    print("|---|---|---|---|---|")
    for low, high in BUCKETS:
        sel = [r for r in rows if low <= r["angle"] < high and r["variant"] != "too_shallow"]
        print(
            f"| {low:.0f}-{high:.0f} | {len(sel)} | {sum(r['reps'] for r in sel)} of "
            f"{sum(r['true_reps'] for r in sel)} | {sum(r['partial'] for r in sel)} | "
            f"{sum(bool(r['false_faults']) for r in sel)} |"
        )


if __name__ == "__main__":
    main()
