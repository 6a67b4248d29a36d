"""French boundaries, the spatial join of sites to regions, and per-region metrics."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.core import vocabulary as voc
from geo.core.errors import DataError, Problem, display_path
from geo.core.files import geojson_features
from geo.core.userdata.model import RegionValues
from geo.i18n import N_, Fixed, Number, Text, _

WGS84 = "EPSG:4326"
LAMBERT93 = "EPSG:2154"
# A coastal site may fall just outside simplified boundaries: within this distance it takes
# the nearest region (and says so); farther out it is an error.
NEAREST_TOLERANCE_M = 3000.0
# How far the boundary source may put a departement border from the true one: a quantization
# cell (0.012 x 0.007 degrees, about 0.9 x 0.8 km, 1.2 km across) plus the 0.004-degree
# simplification (at most 0.45 km), about 1.65 km, rounded up. Simplon in Montreuil, 100 m
# from the real Paris border, is 1.6 km from the coarse 93 polygon.
BORDER_TOLERANCE_M = 2000.0
MAX_BOUNDARY_BYTES = 20 * 1024 * 1024

REGION_FIELDS = ("insee_reg", "name_fr", "name_en", "zone", "population", "population_year")
DEPARTEMENT_FIELDS = ("insee_dep", "name_fr", "name_en", "insee_reg")
COUNTRY_FIELDS = ("name",)
ZONES = ("metro", "drom")


# What a boundary property must hold, as Text: worded when the problem is shown.
def _text_property(value: object) -> Text | None:
    return None if isinstance(value, str) and value.strip() else Text("a non-empty text")


def _code_property(pattern: str, example: str) -> Callable[[object], Text | None]:
    compiled = re.compile(pattern)

    def check(value: object) -> Text | None:
        if isinstance(value, str) and compiled.fullmatch(value):
            return None
        return Text("a code written as text, like {example}", example=repr(example))

    return check


def _count_property(low: int, high: int) -> Callable[[object], Text | None]:
    def check(value: object) -> Text | None:
        number = int(value) if isinstance(value, float) and value.is_integer() else value
        if isinstance(number, int) and not isinstance(number, bool) and low <= number <= high:
            return None
        return Text("a whole number from {low} to {high}", low=Number(low), high=Number(high))

    return check


# What each boundary property must hold: the app and the metrics rely on these types.
PROPERTY_CHECKS: dict[str, Callable[[object], Text | None]] = {
    "insee_reg": _code_property(r"\d{2}", "44"),
    "insee_dep": _code_property(r"\d{2}|2[AB]|97\d", "68"),
    "name_fr": _text_property,
    "name_en": _text_property,
    "name": _text_property,
    "zone": lambda value: (
        None if value in ZONES else Text("one of {choices}", choices=", ".join(ZONES))
    ),
    "population": _count_property(1, 100_000_000),
    "population_year": _count_property(1800, 2100),
}


@dataclass(frozen=True)
class Metric:
    """A per-region value the choropleth can show.

    ``label``, ``unit`` and ``description`` are English msgids for our own metrics (shown in
    the current language by the ``shown_*`` methods); a reader's metric (``own`` False) keeps
    the name and unit their file gives, as written.
    """

    key: str
    label: str
    unit: str
    description: str
    own: bool = True

    def shown_label(self) -> str:
        """The name to show: 'Sites' / 'Sites' / 'Standorte'."""
        return _(self.label) if self.own else self.label

    def shown_unit(self) -> str:
        """The unit to show ('sites' / 'sites' / 'Standorte'; 'EUR' and 'MW' as they are)."""
        return _(self.unit) if self.own and self.unit else self.unit

    def shown_description(self) -> str:
        """The one-sentence explanation to show, in the current language."""
        return _(self.description) if self.own else self.description


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("sites", N_("Sites"), N_("sites"), N_("Mapped sites that match the filters")),
        Metric(
            "partners",
            N_("Partner institutions"),
            N_("institutions"),
            N_(
                "Schools, training, inclusion, public partners and startup hubs that match the "
                "filters"
            ),
        ),
        Metric(
            "data_centres",
            N_("Data-centre sites"),
            N_("sites"),
            N_("Existing and planned data-centre sites (region-only placeholders included)"),
        ),
        Metric(
            "commitments",
            N_("Regional commitments"),
            N_("commitments"),
            N_("Pledges and press figures scoped to the region (national ones are not counted)"),
        ),
        Metric(
            "sites_per_million",
            N_("Sites per million inhabitants"),
            N_("sites per million inhabitants"),
            N_("Matching sites per million inhabitants (INSEE population)"),
        ),
        Metric(
            "announced_eur",
            N_("Announced AI investment"),
            "EUR",
            N_(
                "Announced AI and data-centre investment in EUR (every investor), counted once "
                "per pledge chain; amounts not disclosed add nothing"
            ),
        ),
        Metric(
            "announced_mw",
            N_("Announced capacity"),
            "MW",
            N_(
                "Announced data-centre power capacity in MW (every investor), counted once per "
                "chain"
            ),
        ),
        Metric(
            "disclosed_eur",
            N_("Disclosed amount"),
            "EUR",
            N_("Amounts in EUR scoped to the region; only press-reported figures exist so far"),
        ),
    )
}


def load_boundaries(path: Path, fields: tuple[str, ...], key: str | None) -> gpd.GeoDataFrame:
    """Read a boundary GeoJSON in EPSG:4326, check its fields and geometries, index by key."""
    shown = display_path(path)
    problems = _property_problems(_read_properties(path), shown, fields, key)
    if problems:
        raise DataError(problems)
    try:
        gdf = gpd.read_file(path)
    except Exception as err:  # pyogrio raises several types for unreadable files
        raise DataError.single(path, Text("a readable GeoJSON file"), _first_line(err)) from None
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        problems.append(Problem(shown, None, "crs", "EPSG:4326", str(gdf.crs)))
    if problems:
        raise DataError(problems)
    problems += _geometry_problems(gdf, shown, key)
    if key is not None:
        problems += _key_problems(gdf, shown, key)
    if problems:
        raise DataError(problems)
    return gdf.set_index(key, drop=False).rename_axis(None) if key else gdf


def _read_properties(path: Path) -> list[dict]:
    """The properties of each feature, read as JSON (types as written, before GDAL guesses)."""
    if not path.is_file():
        raise DataError.single(path, Text("an existing boundary file (GeoJSON)"), "no such file")
    if path.stat().st_size > MAX_BOUNDARY_BYTES:
        limit = Text("at most {n} MB", n=Number(MAX_BOUNDARY_BYTES // 2**20))
        raise DataError.single(path, limit, "a larger file")
    features = geojson_features(path.read_bytes(), display_path(path))
    return [(f.get("properties") or {}) if isinstance(f, dict) else {} for f in features]


def _property_problems(
    properties: list[dict], shown: str, fields: tuple[str, ...], key: str | None
) -> list[Problem]:
    """Missing properties, and values of the wrong type or range, by feature and property."""
    problems = []
    for field in fields:
        if all(field not in props for props in properties):
            problems.append(Problem(shown, 1, field, Text("this property on every feature")))
            continue
        check = PROPERTY_CHECKS.get(field, lambda value: None)
        for position, props in enumerate(properties):
            where = f"feature {position + 1}"
            if key and isinstance(props.get(key), str):
                where += f" ({key} {props[key]!r})"
            if field not in props:
                problems.append(
                    Problem(shown, where, field, Text("this property on every feature"))
                )
            elif (expected := check(props[field])) is not None:
                got = "null" if props[field] is None else props[field]
                problems.append(Problem(shown, where, field, expected, got))
    return problems


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def _feature_label(gdf: gpd.GeoDataFrame, position: int, key: str | None) -> str:
    label = f"feature {position + 1}"
    if key and key in gdf.columns:
        label += f" ({key} {gdf[key].iloc[position]!r})"
    return label


def _geometry_problems(gdf: gpd.GeoDataFrame, shown: str, key: str | None) -> list[Problem]:
    problems = []
    for position, geom in enumerate(gdf.geometry):
        where = _feature_label(gdf, position, key)
        if geom is None or geom.is_empty:
            problems.append(
                Problem(shown, where, "geometry", Text("a polygon"), "an empty geometry")
            )
        elif geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(Problem(shown, where, "geometry", Text("a polygon"), geom.geom_type))
        elif not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            problems.append(Problem(shown, where, "geometry", Text("a valid polygon"), reason))
    return problems


def _key_problems(gdf: gpd.GeoDataFrame, shown: str, key: str) -> list[Problem]:
    problems = []
    duplicated = gdf[key].duplicated(keep="first")
    for position in np.flatnonzero(duplicated.to_numpy()):
        where = _feature_label(gdf, int(position), None)
        code = gdf[key].iloc[position]
        problems.append(Problem(shown, where, key, Text("a unique code"), code))
    return problems


def assign_regions(
    sites: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    departements: gpd.GeoDataFrame,
    path: Path | str = "sites.csv",
) -> gpd.GeoDataFrame:
    """Give each located site its region and departement by spatial join (not a typed column).

    Adds insee_reg, region_name (INSEE's French name), region_name_en, insee_dep,
    departement_name, departement_name_en (show ``i18n.localized(row, "region_name")``) and
    ``join_note`` (empty when the point lies inside a polygon, else how far the nearest one
    is). Unlocated sites keep empty values. Raises DataError naming every site that falls in
    no region.
    """
    located = sites["lat"].notna() & sites["lon"].notna()
    points = gpd.points_from_xy(sites["lon"], sites["lat"], crs=WGS84)
    gdf = gpd.GeoDataFrame(sites.copy(), geometry=points, crs=WGS84)
    gdf.loc[~located, "geometry"] = None
    reg, reg_note, problems = _join(gdf[located], regions, "insee_reg", path)
    dep, _dep_note, dep_problems = _join(gdf[located], departements, "insee_dep", path)
    if problems or dep_problems:
        raise DataError(problems or dep_problems)
    gdf["insee_reg"] = reg.reindex(gdf.index).fillna("")
    gdf["region_name"] = gdf["insee_reg"].map(regions["name_fr"]).fillna("")
    gdf["region_name_en"] = gdf["insee_reg"].map(regions["name_en"]).fillna("")
    gdf["insee_dep"] = dep.reindex(gdf.index).fillna("")
    gdf["departement_name"] = gdf["insee_dep"].map(departements["name_fr"]).fillna("")
    gdf["departement_name_en"] = gdf["insee_dep"].map(departements["name_en"]).fillna("")
    gdf["join_note"] = reg_note.reindex(gdf.index).fillna("")
    return gdf


def _join(
    points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, key: str, path: Path | str
) -> tuple[pd.Series, pd.Series, list[Problem]]:
    """Code of the polygon containing each point; nearest polygon within tolerance else error."""
    if points.empty:
        empty = pd.Series(dtype=object)
        return empty, empty, []
    within = gpd.sjoin(points[["geometry"]], polygons[[key, "geometry"]], predicate="within")
    within = within[~within.index.duplicated(keep="first")]
    codes = within[key].reindex(points.index)
    notes = pd.Series("", index=points.index, dtype=object)
    missing = codes.index[codes.isna()]
    problems: list[Problem] = []
    if len(missing):
        projected_points = points.loc[missing, ["geometry"]].to_crs(LAMBERT93)
        projected = polygons[[key, "geometry"]].to_crs(LAMBERT93)
        nearest = gpd.sjoin_nearest(projected_points, projected, distance_col="distance_m")
        nearest = nearest[~nearest.index.duplicated(keep="first")]
        for site_id, row in nearest.iterrows():
            if row["distance_m"] <= NEAREST_TOLERANCE_M:
                codes[site_id] = row[key]
                notes[site_id] = (
                    f"{row['distance_m'] / 1000:.1f} km outside the simplified boundary"
                )
            else:
                problems.append(_outside_problem(points.loc[site_id], row, key, path))
    return codes, notes, problems


def _outside_problem(site: pd.Series, nearest: pd.Series, key: str, path: Path | str) -> Problem:
    msgid = (
        N_("a point inside a French region (nearest is {code}, {km} km away)")
        if key == "insee_reg"
        else N_("a point inside a French departement (nearest is {code}, {km} km away)")
    )
    expected = Text(msgid, code=nearest[key], km=Fixed(nearest["distance_m"] / 1000, 1))
    got = f"lat {site['lat']:g}, lon {site['lon']:g}"
    return Problem(display_path(path), int(site["line"]), "lat", expected, got)


def apply_commune_reference(
    sites: gpd.GeoDataFrame,
    communes: pd.DataFrame,
    departements: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    path: Path | str = "sites.csv",
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Cross-check each joined site with the departement and region of its INSEE commune.

    The boundary source is coarse (see BORDER_TOLERANCE_M). When the joined departement
    differs from the commune's but the point lies within that tolerance of the commune's
    departement, the commune reference decides: insee_dep, departement_name, insee_reg and
    region_name are taken from it and ``commune_note`` says so. Farther away, the site is a
    Problem on its ``insee_commune``. Codes missing from the reference are left to
    ``geo.core.communes.site_commune_problems``.
    """
    gdf = sites.copy()
    gdf["commune_note"] = ""
    shown = display_path(path)
    problems: list[Problem] = []
    projected: gpd.GeoDataFrame | None = None
    for site_id in gdf.index[(gdf["insee_commune"] != "") & gdf.geometry.notna()]:
        site = gdf.loc[site_id]
        code = site["insee_commune"]
        if code not in communes.index:
            continue
        dep, reg = communes.at[code, "insee_dep"], communes.at[code, "insee_reg"]
        if dep == site["insee_dep"] and reg == site["insee_reg"]:
            continue
        if dep != site["insee_dep"]:
            if projected is None:
                projected = departements[["geometry"]].to_crs(LAMBERT93)
            distance = _distance_to(site.geometry, projected, dep)
            if distance is None or distance > BORDER_TOLERANCE_M:
                problems.append(_commune_problem(site, communes, "departement", "insee_dep", shown))
                continue
            gdf.loc[site_id, ["insee_dep", "departement_name", "departement_name_en"]] = [
                dep,
                departements.at[dep, "name_fr"],
                departements.at[dep, "name_en"],
            ]
            gdf.loc[site_id, "commune_note"] = (
                f"departement {dep} from the commune reference ({code}): the point joins "
                f"{site['insee_dep']} but lies {distance / 1000:.1f} km from {dep}, within "
                f"the {BORDER_TOLERANCE_M / 1000:g} km error of the boundary source"
            )
        if reg != gdf.at[site_id, "insee_reg"]:
            if departements.at[dep, "insee_reg"] != reg or reg not in regions.index:
                problems.append(_commune_problem(site, communes, "region", "insee_reg", shown))
                continue
            gdf.loc[site_id, ["insee_reg", "region_name", "region_name_en"]] = [
                reg,
                regions.at[reg, "name_fr"],
                regions.at[reg, "name_en"],
            ]
    return gdf, problems


def _distance_to(point, projected: gpd.GeoDataFrame, dep: str) -> float | None:
    """Metres from a WGS84 point to departement ``dep`` (None if the boundaries lack it)."""
    if dep not in projected.index:
        return None
    where = gpd.GeoSeries([point], crs=WGS84).to_crs(LAMBERT93).iloc[0]
    return float(projected.at[dep, "geometry"].distance(where))


def _commune_problem(
    site: pd.Series, communes: pd.DataFrame, kind: str, key: str, shown: str
) -> Problem:
    code = site["insee_commune"]
    name, theirs = communes.at[code, "name"], communes.at[code, key]
    msgid = (
        N_("a commune in region {code} (the point's)")
        if kind == "region"
        else N_("a commune in departement {code} (the point's)")
    )
    expected = Text(msgid, code=site[key])
    return Problem(
        shown, int(site["line"]), "insee_commune", expected, f"{code} ({name}, {kind} {theirs})"
    )


def region_metrics(
    sites: gpd.GeoDataFrame, commitments: pd.DataFrame, regions: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Per-region counts of the given (already filtered) sites and region-scoped commitments."""
    # A few dozen rows: plain counting beats pandas group-bys (this runs on every app rerun).
    codes = list(regions.index)
    counts: dict[str, Counter] = {code: Counter() for code in codes}
    for code, category, initiatives in zip(
        sites["insee_reg"], sites["category"], sites["initiatives"], strict=True
    ):
        if code in counts:
            counts[code].update(
                ["sites", f"category_{category}", *(f"sites_{key}" for key in initiatives)]
            )
    columns = [
        "sites",
        *(f"sites_{key}" for key in voc.INITIATIVES),
        *(f"category_{key}" for key in voc.CATEGORIES),
    ]
    table = pd.DataFrame(
        [[counts[code][column] for column in columns] for code in codes],
        index=regions.index,
        columns=columns,
        dtype=int,
    )
    out = regions[["insee_reg", "name_fr", "name_en", "zone", "population", "geometry"]].copy()
    out[columns] = table
    out["partners"] = table[[f"category_{k}" for k in sorted(voc.PARTNER_CATEGORIES)]].sum(axis=1)
    out["data_centres"] = table["category_data_centre"]
    out["has_data_centre"] = out["data_centres"] > 0
    out[["commitments", "disclosed_eur", "disclosed_eur_basis"]] = _commitment_columns(
        commitments, codes
    )
    out["commitments"] = out["commitments"].astype(int)
    out["disclosed_eur"] = out["disclosed_eur"].astype(float)
    out["sites_per_million"] = (out["sites"] / (out["population"] / 1e6)).round(2)
    return out


def _commitment_columns(commitments: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Per region: number of scoped commitments, disclosed EUR amount and its basis."""
    rows = {code: [0, np.nan, voc.NOT_DISCLOSED] for code in codes}
    for scope, unit, value, stated_by in zip(
        commitments["scope"],
        commitments["unit"],
        commitments["value"],
        commitments["stated_by"],
        strict=True,
    ):
        if scope not in rows:
            continue
        row = rows[scope]
        row[0] += 1
        if unit == "EUR" and not np.isnan(value):
            row[1] = value if np.isnan(row[1]) else row[1] + value
            # English values (kept in exports): shown with i18n._()
            basis = N_("press-reported") if stated_by == "press" else N_("stated by Microsoft")
            row[2] = basis if row[2] in (voc.NOT_DISCLOSED, basis) else N_("stated by Microsoft")
    return pd.DataFrame(
        [rows[code] for code in codes],
        index=codes,
        columns=["commitments", "disclosed_eur", "disclosed_eur_basis"],
    )


def available_metrics(metrics: gpd.GeoDataFrame) -> dict[str, Metric]:
    """Metrics worth offering: a disclosed-amount metric only where some amount exists."""
    return {
        key: metric
        for key, metric in METRICS.items()
        if key not in ("disclosed_eur", *INVESTMENT_METRICS) or metrics[key].notna().any()
    }


# Columns of the investment landscape in the metrics frame (geo.core.landscape).
INVESTMENT_METRICS = ("announced_eur", "announced_mw")
INVESTMENT_COLUMNS = (
    "announced_eur",
    "announced_eur_high",
    "announced_mw",
    "investments",
    "microsoft_eur",
    "not_disclosed",
)


def add_investment_metrics(metrics: gpd.GeoDataFrame, by_region: pd.DataFrame) -> gpd.GeoDataFrame:
    """The metrics frame with the landscape's per-region columns (NaN where none exist)."""
    out = metrics.copy()
    for column in INVESTMENT_COLUMNS:
        out[column] = by_region[column].reindex(out.index).to_numpy()
    if not int(by_region["investments"].sum()):
        out[list(INVESTMENT_METRICS)] = np.nan
    return out


# A reader's own figures: offered only when the reader brought them (see user_metrics).
USER_SITES = "user_sites"
USER_VALUES = "user_values"
USER_SITES_METRIC = Metric(
    USER_SITES,
    N_("Your sites"),
    N_("sites"),
    N_("Your sites that match the filters (with or without a point)"),
)
DEPARTEMENT_LEVEL = "departement"


def user_values_metric(values: RegionValues) -> Metric:
    """The metric of a reader's figures: named and measured as their file says (the
    description is worded now, in the current language)."""
    if values.level == DEPARTEMENT_LEVEL:
        about = _("Your figures per département ({source})").format(source=values.source)
    else:
        about = _("Your figures per region ({source})").format(source=values.source)
    return Metric(USER_VALUES, values.label, values.unit, about, own=False)


def add_user_metrics(
    metrics: gpd.GeoDataFrame, region_counts: pd.Series | None, values: RegionValues | None
) -> gpd.GeoDataFrame:
    """The metrics table with the reader's columns: user_sites (a count) and user_values.

    user_values stays NaN everywhere for département-level figures: the view holds those
    per département (ViewData.departement_values).
    """
    out = metrics.copy()
    if region_counts is not None:
        out[USER_SITES] = region_counts.reindex(out.index, fill_value=0).astype(int).to_numpy()
    out[USER_VALUES] = np.nan
    if values is not None and values.level != DEPARTEMENT_LEVEL:
        by_code = pd.Series(values.by_code(), dtype=float)
        out[USER_VALUES] = by_code.reindex(out.index).to_numpy()
    return out


def user_metrics(has_sites: bool, values: RegionValues | None) -> dict[str, Metric]:
    """The reader's metrics on offer: their sites when they brought some, their figures."""
    offered = {USER_SITES: USER_SITES_METRIC} if has_sites else {}
    if values is not None:
        offered[USER_VALUES] = user_values_metric(values)
    return offered
