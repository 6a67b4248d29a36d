"""The web map's layer of announced AI investments: markers, region-only symbols, legend, text."""

from __future__ import annotations

import json
import math
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from geo import style
from geo.core.regions import Metric
from geo.presentation import format_amount, format_capacity
from geo.webmap import investments as inv
from geo.webmap.elements import InvestmentMarkers
from geo.webmap.fragments import region_tooltip_html

HOSTILE = "<b>x</b>"
BLANK = {
    "partners": "",
    "amount": np.nan,
    "amount_max": np.nan,
    "qualifier": "",
    "currency": "",
    "capacity_mw": np.nan,
    "capacity_qualifier": "",
    "gpus": np.nan,
    "city": "",
    "insee_commune": "",
    "insee_reg": "",
    "region_name": "",
    "lat": np.nan,
    "lon": np.nan,
    "precision": "exact_site",
    "coord_basis": "",
    "coord_source": "",
    "announced": "2025-02-10",
    "event": "",
    "status": "announced",
    "status_as_of": "",
    "restates": "",
    "revises": "",
    "part_of": "",
    "stated_by": "investor",
    "source_urls": "https://example.org/a",
    "source_note": "",
    "notes": "",
    "counted": True,
    "counted_eur": np.nan,
    "counted_mw": np.nan,
    "count_note": "",
}
# Counted rows as count_investments gives them: a programme with a region-only share in two
# regions, a hostile located row, a range, a revised pledge, a row with no region.
ROWS = [
    {
        "id": "ms-fr",
        "investor": "Microsoft",
        "project": "Cloud and AI infrastructure",
        "amount": 4e9,
        "currency": "EUR",
        "precision": "not_located",
        "counted_eur": 4e9,
        "count_note": "Counted where the programme is: not located",
    },
    {
        "id": "ms-idf",
        "investor": "Microsoft",
        "project": "Paris region data centres",
        "insee_reg": "11",
        "region_name": "Île-de-France",
        "precision": "region_only",
        "part_of": "ms-fr",
        "count_note": "Amount not disclosed",
    },
    {
        "id": "other-idf",
        "investor": "Telehouse",
        "project": "Data centres in eastern Île-de-France",
        "amount": 1e9,
        "currency": "EUR",
        "insee_reg": "11",
        "region_name": "Île-de-France",
        "precision": "region_only",
        "counted_eur": 1e9,
    },
    {
        "id": "ms-paca",
        "investor": "Microsoft",
        "project": "Marseille region data centres",
        "insee_reg": "93",
        "region_name": "Provence-Alpes-Côte d'Azur",
        "precision": "region_only",
        "part_of": "ms-fr",
    },
    {
        "id": "hostile",
        "investor": HOSTILE,
        "project": f"{HOSTILE} campus",
        "partners": f"{HOSTILE};Partner B",
        "amount": 3.5e8,
        "currency": "EUR",
        "capacity_mw": 28.8,
        "city": "Lyon",
        "insee_reg": "84",
        "region_name": "Auvergne-Rhône-Alpes",
        "lat": 45.76,
        "lon": 4.84,
        "precision": "commune",
        "status": "operating",
        "source_urls": "https://example.org/hostile javascript:alert(1)",
        "notes": HOSTILE,
        "counted_eur": 3.5e8,
        "counted_mw": 28.8,
    },
    {
        "id": "campus",
        "investor": "MGX",
        "project": "Campus IA",
        "amount": 3e10,
        "amount_max": 5e10,
        "currency": "EUR",
        "capacity_mw": 1400,
        "capacity_qualifier": "up to",
        "city": "Fouju",
        "insee_reg": "11",
        "region_name": "Île-de-France",
        "lat": 48.58,
        "lon": 2.78,
        "precision": "campus",
        "status": "permit_filed",
        "counted_eur": 3e10,
    },
    {
        "id": "cambrai-2025",
        "investor": "Brookfield",
        "project": "Cambrai campus",
        "amount": 2e10,
        "currency": "EUR",
        "city": "Cambrai",
        "insee_reg": "32",
        "region_name": "Hauts-de-France",
        "lat": 50.17,
        "lon": 3.23,
        "precision": "city_centre",
        "counted": False,
        "counted_eur": 0.0,
        "count_note": "Revised by cambrai-2026",
    },
    {
        "id": "ms-alsace",
        "investor": "Microsoft",
        "project": "New campus",
        "city": "Petit-Landau",
        "insee_reg": "44",
        "region_name": "Grand Est",
        "lat": 47.72,
        "lon": 7.51,
        "precision": "commune",
        "part_of": "ms-fr",
        "count_note": "Amount not disclosed",
    },
]
ANCHORS = {"11": (48.7, 2.5), "93": (43.9, 6.1), "84": (45.5, 4.5), "32": (50.0, 2.8)}
NAMES = {
    "11": "Île-de-France",
    "93": "Provence-Alpes-Côte d'Azur",
    "84": "Auvergne-Rhône-Alpes",
    "32": "Hauts-de-France",
    "44": "Grand Est",
}


def counted_rows(rows: list[dict] = ROWS) -> pd.DataFrame:
    columns = ["id", "investor", "project", *BLANK]
    frame = pd.DataFrame([{**BLANK, **row} for row in rows], columns=columns)
    frame = frame.set_index("id", drop=False)
    frame["focus"] = frame["investor"] == "Microsoft"
    return frame


def investments(rows: pd.DataFrame | None = None) -> SimpleNamespace:
    rows = counted_rows() if rows is None else rows
    return SimpleNamespace(rows=rows, located=rows[rows["lat"].notna()])


def layer_script(rows: pd.DataFrame | None = None) -> tuple[list[dict], str]:
    """The marker rows the layer sends to the browser, and the layer's rendered script."""
    import folium

    m = folium.Map(tiles=None)
    inv.investment_group(investments(rows), ANCHORS, NAMES).add_to(m)
    html = m.get_root().render()
    found = re.search(r"FranceAiMap\.investmentMarkers\(\s*\w+, (\[.*?\]), \{", html, re.S)
    assert found, "the layer calls FranceAiMap.investmentMarkers"
    return json.loads(found.group(1)), html


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"amount": 1e10, "currency": "EUR", "qualifier": "up to"}, "up to EUR 10 bn"),
        ({"amount": 3e10, "amount_max": 5e10, "currency": "EUR"}, "EUR 30\u201350 bn"),
        ({"amount": 5e8, "amount_max": 1.2e9, "currency": "EUR"}, "EUR 500 m\u20131.2 bn"),
        ({"amount": 4e9, "currency": "EUR", "qualifier": "about"}, "about EUR 4 bn"),
        ({"amount": 6.3e8, "currency": "EUR", "qualifier": "more than"}, "more than EUR 630 m"),
        ({"amount": 2.5e9, "currency": "USD"}, "USD 2.5 bn"),
        ({"amount": np.nan, "currency": ""}, "not disclosed"),
    ],
)
def test_amounts_read_as_the_sources_word_them(row, expected):
    assert format_amount(row) == expected


def test_capacity_and_counted_amount_in_words():
    assert format_capacity({"capacity_mw": 1400.0, "capacity_qualifier": "up to"}) == (
        "up to 1,400 MW"
    )
    assert format_capacity({"capacity_mw": np.nan}) == "not disclosed"
    assert inv.counted_text({"counted_eur": 0.0}) == "nothing"
    assert inv.counted_text({"counted_eur": 3.5e8}) == "EUR 350 m"


def test_circle_area_is_proportional_to_the_euros_counted():
    big, small = inv.circle_radius(4e10), inv.circle_radius(1e10)
    assert math.isclose((big / small) ** 2, 4.0)
    assert inv.circle_radius(1e6) == inv.MIN_RADIUS_PX  # never too small to see
    assert inv.circle_radius(None) == inv.MIN_RADIUS_PX


def test_one_marker_per_located_row_and_one_symbol_per_region_of_region_only_rows():
    markers, _ = layer_script()
    ids = [m["id"] for m in markers]
    # 4 located rows, then ONE symbol each for Île-de-France (2 rows) and PACA (1 row);
    # the programme itself has no region and is not drawn.
    assert ids == ["hostile", "campus", "cambrai-2025", "ms-alsace", "region-11", "region-93"]
    by_id = {m["id"]: m for m in markers}
    assert "drawing-counted" in by_id["campus"]["className"]
    assert "status-permit_filed" in by_id["campus"]["className"]
    assert "drawing-not-added" in by_id["cambrai-2025"]["className"]  # revised later
    assert "drawing-undisclosed" in by_id["ms-alsace"]["className"]
    # The larger circle lies underneath the smaller ones.
    assert by_id["campus"]["size"] > by_id["hostile"]["size"]
    assert by_id["campus"]["z"] < by_id["hostile"]["z"]


def test_region_only_symbol_says_how_many_rows_and_is_dashed():
    markers, _ = layer_script()
    idf = next(m for m in markers if m["id"] == "region-11")
    assert (idf["lat"], idf["lon"]) == ANCHORS["11"]
    assert "2 investments known only by region" in idf["tooltip"]
    assert 'stroke-dasharray="3.2 2.2"' in idf["icon"]
    assert ">2</text>" in idf["icon"]
    # Its popup lists both rows, Microsoft's first.
    assert idf["popup"].index("Microsoft") < idf["popup"].index("Telehouse")
    paca = next(m for m in markers if m["id"] == "region-93")
    assert "1 investment known only by region" in paca["tooltip"]


def test_microsoft_rows_wear_the_focus_ring():
    markers, _ = layer_script()
    ring = f'stroke="{style.FOCUS_EDGE}"'
    focused = {m["id"] for m in markers if ring in m["icon"]}
    assert focused == {"ms-alsace", "region-11", "region-93"}
    assert all(("focus" in m["className"].split()) == (m["id"] in focused) for m in markers)


def test_hostile_names_are_escaped_and_only_web_sources_are_links():
    markers, html = layer_script()
    hostile = next(m for m in markers if m["id"] == "hostile")
    for fragment in (hostile["tooltip"], hostile["popup"], hostile["icon"]):
        assert HOSTILE not in fragment
        assert "&lt;b&gt;x&lt;/b&gt;" in fragment
    assert HOSTILE not in html  # the page's script carries it escaped too
    assert 'href="https://example.org/hostile"' in hostile["popup"]
    assert "javascript:" not in hostile["popup"]


def test_popup_says_how_precise_the_place_is_and_why_a_row_is_not_counted():
    markers, _ = layer_script()
    by_id = {m["id"]: m for m in markers}
    assert "commune only" in by_id["hostile"]["popup"]
    assert "Place approximate" in by_id["hostile"]["tooltip"]
    assert "town only" in by_id["cambrai-2025"]["popup"]
    assert "Revised by cambrai-2026" in by_id["cambrai-2025"]["popup"]
    assert "Counted here</th><td>nothing" in by_id["cambrai-2025"]["popup"]
    assert "EUR 30\u201350 bn" in by_id["campus"]["tooltip"]
    assert "up to 1,400 MW" in by_id["campus"]["popup"]


def test_legend_explains_what_the_layer_draws():
    rows = counted_rows()
    legend = inv.investment_legend_html(rows[rows["lat"].notna()], rows)
    # The rows drawn: 4 circles, and 3 region-only rows behind 2 symbols.
    assert "Announced AI investments (7)" in legend
    for words in ("Hollow: amount not disclosed", "Pale:", "Ring: Microsoft", "Dashed:"):
        assert words in legend
    for words in ("Site markers lie on top",):
        assert words in legend
    assert "1 not located" in legend
    assert "EUR 1 bn or less" in legend  # drawn at the smallest size, as smaller ones are
    assert "EUR 10 bn</span>" in legend
    # Only the statuses drawn are listed.
    assert style.INVESTMENT_STATUS_COLOURS["under_construction"] not in legend
    assert style.INVESTMENT_STATUS_COLOURS["operating"] in legend


def test_the_layer_is_named_by_the_rows_it_draws():
    group = inv.investment_group(investments(), ANCHORS, NAMES)
    assert group.layer_name == "Announced AI investments (7)"


def test_an_empty_selection_draws_nothing_and_still_renders():
    markers, html = layer_script(counted_rows([]))
    assert markers == []
    assert "Announced AI investments (0)" in html


def test_region_anchors_lie_inside_their_regions(dataset):
    anchors = inv.region_anchors(dataset.regions)
    assert set(anchors) == set(dataset.regions.index)
    from shapely.geometry import Point

    for code, (lat, lon) in anchors.items():
        assert dataset.regions.geometry[code].contains(Point(lon, lat)), code


@pytest.mark.parametrize(
    ("unit", "value", "expected"),
    [("EUR", 4.35e9, "EUR 4.35 bn"), ("MW", 1400.0, "1,400 MW"), ("EUR", None, "not disclosed")],
)
def test_region_tooltip_reads_euros_and_megawatts(unit, value, expected):
    metric = Metric("m", "Announced", unit, "")
    assert f"<b>{expected}</b>" in region_tooltip_html("Hauts-de-France", value, metric)


# ---- the layer on a whole map, from investments.csv through the loader and the view ----------

