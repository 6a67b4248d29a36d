"""Reading readers' own files: a table of real-world files, broken files, limits."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import unicodedata
import zipfile

import openpyxl
import pandas as pd
import pytest

from geo.core.errors import DataError
from geo.core.userdata import model, read
from geo.core.userdata.read import read_upload

HEADER = ["Nom", "Latitude", "Longitude", "Code INSEE"]
LYON = ["Mairie de Lyon", "45,7676", "4,8357", "69381"]
STRASBOURG = ["Strasbourg, cathédrale", "48,5734", "7,7521", "67482"]


def csv_bytes(rows, delimiter=";", encoding="utf-8", newline="\r\n") -> bytes:
    lines = []
    for row in rows:
        cells = [
            '"' + c.replace('"', '""') + '"' if (delimiter in c or '"' in c or "\n" in c) else c
            for c in row
        ]
        lines.append(delimiter.join(cells))
    return (newline.join(lines) + newline).encode(encoding)


def xlsx_bytes(rows, title="Feuil1", sheets=1) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for number in range(1, sheets):
        workbook.create_sheet(f"Autre {number}").append(["ignored"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def geojson_bytes(features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def point(lon, lat, **properties):
    geometry = {"type": "Point", "coordinates": [lon, lat]}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


EXCEL_FR = csv_bytes([HEADER, LYON, STRASBOURG], encoding="cp1252")
REAL_WORLD = {
    "French Excel CSV (; cp1252 CRLF)": (
        "sites.csv",
        EXCEL_FR,
        ("encoding Windows-1252 (not UTF-8)", "delimiter ';'"),
    ),
    "UTF-8 with BOM, commas, LF": (
        "sites.csv",
        b"\xef\xbb\xbf"
        + csv_bytes(
            [HEADER, [c.replace(",", ".") for c in LYON], [STRASBOURG[0], "48.5734", "7.7521", ""]],
            delimiter=",",
            newline="\n",
        ),
        ("encoding UTF-8 (byte order mark removed)", "delimiter ','"),
    ),
    "tab-separated UTF-8 named .txt": (
        "export.txt",
        csv_bytes([HEADER, LYON, STRASBOURG], delimiter="\t"),
        ("encoding UTF-8", "delimiter tab"),
    ),
    "latin-1 (a byte cp1252 leaves undefined)": (
        "sites.csv",
        csv_bytes([HEADER, LYON, STRASBOURG], encoding="latin-1").replace(b"Mairie", b"Mairie\x81"),
        ("encoding Latin-1 (neither UTF-8 nor Windows-1252)", "delimiter ';'"),
    ),
    "Excel Unicode text (UTF-16, tabs)": (
        "sites.txt",
        "\t".join(HEADER).encode("utf-16")[:2]
        + ("\r\n".join("\t".join(r) for r in [HEADER, LYON, STRASBOURG]) + "\r\n").encode(
            "utf-16-le"
        ),
        ("encoding UTF-16", "delimiter tab"),
    ),
    "CSV without extension": (
        "sites",
        EXCEL_FR,
        ("encoding Windows-1252 (not UTF-8)", "delimiter ';'"),
    ),
}


@pytest.mark.parametrize("case", REAL_WORLD.values(), ids=REAL_WORLD.keys())
def test_real_world_csv_files(case):
    name, data, notes = case
    raw = read_upload(name, data)
    assert raw.fmt == "csv"
    assert tuple(map(str, raw.notes)) == notes
    assert list(raw.frame.columns) == HEADER
    assert raw.frame["Nom"].tolist() == ["Mairie de Lyon", "Strasbourg, cathédrale"]
    assert raw.frame["Latitude"].str.replace(",", ".").tolist() == ["45.7676", "48.5734"]
    assert raw.lines == (2, 3)
    assert raw.problems == ()


SAME_EITHER_WAY = {
    **{name: data for name, (_, data, _) in REAL_WORLD.items()},
    "blank lines and ragged rows": b"a;b;c\n\n1;2\n;;\n  ;\n4;5;6\n7;8;9;\n",
    "CR only": b"a;b\r1;2\r3;4",
    "no final newline": b"a,b\n1,2",
    "trailing empty column": b"Nom;Lat;\nA;1;\nB;2;\n",
    "blank first lines": b"\n\n  \nNom;Lat\nA;1\n",
}


@pytest.mark.parametrize("data", SAME_EITHER_WAY.values(), ids=SAME_EITHER_WAY.keys())
def test_pandas_fast_path_reads_as_the_csv_module(monkeypatch, data):
    """Files without quotes go through pandas' C parser: it must give the same table."""
    fast = read_upload("f.csv", data)
    monkeypatch.setattr(read, "_read_csv_fast", lambda *args: None)
    slow = read_upload("f.csv", data)
    assert fast.lines == slow.lines
    assert fast.problems == slow.problems
    assert fast.notes == slow.notes
    pd.testing.assert_frame_equal(fast.frame, slow.frame)


