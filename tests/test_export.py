"""Exports: requests and file names, data files, the standalone HTML map, atomic writes."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest

from geo import export
from geo.core.filters import SiteFilter
from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.export import ExportError, ExportRequest, OutputExistsError
from geo.report import render as static

ALL = ViewState()
SKILLING = ViewState(filter=SiteFilter(initiatives=("skilling",)))
NOTHING = ViewState(filter=SiteFilter(text="no such site anywhere"))


def request(state=ALL, fmt="png", **options) -> ExportRequest:
    options.setdefault("made_on", date(2024, 5, 13))
    return ExportRequest(state, fmt, **options)


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


# --- requests and names ---------------------------------------------------------------------


def test_formats_and_layouts():
    assert list(export.FORMATS) == [
        "png", "svg", "pdf", "html", "csv", "geojson", "metrics-csv", "investments-csv",
        "investments-geojson",
    ]  # fmt: skip
    assert list(export.LAYOUTS) == ["a4-landscape", "a4-portrait", "slide-16x9", "square"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"fmt": "gif"},
            "format 'gif' is not one of: png, svg, pdf, html, csv, geojson, metrics-csv, "
            "investments-csv, investments-geojson",
        ),
        (
            {"layout": "a3"},
            "layout 'a3' is not one of: a4-landscape, a4-portrait, slide-16x9, square",
        ),
        ({"dpi": 1000}, "dpi expected a whole number from 50 to 600, got 1000"),
        ({"dpi": 72.5}, "dpi expected a whole number from 50 to 600, got 72.5"),
        ({"dpi": True}, "dpi expected a whole number from 50 to 600, got True"),
        ({"title": "x" * 201}, "title expected at most 200 characters, got 201"),
    ],
)
def test_bad_request_is_refused_with_a_clear_message(kwargs, message):
    fields = {"state": ALL, "fmt": "png", **kwargs}
    with pytest.raises(ExportError) as err:
        ExportRequest(**fields)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("state", "fmt", "options", "name"),
    [
        (ALL, "png", {}, "france-ai-investment_all_a4-landscape.png"),
        (SKILLING, "pdf", {}, "france-ai-investment_skilling_a4-landscape.pdf"),
        (SKILLING, "png", {"dpi": 150}, "france-ai-investment_skilling_a4-landscape_150dpi.png"),
        (
            ViewState(filter=SiteFilter(initiatives=("skilling", "startups")), metric="partners"),
            "svg",
            {"layout": "square"},
            "france-ai-investment_skilling-startups_partners_square.svg",
        ),
        (
            ViewState(metric="sites_per_million"),
            "html",
            {},
            "france-ai-investment_all_sites-per-million_interactive-map.html",
        ),
        (
            ViewState(filter=SiteFilter(text="lille")),
            "csv",
            {},
            "france-ai-investment_filtered_sites.csv",
        ),
        (SKILLING, "geojson", {}, "france-ai-investment_skilling_sites.geojson"),
        (
            ViewState(metric="partners"),
            "metrics-csv",
            {},
            "france-ai-investment_all_region-metrics.csv",
        ),
    ],
)
def test_file_name_says_what_the_file_holds(state, fmt, options, name):
    assert export.export_file_name(ExportRequest(state, fmt, **options)) == name


def test_metric_without_values_for_the_filters_is_refused(dataset):
    state = ViewState(filter=SiteFilter(initiatives=("skilling",)), metric="disclosed_eur")
    with pytest.raises(ExportError) as err:
        export.render_export(dataset, request(state, "png", dpi=50))
    assert str(err.value) == (
        "metric 'disclosed_eur' has no values for these filters; choose one of: sites, "
        "partners, data_centres, commitments, sites_per_million, announced_eur, announced_mw"
    )
    assert export.render_export(dataset, request(state, "csv"))  # data exports do not need it


# --- images through the API -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_image_formats_start_with_their_signature(dataset, fmt):
    data = export.render_export(dataset, request(SKILLING, fmt, dpi=50, layout="square"))
    signature = {"png": b"\x89PNG\r\n\x1a\n", "svg": b"<?xml", "pdf": b"%PDF-"}[fmt]
    assert data.startswith(signature)


# --- data exports ---------------------------------------------------------------------------


def test_sites_csv_lists_matching_sites_with_regions_and_sources(dataset):
    rows = read_csv(export.render_export(dataset, request(SKILLING, "csv")))
    matching = dataset.sites[dataset.sites["initiatives"].map(lambda v: "skilling" in v)]
    assert [r["id"] for r in rows] == list(matching.sort_values("line")["id"])
    assert list(rows[0]) == list(export.SITE_EXPORT_COLUMNS)
    france_travail = next(r for r in rows if r["id"] == "france-travail")
    assert france_travail["region_name"] == "Île-de-France"
    assert france_travail["insee_dep"] == "75"
    assert france_travail["departement_name"] == "Paris"
    assert france_travail["location_confirmed"] in ("yes", "no")
    site = dataset.sites.loc["france-travail"]
    assert france_travail["source_urls"] == " ".join(site["source_urls"])
    assert france_travail["audiences"] == "; ".join(site["audiences"])
    simplon = next(r for r in rows if r["id"] == "simplon-hq")
    assert simplon["programmes"] == "geniales; ai-schools; simplon-genai-module"
    unlocated = next(r for r in rows if r["id"] == "cellenza-training")
    assert unlocated["lat"] == unlocated["lon"] == unlocated["region_name"] == ""


def test_sites_geojson_is_rfc7946_with_the_same_sites(dataset):
    data = export.render_export(dataset, request(SKILLING, "geojson"))
    collection = json.loads(data)
    csv_ids = [r["id"] for r in read_csv(export.render_export(dataset, request(SKILLING, "csv")))]
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == csv_ids
    by_id = {f["id"]: f for f in collection["features"]}
    rennes = by_id["rennes-sb"]
    site = dataset.sites.loc["rennes-sb"]
    assert rennes["geometry"] == {"type": "Point", "coordinates": [site["lon"], site["lat"]]}
    assert rennes["properties"]["region_name"] == "Bretagne"
    assert rennes["properties"]["source_urls"] == " ".join(site["source_urls"])
    assert by_id["cellenza-training"]["geometry"] is None
    assert by_id["cellenza-training"]["properties"]["lat"] is None
    assert b"NaN" not in data


def test_site_exports_carry_the_commune_note(dataset):
    rows = {r["id"]: r for r in read_csv(export.render_export(dataset, request(ALL, "csv")))}
    note = dataset.sites.at["simplon-hq", "commune_note"]
    assert note.startswith("departement 93 from the commune reference (93048)")
    assert rows["simplon-hq"]["commune_note"] == note
    assert rows["station-f"]["commune_note"] == ""
    assert rows["cellenza-training"]["commune_note"] == ""  # unlocated: empty, not 'nan'
    features = json.loads(export.render_export(dataset, request(ALL, "geojson")))["features"]
    props = {f["id"]: f["properties"] for f in features}
    assert props["simplon-hq"]["commune_note"] == note
    assert props["cellenza-training"]["commune_note"] == ""


def test_a_commune_note_that_looks_like_a_formula_is_neutralised(dataset):
    view = compute_view(dataset, ALL)
    sites = view.sites.copy()
    sites.loc["simplon-hq", "commune_note"] = '=HYPERLINK("http://example.invalid","x")'
    rows = read_csv(export.sites_csv(dataclasses.replace(view, sites=sites)))
    simplon = next(r for r in rows if r["id"] == "simplon-hq")
    assert simplon["commune_note"] == '\'=HYPERLINK("http://example.invalid","x")'


def test_metrics_csv_has_every_region_and_no_geometry(dataset):
    rows = read_csv(export.render_export(dataset, request(SKILLING, "metrics-csv")))
    assert len(rows) == 18
    assert "geometry" not in rows[0]
    grand_est = next(r for r in rows if r["insee_reg"] == "44")
    assert grand_est["name_fr"] == "Grand Est"
    assert grand_est["sites"] == "0"  # no skilling site there
    assert grand_est["disclosed_eur"] == ""  # the press figure is infrastructure, filtered out
    all_rows = read_csv(export.render_export(dataset, request(ALL, "metrics-csv")))
    grand_est = next(r for r in all_rows if r["insee_reg"] == "44")
    assert grand_est["sites"] == "3"
    assert float(grand_est["disclosed_eur"]) == 2e9
    assert grand_est["has_data_centre"] == "yes"


def test_empty_selection_gives_header_only_data(dataset):
    rows = read_csv(export.render_export(dataset, request(NOTHING, "csv")))
    assert rows == []
    header = export.render_export(dataset, request(NOTHING, "csv")).decode().splitlines()
    assert header == [",".join(export.SITE_EXPORT_COLUMNS)]
    assert json.loads(export.render_export(dataset, request(NOTHING, "geojson")))["features"] == []


# --- interactive HTML -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def html_file(dataset, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html") / "map.html"
    return export.write_export(dataset, request(SKILLING, "html"), out)


def test_html_is_standalone_with_no_cdn(html_file):
    html = html_file.read_text(encoding="utf-8")
    tags = re.findall(r"<(?:script|link)\b[^>]*>", html, flags=re.IGNORECASE)
    external = [t for t in tags if re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", t)]
    assert external == []
    assert "L.map(" in html
    assert "leaflet" in html.lower()  # Leaflet itself is inside the file
    assert len(html) > 300_000


def test_html_holds_the_filtered_markers_and_polygons(dataset, html_file):
    html = html_file.read_text(encoding="utf-8")
    assert "Rennes School of Business" in html  # a skilling site
    assert "Azure France Central" not in html  # an infrastructure-only site
    assert "Île-de-France" in html or "\\u00ce" in html  # region polygons with names
    assert '"FeatureCollection"' in html or "FeatureCollection" in html


@pytest.mark.browser
def test_html_renders_offline_in_chromium(dataset, html_file, page):
    view_sites = len(
        dataset.sites[
            dataset.sites["initiatives"].map(lambda v: "skilling" in v)
            & dataset.sites.geometry.notna()
        ]
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(html_file.as_uri())
    page.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length >= 18")
    polygons = page.locator("path.leaflet-interactive").count()
    page.wait_for_function("document.querySelectorAll('.leaflet-marker-icon').length > 0")
    # A marker icon is one site, or a cluster whose text starts with how many sites it holds
    # (then words for screen readers).
    shown = page.evaluate(
        """[...document.querySelectorAll('.leaflet-marker-icon')].map(
            e => e.classList.contains('site-cluster') ? parseInt(e.textContent, 10) : 1)"""
    )
    assert errors == []
    assert polygons >= 18  # every region (plus countries)
    assert sum(shown) == view_sites  # every matching site, alone or in a cluster
    # Only the optional online basemap tiles were asked for; nothing the map needs.
    assert all("basemaps.cartocdn.com" in url for url in page.blocked)


# --- writing --------------------------------------------------------------------------------


def test_write_export_writes_and_refuses_to_overwrite(dataset, tmp_path):
    out = tmp_path / "sites.csv"
    path = export.write_export(dataset, request(SKILLING, "csv"), out)
    assert path == out
    first = out.read_bytes()
    assert first.startswith(b"id,name,")
    with pytest.raises(OutputExistsError) as err:
        export.write_export(dataset, request(ALL, "csv"), out)
    assert str(err.value) == f"{str(out)!r} already exists"
    assert out.read_bytes() == first
    export.write_export(dataset, request(ALL, "csv"), out, force=True)
    assert out.read_bytes() != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sites.csv"]


def test_write_export_into_a_folder_uses_the_default_name(dataset, tmp_path):
    path = export.write_export(dataset, request(SKILLING, "geojson"), tmp_path)
    assert path == tmp_path / "france-ai-investment_skilling_sites.geojson"
    assert oct(path.stat().st_mode & 0o777) == oct(0o644)


def test_write_export_needs_an_existing_folder_and_the_right_extension(dataset, tmp_path):
    with pytest.raises(ExportError) as err:
        export.write_export(dataset, request(ALL, "csv"), tmp_path / "missing" / "x.csv")
    assert (
        str(err.value) == f"folder {str(tmp_path / 'missing')!r} does not exist (create it first)"
    )
    with pytest.raises(ExportError) as err:
        export.write_export(dataset, request(ALL, "pdf"), tmp_path / "map.png")
    assert str(err.value) == "file name 'map.png' does not end in .pdf (format pdf)"
    assert export.write_export(dataset, request(ALL, "geojson"), tmp_path / "x.json").exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "x.json"]


def test_failure_while_rendering_leaves_nothing_behind(dataset, tmp_path, monkeypatch):
    out = tmp_path / "map.png"
    out.write_bytes(b"old report")

    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(static, "render_image", broken)
    with pytest.raises(RuntimeError):
        export.write_export(dataset, request(ALL, "png", dpi=50), out, force=True)
    assert out.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]


def test_failure_while_writing_removes_the_temporary_file(dataset, tmp_path, monkeypatch):
    out = tmp_path / "sites.csv"
    out.write_bytes(b"old data")

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export.os, "replace", no_space)
    with pytest.raises(ExportError) as err:
        export.write_export(dataset, request(ALL, "csv"), out, force=True)
    assert str(err.value) == f"cannot write {str(out)!r}: No space left on device"
    assert out.read_bytes() == b"old data"
    assert [p.name for p in tmp_path.iterdir()] == ["sites.csv"]


def test_format_size():
    assert export.format_size(812) == "812 bytes"
    assert export.format_size(48_300) == "48.3 KB"
    assert export.format_size(2_100_000) == "2.1 MB"
