"""`validate` and `export` with a reader's own files (--sites, --region-values), in process."""

from __future__ import annotations

import csv
import io
import json

import matplotlib

matplotlib.use("Agg")

import pypdf
import pytest

from geo.cli import main
from geo.export import OUR_SOURCE

# A French Excel export: ';', decimal commas, cp1252, CRLF, accents, hostile names, a
# commune-only row, a row with swapped coordinates and one with no latitude at all.
SITES_CSV = (
    "Nom;Latitude;Longitude;Code INSEE;Catégorie;Porteur\r\n"
    "Mairie de Lyon;45,7676;4,8357;69381;mairie;Métropole\r\n"  # line 2
    "Hôtel de ville de Strasbourg;48,5734;7,7521;67482;mairie;@SUM(A1)\r\n"  # line 3
    '"=HYPERLINK(""http://evil.example"";""clic"")";48,1113;-1,6800;35238;campus;+33 1\r\n'  # 4
    "Mairie de Saint-Denis;-20,8789;55,4481;97411;mairie;Région\r\n"  # line 5
    "Bordeaux (commune seulement);;;33063;mairie;Ville\r\n"  # line 6
    "Rennes inversé;-1,6800;48,1113;35238;campus;Ville\r\n"  # line 7: swapped
    "Nulle part;N/A;4,8;;mairie;Ville\r\n"  # line 8: no latitude
)
VALUES_CSV = (
    "Département;Valeur;Unité\r\n"
    "Rhône;1 200;postes\r\n"
    "bas rhin;800;postes\r\n"
    "ILLE-ET-VILAINE;450;postes\r\n"
    "La Réunion;90;postes\r\n"
)
THEIRS = "your data: sites.csv"


@pytest.fixture
def files(tmp_path):
    sites = tmp_path / "sites.csv"
    sites.write_bytes(SITES_CSV.encode("cp1252"))
    values = tmp_path / "valeurs.csv"
    values.write_bytes(VALUES_CSV.encode("cp1252"))
    return sites, values


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_validate_prints_both_summaries_every_problem_and_exits_1(capsys, files):
    sites, values = files
    status, out, err = run(
        capsys, "validate", "--sites", str(sites), "--region-values", str(values)
    )
    assert status == 1
    assert "sites.csv: 30 sites (24 mapped, 6 without a known location)" in out  # ours
    assert "OK: every data file is valid." in out
    assert (
        "  sites.csv: 7 rows read, 5 kept (4 with coordinates, 1 commune-only: counted, not "
        "drawn), 2 rejected\n" in out
    )
    assert "  sites.csv: 1 row with latitude and longitude that look swapped (line 7)\n" in out
    assert "  valeurs.csv: 4 rows read, 4 kept (départements), 0 rejected\n" in out
    assert "encoding Windows-1252" in out
    lines = err.splitlines()
    assert lines[0] == "Error: 2 problems in your data (2 rows rejected):"
    assert lines[1].startswith("  sites.csv, line 7, field 'Latitude': expected a point in France")
    assert "look swapped" in lines[1]
    assert lines[2] == (
        "  sites.csv, line 8, field 'Latitude': expected a latitude in decimal degrees, like "
        "45.7676, got 'N/A'"
    )


def test_validate_good_user_file_exits_0(capsys, tmp_path):
    good = tmp_path / "bons.csv"
    good.write_bytes(b"nom,lat,lon\nMairie de Lyon,45.7676,4.8357\n")
    status, out, err = run(capsys, "validate", "--sites", str(good))
    assert (status, err) == (0, "")
    assert "  bons.csv: 1 row read, 1 kept (1 with coordinates, 0 commune-only" in out
    assert out.rstrip().endswith("OK: every row of your data is valid.")


def test_column_names_a_role_the_files_names_did_not_say(capsys, tmp_path):
    figures = tmp_path / "pop.csv"
    figures.write_bytes(b"Territoire;Population\nBretagne;3394567\nPACA;5127840\n")
    status, _, err = run(capsys, "validate", "--region-values", str(figures))
    assert status == 1
    assert "pop.csv, header: expected a column of values (valeur, value)" in err
    status, out, err = run(
        capsys, "validate", "--region-values", str(figures), "--column", "value=Population"
    )
    assert (status, err) == (0, "")
    assert "  pop.csv: 2 rows read, 2 kept (régions), 0 rejected" in out
    status, _, err = run(
        capsys, "validate", "--region-values", str(figures), "--column", "value=Pop"
    )
    assert status == 2
    assert (
        "pop.csv, header: expected a column 'Pop' (--column), got 'Territoire, Population'" in err
    )
    with pytest.raises(SystemExit):
        main(["validate", "--column", "valeur=Population"])
    assert "role 'valeur' is not one of: name, lat, lon," in capsys.readouterr().err


@pytest.mark.parametrize("command", ["validate", "export"])
def test_a_file_that_cannot_be_read_exits_2(capsys, tmp_path, command):
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    args = ["--format", "csv", "--out", str(tmp_path)] if command == "export" else []
    status, out, err = run(capsys, command, *args, "--sites", str(empty))
    assert status == 2
    assert err.startswith("Error: 1 problem in your data:\n  vide.csv: expected ")
    assert "Traceback" not in err
    assert "Wrote" not in out
    assert [p.name for p in tmp_path.iterdir()] == ["vide.csv"]  # nothing written


