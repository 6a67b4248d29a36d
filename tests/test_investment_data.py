"""The shipped investments.csv: sourced rows, honest locations, each euro counted once."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.core import vocabulary as voc
from geo.core.landscape import InvestmentFilter, compute_investment_view


@pytest.fixture(scope="module")
def investments(dataset):
    return dataset.investments


@pytest.fixture(scope="module")
def landscape(dataset):
    return compute_investment_view(dataset.investments, InvestmentFilter(), dataset.regions.index)


def test_every_row_has_sources_and_a_precision_class(investments):
    assert len(investments) >= 20
    for row_id, row in investments.iterrows():
        assert row["source_urls"], row_id
        assert all(url.startswith(("https://", "http://")) for url in row["source_urls"]), row_id
        assert row["source_note"], row_id
        assert row["precision"] in voc.PRECISIONS, row_id


def test_points_promise_no_more_than_their_class(investments):
    located = investments[investments.geometry.notna()]
    assert set(located["precision"]) <= {"exact_site", "campus", "commune", "city_centre"}
    for row_id, row in located.iterrows():
        assert row["insee_commune"], row_id
        assert row["coord_basis"], row_id
        if row["precision"] in ("exact_site", "campus"):
            assert row["coord_source"] in voc.ADDRESS_SOURCES, row_id
    unlocated = investments[investments.geometry.isna()]
    assert (unlocated["insee_reg"] != "").equals(unlocated["precision"] == "region_only")


def test_microsofts_programme_is_one_investors_eur_4_bn(investments, landscape):
    microsoft = investments[investments["investor"] == voc.FOCUS_INVESTOR]
    programme = microsoft[microsoft["part_of"] == ""]
    assert list(programme["amount"]) == [4e9]
    assert set(microsoft["event"]) == {"choose-france-2024"}
    parts = microsoft[microsoft["part_of"] != ""]
    assert set(parts["insee_reg"]) >= {"11", "93", "44"}
    assert (parts.loc[parts["insee_reg"].isin(["11", "93"]), "precision"] == "region_only").all()
    assert landscape.totals.microsoft_eur == pytest.approx(4e9)


def test_every_chain_counts_one_row(landscape):
    rows = landscape.rows
    counted_per_chain = rows.groupby("chain")["counted"].sum()
    assert (counted_per_chain == 1).all()
    assert not rows.loc[~rows["counted"], "counted_eur"].gt(0).any()


def test_region_sums_and_the_rest_add_up_to_the_total(landscape):
    rows = landscape.rows
    by_hand = rows[rows["insee_reg"] != ""].groupby("insee_reg")["counted_eur"].sum()
    table = landscape.by_region["announced_eur"].fillna(0)
    pd.testing.assert_series_equal(
        table[by_hand.index], by_hand, check_names=False, check_index_type=False
    )
    assert landscape.totals.eur == pytest.approx(table.sum() + landscape.totals.not_located_eur)
    assert landscape.totals.eur == pytest.approx(rows["counted_eur"].sum())
