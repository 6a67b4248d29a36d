"""Checking readers' figures per région or département, and the number parser they use."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.core.userdata.cells import parse_coordinates, parse_numbers
from geo.core.userdata.columns import guess_mapping
from geo.core.userdata.read import read_upload
from geo.core.userdata.values import area_key, area_tables, validate_values


def check(text: str, dataset, name="valeurs.csv", encoding="utf-8"):
    raw = read_upload(name, text.encode(encoding))
    return validate_values(raw, guess_mapping(list(raw.frame.columns), "values"), dataset)


LOOSE_REGIONS = {
    "PACA": "93",
    "Provence-Alpes-Côte d'Azur": "93",
    "provence alpes cote d azur": "93",
    "Région Sud": "93",
    "IDF": "11",
    "Ile de France": "11",
    "ÎLE-DE-FRANCE": "11",
    "Paris Region": "11",
    "Grand-Est": "44",
    "grand est": "44",
    "Corse": "94",
    "Corsica": "94",
    "Korsika": "94",
    "Französisch-Guayana": "03",
    "Burgund-Franche-Comté": "27",
    "Réunion": "04",
    "La Réunion": "04",
    "AURA": "84",
    "Auvergne Rhône Alpes": "84",
    "Région Bretagne": "53",
    "Brittany": "53",
    "Normandy": "28",
    "Centre - Val de Loire": "24",
    "Hauts-de-France": "32",
    "French Guiana": "03",
    "New Aquitaine": "75",
    "Occitania": "76",
    "Bourgogne-Franche-Comté": "27",
    "Pays de la Loire": "52",
    "Mayotte": "06",
    "Martinique": "02",
    "Guadeloupe": "01",
}


@pytest.mark.parametrize(("written", "code"), LOOSE_REGIONS.items())
def test_region_names_written_loosely(dataset, written, code):
    assert area_tables(dataset)["region"][area_key(written)] == code


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Rhône", "69"),
        ("rhone", "69"),
        ("Seine-St-Denis", "93"),
        ("Seine-Saint-Denis", "93"),
        ("Côtes-d'Armor", "22"),
        ("cotes d armor", "22"),
        ("Corse-du-Sud", "2A"),
        ("La Réunion", "974"),
        ("Département du Nord", "59"),
        ("Paris", "75"),
    ],
)
def test_departement_names_written_loosely(dataset, written, code):
    assert area_tables(dataset)["departement"][area_key(written)] == code


def test_regions_with_units_and_every_problem(dataset):
    text = (
        "Région;Valeur;Unité\n"
        "PACA;12,5;%\n"
        "Ile de France;3;%\n"
        "auvergne rhone-alpes;4 %;\n"
        "84;9;\n"
        "Bourgogne;1;\n"
        "Rhône;2;\n"
        ";3;\n"
        "Normandie;;\n"
        "Occitanie;x;\n"
        "Hauts de France;4 M€;\n"
        "<b>Bretagne</b>;1;\n"
    )
    user = check(text, dataset)
    assert [str(p) for p in user.problems] == [
        "valeurs.csv, line 5, field 'Région': expected one row per région (84 is already on "
        "line 4), got '84'",
        "valeurs.csv, line 6, field 'Région': expected a région of France: an INSEE code or a "
        "name, like 84 or Auvergne-Rhône-Alpes, got 'Bourgogne'",
        "valeurs.csv, line 7, field 'Région': expected a région, like the other rows (this "
        "département makes a mix; a file holds régions or départements, not both), got 'Rhône'",
        "valeurs.csv, line 8, field 'Région': expected a région (an INSEE code or a name), got ''",
        "valeurs.csv, line 9, field 'Valeur': expected a number (leave out the rows without "
        "one), got ''",
        "valeurs.csv, line 10, field 'Valeur': expected a number, like 12.5 or 12,5, got 'x'",
        "valeurs.csv, line 11, field 'Valeur': expected a value in '%', like the other rows, "
        "got '4 M€'",
        "valeurs.csv, line 12, field 'Région': expected a région of France: an INSEE code or a "
        "name, like 84 or Auvergne-Rhône-Alpes, got '<b>Bretagne</b>'",
    ]
    values = user.values
    assert (values.level, values.label, values.unit, values.source) == (
        "region",
        "Valeur",
        "%",
        "valeurs.csv",
    )
    assert values.frame.to_dict("list") == {
        "line": [2, 3, 4],
        "code": ["93", "11", "84"],
        "written": ["PACA", "Ile de France", "auvergne rhone-alpes"],
        "value": [12.5, 3.0, 4.0],
    }
    assert values.by_code() == {"93": 12.5, "11": 3.0, "84": 4.0}


def test_departements_by_code_in_french_excel(dataset):
    text = "Code;Nombre\r\n1;1 234\r\n2A;5\r\n974;6\r\n69 - Rhône;7\r\nNord (59);8\r\n"
    user = check(text, dataset, encoding="cp1252")
    assert user.problems == ()
    assert user.values.level == "departement"
    assert user.values.frame["code"].tolist() == ["01", "2A", "974", "69", "59"]
    assert user.values.frame["value"].tolist() == [1234, 5, 6, 7, 8]
    assert user.values.unit == ""


def test_level_from_the_column_name(dataset):
    # 11, 24, 84 are région codes and département codes alike: the header decides.
    user = check("Département,Valeur\n11,1\n24,2\n84,3\n", dataset)
    assert user.values.level == "departement"
    assert check("Région,Valeur\n11,1\n24,2\n84,3\n", dataset).values.level == "region"
    assert check("Code,Valeur\n11,1\n24,2\n84,3\n", dataset).values.level == "region"


def test_overseas_names_are_regions_unless_the_file_says(dataset):
    user = check("Territoire;Valeur\nGuadeloupe;1\nMartinique;2\n", dataset)
    assert (user.values.level, user.values.frame["code"].tolist()) == ("region", ["01", "02"])
    user = check("Nom;Valeur\nGuadeloupe;1\nMartinique;2\nAin;3\n", dataset)
    assert (user.values.level, user.values.frame["code"].tolist()) == (
        "departement",
        ["971", "972", "01"],
    )


def test_unit_from_the_value_column_name(dataset):
    values = check("Région;Montant (M€)\nBretagne;1,5\n", dataset).values
    assert (values.label, values.unit) == ("Montant (M€)", "M€")


def test_units_disagreeing_in_the_unit_column_give_none(dataset):
    values = check("Région;Valeur;Unité\nBretagne;1;%\nCorse;2;EUR\n", dataset).values
    assert values.unit == ""


def test_missing_columns(dataset):
    user = check("Couleur;Forme\nbleu;rond\n", dataset)
    assert user.values is None
    assert [str(p) for p in user.problems] == [
        "valeurs.csv, header: expected a column naming the région or département",
        "valeurs.csv, header: expected a column of values (valeur, value)",
    ]


# --- the number parser -----------------------------------------------------------------

WRITTEN = {
    "1234.5": (1234.5, ""),
    "1 234,5": (1234.5, ""),
    "1\u202f234,5": (1234.5, ""),
    "1\u00a0234\u00a0567": (1234567, ""),
    "1.234,5": (1234.5, ""),
    "1,234.5": (1234.5, ""),
    "1.234.567": (1234567, ""),
    "1,234,567": (1234567, ""),
    "1,234": (1.234, ""),
    "12,5 %": (12.5, "%"),
    "4 Md€": (4, "Md€"),
    "+5,0 k€ HT": (5, "k€ HT"),
    "−3,5": (-3.5, ""),
    "-0,5": (-0.5, ""),
    ",5": (0.5, ""),
    "1e3": (1000, ""),
}


@pytest.mark.parametrize(("text", "expected"), WRITTEN.items())
def test_numbers_as_people_write_them(text, expected):
    numbers = parse_numbers(pd.Series([text]))
    assert (numbers.values.iloc[0], numbers.units.iloc[0]) == expected
    assert not numbers.bad.iloc[0]


@pytest.mark.parametrize("text", ["N/A", "nan", "inf", "abc 5", "5 abc 6", "1,2,3.4.5", "1.2.3"])
def test_not_numbers(text):
    numbers = parse_numbers(pd.Series([text]))
    assert numbers.bad.iloc[0]
    assert pd.isna(numbers.values.iloc[0])


def test_empty_cells_are_missing_not_bad():
    numbers = parse_numbers(pd.Series(["", " "]))
    assert numbers.values.isna().all()
    assert not numbers.bad.any()


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).map(lambda v: round(v, 2)))
def test_french_and_english_writings_read_back(value):
    french = f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
    english = f"{value:,.2f}"
    plain = f"{value:.2f}"
    numbers = parse_numbers(pd.Series([french, english, plain, plain.replace(".", ",")]))
    assert not numbers.bad.any()
    assert numbers.values.tolist() == pytest.approx([float(plain)] * 4)


def test_coordinates():
    values, bad = parse_coordinates(pd.Series(["45,7676", "-1.68", "", "x", "45.7°", "nan"]))
    assert values.tolist()[:2] == [45.7676, -1.68]
    assert values.iloc[4] == 45.7
    assert bad.tolist() == [False, False, False, True, False, True]
