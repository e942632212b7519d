"""`--engine ray` against a local Ray instance started here: no dashboard, no usage
statistics (Ray's only outside call), the same outputs as the process engine."""

from __future__ import annotations

import json

import pytest

from formcoach.cli import main
from formcoach.offline.ray_engine import offline_ray_env
from tests.offline.test_batch import make_batch_folder, outcomes

# About 10 s (Ray start-up, workers importing MediaPipe): under the 20 s slow-tier limit.


@pytest.fixture
def local_ray(monkeypatch):
    ray = pytest.importorskip("ray")
    with offline_ray_env():  # see ray_engine.py: no usage stats, no cloud-metadata probes
        ray.init(
            num_cpus=2,
            include_dashboard=False,
            _node_ip_address="127.0.0.1",
            log_to_driver=False,
            configure_logging=False,
        )
    try:
        try:  # moved between Ray releases
            from ray._common.usage import usage_lib
        except ImportError:
            from ray._private.usage import usage_lib
        with offline_ray_env():
            assert not usage_lib.usage_stats_enabled()
        yield ray
    finally:
        ray.shutdown()


def test_ray_engine_analyses_a_batch_and_reports_the_bad_video(local_ray, tmp_path, capsys):
    batch_folder = make_batch_folder(tmp_path)
    out = tmp_path / "out"
    argv = ["analyze", str(batch_folder), "-e", "plank", "-o", str(out), "-q", "--no-video"]
    assert main([*argv, "--engine", "ray", "-j", "2"]) == 1
    assert "broken.mp4 failed" in capsys.readouterr().err
    result = outcomes(out)
    assert result["a.mp4"]["status"] == result["b.mp4"]["status"] == "done"
    assert json.loads((out / "a" / "report.json").read_text())["video"]["frames"] == 8
    assert main([*argv, "--engine", "ray"]) == 1
    assert outcomes(out)["a.mp4"]["status"] == "skipped"
