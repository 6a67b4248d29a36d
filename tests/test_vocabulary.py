"""Vocabulary labels: English msgids as stored, translated where shown (geo.i18n)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from geo import style
from geo.core import vocabulary as voc
from geo.i18n import _, use_language

LOCALE = Path(voc.__file__).resolve().parent.parent / "locale"
# Every label table the data and the renderers show (PROGRAMMES holds proper names too).
TABLES = {
    "INITIATIVES": voc.INITIATIVES,
    "CATEGORIES": voc.CATEGORIES,
    "AUDIENCES": voc.AUDIENCES,
    "PRECISIONS": voc.PRECISIONS,
    "PRECISION_EXPLAINED": voc.PRECISION_EXPLAINED,
    "STATUSES": voc.STATUSES,
    "PILLARS": voc.PILLARS,
    "COMMITMENT_KINDS": voc.COMMITMENT_KINDS,
    "COORD_SOURCES": voc.COORD_SOURCES,
    "EVENT_KINDS": voc.EVENT_KINDS,
    "INVESTMENT_STATUSES": voc.INVESTMENT_STATUSES,
    "INVESTMENT_EVENTS": voc.INVESTMENT_EVENTS,
    "STATED_BY_INVESTMENT": voc.STATED_BY_INVESTMENT,
    "AMOUNT_QUALIFIER_LABELS": voc.AMOUNT_QUALIFIER_LABELS,
    "CONFIDENCE_LABELS": voc.CONFIDENCE_LABELS,
    "DRAWING_LABELS": style.DRAWING_LABELS,
}
PROPER_NAMES = {"À vous l'IA", "Microsoft GenAI Studio", "Microsoft AI Schools by Simplon"}


@pytest.mark.parametrize("lang", ["fr", "de"])
@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_label_has_a_translation_in_the_catalogue(table, lang):
    with (LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    missing = [
        label
        for label in TABLES[table].values()
        if catalog.get(label) is None or not catalog.get(label).string
    ]
    assert missing == []


def test_programme_labels_translate_but_proper_names_stay():
    with use_language("fr"):
        shown = voc.labels(voc.PROGRAMMES)
    assert shown["cloud-ai-infrastructure"] == "Extension de l’infrastructure cloud et IA"
    assert {shown[k] for k in ("a-vous-lia", "genai-studio", "ai-schools")} == PROPER_NAMES
    assert shown["geniales"] == "GenIAles"


@pytest.mark.parametrize(
    ("table", "key", "fr", "de"),
    [
        (voc.CATEGORIES, "data_centre", "Centre de données", "Rechenzentrum"),
        (voc.INITIATIVES, "skilling", "Formation", "Qualifizierung"),
        (voc.INITIATIVES, "startups", "Start-up", "Start-ups"),
        (voc.PRECISIONS, "exact_site", "site exact", "genauer Standort"),
        (voc.PRECISIONS, "not_located", "non localisé", "nicht verortet"),
        (voc.INVESTMENT_STATUSES, "permit_filed", "Permis déposé", "Genehmigung beantragt"),
        (voc.INVESTMENT_STATUSES, "under_construction", "En construction", "Im Bau"),
        (voc.INVESTMENT_STATUSES, "operating", "En service", "In Betrieb"),
        (voc.INVESTMENT_STATUSES, "abandoned", "Abandonné", "Aufgegeben"),
        (voc.INVESTMENT_EVENTS, "choose-france-2024", "Choose France 2024 (13 mai 2024)",
         "Choose France 2024 (13. Mai 2024)"),
        (voc.COMMITMENT_KINDS, "pledge", "Engagement", "Zusage"),
    ],
)  # fmt: skip
def test_label_follows_the_glossary_in_french_and_german(table, key, fr, de):
    english = table[key]
    assert voc.label(table, key) == english
    with use_language("fr"):
        assert voc.label(table, key) == fr
        assert _(english) == fr  # showing the constant with _() is the same
    with use_language("de"):
        assert voc.label(table, key) == de


def test_unknown_key_comes_back_as_written():
    with use_language("fr"):
        assert voc.label(voc.CATEGORIES, "Not a key") == "Not a key"
        assert voc.label({}, "Brookfield") == "Brookfield"


def test_labels_keep_the_vocabulary_order_and_keys():
    with use_language("de"):
        shown = voc.labels(voc.INVESTMENT_STATUSES)
    assert list(shown) == list(voc.INVESTMENT_STATUSES)
    assert shown["announced"] == "Angekündigt"
    assert voc.labels(voc.INVESTMENT_STATUSES) == voc.INVESTMENT_STATUSES  # English as stored


def test_not_disclosed_in_each_language():
    assert _(voc.NOT_DISCLOSED) == "not disclosed"
    with use_language("fr"):
        assert _(voc.NOT_DISCLOSED) == "non communiqué"
    with use_language("de"):
        assert _(voc.NOT_DISCLOSED) == "nicht angegeben"


@pytest.mark.parametrize(
    ("labels", "keys"),
    [
        (voc.CONFIDENCE_LABELS, voc.CONFIDENCES),
        (voc.AMOUNT_QUALIFIER_LABELS, voc.AMOUNT_QUALIFIERS),
    ],
)
def test_label_tables_of_data_words_cover_every_allowed_word(labels, keys):
    assert tuple(labels) == keys
    assert all(labels[k] == k for k in keys)  # English shows the data's word
