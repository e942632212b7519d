"""The promise of `formcoach.exercises`: a new exercise is one module, and nothing else
needs editing. A copy of the package gets one more file, a dead bug hold, and every place
that lists exercises (the catalogue, recognition's signatures, the routine, `create`, the
command line) finds it there."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT

DEAD_BUG = '''
"""Dead bug hold: lying on the back, hips and knees bent at 90 deg, shins level."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from formcoach.exercises.base import Exercise
from formcoach.exercises.moment import Moment
from formcoach.exercises.rules import Range, Signals
from formcoach.exercises.settings import ExerciseConfig
from formcoach.exercises.signature import Signature
from formcoach.exercises.summary import Target
from formcoach.geometry import joint_angle_deg
from formcoach.landmarks import sided
from formcoach.types import Check, Pose, Side


@dataclass(frozen=True, kw_only=True)
class DeadBugConfig(ExerciseConfig):
    max_hip_deg: float = 120.0  # thighs up over the hips
    max_knee_deg: float = 120.0  # knees bent


class DeadBug(Exercise):
    name = "dead_bug"
    title = "Dead bug"
    signature = Signature("supine", 85, lambda w: False)
    instructions = "on your back: hips and knees bent at 90, shins level"
    kind = "hold"
    trunk = "lying"
    target = Target(hold_s=10.0)
    placement = "camera at mat height, 2-3 m away, your side toward it"
    views = frozenset({"side", "oblique"})
    config_class = DeadBugConfig
    config: DeadBugConfig

    def measure(self, pose: Pose, side: Side, now: Moment) -> dict[str, float]:
        p = pose.image_px
        sh, hip, knee, ankle = (p[sided(side, j)] for j in ("SHOULDER", "HIP", "KNEE", "ANKLE"))
        return {
            "hip_deg": float(joint_angle_deg(sh, hip, knee)),
            "knee_deg": float(joint_angle_deg(hip, knee, ankle)),
        }

    def position(self, signals: Signals, now: Moment) -> Check:
        if signals["hip_deg"] > self.config.max_hip_deg:
            return Check("position", False, "bring your thighs up over your hips")
        return Check("position", True)

    def rules(self) -> Sequence[Range]:
        bent = self.config.max_knee_deg
        return (Range("knees_bent", "knee_deg", high=bent, above="bend your knees"),)
'''

PROBE = """
import json
from formcoach.coach.routine import valid_exercises
from formcoach.exercises import create
from formcoach.recognition import signatures

analyzer = create("dead_bug")
print(json.dumps({
    "analyzer": type(analyzer).__name__,
    "recognition": [name for name, _ in signatures()],
    "routine": valid_exercises(),
}))
"""


@pytest.fixture(scope="module")
def with_dead_bug(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a run whose formcoach package has one more exercise file."""
    root = tmp_path_factory.mktemp("one_more_exercise")
    package = root / "formcoach"
    shutil.copytree(
        ROOT / "src" / "formcoach", package, ignore=shutil.ignore_patterns("__pycache__")
    )
    (package / "exercises" / "dead_bug.py").write_text(textwrap.dedent(DEAD_BUG).lstrip())
    # The model files stay where `formcoach setup` built them for the repository.
    models = os.environ.get("FORMCOACH_MODEL_DIR", str(ROOT / "models"))
    return {**os.environ, "PYTHONPATH": str(root), "FORMCOACH_MODEL_DIR": models}


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_the_copy_is_the_one_that_runs(with_dead_bug: dict[str, str]) -> None:
    done = _run(with_dead_bug, "-c", "import formcoach; print(formcoach.__file__)")
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).parent.parent == Path(with_dead_bug["PYTHONPATH"])


def test_the_catalogue_lists_it(with_dead_bug: dict[str, str]) -> None:
    done = _run(with_dead_bug, "-m", "formcoach.cli", "exercises")
    assert done.returncode == 0, done.stderr
    assert "dead_bug" in done.stdout and "Dead bug" in done.stdout


def test_recognition_the_routine_and_create_find_it(with_dead_bug: dict[str, str]) -> None:
    done = _run(with_dead_bug, "-c", PROBE)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["analyzer"] == "DeadBug"
    assert "dead_bug" in found["recognition"]
    assert "dead_bug" in found["routine"]


def test_the_command_line_accepts_it(with_dead_bug: dict[str, str], tmp_path: Path) -> None:
    """`analyze -e dead_bug` gets past the exercise's name to the input (a missing file
    here: exit 2 and a line about the file, not about the exercise)."""
    missing = tmp_path / "no_such_clip.mp4"
    out = str(tmp_path / "out")
    done = _run(
        with_dead_bug, "-m", "formcoach.cli", "analyze", str(missing), "-e", "dead_bug", "-o", out
    )
    assert done.returncode == 2
    assert "unknown exercise" not in done.stderr and "video not found" in done.stderr


def test_without_the_file_it_is_unknown(tmp_path: Path) -> None:
    """The check above can fail: the unmodified package does not know the name."""
    missing = tmp_path / "no_such_clip.mp4"
    out = str(tmp_path / "out")
    done = _run(
        dict(os.environ),
        "-m",
        "formcoach.cli",
        "analyze",
        str(missing),
        "-e",
        "dead_bug",
        "-o",
        out,
    )
    assert done.returncode == 2 and "unknown exercise 'dead_bug'" in done.stderr
