"""Render the folium map to HTML and assert on fragments (element ids are random: no goldens)."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import shapely
from helpers import copy_data, edit_csv

from geo import presentation, style
from geo import webmap as mapping
from geo.core import vocabulary as voc
from geo.core.dataset import load_dataset
from geo.core.filters import SiteFilter
from geo.core.state import ViewState
from geo.core.symbols import SHAPE_KEYS
from geo.core.view import compute_view

VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"
XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_NOTES = "<script>alert(2)</script> & more"


def view_of(dataset, **kwargs):
    state_fields = {k: kwargs.pop(k) for k in ("metric", "view", "departements") if k in kwargs}
    return compute_view(dataset, ViewState(filter=SiteFilter(**kwargs), **state_fields))


def render(dataset, view, **kwargs) -> str:
    kwargs.setdefault("vendor_dir", VENDOR_DIR)
    return mapping.build_map(dataset, view, **kwargs).get_root().render()


def decoded(text: str) -> str:
    """The page with JSON string escapes (\\u003c, \\") turned back into characters."""
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return text.replace('\\"', '"')


def marker_data(page: str) -> list[dict]:
    """The markers' JSON data as the browser receives it (one entry per marker)."""
    found = re.findall(r"^\s*var data = (\[.*\]);$", page, flags=re.MULTILINE)
    markers = [json.loads(text) for text in found if '"popup"' in text or text == "[]"]
    assert len(markers) == 1, "expected one FastMarkerCluster element"
    return [site for _lat, _lon, site in markers[0]]


def marker_icons(page: str) -> dict[str, str]:
    """Site id -> the SVG of its marker."""
    return {site["id"]: site["icon"] for site in marker_data(page)}


FILTERS = [
    {},
    {"initiatives": ("skilling",)},
    {"initiatives": ("startups",)},
    {"categories": ("data_centre",)},
    {"regions": ("11",)},
    {"text": "lille"},
    {"text": "no such place"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: json.dumps(f) if f else "all")
def test_one_marker_per_filtered_located_site(dataset, filters):
    view = view_of(dataset, **filters)
    icons = marker_icons(render(dataset, view))
    assert sorted(icons) == sorted(view.sites["id"])


@pytest.mark.parametrize("filters", FILTERS[:5], ids=lambda f: json.dumps(f) if f else "all")
def test_legend_explains_every_colour_shape_and_drawing_on_the_map(dataset, filters):
    view = view_of(dataset, **filters)
    legend = mapping.marker_legend_html(view.sites)
    page = decoded(render(dataset, view))
    assert legend.replace("\n", "") in page.replace("\\n", "")
    colours = {style.marker_colour(v) for v in view.sites["initiatives"]}
    for colour, label in [
        *((style.INITIATIVE_COLOURS[k], voc.INITIATIVES[k]) for k in voc.INITIATIVES),
        (style.SEVERAL_INITIATIVES_COLOUR, style.SEVERAL_INITIATIVES_LABEL),
    ]:
        assert (f"<span>{label}</span>" in legend) == (colour in colours), label
    for category in set(view.sites["category"]):
        assert f"symbol-{style.CATEGORY_SHAPES[category]}" in legend
        assert f"<span>{html.escape(voc.CATEGORIES[category])}</span>" in legend
    for drawing in {style.PRECISION_DRAWING[p] for p in view.sites["precision"]}:
        assert f"drawing-{drawing}" in legend
        assert f"<span>{html.escape(style.DRAWING_LABELS[drawing])}</span>" in legend


def test_legend_of_an_empty_view_says_so(dataset):
    view = view_of(dataset, text="no such place")
    assert "No site matches." in mapping.marker_legend_html(view.sites)


def test_html_in_data_is_shown_as_text_everywhere(dataset, tmp_path):
    data = copy_data(tmp_path)
    edit_csv(
        data / "sites.csv", "station-f", name=XSS_NAME, notes=XSS_NOTES, city="Paris (<b>Paris</b>)"
    )
    broken = load_dataset(data)
    view = compute_view(broken, ViewState(filter=SiteFilter(text="<i>")))
    page = render(broken, compute_view(broken, ViewState()))
    for raw in (XSS_NAME, "<script>alert(2)", "<b>Paris</b>"):
        assert raw not in page
        assert raw not in decoded(page)
    shown = decoded(page)
    assert html.escape(XSS_NAME) in shown  # popup title, tooltip and aria-label
    assert shown.count(html.escape(XSS_NAME)) >= 3
    assert html.escape(XSS_NOTES) in shown
    assert "&lt;b&gt;Paris&lt;/b&gt;" in shown
    # The free-text filter (typed by users, carried in links) reaches the legend escaped.
    legend = mapping.choropleth_legend_html(view)
    assert "&lt;i&gt;" in legend
    assert "<i>" not in legend


def test_only_http_urls_become_links():
    site = {
        "name": "n", "organisation": "o", "category": "startup_hub",
        "initiatives": ("startups",), "programmes": (), "audiences": (), "city": "",
        "status": "partner", "precision": "exact_site", "coord_basis": "", "notes": "",
        "source_urls": ("javascript:alert(1)", "https://example.org/a?b=1&c=<2>"),
        "source_note": "",
    }  # fmt: skip
    popup = mapping.site_popup_html(site)
    assert "javascript:" not in popup
    assert popup.count("<a ") == 1
    assert 'href="https://example.org/a?b=1&amp;c=&lt;2&gt;"' in popup
    assert 'target="_blank" rel="noopener noreferrer"' in popup


def test_served_map_loads_only_vendored_files(dataset):
    m = mapping.build_map(dataset, view_of(dataset))
    page = m.get_root().render()
    assert mapping.map_links(m)
    assert all(link.startswith("/app/static/vendor/") for link in mapping.map_links(m))
    sources = re.findall(r'<script[^>]+src="([^"]+)"', page)
    sheets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', page)
    assert sources
    assert sheets
    assert all(url.startswith("/app/static/vendor/") for url in sources + sheets)
    assert not re.search(r'(?:src|href)="https?://[^"]+\.(?:js|css)\b', page)
    for unused in ("jquery", "bootstrap", "font-awesome", "fontawesome", "awesome-markers"):
        assert unused not in page.lower()
    assert 'L.Icon.Default.imagePath = "/app/static/vendor/leaflet/images/"' in page


def test_inline_map_needs_no_server_and_no_internet(dataset):
    page = render(dataset, view_of(dataset), assets="inline")
    assert "<script src" not in page
    assert 'rel="stylesheet"' not in page
    assert "Leaflet 1.9.4" in page  # leaflet.js itself
    assert "L.MarkerClusterGroup" in page
    assert "url(images/" not in page
    assert "data:image/png;base64," in page
    assert not re.search(r'(?:src|href)=["\']?https?://[^"\']+\.(?:js|css)\b', page)
    assert '"scale": 10000' in page  # polygons embedded, not fetched


def test_inline_assets_need_the_vendored_files(dataset, tmp_path):
    with pytest.raises(mapping.AssetsMissingError, match="make assets"):
        mapping.build_map(dataset, view_of(dataset), assets="inline", vendor_dir=tmp_path)
    assert mapping.missing_assets(tmp_path) == [*mapping.VENDOR_JS, *mapping.VENDOR_CSS]
    assert mapping.missing_assets(VENDOR_DIR) == []


def test_unknown_asset_mode_is_refused(dataset):
    with pytest.raises(ValueError, match="assets must be one of served, inline, got 'cdn'"):
        mapping.build_map(dataset, view_of(dataset), assets="cdn")


def test_region_only_sites_are_hollow_and_exact_sites_solid(dataset):
    sites = dataset.located_sites()
    icons = marker_icons(render(dataset, view_of(dataset)))
    hollow = sites.index[sites["precision"] == "region_only"]
    assert len(hollow) == 2
    for site_id in hollow:
        assert "drawing-hollow" in icons[site_id]
        assert "stroke-dasharray" in icons[site_id]
        assert re.findall(r'fill="([^"]+)"', icons[site_id]) == ["none", "none"]
    for site_id in sites.index[sites["precision"] == "exact_site"]:
        assert "drawing-solid" in icons[site_id]
        assert "stroke-dasharray" not in icons[site_id]
    for site_id in sites.index[sites["precision"].isin(["commune", "city_centre"])]:
        assert "drawing-approximate" in icons[site_id]
        assert f'fill-opacity="{style.APPROXIMATE_FILL_OPACITY}"' in icons[site_id]


def test_marker_colour_and_shape_follow_initiative_and_category(dataset):
    icons = marker_icons(render(dataset, view_of(dataset)))
    for site_id, site in dataset.located_sites().iterrows():
        assert f"symbol-{style.CATEGORY_SHAPES[site['category']]}" in icons[site_id]
        assert style.marker_colour(site["initiatives"]) in icons[site_id]


@pytest.mark.parametrize("shape", sorted(SHAPE_KEYS))
@pytest.mark.parametrize("drawing", ["solid", "approximate", "hollow"])
def test_every_marker_symbol_is_well_formed_svg(shape, drawing):
    root = ET.fromstring(mapping.marker_svg(shape, "#0072B2", drawing, label="A & B"))
    assert root.get("aria-label") == "A & B"
    assert len(root) == (1 if drawing == "solid" else 2)


def test_region_tooltips_name_each_region_with_its_value(dataset):
    """In English the regions bear their English names (INSEE's French ones in fr and de)."""
    view = view_of(dataset)
    page = decoded(render(dataset, view))
    for row in view.metrics.to_dict("records"):
        value = presentation.format_metric_value(float(row["sites"]), view.metric)
        assert f"<strong>{html.escape(row['name_en'])}</strong><br>Sites: <b>{value}</b>" in page
    assert "<strong>French Guiana</strong>" in page
    assert "<b>9 sites</b>" in page
    assert "<b>1 site</b>" in page
    assert "<b>0 sites</b>" in page


def test_choropleth_colours_come_from_the_view_classes(dataset):
    view = view_of(dataset, initiatives=("skilling",), metric="partners")
    page = decoded(render(dataset, view))
    for code, value in view.metrics["partners"].items():
        assert f'"{code}": {{"fillColor": "{view.classes.colour_of(value)}"}}' in page
    legend = mapping.choropleth_legend_html(view)
    assert "Partner institutions per region" in legend
    assert f"background:{style.NONE_COLOUR}" in legend
    assert "<span>None</span>" in legend
    assert "Skilling" in legend


def test_amount_legend_has_unit_and_not_disclosed_class(dataset):
    view = view_of(dataset, metric="disclosed_eur")
    legend = mapping.choropleth_legend_html(view)
    assert "Disclosed amount (EUR) per region" in legend
    assert "<span>Not disclosed</span>" in legend
    assert "EUR 2 bn" in legend


def test_selected_region_is_outlined(dataset):
    page = decoded(render(dataset, view_of(dataset), selected_region="44"))
    assert '"44": {"color": "#111111", "fillColor": ' in page


def test_departement_layer_only_when_switched_on(dataset):
    off = render(dataset, view_of(dataset))
    on = render(dataset, view_of(dataset, departements=True))
    assert mapping.DEPARTEMENTS_LAYER not in decoded(off)
    assert mapping.DEPARTEMENTS_LAYER in decoded(on)
    assert on.count('"insee_dep"') > off.count('"insee_dep"')


def test_view_is_fitted_to_its_bounds(dataset):
    page = render(dataset, view_of(dataset, view="corsica"))
    assert '"corsica", [[41.3, 8.5], [43.1, 9.6]]' in page


def test_published_polygons_are_fetched_not_embedded(dataset, tmp_path):
    urls = mapping.publish_geometry(dataset, tmp_path)
    assert set(urls) == {"regions", "departements", "countries"}
    files = sorted((tmp_path / "geo").glob("*.json"))
    assert [f.name.split("-")[0] for f in files] == ["countries", "departements", "regions"]
    assert all(
        url == f"/app/static/geo/{p.name}"
        for url, p in zip(
            [urls["countries"], urls["departements"], urls["regions"]], files, strict=True
        )
    )
    regions = json.loads((tmp_path / "geo" / urls["regions"].rsplit("/", 1)[1]).read_text())
    assert len(regions["features"]) == 18
    assert set(regions["features"][0][0]) == {"insee_reg", "name_fr"}
    mtimes = [f.stat().st_mtime_ns for f in files]
    assert mapping.publish_geometry(dataset, tmp_path) == urls
    assert [f.stat().st_mtime_ns for f in files] == mtimes
    view = view_of(dataset, departements=True)
    page = render(dataset, view, geometry=urls)
    assert '"scale": 10000' not in page
    for url in urls.values():
        assert json.dumps(url) in page
    inline = render(dataset, view, assets="inline", geometry=urls)
    assert '"scale": 10000' in inline
    assert "/app/static/geo/" not in inline


def test_base_map_does_not_depend_on_the_view(dataset):
    def script(m):
        return re.sub(r"_[0-9a-f]{32}", "", m.get_root().render())

    assert script(mapping.build_base_map(dataset)) == script(mapping.build_base_map(dataset))
    assert "Sites per region" not in script(mapping.build_base_map(dataset))


def test_clicked_region_reads_only_region_features():
    codes = ["11", "53"]
    assert mapping.clicked_region({"properties": {"insee_reg": "53"}}, codes) == "53"
    assert mapping.clicked_region({"properties": {"insee_reg": "99"}}, codes) is None
    assert mapping.clicked_region({"type": "Feature", "properties": {}}, codes) is None
    assert mapping.clicked_region(None, codes) is None
    assert mapping.clicked_region({"properties": "53"}, codes) is None


def test_importing_geo_mapping_leaves_streamlit_out():
    code = "import sys, geo.webmap; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_layers_follow_the_view_state(dataset):
    state = ViewState(filter=SiteFilter(initiatives=("skilling",)), view="paris")
    view = compute_view(dataset, replace(state, departements=True))
    names = [g.layer_name for g in mapping.build_layers(dataset, view)]
    assert names == ["Regions: Sites", mapping.DEPARTEMENTS_LAYER, f"Sites ({len(view.sites)})"]


def unpack(packed: dict) -> list[tuple[dict, shapely.MultiPolygon]]:
    """What the map's script does with a packed layer, in Python."""
    features = []
    for properties, polygons in packed["features"]:
        shapes = []
        for rings in polygons:
            coords = [
                np.cumsum(np.reshape(flat, (-1, 2)), axis=0) / packed["scale"] for flat in rings
            ]
            shapes.append(shapely.Polygon(coords[0], coords[1:]))
        features.append((properties, shapely.MultiPolygon(shapes)))
    return features


def test_packed_polygons_unpack_to_valid_regions_close_to_the_source(dataset):
    regions = unpack(mapping.web_layers(dataset)["regions"])
    assert [p["insee_reg"] for p, _ in regions] == list(dataset.regions.index)
    for properties, shape in regions:
        source = dataset.regions.at[properties["insee_reg"], "geometry"]
        assert shape.is_valid
        # Simplified to the source's ~1 km grid: the symmetric difference stays small; the
        # small islands overseas change most (Mayotte about 3.6%).
        bound = 0.01 if dataset.regions.at[properties["insee_reg"], "zone"] == "metro" else 0.05
        assert shape.symmetric_difference(source).area < bound * source.area


def test_markers_made_once_per_dataset_equal_those_made_per_view(dataset):
    from folium.plugins import FastMarkerCluster

    from geo.webmap.layers import marker_rows, site_group

    view = compute_view(dataset, ViewState(filter=SiteFilter(initiatives=("skilling",))))
    rows = marker_rows(dataset.sites)
    assert set(view.sites["id"]) <= set(rows)
    assert len(rows) == int(dataset.sites.geometry.notna().sum())

    def marker_data(group):
        (cluster,) = [c for c in group._children.values() if isinstance(c, FastMarkerCluster)]
        return cluster.data

    assert marker_data(site_group(view, rows)) == marker_data(site_group(view))
