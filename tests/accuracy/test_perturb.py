"""The sensitivity harness (benchmarks/perturb.py): its perturbations and its comparison."""

from __future__ import annotations

import numpy as np
import pytest
from benchmarks.perturb import PERTURBATIONS, PerturbedSource, changes, outcome

from formcoach.sources.base import SourceInfo
from formcoach.types import Frame


class Frames:
    info = SourceInfo("test", 30.0, 60, (64, 36))

    def __iter__(self):
        rng = np.random.default_rng(1)
        for i in range(60):
            yield Frame(rng.integers(0, 255, (36, 64, 3), dtype=np.uint8), i / 30, i)


@pytest.mark.parametrize("name", sorted(PERTURBATIONS))
def test_each_perturbation_is_deterministic_and_its_size_is_announced(name):
    runs = [list(PerturbedSource(Frames(), PERTURBATIONS[name])) for _ in range(2)]
    assert len(runs[0]) == len(runs[1]) > 0
    for a, b in zip(*runs, strict=True):
        assert a.timestamp_s == b.timestamp_s and np.array_equal(a.image_bgr, b.image_bgr)
    w, h = PerturbedSource(Frames(), PERTURBATIONS[name]).info.size_px
    assert runs[0][0].image_bgr.shape[:2] == (h, w)


def test_frame_rate_perturbations_keep_the_rate_they_name():
    ten = list(PerturbedSource(Frames(), PERTURBATIONS["fps_10"]))
    assert len(ten) == 20  # 2 s at 10 fps
    dropped = list(PerturbedSource(Frames(), PERTURBATIONS["drop_20pct"]))
    assert 36 <= len(dropped) <= 60  # about 48 of 60
    images = [p.name for p in PERTURBATIONS.values() if p.image is not None]
    assert {"scale_0.5", "scale_1.5", "crop_10pct", "jpeg_30", "dark_40pct"} <= set(images)


def report(left=0, right=0, total=0, holds=(), faults=(), view=("side", True)):
    return {"reps": {"left": left, "right": right, "total": total},
            "holds": [{"duration_s": d} for d in holds], "faults": [{"rule": f} for f in faults],
            "view": {"detected": view[0], "judgeable": view[1]}}  # fmt: skip


def test_an_outcome_changes_with_reps_holds_beyond_half_a_second_faults_or_view():
    base = outcome(report(3, 4, 7, holds=[10.0]))
    assert changes(base, outcome(report(3, 4, 7, holds=[10.4]))) == []  # within 0.5 s
    assert changes(base, outcome(report(3, 4, 7, holds=[10.7]))) == ["holds [10.0] -> [10.7]"]
    assert changes(base, outcome(report(3, 4, 7, holds=[5.0, 5.0])))  # split in two
    assert changes(base, outcome(report(4, 3, 7, holds=[10.0])))  # sides swapped
    assert changes(base, outcome(report(3, 4, 7, holds=[10.0], faults=["depth"])))
    assert changes(base, outcome(report(3, 4, 7, holds=[10.0], view=("front", False))))


def test_handheld_logo_and_dissolve_change_what_they_say_and_nothing_else():
    frames = list(Frames())
    still = frames[0].image_bgr
    assert np.array_equal(PERTURBATIONS["handheld"].image(still, 0.0), still)  # starts still
    assert not np.array_equal(PERTURBATIONS["handheld"].image(still, 2.0), still)
    logo = PERTURBATIONS["logo"].image(still, 0.0)
    changed = np.argwhere((logo != still).any(axis=2))
    assert changed[:, 0].min() > 36 / 2 and changed[:, 1].min() > 64 / 2  # bottom right only
    # The 2 s clip dissolves from 1.0 s (half-way) over 0.5 s to another shot.
    dissolved = {f.index: f.image_bgr for f in PerturbedSource(Frames(), PERTURBATIONS["dissolve"])}
    assert all(np.array_equal(dissolved[i], frames[i].image_bgr) for i in range(30))
    assert not np.array_equal(dissolved[40], frames[40].image_bgr)
    assert np.array_equal(dissolved[50], dissolved[55])  # only the other shot: no person
