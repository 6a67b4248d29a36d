"""Read and validate the curated sites and commitments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from geo.core import vocabulary as voc
from geo.core.dates import first_day, last_day, partial_date
from geo.core.errors import DataError, Problem, Quoted, display_path
from geo.core.table import (
    Column,
    InvalidFieldError,
    check_unique,
    many_of,
    number,
    one_of,
    pattern,
    read_table,
    slug,
    text,
    translations,
    urls,
    yes_no,
)
from geo.i18n import N_, Text

# Boxes (lat_min, lat_max, lon_min, lon_max) that a French coordinate must fall in: a cheap
# first check; the spatial join against the boundaries is the real one.
FRANCE_BOXES: dict[str, tuple[float, float, float, float]] = {
    "metropolitan France": (41.0, 51.5, -5.8, 10.0),
    "Guadeloupe": (15.8, 16.6, -61.9, -60.9),
    "Martinique": (14.3, 15.0, -61.3, -60.7),
    "Guyane": (2.0, 6.0, -54.7, -51.5),
    "La Réunion": (-21.5, -20.8, 55.1, 55.9),
    "Mayotte": (-13.1, -12.5, 44.9, 45.4),
}
COORDINATE_EXPECTED = Text(
    "a coordinate in France (metropolitan France: lat 41.0 to 51.5, lon -5.8 to 10.0, "
    "or an overseas region)"
)
INSEE_COMMUNE = r"(?:\d{5}|2[AB]\d{3})"

SITE_COLUMNS: tuple[Column, ...] = (
    Column("id", slug),
    Column("name", text(max_length=200)),
    *translations("name", max_length=200),
    Column("organisation", text(max_length=200)),
    Column("category", one_of(voc.CATEGORIES)),
    Column("initiatives", many_of(voc.INITIATIVES, required=True)),
    Column("programmes", many_of(voc.PROGRAMMES, required=False)),
    Column("audiences", many_of(voc.AUDIENCES, required=False)),
    Column("city", text(required=False, max_length=200)),
    Column("address", text(required=False, max_length=300)),
    Column("insee_commune", pattern(INSEE_COMMUNE, "a 5-character INSEE commune code", False)),
    Column("lat", number(required=False, low=-90, high=90)),
    Column("lon", number(required=False, low=-180, high=180)),
    Column("precision", one_of(voc.PRECISIONS)),
    Column("coord_basis", text()),
    Column("coord_source", one_of(("", *voc.COORD_SOURCES))),
    Column("location_confirmed", yes_no),
    Column("status", one_of(voc.STATUSES)),
    Column("source_urls", urls),
    Column("source_note", text()),
    Column("notes", text(required=False)),
)

SCOPE = r"(?:FR|world|\d{2})"
DATE = r"\d{4}(?:-\d{2}-\d{2})?"

COMMITMENT_COLUMNS: tuple[Column, ...] = (
    Column("id", slug),
    Column("pillar", one_of(voc.PILLARS)),
    Column("kind", one_of(voc.COMMITMENT_KINDS)),
    Column("label", text(max_length=300)),
    *translations("label", max_length=300),
    Column("qualifier", one_of(("", "up to", "more than", "about"))),
    Column("value", number(required=False, low=0)),
    Column("value_max", number(required=False, low=0)),
    Column("unit", text(required=False, max_length=40)),
    *translations("unit", max_length=40),
    Column("deadline", pattern(DATE, "a date as YYYY or YYYY-MM-DD, or nothing", False)),
    Column("as_of", partial_date(required=False)),
    Column("scope", pattern(SCOPE, "FR, world or a 2-digit INSEE region code", True)),
    Column("stated_by", one_of(voc.STATED_BY)),
    Column("confidence", one_of(voc.CONFIDENCES)),
    Column("headline", yes_no),
    Column("progress_of", pattern(r"[a-z0-9]+(?:-[a-z0-9]+)*", "a commitment id", False)),
    Column("source_urls", urls),
    Column("source_note", text()),
    Column("notes", text(required=False)),
)

# The phrases the patterns above pass as a str: marked here for the catalogue, translated by
# Problem when shown (the column lists stay as they are for the data-texts columns).
PATTERN_PHRASES = (
    N_("a 5-character INSEE commune code"),
    N_("a date as YYYY or YYYY-MM-DD, or nothing"),
    N_("FR, world or a 2-digit INSEE region code"),
    N_("a commitment id"),
)


def load_sites(path: Path) -> pd.DataFrame:
    """Read sites.csv, check every row, and return one row per site (lat/lon NaN if unmapped)."""
    rows, problems = read_table(path, SITE_COLUMNS, _check_site)
    problems += check_unique(rows, "id", display_path(path))
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame(rows, columns=["line", *(c.name for c in SITE_COLUMNS)])
    frame[["lat", "lon"]] = frame[["lat", "lon"]].astype(float)
    frame["location_confirmed"] = frame["location_confirmed"].astype(bool)
    return frame.set_index("id", drop=False).rename_axis(None)


def load_commitments(path: Path, region_codes: set[str] | None = None) -> pd.DataFrame:
    """Read commitments.csv; scopes that name a region must be one of ``region_codes``."""
    rows, problems = read_table(path, COMMITMENT_COLUMNS, _commitment_checker(region_codes))
    problems += check_unique(rows, "id", display_path(path))
    problems += _progress_problems(rows, display_path(path))
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame(rows, columns=["line", *(c.name for c in COMMITMENT_COLUMNS)])
    frame[["value", "value_max"]] = frame[["value", "value_max"]].astype(float)
    frame["headline"] = frame["headline"].astype(bool)  # stays a mask when there are no rows
    return frame.set_index("id", drop=False).rename_axis(None)


def _check_site(row: dict[str, Any]) -> None:
    """Checks that involve several fields: coordinates agree with the precision class."""
    lat, lon = row["lat"], row["lon"]
    if row["precision"] == "not_located":
        if lat is not None or lon is not None:
            raise InvalidFieldError(
                Text("no coordinate for precision 'not_located'"), f"{lat}, {lon}", "lat"
            )
        if row["coord_source"]:
            expected = Text("no coord_source for precision 'not_located'")
            raise InvalidFieldError(expected, row["coord_source"], "coord_source")
        return
    check_location(row)


def check_location(row: dict[str, Any]) -> None:
    """A located row: how its point was obtained, and a point inside France's boxes."""
    lat, lon = row["lat"], row["lon"]
    _check_location_source(row)
    for field, value in (("lat", lat), ("lon", lon)):
        if value is None:
            raise InvalidFieldError(
                Text("a number ({coordinate})", coordinate=COORDINATE_EXPECTED), "", field
            )
    if not any(_in_box(lat, lon, box) for box in FRANCE_BOXES.values()):
        field = "lat" if not any(b[0] <= lat <= b[1] for b in FRANCE_BOXES.values()) else "lon"
        raise InvalidFieldError(COORDINATE_EXPECTED, f"lat {lat:g}, lon {lon:g}", field)


