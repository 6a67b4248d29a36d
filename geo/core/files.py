"""Writing files so that a reader never sees half of one: the project's one atomic writer."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

NEW_FILE_MODE = 0o644  # a document or a public static file, not a private temp file


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to ``path`` through a temporary sibling file and one ``os.replace``.

    The file keeps the mode of the one it replaces (a new one gets 0644). On any failure the
    old file, if any, is untouched and no temporary file is left; the OSError propagates.
    """
    path = Path(path)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else NEW_FILE_MODE
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
