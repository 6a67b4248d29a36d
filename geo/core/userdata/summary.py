"""What a reader is told about one file they gave: how many rows went where, and the problems
as a table, in the language current when called (an upload outlives a language switch)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from geo.core.errors import Problem
from geo.core.userdata.model import SITES, RawTable, UserData
from geo.i18n import Text, _, format_number, ngettext

# The problems table's columns: stable machine names, whatever the reader's language.
PROBLEM_COLUMNS = ("file", "line", "field", "expected", "got")


def read_counts(kind: str, raw: RawTable, data: UserData) -> dict[str, int]:
    """Rows read, mapped, listed only (commune code, sites only) and rejected."""
    # Rows the reader could not take whole (too many fields, not a point) are not in the
    # table; they were read, and rejected.
    left_out = {p.line for p in raw.problems if p.line is not None}.difference(raw.lines)
    rows = len(raw.frame) + len(left_out)
    if kind == SITES:
        sites = data.sites
        mapped = len(sites.located()) if sites is not None else 0
        listed = len(sites.listed_only()) if sites is not None else 0
        counts = {"rows": rows, "mapped": mapped, "listed": listed}
    else:
        mapped = len(data.values.frame) if data.values is not None else 0
        counts = {"rows": rows, "mapped": mapped}
    counts["rejected"] = rows - mapped - counts.get("listed", 0)
    return counts


def read_summary(kind: str, raw: RawTable, data: UserData) -> str:
    """'120 rows read, 110 mapped, 6 listed only (commune code), 4 rejected'."""
    counts = read_counts(kind, raw, data)
    shown = {key: format_number(value) for key, value in counts.items() if key != "rows"}
    if kind == SITES:
        text = ngettext(
            "{n} row read, {mapped} mapped, {listed} listed only (commune code), "
            "{rejected} rejected",
            "{n} rows read, {mapped} mapped, {listed} listed only (commune code), "
            "{rejected} rejected",
            counts["rows"],
        )
    else:
        text = ngettext(
            "{n} row read, {mapped} mapped, {rejected} rejected",
            "{n} rows read, {mapped} mapped, {rejected} rejected",
            counts["rows"],
        )
    return text.format(n=format_number(counts["rows"]), **shown)


def problems_table(problems: Sequence[Problem]) -> pd.DataFrame:
    """One row per problem (file, line, field, expected, got), worded in the current language.

    The headers stay English machine names; a value the file wrote stays as written. Pass
    it through geo.export.safe_csv, which neutralises formulas, to offer it as a CSV.
    """
    return pd.DataFrame(
        {
            "file": [p.path for p in problems],
            "line": [_line(p.line) for p in problems],
            "field": [p.field or "" for p in problems],
            "expected": [_phrase(p.expected) for p in problems],
            "got": ["" if p.got is None else _phrase(p.got, ours=False) for p in problems],
        },
        columns=list(PROBLEM_COLUMNS),
    )


def _line(line: object) -> str:
    """A line number as digits; a label ('header', 'feature 3') as the messages word it."""
    if line is None:
        return ""
    return str(line) if isinstance(line, int | Text) else _(str(line))


def _phrase(value: object, ours: bool = True) -> str:
    """A Text worded now; a str looked up in the catalogue when it is ours, else as written."""
    if isinstance(value, Text):
        return str(value)
    return _(value) if ours and isinstance(value, str) and value else str(value)
