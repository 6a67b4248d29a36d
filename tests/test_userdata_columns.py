"""Recognising the columns of readers' files by their French, English or German names."""

from __future__ import annotations

import pytest

from geo.core.userdata.columns import fold_column, guess_mapping


@pytest.mark.parametrize(
    ("columns", "roles"),
    [
        (
            ["Nom du site", "Latitude (WGS84)", "Longitude (WGS84)", "Code INSEE", "Catégorie"],
            {
                "name": "Nom du site",
                "lat": "Latitude (WGS84)",
                "lon": "Longitude (WGS84)",
                "insee_commune": "Code INSEE",
                "category": "Catégorie",
            },
        ),
        (
            ["name", "x", "y", "code_commune", "Amount (EUR)", "URL", "date"],
            {
                "name": "name",
                "lat": "y",
                "lon": "x",
                "insee_commune": "code_commune",
                "amount": "Amount (EUR)",
                "date": "date",
                "url": "URL",
            },
        ),
        (
            ["LIBELLÉ", "LAT", "LNG", "Commune (code)", "Montant en euros", "Lien", "Type"],
            {
                "name": "LIBELLÉ",
                "lat": "LAT",
                "lon": "LNG",
                "insee_commune": "Commune (code)",
                "category": "Type",
                "amount": "Montant en euros",
                "url": "Lien",
            },
        ),
        (
            ["Titre", "long", "lat", "Site web", "Initiative"],
            {
                "name": "Titre",
                "lat": "lat",
                "lon": "long",
                "initiative": "Initiative",
                "url": "Site web",
            },
        ),
        (
            ["Bezeichnung", "Breite", "Länge", "Gemeindecode", "Kategorie", "Betrag (EUR)"],
            {
                "name": "Bezeichnung",
                "lat": "Breite",
                "lon": "Länge",
                "insee_commune": "Gemeindecode",
                "category": "Kategorie",
                "amount": "Betrag (EUR)",
            },
        ),
        (
            ["Titel", "Breitengrad", "Laengengrad", "Datum", "Quelle"],
            {
                "name": "Titel",
                "lat": "Breitengrad",
                "lon": "Laengengrad",
                "date": "Datum",
                "url": "Quelle",
            },
        ),
        (["colonne A", "colonne B"], {}),
    ],
)
def test_sites_columns(columns, roles):
    mapping = guess_mapping(columns, "sites")
    assert mapping.kind == "sites"
    assert mapping.roles == roles


@pytest.mark.parametrize(
    ("columns", "roles"),
    [
        (
            ["Région", "Valeur (M€)", "Unité"],
            {"area": "Région", "value": "Valeur (M€)", "unit": "Unité"},
        ),
        (["code_departement", "nombre"], {"area": "code_departement", "value": "nombre"}),
        (["Departement", "Count"], {"area": "Departement", "value": "Count"}),
        (["Code région", "Région", "Montant"], {"area": "Région", "value": "Montant"}),
        (
            ["Gebiet", "Wert (Mio. €)", "Einheit"],
            {"area": "Gebiet", "value": "Wert (Mio. €)", "unit": "Einheit"},
        ),
    ],
)
def test_values_columns(columns, roles):
    assert guess_mapping(columns, "values").roles == roles


def test_one_column_plays_one_role():
    mapping = guess_mapping(["Nom", "Nom (2)", "Latitude", "Longitude"], "sites")
    assert mapping.roles["name"] == "Nom"
    assert mapping.attributes(["Nom", "Nom (2)", "Latitude", "Longitude"]) == ("Nom (2)",)


def test_fold_column():
    assert fold_column("  Code_INSEE-Commune ") == "code insee commune"
    assert fold_column("Unité") == "unite"


def test_unknown_kind_refused():
    with pytest.raises(ValueError, match="kind must be one of sites, values, got 'points'"):
        guess_mapping(["a"], "points")