def test_export_csv_holds_their_rows_neutralised(capsys, files, tmp_path):
    sites, _ = files
    out = tmp_path / "export.csv"
    status, stdout, stderr = run(
        capsys, "export", "--format", "csv", "--out", str(out), "--sites", str(sites)
    )
    assert status == 0
    assert stdout.startswith(f"Wrote {out} (")
    assert stderr == (
        "Warning: 2 rows of sites.csv rejected and left out (`france-ai-map validate` lists them)\n"
    )
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    theirs = [r for r in rows if r["source"] == THEIRS]
    assert len([r for r in rows if r["source"] == OUR_SOURCE]) == 30
    assert [r["name"] for r in theirs] == [
        "Mairie de Lyon",
        "Hôtel de ville de Strasbourg",
        "'" + '=HYPERLINK("http://evil.example";"clic")',
        "Mairie de Saint-Denis",
        "Bordeaux (commune seulement)",
    ]
    assert [r["Porteur"] for r in theirs] == ["Métropole", "'@SUM(A1)", "'+33 1", "Région", "Ville"]
    assert theirs[0]["lat"] == "45.7676"
    assert theirs[4]["lat"] == ""


def test_export_geojson_and_filters_combine_with_their_rows(capsys, files, tmp_path):
    sites, _ = files
    out = tmp_path / "export.geojson"
    status, _, _ = run(
        capsys, "export", "--format", "geojson", "--out", str(out), "--sites", str(sites),
        "--region", "44",
    )  # fmt: skip
    assert status == 0
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    theirs = [f["properties"]["name"] for f in features if f["properties"]["source"] == THEIRS]
    assert theirs == ["Hôtel de ville de Strasbourg"]  # our region filter applies to theirs


def test_export_metric_user_values_draws_their_departements(capsys, files, tmp_path):
    sites, values = files
    out = tmp_path / "rapport.pdf"
    status, stdout, _ = run(
        capsys, "export", "--format", "pdf", "--out", str(out), "--sites", str(sites),
        "--region-values", str(values), "--metric", "user_values", "--layout", "a4-portrait",
    )  # fmt: skip
    assert status == 0
    assert stdout.startswith(f"Wrote {out} (")
    text = pypdf.PdfReader(out).pages[0].extract_text()
    assert "Valeur (postes) by" in text
    assert "Your sites (4)" in text
    assert "valeurs.csv" in text
    assert "1 row without coordinates counted in their région, not drawn." in text


def test_export_metrics_csv_has_their_columns(capsys, files, tmp_path):
    sites, _ = files
    out = tmp_path / "metrics.csv"
    status, _, _ = run(
        capsys, "export", "--format", "metrics-csv", "--out", str(out), "--sites", str(sites),
    )  # fmt: skip
    assert status == 0
    rows = {r["insee_reg"]: r for r in csv.DictReader(io.StringIO(out.read_text("utf-8")))}
    assert rows["84"]["user_sites"] == "1"
    assert rows["04"]["user_sites"] == "1"
    assert rows["75"]["user_sites"] == "1"  # the commune-only row, counted


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--metric", "user_values"],
            "Error: --metric 'user_values' needs your data: add --region-values FILE\n",
        ),
        (
            ["--metric", "user_sites"],
            "Error: --metric 'user_sites' needs your data: add --sites FILE\n",
        ),
    ],
)
def test_user_metric_without_its_file_is_a_clear_error(capsys, tmp_path, args, message):
    status, stdout, stderr = run(
        capsys, "export", "--format", "png", "--out", str(tmp_path / "m.png"), *args
    )
    assert (status, stdout, stderr) == (1, "", message)


def test_user_metric_is_offered_with_its_file(capsys, files, tmp_path):
    _, values = files
    status, _, stderr = run(
        capsys, "export", "--format", "png", "--out", str(tmp_path / "m.png"), "--dpi", "50",
        "--region-values", str(values), "--metric", "user_sites",
    )  # fmt: skip
    assert status == 1
    assert stderr == "Error: --metric 'user_sites' needs your data: add --sites FILE\n"
    status, _, _ = run(
        capsys, "export", "--format", "png", "--out", str(tmp_path / "m.png"), "--dpi", "50",
        "--region-values", str(values), "--metric", "user_values",
    )  # fmt: skip
    assert status == 0
    assert (tmp_path / "m.png").read_bytes().startswith(b"\x89PNG")


def test_export_takes_geojson_points(capsys, tmp_path):
    points = tmp_path / "points.geojson"
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [7.7521, 48.5734]},
        "properties": {"nom": "=1+1 Strasbourg", "type": "mairie"},
    }
    points.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), "utf-8")
    out = tmp_path / "s.csv"
    status, _, stderr = run(
        capsys, "export", "--format", "csv", "--out", str(out), "--sites", str(points)
    )
    assert (status, stderr) == (0, "")
    last = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))[-1]
    assert last["source"] == "your data: points.geojson"
    assert last["name"] == "'=1+1 Strasbourg"
    assert (last["lat"], last["lon"], last["insee_reg"]) == ("48.5734", "7.7521", "44")
    assert last["id"] == "your-data-line-feature 1"
