"""`python -m geo export`: files written, exact error messages, --force, atomic writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest
from PIL import Image

from geo.cli import main
from geo.report import render as static

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process; return (status, stdout, stderr)."""
    status = main(["export", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_export_png_prints_path_and_size(capsys, tmp_path):
    out = tmp_path / "map.png"
    status, stdout, stderr = run(
        capsys, "--format", "png", "--out", str(out), "--dpi", "50", "--layout", "square"
    )
    assert (status, stderr) == (0, "")
    size = out.stat().st_size
    assert stdout == f"Wrote {out} ({size / 1000:.1f} KB)\n"
    assert Image.open(out).size == static.LAYOUTS["square"].pixel_size(50)


def test_export_into_a_folder_names_the_file(capsys, tmp_path):
    status, stdout, _ = run(
        capsys, "--format", "csv", "--out", str(tmp_path), "--initiative", "skilling", "startups"
    )
    assert status == 0
    expected = tmp_path / "france-ai-investment_skilling-startups_sites.csv"
    assert stdout.startswith(f"Wrote {expected} (")
    assert expected.read_text(encoding="utf-8").startswith("id,name,")


def test_filters_reach_the_export(capsys, tmp_path):
    out = tmp_path / "sites.csv"
    status, _, _ = run(
        capsys, "--format", "csv", "--out", str(out), "--region", "44",
        "--category", "data_centre", "public_partner", "--text", "  mulhouse  ",
    )  # fmt: skip
    assert status == 0
    ids = [line.split(",")[0] for line in out.read_text(encoding="utf-8").splitlines()[1:]]
    assert ids == ["dc-petit-landau", "m2a-mulhouse"]  # both name Mulhouse


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--initiative", "skiling"],
            "Error: --initiative 'skiling' is not one of: infrastructure, skilling, startups, "
            "sustainability\n",
        ),
        (
            ["--layout", "a3"],
            "Error: --layout 'a3' is not one of: a4-landscape, a4-portrait, slide-16x9, square\n",
        ),
        (
            ["--format", "jpg"],
            "Error: --format 'jpg' is not one of: png, svg, pdf, html, csv, geojson, metrics-csv, "
            "investments-csv, investments-geojson\n",
        ),
        (["--dpi", "1000"], "Error: --dpi expected a whole number from 50 to 600, got 1000\n"),
        (["--dpi", "high"], "Error: --dpi expected a whole number from 50 to 600, got 'high'\n"),
        (
            ["--metric", "money"],
            "Error: --metric 'money' is not one of: sites, partners, data_centres, "
            "commitments, sites_per_million, announced_eur, announced_mw, disclosed_eur\n",
        ),
        (
            ["--category", "school"],
            "Error: --category 'school' is not one of: data_centre, microsoft_office, "
            "higher_education, training_partner, inclusion_partner, public_partner, "
            "startup_hub, event_venue\n",
        ),
        (["--title", "x" * 250], "Error: --title expected at most 200 characters, got 250\n"),
        (["--text", "y" * 120], "Error: --text expected at most 100 characters, got 120\n"),
        (
            ["--initiative", "skilling", "--metric", "disclosed_eur"],
            "Error: metric 'disclosed_eur' has no values for these filters; choose one of: "
            "sites, partners, data_centres, commitments, sites_per_million, announced_eur, "
            "announced_mw\n",
        ),
    ],
)
def test_bad_option_gives_exact_error_and_exit_1(capsys, tmp_path, args, message):
    if "--format" not in args:
        args = ["--format", "png", *args]
    status, stdout, stderr = run(capsys, "--out", str(tmp_path / "map.png"), *args)
    assert (status, stdout, stderr) == (1, "", message)
    assert list(tmp_path.iterdir()) == []


def test_unknown_region_lists_codes_with_names(capsys, tmp_path):
    status, _, stderr = run(capsys, "--format", "csv", "--out", str(tmp_path), "--region", "99")
    assert status == 1
    assert stderr.startswith("Error: --region '99' is not one of: 01 (Guadeloupe), 02 (Martinique)")
    assert "11 (Île-de-France)" in stderr
    assert stderr.endswith("94 (Corsica)\n")


def test_missing_folder(capsys, tmp_path):
    out = tmp_path / "nowhere" / "map.pdf"
    status, stdout, stderr = run(capsys, "--format", "pdf", "--out", str(out))
    assert (status, stdout) == (1, "")
    assert stderr == f"Error: folder {str(out.parent)!r} does not exist (create it first)\n"


def test_a_path_ending_in_a_separator_is_a_folder_made_if_missing(capsys, tmp_path):
    # What the README shows (`--out reports/` on a fresh checkout).
    folder = tmp_path / "reports" / "2026"
    status, stdout, stderr = run(capsys, "--format", "csv", "--out", f"{folder}/")
    assert (status, stderr) == (0, "")
    assert stdout.startswith(f"Wrote {folder / 'france-ai-investment_all_sites.csv'} (")


