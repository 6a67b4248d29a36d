"""Check a reader's sites: names, coordinates in France, commune codes, amounts, links.

Every check runs on whole columns (pandas, numpy, shapely 2 arrays): 100,000 rows take about
a second. A row with any problem is left out and listed; the others are kept in file
order. Cells the reader had to cut (RawTable.problems) are listed but keep their row.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from geo.core.dataset import Dataset
from geo.core.errors import Problem
from geo.core.regions import BORDER_TOLERANCE_M, LAMBERT93, NEAREST_TOLERANCE_M, WGS84
from geo.core.table import URL_PATTERN
from geo.core.userdata import deferred
from geo.core.userdata.cells import parse_coordinates, parse_numbers
from geo.core.userdata.deferred import Degrees, PlaceName
from geo.core.userdata.model import (
    SITE_COLUMNS,
    SITE_ROLES,
    ColumnMapping,
    RawTable,
    UserData,
    UserSites,
)
from geo.core.userdata.read import line_key
from geo.i18n import N_, Number, Text

TEXT_ROLES = ("category", "initiative", "date")
# Municipal arrondissements (Paris, Marseille, Lyon) are INSEE codes of their own that the
# commune reference does not list: they count in their commune.
ARRONDISSEMENTS = (
    (r"751(?:0[1-9]|1\d|20)", "75056"),
    (r"132(?:0[1-9]|1[0-6])", "13055"),
    (r"6938[1-9]", "69123"),
)
# geo.core.table's URL rule as an RE2 pattern, so pyarrow checks a whole column at once.
URL_CHECK = "(?i)" + URL_PATTERN.pattern.removeprefix("^").removesuffix("$")
COMMUNE_CODE = r"\d{5}|2[AB]\d{3}"
_TO_LAMBERT = Transformer.from_crs(WGS84, LAMBERT93, always_xy=True)


@dataclass
class _Checks:
    """Problems found so far, by row position, and the rows they reject."""

    raw: RawTable
    mapping: ColumnMapping
    rejected: np.ndarray
    found: list[tuple[int, int, Problem]] = field(default_factory=list)

    def add(
        self,
        mask: np.ndarray | pd.Series,
        role: str,
        expected: Text | pd.Series,
        got: pd.Series | str | None,
    ) -> None:
        """A problem for every row of ``mask`` on the column playing ``role``."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        column = self.mapping.roles.get(role, role)
        order = SITE_ROLES.index(role) if role in SITE_ROLES else len(SITE_ROLES)
        positions = np.flatnonzero(mask)
        wants = _picked(expected, positions)
        values = _picked(got, positions)
        lines, source = self.raw.lines, self.raw.source
        self.found.extend(
            (int(p), order, Problem(source, lines[p], column, want, value))
            for p, want, value in zip(positions, wants, values, strict=True)
        )
        self.rejected |= mask

    def problems(self) -> tuple[Problem, ...]:
        return tuple(problem for _, _, problem in sorted(self.found, key=lambda f: f[:2]))


def _picked(values: object, positions: np.ndarray) -> list:
    """The entries at ``positions`` of a column, or a single value repeated."""
    if not isinstance(values, pd.Series):
        return [values] * len(positions)
    return values.to_numpy(dtype=object)[positions].tolist()


