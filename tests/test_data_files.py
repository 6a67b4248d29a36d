"""The shipped data: every file validates, every site has a source and a precision class."""

from __future__ import annotations

import subprocess
import sys

from geo.core import vocabulary as voc
from geo.core.dataset import DEFAULT_DATA_DIR, FILES


def test_every_data_file_passes_the_validators(dataset):
    assert len(dataset.sites) >= 26
    assert len(dataset.regions) == 18
    assert len(dataset.departements) == 101
    for name in FILES.values():
        assert (DEFAULT_DATA_DIR / name).is_file()


def test_every_site_has_a_source_url_and_a_precision_class(dataset):
    for site_id, site in dataset.sites.iterrows():
        assert site["source_urls"], site_id
        assert all(url.startswith(("http://", "https://")) for url in site["source_urls"])
        assert site["precision"] in voc.PRECISIONS, site_id
        assert site["source_note"], site_id


def test_every_commitment_has_a_source(dataset):
    assert dataset.commitments["source_urls"].map(len).min() >= 1


def test_undisclosed_data_centre_buildings_are_region_only(dataset):
    centres = dataset.sites[dataset.sites["category"] == "data_centre"]
    assert dict(centres["precision"]) == {
        "dc-france-central": "region_only",
        "dc-france-south": "region_only",
        "dc-petit-landau": "commune",
    }
    assert not centres["location_confirmed"].any()


def test_split_of_the_four_billion_is_not_invented(dataset):
    euros = dataset.commitments[dataset.commitments["unit"] == "EUR"]
    assert set(euros.index) == {"total-investment", "alsace-campus-amount"}
    assert euros.at["alsace-campus-amount", "stated_by"] == "press"


def test_headline_commitments(dataset):
    headline = dataset.commitments[dataset.commitments["headline"]]
    assert set(headline.index) == {
        "total-investment",
        "gpus",
        "renewables-france",
        "skilling-1m",
        "startups-2500",
    }


def test_importing_geo_leaves_streamlit_out():
    code = (
        "import sys, geo.core.dataset, geo.core.view, geo.cli, geo.style;"
        "import importlib.util as u;"
        "[importlib for importlib in ()];"
        "mods=[m for m in ('geo.webmap.mapping','geo.report.render','geo.export')"
        " if u.find_spec(m)];"
        "[__import__(m) for m in mods];"
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