SOURCE = "https://example.org/source"
FIXTURE_CSV = [
    # id, investor, project, amount, amount_max, qualifier, currency, capacity_mw, city,
    # insee_commune, insee_reg, lat, lon, precision, coord_source, announced, status, links
    ("ms-fr", "Microsoft", "AI infrastructure and skilling", "4000000000", "", "", "EUR", "",
     "", "", "", "", "", "not_located", "", "2024-05-13", "announced", {}),
    ("ms-idf", "Microsoft", "Paris region data centres", "", "", "", "", "",
     "", "", "11", "", "", "region_only", "", "2024-05-13", "announced", {"part_of": "ms-fr"}),
    ("ms-paca", "Microsoft", "Marseille region data centres", "", "", "", "", "",
     "", "", "93", "", "", "region_only", "", "2024-05-13", "announced", {"part_of": "ms-fr"}),
    ("ms-alsace", "Microsoft", "New campus", "", "", "", "", "",
     "Petit-Landau", "68254", "44", "47.7230", "7.5150", "commune", "commune_reference",
     "2024-05-13", "announced", {"part_of": "ms-fr"}),
    ("hostile", HOSTILE, f"{HOSTILE} campus", "350000000", "", "", "EUR", "28.8",
     "Lyon", "69123", "84", "45.7600", "4.8400", "commune", "commune_reference",
     "2025-02", "operating", {}),
    ("campus", "MGX", "Campus IA", "30000000000", "50000000000", "", "EUR", "1400",
     "Fouju", "77195", "11", "48.5800", "2.7800", "commune", "estimate",
     "2025-02-10", "permit_filed", {}),
    ("cambrai-2025", "Brookfield", "Cambrai campus", "20000000000", "", "", "EUR", "1000",
     "Cambrai", "59122", "32", "50.1760", "3.2350", "city_centre", "estimate",
     "2025-02-10", "announced", {}),
    ("cambrai-2026", "Brookfield", "Cambrai campus, raised", "30000000000", "", "up to", "EUR",
     "1000", "Cambrai", "59122", "32", "50.1760", "3.2350", "city_centre", "estimate",
     "2026-02", "announced", {"revises": "cambrai-2025"}),
]  # fmt: skip


@pytest.fixture(scope="module")
def fixture_dataset(tmp_path_factory):
    """The shipped data with investments.csv replaced by FIXTURE_CSV."""
    from helpers import copy_data, write_csv

    from geo.core.dataset import load_dataset
    from geo.core.investments import INVESTMENT_COLUMNS

    data = copy_data(tmp_path_factory.mktemp("investments"))
    fields = [column.name for column in INVESTMENT_COLUMNS]
    names = ("id", "investor", "project", "amount", "amount_max", "qualifier", "currency")
    names += ("capacity_mw", "city", "insee_commune", "insee_reg", "lat", "lon", "precision")
    names += ("coord_source", "announced", "status")
    rows = []
    for *values, links in FIXTURE_CSV:
        row = dict.fromkeys(fields, "") | dict(zip(names, values, strict=True)) | links
        row["stated_by"] = "investor"
        row["source_urls"] = SOURCE
        row["source_note"] = "Example source"
        row["coord_basis"] = "the commune's reference point" if row["coord_source"] else ""
        rows.append(row)
    write_csv(data / "investments.csv", fields, rows)
    return load_dataset(data)


def built_map_html(dataset, **state) -> str:
    from geo.core.state import ViewState
    from geo.core.view import compute_view
    from geo.webmap import build_map

    view = compute_view(dataset, ViewState(**state))
    html = build_map(dataset, view, tiles=False).get_root().render()
    # The script's JSON escapes <, > and & (tojson): read the fragments as the browser will.
    for code, char in (("\\u003c", "<"), ("\\u003e", ">"), ("\\u0026", "&")):
        html = html.replace(code, char)
    return html


def sent_markers(html: str) -> list[dict]:
    found = re.findall(r"FranceAiMap\.investmentMarkers\(\s*\w+, (\[.*?\]), \{", html, re.S)
    return [marker for markers in found for marker in json.loads(markers)]


def test_the_layer_is_absent_while_the_toggle_is_off(fixture_dataset):
    html = built_map_html(fixture_dataset)
    assert sent_markers(html) == []
    assert '"Announced AI investments (' not in html  # no such layer in the control
    assert "investment-legend" not in html


