"""Reading a reader's files from paths, as the CLI does."""

from __future__ import annotations

import pytest

from geo.core.errors import DataError
from geo.core.userdata import load, model
from geo.core.userdata.load import load_user_data
from geo.core.userdata.model import ColumnMapping


@pytest.fixture
def files(tmp_path):
    sites = tmp_path / "mes sites.csv"
    text = "Nom;Latitude;Longitude\r\nHôtel de ville de Lyon;45,7676;4,8357\r\n"
    sites.write_bytes((text + "Rennes;-1,68;48,1113\r\n").encode("cp1252"))
    values = tmp_path / "valeurs.csv"
    values.write_text("Région,Valeur\nBretagne,2\nAtlantide,3\n", encoding="utf-8")
    return sites, values


def test_both_files_checked_and_merged(dataset, files):
    sites, values = files
    user = load_user_data(dataset, sites=sites, values=values)
    assert user.sites.frame["name"].tolist() == ["Hôtel de ville de Lyon"]
    assert user.values.by_code() == {"53": 2.0}
    assert user.swapped_lines == (3,)
    assert [p.path for p in user.problems] == ["mes sites.csv", "valeurs.csv"]
    assert tuple(map(str, user.notes)) == (
        "mes sites.csv: encoding Windows-1252 (not UTF-8)",
        "mes sites.csv: delimiter ';'",
        "valeurs.csv: encoding UTF-8",
        "valeurs.csv: delimiter ','",
        "valeurs.csv: level: régions",
    )


def test_one_file_alone(dataset, files):
    user = load_user_data(dataset, values=files[1])
    assert user.sites is None
    assert user.values is not None
    assert load_user_data(dataset).empty


def test_mapping_given(dataset, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("Titre;Nord;Est\nLyon;45.7676;4.8357\n", encoding="utf-8")
    mapping = {"sites": ColumnMapping("sites", {"name": "Titre", "lat": "Nord", "lon": "Est"})}
    user = load_user_data(dataset, sites=path, mapping=mapping)
    assert user.sites.frame["insee_dep"].tolist() == ["69"]


def test_file_level_problems_of_both_files_raised_together(dataset, tmp_path):
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    with pytest.raises(DataError) as err:
        load_user_data(dataset, sites=empty, values=tmp_path / "absent.csv")
    assert str(err.value) == (
        "vide.csv: expected a CSV, XLSX or GeoJSON file with a header row, got 'an empty file'\n"
        "absent.csv: expected an existing file, got 'no such file'"
    )


def test_size_checked_before_reading(dataset, tmp_path, monkeypatch):
    monkeypatch.setattr(model, "MAX_UPLOAD_BYTES", 2**20)
    path = tmp_path / "gros.csv"
    path.write_bytes(b"Nom;Lat;Lon\n" + b"x" * 2**20)
    with pytest.raises(DataError) as err:
        load.read_path(path)
    assert str(err.value) == "gros.csv: expected a file of at most 1 MB, got '1.0 MB'"
