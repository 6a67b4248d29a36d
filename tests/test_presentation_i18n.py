"""The text beside the map in French and German: figures, deadlines, money, shares, the
region panel, the tables' cells and headers (their keys stay English), the counts."""

from __future__ import annotations

from datetime import date

import pytest
from investment_samples import write_sample_data

from geo import presentation
from geo.core.dataset import load_dataset
from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.i18n import use_language

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture(scope="module")
def view(dataset):
    return compute_view(dataset, ViewState())


@pytest.fixture(scope="module")
def landscape(tmp_path_factory):
    data = write_sample_data(tmp_path_factory.mktemp("investments-i18n"))
    return compute_view(load_dataset(data), ViewState(layer_investments=True))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fr",
            [
                (f"4{NBSP}Md{NBSP}€", "sans échéance annoncée"),
                (f"jusqu'à 25{NNBSP}000 GPU", "d'ici fin 2025"),
                (f"plus de 2{NNBSP}500 start-up", "d'ici fin 2027"),
            ],
        ),
        (
            "de",
            [
                (f"4{NBSP}Mrd.{NBSP}€", "keine Frist genannt"),
                ("bis zu 25.000 GPUs", "bis Ende 2025"),
                ("mehr als 2.500 Start-ups", "bis Ende 2027"),
            ],
        ),
    ],
)
def test_headline_figures_and_deadlines_in_french_and_german(dataset, lang, expected):
    with use_language(lang):
        cards = {c.id: c for c in presentation.headline_cards(dataset.commitments)}
    shown = [(cards[k].figure, cards[k].deadline) for k in ("total-investment", "gpus")]
    startups = cards["startups-2500"]
    assert [*shown, (startups.figure, startups.deadline)] == expected


def test_badges_and_pledge_status_words_follow_the_language(dataset):
    day = date(2026, 1, 1)  # before the skilling pledge's deadline (end of 2027)
    with use_language("fr"):
        cards = {c.id: c for c in presentation.headline_cards(dataset.commitments, day)}
        card = cards["skilling-1m"]
        head, body = presentation.pledge_line(card)
        badge, status_text = card.badge, card.status_text
    assert card.status == "on track"
    assert badge == ("En bonne voie", "green")
    assert head == f"{card.figure} {card.deadline}{NBSP}: en bonne voie"
    assert status_text == "en bonne voie"
    assert card.figure.startswith("1 million de ")
    assert f"{NBSP}; " in body
    assert " au " in body  # '700 000 people au 4 novembre 2025'
    with use_language("de"):
        assert presentation.format_deadline("2025-11-04") == "bis zum 4. November 2025"
    with use_language("fr"):
        assert presentation.format_deadline("2025-11-04") == "d'ici le 4 novembre 2025"
        assert presentation.format_date("2025-11") == "novembre 2025"


@pytest.mark.parametrize(
    ("lang", "low", "high", "qualifier", "wording"),
    [
        ("fr", 3e10, 5e10, "", f"30\u201350{NBSP}Md{NBSP}€"),
        ("fr", 4.5e8, 1.8e9, "", f"450{NBSP}M\u20131,8{NBSP}Md{NBSP}€"),
        ("fr", 1e10, None, "up to", f"jusqu'à 10{NBSP}Md{NBSP}€"),
        ("de", 3e10, 5e10, "", f"30\u201350{NBSP}Mrd.{NBSP}€"),
        ("de", 4e9, None, "about", f"etwa 4{NBSP}Mrd.{NBSP}€"),
        ("de", 6.3e8, None, "more than", f"mehr als 630{NBSP}Mio.{NBSP}€"),
    ],
)
def test_investment_amounts_in_french_and_german(lang, low, high, qualifier, wording):
    row = {"amount": low, "amount_max": high, "qualifier": qualifier, "currency": "EUR"}
    with use_language(lang):
        assert presentation.format_amount(row) == wording


def test_capacities_and_shares_use_the_languages_numbers():
    with use_language("fr"):
        assert presentation.format_capacity({"capacity_mw": 1400.0}) == f"1{NNBSP}400 MW"
        assert presentation.format_share(4e9, 87e9) == f"4,6{NBSP}%"
        assert presentation.format_share(4e9, 20e9) == f"20{NBSP}%"
    with use_language("de"):
        assert presentation.format_capacity({"capacity_mw": 28.8}) == "28,8 MW"
        assert (
            presentation.format_capacity({"capacity_mw": 1e3, "capacity_qualifier": "up to"})
            == "bis zu 1.000 MW"
        )


