"""Shareable view state: query string round trip and invalid values."""

from __future__ import annotations

from geo.core.filters import SiteFilter
from geo.core.state import MAX_NOTICES, VIEWS, ViewState, state_from_query
from geo.i18n import _, use_language

CODES = ["11", "32", "44", "53", "93"]


def test_round_trip_restores_everything():
    state = ViewState(
        filter=SiteFilter(
            initiatives=("skilling", "startups"),
            categories=("higher_education",),
            audiences=("students",),
            regions=("32",),
            programmes=("higher-education",),
            text="EDHEC",
        ),
        metric="partners",
        view="north",
        departements=True,
        panel="32",
    )
    restored, notices = state_from_query(state.to_query(), CODES)
    assert restored == state
    assert notices == []


def test_default_state_has_an_empty_query():
    assert ViewState().to_query() == {}
    assert state_from_query({}, CODES) == (ViewState(), [])


def test_invalid_values_are_dropped_with_a_notice():
    restored, notices = state_from_query(
        {
            "initiative": ["skilling", "ai"],
            "region": ["99"],
            "metric": ["money"],
            "view": ["moon"],
            "panel": ["75"],
        },
        CODES,
    )
    assert restored == ViewState(filter=SiteFilter(initiatives=("skilling",)))
    assert notices == [
        "Ignored initiative='ai' from the link: expected one of infrastructure, skilling, "
        "startups, sustainability.",
        "Ignored region='99' from the link: expected one of 11, 32, 44, 53, 93.",
        "Ignored metric='money' from the link: expected one of sites, partners, data_centres, "
        "commitments, sites_per_million, announced_eur, announced_mw, disclosed_eur.",
        "Ignored view='moon' from the link: expected one of metropole, paris, alsace, south, "
        "north, corsica, guadeloupe, martinique, guyane, reunion, mayotte.",
        "Ignored panel='75' from the link: expected one of 11, 32, 44, 53, 93.",
    ]


def test_long_text_is_cut_with_a_notice():
    restored, notices = state_from_query({"q": ["x" * 150]}, CODES)
    assert restored.filter.text == "x" * 100
    assert notices == ["The search text in the link was cut to 100 characters."]


def test_investment_filters_round_trip_through_the_link():
    from geo.core.landscape import InvestmentFilter

    options = {
        "investors": {"Brookfield": "Brookfield", "Microsoft": "Microsoft"},
        "events": {"choose-france-2025": "", "none": ""},
        "years": {"2025": "2025"},
        "statuses": {"operating": ""},
    }
    state = ViewState(
        layer_investments=True,
        investments=InvestmentFilter(
            investors=("Microsoft", "Brookfield"), events=("none",), years=("2025",)
        ),
    )
    query = state.to_query()
    assert query == {
        "investments": ["1"],
        "inv_investor": ["Microsoft", "Brookfield"],
        "inv_event": ["none"],
        "inv_year": ["2025"],
    }
    back, notices = state_from_query(query, ["11"], options)
    assert (back, notices) == (state, [])
    hostile = {**query, "inv_investor": ["Microsoft", "<script>"], "inv_status": ["built"]}
    back, notices = state_from_query(hostile, ["11"], options)
    assert back.investments.investors == ("Microsoft",)
    assert notices == [
        "Ignored inv_investor='<script>' from the link: expected one of Brookfield, Microsoft.",
        "Ignored inv_status='built' from the link: expected one of operating.",
    ]


def test_link_notices_in_french_keep_the_key_and_value_as_written():
    with use_language("fr"):
        _, notices = state_from_query({"metric": ["argent"], "q": ["x" * 150]}, CODES)
    assert notices == [
        "Le texte de recherche du lien a été coupé à 100 caractères.",
        "Ignoré dans le lien\u00a0: metric='argent'\u00a0; valeurs attendues\u00a0: sites, "
        "partners, data_centres, commitments, sites_per_million, announced_eur, announced_mw, "
        "disclosed_eur.",
    ]


def test_the_count_of_the_rest_is_worded_in_the_language():
    many = {"region": [f"x{i}" for i in range(MAX_NOTICES + 3)]}
    with use_language("de"):
        _, notices = state_from_query(many, CODES)
        _, one_more = state_from_query({"region": [f"x{i}" for i in range(MAX_NOTICES + 1)]}, CODES)
    assert notices[-1] == "3 weitere Werte aus dem Link wurden ignoriert."
    assert one_more[-1] == "1 weiterer Wert aus dem Link wurde ignoriert."
    assert notices[0].startswith("Aus dem Link ignoriert: region='x0'; erwartet")


def test_view_labels_are_english_msgids_shown_in_the_language():
    assert VIEWS["metropole"].label == "Metropolitan France"
    assert VIEWS["corsica"].shown_label() == "Corsica"
    with use_language("fr"):
        assert VIEWS["metropole"].shown_label() == "France métropolitaine"
        assert _(VIEWS["corsica"].label) == "Corse"
    with use_language("de"):
        assert VIEWS["paris"].shown_label() == "Großraum Paris"
