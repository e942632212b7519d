"""What runs is what is tested: one assembler builds every pipeline, sinks only read
results. Checked on the source text (ast), so a new copy of the assembly fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

SRC = ROOT / "src" / "formcoach"
# What only the assembler may construct: estimator, stage, analyzer lookup and sink set.
ASSEMBLED = {
    "MediaPipeEstimator",
    "Pipeline",
    "LiveSession",
    "ReportSink",
    "EventsSink",
    "CsvSink",
    "HtmlReportSink",
    "VideoSink",
    "LiveWindowSink",
    "VoiceSink",
    "HistorySink",
    "FramingSink",
}
SINKS = {name for name in ASSEMBLED if name.endswith("Sink")}
# Modules allowed to construct them: the assembler (its sink set in sink_set.py), and where
# a class is used by its own module (auto's framing warnings over a whole recording use a
# FramingSink directly).
ALLOWED = {"assembly.py": ASSEMBLED - SINKS, "sink_set.py": SINKS, "auto.py": {"FramingSink"}}
SINK_MODULES = sorted(
    str(p.relative_to(SRC))
    for package in ("sinks", "render")
    for p in (SRC / package).glob("*.py")
    if p.name != "__init__.py"
)


def _calls(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            names.add(name)
    return names


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


@pytest.mark.parametrize(
    "path",
    [p for p in sorted(SRC.rglob("*.py")) if "synth" not in p.parts],
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_only_the_assembler_constructs_pipelines(path):
    built = _calls(path) & (ASSEMBLED - ALLOWED.get(path.name, set()))
    assert not built, f"{path.name} builds {sorted(built)}: use formcoach.assembly.build"


@pytest.mark.parametrize("name", SINK_MODULES)
def test_sinks_do_not_import_the_pipeline(name):
    imported = _imports(SRC / name)
    assert not imported & {
        "formcoach.pipeline",
        "formcoach.coach.live_session",
        "formcoach.assembly",
        "formcoach.sink_set",
    }


def test_tests_replay_through_the_one_helper():
    """Tests may build sinks or estimators to test them, but a pipeline (estimator ->
    analyzer -> sinks) only through tests/replay.py or the assembler."""
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path.name in ("replay.py", "test_architecture.py"):
            continue
        if {"Pipeline", "LiveSession"} & _calls(path):
            offenders.append(path.name)
    assert offenders == []


def test_the_scanner_sees_constructions():
    # The checks above would pass vacuously if the scanner found nothing.
    assert {"Pipeline", "LiveSession", "MediaPipeEstimator"} <= _calls(SRC / "assembly.py")
    assert {"ReportSink", "LiveWindowSink"} <= _calls(SRC / "sink_set.py")
    assert "formcoach.pipeline" in _imports(SRC / "coach" / "live_session.py")


def test_the_runtime_never_imports_the_clip_studio():
    """formcoach runs without the studio (a package of its own, `studio/`); only the
    command line offers `formcoach synth` when it is installed."""
    importers = [
        str(path.relative_to(SRC))
        for path in sorted(SRC.rglob("*.py"))
        if any(m.startswith("formcoach_studio") for m in _imports(path))
    ]
    assert importers == ["cli/parser.py"]


def test_formcoach_runs_without_the_studio_installed(tmp_path):
    """In a process where the studio cannot be found: the command line builds and says
    how to install it for `synth`; a live set-up screen's demonstration is shipped data."""
    import subprocess
    import sys

    code = (
        "import sys, importlib.util as u\n"
        "find = u.find_spec\n"
        "u.find_spec = lambda n, *a: None if n.startswith('formcoach_studio') else find(n, *a)\n"
        "sys.modules['formcoach_studio'] = None\n"
        "from formcoach.cli import main\n"
        "from formcoach.coach.demo import DemoLoop\n"
        "assert DemoLoop.cached('plank') is not None\n"
        "sys.exit(main(['synth', 'build', '--out', 'x']))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "the clip studio is not installed" in done.stderr
