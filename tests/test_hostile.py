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
from helpers import DATA_DIR, copy_data, edit_csv

from geo.core.dataset import load_dataset
from geo.core.errors import DataError
from geo.core.sites import load_sites
from geo.core.state import MAX_NOTICES, state_from_query
from geo.core.state import ViewState as State
from geo.export import ExportError, ExportRequest, OutputExistsError, write_export

FORMULA = ("=", "+", "-", "@")
DATA = DATA_DIR
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
    assert str(problem.expected).startswith(("text on one line", "text without control"))


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


# --- text drawn on report pages ---------------------------------------------------------

PRIVATE_USE = "\U000f0001"  # no font has it


@pytest.mark.parametrize("fmt", ["pdf", "png", "svg"])
def test_bom_in_a_title_or_an_unlocated_name_still_gives_the_file(tmp_path, fmt):
    from geo.export import render_export

    data = copy_data(tmp_path)
    edit_csv(data / "sites.csv", "skillsoft-global-knowledge", name="Skill\ufeffsoft")
    dataset = load_dataset(data)
    request = ExportRequest(State(), fmt, dpi=50, title="Report\ufefftitle")
    body = render_export(dataset, request)
    assert body.startswith({"pdf": b"%PDF", "png": b"\x89PNG", "svg": b"<?xml"}[fmt])
    if fmt == "svg":
        assert "\ufeff" not in body.decode("utf-8")[40:]
        assert "Reporttitle" in body.decode("utf-8")


def test_emoji_and_cjk_titles_are_drawn_in_fallback_fonts():
    import pypdf

    from geo.export import title_warning
    from geo.report.text import font_families, undrawable

    assert "Droid Sans Fallback" in font_families()  # .ci/run installs fonts-droid-fallback
    assert "Symbola" in font_families()  # and fonts-symbola
    assert undrawable("Rapport 日本語 😀 عربي") == []
    assert title_warning("Rapport 日本語 😀") is None
    assert undrawable(f"a{PRIVATE_USE}b") == [PRIVATE_USE]
    assert title_warning(f"T{PRIVATE_USE}") == (
        "1 character of the title cannot be drawn with the installed fonts and will show as "
        "an empty box: U+F0001"
    )
    from geo.core.dataset import load_dataset as load
    from geo.export import render_export

    pdf = render_export(load(DATA), ExportRequest(State(), "pdf", title="Carte 日本 😀"))
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "日本" in text


def test_cli_warns_about_a_title_it_cannot_draw(tmp_path, capsys):
    from geo.cli import main

    out = tmp_path / "r.png"
    status = main(["export", "--format", "png", "--dpi", "50", "--title", f"T{PRIVATE_USE}",
                   "--out", str(out), "--data-dir", str(DATA)])  # fmt: skip
    assert status == 0
    assert out.is_file()
    assert "Warning: 1 character of the title cannot be drawn" in capsys.readouterr().err