def test_the_toggle_draws_the_views_investments(fixture_dataset):
    html = built_map_html(fixture_dataset, layer_investments=True)
    markers = sent_markers(html)
    ids = sorted(m["id"] for m in markers)
    # 5 points, one symbol for each of the 2 regions with region-only rows; ms-fr has no region.
    assert ids == sorted(
        ["ms-alsace", "hostile", "campus", "cambrai-2025", "cambrai-2026", "region-11", "region-93"]
    )
    by_id = {m["id"]: m for m in markers}
    assert "drawing-not-added" in by_id["cambrai-2025"]["className"]  # revised by 2026
    assert "drawing-counted" in by_id["cambrai-2026"]["className"]
    assert "revised later" in by_id["cambrai-2025"]["popup"]
    assert "focus" in by_id["ms-alsace"]["className"].split()
    assert "focus" not in by_id["campus"]["className"].split()
    assert "2 investments known only by region" not in by_id["region-11"]["tooltip"]
    assert "1 investment known only by region" in by_id["region-11"]["tooltip"]
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert HOSTILE not in html
    assert '"Announced AI investments (7)"' in html  # the layer control's name
    assert "Permit filed" in html  # the status label, in the legend


def test_parts_kept_from_an_earlier_run_draw_the_same_layer(fixture_dataset):
    # The app keeps investment_parts per view and hands them to build_layers on each rerun.
    from geo.core.state import ViewState
    from geo.core.view import compute_view
    from geo.webmap import build_layers, investment_parts

    view = compute_view(fixture_dataset, ViewState(layer_investments=True))
    parts = investment_parts(view, fixture_dataset.regions)
    fresh = build_layers(fixture_dataset, view)[-1]
    kept = build_layers(fixture_dataset, view, investment_parts=parts)[-1]
    assert kept.layer_name == fresh.layer_name == "Announced AI investments (7)"
    drawn = [
        json.loads(json.dumps(child.rows))
        for group in (fresh, kept)
        for child in group._children.values()
        if isinstance(child, InvestmentMarkers)
    ]
    assert len(drawn) == 2
    assert drawn[0] == drawn[1] == parts.markers


def test_the_investment_filters_reach_the_layer(fixture_dataset):
    from geo.core.landscape import InvestmentFilter

    html = built_map_html(
        fixture_dataset,
        layer_investments=True,
        investments=InvestmentFilter(investors=("Microsoft",)),
    )
    assert sorted(m["id"] for m in sent_markers(html)) == ["ms-alsace", "region-11", "region-93"]


def test_the_choropleth_reads_announced_euros_and_megawatts(fixture_dataset):
    html = built_map_html(fixture_dataset, metric="announced_eur")
    assert "Announced AI investment: <b>EUR 30 bn</b>" in html  # Île-de-France: the campus
    html = built_map_html(fixture_dataset, metric="announced_mw")
    assert "<b>1,400 MW</b>" in html


def test_a_region_only_symbol_grows_with_the_euros_its_rows_add():
    markers, _ = layer_script()
    by_id = {m["id"]: m for m in markers}
    # Île-de-France: Telehouse's EUR 1 bn and Microsoft's undisclosed share; PACA: nothing.
    assert "Counted: EUR 1 bn" in by_id["region-11"]["tooltip"]
    assert "Counted: nothing" in by_id["region-93"]["tooltip"]
    assert by_id["region-11"]["size"] >= by_id["region-93"]["size"]
    rows = counted_rows()
    rows.loc["other-idf", "counted_eur"] = 4e10
    big = next(m for m in layer_script(rows)[0] if m["id"] == "region-11")
    assert f'r="{round(inv.circle_radius(4e10), 2)}"' in big["icon"]


def test_popup_says_who_stated_the_amount():
    rows = counted_rows()
    rows.loc["campus", "stated_by"] = "press"
    markers, _ = layer_script(rows)
    by_id = {m["id"]: m for m in markers}
    assert "stated by the press only" in by_id["campus"]["popup"]
    assert "stated by the investor" in by_id["hostile"]["popup"]
    assert "stated by" not in by_id["ms-alsace"]["popup"]  # no amount, nobody stated one


def test_the_sites_legend_starts_closed_while_the_investments_legend_is_shown(fixture_dataset):
    sites_legend = re.compile(r'<details( open)?><summary class=\\"title\\">Sites</summary>')
    assert sites_legend.findall(built_map_html(fixture_dataset)) == [" open"]
    html = built_map_html(fixture_dataset, layer_investments=True)
    assert sites_legend.findall(html) == [""]
    assert "map-legend investment-legend" in html
