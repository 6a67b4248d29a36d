"""The investment section of the app, driven by AppTest on the sample table
(investment_samples): the switch, its filters, the totals with their terms, the region
panel's list, the tables and the link."""

from __future__ import annotations

import pytest
from helpers import edit_csv
from investment_samples import write_sample_data
from test_app import as_rendered, panel_text, run_app

from geo import presentation
from geo.core import vocabulary as voc
from geo.core.dataset import load_dataset
from geo.core.state import ViewState
from geo.core.view import compute_view

FILTER_KEYS = ("inv_investors", "inv_events", "inv_years", "inv_statuses")


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory):
    return write_sample_data(tmp_path_factory.mktemp("investments"))


@pytest.fixture(scope="module")
def sample(sample_dir):
    return load_dataset(sample_dir)


@pytest.fixture(autouse=True)
def _sample_data(sample_dir, monkeypatch):
    monkeypatch.setenv("FRANCE_AI_MAP_DATA_DIR", str(sample_dir))


def totals_text(at) -> str:
    """The totals line under the map ('' when the page shows none)."""
    lines = [m.value for m in at.main.markdown if "Mission focus" in m.value]
    return as_rendered(lines[0]) if lines else ""


def captions(at) -> str:
    return as_rendered("\n".join(c.value for c in at.main.caption))


def test_default_view_keeps_the_investments_switched_off():
    at = run_app()
    assert not at.exception
    assert at.toggle(key="layer_investments").value is False
    assert not [m for m in at.multiselect if m.key in FILTER_KEYS]
    assert totals_text(at) == ""
    assert "investments" not in at.query_params


def test_switch_shows_the_filters_and_the_totals_with_their_terms(sample):
    at = run_app()
    at.toggle(key="layer_investments").set_value(True).run()
    assert not at.exception
    assert [m.key for m in at.multiselect if m.key in FILTER_KEYS] == list(FILTER_KEYS)
    assert at.query_params["investments"] == "1"
    # By hand: Microsoft 4 (its parts disclose nothing) + Brookfield 30 (raised; Cambrai's
    # 10 counts in its region, 20 left in no region) + Equinix 0.35 (its restatement adds
    # nothing) + MGX 30 (low end of 30-50); Nebius discloses no amount.
    head = totals_text(at)
    assert "EUR 64.35 bn announced" in head
    assert "Microsoft EUR 4 bn (6.2 %)" in head
    totals = compute_view(sample, ViewState(layer_investments=True)).investments.totals
    for term in totals.terms():
        assert term in captions(at)


def test_investor_filter_changes_the_totals_and_the_link():
    at = run_app({"investments": "1"})
    at.multiselect(key="inv_investors").select("Brookfield").run()
    head = totals_text(at)
    assert "EUR 30 bn announced" in head
    assert f"{voc.FOCUS_INVESTOR}, the mission's focus, adds no amount" in captions(at)
    assert at.query_params["inv_investor"] == "Brookfield"
    at.multiselect(key="inv_years").select("2024").run()
    assert "No announced investment matches the filters." in totals_text(at)
    assert at.query_params["inv_year"] == "2024"


def test_filter_choices_come_from_the_data_focus_first():
    at = run_app({"investments": "1"})
    assert at.multiselect(key="inv_investors").options == [
        "Microsoft", "Brookfield", "Equinix", "MGX", "Nebius"
    ]  # fmt: skip
    assert at.multiselect(key="inv_years").options == ["2024", "2025", "2026"]


def test_link_restores_the_switch_and_the_investment_filters():
    at = run_app({"investments": "1", "inv_investor": "Equinix", "inv_status": "operating"})
    assert not at.warning
    assert at.toggle(key="layer_investments").value is True
    assert at.multiselect(key="inv_investors").value == ["Equinix"]
    assert at.multiselect(key="inv_statuses").value == ["operating"]
    assert "EUR 350 m announced" in totals_text(at)
    assert at.query_params["inv_investor"] == "Equinix"


def test_link_with_an_unknown_investor_warns_and_drops_it():
    at = run_app({"investments": "1", "inv_investor": ["Equinix", "Acme"]})
    assert any("inv_investor='Acme'" in as_rendered(w.value) for w in at.warning)
    assert at.multiselect(key="inv_investors").value == ["Equinix"]


