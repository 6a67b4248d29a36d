"""The CLI and investments: `export --investments`, the --inv-* filters (an unknown value is
refused with the valid list), --metric announced_eur / announced_mw, and `landscape`, whose
totals equal a hand sum over our own table."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import matplotlib

matplotlib.use("Agg")

import landscape_samples as ls
import pytest

from geo.cli import ALL_ROW, NOT_LOCATED_ROW, main
from geo.report.investlayer import INVEST_GID


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return ls.landscape_data(tmp_path_factory.mktemp("landscape-cli"))


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_export_draws_the_layer_with_investment_filters(capsys, tmp_path, data_dir):
    out = tmp_path / "map.svg"
    status, stdout, stderr = run(
        capsys, "export", "--format", "svg", "--out", str(out), "--data-dir", str(data_dir),
        "--investments", "--inv-investor", "MGX", "--inv-investor", "Equinix",
        "--metric", "announced_eur",
    )  # fmt: skip
    assert (status, stderr) == (0, "")
    assert stdout.startswith(f"Wrote {out} (")
    root = ET.parse(out).getroot()
    assert ls.svg_circles(root, INVEST_GID) == 3  # Fouju and Equinix's two rows at Meudon
    title = next(root.iter(f"{ls.SVG}title")).text
    assert title == "Announced AI investment by region (EUR)"


def test_export_investments_csv_follows_status_and_year(capsys, tmp_path, data_dir):
    out = tmp_path / "inv.csv"
    status, _, stderr = run(
        capsys, "export", "--format", "investments-csv", "--out", str(out),
        "--data-dir", str(data_dir), "--inv-status", "operating", "--inv-year", "2025",
    )  # fmt: skip
    assert (status, stderr) == (0, "")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["equinix-again"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--inv-status", "built"],
            "Error: --inv-status 'built' is not one of: announced, permit_filed, "
            "under_construction, operating, abandoned\n",
        ),
        (
            ["--inv-year", "2023"],
            "Error: --inv-year '2023' is not one of: 2024, 2025, 2026\n",
        ),
        (
            ["--inv-investor", "Amazon"],
            f"Error: --inv-investor 'Amazon' is not one of: {ls.FORMULA_INVESTOR}, "
            f"{ls.HOSTILE_INVESTOR}, Equinix, MGX, Microsoft, Nebius\n",
        ),
    ],
)
def test_unknown_investment_values_are_refused_with_the_valid_list(
    capsys, tmp_path, data_dir, args, message
):
    out = tmp_path / "x.csv"
    status, stdout, stderr = run(
        capsys, "export", "--format", "investments-csv", "--out", str(out),
        "--data-dir", str(data_dir), *args,
    )  # fmt: skip
    assert (status, stdout, stderr) == (1, "", message)
    assert not out.exists()


def test_unknown_event_is_refused_with_the_vocabulary(capsys, data_dir):
    from geo.core.vocabulary import INVESTMENT_EVENTS, NO_EVENT

    status, stdout, stderr = run(
        capsys, "landscape", "--data-dir", str(data_dir), "--inv-event", "vivatech"
    )
    assert (status, stdout) == (1, "")
    valid = ", ".join([*INVESTMENT_EVENTS, NO_EVENT])
    assert stderr == f"Error: --inv-event 'vivatech' is not one of: {valid}\n"


def landscape_rows(capsys, data_dir, *args) -> list[dict[str, str]]:
    status, stdout, stderr = run(
        capsys, "landscape", "--format", "csv", "--data-dir", str(data_dir), *args
    )
    assert (status, stderr) == (0, "")
    return list(csv.DictReader(io.StringIO(stdout)))


def test_landscape_csv_totals_equal_a_hand_sum(capsys, data_dir):
    rows = landscape_rows(capsys, data_dir)
    by_name = {r["region"]: r for r in rows}
    regions = {r["insee_reg"]: r for r in rows if r["insee_reg"]}
    for code, euros in ls.REGION_EUR.items():
        assert float(regions[code]["announced_eur"]) == euros
    assert float(by_name[NOT_LOCATED_ROW]["announced_eur"]) == ls.NOT_LOCATED_EUR
    total = by_name[ALL_ROW]
    assert float(total["announced_eur"]) == ls.TOTAL_EUR
    assert float(total["announced_mw"]) == pytest.approx(ls.TOTAL_MW)
    located = sum(float(r["announced_eur"] or 0) for r in regions.values())
    assert located + ls.NOT_LOCATED_EUR == ls.TOTAL_EUR  # the regions and the rest add up
    assert int(total["investments"]) == len(ls.ROWS)
    assert float(total["microsoft_eur"]) == 4e9
    parts = [*regions.values(), by_name[NOT_LOCATED_ROW]]
    for column in ("announced_eur_high", "announced_mw", "microsoft_eur", "investments"):
        added = sum(float(r[column] or 0) for r in parts)  # empty: nothing disclosed there
        assert added == pytest.approx(float(total[column])), column


def test_landscape_filters_by_investor(capsys, data_dir):
    rows = landscape_rows(capsys, data_dir, "--inv-investor", ls.HOSTILE_INVESTOR)
    total = next(r for r in rows if r["region"] == ALL_ROW)
    assert float(total["announced_eur"]) == 30e9  # the raised figure, once
    assert [r["insee_reg"] for r in rows if r["insee_reg"]] == ["32"]


def test_landscape_csv_neutralises_nothing_it_need_not(capsys, data_dir):
    rows = landscape_rows(capsys, data_dir)
    assert all(not r["region"].startswith("'") for r in rows)


def test_landscape_text_prints_the_table_and_the_terms(capsys, data_dir):
    status, stdout, stderr = run(capsys, "landscape", "--data-dir", str(data_dir))
    assert (status, stderr) == (0, "")
    lines = stdout.splitlines()
    assert lines[0].split()[:3] == ["Code", "Region", "Announced"]
    total = next(line for line in lines if line.startswith(ALL_ROW) or ALL_ROW in line)
    assert "EUR 64.35 bn" in total
    terms = [line for line in lines if line.startswith("- ")]
    assert terms  # what the totals include and exclude


def test_landscape_refuses_an_unknown_format(capsys, data_dir):
    status, stdout, stderr = run(capsys, "landscape", "--format", "xlsx")
    assert (status, stdout) == (1, "")
    assert stderr == (
        "Error: --format 'xlsx' is not one of: text (an aligned table), csv (CSV (raw numbers))\n"
    )
