"""The commune reference (data/communes.csv) and the sites' commune codes agree with it."""

from __future__ import annotations

import csv
import unicodedata

import pytest

from geo.core.dataset import load_dataset
from tests.helpers import DATA_DIR

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