def test_csv_quoted_newline_keeps_its_line_and_blank_lines_are_skipped():
    data = b'Nom;Latitude\r\n"Deux\r\nlignes";45\r\n\r\n;\r\nTrois;46\r\n'
    raw = read_upload("a.csv", data)
    assert raw.frame["Nom"].tolist() == ["Deux lignes", "Trois"]
    assert raw.lines == (2, 6)


def test_csv_ragged_rows_padded_or_listed():
    data = b"a;b;c\n1;2\n1;2;3;;\n1;2;3;4\n"
    raw = read_upload("r.csv", data)
    assert raw.frame.to_dict("list") == {"a": ["1", "1"], "b": ["2", "2"], "c": ["", "3"]}
    assert [str(p) for p in raw.problems] == [
        "r.csv, line 4: expected at most 3 fields, like the header, got '4 fields'"
    ]


def test_header_names_made_unique_and_trailing_empty_column_dropped():
    raw = read_upload("h.csv", b"Nom;nom;;Nom;\nA;B;C;D;\n")
    assert list(raw.frame.columns) == ["Nom", "nom", "column 3", "Nom (2)"]


def test_xlsx_first_sheet_typed_values_and_row_numbers():
    rows = [
        [],
        ["Nom", "Latitude", "Longitude", "Code INSEE", "Date", "Montant"],
        ["Mairie de Lyon", 45.7676, 4.8357, 69381, dt.datetime(2025, 3, 1), 1234.5],
        ["Bourg", None, None, 1053, dt.date(2025, 3, 2), 12.0],
        [None, None],
        ["Rennes", 48.1113, -1.68, "35238", dt.datetime(2025, 3, 2, 14, 30), True],
    ]
    raw = read_upload("mes sites.xlsx", xlsx_bytes(rows, sheets=2))
    assert raw.fmt == "xlsx"
    assert tuple(map(str, raw.notes)) == ("sheet 'Feuil1' (the first of 2)",)
    assert raw.lines == (3, 4, 6)
    assert raw.frame.to_dict("list") == {
        "Nom": ["Mairie de Lyon", "Bourg", "Rennes"],
        "Latitude": ["45.7676", "", "48.1113"],
        "Longitude": ["4.8357", "", "-1.68"],
        "Code INSEE": ["69381", "1053", "35238"],
        "Date": ["2025-03-01", "2025-03-02", "2025-03-02T14:30:00"],
        "Montant": ["1234.5", "12", "TRUE"],
    }


def test_geojson_points_properties_become_columns():
    features = [
        point(4.8357, 45.7676, nom="Mairie de Lyon", montant=1200.0, latitude="x"),
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": []}},
        point(7.7521, 48.5734, nom="Strasbourg", tags=["a", "b"], vide=None),
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": ["a", 1]}},
    ]
    raw = read_upload("points.geojson", geojson_bytes(features))
    assert raw.fmt == "geojson"
    assert raw.lines == ("feature 1", "feature 3")
    assert raw.frame.to_dict("list") == {
        "nom": ["Mairie de Lyon", "Strasbourg"],
        "montant": ["1200", ""],
        "latitude (property)": ["x", ""],
        "longitude": ["4.8357", "7.7521"],
        "latitude": ["45.7676", "48.5734"],
        "tags": ["", '["a", "b"]'],
        "vide": ["", ""],
    }
    assert [str(p) for p in raw.problems] == [
        "points.geojson, feature 2, field 'geometry': expected a Point geometry, got 'LineString'",
        "points.geojson, feature 4, field 'geometry': expected a Point geometry, "
        "got 'a Point with coordinates [\"a\", 1]'",
    ]


