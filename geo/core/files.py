"""Files: the project's one atomic writer, and the one reader of a GeoJSON document's features."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path

from geo.core.errors import DataError
from geo.i18n import Text

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


def geojson_features(data: bytes, shown: str) -> list:
    """The feature list of a GeoJSON FeatureCollection, or a DataError naming ``shown``.

    Shared by our boundary files and a reader's uploaded points, so both say the same thing
    about the same broken file. The features themselves are not checked here.
    """
    expected = Text("a GeoJSON text file (UTF-8 JSON)")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DataError.single(shown, expected, Text("binary data")) from None
    except json.JSONDecodeError as err:
        got = Text(
            "invalid JSON at line {line}, column {column}: {reason}",
            line=err.lineno,
            column=err.colno,
            reason=err.msg,
        )
        raise DataError.single(shown, expected, got) from None
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise DataError.single(
            shown, Text("a GeoJSON FeatureCollection"), Text("JSON without 'features'")
        )
    if not features:
        raise DataError.single(
            shown, Text("at least one feature"), Text("a FeatureCollection with none")
        )
    return features
