"""The web map's HTML fragments draw the shared legend and symbol model, escaped by templates."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import pytest

from geo.core import legend
from geo.core.filters import SiteFilter
from geo.core.regions import METRICS
from geo.core.state import ViewState
from geo.core.symbols import SHAPE_KEYS, shape_vertices
from geo.core.view import compute_view
from geo.core.vocabulary import NOT_DISCLOSED
from geo.webmap import fragments, geometry

VIEWS = [
    {},
    {"metric": "partners", "filter": SiteFilter(initiatives=("skilling",))},
    {"metric": "disclosed_eur"},
    {"filter": SiteFilter(categories=("data_centre",))},
    {"filter": SiteFilter(text="no such place")},
]


def rows_of(fragment: str) -> list[str]:
    """The label of every legend row (its last span), in order."""
    return re.findall(r'<div class="row">(?:(?!</div>).)*<span>([^<]*)</span></div>', fragment)


@pytest.mark.parametrize("state", VIEWS, ids=lambda s: str(sorted(s)))
def test_web_legends_list_the_model_entries_in_order(dataset, state):
    filt = state.get("filter", SiteFilter())
    view = compute_view(dataset, ViewState(filter=filt, metric=state.get("metric", "sites")))
    section = legend.choropleth_section(view)
    choropleth = fragments.choropleth_legend_html(view)
    assert f'<div class="title">{section.title} per region</div>' in choropleth
    assert rows_of(choropleth) == [e.label for e in section.entries]
    markers = fragments.marker_legend_html(view.sites)
    expected = [e.label for s in legend.marker_sections(view.sites) for e in s.entries]
    if expected:
        expected.append(fragments.CLUSTER_LEGEND_LABEL)
    assert rows_of(markers) == expected
    for marker_section in legend.marker_sections(view.sites):
        assert f'<div class="section">{marker_section.title}</div>' in markers


def test_none_class_shows_only_when_some_region_is_zero(dataset):
    view = compute_view(dataset, ViewState())
    has_zero = bool((view.metrics["sites"] == 0).any())
    assert ("<span>None</span>" in fragments.choropleth_legend_html(view)) == has_zero


@pytest.mark.parametrize("shape", SHAPE_KEYS)
def test_marker_outline_is_the_model_shape_in_the_24px_box(shape):
    root = ET.fromstring(fragments.marker_svg(shape, "#0072B2", "solid"))
    points = root[0].get("points").split()
    assert len(points) == len(shape_vertices(shape))
    x, y = (float(v) for v in points[0].split(","))
    vx, vy = shape_vertices(shape)[0]
    assert (x, y) == pytest.approx((12 + 12 * vx, 12 - 12 * vy), abs=0.01)
    assert root.get("aria-hidden") == "true"


def test_templates_escape_every_data_value():
    tooltip = fragments.site_tooltip_html(
        {"name": "<b>A</b> & 'B'", "category": "startup_hub", "city": '"C"'}
    )
    assert tooltip == (
        "<strong>&lt;b&gt;A&lt;/b&gt; &amp; &#x27;B&#x27;</strong><br>"
        "<span>Startup hub · &quot;C&quot;</span>"
    )
    svg = fragments.marker_svg("star", "#000", "hollow", label='x" onload="y', site_id="<id>")
    root = ET.fromstring(svg)
    assert root.get("aria-label") == 'x" onload="y'
    assert root.get("data-site-id") == "<id>"
    assert root.get("onload") is None


def test_region_table_has_caption_scoped_headers_and_escaped_values():
    metric = METRICS["sites"]
    names = {"11": "Île-de-France", "99": "<i>X</i> & 'Y'"}
    text = fragments.region_table_html(names, {"11": 9.0, "99": None}, metric, "A < B")
    root = ET.fromstring(text)
    assert root.tag == "table"
    assert "".join(root.find("caption").itertext()) == "Sites per region A < B"
    assert [th.get("scope") for th in root.iter("th")] == ["col", "col", "row", "row"]
    rows = [
        (tr.get("data-region"), tr.find("th").text, tr.find("td").text) for tr in root.find("tbody")
    ]
    assert rows == [("99", "<i>X</i> & 'Y'", NOT_DISCLOSED), ("11", "Île-de-France", "9 sites")]
    assert "<i>" not in text


def test_fragments_are_one_line():
    svg = fragments.marker_svg("circle", "#123456", "approximate", label="n")
    assert "\n" not in svg
    assert svg.count("<polygon ") == 2


def test_web_layers_are_computed_afresh_not_cached_behind_the_dataset(dataset):
    first, second = geometry.web_layers(dataset), geometry.web_layers(dataset)
    assert first == second
    assert first is not second


def test_popup_says_how_the_point_was_obtained(dataset):
    from geo.webmap.fragments import site_popup_html

    site = dataset.sites.loc["dc-petit-landau"]
    popup = site_popup_html(site)
    assert "Point: reference point of the commune" in popup
    hq = dataset.sites.loc["ms-france-hq"]
    assert f"<tr><th>Address</th><td>{html.escape(hq['address'])}</td></tr>" in site_popup_html(hq)
