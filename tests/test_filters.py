"""The one filter function shared by the app, the CLI and the exports."""

from __future__ import annotations

import pytest

from geo.core.filters import FILTER_FIELDS, SiteFilter, filter_commitments, filter_sites
from geo.i18n import use_language


@pytest.fixture(scope="module")
def sites(dataset):
    return dataset.sites


@pytest.fixture(scope="module")
def commitments(dataset):
    return dataset.commitments


def ids(frame):
    return set(frame.index)


def test_empty_filter_keeps_everything(sites):
    assert len(filter_sites(sites, SiteFilter())) == len(sites)


def test_initiative_keeps_sites_with_any_selected_type(sites):
    startups = filter_sites(sites, SiteFilter(initiatives=("startups",)))
    assert ids(startups) == {
        "station-f",
        "choose-france-versailles",
        "xlab-nantes",
        "xlab-bordeaux",
        "xlab-toulouse",
    }
    both = filter_sites(sites, SiteFilter(initiatives=("startups", "infrastructure")))
    assert {"station-f", "dc-petit-landau", "dc-france-central"} <= ids(both)


def test_constraints_combine(sites):
    flt = SiteFilter(initiatives=("skilling",), audiences=("job_seekers",), regions=("11",))
    assert ids(filter_sites(sites, flt)) == {
        "ms-france-hq",
        "france-travail",
        "simplon-hq",
    }


def test_category_and_programme(sites):
    schools = filter_sites(
        sites, SiteFilter(programmes=("ai-schools",), categories=("inclusion_partner",))
    )
    assert ids(schools) == {"simplon-hq", "ai-school-begles", "ai-school-tours"}


def test_text_ignores_case_and_accents(sites):
    assert ids(filter_sites(sites, SiteFilter(text="BEGLES"))) == {
        "ai-school-begles",
        "xlab-bordeaux",
    }
    assert "dc-petit-landau" in ids(filter_sites(sites, SiteFilter(text="grand est")))


def test_region_filter_drops_unlocated_partners(sites):
    assert "fast-lane" in ids(filter_sites(sites, SiteFilter(initiatives=("skilling",))))
    assert "fast-lane" not in ids(filter_sites(sites, SiteFilter(regions=("11",))))


def test_commitments_follow_pillars_and_regions(commitments):
    skilling = filter_commitments(commitments, SiteFilter(initiatives=("skilling",)))
    assert set(skilling["pillar"]) == {"overall", "skilling"}
    brittany = filter_commitments(commitments, SiteFilter(regions=("53",)))
    assert not brittany["scope"].isin(["11", "44", "93"]).any()
    assert "total-investment" in brittany.index


def test_describe_and_slug():
    flt = SiteFilter(initiatives=("skilling",), audiences=("job_seekers",), regions=("32",))
    assert flt.describe({"32": "Hauts-de-France"}) == (
        "Skilling; audience: Job seekers; region: Hauts-de-France"
    )
    assert SiteFilter(initiatives=("skilling",)).slug() == "skilling"
    assert SiteFilter().slug() == "all"
    assert flt.slug() == "filtered"


def test_describe_in_french_and_german():
    flt = SiteFilter(
        initiatives=("skilling",), audiences=("job_seekers",), regions=("53",), text="Rennes"
    )
    names = {"53": "Bretagne"}
    with use_language("fr"):
        assert flt.describe(names) == (
            "Formation\u00a0; public\u00a0: Demandeurs d’emploi\u00a0; région\u00a0: Bretagne"
            "\u00a0; texte\u00a0: «\u00a0Rennes\u00a0»"
        )
        assert SiteFilter().describe() == "Tous les sites"
    with use_language("de"):
        assert flt.describe(names) == (
            "Qualifizierung; Zielgruppe: Arbeitsuchende; Region: Bretagne; Text: „Rennes“"
        )
    assert flt.describe(names) == (
        "Skilling; audience: Job seekers; region: Bretagne; text: \u201cRennes\u201d"
    )


def test_filter_fields_show_their_label_in_the_language():
    field = next(f for f in FILTER_FIELDS if f.attr == "initiatives")
    assert (field.shown_label(), field.shown_placeholder()) == (
        "Initiative type",
        "All initiatives",
    )
    with use_language("fr"):
        assert (field.shown_label(), field.shown_placeholder()) == (
            "Type d’initiative",
            "Toutes les initiatives",
        )


def test_text_search_finds_english_region_names(sites):
    # "Brittany" is only the English name of Bretagne: the search reads both names.
    found = filter_sites(sites, SiteFilter(text="brittany"))
    assert len(found) > 0
    assert set(found["insee_reg"]) == {"53"}
