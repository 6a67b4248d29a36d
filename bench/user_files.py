"""Files a reader might bring, made reproducibly for the benches: French Excel-style CSV.

Points are drawn uniformly over the départements' land (every one lands in France, so the
whole file is valid), with the columns a regional agency's list would have: nom, latitude,
longitude, catégorie, montant (decimal comma), date, source. Semicolon-separated, cp1252,
CRLF: what Excel writes for a French locale.
"""

from __future__ import annotations

import numpy as np
import shapely

SEED = 20240513
CATEGORIES = ("Centre de formation", "Start-up", "Laboratoire", "Data center", "Incubateur")


def points_in_france(departements, count: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """``count`` (lat, lon) drawn uniformly over the metropolitan départements' land."""
    rng = np.random.default_rng(seed)
    metro = departements[~departements.index.str.startswith("97")]
    land = shapely.union_all(metro.geometry.to_numpy())
    shapely.prepare(land)
    x0, y0, x1, y1 = land.bounds
    lons: list[np.ndarray] = []
    lats: list[np.ndarray] = []
    have = 0
    while have < count:
        xs = rng.uniform(x0, x1, count)
        ys = rng.uniform(y0, y1, count)
        inside = shapely.contains_xy(land, xs, ys)
        lons.append(xs[inside])
        lats.append(ys[inside])
        have += int(inside.sum())
    return np.concatenate(lats)[:count], np.concatenate(lons)[:count]


def french_sites_csv(departements, count: int, seed: int = SEED) -> bytes:
    """A valid sites file of ``count`` rows as a French Excel would save it."""
    rng = np.random.default_rng(seed + 1)
    lats, lons = points_in_france(departements, count, seed)
    categories = rng.choice(CATEGORIES, count)
    amounts = rng.integers(10_000, 5_000_000, count)
    days = rng.integers(1, 29, count)
    months = rng.integers(1, 13, count)
    lines = ["nom;latitude;longitude;catégorie;montant;date;source"]
    for i in range(count):
        lat, lon = f"{lats[i]:.5f}".replace(".", ","), f"{lons[i]:.5f}".replace(".", ",")
        lines.append(
            f"Établissement n°{i + 1};{lat};{lon};{categories[i]};{amounts[i]},50;"
            f"2025-{months[i]:02d}-{days[i]:02d};https://example.org/{i + 1}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")
