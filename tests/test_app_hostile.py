"""The app under hostile links and broken data (tracker issue 9), driven by AppTest."""

from __future__ import annotations

import pytest
import streamlit as st
from helpers import copy_data, edit_csv, write_csv
from test_app import as_rendered, run_app

PHISHING = "[Log in again](https://ev.il/x)"
PIXEL = "![](http://host/t.png)"


@pytest.mark.parametrize("value", [PHISHING, PIXEL])
def test_link_values_in_notices_are_text_not_markdown(value):
    at = run_app({"metric": value})
    assert not at.exception
    (warning,) = at.warning
    assert value not in warning.value  # every [ ] ( ) ! is escaped: no link, no image
    assert f"Ignored metric={value!r} from the link" in as_rendered(warning.value)


def test_hundreds_of_problems_are_capped_and_offered_as_a_file(tmp_path, monkeypatch):
    data = copy_data(tmp_path)
    path = data / "sites.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    bad = rows[0].split(",", 1)
    rows = [f"x{n},{bad[1]}".replace("data_centre", "castle", 1) for n in range(300)]
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    monkeypatch.setenv("FRANCE_AI_MAP_DATA_DIR", str(data))
    at = run_app()
    assert not at.exception
    (error,) = at.error
    lines = as_rendered(error.value).splitlines()
    assert len(lines) == 201
    assert lines[-1] == "... and 100 more problems (300 in all; data/sites.csv: 300)."
    assert [b.label for b in at.get("download_button")] == ["Download the full list of problems"]


def test_after_a_data_error_is_fixed_the_link_sets_the_widgets_again(tmp_path, monkeypatch):
    data = copy_data(tmp_path)
    monkeypatch.setenv("FRANCE_AI_MAP_DATA_DIR", str(data))
    at = run_app({"initiative": "skilling", "q": "lille"})
    assert at.multiselect(key="initiatives").value == ["skilling"]
    original = (data / "sites.csv").read_bytes()
    edit_csv(data / "sites.csv", "station-f", lat="N/A")
    at.run()
    assert at.error
    (data / "sites.csv").write_bytes(original)
    at.run()
    assert not at.error
    assert at.multiselect(key="initiatives").value == ["skilling"]
    assert at.text_input(key="text").value == "lille"


def test_no_headline_commitment_shows_the_page_without_cards(tmp_path, monkeypatch):
    data = copy_data(tmp_path)
    path = data / "commitments.csv"
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        row["headline"] = "no"
    write_csv(path, fields, rows)
    monkeypatch.setenv("FRANCE_AI_MAP_DATA_DIR", str(data))
    at = run_app()
    assert not at.exception
    assert not at.error
    assert any(m.value.startswith("Sites on the map: **") for m in at.markdown)  # the counts


def test_an_unexpected_error_shows_a_reference_not_a_traceback(monkeypatch):
    import geo.core.view

    def broken(*args, **kwargs):
        raise RuntimeError("secret /srv/path detail")

    monkeypatch.setattr(geo.core.view, "compute_view", broken)
    st.cache_resource.clear()  # views are cached: this one must be computed, and fail
    at = run_app()
    assert not at.exception
    (error,) = at.error
    assert error.value.startswith("Something went wrong while drawing this page.")
    assert "secret" not in error.value
    assert "/srv/path" not in error.value


def test_visitors_never_get_error_details():
    import tomllib
    from pathlib import Path

    config = tomllib.loads(
        (Path(__file__).resolve().parent.parent / ".streamlit/config.toml").read_text()
    )
    assert config["client"]["showErrorDetails"] == "none"