def _check_location_source(row: dict[str, Any]) -> None:
    """A located row says how its point was obtained; a building needs an address behind it."""
    precision, source = row["precision"], row["coord_source"]
    if not source:
        expected = Text(
            "how the point was obtained for precision {precision}: one of {choices}",
            precision=Quoted(precision),
            choices=", ".join(voc.COORD_SOURCES),
        )
        raise InvalidFieldError(expected, "", "coord_source")
    if precision in ("exact_site", "campus"):
        if not row["address"]:
            expected = Text(
                "the street address a source gives, for precision {precision}",
                precision=Quoted(precision),
            )
            raise InvalidFieldError(expected, "", "address")
        if source not in voc.ADDRESS_SOURCES:
            expected = Text(
                _PROMISE[precision],
                sources=" or ".join(voc.ADDRESS_SOURCES),
                precision=Quoted(precision),
            )
            raise InvalidFieldError(expected, source, "coord_source")


# What a point of each address-backed precision promises, and what backs it (whole sentences).
_PROMISE = {
    "exact_site": N_(
        "{sources} for precision {precision} (a point promising the building must be "
        "geocoded or published; otherwise use precision 'commune')"
    ),
    "campus": N_(
        "{sources} for precision {precision} (a point promising the campus must be "
        "geocoded or published; otherwise use precision 'commune')"
    ),
}