def validate_sites(
    raw: RawTable,
    mapping: ColumnMapping,
    reference: Dataset,
    swap_lines: Collection = (),
) -> UserData:
    """Check every row of a sites table; keep the good rows, list every problem of the rest."""
    header = _header_problems(raw, mapping)
    if header:
        return UserData(problems=(*header, *raw.problems), notes=raw.notes)
    rows = len(raw.frame)
    checks = _Checks(raw, mapping, np.zeros(rows, dtype=bool))
    notes = list(raw.notes)
    text = {role: _column(raw, mapping, role) for role in SITE_ROLES}

    checks.add(text["name"] == "", "name", Text("a name for the site"), "")
    lat_text, lon_text = _swapped_as_asked(raw, text, swap_lines, notes)
    lat, lon, located = _coordinates(checks, lat_text, lon_text)
    code = _commune_codes(checks, text["insee_commune"], reference, notes)
    checks.add(
        (lat_text == "") & (lon_text == "") & (text["insee_commune"] == ""),
        "lat" if "lat" in mapping.roles else "insee_commune",
        Text("coordinates (latitude and longitude) or an INSEE commune code"),
        "",
    )
    dep = pd.Series("", index=raw.frame.index, dtype=str)
    swapped = _place_points(checks, lat, lon, located, reference, dep, notes)
    _check_communes(checks, lat, lon, code, reference, dep, notes)
    amount = parse_numbers(text["amount"])
    checks.add(amount.bad, "amount", Text("a number, like 1234.5 or 1 234,5"), text["amount"])
    checks.add(
        amount.units != "",
        "amount",
        Text("a number without a unit (write the unit in the column name)"),
        text["amount"],
    )
    url = text["url"]
    checks.add(
        (url != "") & ~url.str.fullmatch(URL_CHECK),
        "url",
        Text("a web address starting with http:// or https://"),
        url,
    )

    keep = ~checks.rejected
    problems = tuple(sorted((*checks.problems(), *raw.problems), key=lambda p: line_key(p.line)))
    swapped_lines = tuple(raw.lines[p] for p in np.flatnonzero(swapped))
    if not keep.any():
        return UserData(problems=problems, swapped_lines=swapped_lines, notes=tuple(notes))
    frame = _sites_frame(raw, mapping, text, lat, lon, code, dep, amount.values, reference)
    attributes = site_attributes(raw, mapping)
    sites = UserSites(raw.source, frame[keep].reset_index(drop=True), attributes, mapping)
    return UserData(sites=sites, problems=problems, swapped_lines=swapped_lines, notes=tuple(notes))


def header_label(raw: RawTable) -> str | None:
    """Where a missing column is reported: the header row (GeoJSON has none)."""
    return None if raw.fmt == "geojson" else N_("header")


def _header_problems(raw: RawTable, mapping: ColumnMapping) -> list[Problem]:
    """The file lacks what every row needs: a name, and coordinates or a commune code."""
    problems = []
    line = header_label(raw)
    for role, column in mapping.roles.items():
        if column not in raw.frame.columns:
            problems.append(
                Problem(raw.source, line, column, Text("this column (for {role})", role=role))
            )
    if "name" not in mapping.roles:
        problems.append(
            Problem(
                raw.source, line, None, Text("a column with the site names (nom, name, libellé)")
            )
        )
    has_coordinates = "lat" in mapping.roles and "lon" in mapping.roles
    if not has_coordinates and "insee_commune" not in mapping.roles:
        problems.append(
            Problem(
                raw.source,
                line,
                None,
                Text("columns latitude and longitude, or a column of INSEE commune codes"),
            )
        )
    elif ("lat" in mapping.roles) != ("lon" in mapping.roles):
        lat = "lat" in mapping.roles
        missing = N_("a longitude column too") if lat else N_("a latitude column too")
        problems.append(Problem(raw.source, line, None, Text(missing)))
    return problems


def _column(raw: RawTable, mapping: ColumnMapping, role: str) -> pd.Series:
    column = mapping.roles.get(role)
    if column is None:
        return pd.Series("", index=raw.frame.index, dtype=str)
    return raw.frame[column].astype(str)


def _swapped_as_asked(
    raw: RawTable, text: dict[str, pd.Series], swap_lines: Collection, notes: list
) -> tuple[pd.Series, pd.Series]:
    """Latitude and longitude texts, exchanged on the rows the reader asked to swap."""
    lat, lon = text["lat"], text["lon"]
    if not swap_lines:
        return lat, lon
    asked = pd.Series(raw.lines, index=raw.frame.index).isin(list(swap_lines)).to_numpy()
    if asked.any():
        lat, lon = lat.where(~asked, text["lon"]), lon.where(~asked, text["lat"])
        notes.append(
            deferred.ngettext(
                "latitude and longitude exchanged on {n} row, as asked",
                "latitude and longitude exchanged on {n} rows, as asked",
                asked.sum(),
            )
        )
    return lat, lon


