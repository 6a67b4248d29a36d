"""The INSEE commune reference (communes.csv) and the checks of sites against it.

A site's ``city`` matches its commune when the part before `` (`` folds to the commune's
name: case, accents, hyphens, apostrophes and repeated spaces are ignored, and the ligatures
œ/æ count as oe/ae ("Saint-Herblain" = "saint herblain"). Nothing else counts: no
abbreviation ("St-"), no postal name. A row without ``insee_commune`` (a ``region_only``
placeholder such as "Paris area (Île-de-France)", or a ``not_located`` row) names no commune
and is not compared; every other precision class needs a commune code.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pandas as pd

from geo.core.errors import DataError, Problem, Quoted, display_path
from geo.core.table import read_text
from geo.i18n import Text

COMMUNE_COLUMNS = ("insee_commune", "name", "insee_dep", "insee_reg")
# Precision classes that place a point in a named commune, so they need its code.
NEEDS_COMMUNE = ("exact_site", "campus", "commune", "city_centre")


def load_communes(path: Path) -> pd.DataFrame:
    """Read communes.csv as text columns, indexed by INSEE code (about 35,000 rows, ~0.1 s)."""
    text = read_text(path)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else Text("an empty file")
        raise DataError.single(path, Text("a readable CSV file"), first) from None
    missing = [name for name in COMMUNE_COLUMNS if name not in frame.columns]
    if missing:
        shown = display_path(path)
        raise DataError(
            [Problem(shown, 1, name, Text("this column in the header")) for name in missing]
        )
    duplicated = frame["insee_commune"].duplicated()
    if duplicated.any():
        position = int(duplicated.to_numpy().nonzero()[0][0])
        code = frame["insee_commune"].iloc[position]
        raise DataError.single(path, Text("a unique insee_commune"), code, line=position + 2)
    return frame.set_index("insee_commune", drop=False).rename_axis(None)


def fold_name(name: str) -> str:
    """A name for comparison: no case, accents, hyphens or apostrophes; œ/æ spelled out."""
    name = name.lower().replace("œ", "oe").replace("æ", "ae")
    for mark in ("-", "'", "\u2019"):
        name = name.replace(mark, " ")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(ascii_name.split())


def city_commune_name(city: str) -> str:
    """The part of ``city`` that names the commune: before any bracket ('Paris (13e)')."""
    return city.split(" (")[0].strip()


def site_commune_problems(
    sites: pd.DataFrame, communes: pd.DataFrame, path: Path | str
) -> list[Problem]:
    """Every site whose commune code is unknown, missing, or names another town than city."""
    shown = display_path(path)
    problems = []
    for site in sites.to_dict("records"):
        code, line = site["insee_commune"], int(site["line"])
        if not code:
            if site["precision"] in NEEDS_COMMUNE:
                expected = Text(
                    "an INSEE commune code for precision {precision}",
                    precision=Quoted(site["precision"]),
                )
                problems.append(Problem(shown, line, "insee_commune", expected, ""))
            elif site["coord_source"] == "commune_reference":
                expected = Text("an INSEE commune code for coord_source 'commune_reference'")
                problems.append(Problem(shown, line, "insee_commune", expected, ""))
            continue
        if code not in communes.index:
            expected = Text("a commune code of communes.csv (COG 2026)")
            problems.append(Problem(shown, line, "insee_commune", expected, code))
            continue
        name = communes.at[code, "name"]
        if fold_name(city_commune_name(site["city"])) != fold_name(name):
            expected = Text(
                "the name of commune {code}, {name} (optionally followed by ' (...)')",
                code=code,
                name=Quoted(name),
            )
            problems.append(Problem(shown, line, "city", expected, site["city"]))
    return problems


def commune_label(communes: pd.DataFrame, code: str) -> str:
    """'75056 (Paris, departement 75)', or the bare code when it is not in the reference."""
    if code not in communes.index:
        return code
    name, departement = communes.at[code, "name"], communes.at[code, "insee_dep"]
    return str(Text("{code} ({name}, departement {dep})", code=code, name=name, dep=departement))
