"""The investment section of the app, driven by AppTest: the switch, its filters, the totals
with their terms, the region panel's list, the tables and the link."""

from __future__ import annotations

from test_app import as_rendered, panel_text, run_app

from geo import presentation
from geo.core import vocabulary as voc
from geo.core.landscape import InvestmentFilter
from geo.core.state import ViewState
from geo.core.view import compute_view

FILTER_KEYS = ("inv_investors", "inv_events", "inv_years", "inv_statuses")


def totals_text(at) -> str:
    """The totals line under the map ('' when the page shows none)."""
    lines = [m.value for m in at.main.markdown if "Mission focus" in m.value]
    return as_rendered(lines[0]) if lines else ""


def expected_head(dataset, **state) -> str:
    """The totals headline the core gives for this state, as the page words it."""
    view = compute_view(dataset, ViewState(layer_investments=True, **state))
    return presentation.totals_lines(view.investments.totals)[0]


def other_investor(dataset) -> str:
    """An investor of the data other than the mission's focus."""
    return next(i for i in dataset.investments["investor"] if i != voc.FOCUS_INVESTOR)


def test_default_view_keeps_the_investments_switched_off():
    at = run_app()
    assert not at.exception
    assert at.toggle(key="layer_investments").value is False
    assert not [m for m in at.multiselect if m.key in FILTER_KEYS]
    assert totals_text(at) == ""
    assert "investments" not in at.query_params


def test_switch_shows_the_filters_and_the_totals_with_their_terms(dataset):
    at = run_app()
    at.toggle(key="layer_investments").set_value(True).run()
    assert not at.exception
    assert [m.key for m in at.multiselect if m.key in FILTER_KEYS] == list(FILTER_KEYS)
    assert at.query_params["investments"] == "1"
    head = totals_text(at)
    assert expected_head(dataset) in head
    assert voc.FOCUS_INVESTOR in head
    view = compute_view(dataset, ViewState(layer_investments=True))
    terms = as_rendered("\n".join(c.value for c in at.main.caption))
    for term in view.investments.totals.terms():
        assert term in terms


def test_investor_filter_changes_the_totals_and_the_link(dataset):
    at = run_app({"investments": "1"})
    before = totals_text(at)
    investor = other_investor(dataset)
    at.multiselect(key="inv_investors").select(investor).run()
    after = totals_text(at)
    assert after != before
    assert expected_head(dataset, investments=InvestmentFilter(investors=(investor,))) in after
    assert at.query_params["inv_investor"] == investor


def test_link_restores_the_switch_and_the_investment_filters(dataset):
    at = run_app({"investments": "1", "inv_investor": voc.FOCUS_INVESTOR})
    assert not at.warning
    assert at.toggle(key="layer_investments").value is True
    assert at.multiselect(key="inv_investors").value == [voc.FOCUS_INVESTOR]
    focus = InvestmentFilter(investors=(voc.FOCUS_INVESTOR,))
    assert expected_head(dataset, investments=focus) in totals_text(at)
    assert at.query_params["inv_investor"] == voc.FOCUS_INVESTOR


def test_an_investment_metric_shows_the_filters_without_the_switch(dataset):
    at = run_app({"metric": "announced_eur"})
    assert not at.exception
    assert at.toggle(key="layer_investments").value is False
    assert [m.key for m in at.multiselect if m.key in FILTER_KEYS] == list(FILTER_KEYS)
    assert totals_text(at) != ""


def test_region_panel_lists_the_regions_investments_focus_first(dataset):
    rows = dataset.investments
    code = rows.loc[rows["investor"] == voc.FOCUS_INVESTOR, "insee_reg"].dropna()
    code = next(c for c in code if c and (rows["insee_reg"] == c).sum() > 1)
    at = run_app({"investments": "1", "panel": code})
    assert not at.exception
    text = as_rendered(panel_text(at))
    count = int((rows["insee_reg"] == code).sum())
    assert f"Announced AI investment in this region ({count})" in text
    items = [line for line in text.splitlines() if line.startswith("- **")]
    focus = [i for i, line in enumerate(items) if presentation.FOCUS_SUFFIX in line]
    assert focus and focus == list(range(len(focus)))  # Microsoft's rows come first
    for project in rows.loc[rows["insee_reg"] == code, "project"]:
        assert " ".join(project.split()) in text


def test_region_panel_points_to_the_switch_while_it_is_off():
    at = run_app({"panel": "11"})
    captions = " ".join(c.value for c in at.caption)
    assert "Show all announced AI investments" in captions


def test_investment_tables_list_every_shown_row_and_those_without_a_region(dataset):
    at = run_app({"investments": "1"}, tables_open=True)
    assert not at.exception
    view = compute_view(dataset, ViewState(layer_investments=True))
    frames = [t.value for t in at.dataframe]
    table = next(
        f for f in frames if "Counted" in f.columns and len(f) == len(view.investments.rows)
    )
    assert table["Investor"].iloc[0].startswith(voc.FOCUS_INVESTOR)
    unlocated = frames[frames.index(table) + 1]
    assert len(unlocated) == int((view.investments.rows["insee_reg"].fillna("") == "").sum())
