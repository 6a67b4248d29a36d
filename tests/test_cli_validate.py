"""`python -m geo validate`: summary on good data, every problem and exit 1 on bad data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import copy_data, edit_csv

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], capture_output=True, text=True, cwd=cwd, env=env
    )


def test_validate_shipped_data_prints_a_summary():
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "sites.csv: 30 sites (24 mapped, 6 without a known location)" in out
    assert "regions.geojson: 18 regions" in out
    assert "departements.geojson: 101 departements" in out
    assert "  44 Grand Est: 3" in out
    assert "  region_only: 2" in out
    assert out.rstrip().endswith("OK: every data file is valid.")
    assert result.stderr == ""


def test_validate_broken_copy_lists_every_problem_and_exits_1(tmp_path):
    data = copy_data(tmp_path)
    lat_line = edit_csv(data / "sites.csv", "station-f", lat="N/A")
    cat_line = edit_csv(data / "sites.csv", "rennes-sb", category="school")
    scope_line = edit_csv(data / "commitments.csv", "gpus", scope="99")
    result = run_cli("validate", "data", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: 3 problems in the data:"
    assert lines[1] == (
        f"  data/sites.csv, line {lat_line}, field 'lat': expected a number between -90 and 90, "
        "got 'N/A'"
    )
    assert lines[2].startswith(
        f"  data/sites.csv, line {cat_line}, field 'category': expected one of"
    )
    assert lines[3].startswith(
        f"  data/commitments.csv, line {scope_line}, field 'scope': "
        "expected a region code among 01, 02"
    )
    assert "Traceback" not in result.stderr


def test_validate_missing_directory(tmp_path):
    result = run_cli("validate", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert (
        "regions.geojson: expected an existing boundary file (GeoJSON), got 'no such file'"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
