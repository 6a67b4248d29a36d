"""A reader's data built in the tests, in the shapes of geo.core.userdata.model.

The report, export and CLI tests draw and write these; the readers (user-read) have their
own tests. Places are real: town halls and their INSEE codes.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.core.regions import WGS84
from geo.core.userdata.model import (
    SITES,
    VALUES,
    ColumnMapping,
    RegionValues,
    UserData,
    UserSites,
)

HOSTILE = '=HYPERLINK("http://evil.example","x")'
# (name, lat, lon, commune, département, région, category, attribute "porteur")
PLACES = (
    ("Mairie de Lyon", 45.7676, 4.8357, "69381", "69", "84", "mairie", "Ville"),
    ("Strasbourg <script>alert(1)</script>", 48.5734, 7.7521, "67482", "67", "44", "mairie", "@x"),
    ("Rennes", 48.1113, -1.6800, "35238", "35", "53", "campus", "+1"),
    (HOSTILE, -20.8789, 55.4481, "97411", "974", "04", "campus", "-2"),
    ("Bordeaux (commune seulement)", np.nan, np.nan, "33063", "33", "75", "mairie", "Ville"),
)
ATTRIBUTE = "porteur"
SITE_COLUMNS = (
    "line", "name", "lat", "lon", "insee_commune", "insee_dep", "insee_reg",
    "category", "initiative", "date", "url", "amount",
)  # fmt: skip


def sites_frame(rows) -> pd.DataFrame:
    """A UserSites frame from (name, lat, lon, commune, dep, reg, category, attribute) rows."""
    rows = list(rows)
    frame = pd.DataFrame(
        {
            "line": list(range(2, len(rows) + 2)),
            "name": [r[0] for r in rows],
            "lat": [float(r[1]) for r in rows],
            "lon": [float(r[2]) for r in rows],
            "insee_commune": [r[3] for r in rows],
            "insee_dep": [r[4] for r in rows],
            "insee_reg": [r[5] for r in rows],
            "category": [r[6] for r in rows],
            "initiative": "",
            "date": "",
            "url": "",
            "amount": np.nan,
            ATTRIBUTE: [r[7] for r in rows],
        }
    )
    return frame


def user_sites(source: str = "mes-sites.csv", rows=PLACES) -> UserSites:
    mapping = ColumnMapping(SITES, {"name": "nom", "lat": "latitude", "lon": "longitude"})
    return UserSites(source, sites_frame(rows), (ATTRIBUTE,), mapping)


def region_values(
    source: str = "valeurs.csv",
    level: str = "departement",
    values: dict[str, float] | None = None,
    label: str = "Emplois <b>IA</b>",
    unit: str = "postes",
) -> RegionValues:
    if values is None:
        values = {"69": 1200.0, "67": 800.0, "35": 450.0, "974": 90.0, "75": 5000.0, "13": 2100.0}
    frame = pd.DataFrame(
        {
            "line": list(range(2, len(values) + 2)),
            "code": list(values),
            "written": list(values),
            "value": list(values.values()),
        }
    )
    mapping = ColumnMapping(VALUES, {"area": "departement", "value": "valeur"})
    return RegionValues(source, level, label, unit, frame, mapping)


def random_sites(dataset, n: int, seed: int = 12) -> UserSites:
    """n points inside metropolitan départements (a vectorised join), for scale tests."""
    rng = np.random.default_rng(seed)
    deps = dataset.departements
    metro = deps[~deps.index.str.startswith("97")]
    x0, y0, x1, y1 = metro.total_bounds
    lon = rng.uniform(x0, x1, n * 3)
    lat = rng.uniform(y0, y1, n * 3)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=WGS84)
    joined = gpd.sjoin(points, metro[["insee_reg", "geometry"]], predicate="within")
    joined = joined[~joined.index.duplicated()].iloc[:n]
    assert len(joined) == n
    rows = zip(
        [f"Site {k}" for k in range(n)],
        joined.geometry.y,
        joined.geometry.x,
        [""] * n,
        [""] * n,
        joined["insee_reg"],
        ["lieu"] * n,
        [""] * n,
        strict=True,
    )
    return user_sites(f"grand-fichier-{n}.csv", rows)


def user_data(sites: UserSites | None = None, values: RegionValues | None = None) -> UserData:
    return UserData(sites=sites, values=values)
