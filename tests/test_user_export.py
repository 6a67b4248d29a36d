"""Data exports of a view with a reader's own data: their rows beside ours with a source
column, attributes kept, formulas neutralised in CSV, their metrics, and their file named."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import matplotlib

matplotlib.use("Agg")

import pytest
import user_samples as us

from geo.core.state import ViewState
from geo.export import (
    OUR_SOURCE,
    ExportRequest,
    render_export,
    write_export,
)

SVG = "{http://www.w3.org/2000/svg}"
THEIRS = "your data: mes-sites.csv"


def export(dataset, fmt, user=None, **state):
    return render_export(dataset, ExportRequest(ViewState(**state), fmt), user=user)


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


@pytest.fixture
def user():
    return us.user_data(us.user_sites(), us.region_values(level="region", values={"84": 7.5}))


def test_sites_csv_lists_their_rows_after_ours_with_a_source(dataset, user):
    rows = csv_rows(export(dataset, "csv", user))
    ours = [r for r in rows if r["source"] == OUR_SOURCE]
    theirs = [r for r in rows if r["source"] == THEIRS]
    assert len(ours) == len(dataset.sites)
    assert rows[: len(ours)] == ours  # ours first, then theirs in file order
    assert [r["id"] for r in theirs] == [f"your-data-line-{n}" for n in range(2, 7)]
    lyon = theirs[0]
    assert (lyon["name"], lyon["lat"], lyon["lon"]) == ("Mairie de Lyon", "45.7676", "4.8357")
    assert (lyon["insee_commune"], lyon["insee_dep"], lyon["insee_reg"]) == ("69381", "69", "84")
    assert (lyon["region_name"], lyon["departement_name"]) == ("Auvergne-Rhône-Alpes", "Rhône")
    assert lyon["category"] == "mairie"
    assert lyon[us.ATTRIBUTE] == "Ville"  # their own column, kept
    bordeaux = theirs[-1]  # commune only: listed, with its région, no coordinates
    assert (bordeaux["lat"], bordeaux["lon"], bordeaux["insee_reg"]) == ("", "", "75")
    assert next(r for r in ours)[us.ATTRIBUTE] == ""


def test_sites_csv_neutralises_their_formulas(dataset, user):
    rows = csv_rows(export(dataset, "csv", user))
    theirs = [r for r in rows if r["source"] == THEIRS]
    assert theirs[3]["name"] == "'" + us.HOSTILE
    assert [r[us.ATTRIBUTE] for r in theirs] == ["Ville", "'@x", "'+1", "'-2", "Ville"]
    assert theirs[1]["name"] == "Strasbourg <script>alert(1)</script>"  # text, for a CSV


def test_a_hostile_file_name_cannot_start_the_source_cell(dataset):
    hostile = us.user_data(us.user_sites(source="=cmd|' /C calc'!A0.csv"))
    rows = csv_rows(export(dataset, "csv", hostile))
    assert rows[-1]["source"] == "your data: =cmd|' /C calc'!A0.csv"  # starts with 'your'
    assert rows[-1]["name"] == "Bordeaux (commune seulement)"


def test_sites_geojson_holds_their_rows_as_written(dataset, user):
    data = json.loads(export(dataset, "geojson", user))
    theirs = [f for f in data["features"] if f["properties"]["source"] == THEIRS]
    assert len(theirs) == 5
    lyon, hostile, bordeaux = theirs[0], theirs[3], theirs[4]
    assert lyon["geometry"] == {"type": "Point", "coordinates": [4.8357, 45.7676]}
    assert lyon["properties"][us.ATTRIBUTE] == "Ville"
    assert hostile["properties"]["name"] == us.HOSTILE  # JSON is not run by spreadsheets
    assert hostile["geometry"]["coordinates"] == [55.4481, -20.8789]
    assert bordeaux["geometry"] is None
    assert bordeaux["id"] == "your-data-line-6"


def test_without_user_data_the_sites_export_is_unchanged(dataset):
    data = export(dataset, "csv")
    assert data.startswith(b"id,name,organisation,")
    assert b"your data" not in data


def test_metrics_csv_has_their_columns(dataset, user):
    rows = {r["insee_reg"]: r for r in csv_rows(export(dataset, "metrics-csv", user))}
    assert len(rows) == 18
    assert rows["84"]["user_sites"] == "1"  # Lyon
    assert rows["75"]["user_sites"] == "1"  # Bordeaux, counted though not drawn
    assert rows["04"]["user_sites"] == "1"
    assert rows["11"]["user_sites"] == "0"
    assert rows["84"]["user_values"] == "7.5"
    assert rows["11"]["user_values"] == ""


def test_image_export_names_their_file_in_the_footer(dataset, user):
    svg = export(dataset, "svg", user, metric="user_values")
    root = ET.fromstring(svg)
    drawn = " ".join("".join(n.itertext()) for n in root.iter(f"{SVG}text"))
    assert "Your data: sites from \u201cmes-sites.csv\u201d and values from" in drawn
    assert "Your sites (4) \u2013 mes-sites.csv" in drawn


def test_write_export_takes_the_user_data(dataset, user, tmp_path):
    path = write_export(dataset, ExportRequest(ViewState(), "csv"), tmp_path / "s.csv", user=user)
    assert path.read_text(encoding="utf-8").count(THEIRS) == 5


def test_interactive_map_carries_their_rows_with_hostile_names_escaped(dataset, user):
    html = export(dataset, "html", user)
    assert b"<script>alert(1)</script>" not in html  # never as markup
    assert b"Mairie de Lyon" in html  # their rows are in the map's payload
    assert b"Your sites" in html
    assert b"Mairie de Lyon" not in export(dataset, "html")


def test_their_geojson_features_keep_the_files_order(dataset):
    sites = us.user_sites("points.geojson", us.PLACES[:3])
    frame = sites.frame.assign(line=["feature 10", "feature 2", "feature 1"])
    labelled = us.user_data(us.UserSites(sites.source, frame, sites.attributes, sites.mapping))
    rows = csv_rows(export(dataset, "csv", labelled))
    ids = [r["id"] for r in rows if r["source"] == "your data: points.geojson"]
    assert ids == [f"your-data-line-feature {n}" for n in (1, 2, 10)]
