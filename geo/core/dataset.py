"""Load every curated file of a data directory into one validated Dataset."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import pandas as pd

from geo.core.communes import load_communes, site_commune_problems
from geo.core.errors import DataError, Problem, display_path
from geo.core.events import load_events
from geo.core.investments import load_investments
from geo.core.regions import (
    COUNTRY_FIELDS,
    DEPARTEMENT_FIELDS,
    REGION_FIELDS,
    apply_commune_reference,
    assign_regions,
    load_boundaries,
)
from geo.core.sites import load_commitments, load_sites
from geo.i18n import Number, Text, _, format_number, ngettext, place_name_column

# Relative: the current folder's data/ (a checkout). The app passes the data/ beside app.py
# and the CLI the installed copy's (geo.bundle); nothing here knows where the repository is.
DEFAULT_DATA_DIR = Path("data")

FILES = {
    "sites": "sites.csv",
    "commitments": "commitments.csv",
    "events": "events.csv",
    "investments": "investments.csv",
    "communes": "communes.csv",
    "regions": "regions.geojson",
    "departements": "departements.geojson",
    "countries": "countries.geojson",
}

T = TypeVar("T")


@dataclass(frozen=True)
class Dataset:
    """The validated data: sites joined to regions, commitments, events, and references.

    ``communes`` is the INSEE commune reference (indexed by code: name, insee_dep,
    insee_reg, ...); ``events`` the dated story, sorted by date (``day`` is a real date);
    ``investments`` every announced AI or data-centre investment in France, joined to its
    region (geo.core.investments; counted by geo.core.landscape).
    """

    sites: gpd.GeoDataFrame
    commitments: pd.DataFrame
    regions: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    data_dir: Path
    events: pd.DataFrame
    communes: pd.DataFrame
    investments: gpd.GeoDataFrame

    def region_names(self) -> dict[str, str]:
        """INSEE region code -> name in the current language (INSEE's French name for fr and
        de, the English one for en: geo.i18n.place_name_column)."""
        return dict(self.regions[place_name_column()])

    def located_sites(self) -> gpd.GeoDataFrame:
        """Sites with a coordinate (the ones drawn on maps)."""
        return self.sites[self.sites.geometry.notna()]


def load_dataset(data_dir: Path | str = DEFAULT_DATA_DIR) -> Dataset:
    """Read and check every file; raise one DataError listing the problems of all files."""
    data_dir = Path(data_dir)
    if data_dir.exists() and not data_dir.is_dir():
        raise DataError.single(
            Path(data_dir.name), Text("a folder holding the data files"), Text("a file")
        )
    try:
        dataset = _load(data_dir)
    except DataError as err:
        raise DataError([_within(problem, data_dir) for problem in err.problems]) from None
    return dataset


def _within(problem: Problem, data_dir: Path) -> Problem:
    """The problem with its file shown as '<data folder>/<file>', never as a server path."""
    path = Path(problem.path)
    try:
        inside = path.resolve().relative_to(data_dir.resolve())
    except ValueError:
        return problem
    return replace(problem, path=str(Path(data_dir.resolve().name) / inside))


def _load(data_dir: Path) -> Dataset:
    problems: list[Problem] = []
    path = {name: data_dir / filename for name, filename in FILES.items()}
    regions = _collect(
        problems, lambda: load_boundaries(path["regions"], REGION_FIELDS, "insee_reg")
    )
    departements = _collect(
        problems, lambda: load_boundaries(path["departements"], DEPARTEMENT_FIELDS, "insee_dep")
    )
    countries = _collect(problems, lambda: load_boundaries(path["countries"], COUNTRY_FIELDS, None))
    communes = _collect(problems, lambda: load_communes(path["communes"]))
    sites = _collect(problems, lambda: load_sites(path["sites"]))
    codes = set(regions.index) if regions is not None else None
    commitments = _collect(problems, lambda: load_commitments(path["commitments"], codes))
    site_ids = set(sites.index) if sites is not None else None
    events = _collect(problems, lambda: load_events(path["events"], codes, communes, site_ids))
    investments = _collect(
        problems,
        lambda: load_investments(path["investments"], communes, regions, departements),
    )
    if regions is not None and departements is not None:
        problems += _hierarchy_problems(departements, set(regions.index), path["departements"])
    if sites is not None and communes is not None:
        problems += site_commune_problems(sites, communes, path["sites"])
    if problems:
        raise DataError(problems)
    joined = assign_regions(sites, regions, departements, path["sites"])
    joined, problems = apply_commune_reference(
        joined, communes, departements, regions, path["sites"]
    )
    if problems:
        raise DataError(problems)
    return Dataset(
        joined,
        commitments,
        regions,
        departements,
        countries,
        data_dir,
        events,
        communes,
        investments,
    )


def _collect(problems: list[Problem], load: Callable[[], T]) -> T | None:
    """Run a loader; on DataError keep its problems and go on with the other files."""
    try:
        return load()
    except DataError as err:
        problems.extend(err.problems)
        return None


def _hierarchy_problems(
    departements: gpd.GeoDataFrame, codes: set[str], path: Path
) -> list[Problem]:
    """Each departement must name a region present in regions.geojson."""
    return [
        Problem(
            display_path(path),
            Text("feature {n}", n=pos + 1),
            "insee_reg",
            Text("a region code from regions.geojson ({codes})", codes=", ".join(sorted(codes))),
            code,
        )
        for pos, code in enumerate(departements["insee_reg"])
        if code not in codes
    ]


def summarize(dataset: Dataset) -> str:
    """A short text summary: counts per file, per region, per precision class."""
    sites, events, investments = dataset.sites, dataset.events, dataset.investments
    located = sites[sites.geometry.notna()]
    microsoft = int((dataset.commitments["stated_by"] == "microsoft").sum())
    lines = [
        _count(
            ngettext(
                "{file}: {n} site ({mapped} mapped, {unmapped} without a known location)",
                "{file}: {n} sites ({mapped} mapped, {unmapped} without a known location)",
                len(sites),
            ),
            "sites",
            len(sites),
            mapped=Number(len(located)),
            unmapped=Number(len(sites) - len(located)),
        ),
        _count(
            ngettext(
                "{file}: {n} commitment ({microsoft} stated by Microsoft)",
                "{file}: {n} commitments ({microsoft} stated by Microsoft)",
                len(dataset.commitments),
            ),
            "commitments",
            len(dataset.commitments),
            microsoft=Number(microsoft),
        ),
        _count(
            ngettext(
                "{file}: {n} event ({first} to {last})",
                "{file}: {n} events ({first} to {last})",
                len(events),
            ),
            "events",
            len(events),
            first=f"{events['day'].min():%Y}",
            last=f"{events['day'].max():%Y}",
        )
        if len(events)
        else _count(_("{file}: 0 events"), "events", 0),
        _count(
            ngettext(
                "{file}: {n} announced investment ({investors} investors)",
                "{file}: {n} announced investments ({investors} investors)",
                len(investments),
            ),
            "investments",
            len(investments),
            investors=Number(investments["investor"].nunique()),
        ),
        _count(
            ngettext(
                "{file}: {n} commune (INSEE reference)",
                "{file}: {n} communes (INSEE reference)",
                len(dataset.communes),
            ),
            "communes",
            len(dataset.communes),
        ),
        _count(
            ngettext("{file}: {n} region", "{file}: {n} regions", len(dataset.regions)),
            "regions",
            len(dataset.regions),
        ),
        _count(
            ngettext(
                "{file}: {n} departement", "{file}: {n} departements", len(dataset.departements)
            ),
            "departements",
            len(dataset.departements),
        ),
        _count(
            ngettext(
                "{file}: {n} neighbouring country",
                "{file}: {n} neighbouring countries",
                len(dataset.countries),
            ),
            "countries",
            len(dataset.countries),
        ),
        "",
        _("Sites per region:"),
    ]
    names = dataset.regions[place_name_column()]
    counts = located["insee_reg"].value_counts()
    for code, count in counts.sort_index().items():
        lines.append(_item(f"{code} {names[code]}", format_number(count)))
    lines += ["", _("Sites per precision class:")]
    for precision, count in sites["precision"].value_counts().sort_index().items():
        lines.append(_item(precision, format_number(count)))
    nearest = located[located["join_note"] != ""]
    if len(nearest):
        lines += ["", _("Sites matched to the nearest region (coastal points):")]
        lines += [_item(sid, note) for sid, note in nearest["join_note"].items()]
    decided = located[located["commune_note"] != ""]
    if len(decided):
        lines += ["", _("Departements taken from the commune reference (points near a border):")]
        lines += [_item(sid, note) for sid, note in decided["commune_note"].items()]
    return "\n".join(lines)


def _item(label: str, value: object) -> str:
    """One indented line of a list: '  53 Bretagne: 3' (French: a space before the colon)."""
    return "  " + _("{label}: {value}").format(label=label, value=value)


def _count(message: str, file: str, n: int, **values: object) -> str:
    """One summary line: ``message`` (already translated) filled with its file and counts."""
    shown = {k: str(v) for k, v in values.items()}
    return message.format(file=FILES[file], n=format_number(n), **shown)
