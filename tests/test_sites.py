"""Validation of sites.csv and commitments.csv: each broken input has its exact message."""

from __future__ import annotations

import csv

import pytest
from helpers import DATA_DIR, copy_data, edit_csv, write_csv

from geo.core.errors import DataError
from geo.core.sites import load_commitments, load_sites

SITE_CASES = [
    (
        "station-f",
        {"lat": "N/A"},
        "field 'lat': expected a number between -90 and 90, got 'N/A'",
    ),
    (
        "station-f",
        {"lat": "60.1"},
        "field 'lat': expected a coordinate in France (metropolitan France: lat 41.0 to 51.5, "
        "lon -5.8 to 10.0, or an overseas region), got 'lat 60.1, lon 2.3713'",
    ),
    (
        "station-f",
        {"lon": "-30"},
        "field 'lon': expected a coordinate in France (metropolitan France: lat 41.0 to 51.5, "
        "lon -5.8 to 10.0, or an overseas region), got 'lat 48.8339, lon -30'",
    ),
    (
        "station-f",
        {"category": "school"},
        "field 'category': expected one of data_centre, microsoft_office, higher_education, "
        "training_partner, inclusion_partner, public_partner, startup_hub, event_venue, "
        "got 'school'",
    ),
    (
        "station-f",
        {"initiatives": "startups;ai"},
        "field 'initiatives': expected values from infrastructure, skilling, startups, "
        "sustainability (separated by ';'), got 'ai'",
    ),
    (
        "station-f",
        {"initiatives": ""},
        "field 'initiatives': expected at least one of infrastructure, skilling, startups, "
        "sustainability (separated by ';'), got ''",
    ),
    (
        "station-f",
        {"source_urls": ""},
        "field 'source_urls': expected at least one source URL (http or https), got ''",
    ),
    (
        "station-f",
        {"source_urls": "javascript:alert(1)"},
        "field 'source_urls': expected http(s) URLs separated by spaces, got 'javascript:alert(1)'",
    ),
    (
        "station-f",
        {"precision": "approximate"},
        "field 'precision': expected one of exact_site, campus, commune, city_centre, "
        "region_only, not_located, got 'approximate'",
    ),
    (
        "fast-lane",
        {"lat": "48.85", "lon": "2.35"},
        "field 'lat': expected no coordinate for precision 'not_located', got '48.85, 2.35'",
    ),
    (
        "station-f",
        {"lon": ""},
        "field 'lon': expected a number (a coordinate in France (metropolitan France: "
        "lat 41.0 to 51.5, lon -5.8 to 10.0, or an overseas region)), got ''",
    ),
    (
        "station-f",
        {"id": "Station F"},
        "field 'id': expected an id of lower-case letters, digits and hyphens "
        "(e.g. 'station-f'), got 'Station F'",
    ),
    (
        "station-f",
        {"insee_commune": "7505"},
        "field 'insee_commune': expected a 5-character INSEE commune code, got '7505'",
    ),
    (
        "station-f",
        {"location_confirmed": "maybe"},
        "field 'location_confirmed': expected yes or no, got 'maybe'",
    ),
    ("station-f", {"name": ""}, "field 'name': expected a non-empty text, got ''"),
]


@pytest.mark.parametrize(("row_id", "changes", "message"), SITE_CASES)
def test_broken_site_row_names_file_line_field_and_value(tmp_path, row_id, changes, message):
    data = copy_data(tmp_path)
    line = edit_csv(data / "sites.csv", row_id, **changes)
    with pytest.raises(DataError) as caught:
        load_sites(data / "sites.csv")
    assert [str(p) for p in caught.value.problems] == [
        f"{data / 'sites.csv'}, line {line}, {message}"
    ]


