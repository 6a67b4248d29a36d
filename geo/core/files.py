"""Writing files so that a reader never sees half of one: the project's one atomic writer."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

NEW_FILE_MODE = 0o644  # a document or a public static file, not a private temp file


def write_atomic(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write bytes to ``path`` through a temporary sibling file, then put it in place at once.

    With ``overwrite`` the file replaces whatever is at ``path`` (a symlink is replaced, not
    followed); a regular file keeps its mode, anything else gives 0644. Without it the file is
    linked into place only if nothing is there (FileExistsError otherwise), so of several
    writers racing for one name exactly one wins. On any failure the old file, if any, is
    untouched and no temporary file is left; the OSError propagates.
    """
    path = Path(path)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, _mode_of(path) if overwrite else NEW_FILE_MODE)
        if overwrite:
            os.replace(temp, path)
        else:
            os.link(temp, path)  # fails if the name exists, whoever made it meanwhile
    finally:
        temp.unlink(missing_ok=True)


def _mode_of(path: Path) -> int:
    """The permission bits a replacement keeps: those of a regular file at path, else 0644."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return NEW_FILE_MODE
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else NEW_FILE_MODE
