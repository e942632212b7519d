"""Motion scripts, one small module per exercise family, registered by exercise name."""

from formcoach.synth.motions import plank as _plank  # noqa: F401  (registers)
from formcoach.synth.motions.base import REGISTRY, Motion, Timeline, make_motion

__all__ = ["REGISTRY", "Motion", "Timeline", "make_motion"]
