"""Pose model files: where they live, how they are built or fetched, and their checksums.

Nothing here runs on import or from a constructor. `formcoach setup` builds the default
bundle from the tflite files inside the installed mediapipe wheel (no network). Other
bundles can be fetched by an explicit command, only with a pinned sha256.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MANIFEST_PATH = Path(__file__).resolve().parents[1] / "data" / "models.json"
DEFAULT_MODEL = "full"
ZIP_ALIGNMENT = 64  # members start on 64-byte boundaries so TFLite can map them in place
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed member dates keep the bundle byte-identical


class ModelError(RuntimeError):
    """A model file is missing, corrupt, or cannot be built or fetched."""


@dataclass(frozen=True, slots=True)
class ModelSpec:
    name: str
    file: str
    kind: str
    sha256: str | None
    description: str
    url: str | None
    inputs: dict[str, dict[str, str]]


def load_manifest(path: Path = MANIFEST_PATH) -> dict[str, ModelSpec]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: ModelSpec(
            name=name,
            file=entry["file"],
            kind=entry["kind"],
            sha256=entry.get("sha256"),
            description=entry.get("description", ""),
            url=entry.get("url"),
            inputs=entry.get("inputs", {}),
        )
        for name, entry in data["models"].items()
    }


def model_spec(name: str) -> ModelSpec:
    specs = load_manifest()
    if name not in specs:
        raise ModelError(f"unknown model {name!r}; expected one of {sorted(specs)}")
    return specs[name]


def model_dir() -> Path:
    """FORMCOACH_MODEL_DIR, else `models/` of a source checkout, else the user cache."""
    env = os.environ.get("FORMCOACH_MODEL_DIR")
    if env:
        return Path(env)
    checkout = Path(__file__).resolve().parents[3] / "models"
    if (checkout / "manifest.json").is_file():  # a source checkout (or editable install)
        return checkout
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache / "formcoach" / "models"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def model_path(name: str = DEFAULT_MODEL, verify: bool = True) -> Path:
    """The path of a ready model file; raises ModelError naming the fix when it isn't."""
    spec = model_spec(name)
    path = model_dir() / spec.file
    fix = (
        "run `formcoach setup`" if spec.kind == "built" else f"run `formcoach models fetch {name}`"
    )
    if not path.is_file():
        raise ModelError(f"model file {path} is missing: {fix}")
    if verify and spec.sha256:
        actual = sha256_file(path)
        if actual != spec.sha256:
            raise ModelError(
                f"model file {path} is corrupt or of another version (sha256 {actual[:12]}..., "
                f"expected {spec.sha256[:12]}...): delete it and {fix}"
            )
    return path


def _mediapipe_root() -> Path:
    try:
        import mediapipe
    except ImportError as exc:  # pragma: no cover - mediapipe is a hard dependency
        raise ModelError("mediapipe is not installed: pip install mediapipe==0.10.21") from exc
    return Path(mediapipe.__file__).parent


def _read_checked(path: Path, sha256: str) -> bytes:
    if not path.is_file():
        raise ModelError(
            f"{path} is not in the installed mediapipe; the default bundle is built from the "
            "mediapipe==0.10.21 wheel: pip install mediapipe==0.10.21"
        )
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise ModelError(f"{path} has sha256 {actual}, expected {sha256} (mediapipe==0.10.21)")
    return data


def _with_image_metadata(landmark_model: bytes) -> bytes:
    """Attach input metadata the Tasks API needs: RGB image scaled to [0, 1] (mean 0, std 255)."""
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    writer = metadata_writer.MetadataWriter.create(bytearray(landmark_model))
    writer.add_image_input(norm_mean=[0.0], norm_std=[255.0])
    model, _ = writer.populate()
    return bytes(model)


class _AlignedZipFile(zipfile.ZipFile):
    """A ZipFile that pads before each stored member so its data start aligned."""

    alignment = ZIP_ALIGNMENT

    def _writecheck(self, zinfo: zipfile.ZipInfo) -> None:
        offset = self.fp.tell()  # type: ignore[union-attr]
        header_len = 30 + len(zinfo.filename.encode("utf-8")) + len(zinfo.extra)
        pad = (-(offset + header_len)) % self.alignment
        if pad:
            self.fp.write(b"\0" * pad)  # type: ignore[union-attr]
            zinfo.header_offset = offset + pad
        super()._writecheck(zinfo)  # type: ignore[misc]


def aligned_zip(members: list[tuple[str, bytes]]) -> bytes:
    """A stored (uncompressed) zip whose member data start on 64-byte boundaries."""
    buf = io.BytesIO()
    with _AlignedZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3  # Unix: keeps the bytes the same on every platform
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def build_bundle(spec: ModelSpec) -> bytes:
    """The bytes of a `built` bundle, from checksummed files of the installed mediapipe."""
    root = _mediapipe_root()
    members = []
    for member, source in spec.inputs.items():
        data = _read_checked(root / source["package_path"], source["sha256"])
        if member == "pose_landmarks_detector.tflite":
            data = _with_image_metadata(data)
        members.append((member, data))
    return aligned_zip(members)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def setup_model(name: str = DEFAULT_MODEL, force: bool = False) -> Path:
    """Build (or re-verify) a `built` model; returns its path."""
    spec = model_spec(name)
    if spec.kind != "built":
        raise ModelError(f"model {name!r} is downloaded, not built: formcoach models fetch {name}")
    path = model_dir() / spec.file
    if path.is_file() and not force and spec.sha256 and sha256_file(path) == spec.sha256:
        return path
    data = build_bundle(spec)
    actual = hashlib.sha256(data).hexdigest()
    if spec.sha256 and actual != spec.sha256:
        raise ModelError(f"built bundle has sha256 {actual}, manifest expects {spec.sha256}")
    _write_atomic(path, data)
    log.info("built %s (%d bytes, sha256 %s)", path, len(data), actual)
    return path


def fetch_model(
    name: str, sha256: str | None = None, url: str | None = None, timeout_s: float = 30.0
) -> Path:
    """Download a model with an integrity check. Needs a pinned sha256 (manifest or argument)."""
    spec = model_spec(name)
    expected = sha256 or spec.sha256
    source = url or spec.url
    if source is None:
        raise ModelError(f"model {name!r} has no download address; it is built: formcoach setup")
    if not expected:
        raise ModelError(
            f"model {name!r} has no pinned checksum; pass --sha256 HEX with the checksum "
            "you trust, so a tampered or truncated download is refused"
        )
    try:
        with urllib.request.urlopen(source, timeout=timeout_s) as response:
            data = response.read()
    except (urllib.error.URLError, OSError) as exc:
        raise ModelError(
            f"could not download {source}: {exc}. formcoach needs internet only for this "
            "optional step; the default model is built offline with `formcoach setup`"
        ) from exc
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected.lower():
        raise ModelError(f"download of {name!r} has sha256 {actual}, expected {expected}: refused")
    path = model_dir() / spec.file
    _write_atomic(path, data)
    return path


def describe_models() -> list[dict[str, Any]]:
    """One row per model in the manifest, with its state on this machine (for `doctor`)."""
    rows = []
    for spec in load_manifest().values():
        path = model_dir() / spec.file
        actual = sha256_file(path) if path.is_file() else None
        if actual is None:
            state = "missing"
        elif spec.sha256 is None:
            state = "present (unpinned)"
        else:
            state = "ok" if actual == spec.sha256 else "CHECKSUM MISMATCH"
        rows.append(
            {
                "name": spec.name,
                "path": str(path),
                "state": state,
                "sha256": actual,
                "expected_sha256": spec.sha256,
            }
        )
    return rows
