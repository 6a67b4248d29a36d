"""Read and check a reader's files given as paths (the CLI's --sites / --region-values)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from geo.core.dataset import Dataset
from geo.core.errors import DataError, Problem
from geo.core.userdata import model
from geo.core.userdata.columns import guess_mapping
from geo.core.userdata.model import SITES, VALUES, ColumnMapping, RawTable, UserData
from geo.core.userdata.read import oversized, read_upload
from geo.core.userdata.sites import validate_sites
from geo.core.userdata.values import validate_values
from geo.i18n import N_, Text

VALIDATORS = {SITES: validate_sites, VALUES: validate_values}


def read_path(path: Path) -> RawTable:
    """Read one file from disk like an upload: its size is checked before it is read."""
    path = Path(path)
    if not path.is_file():
        raise DataError.single(path.name, Text("an existing file"), Text("no such file"))
    size = path.stat().st_size
    if size > model.MAX_UPLOAD_BYTES:
        raise oversized(path.name, size, model.MAX_UPLOAD_BYTES)
    return read_upload(path.name, path.read_bytes())


def load_user_data(
    reference: Dataset,
    sites: Path | None = None,
    values: Path | None = None,
    mapping: dict[str, ColumnMapping] | None = None,
    columns: Mapping[str, str] | None = None,
) -> UserData:
    """Read, check and merge a sites file and a values file (either may be None).

    ``columns`` (role -> column name, the CLI's --column) overrides the guessed column of a
    role in the file whose kind has that role. Raises DataError (listing both files'
    file-level problems) when a file cannot be read or names no such column; row problems
    are in the result's ``problems``. Notes name their file.
    """
    mapping = mapping or {}
    raws: dict[str, RawTable] = {}
    failures: list[Problem] = []
    for kind, path in ((SITES, sites), (VALUES, values)):
        if path is None:
            continue
        try:
            raws[kind] = read_path(path)
        except DataError as err:
            failures.extend(err.problems)
    if failures:
        raise DataError(failures)
    results = {}
    for kind, raw in raws.items():
        chosen = mapping.get(kind) or guess_mapping(list(raw.frame.columns), kind)
        chosen = with_columns(raw, chosen, columns or {})
        checked = VALIDATORS[kind](raw, chosen, reference)
        notes = tuple(Text("{file}: {note}", file=raw.source, note=note) for note in checked.notes)
        results[kind] = replace(checked, notes=notes)
    return merge_user_data(results.get(SITES), results.get(VALUES))


def with_columns(
    raw: RawTable, mapping: ColumnMapping, columns: Mapping[str, str]
) -> ColumnMapping:
    """The mapping with the roles of its kind that ``columns`` names set to those columns."""
    own = {role: column for role, column in columns.items() if role in model.ROLES[mapping.kind]}
    if not own:
        return mapping
    missing = [column for column in own.values() if column not in raw.frame.columns]
    if missing:
        raise DataError(
            [
                Problem(raw.source, N_("header"), None,
                        Text("a column {column} (--column)", column=repr(column)),
                        ", ".join(map(str, raw.frame.columns)))
                for column in missing
            ]
        )  # fmt: skip
    roles = {r: c for r, c in mapping.roles.items() if c not in own.values()}
    return ColumnMapping(mapping.kind, {**roles, **own})


def merge_user_data(sites: UserData | None, values: UserData | None) -> UserData:
    """One UserData of a sites check and a values check (either may be None)."""
    parts = [part for part in (sites, values) if part is not None]
    return UserData(
        sites=sites.sites if sites else None,
        values=values.values if values else None,
        problems=tuple(problem for part in parts for problem in part.problems),
        swapped_lines=sites.swapped_lines if sites else (),
        notes=tuple(note for part in parts for note in part.notes),
    )
