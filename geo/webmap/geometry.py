"""Boundary polygons for the browser: simplified, packed, and either embedded or published.

Nothing here caches: web_layers costs a coverage simplification, so a caller that draws many
maps of one dataset computes it once and passes the result on (the app keeps it in
st.cache_resource through publish_geometry; build_map computes it once per map).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geo.core.dataset import Dataset
from geo.core.files import write_atomic
from geo.webmap.assets import PUBLISH_SUBDIR, STATIC_URL

# Browser copies of the boundaries: simplified to the source's ~1 km grid (see web_layers).
WEB_TOLERANCE_DEG = 0.01
WEB_GRID_DEG = 1e-4
COUNTRY_TOLERANCE_DEG = 0.05
COUNTRY_GRID_DEG = 1e-3
# (west, south, east, north): what a wide metropolitan view can show; the neighbours are only
# the no-tiles backdrop, so the rest of Europe is not sent.
COUNTRY_WEB_BOX = (-10.5, 39.0, 16.0, 53.5)
PACK_SCALE = round(1 / WEB_GRID_DEG)
LAYER_NAMES = ("regions", "departements", "countries")
# The packed JSON of one layer, or the URL of a published copy.
GeometrySource = str | dict


def web_layers(dataset: Dataset) -> dict[str, dict]:
    """Lighter boundary layers for the browser, packed by pack_features.

    Départements are simplified as one coverage (neighbours keep shared edges) and regions
    are dissolved from them, so the two layers match exactly. The tolerance is the source's
    own grid (about 1 km), invisible at national zoom; reports and joins use full geometry.
    """
    departements = dataset.departements.copy()
    simplified = shapely.coverage_simplify(departements.geometry.values, WEB_TOLERANCE_DEG)
    departements["geometry"] = shapely.set_precision(simplified, WEB_GRID_DEG)
    regions = dataset.regions.copy()
    dissolved = departements.dissolve(by="insee_reg").geometry
    regions["geometry"] = shapely.make_valid(dissolved.reindex(regions.index).values)
    countries = dataset.countries.copy()
    outline = countries.geometry.clip_by_rect(*COUNTRY_WEB_BOX).simplify(COUNTRY_TOLERANCE_DEG)
    countries["geometry"] = shapely.set_precision(outline.values, COUNTRY_GRID_DEG)
    countries = countries[~countries.geometry.is_empty]
    return {
        "regions": pack_features(regions, ("insee_reg", "name_fr")),
        "departements": pack_features(departements, ("insee_dep", "insee_reg")),
        "countries": pack_features(countries, ("name",)),
    }


def pack_features(gdf: gpd.GeoDataFrame, fields: tuple[str, ...]) -> dict:
    """Polygons in a compact JSON the map's script unpacks: half the bytes of GeoJSON.

    ``{"scale": 10000, "features": [[properties, [polygon, ...]], ...]}`` where a polygon is
    a list of rings and a ring is ``[x0, y0, dx1, dy1, ...]`` in 1/scale degree: small
    integers that compress far better than decimal coordinates.
    """
    features = []
    for row in gdf[[*fields, "geometry"]].itertuples(index=False):
        polygons = (
            row.geometry.geoms if row.geometry.geom_type == "MultiPolygon" else [row.geometry]
        )
        packed = [[_pack_ring(ring) for ring in (p.exterior, *p.interiors)] for p in polygons]
        features.append([{field: getattr(row, field) for field in fields}, packed])
    return {"scale": PACK_SCALE, "features": features}


def _pack_ring(ring: shapely.LinearRing) -> list[int]:
    ints = np.rint(shapely.get_coordinates(ring) * PACK_SCALE).astype(np.int64)
    deltas = np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    return deltas.ravel().tolist()


def publish_geometry(
    dataset: Dataset, static_dir: Path, url_prefix: str = STATIC_URL
) -> dict[str, str]:
    """Write the boundary layers as JSON under ``static_dir``/geo/ and return their URLs.

    File names carry a hash of the content, so a browser never keeps a stale copy and two
    apps on different data never overwrite each other. Writing is atomic and skipped when
    the file exists. Returns {"regions": url, "departements": url, "countries": url}.
    """
    target = Path(static_dir) / PUBLISH_SUBDIR
    target.mkdir(parents=True, exist_ok=True)
    urls = {}
    for name, collection in web_layers(dataset).items():
        data = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        path = target / f"{name}-{hashlib.sha256(data).hexdigest()[:12]}.json"
        if not path.is_file():
            write_atomic(path, data)
        urls[name] = f"{url_prefix}{PUBLISH_SUBDIR}/{path.name}"
    return urls


def complete_geometry(
    dataset: Dataset, geometry: Mapping[str, GeometrySource] | None
) -> dict[str, GeometrySource]:
    """Every boundary layer, as given (URL or packed JSON) or else computed from the dataset."""
    given = dict(geometry or {})
    if all(name in given for name in LAYER_NAMES):
        return given
    return {**web_layers(dataset), **given}


def embedded_only(geometry: Mapping[str, GeometrySource] | None) -> dict[str, dict]:
    """The layers given as packed JSON (URLs dropped): what a page with no server can use."""
    return {name: layer for name, layer in (geometry or {}).items() if isinstance(layer, dict)}
