"""Read and validate events.csv: the dated story, each event with its sources.

A row is checked on its own (date format, kind, scope, URLs) and against the other files
when they are given: ``scope`` is FR or a region code of the boundaries, ``insee_commune`` a
code of communes.csv in that region, ``site_id`` a row of sites.csv. ``date_precision`` may
be empty; when set it must agree with the format of ``date``.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import pandas as pd

from geo.core import vocabulary as voc
from geo.core.dates import first_day, partial_date, precision_of
from geo.core.errors import DataError, Quoted, display_path
from geo.core.sites import INSEE_COMMUNE
from geo.core.table import (
    Column,
    InvalidFieldError,
    check_unique,
    one_of,
    pattern,
    read_table,
    slug,
    text,
    translations,
    urls,
)
from geo.i18n import N_, Text

EVENT_COLUMNS: tuple[Column, ...] = (
    Column("id", slug),
    Column("date", partial_date(required=True)),
    Column("date_precision", one_of(("", *voc.DATE_PRECISIONS))),
    Column("kind", one_of(voc.EVENT_KINDS)),
    Column("title", text(max_length=300)),
    *translations("title", max_length=300),
    Column("scope", pattern(r"FR|\d{2}", "FR or a 2-digit INSEE region code", True)),
    Column("insee_commune", pattern(INSEE_COMMUNE, "a 5-character INSEE commune code", False)),
    Column("site_id", pattern(r"[a-z0-9]+(?:-[a-z0-9]+)*", "a site id of sites.csv", False)),
    Column("source_urls", urls),
    Column("source_note", text()),
    Column("notes", text(required=False)),
)

# The phrases the patterns above pass as a str, marked for the catalogue (see sites.py).
PATTERN_PHRASES = (N_("FR or a 2-digit INSEE region code"), N_("a site id of sites.csv"))


def load_events(
    path: Path,
    region_codes: Collection[str] | None = None,
    communes: pd.DataFrame | None = None,
    site_ids: Collection[str] | None = None,
) -> pd.DataFrame:
    """Read events.csv, check every row, and return the events sorted by date then id.

    Adds ``day``: the first day the date covers (a real date, for sorting and charts);
    ``date_precision`` is filled from the date when the file leaves it empty.
    """
    check = _event_checker(region_codes, communes, site_ids)
    rows, problems = read_table(path, EVENT_COLUMNS, check)
    problems += check_unique(rows, "id", display_path(path))
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame(rows, columns=["line", *(c.name for c in EVENT_COLUMNS)])
    frame["date_precision"] = [
        given or precision_of(when)
        for given, when in zip(frame["date_precision"], frame["date"], strict=True)
    ]
    frame["day"] = pd.to_datetime([first_day(when) for when in frame["date"]])
    frame = frame.sort_values(["day", "id"], kind="stable")
    return frame.set_index("id", drop=False).rename_axis(None)


def _event_checker(
    region_codes: Collection[str] | None,
    communes: pd.DataFrame | None,
    site_ids: Collection[str] | None,
):
    """Whole-row checks of an event: precision, and codes known to the other files."""

    def check(row: dict[str, Any]) -> None:
        given = row["date_precision"]
        if given and given != precision_of(row["date"]):
            expected = Text(
                "the precision of date {date} ({precision})",
                date=Quoted(row["date"]),
                precision=precision_of(row["date"]),
            )
            raise InvalidFieldError(expected, given, "date_precision")
        scope = row["scope"]
        if region_codes is not None and scope != "FR" and scope not in region_codes:
            expected = Text(
                "FR or a region code among {codes}", codes=", ".join(sorted(region_codes))
            )
            raise InvalidFieldError(expected, scope, "scope")
        code = row["insee_commune"]
        if code and communes is not None:
            if code not in communes.index:
                expected = Text("a commune code of communes.csv (COG 2026)")
                raise InvalidFieldError(expected, code, "insee_commune")
            region = communes.at[code, "insee_reg"]
            if scope != "FR" and region != scope:
                name = communes.at[code, "name"]
                expected = Text("a commune in the event's region {code}", code=scope)
                got = Text("{code} ({name}, region {region})", code=code, name=name, region=region)
                raise InvalidFieldError(expected, got, "insee_commune")
        if row["site_id"] and site_ids is not None and row["site_id"] not in site_ids:
            raise InvalidFieldError(Text("the id of a row of sites.csv"), row["site_id"], "site_id")

    return check
