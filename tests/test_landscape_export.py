"""Investment exports: the CSV of every shown row with its count columns (formulas
neutralised), the GeoJSON (null geometry where there is no point), the metrics CSV's
announced columns and terms, and file names."""

from __future__ import annotations

import csv
import io
import json

import landscape_samples as ls
import pytest

from geo import export
from geo.core.dataset import load_dataset
from geo.core.landscape import COUNT_COLUMNS, InvestmentFilter
from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.export import ExportRequest


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return load_dataset(ls.landscape_data(tmp_path_factory.mktemp("landscape-export")))


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def view_of(data, **chosen):
    return compute_view(data, ViewState(investments=InvestmentFilter(**chosen)))


def test_investments_csv_lists_every_shown_row_with_its_count(data):
    rows = rows_of(export.investments_csv(view_of(data)))
    assert [r["id"] for r in rows] == [r["id"] for r in ls.ROWS]
    assert list(rows[0])[-len(COUNT_COLUMNS) :] == list(COUNT_COLUMNS)
    by_id = {r["id"]: r for r in rows}
    assert by_id["brook-2025"]["counted"] == "no"  # raised in 2026: the later row counts
    assert float(by_id["brook-2026"]["counted_eur"]) == 30e9
    assert by_id["equinix-again"]["counted"] == "no"  # the same money said again
    assert by_id["ms-petit-landau"]["focus"] == "yes"
    assert by_id["nebius-bethune"]["amount"] == ""  # not disclosed: empty, never 0
    assert by_id["mgx-fouju"]["partners"] == "Bpifrance;Mistral AI;Nvidia"  # as written
    assert all(r["count_note"] for r in rows)


def test_investments_csv_neutralises_formulas_and_keeps_text_as_written(data):
    rows = rows_of(export.investments_csv(view_of(data)))
    by_id = {r["id"]: r for r in rows}
    assert by_id["usd-south"]["investor"] == "'" + ls.FORMULA_INVESTOR
    assert by_id["brook-2025"]["project"] == ls.HOSTILE_PROJECT  # CSV is text, not HTML


def test_investments_follow_the_filters(data):
    rows = rows_of(export.investments_csv(view_of(data, investors=("Equinix",))))
    assert [r["id"] for r in rows] == ["equinix-meudon", "equinix-again"]


def test_investments_geojson_has_points_and_null_geometries(data):
    collection = json.loads(export.investments_geojson(view_of(data)))
    features = collection["features"]
    assert [f["id"] for f in features] == [r["id"] for r in ls.ROWS]
    nulls = [f["id"] for f in features if f["geometry"] is None]
    assert len(nulls) == ls.NO_POINT
    assert set(nulls) == {"ms-programme", "ms-paris-region", "mgx-envelope", "usd-south"}
    fouju = next(f for f in features if f["id"] == "mgx-fouju")
    assert fouju["geometry"] == {"type": "Point", "coordinates": [2.773, 48.583]}
    assert fouju["properties"]["counted"] == "yes"


def test_metrics_csv_has_the_announced_columns_and_terms(data):
    rows = {r["insee_reg"]: r for r in rows_of(export.metrics_csv(view_of(data)))}
    for column in ("announced_eur", "announced_eur_high", "announced_mw", "investments",
                   "microsoft_eur", export.TERMS_COLUMN):  # fmt: skip
        assert column in rows["11"]
    assert float(rows["11"]["announced_eur"]) == ls.REGION_EUR["11"]
    assert float(rows["32"]["announced_eur"]) == ls.REGION_EUR["32"]
    assert rows["32"][export.TERMS_COLUMN]  # Brookfield's revision is said
    assert rows["53"][export.TERMS_COLUMN] == ""  # Bretagne: no investment


def test_render_export_and_file_names(data):
    state = ViewState(layer_investments=True)
    for fmt, name in (
        ("investments-csv", "france-ai-investment_all_investments.csv"),
        ("investments-geojson", "france-ai-investment_all_investments.geojson"),
    ):
        request = ExportRequest(state, fmt)
        assert export.export_file_name(request) == name
        data_bytes = export.render_export(data, request)
        assert data_bytes.decode("utf-8").count("ms-programme") >= 1


@pytest.mark.parametrize(
    ("state", "fmt", "name"),
    [
        (
            ViewState(layer_investments=True),
            "png",
            "france-ai-investment_all_investments_a4-landscape.png",
        ),
        (
            ViewState(metric="announced_eur", layer_investments=True),
            "html",
            "france-ai-investment_all_announced-eur_investments_interactive-map.html",
        ),
        (
            ViewState(metric="announced_mw"),
            "pdf",
            "france-ai-investment_all_announced-mw_a4-landscape.pdf",
        ),
        (
            ViewState(investments=InvestmentFilter(statuses=("operating",))),
            "investments-csv",
            "france-ai-investment_all_filtered_investments.csv",
        ),
    ],
)
def test_file_names_say_the_layer_and_the_investment_filter(state, fmt, name):
    assert export.export_file_name(ExportRequest(state, fmt)) == name
