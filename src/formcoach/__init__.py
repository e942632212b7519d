"""formcoach: a network-silent form coach for lower-back-pain exercises.

    import formcoach
    report = formcoach.analyze("plank.mp4", exercise="plank")

`analyze` and `Coach` (frame by frame, for your own camera loop) are the Python API; see
formcoach.api. Importing formcoach is cheap: MediaPipe loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Coach", "Report", "RunOptions", "Verdict", "__version__", "analyze"]

if TYPE_CHECKING:
    from formcoach.api import Coach, analyze
    from formcoach.report import Report
    from formcoach.run_options import RunOptions
    from formcoach.types import Verdict

_LAZY = {
    "Coach": "formcoach.api",
    "analyze": "formcoach.api",
    "RunOptions": "formcoach.run_options",
    "Report": "formcoach.report",
    "Verdict": "formcoach.types",
}


def __getattr__(name: str) -> Any:
    """The API's names, imported on first use (the command line stays quick to start)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'formcoach' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