def test_region_panel_in_german_names_and_words_its_values(view):
    with use_language("de"):
        panel = presentation.region_panel(view, "44")
        brittany = presentation.region_panel(view, "53")
    values = dict(panel.values)
    assert values["Grundlage des Betrags"] != "Basis of the amount"
    assert f"2{NBSP}Mrd.{NBSP}€" in values.values()
    assert panel.name == "Grand Est"
    assert brittany.name == "Bretagne"  # INSEE's French name in German
    with use_language("en"):
        assert presentation.region_panel(view, "53").name == "Brittany"  # the English one
    tables = panel.sites_by_initiative.values()
    assert all(list(t.columns) == ["Name", "City", "Category", "Status"] for t in tables)


def test_metric_values_count_in_words_with_plurals():
    sites = presentation.METRICS["sites"]
    with use_language("de"):
        assert presentation.format_metric_value(1.0, sites) == "1 Standort"
        assert presentation.format_metric_value(3.0, sites) == "3 Standorte"
    with use_language("fr"):
        per_million = presentation.METRICS["sites_per_million"]
        assert presentation.format_metric_value(0.73, per_million) == (
            "0,73 sites par million d'habitants"
        )
    with use_language("en"):
        assert presentation.format_metric_value(1.0, sites) == "1 site"


def test_tables_keep_english_keys_and_show_translated_headers(view):
    with use_language("fr"):
        table = presentation.site_table(view.sites)
        shown = presentation.with_headers(table)
        counts = presentation.view_counts(view)
        source = presentation.column_header("Source")
    assert list(table.columns[:3]) == ["Name", "Organisation", "Category"]
    assert list(shown.columns[:3]) == ["Nom", "Organisation", "Catégorie"]
    assert source == "Source"
    assert "Commune" in shown.columns
    assert list(shown["Nom"]) == list(table["Name"])
    assert list(counts) == [
        "Sites sur la carte",
        "Régions couvertes",
        "Partenaires sans emplacement sur la carte",
    ]
    with use_language("de"):
        assert presentation.column_header("Source") == "Quelle"
        assert presentation.column_header("Where") == "Wo"
        commitments = presentation.commitment_table(view.commitments)
    assert set(commitments["Confidence"]) <= {
        "bestätigt", "unbestätigt", "laut Presse", "Quellen weichen ab"
    }  # fmt: skip


def test_timeline_names_france_and_titles_the_chart_in_the_language(dataset):
    with use_language("de"):
        table = presentation.timeline_table(dataset.events, dataset.region_names())
        spec = presentation.timeline_chart_spec(table)
    assert "Frankreich" in set(table["Scope"])
    tooltip = spec["encoding"]["tooltip"]
    assert [t["title"] for t in tooltip] == ["Wann", "Ereignis", "Geltungsbereich"]
    assert spec["encoding"]["color"]["title"] == "Wo"
    assert [t["field"] for t in tooltip] == ["When", "Event", "Scope"]


def test_investment_tables_and_totals_in_french(landscape):
    with use_language("fr"):
        table = presentation.investment_table(landscape)
        paris = presentation.region_investments_table(landscape, "11")
        head, *terms = presentation.region_totals_lines(landscape, "11")
        alsace, *_ = presentation.region_totals_lines(landscape, "44")
    assert table.loc["ms-france-2024", "Investor"] == "Microsoft (cœur de la mission)"
    assert table.loc["bf-cambrai-2025", "Amount"] == f"jusqu'à 10{NBSP}Md{NBSP}€"
    assert table.loc["mgx-2025", "Amount"] == f"30\u201350{NBSP}Md{NBSP}€"
    assert table.loc["ms-paris-2024", "Where"] == "Île-de-France (région seulement)"
    assert table.loc["nebius-bethune-2026", "Capacity"] == "240 MW"
    assert table.loc["mgx-2025", "Counted"].startswith(f"compte 30{NBSP}Md{NBSP}€")
    assert list(paris.loc["ms-paris-2024", ["Amount", "Capacity"]]) == [
        "montant non communiqué", "MW non communiqués"
    ]  # fmt: skip
    assert head == f"Compté ici{NBSP}: 350{NBSP}M{NBSP}€{NBSP}; 28,8 MW"
    assert f"1 ligne comptée ici ne donne aucun montant{NBSP}: jamais estimé." in terms
    assert f"1 ligne connue seulement par cette région{NBSP}: comptée, non dessinée." in terms
    assert alsace.endswith(f"{NBSP}; MW non communiqués")