def test_every_problem_of_a_file_is_reported_in_one_run(tmp_path):
    data = copy_data(tmp_path)
    first = edit_csv(data / "sites.csv", "station-f", lat="abc")
    second = edit_csv(data / "sites.csv", "rennes-sb", category="")
    with pytest.raises(DataError) as caught:
        load_sites(data / "sites.csv")
    lines = [(p.line, p.field) for p in caught.value.problems]
    assert lines == [(first, "lat"), (second, "category")]


def test_duplicate_id_points_at_the_first_occurrence(tmp_path):
    data = copy_data(tmp_path)
    station = edit_csv(data / "sites.csv", "station-f")
    rennes = edit_csv(data / "sites.csv", "rennes-sb", id="station-f")
    first, later = sorted((rennes, station))
    with pytest.raises(DataError) as caught:
        load_sites(data / "sites.csv")
    assert str(caught.value) == (
        f"{data / 'sites.csv'}, line {later}, field 'id': expected a unique id "
        f"(line {first} has it), got 'station-f'"
    )


def test_missing_column_is_named(tmp_path):
    data = copy_data(tmp_path)
    path = data / "sites.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = [name for name in rows[0] if name != "precision"]
    for row in rows:
        del row["precision"]
    write_csv(path, fields, rows)
    with pytest.raises(DataError) as caught:
        load_sites(path)
    assert str(caught.value) == (
        f"{path}, line 1, field 'precision': expected this column in the header"
    )


def test_missing_file(tmp_path):
    with pytest.raises(DataError) as caught:
        load_sites(tmp_path / "sites.csv")
    assert (
        str(caught.value)
        == f"{tmp_path / 'sites.csv'}: expected an existing file, got 'no such file'"
    )


def test_not_utf8(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_bytes((DATA_DIR / "sites.csv").read_bytes().replace("Bègles".encode(), b"B\xe8gles"))
    with pytest.raises(DataError) as caught:
        load_sites(path)
    line = next(n for n, row in enumerate(path.read_bytes().split(b"\n"), 1) if b"\xe8" in row)
    assert str(caught.value) == (
        f"{path}, line {line}: expected UTF-8 text (save the file as UTF-8), "
        "got 'byte 0xe8, which is not UTF-8 (is the file Latin-1 or cp1252?)'"
    )


def test_oversized_file(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_bytes(b"id\n" + b"x" * (6 * 1024 * 1024))
    with pytest.raises(DataError) as caught:
        load_sites(path)
    assert str(caught.value) == f"{path}: expected a file of at most 5 MB, got '6.3 MB'"


def test_row_with_extra_fields(tmp_path):
    data = copy_data(tmp_path)
    path = data / "sites.csv"
    path.write_text(path.read_text(encoding="utf-8") + "extra," * 30 + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_sites(path)
    assert "expected no more fields than header columns" in str(caught.value)


def test_html_in_a_name_is_data_not_an_error(tmp_path):
    data = copy_data(tmp_path)
    edit_csv(data / "sites.csv", "station-f", name="<img src=x onerror=alert(1)>")
    sites = load_sites(data / "sites.csv")
    assert sites.at["station-f", "name"] == "<img src=x onerror=alert(1)>"


def test_sites_are_cleaned():
    sites = load_sites(DATA_DIR / "sites.csv")
    petit_landau = sites.loc["dc-petit-landau"]
    assert petit_landau["initiatives"] == ("infrastructure",)
    assert petit_landau["lat"] == pytest.approx(47.7308)
    assert petit_landau["location_confirmed"] is False or petit_landau["location_confirmed"] == 0
    assert sites.loc["fast-lane", ["lat", "lon"]].isna().all()


COMMITMENT_CASES = [
    ("gpus", {"value": "lots"}, "field 'value': expected a number of at least 0, got 'lots'"),
    (
        "gpus",
        {"unit": ""},
        "field 'unit': expected a unit for the value (e.g. EUR, GPUs, people), got ''",
    ),
    ("gpus", {"scope": "99"}, None),
    (
        "gpus",
        {"deadline": "end of 2025"},
        "field 'deadline': expected a date as YYYY or YYYY-MM-DD, or nothing, got 'end of 2025'",
    ),
    (
        "gpus",
        {"pillar": "gpus"},
        "field 'pillar': expected one of overall, infrastructure, skilling, startups, "
        "sustainability, got 'gpus'",
    ),
    (
        "alsace-campus-jobs",
        {"value_max": "50"},
        "field 'value_max': expected a value_max at least the value, got 50.0",
    ),
    (
        "gpus",
        {"source_urls": ""},
        "field 'source_urls': expected at least one source URL (http or https), got ''",
    ),
]


@pytest.mark.parametrize(("row_id", "changes", "message"), COMMITMENT_CASES)
def test_broken_commitment_row(tmp_path, row_id, changes, message):
    data = copy_data(tmp_path)
    line = edit_csv(data / "commitments.csv", row_id, **changes)
    codes = {"11", "44", "93"}
    with pytest.raises(DataError) as caught:
        load_commitments(data / "commitments.csv", codes)
    if message is None:
        message = "field 'scope': expected a region code among 11, 44, 93, got '99'"
    assert str(caught.value) == f"{data / 'commitments.csv'}, line {line}, {message}"


def test_commitments_keep_ranges_and_not_disclosed_values():
    commitments = load_commitments(DATA_DIR / "commitments.csv")
    jobs = commitments.loc["alsace-campus-jobs"]
    assert (jobs["value"], jobs["value_max"]) == (100.0, 200.0)
    assert commitments.loc["alsace-campus", ["value"]].isna().all()
    assert commitments.loc["alsace-campus-amount", "stated_by"] == "press"


LOCATION_CASES = [
    (
        "choose-france-versailles",
        {"address": ""},
        "field 'address': expected the street address a source gives, for precision "
        "'exact_site', got ''",
    ),
    (
        "choose-france-versailles",
        {"coord_source": "estimate"},
        "field 'coord_source': expected geocoded or public_record for precision 'exact_site' "
        "(a point promising the building must be geocoded or published; otherwise use "
        "precision 'commune'), got 'estimate'",
    ),
    (
        "station-f",
        {"precision": "campus", "coord_source": "commune_reference"},
        "field 'coord_source': expected geocoded or public_record for precision 'campus' "
        "(a point promising the campus must be geocoded or published; otherwise use "
        "precision 'commune'), got 'commune_reference'",
    ),
    (
        "station-f",
        {"coord_source": ""},
        "field 'coord_source': expected how the point was obtained for precision 'commune': "
        "one of geocoded, public_record, commune_reference, estimate, got ''",
    ),
    (
        "station-f",
        {"coord_source": "gps"},
        "field 'coord_source': expected one of , geocoded, public_record, commune_reference, "
        "estimate, got 'gps'",
    ),
    (
        "fast-lane",
        {"coord_source": "estimate"},
        "field 'coord_source': expected no coord_source for precision 'not_located', "
        "got 'estimate'",
    ),
]


@pytest.mark.parametrize(("row_id", "changes", "message"), LOCATION_CASES)
def test_location_honesty_rules(tmp_path, row_id, changes, message):
    data = copy_data(tmp_path)
    line = edit_csv(data / "sites.csv", row_id, **changes)
    with pytest.raises(DataError) as caught:
        load_sites(data / "sites.csv")
    assert [str(p) for p in caught.value.problems] == [
        f"{data / 'sites.csv'}, line {line}, {message}"
    ]


def test_address_and_coord_source_are_parsed():
    sites = load_sites(DATA_DIR / "sites.csv")
    assert sites.loc["choose-france-versailles", "coord_source"] == "public_record"
    assert sites.loc["choose-france-versailles", "address"] == "Place d'Armes, 78000 Versailles"
    assert (sites[sites["precision"] == "not_located"]["coord_source"] == "").all()
    assert (sites[sites["precision"] != "not_located"]["coord_source"] != "").all()