def test_wrong_extension(capsys, tmp_path):
    status, _, stderr = run(capsys, "--format", "pdf", "--out", str(tmp_path / "map.png"))
    assert status == 1
    assert stderr == "Error: file name 'map.png' does not end in .pdf (format pdf)\n"


def test_existing_file_needs_force(capsys, tmp_path):
    out = tmp_path / "metrics.csv"
    out.write_text("keep me\n", encoding="utf-8")
    status, stdout, stderr = run(capsys, "--format", "metrics-csv", "--out", str(out))
    assert (status, stdout) == (1, "")
    assert stderr == f"Error: {str(out)!r} already exists; use --force to overwrite it\n"
    assert out.read_text(encoding="utf-8") == "keep me\n"
    status, stdout, stderr = run(capsys, "--format", "metrics-csv", "--out", str(out), "--force")
    assert (status, stderr) == (0, "")
    assert out.read_text(encoding="utf-8").startswith("insee_reg,name_fr,")


def test_crash_while_rendering_leaves_old_file_and_no_temp(capsys, tmp_path, monkeypatch):
    out = tmp_path / "map.svg"
    out.write_bytes(b"<svg>old</svg>")

    def crash(*args, **kwargs):
        raise RuntimeError("renderer crashed half way")

    monkeypatch.setattr(static, "render_image", crash)
    with pytest.raises(RuntimeError, match="half way"):
        run(capsys, "--format", "svg", "--out", str(out), "--force")
    assert out.read_bytes() == b"<svg>old</svg>"
    assert [p.name for p in tmp_path.iterdir()] == ["map.svg"]


def test_bad_data_dir_is_a_data_error(capsys, tmp_path):
    status, _, stderr = run(
        capsys, "--format", "csv", "--out", str(tmp_path), "--data-dir", str(tmp_path / "none")
    )
    assert status == 1
    assert stderr.startswith("Error: ")
    assert "regions.geojson: expected an existing boundary file" in stderr


def test_argparse_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["export", "--format", "png"])
    assert exit_.value.code == 2
    assert "the following arguments are required: --out" in capsys.readouterr().err


def test_validate_does_not_import_matplotlib():
    code = (
        "import sys; from geo.cli import main; status = main(['validate']); "
        "sys.exit(3 if 'matplotlib' in sys.modules else status)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, env=env)
    assert result.returncode == 0


def test_python_dash_m_geo_export_end_to_end(tmp_path):
    # Outside a checkout and without an installed bundle, the data folder is named this way.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FRANCE_AI_MAP_DATA_DIR": str(ROOT / "data")}
    command = [sys.executable, "-m", "geo", "export", "--format", "pdf", "--layout", "slide-16x9"]
    result = subprocess.run(
        [*command, "--out", "deck.pdf", "--initiative", "infrastructure", "--labels"],
        capture_output=True, text=True, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Wrote deck.pdf (")
    assert (tmp_path / "deck.pdf").read_bytes().startswith(b"%PDF-")
    again = subprocess.run(
        [*command, "--out", "deck.pdf"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert again.returncode == 1
    assert again.stderr == "Error: 'deck.pdf' already exists; use --force to overwrite it\n"
    assert "Traceback" not in again.stderr


def test_timeline_and_pledges_flags_reach_the_request():
    from geo.cli import build_parser, export_request

    parser = build_parser()
    plain = export_request(parser.parse_args(["export", "--format", "svg", "--out", "x.svg"]))
    assert (plain.timeline, plain.pledges) == (False, False)
    args = ["export", "--format", "svg", "--out", "x.svg", "--timeline", "--pledges"]
    asked = export_request(parser.parse_args(args))
    assert (asked.timeline, asked.pledges) == (True, True)
    only = export_request(parser.parse_args([*args[:5], "--timeline"]))
    assert (only.timeline, only.pledges) == (True, False)


def test_timeline_flag_draws_the_strip_and_its_absence_does_not(capsys, tmp_path):
    with_strip, without = tmp_path / "with.svg", tmp_path / "without.svg"
    common = ["--format", "svg", "--layout", "a4-portrait", "--region", "44"]
    assert run(capsys, *common, "--out", str(with_strip), "--timeline")[0] == 0
    assert run(capsys, *common, "--out", str(without))[0] == 0
    drawn = with_strip.read_text(encoding="utf-8")
    assert "Timeline: " in drawn
    assert "26 June 2025 \u00b7 Public meeting" in drawn
    assert "Headline pledges" not in drawn
    assert "Timeline: " not in without.read_text(encoding="utf-8")
