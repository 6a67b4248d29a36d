"""The commune reference (data/communes.csv) and the sites' commune codes agree with it."""

from __future__ import annotations

import csv
import unicodedata

import pytest

from geo.core.dataset import load_dataset
from geo.core.errors import DataError
from tests.helpers import DATA_DIR, copy_data, edit_csv

COMMUNES = DATA_DIR / "communes.csv"
HEADER = ["insee_commune", "name", "insee_dep", "insee_reg", "epci", "population", "postcodes"]
# Points whose departement the coarse boundary source gets wrong (see data/README.md).
COARSE_BORDER = {"simplon-hq"}


def fold(text: str) -> str:
    """Compare names without accents, case, hyphens or apostrophes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(ascii_text.lower().replace("-", " ").replace("'", " ").split())


@pytest.fixture(scope="module")
def communes() -> dict[str, dict[str, str]]:
    with COMMUNES.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == HEADER
        return {row["insee_commune"]: row for row in reader}


def test_reference_is_small_sorted_and_current_communes_only(communes):
    assert COMMUNES.stat().st_size < 2_500_000
    codes = list(communes)
    assert codes == sorted(codes)
    assert len(codes) > 34_000
    assert communes["75056"]["name"] == "Paris"
    assert "75113" not in communes  # arrondissements municipaux are left out
    assert communes["68254"] == {
        "insee_commune": "68254",
        "name": "Petit-Landau",
        "insee_dep": "68",
        "insee_reg": "44",
        "epci": "200066009",
        "population": "822",
        "postcodes": "68490",
    }


def test_every_site_commune_exists_and_matches_city_and_point(communes):
    dataset = load_dataset(DATA_DIR)
    for site_id, site in dataset.sites.iterrows():
        code = site["insee_commune"]
        if not code:
            assert site["precision"] in {"region_only", "not_located"}, site_id
            continue
        commune = communes[code]
        assert fold(site["city"].split(" (")[0]) == fold(commune["name"]), site_id
        assert site["insee_reg"] == commune["insee_reg"], site_id
        if site_id not in COARSE_BORDER:
            assert site["insee_dep"] == commune["insee_dep"], site_id


def test_names_fold_case_accents_hyphens_apostrophes_and_ligatures():
    from geo.core.communes import city_commune_name, fold_name

    assert fold_name("Bègles") == fold_name("BEGLES")
    assert fold_name("Saint-Herblain") == "saint herblain"
    assert fold_name("L'Haÿ-les-Roses") == fold_name("l’hay les roses")
    assert fold_name("Œuilly") == "oeuilly"
    assert city_commune_name("Paris (13e)") == "Paris"
    assert fold_name("St-Herblain") != fold_name("Saint-Herblain")  # no abbreviations


COMMUNE_CASES = [
    (
        "station-f",
        {"insee_commune": "75113"},
        "field 'insee_commune': expected a commune code of communes.csv (COG 2026), got '75113'",
    ),
    (
        "station-f",
        {"city": "Lyon (13e)"},
        "field 'city': expected the name of commune 75056, 'Paris' (optionally followed by "
        "' (...)'), got 'Lyon (13e)'",
    ),
    (
        "rennes-sb",
        {"insee_commune": ""},
        "field 'insee_commune': expected an INSEE commune code for precision 'commune', got ''",
    ),
    (
        # A Versailles code on the Issy-les-Moulineaux point, far inside 92: a real error.
        "ms-france-hq",
        {"insee_commune": "78646", "city": "Versailles"},
        "field 'insee_commune': expected a commune in departement 92 (the point's), "
        "got '78646 (Versailles, departement 78)'",
    ),
    (
        "dc-petit-landau",
        {"insee_commune": "67482", "city": "Strasbourg"},
        "field 'insee_commune': expected a commune in departement 68 (the point's), "
        "got '67482 (Strasbourg, departement 67)'",
    ),
    (
        "station-f",
        {"insee_commune": "13055", "city": "Marseille"},
        "field 'insee_commune': expected a commune in departement 75 (the point's), "
        "got '13055 (Marseille, departement 13)'",
    ),
]


@pytest.mark.parametrize(("row_id", "changes", "message"), COMMUNE_CASES)
def test_site_disagreeing_with_the_commune_reference(tmp_path, row_id, changes, message):
    data = copy_data(tmp_path)
    line = edit_csv(data / "sites.csv", row_id, **changes)
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    assert [str(p) for p in caught.value.problems] == [f"data/sites.csv, line {line}, {message}"]


def test_commune_reference_decides_within_the_boundary_error(dataset):
    simplon = dataset.sites.loc["simplon-hq"]
    assert (simplon["insee_dep"], simplon["departement_name"]) == ("93", "Seine-Saint-Denis")
    assert "from the commune reference (93048)" in simplon["commune_note"]
    assert (dataset.sites.drop(index="simplon-hq")["commune_note"] == "").all()
    assert dataset.communes.at["93048", "name"] == "Montreuil"


def test_a_point_just_beyond_the_boundary_error_is_a_problem(tmp_path):
    # 48.8545, 2.4360 is 1.6 km from the coarse 93 polygon; at lon 2.4160 it is 2.2 km.
    data = copy_data(tmp_path)
    line = edit_csv(data / "sites.csv", "simplon-hq", lon="2.4160")
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    assert str(caught.value) == (
        f"data/sites.csv, line {line}, field 'insee_commune': expected a commune in "
        "departement 75 (the point's), got '93048 (Montreuil, departement 93)'"
    )
