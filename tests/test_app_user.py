"""The "Your data" section of the app, driven by AppTest: uploads, checks, mapping, filters.

AppTest drives st.file_uploader itself (set_value with name, bytes and type), so these runs
go through the same widget as a browser upload.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from helpers import recorded_downloads
from streamlit.testing.v1 import AppTest

from geo import cli, export
from geo.core import view as core_view
from geo.core.userdata import read as user_read
from geo.core.userdata import sites as user_sites
from geo.core.userdata.model import MAX_UPLOAD_BYTES
from geo.webmap import layers

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT_S = 60
SITES_KEY, VALUES_KEY = "user_file_sites_0", "user_file_values_0"

# A French Excel export: ';', decimal comma, cp1252, CRLF. Lyon, Strasbourg, Rennes and
# Saint-Denis (La Réunion) have points; one row has a commune code only; one is broken.
FRENCH_SITES = (
    "nom;latitude;longitude;code_insee;catégorie;montant\r\n"
    "Mairie de Lyon;45,7676;4,8357;69381;Mairie;1200,5\r\n"
    "Strasbourg centre;48,5734;7,7521;67482;Campus;\r\n"
    "Rennes gare;48,1113;-1,6800;35238;Campus;\r\n"
    "Saint-Denis (Réunion);-20,8789;55,4481;97411;Mairie;\r\n"
    "Commune seule;;;35238;Campus;\r\n"
    "Ligne cassée;N/A;4,8;;Campus;\r\n"
).encode("cp1252")
BROKEN_LINE = 7


def run_app(**session) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    for key, value in session.items():
        at.session_state[key] = value
    return at.run()


def upload(at: AppTest, key: str, name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    at.file_uploader(key=key).set_value((name, data, mime))
    return at.run()


def with_sites(data: bytes = FRENCH_SITES, name: str = "mes-sites.csv", **session) -> AppTest:
    return upload(run_app(**session), SITES_KEY, name, data)


def as_rendered(markdown: str) -> str:
    """The text a Markdown body shows: hard line breaks as newlines, escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("  \n", "\n"))


def your_data(at: AppTest):
    (section,) = [e for e in at.sidebar.expander if e.label == "Your data"]
    return section


def section_texts(at: AppTest) -> list[str]:
    """Every caption, Markdown body and alert of the section, as shown."""
    section = your_data(at)
    elements = [*section.caption, *section.markdown, *section.error, *section.warning]
    return [as_rendered(e.value) for e in elements]


def counts_line(at: AppTest) -> str:
    (line,) = [t for t in section_texts(at) if "rows read" in t]
    return line


def map_counts(at: AppTest) -> str:
    (line,) = [m.value for m in at.main.markdown if m.value.startswith("Sites on the map: **")]
    return as_rendered(line)


def test_section_is_closed_and_empty_without_an_upload():
    at = run_app()
    assert not at.exception
    section = your_data(at)
    assert section.proto.expanded is False
    assert [u.label for u in section.file_uploader] == [
        "Your sites",
        "Your figures per région or département",
    ]
    assert at.file_uploader(key=SITES_KEY).allowed_type == [
        ".csv", ".txt", ".xlsx", ".geojson", ".json"
    ]  # fmt: skip
    assert at.file_uploader(key=VALUES_KEY).allowed_type == [".csv", ".txt", ".xlsx"]
    assert "latitude and longitude or an INSEE commune code" in (
        at.file_uploader(key=SITES_KEY).help
    )
    assert not [b for b in at.button if b.label == "Remove my data"]
    assert "Your sites" not in at.selectbox(key="metric").options


def test_french_csv_is_counted_mapped_and_offered_as_a_metric():
    at = with_sites()
    assert not at.exception
    assert counts_line(at) == (
        "mes-sites.csv: 6 rows read, 4 mapped, 1 listed only (commune code), 1 rejected"
    )
    (notes,) = [t for t in section_texts(at) if t.startswith("Read with: ")]
    assert notes.startswith("Read with: encoding Windows-1252 (not UTF-8); delimiter ';'")
    assert "Your sites" in at.selectbox(key="metric").options
    at.selectbox(key="metric").set_value("user_sites").run()
    assert not at.exception
    assert at.selectbox(key="metric").value == "user_sites"
    # Our data stays on the map, with the same counts.
    assert map_counts(at).startswith("Sites on the map: ")
    assert len(at.get("component_instance")) == 1


