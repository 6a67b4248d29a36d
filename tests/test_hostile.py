"""Hostile and broken input, each with the exact message or behaviour (tracker issue 9).

Every case here once crashed something or gave a misleading message.
"""

from __future__ import annotations

import csv
import io
import json
import os
import threading

import pytest
from helpers import copy_data, edit_csv

from geo.core.dataset import load_dataset
from geo.core.errors import DataError
from geo.core.sites import load_sites
from geo.core.state import MAX_NOTICES, state_from_query
from geo.core.state import ViewState as State
from geo.export import ExportError, ExportRequest, OutputExistsError, write_export

FORMULA = ("=", "+", "-", "@")
REGIONS = [f"{n:02d}" for n in (1, 2, 3, 4, 6, 11, 24, 27, 28, 32, 44, 52, 53, 75, 76, 84, 93, 94)]


def problems_of(data) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    return str(caught.value).splitlines()


def edit_geojson(path, position: int, **properties) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    document["features"][position]["properties"].update(properties)
    path.write_text(json.dumps(document), encoding="utf-8")


# --- data that validate used to accept, then crashed the app ---------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"population": "lots"},
            "field 'population': expected a whole number from 1 to 100,000,000, got 'lots'",
        ),
        (
            {"population": 0},
            "field 'population': expected a whole number from 1 to 100,000,000, got 0",
        ),
        (
            {"population": -5},
            "field 'population': expected a whole number from 1 to 100,000,000, got -5",
        ),
        ({"name_fr": None}, "field 'name_fr': expected a non-empty text, got 'null'"),
        ({"zone": "moon"}, "field 'zone': expected one of metro, drom, got 'moon'"),
    ],
)
def test_region_properties_are_typed(tmp_path, changes, message):
    data = copy_data(tmp_path)
    edit_geojson(data / "regions.geojson", 1, **changes)
    assert problems_of(data) == [f"data/regions.geojson, feature 2 (insee_reg '02'), {message}"]


def test_integer_region_code_is_a_problem_not_a_crash(tmp_path):
    data = copy_data(tmp_path)
    edit_geojson(data / "departements.geojson", 0, insee_reg=84)
    assert problems_of(data) == [
        "data/departements.geojson, feature 1 (insee_dep '01'), field 'insee_reg': "
        "expected a code written as text, like '44', got 84"
    ]


def test_header_only_commitments_load_as_an_empty_table(tmp_path):
    from geo import presentation
    from geo.core.view import compute_view

    data = copy_data(tmp_path)
    path = data / "commitments.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    dataset = load_dataset(data)
    assert presentation.headline_cards(dataset.commitments) == []
    view = compute_view(dataset, State())
    assert len(presentation.region_panel(view, "44").commitments) == 0


# --- messages that named the wrong cause -------------------------------------------------


def test_semicolon_file_is_named_as_such(tmp_path):
    data = copy_data(tmp_path)
    path = data / "sites.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_sites(path)
    assert str(caught.value) == (
        f"{path}, line 1: expected comma-separated values (save the file with ',' between "
        "fields), got \"a header separated by ';'\""
    )


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_line_separator_inside_a_field_names_that_field(tmp_path, separator):
    data = copy_data(tmp_path)
    line = edit_csv(data / "sites.csv", "station-f", name=f"STATION{separator}F")
    with pytest.raises(DataError) as caught:
        load_sites(data / "sites.csv")
    assert len(caught.value.problems) == 1
    problem = caught.value.problems[0]
    assert (problem.line, problem.field) == (line, "name")
    assert problem.expected.startswith(("text on one line", "text without control"))


def test_empty_and_binary_geojson_say_what_they_are(tmp_path):
    data = copy_data(tmp_path)
    (data / "countries.geojson").write_bytes(bytes(range(256)) * 8)
    document = json.loads((data / "departements.geojson").read_text(encoding="utf-8"))
    document["features"] = []
    (data / "departements.geojson").write_text(json.dumps(document), encoding="utf-8")
    assert problems_of(data) == [
        "data/departements.geojson: expected at least one feature, "
        "got 'a FeatureCollection with none'",
        "data/countries.geojson: expected a GeoJSON text file (UTF-8 JSON), got 'binary data'",
    ]


def test_data_dir_that_is_a_file(tmp_path):
    target = tmp_path / "data"
    target.write_text("not a folder")
    assert problems_of(target) == ["data: expected a folder holding the data files, got 'a file'"]


def test_data_paths_are_shown_relative_to_the_data_folder(tmp_path):
    data = copy_data(tmp_path)
    edit_csv(data / "sites.csv", "station-f", lat="N/A")
    (line,) = problems_of(data)
    assert line.startswith("data/sites.csv, line ")
    assert str(tmp_path) not in line


# --- links -------------------------------------------------------------------------------


def test_repeated_bad_values_give_one_notice_each_and_few_in_all():
    state, notices = state_from_query({"region": ["zz"] * 500}, REGIONS)
    assert state.filter.regions == ()
    assert notices == [f"Ignored region='zz' from the link: expected one of {', '.join(REGIONS)}."]
    _, many = state_from_query({"region": [f"x{n}" for n in range(40)]}, REGIONS)
    assert len(many) == MAX_NOTICES + 1
    assert many[-1] == f"{40 - MAX_NOTICES} more values from the link were ignored."


# --- export files ------------------------------------------------------------------------


def test_overlong_file_name_is_refused_with_a_message(dataset, tmp_path):
    request = ExportRequest(State(), "csv")
    with pytest.raises(ExportError, match=r"^file name expected at most 240 bytes, got 304$"):
        write_export(dataset, request, tmp_path / ("x" * 300 + ".csv"))


def test_concurrent_exports_without_force_leave_one_winner(dataset, tmp_path):
    out = tmp_path / "sites.csv"
    request = ExportRequest(State(), "csv")
    results: list[str] = []

    def export() -> None:
        try:
            write_export(dataset, request, out)
            results.append("wrote")
        except OutputExistsError:
            results.append("exists")

    threads = [threading.Thread(target=export) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["exists", "exists", "exists", "wrote"]
    assert [p.name for p in tmp_path.iterdir()] == ["sites.csv"]


def test_force_over_a_symlink_replaces_the_link_not_its_target(dataset, tmp_path):
    target = tmp_path / "target.csv"
    target.write_text("keep me")
    os.chmod(target, 0o666)
    link = tmp_path / "sites.csv"
    link.symlink_to(target)
    write_export(dataset, ExportRequest(State(), "csv"), link, force=True)
    assert not link.is_symlink()
    assert oct(link.stat().st_mode & 0o777) == "0o644"
    assert target.read_text() == "keep me"


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_csv_cells_never_start_a_formula(tmp_path, name):
    from geo.core.view import compute_view
    from geo.export import metrics_csv, sites_csv

    data = copy_data(tmp_path)
    edit_csv(data / "sites.csv", "station-f", name=name)
    view = compute_view(load_dataset(data), State())
    rows = list(csv.DictReader(io.StringIO(sites_csv(view).decode("utf-8"))))
    by_id = {row["id"]: row for row in rows}
    assert by_id["station-f"]["name"] == "'" + name
    assert all(not row["name"].startswith(FORMULA) for row in rows)
    assert by_id["edhec-nice"]["lon"] == str(view.sites.at["edhec-nice", "lon"])  # numbers stay
    assert float(by_id["dc-france-south"]["lat"]) > 0
    metrics = metrics_csv(view).decode("utf-8")
    assert "'" not in metrics.splitlines()[1].split(",")[0]
