"""The catalogues are complete and current, and Babel formats per language (geo/i18n.py)."""

from __future__ import annotations

import datetime as dt
import gettext
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from geo import i18n
from geo.i18n import Text, _, ngettext, use_language

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "geo" / "locale"
KEYWORDS = {**DEFAULT_KEYWORDS, "Text": None}
NBSP, NNBSP = "\u00a0", "\u202f"


def _source_msgids() -> set[str | tuple[str, ...]]:
    """Every msgid marked in app.py and geo/, as `make i18n-extract` finds them."""
    with (LOCALE / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: set[str | tuple[str, ...]] = set()
    entries = list(extract_from_dir(ROOT / "geo", method_map, options_map, keywords=KEYWORDS))
    entries += [
        (ROOT / "app.py", *entry)
        for entry in extract_from_file("python", ROOT / "app.py", keywords=KEYWORDS)
    ]
    for entry in entries:
        message, context = entry[2], entry[4]  # (file, line, message, comments, context)
        key = message if isinstance(message, str) else tuple(message)
        found.add((context, key) if context else key)
    return found


def _catalog(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def _key(message) -> str | tuple:
    ident = message.id if isinstance(message.id, str) else tuple(message.id)
    return (message.context, ident) if message.context else ident


@pytest.fixture(scope="module")
def source_msgids():
    return _source_msgids()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_catalogue_holds_every_marked_message_translated(lang, source_msgids):
    catalog = _catalog(lang)
    entries = {_key(m): m for m in catalog if m.id}
    missing = sorted(map(str, source_msgids - set(entries)))
    assert not missing, f"{lang}: {len(missing)} msgids not in the catalogue (make i18n-update)"
    fuzzy = sorted(str(k) for k, m in entries.items() if m.fuzzy)
    assert not fuzzy, f"{lang}: fuzzy entries: {fuzzy[:10]}"
    empty = sorted(
        str(k)
        for k, m in entries.items()
        if not (all(m.string) if isinstance(m.string, tuple | list) else m.string)
    )
    assert not empty, f"{lang}: {len(empty)} untranslated entries, first: {empty[:10]}"
    stale = sorted(str(k) for k in set(entries) - source_msgids)
    assert not stale, f"{lang}: entries no code uses any more: {stale[:10]}"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_translations_keep_the_placeholders_of_their_msgid(lang):
    """A translation that drops or renames a {field} would fail (or lie) when filled."""
    wrong = []
    for message in _catalog(lang):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        want = set().union(*(_fields(i) for i in ids))
        for text in strings:
            got = _fields(text)
            # a singular may leave out the count ("one site" for "{n} sites")
            if got - want or (len(ids) == 1 and got != want):
                wrong.append((message.id, text))
    assert not wrong, f"{lang}: placeholders differ: {wrong[:5]}"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_compiled_catalogue_is_built_from_the_current_po(lang):
    path = LOCALE / lang / "LC_MESSAGES" / "messages.mo"
    assert path.exists(), f"{path} missing: make i18n-compile"
    with path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in _catalog(lang):
        if not message.id or message.fuzzy or not isinstance(message.id, str):
            continue
        if message.context:
            assert compiled.pgettext(message.context, message.id) == message.string
        else:
            assert compiled.gettext(message.id) == message.string, f"{path} is stale"


def test_french_plural_rule_is_the_french_one():
    catalog = _catalog("fr")
    assert catalog.num_plurals == 2
    assert "n > 1" in catalog.plural_expr


def test_parse_language_accepts_locale_tags_and_refuses_others():
    assert i18n.parse_language("fr-FR") == "fr"
    assert i18n.parse_language("de_AT.UTF-8") == "de"
    assert i18n.parse_language("EN") == "en"
    assert i18n.parse_language("es-ES") is None
    assert i18n.parse_language(None) is None
    with pytest.raises(i18n.LanguageError, match="expected one of fr, en, de"):
        i18n.set_language("es")


def test_use_language_switches_and_restores():
    assert i18n.language() == "en"
    with use_language("fr"):
        assert i18n.language() == "fr"
        with use_language("de"):
            assert i18n.language() == "de"
        assert i18n.language() == "fr"
    assert i18n.language() == "en"


def test_unknown_msgid_falls_back_to_english():
    with use_language("fr"):
        assert _("No catalogue holds this sentence.") == "No catalogue holds this sentence."
        assert ngettext("{n} apple", "{n} apples", 2) == "{n} apples"


def test_text_is_translated_when_shown_not_when_made():
    made = Text("No catalogue holds {what}.", what=Text("this"))
    assert made == Text("No catalogue holds {what}.", what=Text("this"))
    assert hash(made) == hash(Text("No catalogue holds {what}.", what=Text("this")))
    assert str(made) == "No catalogue holds this."


@pytest.mark.parametrize(
    ("lang", "number", "percent", "date"),
    [
        ("en", "25,000", "1.5%", "13 May 2024"),
        ("fr", f"25{NNBSP}000", f"1,5{NBSP}%", "13 mai 2024"),
        ("de", "25.000", f"1,5{NBSP}%", "13. Mai 2024"),
    ],
)
def test_numbers_percent_and_dates_per_language(lang, number, percent, date):
    with use_language(lang):
        assert i18n.format_number(25000) == number
        assert i18n.format_percent(0.015) == percent
        assert i18n.format_date(dt.date(2024, 5, 13)) == date
        assert i18n.format_date("2024-05-13") == date
        assert i18n.format_date("2024") == "2024"


@pytest.mark.parametrize(
    ("lang", "billions", "millions", "small", "dollars"),
    [
        ("en", "EUR 4 bn", "EUR 630 m", "EUR 45,000", "USD 5 bn"),
        (
            "fr",
            f"4{NBSP}Md{NBSP}€",
            f"630{NBSP}M{NBSP}€",
            f"45{NNBSP}000{NBSP}€",
            f"5{NBSP}Md{NBSP}$US",
        ),
        (
            "de",
            f"4{NBSP}Mrd.{NBSP}€",
            f"630{NBSP}Mio.{NBSP}€",
            f"45.000{NBSP}€",
            f"5{NBSP}Mrd.{NBSP}$",
        ),
    ],
)
def test_money_per_language(lang, billions, millions, small, dollars):
    with use_language(lang):
        assert i18n.format_currency(4e9) == billions
        assert i18n.format_currency(630e6) == millions
        assert i18n.format_currency(45000) == small
        assert i18n.format_currency(5e9, "USD") == dollars


def test_decimals_follow_the_language():
    with use_language("fr"):
        assert i18n.format_currency(2.5e9) == f"2,5{NBSP}Md{NBSP}€"
        assert re.fullmatch(r"13\u202f422,8", i18n.format_number(13422.8))
    assert i18n.format_currency(239.88e9) == "EUR 239.88 bn"


def test_number_in_a_text_is_formatted_in_the_language_shown():
    made = Text("{n} rows", n=i18n.Number(1200.5))
    assert str(made) == "1,200.5 rows"
    with use_language("fr"):
        assert str(made) == f"1{NNBSP}200,5 rows"


def test_localized_data_text_falls_back_to_the_text_as_written():
    row = {"title": "Opening", "title_fr": "Ouverture", "title_de": " ", "name": "Inria"}
    with use_language("fr"):
        assert i18n.localized(row, "title") == "Ouverture"
        assert i18n.place_name_column() == "name_fr"
    with use_language("de"):
        assert i18n.localized(row, "title") == "Opening"
        assert i18n.place_name_column() == "name_fr"
    assert i18n.localized(row, "name") == "Inria"
    assert i18n.place_name_column() == "name_en"


def test_language_comes_from_the_link_then_the_browser_then_english():
    assert i18n.pick_language("de", "fr-FR") == "de"
    assert i18n.pick_language("", "fr-FR") == "fr"
    assert i18n.pick_language("es", "de-CH") == "de"
    assert i18n.pick_language(None, "es-ES") == "en"
    assert i18n.pick_language(None, None) == "en"
