"""Writing result files so that a failure never leaves a half-written one."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to a temporary file beside `path`, then rename it into place."""
    write_text_atomic(path, json.dumps(data, indent=2) + "\n")


def write_text_atomic(path: Path, text: str) -> None:
    """Write text (UTF-8) to a temporary file beside `path`, then rename it into place; a
    write that fails (a full disk) removes its temporary file and leaves `path` as it was."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write bytes to a temporary file beside `path`, give it `mode` (by default the
    owner's only, as mkstemp makes it), then rename it into place; a failed write removes
    the temporary file, leaves `path` as it was and names `path` in its error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        Path(tmp).chmod(mode)
        Path(tmp).replace(path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from exc  # names the file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
