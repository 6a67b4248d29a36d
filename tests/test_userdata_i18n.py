"""What readers are told about their own files, in English, French and German.

An upload is read once and kept in the reader's session: its notes and problems must word
themselves in the language current when shown, not the one current when the file was read.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.pofile import read_po
from test_userdata_read import BROKEN, csv_bytes, geojson_bytes, point, xlsx_bytes
from test_userdata_sites import check, sites_file

from geo.core.errors import DataError, Problem
from geo.core.userdata import deferred, load, model
from geo.core.userdata.columns import guess_mapping
from geo.core.userdata.deferred import Degrees, Fixed, PlaceName
from geo.core.userdata.read import read_upload
from geo.core.userdata.summary import PROBLEM_COLUMNS, problems_table, read_counts, read_summary
from geo.core.userdata.values import validate_values
from geo.export import safe_csv
from geo.i18n import Text, use_language

NBSP = "\u00a0"
FRENCH_PO = Path(__file__).resolve().parent.parent / "geo/locale/fr/LC_MESSAGES/messages.po"


@pytest.fixture(scope="module")
def upload(dataset):
    """The sample sites file (tests/test_userdata_sites.py), read and checked in English."""
    raw = sites_file()
    return raw, check(raw, dataset)


def _problem(user, line: int, field: str) -> Problem:
    (problem,) = [p for p in user.problems if p.line == line and p.field == field]
    return problem


def test_summary_line_in_each_language(upload):
    raw, user = upload
    assert read_counts("sites", raw, user) == {"rows": 14, "mapped": 4, "listed": 1, "rejected": 9}
    assert read_summary("sites", raw, user) == (
        "14 rows read, 4 mapped, 1 listed only (commune code), 9 rejected"
    )
    with use_language("fr"):
        assert read_summary("sites", raw, user) == (
            f"14 lignes lues — sur la carte{NBSP}: 4{NBSP}; listées seulement (code commune)"
            f"{NBSP}: 1{NBSP}; rejetées{NBSP}: 9"
        )
    with use_language("de"):
        assert read_summary("sites", raw, user) == (
            "14 Zeilen gelesen – auf der Karte: 4; nur gelistet (Gemeindecode): 1; abgelehnt: 9"
        )


def test_summary_of_one_row_is_singular_and_counts_are_grouped(dataset):
    raw = read_upload("v.csv", "Région;Valeur\n84;1\n".encode())
    user = validate_values(raw, guess_mapping(list(raw.frame.columns), "values"), dataset)
    assert read_summary("values", raw, user) == "1 row read, 1 mapped, 0 rejected"
    with use_language("fr"):
        assert read_summary("values", raw, user).startswith("1 ligne lue — ")
    rows = "\n".join(f"Site {i};45.7676;4.8357" for i in range(1200))
    big = read_upload("b.csv", f"Nom;Latitude;Longitude\n{rows}\n".encode())
    summary = read_summary("sites", big, check(big, dataset))
    assert summary.startswith("1,200 rows read, 1,200 mapped")
    with use_language("fr"):
        assert read_summary("sites", big, check(big, dataset)).startswith("1\u202f200 lignes")


def test_bad_coordinate_problem_in_each_language(upload):
    _, user = upload
    swapped = _problem(user, 4, "Latitude")
    not_a_number = _problem(user, 14, "Latitude")
    assert str(swapped.expected) == (
        "a point in France (latitude and longitude look swapped: exchanged, it falls in "
        "Ille-et-Vilaine, département 35)"
    )
    assert str(swapped.got) == "lat -1.68, lon 48.1113"
    assert str(not_a_number.expected) == "a latitude in decimal degrees, like 45.7676"
    with use_language("fr"):
        assert str(swapped.expected) == (
            f"un point en France (latitude et longitude semblent inversées{NBSP}: une fois "
            "échangées, le point tombe dans le département 35, Ille-et-Vilaine)"
        )
        assert str(swapped.got) == f"lat -1,68{NBSP}; lon 48,1113"
        assert str(not_a_number.expected) == "une latitude en degrés décimaux, comme 45,7676"
        assert not_a_number.got == "N/A"  # the file's own text, never translated
        assert str(not_a_number.expected) in str(not_a_number)
    with use_language("de"):
        assert str(swapped.got) == "Breite -1,68; Länge 48,1113"
        assert str(not_a_number.expected) == "einen Breitengrad in Dezimalgrad, etwa 45,7676"


def test_decisions_read_in_english_show_in_french(upload):
    _, user = upload
    assert all(isinstance(note, Text) for note in user.notes)
    english = [str(note) for note in user.notes]
    assert english[:2] == ["encoding Windows-1252 (not UTF-8)", "delimiter ';'"]
    with use_language("fr"):
        assert [str(note) for note in user.notes] == [
            "encodage Windows-1252 (pas UTF-8)",
            f"séparateur «{NBSP};{NBSP}»",
            f"1 code commune à 4 chiffres lu avec son zéro initial (un tableur le supprime"
            f"{NBSP}: 1053 est 01053)",
            "1 code d'arrondissement municipal compté dans sa commune 69123 (Lyon)",
        ]
    with use_language("de"):
        assert str(user.notes[1]) == "Trennzeichen „;“"
    assert [str(note) for note in user.notes] == english  # English again once out


def test_notes_of_a_file_given_by_path_name_it(dataset, tmp_path):
    path = tmp_path / "valeurs.csv"
    path.write_text("Département,Valeur\n69,1\n", encoding="utf-8")
    user = load.load_user_data(dataset, values=path)
    assert [str(note) for note in user.notes][-1] == "valeurs.csv: level: départements"
    with use_language("fr"):
        assert [str(note) for note in user.notes][-1] == (
            f"valeurs.csv{NBSP}: niveau{NBSP}: départements"
        )


def test_oversized_file_message_in_each_language(tmp_path, monkeypatch):
    monkeypatch.setattr(model, "MAX_UPLOAD_BYTES", 2**20)
    path = tmp_path / "gros.csv"
    path.write_bytes(b"a\n" * (2**19 + 6))
    with pytest.raises(DataError) as err:
        load.read_path(path)
    (problem,) = err.value.problems
    assert (str(problem.expected), str(problem.got)) == ("a file of at most 1 MB", "1.0 MB")
    with use_language("fr"):
        assert (str(problem.expected), str(problem.got)) == (
            "un fichier de 1 Mo au plus",
            "1,0\u00a0Mo",
        )
        assert "un fichier de 1 Mo au plus" in str(err.value)
    with use_language("de"):
        assert (str(problem.expected), str(problem.got)) == (
            "eine Datei von höchstens 1 MB",
            "1,0\u00a0MB",
        )


def test_row_limit_message_counts_in_the_language(monkeypatch):
    monkeypatch.setattr("geo.core.userdata.read.MAX_ROWS", 1200)
    text = "Nom\n" + "x\n" * 1300
    with pytest.raises(DataError) as err:
        read_upload("rows.csv", text.encode())
    (problem,) = err.value.problems
    assert (str(problem.expected), str(problem.got)) == (
        "at most 1,200 data rows",
        "more than 1,200 rows",
    )
    with use_language("fr"):
        assert str(problem.expected) == "1\u202f200 lignes de données au plus"
    with use_language("de"):
        assert str(problem.got) == "mehr als 1.200 Zeilen"


def test_level_sentences_are_whole_per_level(dataset):
    raw = read_upload("d.csv", "Département;Valeur\n69;1\n69;2\n;3\n".encode())
    user = validate_values(raw, guess_mapping(list(raw.frame.columns), "values"), dataset)
    expected = [str(p.expected) for p in user.problems]
    assert expected == [
        "one row per département (69 is already on line 2)",
        "a département (an INSEE code or a name)",
    ]
    with use_language("fr"):
        assert [str(p.expected) for p in user.problems] == [
            "une ligne par département (69 est déjà à la ligne 2)",
            "un département (code INSEE ou nom)",
        ]
    with use_language("de"):
        assert str(user.problems[1].expected) == "ein Département (INSEE-Code oder Name)"


def test_problems_table_keeps_machine_headers_and_words_cells_in_the_language(upload):
    _, user = upload
    with use_language("fr"):
        table = problems_table(user.problems)
        data = safe_csv(table).decode("utf-8")
    assert tuple(table.columns) == PROBLEM_COLUMNS
    assert len(table) == len(user.problems)
    row = table[(table["line"] == "4") & (table["field"] == "Latitude")].iloc[0]
    assert row["got"] == f"lat -1,68{NBSP}; lon 48,1113"
    assert row["expected"].startswith("un point en France")
    parsed = pd.read_csv(io.StringIO(data), dtype=str, keep_default_na=False)
    assert list(parsed.columns) == list(PROBLEM_COLUMNS)
    assert parsed["expected"].tolist() == table["expected"].tolist()
    assert f"rejetées{NBSP}" not in data  # cells only: no summary leaks in


def test_problems_table_neutralises_a_formula_got_and_translates_header_lines():
    problems = [
        Problem("f.csv", 3, "Lien", Text("a web address starting with http:// or https://"),
                "=HYPERLINK(\"http://x\")"),
        Problem("f.csv", "header", None, Text("a column naming the région or département")),
    ]  # fmt: skip
    with use_language("de"):
        table = problems_table(problems)
        parsed = pd.read_csv(io.StringIO(safe_csv(table).decode()), dtype=str)
    assert parsed["got"].tolist()[0] == '\'=HYPERLINK("http://x")'
    assert parsed["line"].tolist() == ["3", "Kopfzeile"]
    assert parsed["expected"].tolist() == [
        "eine Webadresse, die mit http:// oder https:// beginnt",
        "eine Spalte, die die Region oder das Département nennt",
    ]


def test_deferred_parts_render_when_shown():
    none = deferred.ngettext("{n} field", "{n} fields", 0)
    one = deferred.ngettext("{n} field", "{n} fields", 1)
    assert (str(none), str(one)) == ("0 fields", "1 field")
    with use_language("fr"):
        assert (str(none), str(one)) == ("0 champ", "1 champ")  # French: 0 is singular
    assert none == deferred.ngettext("{n} field", "{n} fields", 0)
    assert hash(none) == hash(deferred.ngettext("{n} field", "{n} fields", 0))
    assert none != one
    assert isinstance(none, Text)
    rows = deferred.pgettext("data rows", "none")
    with use_language("fr"):
        assert str(rows) == "aucune"
    assert str(Fixed(64.0)) == "64.0"
    assert str(Fixed(1536.4, 0)) == "1,536"
    assert str(Degrees(-1.68)) == "-1.68"
    name = PlaceName("Corse-du-Sud", "South Corsica")
    assert str(name) == "South Corsica"
    with use_language("de"):
        assert (str(Fixed(64.0)), str(Degrees(48.1113)), str(name)) == (
            "64,0",
            "48,1113",
            "Corse-du-Sud",
        )


def test_header_problem_of_a_lone_latitude_column(dataset):
    raw = read_upload("l.csv", b"Nom;Latitude;Code INSEE\nA;45.7;69123\n")
    (problem,) = check(raw, dataset).problems
    assert (problem.line, str(problem.expected)) == ("header", "a longitude column too")
    with use_language("fr"):
        assert str(problem.expected) == "aussi une colonne de longitude"
        assert problems_table([problem])["line"].tolist() == ["en-tête"]


def _texts(value: object):
    """Every Text in a message part, its values' Texts included."""
    if isinstance(value, Text):
        yield value
        for part in value.values.values():
            yield from _texts(part)


