"""Motion scripts, one small module per exercise family, registered by exercise name."""

from formcoach_studio.motions import foam as _foam  # noqa: F401  (registers)
from formcoach_studio.motions import plank as _plank  # noqa: F401
from formcoach_studio.motions import standing as _standing  # noqa: F401
from formcoach_studio.motions import supine as _supine  # noqa: F401
from formcoach_studio.motions.base import REGISTRY, Motion, Timeline, make_motion

__all__ = ["REGISTRY", "Motion", "Timeline", "make_motion"]