def _in_box(lat: float, lon: float, box: tuple[float, float, float, float]) -> bool:
    lat_min, lat_max, lon_min, lon_max = box
    return lat_min <= lat <= lat_max and lon_min <= lon <= lon_max


def _commitment_checker(region_codes: set[str] | None):
    """Whole-row checks of a commitment: ranges, units and known region scopes."""

    def check(row: dict[str, Any]) -> None:
        value, value_max = row["value"], row["value_max"]
        if value_max is not None and (value is None or value_max < value):
            raise InvalidFieldError(Text("a value_max at least the value"), value_max, "value_max")
        if value is not None and not row["unit"]:
            raise InvalidFieldError(
                Text("a unit for the value (e.g. EUR, GPUs, people)"), "", "unit"
            )
        if row["qualifier"] and value is None:
            raise InvalidFieldError(
                Text("no qualifier without a value"), row["qualifier"], "qualifier"
            )
        _check_dates(row)
        scope = row["scope"]
        if region_codes is not None and scope.isdigit() and scope not in region_codes:
            raise InvalidFieldError(
                Text("a region code among {codes}", codes=", ".join(sorted(region_codes))),
                scope,
                "scope",
            )

    return check


# Each dated kind in its own sentence (its name inside is our word, so it is translated).
_STATED = {
    "pledge": N_("the date the pledge was stated (as_of) for kind {kind}"),
    "progress": N_("the date the progress was stated (as_of) for kind {kind}"),
}


def _check_dates(row: dict[str, Any]) -> None:
    """Pledges and progress reports are dated; a pledge is not stated after its deadline."""
    kind, as_of, deadline = row["kind"], row["as_of"], row["deadline"]
    if kind in ("pledge", "progress") and not as_of:
        raise InvalidFieldError(Text(_STATED[kind], kind=Quoted(kind)), "", "as_of")
    if kind == "progress" and deadline:
        raise InvalidFieldError(Text("no deadline for kind 'progress'"), deadline, "deadline")
    if kind == "pledge" and as_of and deadline and first_day(as_of) > last_day(deadline):
        expected = Text("an as_of not after the deadline ({deadline})", deadline=deadline)
        raise InvalidFieldError(expected, as_of, "as_of")
    if kind == "progress" and not row["progress_of"]:
        expected = Text("the id of the pledge this progress row reports on")
        raise InvalidFieldError(expected, "", "progress_of")
    if kind != "progress" and row["progress_of"]:
        raise InvalidFieldError(
            Text("no progress_of for kind {kind}", kind=Quoted(kind)),
            row["progress_of"],
            "progress_of",
        )


def _progress_problems(rows: list[dict[str, Any]], shown: str) -> list[Problem]:
    """Each progress row names an existing pledge measured in the same unit."""
    by_id = {row["id"]: row for row in rows}
    problems = []
    for row in rows:
        target = row["progress_of"]
        if not target:
            continue
        pledge = by_id.get(target)
        if pledge is None or pledge["kind"] != "pledge":
            got = (
                target
                if pledge is None
                else Text("{id} (kind {kind})", id=target, kind=Quoted(pledge["kind"]))
            )
            expected = Text("the id of a pledge in this file")
            problems.append(Problem(shown, row["line"], "progress_of", expected, got))
        elif pledge["unit"] != row["unit"]:
            expected = Text(
                "a pledge in the same unit as this row ({unit})", unit=Quoted(row["unit"])
            )
            got = Text("{id} (unit {unit})", id=target, unit=Quoted(pledge["unit"]))
            problems.append(Problem(shown, row["line"], "progress_of", expected, got))
    return problems