def test_an_investment_metric_shows_the_filters_without_the_switch():
    at = run_app({"metric": "announced_eur"})
    assert not at.exception
    assert at.selectbox(key="metric").value == "announced_eur"
    assert at.toggle(key="layer_investments").value is False
    assert [m.key for m in at.multiselect if m.key in FILTER_KEYS] == list(FILTER_KEYS)
    assert "EUR 64.35 bn announced" in totals_text(at)


def test_region_panel_lists_the_regions_investments_focus_first():
    at = run_app({"investments": "1", "panel": "11"})
    assert not at.exception
    text = as_rendered(panel_text(at))
    assert "Announced AI investment in this region (3)" in text
    assert "Counted here: EUR 350 m; 28.8 MW" in text
    items = [line for line in text.splitlines() if line.startswith("- **")]
    listed = [line for line in items if "Paris region expansion" in line or "xScale" in line]
    assert listed[0].startswith(f"- **{voc.FOCUS_INVESTOR}{presentation.FOCUS_SUFFIX}**")
    assert "xScale PA13x (again)" in listed[2]
    assert "restates eq-meudon-2024" in listed[2]
    assert "counts EUR 350 m" in listed[1]


def test_region_panel_points_to_the_switch_while_it_is_off():
    at = run_app({"panel": "11"})
    assert "Show all announced AI investments" in " ".join(c.value for c in at.caption)
    assert "Announced AI investment in this region" not in panel_text(at)


def test_investment_tables_list_every_shown_row_and_those_without_a_region():
    at = run_app({"investments": "1"}, tables_open=True)
    assert not at.exception
    frames = [t.value for t in at.dataframe]
    place = next(i for i, f in enumerate(frames) if "Counted" in f.columns)
    table, unlocated = frames[place], frames[place + 1]
    assert len(table) == 10
    assert list(table["Investor"][:3]) == [f"Microsoft{presentation.FOCUS_SUFFIX}"] * 3
    assert sorted(unlocated["Project"]) == [
        "AI campus, 1 GW", "AI infrastructure by 2030", "Cloud and AI programme",
        "Programme raised",
    ]  # fmt: skip


def test_export_panel_says_the_interactive_map_holds_the_investments():
    at = run_app({"investments": "1"}, export_open=True)
    at.selectbox(key="export_format").set_value("html").run()
    assert not at.exception
    (info,) = [i.value for i in at.info if i.value.startswith("The interactive map")]
    # Points: Petit-Landau, Cambrai, Meudon twice (a pledge and its restatement), Béthune.
    assert info.endswith(" Also the 5 announced investments with a point.")
    at.toggle(key="layer_investments").set_value(False).run()
    (info,) = [i.value for i in at.info if i.value.startswith("The interactive map")]
    assert "announced investments" not in info


HOSTILE = "[Log in again](https://ev.il/x) ![](http://host/t.png) <b>$x$</b> **bold**"


def test_text_from_the_table_is_shown_as_written_never_as_markup(tmp_path, monkeypatch):
    data = write_sample_data(tmp_path)
    edit_csv(data / "investments.csv", "eq-meudon-2024", project=HOSTILE, investor=HOSTILE[:30])
    monkeypatch.setenv("FRANCE_AI_MAP_DATA_DIR", str(data))
    at = run_app({"investments": "1", "panel": "11"})
    assert not at.exception
    raw = panel_text(at)
    assert HOSTILE not in raw  # every [ ] ( ) ! < > $ * is escaped: no link, image or tag
    assert "<b>" not in raw
    rendered = as_rendered(raw)
    assert f"- **{HOSTILE[:30]}** · {HOSTILE} · EUR 350 m" in rendered


def test_switching_the_layer_off_and_on_keeps_its_filters(sample):
    at = run_app()
    at.toggle(key="layer_investments").set_value(True).run()
    at.multiselect(key="inv_investors").set_value(["Brookfield"]).run()
    assert at.query_params["inv_investor"] == "Brookfield"
    at.toggle(key="layer_investments").set_value(False).run()
    assert "inv_investor" not in at.query_params  # hidden filters do not filter
    at.toggle(key="layer_investments").set_value(True).run()
    assert not at.exception
    assert at.multiselect(key="inv_investors").value == ["Brookfield"]
    assert at.query_params["inv_investor"] == "Brookfield"
