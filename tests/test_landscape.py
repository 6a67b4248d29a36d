"""Counting the investment landscape: pledge chains, parts, ranges and the region sums."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest

from geo.core import vocabulary as voc
from geo.core.landscape import (
    InvestmentFilter,
    compute_investment_view,
    count_investments,
    filter_investments,
    investment_options,
    landscape_totals,
    region_investments,
)
from geo.i18n import use_language

BN = 1e9
REGIONS = ["11", "32", "44", "84", "93"]


def _rows(*specs: dict) -> gpd.GeoDataFrame:
    """Investment rows as load_investments returns them, from a few fields each."""
    base = {
        "investor": "Someone",
        "amount": math.nan,
        "amount_max": math.nan,
        "qualifier": "",
        "currency": "",
        "capacity_mw": math.nan,
        "insee_reg": "",
        "precision": "not_located",
        "event": "",
        "status": "announced",
        "restates": "",
        "revises": "",
        "part_of": "",
    }
    rows = []
    for line, spec in enumerate(specs, start=2):
        row = {**base, "line": line, **spec}
        if not math.isnan(row["amount"]) and not row["currency"]:
            row["currency"] = "EUR"
        if row["insee_reg"] and row["precision"] == "not_located":
            row["precision"] = "region_only"
        rows.append(row)
    frame = pd.DataFrame(rows).set_index("id", drop=False).rename_axis(None)
    return gpd.GeoDataFrame(frame, geometry=[None] * len(frame), crs="EPSG:4326")


def _added(counted: pd.DataFrame) -> dict[str, float]:
    """Row id -> euros it adds, NaN kept as None for readable comparisons."""
    return {
        row_id: None if math.isnan(value) else value / BN
        for row_id, value in counted["counted_eur"].items()
    }


# (name, rows, euros each row adds in EUR bn (None: not disclosed), total in EUR bn)
CASES = [
    ("one pledge", [{"id": "a", "amount": 4 * BN, "announced": "2024-05-13"}], {"a": 4}, 4),
    (
        "restated at a later summit: the original counts",
        [
            {"id": "a", "amount": 4 * BN, "announced": "2024-05"},
            {"id": "b", "amount": 4 * BN, "announced": "2025-05", "restates": "a"},
        ],
        {"a": 4, "b": 0},
        4,
    ),
    (
        "raised later: the revision counts, the first figure does not",
        [
            {"id": "a", "amount": 20 * BN, "announced": "2025-02"},
            {"id": "b", "amount": 30 * BN, "announced": "2026", "revises": "a"},
        ],
        {"a": 0, "b": 30},
        30,
    ),
    (
        "raised twice",
        [
            {"id": "a", "amount": 1 * BN, "announced": "2024"},
            {"id": "b", "amount": 2 * BN, "announced": "2025", "revises": "a"},
            {"id": "c", "amount": 3 * BN, "announced": "2026", "revises": "b"},
        ],
        {"a": 0, "b": 0, "c": 3},
        3,
    ),
    (
        "a located part is deducted from its programme",
        [
            {"id": "p", "amount": 20 * BN, "announced": "2025-02"},
            {
                "id": "c",
                "amount": 10 * BN,
                "announced": "2025-05",
                "part_of": "p",
                "insee_reg": "32",
            },
        ],
        {"p": 10, "c": 10},
        20,
    ),
    (
        "a part of a programme raised later belongs to the raise",
        [
            {"id": "p", "amount": 20 * BN, "announced": "2025-02"},
            {
                "id": "c",
                "amount": 10 * BN,
                "announced": "2025-05",
                "part_of": "p",
                "insee_reg": "32",
            },
            {"id": "q", "amount": 30 * BN, "announced": "2026", "revises": "p"},
        ],
        {"p": 0, "c": 10, "q": 20},
        30,
    ),
    (
        "parts larger than their programme: the parts count, the programme adds nothing",
        [
            {"id": "p", "amount": 5 * BN, "announced": "2025"},
            {"id": "c", "amount": 4 * BN, "announced": "2025", "part_of": "p", "insee_reg": "11"},
            {"id": "d", "amount": 3 * BN, "announced": "2025", "part_of": "p", "insee_reg": "84"},
        ],
        {"p": 0, "c": 4, "d": 3},
        7,
    ),
    (
        "a programme without an amount: its disclosed part still counts",
        [
            {"id": "p", "announced": "2024"},
            {"id": "c", "amount": 2 * BN, "announced": "2024", "part_of": "p", "insee_reg": "44"},
        ],
        {"p": None, "c": 2},
        2,
    ),
    (
        "a part without an amount deducts nothing",
        [
            {"id": "p", "amount": 4 * BN, "announced": "2024"},
            {"id": "c", "announced": "2024", "part_of": "p", "insee_reg": "11"},
        ],
        {"p": 4, "c": None},
        4,
    ),
    (
        "a range counts its low end",
        [{"id": "a", "amount": 30 * BN, "amount_max": 50 * BN, "announced": "2025-02"}],
        {"a": 30},
        30,
    ),
    (
        "an amount in dollars is not added to the euros",
        [{"id": "a", "amount": 1 * BN, "currency": "USD", "announced": "2024"}],
        {"a": None},
        0,
    ),
    (
        "nested: a programme, a phase, the phase's sites",
        [
            {"id": "p", "amount": 75 * BN, "announced": "2026"},
            {"id": "ph", "amount": 45 * BN, "announced": "2026", "part_of": "p"},
            {"id": "s1", "amount": 5 * BN, "announced": "2026", "part_of": "ph", "insee_reg": "32"},
            {"id": "s2", "announced": "2026", "part_of": "ph", "insee_reg": "32"},
        ],
        {"p": 30, "ph": 40, "s1": 5, "s2": None},
        75,
    ),
    (
        "a restated part counts once, in its original",
        [
            {"id": "p", "amount": 20 * BN, "announced": "2025-02"},
            {
                "id": "c",
                "amount": 10 * BN,
                "announced": "2025-05",
                "part_of": "p",
                "insee_reg": "32",
            },
            {
                "id": "c2",
                "amount": 10 * BN,
                "announced": "2025-11",
                "restates": "c",
                "insee_reg": "32",
            },
        ],
        {"p": 10, "c": 10, "c2": 0},
        20,
    ),
]


@pytest.mark.parametrize(
    ("rows", "added", "total"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_chain_cases_count_each_euro_once(rows, added, total):
    counted = count_investments(_rows(*rows))
    assert _added(counted) == added
    assert landscape_totals(counted).eur == pytest.approx(total * BN)


def test_a_restatement_shown_without_its_original_counts():
    rows = _rows(
        {"id": "a", "amount": 4 * BN, "announced": "2024-05"},
        {"id": "b", "amount": 4 * BN, "announced": "2025-05", "restates": "a"},
    )
    alone = count_investments(rows.loc[["b"]])
    assert _added(alone) == {"b": 4}
    assert alone.at["b", "count_note"] == "counted"


def test_the_first_figure_counts_when_its_raise_is_filtered_out():
    rows = _rows(
        {"id": "a", "amount": 20 * BN, "announced": "2025-02"},
        {"id": "b", "amount": 30 * BN, "announced": "2026-02", "revises": "a"},
    )
    shown = filter_investments(rows, InvestmentFilter(years=("2025",)))
    assert _added(count_investments(shown)) == {"a": 20}


def test_a_part_whose_programme_is_filtered_out_counts_alone():
    rows = _rows(
        {"id": "p", "amount": 20 * BN, "announced": "2025", "investor": "Big"},
        {"id": "c", "amount": 10 * BN, "announced": "2025", "part_of": "p", "insee_reg": "32"},
    )
    shown = filter_investments(rows, InvestmentFilter(), regions=("32",))
    assert _added(count_investments(shown)) == {"c": 10}


def test_notes_say_why_a_row_adds_what_it_adds():
    counted = count_investments(
        _rows(
            {"id": "a", "amount": 4 * BN, "announced": "2024-05"},
            {"id": "b", "amount": 4 * BN, "announced": "2025-05", "restates": "a"},
            {"id": "p", "amount": 20 * BN, "announced": "2025-02"},
            {
                "id": "c",
                "amount": 10 * BN,
                "announced": "2025-05",
                "part_of": "p",
                "insee_reg": "32",
            },
            {"id": "q", "amount": 30 * BN, "announced": "2026", "revises": "p"},
            {"id": "x", "announced": "2025"},
        )
    )
    notes = dict(counted["count_note"])
    assert notes["a"] == "counted"
    assert notes["b"] == "restates a: counted once, in a"
    assert notes["p"] == "revised later: q counts instead"
    assert notes["c"] == "counted; part of q, deducted from it"
    assert notes["q"] == "counted; less its located parts (c)"
    assert notes["x"] == "counted; amount not disclosed, adds nothing"


def test_capacity_follows_the_same_rules():
    counted = count_investments(
        _rows(
            {"id": "p", "capacity_mw": 1000, "announced": "2025-02"},
            {
                "id": "c",
                "capacity_mw": 400,
                "announced": "2025-05",
                "part_of": "p",
                "insee_reg": "32",
            },
            {
                "id": "r",
                "capacity_mw": 400,
                "announced": "2025-11",
                "restates": "c",
                "insee_reg": "32",
            },
        )
    )
    assert dict(counted["counted_mw"]) == {"p": 600, "c": 400, "r": 0}


def test_region_totals_equal_a_hand_sum_of_the_counted_rows():
    rows = _rows(
        {"id": "ms", "investor": "Microsoft", "amount": 4 * BN, "announced": "2024-05-13"},
        {
            "id": "ms-paris",
            "investor": "Microsoft",
            "announced": "2024-05-13",
            "part_of": "ms",
            "insee_reg": "11",
        },
        {
            "id": "ms-alsace",
            "investor": "Microsoft",
            "amount": 2 * BN,
            "qualifier": "more than",
            "announced": "2024-05-13",
            "part_of": "ms",
            "insee_reg": "44",
        },
        {"id": "bf", "amount": 20 * BN, "announced": "2025-02", "capacity_mw": 1000},
        {
            "id": "bf-cambrai",
            "amount": 10 * BN,
            "qualifier": "up to",
            "announced": "2025-05",
            "part_of": "bf",
            "insee_reg": "32",
        },
        {"id": "bf-raise", "amount": 30 * BN, "announced": "2026", "revises": "bf"},
        {
            "id": "d4",
            "amount": 5 * BN,
            "announced": "2025-12",
            "insee_reg": "32",
            "capacity_mw": 200,
        },
        {
            "id": "eq",
            "amount": 630e6,
            "qualifier": "more than",
            "announced": "2024-05",
            "insee_reg": "11",
        },
        {
            "id": "eq-meudon",
            "amount": 350e6,
            "announced": "2025-02",
            "part_of": "eq",
            "insee_reg": "11",
            "capacity_mw": 28.8,
        },
        {"id": "mgx", "amount": 30 * BN, "amount_max": 50 * BN, "announced": "2025-02"},
        {
            "id": "ev",
            "amount": 4 * BN,
            "announced": "2025-02",
            "insee_reg": "93",
            "capacity_mw": 96,
        },
        {
            "id": "ev-again",
            "amount": 4 * BN,
            "announced": "2025-05",
            "restates": "ev",
            "insee_reg": "93",
        },
    )
    view = compute_investment_view(rows, InvestmentFilter(), REGIONS)
    # By hand: what each region holds once chains and parts are resolved.
    assert view.by_region["announced_eur"].to_dict() == {
        "11": 630e6,  # eq 630 m: its Meudon part (350 m) plus the rest of the programme (280 m)
        "32": 15 * BN,  # Cambrai 10 bn + Escaudain 5 bn
        "44": 2 * BN,  # Microsoft's Alsace campus (a press figure, "more than")
        "84": 0.0,
        "93": 4 * BN,  # Evroc once, not its restatement
    }
    assert view.by_region.at["11", "microsoft_eur"] == 0
    assert view.by_region.at["44", "microsoft_eur"] == 2 * BN
    assert view.by_region.at["11", "not_disclosed"] == 1  # Microsoft's Paris expansion
    mw = view.by_region["announced_mw"]
    assert (mw["11"], mw["32"], mw["84"], mw["93"]) == (28.8, 200.0, 0.0, 96.0)
    assert math.isnan(mw["44"])  # the Alsace campus states no capacity: not disclosed, not 0
    totals = view.totals
    # 4 (Microsoft) + 30 (Brookfield's raise) + 5 + 0.63 + 30 (MGX low end) + 4 (Evroc)
    assert totals.eur == pytest.approx(73.63 * BN)
    assert totals.eur_high == pytest.approx(93.63 * BN)
    assert totals.not_located_eur == pytest.approx(2 * BN + 20 * BN + 30 * BN)
    assert totals.eur == pytest.approx(
        view.by_region["announced_eur"].sum() + totals.not_located_eur
    )
    assert totals.microsoft_eur == pytest.approx(4 * BN)
    assert (totals.restated, totals.revised, totals.ranges) == (1, 1, 1)
    assert totals.qualified == {"up to": 1, "more than": 2, "about": 0}
    assert totals.mw == pytest.approx(1000 + 200 + 28.8 + 96)


def test_region_sums_keep_not_disclosed_apart_from_zero():
    rows = _rows({"id": "x", "announced": "2025", "insee_reg": "11"})
    table = region_investments(count_investments(rows), REGIONS)
    assert math.isnan(table.at["11", "announced_eur"])  # listed, amount not disclosed
    assert table.at["32", "announced_eur"] == 0.0  # nothing announced there
    assert table.at["11", "investments"] == 1


def test_terms_say_what_the_total_includes_and_excludes():
    rows = _rows(
        {"id": "a", "amount": 4 * BN, "announced": "2024-05"},
        {"id": "b", "amount": 4 * BN, "announced": "2025-05", "restates": "a"},
        {
            "id": "m",
            "amount": 30 * BN,
            "amount_max": 50 * BN,
            "qualifier": "about",
            "announced": "2025",
        },
        {"id": "r", "announced": "2025", "insee_reg": "11"},
        {"id": "u", "amount": 1 * BN, "currency": "USD", "announced": "2025"},
    )
    terms = " ".join(compute_investment_view(rows, InvestmentFilter(), REGIONS).totals.terms())
    assert "5 announcements shown, 4 counted" in terms
    assert "1 restatement(s) of an earlier pledge and 0 figure(s) later revised" in terms
    assert "2 counted announcement(s) disclose no amount" not in terms  # USD has an amount
    assert "1 counted announcement(s) disclose no amount" in terms
    assert "their high ends would add EUR 20 bn" in terms
    assert "1 'about' count as stated" in terms
    assert "1 announcement(s) are known only by region" in terms
    assert "1 amount(s) in another currency are not converted" in terms
    assert "EUR 34 bn is in no region" in terms


def test_headline_gives_microsofts_share():
    rows = _rows(
        {"id": "ms", "investor": "Microsoft", "amount": 4 * BN, "announced": "2024"},
        {"id": "o", "amount": 36 * BN, "announced": "2025", "capacity_mw": 1400},
    )
    totals = compute_investment_view(rows, InvestmentFilter(), REGIONS).totals
    assert totals.headline() == (
        "EUR 40 bn announced, counted once per pledge chain; Microsoft EUR 4 bn (10.0 %); "
        "1,400 MW of capacity."
    )


def test_filters_keep_investor_event_year_status():
    rows = _rows(
        {"id": "a", "investor": "A", "announced": "2024-05", "event": "choose-france-2024"},
        {"id": "b", "investor": "B", "announced": "2025-02", "status": "operating"},
        {"id": "c", "investor": "B", "announced": "2025-05", "event": "choose-france-2025"},
    )
    pick = lambda **kw: list(filter_investments(rows, InvestmentFilter(**kw)).index)  # noqa: E731
    assert pick(investors=("B",)) == ["b", "c"]
    assert pick(events=("none",)) == ["b"]
    assert pick(events=("choose-france-2024", "choose-france-2025")) == ["a", "c"]
    assert pick(years=("2025",)) == ["b", "c"]
    assert pick(statuses=("operating",)) == ["b"]
    assert pick(investors=("B",), years=("2024",)) == []
    assert InvestmentFilter(investors=("B",), events=("none",)).describe() == (
        "investor: B; event: Outside a summit"
    )


def test_parts_larger_than_their_programme_in_mw_are_said():
    counted = count_investments(
        _rows(
            {"id": "p", "amount": 30 * BN, "capacity_mw": 1000, "announced": "2025-02"},
            {
                "id": "c",
                "amount": 8.5 * BN,
                "capacity_mw": 1400,
                "announced": "2025-05",
                "part_of": "p",
                "insee_reg": "11",
            },
        )
    )
    assert dict(counted["counted_mw"]) == {"p": 0.0, "c": 1400.0}
    assert _added(counted) == {"p": 21.5, "c": 8.5}
    assert counted.at["p", "count_note"] == (
        "counted; less its located parts (c); its located parts' capacity adds up to more "
        "than its own: the parts count"
    )
    assert landscape_totals(counted).parts_exceed == ()  # in euros the parts fit


def _french_sample():
    return _rows(
        {"id": "ms", "investor": "Microsoft", "amount": 4 * BN, "announced": "2024"},
        {
            "id": "o",
            "amount": 235.88 * BN,
            "amount_max": 240 * BN,
            "qualifier": "about",
            "announced": "2025",
            "capacity_mw": 1400,
        },
        {"id": "n", "announced": "2025", "insee_reg": "11"},
    )


def test_headline_in_french_and_german_takes_babel_money_and_percent():
    with use_language("fr"):
        totals = compute_investment_view(_french_sample(), InvestmentFilter(), REGIONS).totals
        assert totals.headline() == (
            "239,88\u00a0Md\u00a0€ annoncés, comptés une fois par chaîne d’engagements "
            "(jusqu’à 244\u00a0Md\u00a0€ avec le haut des fourchettes)\u00a0; "
            "Microsoft 4\u00a0Md\u00a0€ (1,7\u00a0%)\u00a0; 1\u202f400\u00a0MW de capacité."
        )
    with use_language("de"):
        assert totals.headline().startswith(
            "239,88\u00a0Mrd.\u00a0€ angekündigt, einmal pro Zusagenkette gezählt"
        )
        assert "Microsoft 4\u00a0Mrd.\u00a0€ (1,7\u00a0%)" in totals.headline()
    assert totals.headline().startswith("EUR 239.88 bn announced")  # English again after


def test_terms_in_french_count_with_plurals_and_french_money():
    with use_language("fr"):
        totals = compute_investment_view(_french_sample(), InvestmentFilter(), REGIONS).totals
        terms = " ".join(totals.terms())
        assert totals.terms()[0].startswith("3 annonces affichées, 3 comptées.")
        assert "1 annonce comptée ne communique aucun montant" in terms
        assert (
            "1 fourchette compte à son bas\u00a0; son haut ajouterait 4,12\u00a0Md\u00a0€." in terms
        )
        assert "1 «\u00a0environ\u00a0»" in terms
        assert "1 annonce n’est connue que par sa région" in terms
        empty = compute_investment_view(
            _french_sample(), InvestmentFilter(years=("1999",)), REGIONS
        )
        assert empty.totals.headline() == "Aucun investissement annoncé ne correspond aux filtres."


def test_count_notes_and_parts_exceed_in_french():
    rows = _rows(
        {"id": "p", "amount": 10 * BN, "announced": "2025-02"},
        {"id": "c", "amount": 12 * BN, "announced": "2025-05", "part_of": "p", "insee_reg": "11"},
        {"id": "r", "amount": 12 * BN, "announced": "2025-06", "restates": "c"},
    )
    with use_language("fr"):
        counted = count_investments(rows)
        totals = landscape_totals(counted)
        parts_note = totals.terms()[-1]
    assert counted.at["r", "count_note"] == "reprend c\u00a0: compté une fois, dans c"
    assert counted.at["p", "count_note"] == (
        "compté\u00a0; moins ses parties localisées (c)\u00a0; "
        "ses parties localisées le dépassent\u00a0: les parties comptent"
    )
    assert totals.parts_exceed == ("p",)
    assert parts_note.startswith("Les parties localisées de p dépassent son chiffre annoncé")


def test_investment_filter_described_and_offered_in_german():
    flt = InvestmentFilter(events=("none",), statuses=("under_construction",))
    with use_language("de"):
        assert flt.describe() == "Ereignis: Außerhalb eines Gipfels; Status: Im Bau"
        assert InvestmentFilter().describe() == "Alle angekündigten Investitionen"
        options = investment_options(_rows({"id": "a", "announced": "2025"}))
    assert options["statuses"]["permit_filed"] == "Genehmigung beantragt"
    assert options["events"]["none"] == "Außerhalb eines Gipfels"
    assert list(options["statuses"]) == list(voc.INVESTMENT_STATUSES)  # keys as stored