def test_json_content_sniffed_without_extension():
    assert read_upload("upload", geojson_bytes([point(1, 2, a="b")])).fmt == "geojson"


def test_hostile_cells_kept_verbatim_but_invisible_characters_removed():
    hostile = ["<script>alert(1)</script>", '=HYPERLINK("http://x","y")', "+1", "@x", "-2"]
    rows = [["Nom"], *([h] for h in hostile), ["a\u200bb\u202ec\ufeffd\x07e"], ["tab\there"]]
    raw = read_upload("h.csv", csv_bytes(rows, delimiter=","))
    assert raw.frame["Nom"].tolist() == [*hostile, "abcde", "tab here"]


def test_overlong_cell_cut_and_listed():
    raw = read_upload("l.csv", ("Nom;Note\nA;" + "x" * 501 + "\n").encode())
    assert raw.frame["Note"].str.len().tolist() == [500]
    assert [str(p) for p in raw.problems] == [
        "l.csv, line 2, field 'Note': expected at most 500 characters (the rest was cut), "
        "got '501 characters'"
    ]


def test_the_name_shown_is_the_file_name_never_a_path():
    raw = read_upload("C:\\Users\\marie\\Documents\\sites.csv", EXCEL_FR)
    assert raw.source == "sites.csv"
    with pytest.raises(DataError) as err:
        read_upload("/home/marie/vide.csv", b"")
    assert str(err.value).startswith("vide.csv: ")


RESAVE = "an XLSX or CSV file (open it in Excel or LibreOffice and save it as .xlsx or .csv)"
QUOTES = (
    'CSV fields whose quotes close (a field starting with " ends with " before the next separator)'
)
BROKEN = {
    "empty": (
        "vide.csv",
        b" \r\n",
        "vide.csv: expected a CSV, XLSX or GeoJSON file with a header row, got 'an empty file'",
    ),
    "header only": (
        "h.csv",
        b"Nom;Latitude\r\n",
        "h.csv: expected at least one data row under the header, got 'none'",
    ),
    "blank header": (  # in a CSV such a row is blank, and skipped
        "b.xlsx",
        xlsx_bytes([[" ", "\u200b"], ["A", "B"]]),
        "b.xlsx, line 1: expected a header row naming the columns, "
        "got 'a first row of empty cells'",
    ),
    "old xls": (
        "sites.xls",
        b"whatever",
        f"sites.xls: expected {RESAVE}, got 'an old Excel .xls file'",
    ),
    "xls renamed csv": (
        "sites.csv",
        read.OLE_MAGIC + b"\x00" * 100,
        f"sites.csv: expected {RESAVE}, got 'an old Excel .xls file'",
    ),
    "NUL bytes in a csv": (
        "s.csv",
        b"Nom\nA\x00B\n",
        "s.csv, line 2: expected a CSV, XLSX or GeoJSON file (text, no NUL bytes), "
        "got 'binary data'",
    ),
    "binary without extension": (
        "blob",
        b"\x00\x01\x02\x03",
        "blob: expected a CSV, XLSX or GeoJSON file, got 'binary data'",
    ),
    "broken xlsx": (
        "s.xlsx",
        b"PK\x03\x04 not really a zip",
        "s.xlsx: expected a readable XLSX workbook, got 'File is not a zip file'",
    ),
    "bad json": (
        "s.geojson",
        b'{"type": ',
        "s.geojson: expected a GeoJSON text file (UTF-8 JSON), "
        "got 'invalid JSON at line 1, column 10: Expecting value'",
    ),
    "not a collection": (
        "s.geojson",
        b'{"type": "Point"}',
        "s.geojson: expected a GeoJSON FeatureCollection, got \"JSON without 'features'\"",
    ),
    "no features": (
        "s.geojson",
        geojson_bytes([]),
        "s.geojson: expected at least one feature, got 'a FeatureCollection with none'",
    ),
    "only polygons": (
        "s.geojson",
        geojson_bytes([{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}}]),
        "s.geojson, feature 1, field 'geometry': expected a Point geometry, got 'Polygon'",
    ),
    "unclosed quote": (
        "q.csv",
        b'Nom;Lat\n"A;1\nB;2\n',
        f"q.csv, line 2: expected {QUOTES}, got 'unexpected end of data'",
    ),
    "text after a closing quote": (
        "q.csv",
        b'Nom;Lat\nA;1\n"B"C;2\n',
        f"q.csv, line 3: expected {QUOTES}, got " + repr("';' expected after '\"'"),
    ),
}