def test_every_message_a_reader_meets_is_in_the_catalogue(dataset):
    """A Text made from a variable is not extracted: its msgid must still be marked (N_)."""
    parts: list[object] = []
    for name, data, _ in BROKEN.values():
        with pytest.raises(DataError) as err:
            read_upload(name, data)
        parts += [(p.line, p.expected, p.got) for p in err.value.problems]
    raws = [
        sites_file(),
        read_upload("r.csv", csv_bytes([["Nom", "Lat"], ["A", "1", "x"], ["B"]])),
        read_upload("w.xlsx", xlsx_bytes([["Nom", "Latitude"], ["A", "1"]], sheets=2)),
        read_upload("p.geojson", geojson_bytes([point(200, 5, nom="A"), {"type": "x"}])),
        read_upload("t.csv", b"\xef\xbb\xbfNom\tLat\nA\t" + b"x" * 600 + b"\n"),
    ]
    for raw in raws:
        user = check(raw, dataset)
        parts += [*raw.notes, *user.notes]
        parts += [(p.line, p.expected, p.got) for p in user.problems]
    values = read_upload("v.csv", "Région;Valeur\n84;1\n84;x\nRhône;2\n;3\n".encode())
    user = validate_values(values, guess_mapping(list(values.frame.columns), "values"), dataset)
    parts += [*user.notes, *[(p.line, p.expected, p.got) for p in user.problems]]
    with FRENCH_PO.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    texts = {text for part in parts for value in (part if isinstance(part, tuple) else (part,))
             for text in _texts(value)}  # fmt: skip
    assert len(texts) > 40
    unmarked = [
        text
        for text in texts
        if catalog.get(text.msgid, context=getattr(text, "context", None)) is None
    ]
    assert not unmarked
    lines = {part[0] for part in parts if isinstance(part, tuple) and isinstance(part[0], str)}
    assert lines <= {"header", *(f"feature {n}" for n in range(1, 5))}
    assert catalog.get("header") is not None
