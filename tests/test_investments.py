"""investments.csv: every row and link checked, with a message naming file, line and field."""

from __future__ import annotations

import csv

import pytest

from geo.core.dataset import load_dataset
from geo.core.errors import DataError
from geo.core.investments import INVESTMENT_COLUMNS
from tests.helpers import copy_data, write_csv

FIELDS = [c.name for c in INVESTMENT_COLUMNS]
SOURCE = "https://example.org/source"

PROGRAMME = {
    "id": "prog",
    "investor": "Example",
    "project": "A national programme",
    "amount": "20000000000",
    "currency": "EUR",
    "precision": "not_located",
    "announced": "2025-02-10",
    "event": "ai-action-summit-2025",
    "status": "announced",
    "stated_by": "investor",
    "source_urls": SOURCE,
    "source_note": "Example release",
}
CAMPUS = {
    **PROGRAMME,
    "id": "campus",
    "project": "A campus",
    "amount": "2000000000",
    "qualifier": "more than",
    "city": "Petit-Landau",
    "insee_commune": "68254",
    "insee_reg": "44",
    "lat": "47.7308",
    "lon": "7.5194",
    "precision": "commune",
    "coord_basis": "the commune's reference point",
    "coord_source": "commune_reference",
    "announced": "2025-05-19",
    "event": "choose-france-2025",
    "part_of": "prog",
}
REGIONAL = {
    **PROGRAMME,
    "id": "regional",
    "project": "Four data centres in the region",
    "amount": "",
    "currency": "",
    "insee_reg": "11",
    "precision": "region_only",
}


def _load(tmp_path, *rows: dict[str, str]):
    data = copy_data(tmp_path)
    write_csv(
        data / "investments.csv", FIELDS, [{f: row.get(f, "") for f in FIELDS} for row in rows]
    )
    return load_dataset(data)


def _problems(tmp_path, *rows: dict[str, str]) -> list[str]:
    with pytest.raises(DataError) as err:
        _load(tmp_path, *rows)
    return [str(problem) for problem in err.value.problems]


def test_valid_rows_load_joined_to_their_regions(tmp_path):
    investments = _load(tmp_path, PROGRAMME, CAMPUS, REGIONAL).investments
    assert list(investments.index) == ["prog", "campus", "regional"]
    assert investments.at["campus", "insee_dep"] == "68"
    assert investments.at["campus", "region_name"] == "Grand Est"
    assert investments.at["regional", "insee_reg"] == "11"
    assert investments.at["regional", "geometry"] is None
    assert investments.at["prog", "insee_reg"] == ""
    assert investments.at["campus", "amount"] == 2e9


def test_the_shipped_header_is_the_schema():
    with open("data/investments.csv", encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == FIELDS


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"lat": "48.85", "lon": "2.35"},
            "line 3, field 'insee_commune': expected a commune in departement 75 (the point's), "
            "got '68254 (Petit-Landau, departement 68)'",
        ),
        (
            {"insee_reg": "11"},
            "line 3, field 'insee_reg': expected the region of the point and its commune (44), "
            "got '11'",
        ),
        ({"city": "Mulhouse"}, "line 3, field 'city': expected the name of commune 68254"),
        (
            {"amount_max": "1000000000"},
            "line 3, field 'amount_max': expected an amount_max above the amount (the high end "
            "of a range), got 1000000000.0",
        ),
        (
            {"currency": ""},
            "line 3, field 'currency': expected the currency of the amount (EUR, USD)",
        ),
        ({"precision": "exact_site"}, "line 3, field 'address': expected the street address"),
        (
            {"part_of": "nowhere"},
            "line 3, field 'part_of': expected the id of another row of this file, got 'nowhere'",
        ),
        (
            {"part_of": "campus"},
            "line 3, field 'part_of': expected the id of another row (not the row itself)",
        ),
        (
            {"announced": "2025-01", "revises": "prog"},
            "line 3, field 'revises': expected a row announced no later than this one (2025-01)",
        ),
        ({"coord_basis": ""}, "line 3, field 'coord_basis': expected where the point comes from"),
        ({"lat": "60", "lon": "7.5"}, "line 3, field 'lat': expected a coordinate in France"),
        ({"status": "rumoured"}, "line 3, field 'status': expected one of announced, permit_filed"),
        ({"source_urls": ""}, "line 3, field 'source_urls'"),
        ({"project": "x\x07y"}, "line 3, field 'project': expected text without control"),
    ],
)
def test_a_broken_row_names_its_line_and_field(tmp_path, change, message):
    problems = _problems(tmp_path, PROGRAMME, {**CAMPUS, **change}, REGIONAL)
    assert any(message in p and p.startswith("data/investments.csv") for p in problems), problems


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"lat": "48.85", "lon": "2.35"},
            "field 'lat': expected no lat for precision 'region_only'",
        ),
        (
            {"insee_reg": ""},
            "field 'insee_reg': expected the region's INSEE code for precision 'region_only'",
        ),
        ({"insee_reg": "99"}, "field 'insee_reg': expected a region code of regions.geojson"),
        (
            {"precision": "not_located"},
            "field 'insee_reg': expected no insee_reg for precision 'not_located'",
        ),
    ],
)
def test_region_only_rows_name_a_region_and_no_point(tmp_path, change, message):
    problems = _problems(tmp_path, PROGRAMME, CAMPUS, {**REGIONAL, **change})
    assert any(f"line 4, {message}" in p for p in problems), problems


def test_revisions_form_a_line_and_restatements_restate_an_original(tmp_path):
    raise_1 = {**PROGRAMME, "id": "raise-1", "announced": "2026", "revises": "prog"}
    raise_2 = {**PROGRAMME, "id": "raise-2", "announced": "2026", "revises": "prog"}
    again = {**PROGRAMME, "id": "again", "announced": "2026", "restates": "prog"}
    again_2 = {**PROGRAMME, "id": "again-2", "announced": "2026", "restates": "again"}
    problems = _problems(tmp_path, PROGRAMME, raise_1, raise_2, again, again_2)
    assert problems == [
        "data/investments.csv, line 4, field 'revises': expected a row not already revised "
        "(revised by 'raise-1'), got 'prog'",
        "data/investments.csv, line 6, field 'restates': expected the original row, not a "
        "restatement (it restates 'prog'), got 'again'",
    ]


def test_a_part_of_loop_is_refused(tmp_path):
    a = {**PROGRAMME, "id": "a", "part_of": "b"}
    b = {**PROGRAMME, "id": "b", "part_of": "a"}
    problems = _problems(tmp_path, a, b)
    assert (
        "data/investments.csv, line 2, field 'part_of': expected a parent that is not, in "
        "turn, part of this row, got 'b'" in problems
    )
