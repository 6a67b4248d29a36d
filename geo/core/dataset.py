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
        """INSEE region code -> French name."""
        return dict(self.regions["name_fr"])

    def located_sites(self) -> gpd.GeoDataFrame:
        """Sites with a coordinate (the ones drawn on maps)."""
        return self.sites[self.sites.geometry.notna()]


def load_dataset(data_dir: Path | str = DEFAULT_DATA_DIR) -> Dataset:
    """Read and check every file; raise one DataError listing the problems of all files."""
    data_dir = Path(data_dir)
    if data_dir.exists() and not data_dir.is_dir():
        raise DataError.single(Path(data_dir.name), "a folder holding the data files", "a file")
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
            f"feature {pos + 1}",
            "insee_reg",
            f"a region code from regions.geojson ({', '.join(sorted(codes))})",
            code,
        )
        for pos, code in enumerate(departements["insee_reg"])
        if code not in codes
    ]


def summarize(dataset: Dataset) -> str:
    """A short text summary: counts per file, per region, per precision class."""
    sites = dataset.sites
    located = sites[sites.geometry.notna()]
    lines = [
        f"{FILES['sites']}: {len(sites)} sites ({len(located)} mapped, "
        f"{len(sites) - len(located)} without a known location)",
        f"{FILES['commitments']}: {len(dataset.commitments)} commitments "
        f"({int((dataset.commitments['stated_by'] == 'microsoft').sum())} stated by Microsoft)",
        f"{FILES['events']}: {len(dataset.events)} events "
        f"({dataset.events['day'].min():%Y} to {dataset.events['day'].max():%Y})"
        if len(dataset.events)
        else f"{FILES['events']}: 0 events",
        f"{FILES['investments']}: {len(dataset.investments)} announced investments "
        f"({dataset.investments['investor'].nunique()} investors)",
        f"{FILES['communes']}: {len(dataset.communes)} communes (INSEE reference)",
        f"{FILES['regions']}: {len(dataset.regions)} regions",
        f"{FILES['departements']}: {len(dataset.departements)} departements",
        f"{FILES['countries']}: {len(dataset.countries)} neighbouring countries",
        "",
        "Sites per region:",
    ]
    counts = located["insee_reg"].value_counts()
    for code, count in counts.sort_index().items():
        lines.append(f"  {code} {dataset.regions.at[code, 'name_fr']}: {count}")
    lines += ["", "Sites per precision class:"]
    for precision, count in sites["precision"].value_counts().sort_index().items():
        lines.append(f"  {precision}: {count}")
    nearest = located[located["join_note"] != ""]
    if len(nearest):
        lines += ["", "Sites matched to the nearest region (coastal points):"]
        lines += [f"  {sid}: {note}" for sid, note in nearest["join_note"].items()]
    decided = located[located["commune_note"] != ""]
    if len(decided):
        lines += ["", "Departements taken from the commune reference (points near a border):"]
        lines += [f"  {sid}: {note}" for sid, note in decided["commune_note"].items()]
    return "\n".join(lines)
