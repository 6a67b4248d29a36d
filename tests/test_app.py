"""The Streamlit script itself, driven by AppTest: widgets by key, metrics, links, errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit as st
from helpers import copy_data, edit_csv, recorded_downloads
from streamlit.testing.v1 import AppTest

from geo import cli
from geo import webmap as mapping
from geo.core.dataset import load_dataset
from geo.core.errors import DataError
from geo.core.filters import SiteFilter, filter_sites
from geo.presentation import headline_cards

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT_S = 60


def run_app(query: dict | None = None, **session) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.query_params.update(query or {})
    for key, value in session.items():
        at.session_state[key] = value
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    """The counts line under the map: 'Sites on the map: **52** · Regions covered: **9** ...'."""
    (line,) = [m.value for m in at.markdown if m.value.startswith("Sites on the map: **")]
    return dict(re.findall(r"([^·]+?): \*\*(\d+)\*\*", as_rendered(line).replace(" · ", "·")))


def map_args(at: AppTest) -> dict:
    """The st_folium component's arguments as sent to the browser."""
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def as_rendered(markdown: str) -> str:
    """The text a Markdown body shows: hard line breaks as newlines, escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("  \n", "\n"))


def panel_text(at: AppTest) -> str:
    """Every Markdown body of the region panel (the page's right-hand column)."""
    (panel,) = [c for c in at.columns if any(b.key == "panel_region" for b in c.selectbox)]
    return "\n".join(m.value for m in panel.markdown)


def located(dataset, **fields) -> int:
    return int(filter_sites(dataset.sites, SiteFilter(**fields)).geometry.notna().sum())


def test_app_runs_and_shows_headlines_counts_map_and_tables(dataset):
    at = run_app()
    assert not at.exception
    assert not at.error
    shown = metrics(at)
    assert shown["Sites on the map"] == str(located(dataset))
    assert shown["Regions covered"] == "9"
    assert shown["Partners without a mapped location"] == "6"
    strip = [m.value for m in at.main.markdown][:5]
    figures = [re.match(r"\[\*\*(.+?)\*\*\]", as_rendered(text)).group(1) for text in strip]
    assert figures == [
        "EUR 4 bn",
        "up to 25,000 GPUs",
        "1 million people",
        "more than 2,500 startups",
        "about 100 MW",
    ]
    assert len(at.get("component_instance")) == 1
    # The data grid and the chart are a large download: drawn only when asked for.
    assert not at.dataframe
    assert not at.get("vega_lite_chart")


def test_headline_strip_links_each_figure_to_its_source_with_its_status(dataset):
    at = run_app()
    cards = headline_cards(dataset.commitments)
    strip = at.main.markdown[: len(cards)]
    for element, card in zip(strip, cards, strict=True):
        text = element.value
        assert text.startswith("[**"), text
        assert f"](<{card.sources[0][1]}>)" in text  # the figure is a link to its source
        short, colour = card.badge
        assert f":{colour}-badge[{short}]" in text
        details = as_rendered(element.proto.help)
        assert f"{card.label}, {card.deadline}." in details
        assert card.status_wording in details
    skilling = next(e for e, c in zip(strip, cards, strict=True) if c.id == "skilling-1m")
    assert ":orange-badge[Behind]" in skilling.value
    assert "Latest progress: 700,000 people as of 4 November 2025" in (
        as_rendered(skilling.proto.help)
    )


def test_tables_and_timeline_chart_are_drawn_once_opened(dataset):
    at = run_app()
    assert not at.dataframe
    at = run_app(tables_open=True, timeline_open=True)
    assert not at.exception
    sites, unlocated = (t.value for t in at.dataframe)
    assert len(sites) == located(dataset)
    assert len(unlocated) == 6
    assert len(at.get("vega_lite_chart")) == 1


def test_share_link_holds_the_escaped_current_link():
    at = run_app({"initiative": "skilling", "q": "campus"})
    (share,) = [m.value for m in at.sidebar.markdown if "?" in m.value]
    # AppTest has no page address, so the link is relative; the server gives the full one.
    # It names the language it shows (AppTest has no browser locale: English).
    link = "/?initiative=skilling&q=campus&lang=en"
    assert share == f"[{link}](<{link}>)"
    assert not at.get("code")  # no syntax highlighter for one line


def test_initiative_filter_changes_the_counts(dataset):
    at = run_app()
    before = metrics(at)
    at.multiselect(key="initiatives").select("startups").run()
    after = metrics(at)
    assert after["Sites on the map"] == str(located(dataset, initiatives=("startups",)))
    assert after["Sites on the map"] != before["Sites on the map"]
    assert after["Regions covered"] == "4"
    assert at.query_params["initiative"] == "startups"


def test_link_restores_filters_metric_view_and_departements(dataset):
    query = {
        "initiative": ["skilling", "startups"],
        "region": "11",
        "metric": "partners",
        "view": "paris",
        "departements": "1",
        "q": "campus",
    }
    at = run_app(query)
    assert not at.warning
    assert at.multiselect(key="initiatives").value == ["skilling", "startups"]
    assert at.multiselect(key="regions").value == ["11"]
    assert at.selectbox(key="metric").value == "partners"
    assert at.selectbox(key="view").value == "paris"
    assert at.toggle(key="departements").value is True
    assert at.text_input(key="text").value == "campus"
    expected = located(
        dataset, initiatives=("skilling", "startups"), regions=("11",), text="campus"
    )
    assert metrics(at)["Sites on the map"] == str(expected)
    layers = map_args(at)["feature_group"]
    assert "Partner institutions per region" in layers
    assert '"paris"' in layers
    assert "/app/static/geo/departements-" in layers
    assert "D\\u00e9partements (outlines)" in map_args(at)["layer_control"]
    # A valid link is kept as it is.
    assert at.query_params["view"] == "paris"
    assert at.query_params["initiative"] == ["skilling", "startups"]


def test_invalid_link_values_are_ignored_with_a_warning():
    at = run_app({"initiative": ["skilling", "quantum"], "view": "mars", "metric": "gdp"})
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("initiative='quantum'" in w for w in warnings)
    assert any("view='mars'" in w for w in warnings)
    assert any("metric='gdp'" in w for w in warnings)
    assert at.multiselect(key="initiatives").value == ["skilling"]
    assert at.selectbox(key="view").value == "metropole"
    # The address bar is rewritten to what is really shown, in the language shown.
    assert at.query_params == {"initiative": "skilling", "lang": "en"}


def test_broken_data_directory_shows_the_validator_message(tmp_path, monkeypatch):
    data = copy_data(tmp_path)
    edit_csv(data / "sites.csv", "station-f", lat="N/A")
    edit_csv(data / "sites.csv", "edhec-nice", category="castle")
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    monkeypatch.setenv("FRANCE_AI_MAP_DATA_DIR", str(data))
    at = run_app()
    assert not at.exception
    assert [as_rendered(e.value) for e in at.error] == [str(caught.value)]
    assert len(str(caught.value).splitlines()) == 2
    assert not at.get("component_instance")
    assert not [m for m in at.markdown if m.value.startswith("Sites on the map: **")]


def test_map_loads_only_local_assets_and_no_polygons_inline():
    args = map_args(run_app())
    # The vendored files in load order, then the map's own script and styles, which the app
    # publishes under static/geo/ with a content hash in the name.
    assert args["js_links"][:-1] == [
        "/app/static/vendor/leaflet/leaflet.js",
        "/app/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
        "/app/static/vendor/leaflet.fullscreen/Control.FullScreen.js",
    ]
    assert re.fullmatch(r"/app/static/geo/map-[0-9a-f]{12}\.js", args["js_links"][-1])
    assert all(link.startswith("/app/static/vendor/") for link in args["css_links"][:-1])
    assert re.fullmatch(r"/app/static/geo/map-[0-9a-f]{12}\.css", args["css_links"][-1])
    assert "://" not in args["header"]
    for part in ("script", "feature_group"):
        assert '"scale": 10000' not in args[part]  # polygons come by URL from /app/static/geo/
    assert "/app/static/geo/regions-" in args["feature_group"]
    assert args["returned_objects"] == ["last_active_drawing", "last_object_clicked"]


def test_filter_change_swaps_layers_but_keeps_the_base_map():
    at = run_app()
    first = map_args(at)
    at.run()
    assert map_args(at) == first  # a rerun resends identical layers: open popups stay open
    at.multiselect(key="categories").select("data_centre").run()
    changed = map_args(at)
    assert changed["script"] == first["script"]
    assert changed["key"] == first["key"]  # same component: no remount, zoom and pan survive
    assert changed["feature_group"] != first["feature_group"]
    print(f"map payload per rerun: {len(at.get('component_instance')[0].proto.json_args)} bytes")


def test_clicking_a_region_opens_its_panel():
    click = {"last_active_drawing": {"properties": {"insee_reg": "53"}},
             "last_object_clicked": {"lat": 48.1, "lng": -2.9}}  # fmt: skip
    at = run_app(map=click)
    assert not at.warning
    assert at.selectbox(key="panel_region").value == "53"
    assert "Brittany" in [h.value for h in at.subheader]  # the English name in English
    assert "- **Rennes School of Business** · Rennes" in as_rendered(panel_text(at))
    assert '"53": {"color": "#111111"' in map_args(at)["feature_group"]


def test_clicking_a_marker_leaves_the_panel_alone():
    click = {"last_active_drawing": {"type": "Feature", "properties": {}},
             "last_object_clicked": {"lat": 48.83, "lng": 2.37}}  # fmt: skip
    at = run_app(map=click)
    assert at.selectbox(key="panel_region").value is None
    assert not at.exception


def test_region_panel_from_the_selectbox_lists_sites_and_commitments():
    at = run_app()
    at.selectbox(key="panel_region").set_value("44").run()
    assert "Grand Est" in [h.value for h in at.subheader]
    assert not at.dataframe  # lists with links, no data grid to download
    text = as_rendered(panel_text(at))
    assert "- **Mulhouse Alsace Agglomération (m2A)**" in text
    assert "- **Share of the EUR 4 bn for the Alsace campus, as reported by the press**" in text
    measures = at.table[0].value
    assert "EUR 2 bn" in measures["Value"].tolist()


def test_clear_filters_button_resets_every_filter(dataset):
    at = run_app({"initiative": "skilling", "q": "lille"})
    at.button[0].click().run()
    assert at.multiselect(key="initiatives").value == []
    assert at.text_input(key="text").value == ""
    assert metrics(at)["Sites on the map"] == str(located(dataset))
    assert at.query_params == {"lang": "en"}  # the language is not a filter


def test_read_only_static_folder_falls_back_to_embedded_polygons(monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("static/ is read-only")

    monkeypatch.setattr(mapping, "publish_geometry", refuse)
    st.cache_resource.clear()
    try:
        at = run_app()
        assert not at.exception
        assert '"scale": 10000' in map_args(at)["feature_group"]
    finally:
        st.cache_resource.clear()


# --- export panel -----------------------------------------------------------------------------


def open_export(query: dict | None = None, **session) -> AppTest:
    """The app with its export panel open (the expander runs its content only when open)."""
    return run_app(query, export_open=True, **session)


def export_panel(at: AppTest):
    (panel,) = [e for e in at.expander if e.label.startswith("Export this view")]
    return panel


def file_caption(at: AppTest) -> str:
    (caption,) = [c.value for c in export_panel(at).caption if c.value.startswith("File:")]
    return caption


def test_export_panel_stays_idle_while_closed():
    at = run_app()
    assert not at.exception
    assert not export_panel(at).children  # closed: nothing drawn inside
    assert not at.download_button
    assert not at.get("image")


def test_export_panel_names_the_file_of_the_current_view(dataset):
    at = open_export()
    assert not at.exception
    assert not at.error
    assert at.selectbox(key="export_format").value == "pdf"
    assert file_caption(at) == "File: `france-ai-investment_all_a4-landscape.pdf`"
    at.multiselect(key="initiatives").select("skilling").run()
    assert not at.exception
    (button,) = at.download_button
    assert button.label == "Download PDF"
    assert file_caption(at) == "File: `france-ai-investment_skilling_a4-landscape.pdf`"
    assert len(export_panel(at).get("image")) == 1  # the preview of the report image
    at.selectbox(key="export_format").set_value("png").run()
    at.segmented_control(key="export_dpi").set_value(150).run()
    at.selectbox(key="export_layout").set_value("square").run()
    assert file_caption(at) == "File: `france-ai-investment_skilling_square_150dpi.png`"
    at.selectbox(key="export_format").set_value("geojson").run()
    assert file_caption(at) == "File: `france-ai-investment_skilling_sites.geojson`"
    assert not export_panel(at).get("image")
    mapped = located(dataset, initiatives=("skilling",))
    matching = len(filter_sites(dataset.sites, SiteFilter(initiatives=("skilling",))))
    assert f"{matching} matching sites ({mapped} mapped, {matching - mapped} without" in (
        export_panel(at).info[0].value
    )
    at.selectbox(key="export_format").set_value("png").run()
    assert at.segmented_control(key="export_dpi").value == 150  # kept through the detour
    assert at.selectbox(key="export_layout").value == "square"


def test_export_follows_the_metric_and_departements_of_the_map():
    at = open_export({"initiative": "skilling", "metric": "partners", "departements": "1"})
    assert file_caption(at) == "File: `france-ai-investment_skilling_partners_a4-landscape.pdf`"
    assert "regions coloured by: Partner institutions" in export_panel(at).caption[0].value


def test_download_button_gives_the_same_pdf_as_the_cli(monkeypatch, tmp_path, capsys):
    """The issue's promise: 'skilling sites by region' as the same print-ready PDF."""
    calls = recorded_downloads(monkeypatch)
    at = open_export({"initiative": "skilling"})
    assert not at.exception
    (call,) = calls
    assert call["file_name"] == "france-ai-investment_skilling_a4-landscape.pdf"
    assert call["mime"] == "application/pdf"
    assert callable(call["data"])  # made on click, not on every rerun
    out = tmp_path / "cli.pdf"
    status = cli.main(["export", "--format", "pdf", "--initiative", "skilling", "--out", str(out)])
    assert status == 0, capsys.readouterr().err
    assert call["data"]() == out.read_bytes()


def test_timeline_and_pledge_toggles_give_the_cli_file_with_both_flags(
    monkeypatch, tmp_path, capsys
):
    calls = recorded_downloads(monkeypatch)
    at = open_export({"region": "44"})
    assert at.toggle(key="export_timeline").value is False
    assert at.toggle(key="export_pledges").value is False
    at.toggle(key="export_timeline").set_value(True)
    at.toggle(key="export_pledges").set_value(True).run()
    assert not at.exception
    out = tmp_path / "cli.pdf"
    args = ["export", "--format", "pdf", "--region", "44", "--timeline", "--pledges"]
    status = cli.main([*args, "--out", str(out)])
    assert status == 0, capsys.readouterr().err
    made = calls[-1]["data"]()
    assert made == out.read_bytes()
    assert made != calls[0]["data"]()  # the first run, without the bands, made another file


def test_export_error_is_shown_with_its_message():
    at = open_export(export_title="x" * 300)
    assert not at.exception
    assert [e.value for e in export_panel(at).error] == [
        "title expected at most 200 characters, got 300"
    ]
    assert not at.download_button


def test_interactive_map_export_without_its_front_end_files_says_so(monkeypatch):
    monkeypatch.setattr(mapping, "missing_assets", lambda *args: ["leaflet/leaflet.js"])
    at = open_export(export_format="html")
    assert not at.exception
    (message,) = [e.value for e in export_panel(at).error]
    assert message.startswith("The interactive map cannot be made: its front-end files are")
    assert "leaflet/leaflet.js" in message
    assert not at.download_button


def test_open_region_panel_travels_in_the_link():
    at = run_app(query={"panel": "44"})
    assert not at.warning
    assert at.selectbox(key="panel_region").value == "44"
    assert "Grand Est" in [h.value for h in at.subheader]
    at.selectbox(key="panel_region").set_value("53").run()
    assert at.query_params["panel"] == "53"