@pytest.mark.parametrize("case", BROKEN.values(), ids=BROKEN.keys())
def test_broken_files_each_with_its_message(case):
    name, data, message = case
    with pytest.raises(DataError) as err:
        read_upload(name, data)
    assert str(err.value) == message


def test_quotes_inside_an_unquoted_field_are_text():
    raw = read_upload("q.csv", 'Nom;Lat\nLycée "Jean Moulin";1\n'.encode())
    assert raw.frame["Nom"].tolist() == ['Lycée "Jean Moulin"']


def test_size_limit_checked_before_parsing():
    data = bytes(model.MAX_UPLOAD_BYTES + 1)  # NUL bytes: parsing would fail differently
    with pytest.raises(DataError) as err:
        read_upload("big.csv", data)
    assert str(err.value) == "big.csv: expected a file of at most 64 MB, got '64.0 MB'"
    with pytest.raises(DataError) as err:  # exactly at the limit: read, and found binary
        read_upload("big.csv", data[:-1])
    assert str(err.value) == (
        "big.csv, line 1: expected a CSV, XLSX or GeoJSON file (text, no NUL bytes), "
        "got 'binary data'"
    )


def test_row_limit(monkeypatch):
    monkeypatch.setattr(read, "MAX_ROWS", 3)
    read_upload("ok.csv", b"a\n1\n2\n3\n")
    with pytest.raises(DataError) as err:
        read_upload("rows.csv", b"a\n1\n2\n3\n4\n5\n")
    assert str(err.value) == "rows.csv: expected at most 3 data rows, got 'more than 3 rows'"
    with pytest.raises(DataError):
        read_upload("rows.xlsx", xlsx_bytes([["a"], [1], [2], [3], [4]]))
    with pytest.raises(DataError):
        read_upload("rows.geojson", geojson_bytes([point(1, 2)] * 4))


def test_column_limit(monkeypatch):
    monkeypatch.setattr(read, "MAX_COLUMNS", 2)
    with pytest.raises(DataError) as err:
        read_upload("wide.csv", b"a;b;c\n1;2;3\n")
    assert str(err.value) == "wide.csv, line 1: expected at most 2 columns, got '3 columns'"


def test_delimiter_sniffed_from_the_header_line():
    assert read.sniff_delimiter("nom;montant (k€, HT);lat") == ";"
    assert read.sniff_delimiter('"nom; ville",lat,lon') == ","
    assert read.sniff_delimiter("nom\tlat") == "\t"
    assert read.sniff_delimiter("nom") == ","


def test_invisible_table_matches_unicode_data():
    if unicodedata.unidata_version != "14.0.0":
        pytest.fail(
            f"INVISIBLE_RANGES lists Unicode 14.0.0, Python has {unicodedata.unidata_version}"
        )
    invisible = {
        chr(c)
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp")
    }
    assert invisible == read.INVISIBLE


def test_xlsx_unpacking_to_too_much_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(read, "MAX_XLSX_UNPACKED_BYTES", 2**20)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 3 * 2**20)  # packs to ~3 KB
    with pytest.raises(DataError) as err:
        read_upload("bombe.xlsx", buffer.getvalue())
    assert str(err.value) == (
        "bombe.xlsx: expected an XLSX workbook of at most 1 MB once unpacked, got '3 MB'"
    )


def test_xlsx_with_a_broken_sheet_is_a_data_error():
    good = xlsx_bytes([["Nom"], ["A"]])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for info in source.infolist():
            body = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                body = body[: len(body) // 2]  # cut in the middle of the XML
            target.writestr(info, body)
    with pytest.raises(DataError) as err:
        read_upload("cassé.xlsx", buffer.getvalue())
    assert str(err.value).startswith("cassé.xlsx: expected a readable XLSX workbook, got ")
