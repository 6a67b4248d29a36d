"""What one view shows of a reader's data: matching rows, counts per area, and a grid when big.

Every step is a column operation (isin, str.contains, value_counts, group-by): a view of
100,000 rows is recomputed on each filter change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.core.filters import fold
from geo.core.state import ViewState
from geo.core.userdata.model import (
    MAX_POINTS_DRAWN,
    SITE_COLUMNS,
    RegionValues,
    UserData,
    UserSites,
)

# Columns offered as filters besides the attributes, and how many distinct values make one
# worth a filter (one value filters nothing; hundreds are a name, not a category).
FILTER_COLUMNS = ("category", "initiative")
MIN_FILTER_VALUES = 2
MAX_FILTER_VALUES = 30
# Columns the text search reads (with every attribute).
TEXT_COLUMNS = ("name", "category", "initiative")
# Grid aggregation: the first cell size tried, doubled until the cells fit MAX_POINTS_DRAWN.
GRID_START_DEG = 0.05
# The combining marks NFKD splits off Latin letters (what fold drops for French text).
COMBINING_MARKS = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"


@dataclass(frozen=True)
class UserFilter:
    """What to keep of a reader's sites: per column the kept values, and a text to find."""

    columns: tuple[tuple[str, tuple[str, ...]], ...] = ()
    text: str = ""

    def is_empty(self) -> bool:
        """True when the filter keeps everything."""
        return not any(kept for _, kept in self.columns) and not self.text.strip()


@dataclass(frozen=True)
class UserView:
    """A reader's data as one view shows it.

    ``sites`` holds the matching rows with coordinates, ``listed`` the matching rows with a
    commune code only (counted, never drawn). When more than MAX_POINTS_DRAWN located rows
    match, ``aggregated`` is set and the map draws ``grid`` (lat, lon, count per cell).
    """

    sites: pd.DataFrame
    listed: pd.DataFrame
    region_counts: pd.Series  # INSEE région code -> matching rows (located + listed)
    departement_counts: pd.Series  # INSEE département code -> matching rows
    values: RegionValues | None
    aggregated: bool
    grid: pd.DataFrame | None = None
    source: str = ""
    # Every category of the file (not only the matching ones), most frequent first: colours
    # follow this order, so a filter never recolours a category.
    categories: tuple[str, ...] = ()
    sites_source: str = ""  # the sites file alone (``source`` names every file of the view)

    @property
    def matched(self) -> int:
        """Matching rows, drawn or listed."""
        return len(self.sites) + len(self.listed)


def filter_options(sites: UserSites) -> dict[str, list[str]]:
    """Columns worth a filter (category, initiative, attributes with few values) -> values."""
    options = {}
    for column in (*FILTER_COLUMNS, *sites.attributes):
        if column not in sites.frame:
            continue
        values = pd.unique(sites.frame[column].astype(str))
        values = sorted(v for v in values if v.strip())
        if MIN_FILTER_VALUES <= len(values) <= MAX_FILTER_VALUES:
            options[column] = values
    return options


def compute_user_view(user: UserData, state: ViewState, flt: UserFilter) -> UserView:
    """Apply the reader's filter and our region filter; count per area; grid when too many."""
    values = user.values
    source = ", ".join(d.source for d in (user.sites, values) if d is not None)
    if user.sites is None:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in SITE_COLUMNS})
        return UserView(frame, frame, _counts(frame, "insee_reg"), _counts(frame, "insee_dep"),
                        values, False, None, source)  # fmt: skip
    frame = user.sites.frame
    matched = frame[_keep(frame, user.sites.attributes, state, flt)]
    located_mask = matched["lat"].notna()
    located, listed = matched[located_mask], matched[~located_mask]
    aggregated = len(located) > MAX_POINTS_DRAWN
    grid = grid_cells(located, MAX_POINTS_DRAWN) if aggregated else None
    return UserView(
        located,
        listed,
        _counts(matched, "insee_reg"),
        _counts(matched, "insee_dep"),
        values,
        aggregated,
        grid,
        source,
        _categories(frame),
        user.sites.source,
    )


def grid_cells(points: pd.DataFrame, limit: int = MAX_POINTS_DRAWN) -> pd.DataFrame:
    """Points binned into square cells (doubling the size until at most ``limit`` cells).

    Each cell is drawn at the mean of its points, so a cell sits where its sites are.
    """
    lat = points["lat"].to_numpy(float)
    lon = points["lon"].to_numpy(float)
    size = GRID_START_DEG
    while True:
        keys = np.floor(lat / size).astype(np.int64) * 100_000 + np.floor(lon / size).astype(
            np.int64
        )
        if len(np.unique(keys)) <= limit or size > 180:
            break
        size *= 2
    cells = (
        pd.DataFrame({"key": keys, "lat": lat, "lon": lon})
        .groupby("key", sort=True)
        .agg(lat=("lat", "mean"), lon=("lon", "mean"), count=("lat", "size"))
    )
    cells.attrs["cell_deg"] = size
    return cells.reset_index(drop=True)


def _keep(frame: pd.DataFrame, attributes: tuple[str, ...], state: ViewState, flt: UserFilter):
    keep = pd.Series(True, index=frame.index)
    for column, kept in flt.columns:
        if kept and column in frame:
            keep &= frame[column].astype(str).isin(kept)
    if state.filter.regions:
        keep &= frame["insee_reg"].isin(state.filter.regions)
    needle = fold(flt.text.strip())
    if needle:
        columns = [c for c in (*TEXT_COLUMNS, *attributes) if c in frame]
        haystack = (
            frame[columns[0]]
            .astype(str)
            .str.cat([frame[c].astype(str) for c in columns[1:]], sep=" ")
        )
        keep &= fold_series(haystack).str.contains(needle, regex=False)
    return keep


def fold_series(texts: pd.Series) -> pd.Series:
    """geo.core.filters.fold over a column: lower case, accents stripped."""
    decomposed = texts.str.casefold().str.normalize("NFKD")
    return decomposed.str.replace(COMBINING_MARKS, "", regex=True)


def _categories(frame: pd.DataFrame) -> tuple[str, ...]:
    counts = frame.loc[frame["category"].astype(str) != "", "category"].astype(str).value_counts()
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(category for category, _ in ranked)


def _counts(rows: pd.DataFrame, column: str) -> pd.Series:
    codes = rows[column]
    counts = codes[codes.astype(str) != ""].value_counts().sort_index().astype(int)
    counts.index = counts.index.astype(str)
    counts.index.name = column
    counts.name = "count"
    return counts


__all__ = [
    "MAX_POINTS_DRAWN",
    "UserFilter",
    "UserView",
    "compute_user_view",
    "filter_options",
    "fold_series",
    "grid_cells",
]