def _coordinates(
    checks: _Checks, lat_text: pd.Series, lon_text: pd.Series
) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Parsed coordinates and the rows whose pair is usable (both numbers, within range)."""
    lat, lat_bad = parse_coordinates(lat_text)
    lon, lon_bad = parse_coordinates(lon_text)
    checks.add(lat_bad, "lat", Text("a latitude in decimal degrees, like 45.7676"), lat_text)
    checks.add(lon_bad, "lon", Text("a longitude in decimal degrees, like 4.8357"), lon_text)
    lat_range = lat.notna() & ~lat.between(-90, 90)
    lon_range = lon.notna() & ~lon.between(-180, 180)
    checks.add(lat_range, "lat", Text("a latitude between -90 and 90"), lat_text)
    checks.add(lon_range, "lon", Text("a longitude between -180 and 180"), lon_text)
    lat_missing, lon_missing = (
        (lat_text == "") & (lon_text != ""),
        (lon_text == "") & (lat_text != ""),
    )
    checks.add(lat_missing, "lat", Text("a latitude with the longitude"), "")
    checks.add(lon_missing, "lon", Text("a longitude with the latitude"), "")
    located = (lat.notna() & lon.notna() & ~lat_range & ~lon_range).to_numpy()
    return lat, lon, located


def _commune_codes(
    checks: _Checks, written: pd.Series, reference: Dataset, notes: list
) -> pd.Series:
    """Commune codes as the reference writes them ("" when none or unknown); flags the rest."""
    code = written.str.strip().str.upper()
    if not (code != "").any():
        return code
    short = code.str.fullmatch(r"\d{4}")
    if short.any():
        example = code[short].iloc[0]
        notes.append(
            deferred.ngettext(
                "{n} commune code of 4 digits read with its leading zero (a spreadsheet drops "
                "it: {example} is 0{example})",
                "{n} commune codes of 4 digits read with their leading zero (a spreadsheet "
                "drops it: {example} is 0{example})",
                short.sum(),
                example=example,
            )
        )
        code = code.where(~short, "0" + code)
    for pattern, commune in ARRONDISSEMENTS:
        district = code.str.fullmatch(pattern)
        if district.any():
            name = reference.communes["name"].get(commune, "")
            notes.append(
                deferred.ngettext(
                    "{n} municipal arrondissement code counted in its commune {commune} ({name})",
                    "{n} codes counted in their commune {commune} ({name})",
                    district.sum(),
                    commune=commune,
                    name=name,
                )
            )
            code = code.where(~district, commune)
    given = code != ""
    known = (given & code.isin(reference.communes.index)).to_numpy()
    shaped = code.str.fullmatch(COMMUNE_CODE)
    checks.add(
        given & ~shaped,
        "insee_commune",
        Text("an INSEE commune code of 5 characters, like 69123 or 2A004"),
        written,
    )
    checks.add(
        given & shaped & ~known,
        "insee_commune",
        Text("a commune code of the INSEE reference (COG 2026)"),
        written,
    )
    return code.where(known, "")


def _place_points(
    checks: _Checks,
    lat: pd.Series,
    lon: pd.Series,
    located: np.ndarray,
    reference: Dataset,
    dep: pd.Series,
    notes: list,
) -> np.ndarray:
    """Fill ``dep`` with each located point's département; flag points outside France.

    Returns the rows whose coordinates look swapped (in France once exchanged).
    """
    departements = reference.departements
    swapped = np.zeros(len(lat), dtype=bool)
    where = np.flatnonzero(located)
    if not len(where):
        return swapped
    x, y = lon.to_numpy()[where], lat.to_numpy()[where]
    codes, distance = locate_points(x, y, departements)
    accepted = distance <= NEAREST_TOLERANCE_M
    near = accepted & (distance > 0)
    if near.any():
        notes.append(
            deferred.ngettext(
                "{n} point lies outside the simplified boundaries by less than {km} km: it "
                "was given the nearest département",
                "{n} points lie outside the simplified boundaries by less than {km} km: each "
                "was given the nearest département",
                near.sum(),
                km=Number(NEAREST_TOLERANCE_M / 1000),
            )
        )
    dep.iloc[where[accepted]] = codes[accepted]
    out = where[~accepted]
    if not len(out):
        return swapped
    out_lat, out_lon = y[~accepted], x[~accepted]
    swap_codes = np.full(len(out), "", dtype=object)
    can_swap = np.abs(out_lon) <= 90
    if can_swap.any():
        exchanged, gap = locate_points(out_lat[can_swap], out_lon[can_swap], departements)
        swap_codes[can_swap] = np.where(gap <= NEAREST_TOLERANCE_M, exchanged, "")
    swapped[out[swap_codes != ""]] = True
    names = {
        code: PlaceName(fr, en)
        for code, fr, en in zip(
            departements.index, departements["name_fr"], departements["name_en"], strict=True
        )
    }
    expected = np.full(len(lat), "", dtype=object)
    got = np.full(len(lat), "", dtype=object)
    got[out] = [
        Text("lat {lat}, lon {lon}", lat=Degrees(a), lon=Degrees(b))
        for a, b in zip(out_lat, out_lon, strict=True)
    ]
    expected[out] = [
        Text(
            "a point in France (latitude and longitude look swapped: exchanged, it falls in "
            "{name}, département {code})",
            name=names.get(swap, swap),
            code=swap,
        )
        if swap
        else Text("a point in France or its overseas regions")
        for swap in swap_codes
    ]
    outside = np.zeros(len(lat), dtype=bool)
    outside[out] = True
    checks.add(outside, "lat", pd.Series(expected), pd.Series(got))
    return swapped


def _check_communes(
    checks: _Checks,
    lat: pd.Series,
    lon: pd.Series,
    code: pd.Series,
    reference: Dataset,
    dep: pd.Series,
    notes: list,
) -> None:
    """A point and its commune must agree on the département, within the boundaries' error.

    Within BORDER_TOLERANCE_M of the commune's département the commune decides (as for our
    own sites, geo.core.regions.apply_commune_reference); farther away it is a problem.
    Rows with a commune code and no point take the commune's département.
    """
    communes = reference.communes
    commune_dep = code.map(communes["insee_dep"]).fillna("")
    only_commune = (dep == "") & (commune_dep != "") & lat.isna()
    dep[only_commune] = commune_dep[only_commune]
    differ = ((dep != "") & (commune_dep != "") & (dep != commune_dep)).to_numpy()
    if not differ.any():
        return
    where = np.flatnonzero(differ)
    projected = dict(
        zip(reference.departements.index, _projected(reference.departements), strict=True)
    )
    targets = commune_dep.to_numpy()[where]
    polygons = np.array([projected.get(t) for t in targets], dtype=object)
    px, py = _TO_LAMBERT.transform(lon.to_numpy()[where], lat.to_numpy()[where])
    gap = shapely.distance(shapely.points(px, py), polygons)
    close = np.nan_to_num(gap, nan=np.inf) <= BORDER_TOLERANCE_M
    if close.any():
        dep.iloc[where[close]] = targets[close]
        notes.append(
            deferred.ngettext(
                "{n} point takes its commune's département, being within the {km} km error of "
                "the boundaries from it",
                "{n} points take their commune's département, being within the {km} km error "
                "of the boundaries from it",
                close.sum(),
                km=Number(BORDER_TOLERANCE_M / 1000),
            )
        )
    far = where[~close]
    if not len(far):
        return
    communes_far = code.to_numpy()[far]
    expected = np.full(len(dep), "", dtype=object)
    got = np.full(len(dep), "", dtype=object)
    expected[far] = [
        Text("a commune in département {code} (the point's)", code=d) for d in dep.to_numpy()[far]
    ]
    got[far] = [
        Text("{code} ({name}, département {dep})", code=c, name=name, dep=d)
        for c, name, d in zip(
            communes_far,
            communes["name"].reindex(communes_far).to_numpy(),
            communes["insee_dep"].reindex(communes_far).to_numpy(),
            strict=True,
        )
    ]
    mask = np.zeros(len(dep), dtype=bool)
    mask[far] = True
    checks.add(mask, "insee_commune", pd.Series(expected), pd.Series(got))


def locate_points(
    x: np.ndarray, y: np.ndarray, polygons, within_m: float = NEAREST_TOLERANCE_M
) -> tuple[np.ndarray, np.ndarray]:
    """For WGS84 points: the code (index) of the polygon holding each one, else of the
    nearest polygon within ``within_m`` metres, and the distance to it (0 inside). Points
    farther from every polygon get "" and inf: the tree skips them without measuring."""
    codes = np.full(len(x), "", dtype=object)
    distance = np.zeros(len(x))
    if not len(x):
        return codes, distance
    index = polygons.index.to_numpy()
    tree = shapely.STRtree(shapely.points(x, y))
    polygon_at, point_at = tree.query(polygons.geometry.to_numpy(), predicate="contains")
    codes[point_at] = index[polygon_at]
    missing = np.flatnonzero(codes == "")
    if not len(missing):
        return codes, distance
    distance[missing] = np.inf
    px, py = _TO_LAMBERT.transform(x[missing], y[missing])
    points = shapely.points(px, py)
    projected = _projected(polygons)
    point_at, polygon_at = shapely.STRtree(projected).query(
        points, predicate="dwithin", distance=within_m
    )
    if len(point_at):
        gap = shapely.distance(points[point_at], projected[polygon_at])
        order = np.lexsort((gap, point_at))  # per point, the nearest polygon first
        point_at, polygon_at, gap = point_at[order], polygon_at[order], gap[order]
        first = np.r_[True, point_at[1:] != point_at[:-1]]
        codes[missing[point_at[first]]] = index[polygon_at[first]]
        distance[missing[point_at[first]]] = gap[first]
    return codes, distance


_PROJECTED: list[tuple[object, np.ndarray]] = []


def _projected(polygons) -> np.ndarray:
    """The polygons in Lambert-93 (metres), computed once for the last boundary frame used
    (the reference lives as long as the app; the entry holds it, so it cannot be confused)."""
    if not _PROJECTED or _PROJECTED[0][0] is not polygons:
        _PROJECTED[:] = [(polygons, polygons.geometry.to_crs(LAMBERT93).to_numpy())]
    return _PROJECTED[0][1]


def _sites_frame(
    raw: RawTable,
    mapping: ColumnMapping,
    text: dict[str, pd.Series],
    lat: pd.Series,
    lon: pd.Series,
    code: pd.Series,
    dep: pd.Series,
    amount: pd.Series,
    reference: Dataset,
) -> pd.DataFrame:
    """The UserSites frame of every row (the caller keeps the good ones)."""
    drawn = dep != ""
    region = dep.map(reference.departements["insee_reg"]).fillna("")
    columns = {
        "line": pd.Series(raw.lines, dtype=object),
        "name": text["name"],
        "lat": lat.where(drawn & lat.notna() & lon.notna()),
        "lon": lon.where(drawn & lat.notna() & lon.notna()),
        "insee_commune": code,
        "insee_dep": dep,
        "insee_reg": region,
        **{role: text[role] for role in TEXT_ROLES},
        "url": text["url"],
        "amount": amount.astype(float),
    }
    frame = pd.DataFrame(columns)
    for attribute, column in zip(
        site_attributes(raw, mapping), mapping.attributes(list(raw.frame.columns)), strict=True
    ):
        frame[attribute] = raw.frame[column].astype(str)
    return frame


def site_attributes(raw: RawTable, mapping: ColumnMapping) -> tuple[str, ...]:
    """The free columns' names in UserSites; one named like a standard column gets ' (file)'."""
    return tuple(
        f"{column} (file)" if column in SITE_COLUMNS else column
        for column in mapping.attributes(list(raw.frame.columns))
    )
