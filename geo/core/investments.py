"""Read and validate investments.csv: every announced AI or data-centre investment in France.

A row is one pledge, site or phase as a source announced it. Its location follows the rules
of sites.csv (a commune code, a point and a precision class that agree), with one
difference: a row known only by its region (``region_only``) names the region in
``insee_reg`` and has no point at all, and a row not even known by region (``not_located``)
has neither. Links between rows (``restates``, ``revises``, ``part_of``) are checked here;
how they count is geo.core.landscape's business.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.core import vocabulary as voc
from geo.core.communes import site_commune_problems
from geo.core.dates import first_day, last_day, partial_date
from geo.core.errors import DataError, Problem, Quoted, display_path
from geo.core.regions import apply_commune_reference, assign_regions
from geo.core.sites import INSEE_COMMUNE, check_location
from geo.core.table import (
    Column,
    InvalidFieldError,
    check_unique,
    number,
    one_of,
    pattern,
    read_table,
    slug,
    text,
    translations,
    urls,
)
from geo.i18n import N_, Text

ID_REF = r"[a-z0-9]+(?:-[a-z0-9]+)*"
LINKS = ("restates", "revises", "part_of")
UNLOCATED = ("region_only", "not_located")

INVESTMENT_COLUMNS: tuple[Column, ...] = (
    Column("id", slug),
    Column("investor", text(max_length=100)),
    Column("partners", text(required=False, max_length=300)),
    Column("project", text(max_length=200)),
    *translations("project", max_length=200),
    Column("amount", number(required=False, low=0)),
    Column("amount_max", number(required=False, low=0)),
    Column("qualifier", one_of(("", *voc.AMOUNT_QUALIFIERS))),
    Column("currency", one_of(("", *voc.CURRENCIES))),
    Column("capacity_mw", number(required=False, low=0, high=100_000)),
    Column("capacity_qualifier", one_of(("", *voc.AMOUNT_QUALIFIERS))),
    Column("gpus", number(required=False, low=0)),
    Column("city", text(required=False, max_length=200)),
    Column("insee_commune", pattern(INSEE_COMMUNE, "a 5-character INSEE commune code", False)),
    Column("insee_reg", pattern(r"\d{2}", "a 2-digit INSEE region code", False)),
    Column("lat", number(required=False, low=-90, high=90)),
    Column("lon", number(required=False, low=-180, high=180)),
    Column("precision", one_of(voc.PRECISIONS)),
    Column("coord_basis", text(required=False)),
    Column("coord_source", one_of(("", *voc.COORD_SOURCES))),
    Column("announced", partial_date(required=True)),
    Column("event", one_of(("", *voc.INVESTMENT_EVENTS))),
    Column("status", one_of(voc.INVESTMENT_STATUSES)),
    Column("status_as_of", partial_date(required=False)),
    *(Column(link, pattern(ID_REF, "the id of another row of this file", False)) for link in LINKS),
    Column("stated_by", one_of(voc.STATED_BY_INVESTMENT)),
    Column("source_urls", urls),
    Column("source_note", text()),
    Column("notes", text(required=False)),
)

# The phrases the patterns above pass as a str, marked for the catalogue (see sites.py).
PATTERN_PHRASES = (
    N_("a 5-character INSEE commune code"),
    N_("a 2-digit INSEE region code"),
    N_("the id of another row of this file"),
)


def load_investments(
    path: Path,
    communes: pd.DataFrame | None,
    regions: gpd.GeoDataFrame | None,
    departements: gpd.GeoDataFrame | None,
) -> gpd.GeoDataFrame:
    """Read investments.csv, check every row and link, join the points to their regions.

    Without the references (they failed to load) only the row and link checks run.
    Returns a GeoDataFrame indexed by id, geometry None where there is no point, with
    insee_reg, region_name, insee_dep and departement_name filled where known.
    """
    shown = display_path(path)
    rows, problems = read_table(path, INVESTMENT_COLUMNS, _check_row)
    problems += check_unique(rows, "id", shown)
    problems += link_problems(rows, shown)
    frame = pd.DataFrame(rows, columns=["line", *(c.name for c in INVESTMENT_COLUMNS)])
    numbers = ["amount", "amount_max", "capacity_mw", "gpus", "lat", "lon"]
    frame[numbers] = frame[numbers].astype(float)
    frame = frame.set_index("id", drop=False).rename_axis(None)
    if regions is not None:
        problems += _region_code_problems(frame, set(regions.index), shown)
    if communes is not None:
        problems += site_commune_problems(frame, communes, path)
    if problems:
        raise DataError(problems)
    if communes is None or regions is None or departements is None:
        return gpd.GeoDataFrame(frame, geometry=[None] * len(frame), crs="EPSG:4326")
    return _joined(frame, communes, regions, departements, path)


def _check_row(row: dict[str, Any]) -> None:
    """Whole-row checks: amounts, then the location against its precision class."""
    amount, high = row["amount"], row["amount_max"]
    if high is not None and (amount is None or high <= amount):
        raise InvalidFieldError(
            Text("an amount_max above the amount (the high end of a range)"), high, "amount_max"
        )
    if amount is not None and not row["currency"]:
        raise InvalidFieldError(
            Text("the currency of the amount ({choices})", choices=", ".join(voc.CURRENCIES)),
            "",
            "currency",
        )
    if amount is None and row["currency"]:
        raise InvalidFieldError(Text("no currency without an amount"), row["currency"], "currency")
    if amount is None and row["qualifier"]:
        raise InvalidFieldError(
            Text("no qualifier without an amount"), row["qualifier"], "qualifier"
        )
    if row["capacity_mw"] is None and row["capacity_qualifier"]:
        expected = Text("no capacity_qualifier without a capacity_mw")
        raise InvalidFieldError(expected, row["capacity_qualifier"], "capacity_qualifier")
    if row["status_as_of"] and last_day(row["status_as_of"]) < first_day(row["announced"]):
        expected = Text("a status date not before the announcement ({date})", date=row["announced"])
        raise InvalidFieldError(expected, row["status_as_of"], "status_as_of")
    precision = row["precision"]
    if precision in UNLOCATED:
        _check_unlocated(row)
        return
    if not row["coord_basis"]:
        expected = Text(
            "where the point comes from, for precision {precision}", precision=Quoted(precision)
        )
        raise InvalidFieldError(expected, "", "coord_basis")
    row.setdefault("address", "")
    check_location(row)


def _check_unlocated(row: dict[str, Any]) -> None:
    """region_only names its region and nothing finer; not_located names nothing."""
    precision = row["precision"]
    for field in ("lat", "lon", "coord_source", "insee_commune"):
        if row[field] not in (None, ""):
            expected = Text(
                "no {field} for precision {precision} (it has no point)",
                field=field,
                precision=Quoted(precision),
            )
            raise InvalidFieldError(expected, row[field], field)
    if precision == "region_only" and not row["insee_reg"]:
        raise InvalidFieldError(
            Text("the region's INSEE code for precision 'region_only'"), "", "insee_reg"
        )
    if precision == "not_located" and row["insee_reg"]:
        expected = Text("no insee_reg for precision 'not_located' (use region_only)")
        raise InvalidFieldError(expected, row["insee_reg"], "insee_reg")


def link_problems(rows: list[dict[str, Any]], shown: str) -> list[Problem]:
    """Links name other rows; restates/revises point to earlier rows; no loops; one revision each.

    Revisions make a line, not a tree (a row is revised by at most one row), a restatement
    restates an original (not another restatement), and following part_of never comes back.
    """
    by_id = {row["id"]: row for row in rows}
    problems: list[Problem] = []
    revised_by: dict[str, str] = {}
    for row in rows:
        for link in LINKS:
            target = row[link]
            if not target:
                continue
            other = by_id.get(target)
            problem = _link_problem(row, link, other, revised_by)
            if problem:
                problems.append(Problem(shown, row["line"], link, problem, target))
            elif link == "revises":
                revised_by[target] = row["id"]
    problems += _part_cycles(rows, by_id, shown)
    return problems


def _link_problem(
    row: dict[str, Any], link: str, other: dict[str, Any] | None, revised_by: dict[str, str]
) -> Text | None:
    """What the link should have been, or None when it is fine."""
    if other is None:
        return Text("the id of another row of this file")
    if other["id"] == row["id"]:
        return Text("the id of another row (not the row itself)")
    if link == "part_of":
        return None
    if first_day(other["announced"]) > first_day(row["announced"]):
        return Text("a row announced no later than this one ({date})", date=row["announced"])
    if link == "restates" and other["restates"]:
        return Text(
            "the original row, not a restatement (it restates {id})",
            id=Quoted(other["restates"]),
        )
    if link == "restates" and row["revises"]:
        return Text("either restates or revises, not both")
    if link == "revises" and other["id"] in revised_by:
        return Text(
            "a row not already revised (revised by {id})", id=Quoted(revised_by[other["id"]])
        )
    return None


def _part_cycles(
    rows: list[dict[str, Any]], by_id: dict[str, dict[str, Any]], shown: str
) -> list[Problem]:
    """A part_of chain that comes back to where it started."""
    problems = []
    for row in rows:
        seen, current = {row["id"]}, by_id.get(row["part_of"])
        while current is not None and current["part_of"]:
            if current["id"] in seen:
                expected = Text("a parent that is not, in turn, part of this row")
                problems.append(Problem(shown, row["line"], "part_of", expected, row["part_of"]))
                break
            seen.add(current["id"])
            current = by_id.get(current["part_of"])
    return problems


def _region_code_problems(frame: pd.DataFrame, codes: set[str], shown: str) -> list[Problem]:
    expected = Text("a region code of regions.geojson ({codes})", codes=", ".join(sorted(codes)))
    return [
        Problem(shown, int(line), "insee_reg", expected, code)
        for line, code in zip(frame["line"], frame["insee_reg"], strict=True)
        if code and code not in codes
    ]


def _joined(
    frame: pd.DataFrame,
    communes: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    departements: gpd.GeoDataFrame,
    path: Path,
) -> gpd.GeoDataFrame:
    """Points joined like sites; region_only rows keep their region; insee_reg must agree."""
    given = frame["insee_reg"].copy()
    joined = assign_regions(frame, regions, departements, path)
    joined, problems = apply_commune_reference(joined, communes, departements, regions, path)
    shown = display_path(path)
    for row_id in joined.index[joined.geometry.notna()]:
        found, typed = joined.at[row_id, "insee_reg"], given[row_id]
        if typed != found:
            expected = Text("the region of the point and its commune ({code})", code=found)
            problems.append(
                Problem(shown, int(joined.at[row_id, "line"]), "insee_reg", expected, typed)
            )
    if problems:
        raise DataError(problems)
    region_only = joined.geometry.isna()
    joined.loc[region_only, "insee_reg"] = given[region_only]
    joined["region_name"] = joined["insee_reg"].map(regions["name_fr"]).fillna("")
    joined["region_name_en"] = joined["insee_reg"].map(regions["name_en"]).fillna("")
    return joined
