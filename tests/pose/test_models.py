"""The model bundle: built offline from the mediapipe wheel, checksummed, fetched only
with a pinned checksum. Network paths are tested against local addresses only."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from formcoach.pose import models


@pytest.fixture
def model_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMCOACH_MODEL_DIR", str(tmp_path))
    return tmp_path


def test_built_bundle_matches_the_manifest_checksum():
    spec = models.model_spec("full")
    data = models.build_bundle(spec)
    assert hashlib.sha256(data).hexdigest() == spec.sha256
    members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert [m.filename for m in members] == [
        "pose_detector.tflite",
        "pose_landmarks_detector.tflite",
    ]
    for m in members:
        assert m.compress_type == zipfile.ZIP_STORED
        data_offset = m.header_offset + 30 + len(m.filename.encode()) + len(m.extra)
        assert data_offset % 64 == 0
        assert data[data_offset + 4 : data_offset + 8] == b"TFL3"


def test_aligned_zip_aligns_any_member_names():
    data = models.aligned_zip([("a", b"x" * 7), ("bbbbbbbbbbbbbbb", b"y" * 100), ("c", b"z")])
    for m in zipfile.ZipFile(io.BytesIO(data)).infolist():
        assert (m.header_offset + 30 + len(m.filename) + len(m.extra)) % 64 == 0
    assert zipfile.ZipFile(io.BytesIO(data)).read("c") == b"z"


def test_setup_builds_then_verifies(model_dir):
    path = models.setup_model()
    assert path.parent == model_dir
    assert models.model_path() == path
    assert models.describe_models()[0]["state"] == "ok"


def test_missing_model_names_the_fix(model_dir):
    with pytest.raises(models.ModelError, match="formcoach setup"):
        models.model_path("full")


def test_corrupt_model_is_refused_with_the_fix(model_dir):
    (model_dir / "pose_landmarker_full.task").write_bytes(b"not a model")
    with pytest.raises(models.ModelError, match=r"corrupt .* delete it and run `formcoach setup`"):
        models.model_path("full")
    assert models.describe_models()[0]["state"] == "CHECKSUM MISMATCH"


def test_unknown_model_lists_the_valid_names():
    with pytest.raises(models.ModelError, match=r"expected one of .*full.*heavy.*lite"):
        models.model_spec("huge")


def test_fetch_without_a_pinned_checksum_is_refused(model_dir):
    with pytest.raises(models.ModelError, match="no pinned checksum"):
        models.fetch_model("lite")


def test_fetch_offline_fails_clearly(model_dir):
    # Port 9 (discard) on loopback: nothing listens, so the connection is refused at once.
    with pytest.raises(models.ModelError, match=r"could not download .*formcoach setup"):
        models.fetch_model("lite", sha256="0" * 64, url="http://127.0.0.1:9/lite.task", timeout_s=5)
    assert not (model_dir / "pose_landmarker_lite.task").exists()


def test_fetch_checks_integrity(model_dir, tmp_path):
    source = tmp_path / "served.task"
    source.write_bytes(b"model bytes")
    good = hashlib.sha256(b"model bytes").hexdigest()
    with pytest.raises(models.ModelError, match="refused"):
        models.fetch_model("lite", sha256="1" * 64, url=source.as_uri())
    assert not (model_dir / "pose_landmarker_lite.task").exists()
    path = models.fetch_model("lite", sha256=good, url=source.as_uri())
    assert path.read_bytes() == b"model bytes"
