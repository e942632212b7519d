"""The Ray engine's driver side, without Ray: how a task's returned files are written."""

from __future__ import annotations

import pytest

from formcoach.offline import ray_engine


def test_returned_files_are_written_with_their_modes_and_the_report_last(tmp_path, monkeypatch):
    files = {
        "report.json": (0o600, b"{}"),
        "annotated.mp4": (0o600, b"video"),
        "segments/01_plank/report.json": (0o600, b"{}"),
        "events.jsonl": (0o644, b""),
    }
    written: list[str] = []
    real = ray_engine.write_bytes_atomic

    def spy(path, data, mode=0o600):
        written.append(str(path.relative_to(tmp_path / "out")))
        real(path, data, mode)

    monkeypatch.setattr(ray_engine, "write_bytes_atomic", spy)
    ray_engine.write_outputs(tmp_path / "out", files)
    assert written[-1] == "report.json" and written[-2] == "segments/01_plank/report.json"
    assert (tmp_path / "out" / "annotated.mp4").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "out" / "events.jsonl").stat().st_mode & 0o777 == 0o644


def test_a_returned_file_never_lands_outside_the_output_folder(tmp_path):
    with pytest.raises(OSError, match="outside"):
        ray_engine.write_outputs(tmp_path / "out", {"../escaped.txt": (0o600, b"x")})
    assert not (tmp_path / "escaped.txt").exists()


def test_the_cluster_is_ray_address_then_ray_s_own_variable(monkeypatch):
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    assert ray_engine.cluster_address(ray_engine.RayOptions()) is None
    monkeypatch.setenv("RAY_ADDRESS", "10.0.0.5:6379")
    assert ray_engine.cluster_address(ray_engine.RayOptions()) == "10.0.0.5:6379"
    assert ray_engine.cluster_address(ray_engine.RayOptions("head:6379")) == "head:6379"
