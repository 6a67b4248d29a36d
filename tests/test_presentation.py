"""Text beside the map in words: headline cards, figures, deadlines, region panel, tables."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from investment_samples import write_sample_data

from geo import presentation
from geo.core import vocabulary as voc
from geo.core.dataset import load_dataset
from geo.core.filters import SiteFilter
from geo.core.state import ViewState
from geo.core.view import compute_view


def view_of(dataset, **kwargs):
    return compute_view(dataset, ViewState(filter=SiteFilter(**kwargs)))


def test_headline_cards_show_the_five_commitments_in_pillar_order(dataset):
    cards = presentation.headline_cards(dataset.commitments)
    assert [(c.figure, c.deadline) for c in cards] == [
        ("EUR 4 bn", "no deadline stated"),
        ("up to 25,000 GPUs", "by end of 2025"),
        ("1 million people", "by end of 2027"),
        ("more than 2,500 startups", "by end of 2027"),
        ("about 100 MW", "by end of 2024"),
    ]
    assert all(c.sources and c.sources[0][1].startswith("https://") for c in cards)
    assert cards[0].sources[0][0] == "news.microsoft.com"


def test_figures_and_deadlines_in_words(dataset):
    land = dataset.commitments.loc["alsace-campus-land"]
    assert presentation.format_figure(replace_row(land, value_max=37.0)) == "35\u201337 ha"
    assert presentation.format_deadline("2026") == "by 2026"
    assert presentation.format_deadline("2025-11-04") == "by 4 November 2025"


def replace_row(row, **changes):
    out = row.copy()
    for key, value in changes.items():
        out[key] = value
    return out


def test_region_panel_groups_sites_by_initiative(dataset):
    panel = presentation.region_panel(view_of(dataset), "44")
    assert panel.name == "Grand Est"
    assert list(panel.sites_by_initiative) == ["Infrastructure"]
    assert len(panel.sites_by_initiative["Infrastructure"]) == 3
    assert dict(panel.values)["Disclosed amount"] == "EUR 2 bn"
    assert dict(panel.values)["Basis of the amount"] == "press-reported"
    assert "alsace-campus-amount" in panel.commitments.index
    paris = presentation.region_panel(view_of(dataset), "11")
    assert list(paris.sites_by_initiative) == [
        "Infrastructure", "Skilling", "Startups", "Sustainability"
    ]  # fmt: skip


def test_tables_use_labels_and_web_links(dataset):
    view = view_of(dataset)
    table = presentation.site_table(view.sites)
    assert len(table) == len(view.sites)
    assert table["Source"].str.startswith("https://").all()
    assert set(table["Category"]) <= set(voc.CATEGORIES.values())
    unlocated = presentation.unlocated_table(view.unlocated)
    assert list(unlocated["Name"]) == list(view.unlocated["name"])


def test_counts_for_the_current_filter(dataset):
    view = view_of(dataset, initiatives=("startups",))
    assert presentation.view_counts(view) == {
        "Sites on the map": 5,
        "Regions covered": 4,
        "Partners without a mapped location": 0,
    }


def test_importing_geo_presentation_leaves_streamlit_and_folium_out():
    code = (
        "import sys, geo.presentation; sys.exit(bool({'streamlit', 'folium'} & set(sys.modules)))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_view_events_keep_the_chosen_regions_and_the_national_ones(dataset):
    events = dataset.events
    assert list(presentation.view_events(events, ())["id"]) == list(events["id"])
    grand_est = presentation.view_events(events, ("44",))
    assert set(grand_est["scope"]) == {"44", "FR"}
    assert len(grand_est) == int(events["scope"].isin(["44", "FR"]).sum())
    assert list(grand_est["day"]) == sorted(grand_est["day"])


def test_pledge_line_is_built_from_the_card(dataset):
    cards = {c.id: c for c in presentation.headline_cards(dataset.commitments)}
    card = cards["skilling-1m"]
    head, body = presentation.pledge_line(card)
    assert head == f"{card.figure} {card.deadline}: {card.status}"
    assert body == f"{card.label}; {card.progress} as of {card.progress_as_of}"
    total = cards["total-investment"]
    assert presentation.pledge_line(total) == (
        f"{total.figure} (no deadline stated): {total.status}",
        total.label,
    )


def test_share_link_percent_encodes_what_the_address_could_smuggle():
    link = presentation.share_link("http://host:8501/a b<x>/", {"q": ["x>y"], "region": "11"})
    assert link == "http://host:8501/a%20b%3Cx%3E/?q=x%3Ey&region=11"
    assert presentation.share_link("", {}) == "/"
    assert presentation.share_link("http://host/", {}) == "http://host/"


def test_link_target_cannot_end_a_markdown_address_early():
    assert presentation.link_target("http://h/x>y\n<z") == "http://h/x%3Ey%0A%3Cz"


def test_every_pledge_status_has_a_short_badge(dataset):
    from geo.core.pledges import Status

    assert set(presentation.STATUS_BADGES) == set(Status)
    cards = presentation.headline_cards(dataset.commitments)
    assert {c.id: c.badge[0] for c in cards if c.status}["skilling-1m"] == "Behind"


# --- the investment landscape ------------------------------------------------------------

NAN = float("nan")


@pytest.mark.parametrize(
    ("amount", "amount_max", "qualifier", "currency", "wording"),
    [
        (4e9, NAN, "", "EUR", "EUR 4 bn"),
        (1e10, NAN, "up to", "EUR", "up to EUR 10 bn"),
        (3e10, 5e10, "", "EUR", "EUR 30\u201350 bn"),
        (4e9, NAN, "about", "EUR", "about EUR 4 bn"),
        (6.3e8, NAN, "more than", "EUR", "more than EUR 630 m"),
        (2.5e9, 3e9, "", "EUR", "EUR 2.5\u20133 bn"),
        (4.5e8, 1.8e9, "", "EUR", "EUR 450 m\u20131.8 bn"),
        (1e8, NAN, "up to", "EUR", "up to EUR 100 m"),
        (1e10, NAN, "", "USD", "USD 10 bn"),  # never converted, only shown
        (750_000, NAN, "", "EUR", "EUR 750,000"),
        (NAN, NAN, "", "", "not disclosed"),
        (None, None, "", "", "not disclosed"),
    ],
)
def test_investment_amounts_are_worded_as_their_source_words_them(
    amount, amount_max, qualifier, currency, wording
):
    row = {"amount": amount, "amount_max": amount_max, "qualifier": qualifier, "currency": currency}
    assert presentation.format_amount(row) == wording


@pytest.mark.parametrize(
    ("capacity", "qualifier", "wording"),
    [
        (1400.0, "", "1,400 MW"),
        (1000.0, "up to", "up to 1,000 MW"),
        (28.8, "", "28.8 MW"),
        (NAN, "", "not disclosed"),
    ],
)
def test_capacities_in_megawatts_as_announced(capacity, qualifier, wording):
    row = {"capacity_mw": capacity, "capacity_qualifier": qualifier}
    assert presentation.format_capacity(row) == wording


def test_shares_in_percent_one_decimal_below_ten():
    assert presentation.format_share(4e9, 87e9) == "4.6 %"
    assert presentation.format_share(4e9, 20e9) == "20 %"
    assert presentation.format_share(4e9, 0.0) == ""


def test_investment_filter_choices_come_from_the_data_with_the_focus_investor_first():
    rows = pd.DataFrame(
        {
            "investor": ["Brookfield", "Microsoft", "Evroc", "Brookfield"],
            "event": ["choose-france-2025", "choose-france-2024", "", "ai-action-summit-2025"],
            "announced": ["2025-05", "2024-05-13", "2025-02-10", "2025"],
            "status": ["announced", "operating", "permit_filed", "announced"],
        }
    )
    options = presentation.investment_filter_options(rows)
    assert list(options["investors"]) == ["Microsoft", "Brookfield", "Evroc"]
    assert list(options["events"]) == [
        "choose-france-2024", "ai-action-summit-2025", "choose-france-2025", voc.NO_EVENT
    ]  # fmt: skip
    assert options["events"][voc.NO_EVENT] == voc.NO_EVENT_LABEL
    assert list(options["years"]) == ["2024", "2025"]
    assert options["statuses"] == {
        "announced": "Announced", "permit_filed": "Permit filed", "operating": "Operating"
    }  # fmt: skip


@pytest.fixture(scope="module")
def landscape(tmp_path_factory):
    """The view of the sample investments (investment_samples) with the layer on."""
    data = write_sample_data(tmp_path_factory.mktemp("investments"))
    return compute_view(load_dataset(data), ViewState(layer_investments=True))


def test_investment_table_lists_every_shown_row_focus_first_with_what_it_adds(landscape):
    table = presentation.investment_table(landscape)
    assert len(table) == len(landscape.investments.rows) == 10
    assert list(table.index[:3]) == ["ms-alsace-2024", "ms-france-2024", "ms-paris-2024"]
    assert table.loc["ms-france-2024", "Investor"] == "Microsoft (mission focus)"
    assert table.loc["bf-cambrai-2025", "Amount"] == "up to EUR 10 bn"
    assert table.loc["mgx-2025", "Amount"] == "EUR 30\u201350 bn"
    assert table.loc["mgx-2025", "Counted"] == "counts EUR 30 bn at the low end of its range"
    assert table.loc["bf-france-2026", "Counted"].startswith("counts EUR 20 bn; less its")
    assert table.loc["eq-meudon-2025", "Counted"].startswith("restates eq-meudon-2024")
    assert table.loc["ms-paris-2024", "Where"] == "Île-de-France (region only)"
    assert table.loc["mgx-2025", "Where"] == "not located"
    assert table.loc["nebius-bethune-2026", "Capacity"] == "240 MW"
    assert table.loc["nebius-bethune-2026", "Amount"] == "not disclosed"
    assert table["Source"].str.startswith("https://").all()
    unlocated = presentation.not_located_investments(landscape)
    assert set(unlocated.index) == {
        "ms-france-2024",
        "bf-france-2025",
        "bf-france-2026",
        "mgx-2025",
    }


def test_region_list_and_total_match_a_hand_sum_of_its_rows(landscape):
    paris = presentation.region_investments_table(landscape, "11")
    assert list(paris.index) == ["ms-paris-2024", "eq-meudon-2024", "eq-meudon-2025"]
    assert list(paris.loc["ms-paris-2024", ["Amount", "Capacity"]]) == [
        "amount not disclosed", "MW not disclosed"
    ]  # fmt: skip
    # Counted in Île-de-France: Equinix's EUR 350 m and 28.8 MW once (its 2025 row restates
    # it); Microsoft's Paris share discloses no amount.
    head, *terms = presentation.region_totals_lines(landscape, "11")
    assert head == "Counted here: EUR 350 m; 28.8 MW"
    assert "1 counted row(s) here disclose no amount: never estimated." in terms
    assert "1 row(s) known only by this region: counted, not drawn." in terms
    north, *_ = presentation.region_totals_lines(landscape, "32")
    assert north == "Counted here: EUR 10 bn; 240 MW"  # Cambrai's share, Béthune's MW
    alsace, *_ = presentation.region_totals_lines(landscape, "44")
    assert alsace == "Counted here: not disclosed; MW not disclosed"


def test_totals_lines_give_the_core_headline_then_its_terms(landscape):
    totals = landscape.investments.totals
    lines = presentation.totals_lines(totals)
    assert lines == [totals.headline(), *totals.terms()]
    assert lines[0].startswith("EUR 64.35 bn announced")
