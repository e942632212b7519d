"""The committed sample set and the larger on-demand evaluation set, as clip specs."""

from __future__ import annotations

import itertools
from typing import Any

from formcoach_studio.motions import REGISTRY
from formcoach_studio.studio import ClipSpec

SHIRTS = (
    (0.55, 0.3, 0.15),
    (0.2, 0.25, 0.7),
    (0.3, 0.55, 0.3),
    (0.6, 0.6, 0.6),
    (0.15, 0.6, 0.75),
    (0.5, 0.2, 0.45),
)
PANTS = ((0.45, 0.4, 0.38), (0.25, 0.22, 0.2), (0.55, 0.45, 0.3), (0.3, 0.3, 0.5))
SKINS = ("medium", "light", "brown", "tan", "dark")
BODIES = ("average", "tall_slim", "short_heavy", "short_slim", "tall_heavy")
FLOORS = ("wood", "tile", "carpet")

# (name, exercise, variant, view, azimuth_deg, camera height m)
_SAMPLES: tuple[tuple[str, str, str, str, float, float], ...] = (
    ("plank_good_side", "plank", "good", "side", 90, 0.45),
    ("plank_sagging_side", "plank", "hips_sagging", "side", -90, 0.5),
    ("plank_piked_side", "plank", "hips_piked", "side", 90, 0.3),
    ("plank_good_front", "plank", "good", "front", 0, 0.6),
    ("plank_good_oblique_low", "plank", "good", "oblique", 55, 0.15),
    ("side_plank_good_front", "side_plank", "good", "front", 0, 0.55),
    ("side_plank_hips_dropping_front", "side_plank", "hips_dropping", "front", 0, 0.5),
    ("wall_sit_good_side", "wall_sit", "good", "side", 90, 0.7),
    ("wall_sit_too_high_side", "wall_sit", "too_high", "side", -90, 0.5),
    ("wall_slide_good_side", "wall_slide", "good", "side", 90, 0.6),
    ("lunge_good_side", "lunge", "good", "side", 90, 0.7),
    ("lunge_too_shallow_side", "lunge", "too_shallow", "side", -90, 0.55),
    ("lunge_knee_past_toes_oblique", "lunge", "knee_past_toes", "oblique", 60, 0.75),
    ("knee_rolls_good_front", "knee_rolls", "good", "front", 0, 0.9),
    ("knee_rolls_shoulder_lifting_front", "knee_rolls", "shoulder_lifting", "front", 0, 0.9),
    ("straight_leg_raise_good_side", "straight_leg_raise", "good", "side", 90, 0.5),
    ("partial_crunch_good_side", "partial_crunch", "good", "side", -90, 0.45),
    ("partial_crunch_feet_lifting_side", "partial_crunch", "feet_lifting", "side", 90, 0.5),
    ("ankle_pumps_good_side", "ankle_pumps", "good", "side", 90, 0.45),
    ("abdominal_bracing_good_side", "abdominal_bracing", "good", "side", -90, 0.55),
    ("foam_roll_thoracic_good_side", "foam_roll_thoracic", "good", "side", 90, 0.5),
    ("foam_roll_lumbar_warning_side", "foam_roll_lumbar", "warning", "side", -90, 0.5),
    ("full_situp_avoid_side", "full_situp", "avoid", "side", 90, 0.5),
    ("foam_roll_glutes_good_side", "foam_roll_glutes", "good", "side", 90, 0.5),
    ("foam_roll_arm_reach_good_side", "foam_roll_arm_reach", "good", "side", -90, 0.5),
)


def _looks(i: int) -> dict[str, Any]:
    return {
        "shirt_bgr": SHIRTS[i % len(SHIRTS)],
        "pants_bgr": PANTS[i % len(PANTS)],
        "skin": SKINS[i % len(SKINS)],
        "body": BODIES[i % len(BODIES)],
        "floor_kind": FLOORS[i % len(FLOORS)],
        "shorts": i % 4 == 3,
    }


def sample_set() -> list[ClipSpec]:
    """The small committed set in sample_videos/ (seeded, 640x360, 24 fps)."""
    out = []
    for i, (name, ex, var, view, az, h) in enumerate(_SAMPLES):
        gain = (1.0, 0.8) if i % 5 == 2 else (1.0, 1.0)
        out.append(
            ClipSpec(
                name=name,
                exercise=ex,
                variant=var,
                view=view,
                azimuth_deg=az,
                camera_height_m=h,
                gain_start=gain[0],
                gain_end=gain[1],
                seed=1000 + i,
                **_looks(i),
            )
        )
    return out


VIEWS = (("side", 90.0), ("side", -90.0), ("oblique", 50.0), ("front", 0.0))
RIGS = ((0.15, 0.8), (0.5, 0.7), (0.9, 0.55))  # (camera height m, fill): floor/chair/far


def eval_set() -> list[ClipSpec]:
    """Every exercise x variant x view, with varied rigs, bodies, looks and codecs."""
    out = []
    combos = [(ex, var) for ex, (_, variants) in sorted(REGISTRY.items()) for var in variants]
    for i, ((ex, var), (view, az)) in enumerate(itertools.product(combos, VIEWS)):
        h, fill = RIGS[i % len(RIGS)]
        out.append(
            ClipSpec(
                name=f"{ex}_{var}_{view}{int(az):+d}_{i:03d}",
                exercise=ex,
                variant=var,
                view=view,
                azimuth_deg=az,
                camera_height_m=h,
                fill=fill,
                seed=5000 + i,
                noise_sigma=(1.0, 3.0, 5.0)[i % 3],
                jpeg_quality=(None, 70, 45)[i % 3],
                gain_start=1.0,
                gain_end=(1.0, 0.75, 1.2)[i % 3],
                width_px=640,
                height_px=360,
                **_looks(i),
            )
        )
    return out


SETS = {"sample": sample_set, "eval": eval_set}
