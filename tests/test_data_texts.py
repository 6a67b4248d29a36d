"""The project's own descriptive texts in data/ have French and German columns: complete where
the text is ours, absent where it is a proper name, plain text holding the English's figures,
picked by i18n.localized in fr/de and ignored in en; files without the columns still load."""

from __future__ import annotations

import csv
import re

import pytest
from helpers import copy_data, write_csv

from geo import i18n
from geo.core.errors import DataError
from geo.core.events import load_events
from geo.core.investments import load_investments
from geo.core.sites import load_commitments, load_sites
from geo.core.table import TRANSLATED_LANGUAGES

# dataset attribute -> (file, the column whose text we wrote)
DESCRIBED = {
    "commitments": ("commitments.csv", "label"),
    "events": ("events.csv", "title"),
    "investments": ("investments.csv", "project"),
}
# Words our own site descriptions use; a proper name (STATION F, Rennes School of Business)
# holds none of them, so a name that does must be translated and one that does not must not.
DESCRIPTIVE_WORDS = (
    "campus", "cooperative", "council", "data centre", "existing", "former", "head office",
    "headquarters", "region", "summit",
)  # fmt: skip
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HTML = re.compile(r"<[A-Za-z/!?]|&[#A-Za-z0-9]+;")
LOADERS = {
    "sites.csv": load_sites,
    "commitments.csv": load_commitments,
    "events.csv": load_events,
    "investments.csv": lambda path: load_investments(path, None, None, None),
}


def _numbers(text: str) -> list[str]:
    """The figures of a text, whatever the language's separators ('20,745' = '20 745')."""
    joined = re.sub(r"(?<=\d)[,.\s\u00a0\u202f](?=\d)", "", text)
    return sorted(re.findall(r"\d+", joined))


def _translated_rows(dataset):
    """(where, base text, lang, translation) for every non-empty translation in the data."""
    tables = {name: (getattr(dataset, name), column) for name, (_, column) in DESCRIBED.items()}
    tables["sites"] = (dataset.sites, "name")
    for name, (frame, column) in tables.items():
        for row_id, row in frame.iterrows():
            for lang in TRANSLATED_LANGUAGES:
                if row[f"{column}_{lang}"]:
                    yield f"{name}:{row_id}:{lang}", row[column], lang, row[f"{column}_{lang}"]


@pytest.mark.parametrize("name", DESCRIBED)
def test_every_description_of_ours_has_french_and_german(dataset, name):
    frame = getattr(dataset, name)
    _, column = DESCRIBED[name]
    assert len(frame) > 0
    for row_id, row in frame.iterrows():
        for lang in TRANSLATED_LANGUAGES:
            translation = row[f"{column}_{lang}"]
            assert translation.strip(), (row_id, lang)
            assert translation != row[column], (row_id, lang)


def test_site_names_are_translated_exactly_where_they_are_our_description(dataset):
    described = untouched = 0
    for site_id, site in dataset.sites.iterrows():
        is_description = any(word in site["name"].lower() for word in DESCRIPTIVE_WORDS)
        translations = [site[f"name_{lang}"] for lang in TRANSLATED_LANGUAGES]
        if is_description:
            described += 1
            assert all(translations), site_id
        else:
            untouched += 1
            assert not any(translations), site_id  # a proper name stays as written
    assert described >= 10
    assert untouched >= 10


def test_translations_are_plain_text_without_formula_starts(dataset):
    rows = list(_translated_rows(dataset))
    assert len(rows) > 200
    for where, _, _, translation in rows:
        assert translation == translation.strip(), where
        assert not translation.startswith(FORMULA_START), where
        assert not HTML.search(translation), where


def test_translations_hold_the_figures_of_the_english(dataset):
    for where, base, _, translation in _translated_rows(dataset):
        assert _numbers(translation) == _numbers(base), where


def test_translations_follow_the_language_typography(dataset):
    for where, _, lang, translation in _translated_rows(dataset):
        assert '"' not in translation, where
        if lang == "fr":
            assert not re.search(r" [:;%?!]", translation), where  # no-break space there
            assert "„" not in translation, where
        else:
            assert "«" not in translation, where
        assert "EUR" not in translation, where  # "4 Md €" / "4 Mrd. €", as format_currency


def test_localized_picks_french_and_german_and_falls_back(dataset):
    event = dataset.events.loc["choose-france-2024-05-13"]
    pledge = dataset.commitments.loc["alsace-campus-amount"]
    named = dataset.sites.loc["station-f"]  # a proper name: no translation
    described = dataset.sites.loc["france-travail"]
    with i18n.use_language("fr"):
        assert i18n.localized(event, "title").startswith("Communiqué de Microsoft")
        assert i18n.localized(pledge, "label") == (
            "Part des 4\u00a0Md\u00a0€ destinée au campus alsacien, selon la presse"
        )
        assert i18n.localized(named, "name") == "STATION F"
        assert i18n.localized(described, "name") == "France Travail - siège"
    with i18n.use_language("de"):
        assert i18n.localized(pledge, "label").startswith("Anteil der 4\u00a0Mrd.\u00a0€")
        assert i18n.localized(named, "name") == "STATION F"
        assert i18n.localized(described, "name") == "France Travail - Hauptsitz"
    with i18n.use_language("en"):
        assert i18n.localized(event, "title") == event["title"]
        assert i18n.localized(described, "name") == "France Travail - head office"


@pytest.mark.parametrize("file", LOADERS)
def test_a_file_without_the_translation_columns_still_loads(tmp_path, file):
    path = copy_data(tmp_path) / file
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        fields = list(reader.fieldnames or [])
    translated = [
        c for c in fields if c.endswith(tuple(f"_{lang}" for lang in TRANSLATED_LANGUAGES))
    ]
    translated = [c for c in translated if c.rsplit("_", 1)[0] in fields]
    assert len(translated) in (2, 4)  # one or two texts (commitments: label and unit)
    kept = [c for c in fields if c not in translated]
    write_csv(path, kept, [{c: row[c] for c in kept} for row in rows])
    frame = LOADERS[file](path)
    assert len(frame) == len(rows)
    base = translated[0].rsplit("_", 1)[0]
    for column in translated:
        assert (frame[column] == "").all()
    with i18n.use_language("fr"):
        row = frame.iloc[0]
        assert i18n.localized(row, base) == row[base]


def test_an_overlong_translation_is_refused_with_its_field(tmp_path):
    path = copy_data(tmp_path) / "events.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        fields = list(reader.fieldnames or [])
    rows[0]["title_de"] = "x" * 376  # title allows 300; a translation a quarter more
    write_csv(path, fields, rows)
    with pytest.raises(DataError) as caught:
        load_events(path)
    assert [(p.line, p.field) for p in caught.value.problems] == [(2, "title_de")]