def test_problems_are_listed_as_text_and_downloadable_as_safe_csv(monkeypatch):
    calls = recorded_downloads(monkeypatch)
    at = with_sites()
    problems = [t for t in section_texts(at) if f"line {BROKEN_LINE}" in t]
    assert problems, section_texts(at)
    assert problems[0].startswith(f"mes-sites.csv, line {BROKEN_LINE}")
    (call,) = [c for c in calls if c["file_name"] == "problems-sites.csv"]
    table = pd.read_csv(io.BytesIO(call["data"]()), dtype=str, keep_default_na=False)
    assert list(table.columns) == ["file", "line", "field", "expected", "got"]
    assert str(BROKEN_LINE) in table["line"].tolist()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GEOJSON = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"nom": name},
            }
            for name, lat, lon in (("Mairie de Lyon", 45.7676, 4.8357), ("Rennes", 48.1113, -1.68))
        ],
    }
).encode()


@pytest.mark.parametrize(
    ("name", "data", "mime"),
    [
        (
            "sites.xlsx",
            xlsx_bytes([["Nom", "Latitude", "Longitude"], ["Mairie de Lyon", 45.7676, 4.8357],
                        ["Rennes", 48.1113, -1.68]]),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("sites.geojson", GEOJSON, "application/geo+json"),
    ],
)  # fmt: skip
def test_excel_and_geojson_uploads_are_mapped(name, data, mime):
    at = upload(run_app(), SITES_KEY, name, data, mime)
    assert not at.exception
    assert (
        counts_line(at)
        == f"{name}: 2 rows read, 2 mapped, 0 listed only (commune code), 0 rejected"
    )


def test_a_row_the_reader_left_out_is_counted_as_read_and_rejected():
    data = b"nom;latitude;longitude\nLyon;45,7676;4,8357\nRennes;48,1113;-1,68;en trop\n"
    at = with_sites(data, "large.csv")
    assert counts_line(at) == (
        "large.csv: 2 rows read, 1 mapped, 0 listed only (commune code), 1 rejected"
    )
    assert any(t.startswith("large.csv, line 3") for t in section_texts(at))


def test_uploaders_take_files_up_to_the_upload_limit():
    at = run_app()
    for key in (SITES_KEY, VALUES_KEY):
        assert at.file_uploader(key=key).proto.max_upload_size_mb * 1024 * 1024 == (
            MAX_UPLOAD_BYTES
        )


def test_many_problems_show_the_first_200_and_download_all(monkeypatch):
    calls = recorded_downloads(monkeypatch)
    rows = "".join(f"Site {i};N/A;4,8\n" for i in range(250))
    at = with_sites(f"nom;latitude;longitude\nMairie de Lyon;45,7676;4,8357\n{rows}".encode())
    assert not at.exception
    assert counts_line(at) == (
        "mes-sites.csv: 251 rows read, 1 mapped, 0 listed only (commune code), 250 rejected"
    )
    (listed,) = [t for t in section_texts(at) if t.startswith("mes-sites.csv, line")]
    assert len(listed.splitlines()) == 201
    assert listed.splitlines()[-1] == "... and 50 more (250 in all)."
    call = [c for c in calls if c["file_name"] == "problems-sites.csv"][-1]
    assert len(pd.read_csv(io.BytesIO(call["data"]()))) == 250


def test_a_file_is_read_once_not_on_every_rerun(monkeypatch):
    reads, checks = (
        counting(monkeypatch, user_read, "read_upload"),
        counting(monkeypatch, user_sites, "validate_sites"),
    )
    at = with_sites()
    at.multiselect(key="initiatives").select("skilling").run()
    at.selectbox(key="metric").set_value("user_sites").run()
    assert not at.exception
    assert (len(reads), len(checks)) == (1, 1)
    # A new mapping is checked again, from the table already read.
    role = next(s for s in your_data(at).selectbox if s.key.endswith("_category"))
    role.set_value("(none)").run()
    assert (len(reads), len(checks)) == (1, 2)


def test_unrecognised_columns_are_asked_for_and_then_checked():
    data = b"Lieu;Nord;Est\nMairie de Lyon;45.7676;4.8357\nRennes gare;48.1113;-1.68\n"
    at = with_sites(data, "lieux.csv")
    assert not at.exception
    (warning,) = your_data(at).warning
    assert as_rendered(warning.value).startswith("lieux.csv: choose the columns that hold Name")
    assert not [t for t in section_texts(at) if "rows read" in t]
    roles = {s.key.rsplit("_", 1)[-1]: s for s in your_data(at).selectbox}
    assert roles["name"].options[0] == "(none)"
    roles["name"].set_value("Lieu")
    roles["lat"].set_value("Nord")
    at.selectbox(key=roles["lon"].key).set_value("Est").run()
    assert not at.exception
    assert counts_line(at) == (
        "lieux.csv: 2 rows read, 2 mapped, 0 listed only (commune code), 0 rejected"
    )
    assert not your_data(at).warning


def test_swapped_coordinates_are_offered_a_swap_that_maps_them():
    data = (
        b"nom;latitude;longitude\n"
        b"Mairie de Lyon;4,8357;45,7676\n"
        b"Strasbourg centre;7,7521;48,5734\n"
        b"Rennes gare;48,1113;-1,68\n"
    )
    at = with_sites(data, "inverses.csv")
    (swap,) = [b for b in at.button if b.label.startswith("Swap latitude")]
    assert swap.label == "Swap latitude and longitude in 2 rows"
    swap.click().run()
    assert not at.exception
    assert counts_line(at) == (
        "inverses.csv: 3 rows read, 3 mapped, 0 listed only (commune code), 0 rejected"
    )
    assert not [b for b in at.button if b.label.startswith("Swap latitude")]


def test_file_level_error_is_shown_as_its_message_and_our_data_stays():
    before = map_counts(run_app())
    at = with_sites(b"\x00\x01\x02 not a table", "photo.csv")
    assert not at.exception
    (error,) = your_data(at).error
    assert as_rendered(error.value).startswith("photo.csv")
    assert map_counts(at) == before
    assert "Your sites" not in at.selectbox(key="metric").options


def test_unexpected_error_names_the_file_and_keeps_our_map(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug, with a /server/path in its message")

    monkeypatch.setattr(user_sites, "validate_sites", broken)
    before = map_counts(run_app())
    at = with_sites()
    assert not at.exception
    (error,) = your_data(at).error
    text = as_rendered(error.value)
    assert text.startswith("mes-sites.csv could not be used: something went wrong on our side")
    assert "/server/path" not in text
    assert "Traceback" not in text
    assert map_counts(at) == before
    assert len(at.get("component_instance")) == 1


@pytest.mark.parametrize("where", ["view", "map"])
def test_unexpected_error_in_the_view_or_the_map_keeps_our_map(monkeypatch, where):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    if where == "view":
        monkeypatch.setattr(core_view, "compute_user_view", broken)
    else:
        monkeypatch.setattr(layers, "user_points_payload", broken)
    before = map_counts(run_app())
    at = with_sites()
    assert not at.exception
    (error,) = at.main.error
    assert as_rendered(error.value).startswith("Your data (mes-sites.csv) could not be ")
    assert "a bug" not in error.value
    assert map_counts(at) == before
    assert len(at.get("component_instance")) == 1
    assert not [m for m in at.main.markdown if m.value.startswith("Your sites on the map")]


def test_remove_my_data_empties_the_uploaders_and_the_map():
    at = with_sites()
    (remove,) = [b for b in at.button if b.label == "Remove my data"]
    remove.click().run()
    assert not at.exception
    assert not [t for t in section_texts(at) if "rows read" in t]
    assert [u.value for u in your_data(at).file_uploader] == [None, None]
    assert "Your sites" not in at.selectbox(key="metric").options


def user_counts(at: AppTest) -> str:
    (line,) = [m.value for m in at.main.markdown if m.value.startswith("Your sites on the map")]
    return as_rendered(line)


def test_filters_over_the_readers_columns_and_our_region_filter():
    at = with_sites()
    ours = map_counts(at)
    assert user_counts(at) == ("Your sites on the map: **4** · listed only (commune code): **1**")
    (category,) = [m for m in your_data(at).multiselect if m.label == "catégorie"]
    assert category.options == ["Campus", "Mairie"]
    category.select("Mairie").run()
    assert not at.exception
    assert user_counts(at) == ("Your sites on the map: **2** · listed only (commune code): **0**")
    assert map_counts(at) == ours  # their filter leaves our sites alone
    at.text_input(key=f"user_text_{uploaded_file_id(at)}").input("lyon").run()
    assert user_counts(at).startswith("Your sites on the map: **1** ·")
    at.multiselect(key=category.key).unselect("Mairie")
    at.text_input(key=f"user_text_{uploaded_file_id(at)}").set_value("").run()
    assert user_counts(at).startswith("Your sites on the map: **4** ·")
    at.multiselect(key="regions").select("53").run()  # Bretagne: Rennes and the commune row
    assert user_counts(at) == ("Your sites on the map: **1** · listed only (commune code): **1**")


def uploaded_file_id(at: AppTest) -> str:
    (text,) = [t for t in your_data(at).text_input if t.label == "Search your sites"]
    return text.key.removeprefix("user_text_")


def test_share_link_says_it_holds_our_data_only_and_offers_the_checked_rows(monkeypatch):
    calls = recorded_downloads(monkeypatch)
    at = with_sites()
    at.selectbox(key="metric").set_value("user_sites").run()
    notes = [c.value for c in at.sidebar.caption if c.value.startswith("This link shows our data")]
    assert len(notes) == 1
    # The link (and the address bar) never names the reader's metric.
    assert "metric" not in at.query_params
    call = [c for c in calls if c["file_name"] == "your-sites-checked.csv"][-1]
    table = pd.read_csv(io.BytesIO(call["data"]()), dtype=str, keep_default_na=False)
    assert "Mairie de Lyon" in table["name"].tolist()
    assert "Ligne cassée" not in table["name"].tolist()


def test_hostile_names_are_plain_text_and_neutralised_in_the_download(monkeypatch):
    calls = recorded_downloads(monkeypatch)
    data = (
        b"nom,latitude,longitude,<b>col</b>\n"
        b'"<img src=x onerror=alert(1)>",45.7676,4.8357,*a*\n'
        b"=1+1,48.5734,7.7521,_b_\n"
        b"@x,N/A,N/A,c\n"
    )
    at = with_sites(data, "<i>hostile</i>.csv")
    assert not at.exception
    for element in [*your_data(at).caption, *your_data(at).markdown]:
        # Every Markdown special character of user text comes escaped.
        assert "<img" not in element.value.replace("\\<img", "")
        assert "<i>" not in element.value.replace("\\<i\\>", "")
    call = [c for c in calls if c["file_name"] == "your-sites-checked.csv"][-1]
    text = call["data"]().decode()
    assert "'=1+1" in text
    assert "\n=1+1" not in text
    assert ",=1+1" not in text


def test_region_values_colour_the_regions_by_the_readers_figure():
    data = (
        "région;valeur;unité\n"
        "Bretagne;12;startups\n"
        "PACA;30;startups\n"
        "ile de france;120;startups\n"
        "Grand-Est;18;startups\n"
    ).encode()
    at = upload(run_app(), VALUES_KEY, "chiffres.csv", data)
    assert not at.exception
    assert counts_line(at) == "chiffres.csv: 4 rows read, 4 mapped, 0 rejected"
    assert "valeur" in at.selectbox(key="metric").options  # the column's name, as written
    assert "Your sites" not in at.selectbox(key="metric").options  # figures, no sites
    at.selectbox(key="metric").set_value("user_values").run()
    assert not at.exception
    assert at.selectbox(key="metric").value == "user_values"
    (component,) = at.get("component_instance")
    assert "valeur per region" in component.proto.json_args  # the map's legend
    assert "metric" not in at.query_params


def test_a_figures_file_is_shown_on_arrival_and_the_reader_may_switch_back():
    data = "région;valeur\nBretagne;12\nPACA;30\n".encode()
    at = upload(run_app(), VALUES_KEY, "chiffres.csv", data)
    assert not at.exception
    assert at.selectbox(key="metric").value == "user_values"
    at.selectbox(key="metric").set_value("sites").run()
    at.run()  # a later rerun does not take the reader's choice back
    assert at.selectbox(key="metric").value == "sites"


def test_figures_per_departement_colour_the_departements():
    data = "département;valeur\n69;12\n35;3\nBas-Rhin;7\n".encode()
    at = upload(run_app(), VALUES_KEY, "deps.csv", data)
    assert counts_line(at) == "deps.csv: 3 rows read, 3 mapped, 0 rejected"
    at.selectbox(key="metric").set_value("user_values").run()
    assert not at.exception
    (component,) = at.get("component_instance")
    # Each département's tooltip gives the reader's figure (markup as the map sends it,
    # escaped once per JSON layer).
    shown = re.sub(r"\\+u003e", ">", re.sub(r"\\+u003c", "<", component.proto.json_args))
    assert "Bas-Rhin</strong> (67)<br>valeur: <b>7" in shown
    assert "(35)<br>valeur: <b>3" in shown
    at.selectbox(key="panel_region").set_value("84").run()
    assert "valeur" not in panel_rows(at)  # a région has no value of its own here
    assert not at.exception


def test_another_session_never_sees_the_upload():
    at = with_sites()
    assert counts_line(at)
    other = run_app()
    assert not other.exception
    assert not [t for t in section_texts(other) if "rows read" in t]
    assert "Your sites" not in other.selectbox(key="metric").options


def panel_rows(at: AppTest) -> dict[str, str]:
    (table,) = at.table
    return dict(zip(table.value["Measure"], table.value["Value"], strict=True))


def test_region_panel_and_tables_show_the_readers_rows():
    values = "région;valeur;unité\nBretagne;12;startups\nPACA;30;startups\n".encode()
    at = upload(with_sites(tables_open=True), VALUES_KEY, "chiffres.csv", values)
    at.selectbox(key="panel_region").set_value("53").run()
    assert not at.exception
    rows = panel_rows(at)
    assert rows["Your sites"] == "2 sites"  # Rennes gare, and the commune-only row
    assert rows["valeur"] == "12 startups"
    at.selectbox(key="panel_region").set_value("44").run()  # Grand Est: no figure in the file
    assert panel_rows(at)["valeur"] == "not in your file"
    (tables,) = [e for e in at.expander if e.label.startswith("Tables:")]
    assert tables.label.endswith(", 5 of your rows")
    mine = tables.dataframe[-1].value
    assert list(mine.columns[:2]) == ["line", "name"]
    assert mine["name"].tolist() == [
        "Mairie de Lyon", "Strasbourg centre", "Rennes gare", "Saint-Denis (Réunion)",
        "Commune seule",
    ]  # fmt: skip


def export_panel(at: AppTest):
    (panel,) = [e for e in at.expander if e.label.startswith("Export this view")]
    return panel


def test_export_includes_the_readers_rows_and_says_so_in_its_name(monkeypatch, tmp_path, capsys):
    calls = recorded_downloads(monkeypatch)
    at = upload(
        run_app(export_open=True, export_format="csv"), SITES_KEY, "mes-sites.csv", FRENCH_SITES
    )
    assert not at.exception
    (name,) = [c.value for c in export_panel(at).caption if c.value.startswith("File:")]
    assert name == "File: `france-ai-investment_all_sites_with-your-data.csv`"
    assert "Then your 5 matching rows" in export_panel(at).info[0].value
    call = [c for c in calls if c["file_name"].endswith("_with-your-data.csv")][-1]
    made = call["data"]()
    # The same file as the command line makes from the same file.
    path = tmp_path / "mes-sites.csv"
    path.write_bytes(FRENCH_SITES)
    out = tmp_path / "cli.csv"
    status = cli.main(["export", "--format", "csv", "--sites", str(path), "--out", str(out)])
    assert status == 0, capsys.readouterr().err
    assert made == out.read_bytes()
    assert b"Mairie de Lyon" in made


def test_an_export_with_a_readers_data_is_not_served_to_another_session(monkeypatch):
    calls = recorded_downloads(monkeypatch)
    mine = upload(
        run_app(export_open=True, export_format="csv"), SITES_KEY, "mes-sites.csv", FRENCH_SITES
    )
    assert b"Mairie de Lyon" in calls[-1]["data"]()
    theirs = run_app(export_open=True, export_format="csv")
    assert not theirs.exception
    (name,) = [c.value for c in export_panel(theirs).caption if c.value.startswith("File:")]
    assert name == "File: `france-ai-investment_all_sites.csv`"
    assert b"Mairie de Lyon" not in calls[-1]["data"]()
    mine.run()  # and the first session still has its own
    assert b"Mairie de Lyon" in calls[-1]["data"]()


def test_report_preview_with_a_readers_data_is_drawn_once_per_request(monkeypatch):
    renders = counting(monkeypatch, export, "render_export")

    def previews() -> int:
        return sum(1 for _, kwargs in renders if kwargs.get("user") is not None)

    at = with_sites(export_open=True)
    assert not at.exception
    assert len(export_panel(at).get("image")) == 1
    assert previews() == 1
    at.selectbox(key="panel_region").set_value("53").run()  # the same file: kept
    assert previews() == 1
    at.toggle(key="export_labels").set_value(True).run()  # another file: drawn
    assert not at.exception
    assert previews() == 2


# --- helpers ---------------------------------------------------------------------------


def counting(monkeypatch, module, name: str) -> list:
    """Record each call of module.name (which still runs) as (args, kwargs)."""
    calls: list = []
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        calls.append((args, kwargs))
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls
