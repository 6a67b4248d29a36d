"""Checking readers' sites: good rows kept in order, every problem of every bad row listed."""

from __future__ import annotations

import io
import math

import openpyxl
import pandas as pd
import pytest

from geo.core.userdata.columns import guess_mapping
from geo.core.userdata.model import ColumnMapping, RawTable
from geo.core.userdata.read import read_upload
from geo.core.userdata.sites import validate_sites

HEADER = "Nom;Latitude;Longitude;Code commune;Catégorie;Montant;Lien;Remarque"
ROWS = [
    "Mairie de Lyon;45,7676;4,8357;69381;Mairie;1 234,5;https://www.lyon.fr;a",
    "Strasbourg;48.5734;7.7521;67482;;;;b",
    "Rennes;-1,6800;48,1113;35238;;;;c",
    "Saint-Denis (Réunion);-20.8789;55.4481;97411;;;;d",
    "Bourg-en-Bresse;;;1053;;;;e",
    "<script>alert(1)</script>;48.1113;-1.68;;;4 Md€;javascript:alert(1);f",
    '=HYPERLINK("http://x","y");10;10;;;;;g',
    ";;;;;;;h",
    "Mauvaise commune;48.5734;7.7521;35238;;;;i",
    "Inconnue;;;99999;;;;j",
    "Lat seule;45,1;;;;;;k",
    "Hors bornes;95;4;;;;;l",
    "Pas un nombre;N/A;4,8;;;;;m",
    "@x;45.7676;4.8357;;+1;-5;http://ok.example/a?b=c;n",
]


def sites_file(rows=ROWS, header=HEADER) -> RawTable:
    text = "\r\n".join([header, *rows]) + "\r\n"
    return read_upload("mes sites.csv", text.encode("cp1252"))


def check(raw: RawTable, dataset, **kwargs):
    mapping = guess_mapping(list(raw.frame.columns), "sites")
    return validate_sites(raw, mapping, dataset, **kwargs)


EXPECTED_PROBLEMS = [
    "mes sites.csv, line 4, field 'Latitude': expected a point in France (latitude and "
    "longitude look swapped: exchanged, it falls in Ille-et-Vilaine, département 35), "
    "got 'lat -1.68, lon 48.1113'",
    "mes sites.csv, line 7, field 'Montant': expected a number without a unit (write the unit "
    "in the column name), got '4 Md€'",
    "mes sites.csv, line 7, field 'Lien': expected a web address starting with http:// or "
    "https://, got 'javascript:alert(1)'",
    "mes sites.csv, line 8, field 'Latitude': expected a point in France or its overseas "
    "regions, got 'lat 10, lon 10'",
    "mes sites.csv, line 9, field 'Nom': expected a name for the site, got ''",
    "mes sites.csv, line 9, field 'Latitude': expected coordinates (latitude and longitude) or "
    "an INSEE commune code, got ''",
    "mes sites.csv, line 10, field 'Code commune': expected a commune in département 67 (the "
    "point's), got '35238 (Rennes, département 35)'",
    "mes sites.csv, line 11, field 'Code commune': expected a commune code of the INSEE "
    "reference (COG 2026), got '99999'",
    "mes sites.csv, line 12, field 'Longitude': expected a longitude with the latitude, got ''",
    "mes sites.csv, line 13, field 'Latitude': expected a latitude between -90 and 90, got '95'",
    "mes sites.csv, line 14, field 'Latitude': expected a latitude in decimal degrees, like "
    "45.7676, got 'N/A'",
]


def test_every_problem_of_every_row_at_once(dataset):
    user = check(sites_file(), dataset)
    assert [str(p) for p in user.problems] == EXPECTED_PROBLEMS
    assert user.swapped_lines == (4,)


def test_good_rows_kept_in_file_order_with_their_areas(dataset):
    sites = check(sites_file(), dataset).sites
    frame = sites.frame
    assert frame["line"].tolist() == [2, 3, 5, 6, 15]
    assert frame["name"].tolist() == [
        "Mairie de Lyon",
        "Strasbourg",
        "Saint-Denis (Réunion)",
        "Bourg-en-Bresse",
        "@x",
    ]
    assert frame["insee_commune"].tolist() == ["69123", "67482", "97411", "01053", ""]
    assert frame["insee_dep"].tolist() == ["69", "67", "974", "01", "69"]
    assert frame["insee_reg"].tolist() == ["84", "44", "04", "84", "84"]
    assert frame["lat"].tolist()[:3] == [45.7676, 48.5734, -20.8789]
    assert math.isnan(frame["lat"].iloc[3])  # a commune-only row is listed, never drawn
    assert frame["amount"].tolist()[0] == 1234.5
    assert frame["amount"].tolist()[-1] == -5
    assert frame["category"].tolist() == ["Mairie", "", "", "", "+1"]
    assert frame["url"].tolist()[-1] == "http://ok.example/a?b=c"
    assert sites.attributes == ("Remarque",)
    assert frame["Remarque"].tolist() == ["a", "b", "d", "e", "n"]
    assert len(sites.located()) == 4
    assert sites.listed_only()["name"].tolist() == ["Bourg-en-Bresse"]


def test_notes_say_what_was_decided(dataset):
    notes = tuple(map(str, check(sites_file(), dataset).notes))
    assert notes == (
        "encoding Windows-1252 (not UTF-8)",
        "delimiter ';'",
        "1 commune code of 4 digits read with its leading zero (a spreadsheet drops it: "
        "1053 is 01053)",
        "1 municipal arrondissement code counted in its commune 69123 (Lyon)",
    )


def test_swap_lines_exchanges_those_rows_before_checking(dataset):
    user = check(sites_file(), dataset, swap_lines=(4,))
    rennes = user.sites.frame.set_index("line").loc[4]
    assert (rennes["lat"], rennes["lon"], rennes["insee_dep"]) == (48.1113, -1.68, "35")
    assert user.swapped_lines == ()
    assert "latitude and longitude exchanged on 1 row, as asked" in map(str, user.notes)
    assert len(user.problems) == len(EXPECTED_PROBLEMS) - 1


def test_hostile_names_kept_verbatim(dataset):
    rows = [
        "<script>alert(1)</script>;45.7676;4.8357;;;;;",
        '"=HYPERLINK(""http://x"";""y"")";45.7676;4.8357;;;;;',
        "+1;45.7676;4.8357;;;;;",
        "@x;45.7676;4.8357;;;;;",
    ]
    names = check(sites_file(rows), dataset).sites.frame["name"].tolist()
    assert names == ["<script>alert(1)</script>", '=HYPERLINK("http://x";"y")', "+1", "@x"]


def test_point_near_the_coast_takes_the_nearest_departement(dataset):
    # Off Marseille, 1.7 km from the simplified coast: within the 3 km tolerance.
    rows = ["Au large;43.22;5.32;;;;;"]
    user = check(sites_file(rows), dataset)
    assert user.problems == ()
    assert user.sites.frame["insee_dep"].tolist() == ["13"]
    assert str(user.notes[-1]).startswith("1 point lies outside the simplified boundaries")


def test_commune_within_the_border_error_decides(dataset):
    # In Montreuil (93048) near the Paris border: the coarse 75 polygon holds it, 1.6 km
    # from the coarse 93 one.
    rows = ["Montreuil;48.8585;2.4200;93048;;;;"]
    frame = check(sites_file(rows), dataset).sites.frame
    assert frame["insee_dep"].tolist() == ["93"]
    assert frame["insee_reg"].tolist() == ["11"]


def test_missing_columns_are_one_problem_for_the_file(dataset):
    raw = sites_file(["A;B"], header="Colonne;Autre")
    user = check(raw, dataset)
    assert user.sites is None
    assert [str(p) for p in user.problems] == [
        "mes sites.csv, header: expected a column with the site names (nom, name, libellé)",
        "mes sites.csv, header: expected columns latitude and longitude, or a column of INSEE "
        "commune codes",
    ]


def test_mapping_chosen_by_the_user(dataset):
    raw = sites_file(["Lyon;45.7676;4.8357"], header="Titre;Nord;Est")
    mapping = ColumnMapping("sites", {"name": "Titre", "lat": "Nord", "lon": "Est"})
    user = validate_sites(raw, mapping, dataset)
    assert user.problems == ()
    assert user.sites.frame["insee_dep"].tolist() == ["69"]
    assert user.sites.attributes == ()


def test_no_good_row_gives_no_sites(dataset):
    user = check(sites_file(["x;;;;;;;"]), dataset)
    assert user.sites is None
    assert [str(p) for p in user.problems] == [
        "mes sites.csv, line 2, field 'Latitude': expected coordinates (latitude and longitude) "
        "or an INSEE commune code, got ''"
    ]


def test_attribute_named_like_a_standard_column_is_renamed(dataset):
    raw = sites_file(["Lyon;45.7676;4.8357;x"], header="Nom;Latitude;Longitude;lat")
    sites = check(raw, dataset).sites
    assert sites.attributes == ("lat (file)",)
    assert sites.frame["lat (file)"].tolist() == ["x"]


def test_geojson_and_xlsx_lines_name_the_rows(dataset):
    raw = read_upload(
        "p.geojson",
        b'{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point",'
        b'"coordinates":[10,10]},"properties":{"name":"Nowhere"}}]}',
    )
    user = check(raw, dataset)
    assert [str(p) for p in user.problems] == [
        "p.geojson, feature 1, field 'latitude': expected a point in France or its overseas "
        "regions, got 'lat 10, lon 10'"
    ]


@pytest.mark.parametrize(
    ("lat", "lon", "dep"),
    [
        ("45,7676", "4,8357", "69"),
        ("48.1113", "-1.68", "35"),
        ("-20.8789", "55.4481", "974"),
        ("16.2411", "-61.5331", "971"),
        ("41.9192", "8.7386", "2A"),
    ],
)
def test_france_includes_corsica_and_overseas_regions(dataset, lat, lon, dep):
    frame = check(sites_file([f"Lieu;{lat};{lon};;;;;"]), dataset).sites.frame
    assert frame["insee_dep"].tolist() == [dep]


def test_frame_columns_follow_the_contract(dataset):
    frame = check(sites_file(), dataset).sites.frame
    assert list(frame.columns) == [
        "line",
        "name",
        "lat",
        "lon",
        "insee_commune",
        "insee_dep",
        "insee_reg",
        "category",
        "initiative",
        "date",
        "url",
        "amount",
        "Remarque",
    ]
    assert pd.api.types.is_float_dtype(frame["lat"])
    assert pd.api.types.is_float_dtype(frame["amount"])


def test_xlsx_typed_cells_checked_like_text(dataset):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Latitude", "Longitude", "INSEE", "Montant", "URL"])
    sheet.append(["Bourg", None, None, 1053, 1500, "HTTPS://EXAMPLE.ORG"])
    sheet.append(["Paris 13e", 48.8322, 2.3561, 75113, 2.5, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    raw = read_upload("sites.xlsx", buffer.getvalue())
    user = check(raw, dataset)
    assert user.problems == ()
    frame = user.sites.frame
    assert frame["insee_commune"].tolist() == ["01053", "75056"]
    assert frame["insee_dep"].tolist() == ["01", "75"]
    assert frame["amount"].tolist() == [1500, 2.5]
    assert frame["line"].tolist() == [2, 3]


def test_geojson_points_swapped_by_feature_label(dataset):
    raw = read_upload(
        "p.geojson",
        b'{"type":"FeatureCollection","features":['
        b'{"type":"Feature","geometry":{"type":"Point","coordinates":[4.8357,45.7676]},'
        b'"properties":{"nom":"Lyon"}},'
        b'{"type":"Feature","geometry":{"type":"Point","coordinates":[48.1113,-1.68]},'
        b'"properties":{"nom":"Rennes"}}]}',
    )
    user = check(raw, dataset)
    assert user.swapped_lines == ("feature 2",)
    fixed = check(raw, dataset, swap_lines=user.swapped_lines)
    assert fixed.problems == ()
    assert fixed.sites.frame["insee_dep"].tolist() == ["69", "35"]
    assert fixed.sites.frame["line"].tolist() == ["feature 1", "feature 2"]


def test_commune_decision_is_noted(dataset):
    rows = ["Montreuil;48.8585;2.4200;93048;;;;"]
    notes = tuple(map(str, check(sites_file(rows), dataset).notes))
    assert notes[-1] == (
        "1 point takes its commune's département, being within the 2 km error of the "
        "boundaries from it"
    )


def test_malformed_commune_code(dataset):
    user = check(sites_file(["Lyon;45.7676;4.8357;Lyon;;;;"]), dataset)
    assert [str(p) for p in user.problems] == [
        "mes sites.csv, line 2, field 'Code commune': expected an INSEE commune code of 5 "
        "characters, like 69123 or 2A004, got 'Lyon'"
    ]
