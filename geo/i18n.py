"""The reader's language: gettext catalogues in geo/locale/ and Babel's formats per locale.

Every user-visible string of geo/, the app and the CLI is an English msgid marked for
``pybabel extract`` (geo/locale/babel.cfg, ``make i18n-extract``):

- ``_("...")`` (``gettext``) translates now, in the current language;
- ``ngettext(singular, plural, n)`` and ``pgettext(context, message)`` as in the stdlib;
- ``N_("...")`` only marks a constant (a vocabulary label, a view name): the code that shows it
  calls ``_(label)`` at that moment;
- ``Text("... {name} ...", name=...)`` is a message kept for later: ``str()`` translates and
  fills it in the language current at that moment (a ``Number`` value is formatted then too).
  Objects that outlive one request (a validation problem in a cached dataset, a label in a
  cached layer) hold Text, not str.

The current language is a context variable: each Streamlit rerun and each CLI run sets it once
(``set_language``), and ``use_language`` switches it for a block (an export in the view's
language, a test). Numbers, money, percentages and dates go through Babel in that language:
French "4 Md €", "25 000", "1,5 %"; German "4 Mrd. €"; English keeps the house wording
"EUR 4 bn" with Babel's English digit grouping.
"""

from __future__ import annotations

import datetime as dt
import gettext as _stdlib_gettext
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from functools import cache
from pathlib import Path

from babel import Locale
from babel import dates as _dates
from babel import numbers as _numbers

LANGUAGES: tuple[str, ...] = ("fr", "en", "de")  # the selector's order: the readers' first
DEFAULT_LANGUAGE = "en"  # the fallback when neither the link nor the browser picks one
LANGUAGE_NAMES: Mapping[str, str] = {"fr": "Français", "en": "English", "de": "Deutsch"}
# Babel locales for formats: British English writes "13 May 2024", as the EU does.
_LOCALES: Mapping[str, str] = {"fr": "fr_FR", "en": "en_GB", "de": "de_DE"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"

_current: ContextVar[str] = ContextVar("geo_language", default=DEFAULT_LANGUAGE)


class LanguageError(ValueError):
    """A language code that is not one of LANGUAGES."""

    def __init__(self, value: object):
        super().__init__(f"unknown language {value!r}: expected one of {', '.join(LANGUAGES)}")
        self.value = value


def language() -> str:
    """The current language code (one of LANGUAGES)."""
    return _current.get()


def set_language(lang: str) -> Token[str]:
    """Make ``lang`` current for the rest of this context (a rerun, a CLI run)."""
    if lang not in LANGUAGES:
        raise LanguageError(lang)
    return _current.set(lang)


@contextmanager
def use_language(lang: str) -> Iterator[str]:
    """``with use_language("fr"):`` -- French inside the block, the previous language after."""
    token = set_language(lang)
    try:
        yield lang
    finally:
        _current.reset(token)


def parse_language(value: object) -> str | None:
    """A supported code from a locale tag ("fr-FR", "de_AT.UTF-8", "en"), else None."""
    if not isinstance(value, str):
        return None
    code = value.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    return code if code in LANGUAGES else None


def pick_language(link: object = None, browser: object = None) -> str:
    """The language to show: the link's ``lang=`` if valid, else the browser's locale
    (Streamlit's ``st.context.locale``, e.g. "fr-FR"), else DEFAULT_LANGUAGE."""
    return parse_language(link) or parse_language(browser) or DEFAULT_LANGUAGE


def locale_name(lang: str | None = None) -> str:
    """The Babel locale used for formats in ``lang`` (default: the current language)."""
    return _LOCALES[lang or language()]


# --- messages ---------------------------------------------------------------------------


@cache
def translations(lang: str) -> _stdlib_gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (geo/locale/<lang>/LC_MESSAGES/messages.mo).

    ``make setup`` and the wheel build compile the .po files; a checkout that was never set
    up falls back to the English msgids, with a warning naming the missing file.
    """
    if lang not in LANGUAGES:
        raise LanguageError(lang)
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as handle:
            return _stdlib_gettext.GNUTranslations(handle)
    except OSError:
        warnings.warn(
            f"{path} is missing: run `make i18n-compile` (or `make setup`); showing English text",
            RuntimeWarning,
            stacklevel=2,
        )
        return _stdlib_gettext.NullTranslations()


def gettext(message: str) -> str:
    """``message`` in the current language."""
    return translations(language()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    return translations(language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, told apart by ``context`` ("verb", "column")."""
    return translations(language()).pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 (the gettext convention for "mark, do not translate")
    """Mark a constant for extraction; translate it with ``_(value)`` where it is shown."""
    return message


class Text:
    """A message translated and filled in when shown: ``str(Text("Line {n}", n=3))``.

    Equal Texts (same msgid, same values) compare and hash equal, so they can sit in frozen
    dataclasses and cache keys. Values that are Text themselves are rendered in turn.
    """

    __slots__ = ("msgid", "values")

    def __init__(self, msgid: str, /, **values: object):
        self.msgid = msgid
        self.values = values

    def __str__(self) -> str:
        text = gettext(self.msgid)
        if not self.values:
            return text
        values = {k: str(v) if isinstance(v, Text | Number) else v for k, v in self.values.items()}
        return text.format(**values)

    def __repr__(self) -> str:
        return f"Text({self.msgid!r}, {self.values!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and other.msgid == self.msgid and other.values == self.values

    def __hash__(self) -> int:
        return hash((self.msgid, tuple(sorted((k, repr(v)) for k, v in self.values.items()))))


class Number:
    """A number for a Text value, formatted when shown: ``Text("{n} rows", n=Number(1200))``."""

    __slots__ = ("value",)

    def __init__(self, value: float):
        self.value = value

    def __str__(self) -> str:
        return format_number(self.value)

    def __repr__(self) -> str:
        return f"Number({self.value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Number) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)


class Fixed:
    """A number for a Text value with exactly ``decimals`` decimals, formatted when shown:
    ``Fixed(64.0)`` -> '64.0' / '64,0'; ``Fixed(1634 / 1000, 1)`` km -> '1.6' / '1,6'."""

    __slots__ = ("decimals", "value")

    def __init__(self, value: float, decimals: int = 1):
        self.value = round(float(value), decimals)
        self.decimals = decimals

    def __str__(self) -> str:
        pattern = "#,##0" + ("." + "0" * self.decimals if self.decimals else "")
        return _numbers.format_decimal(self.value, format=pattern, locale=locale_name())

    def __repr__(self) -> str:
        return f"Fixed({self.value!r}, {self.decimals!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fixed) and (other.value, other.decimals) == (
            self.value,
            self.decimals,
        )

    def __hash__(self) -> int:
        return hash((self.value, self.decimals))


# --- data texts in several languages ----------------------------------------------------


def place_name_column(lang: str | None = None) -> str:
    """The boundary files' name column to show: INSEE's French names for fr and de, the
    English ones for en ("name_fr" / "name_en" of data/insee_*.csv and *.geojson)."""
    return "name_en" if (lang or language()) == "en" else "name_fr"


def localized(row: Mapping[str, object], column: str) -> str:
    """A data text in the current language: ``row[column + "_" + lang]`` when the data holds
    it (e.g. ``title_fr``), else ``row[column]`` as written (names, quotes, sources' words)."""
    value = row.get(f"{column}_{language()}")
    if isinstance(value, str) and value.strip():
        return value
    base = row.get(column)
    return base if isinstance(base, str) else ("" if base is None else str(base))


# --- numbers, money, dates (Babel) ---------------------------------------------------------


def format_number(value: float, max_decimals: int = 2) -> str:
    """25000 -> '25,000' / '25 000' / '25.000'; 13422.8 -> '13,422.8' / '13 422,8'."""
    rounded = round(float(value), max_decimals)
    if rounded.is_integer():
        return _numbers.format_decimal(int(rounded), locale=locale_name())
    return _numbers.format_decimal(rounded, locale=locale_name(), decimal_quantization=False)


def format_percent(share: float, decimals: int = 1) -> str:
    """0.017 -> '1.7%' / '1,7 %' / '1,7 %' (``share`` is a fraction of 1)."""
    return _numbers.format_percent(
        round(float(share), decimals + 2), locale=locale_name(), decimal_quantization=False
    )


_EN_SCALES = ((1e9, "bn"), (1e6, "m"))


def format_currency(value: float, currency: str = "EUR") -> str:
    """An amount, short: 'EUR 4 bn' / '4 Md €' / '4 Mrd. €'; 'USD 5 bn' / '5 Md $US'.

    English keeps the house wording (ISO code, "bn", "m"); French and German take Babel's
    compact currency format from 1 million up, and the full amount without cents below.
    """
    value = float(value)
    lang = language()
    if lang == "en":
        for scale, word in _EN_SCALES:
            if abs(value) >= scale:
                return f"{currency} {format_number(value / scale)} {word}"
        return f"{currency} {format_number(value, 0)}"
    if abs(value) >= 1e6:
        return _numbers.format_compact_currency(
            value, currency, locale=locale_name(), fraction_digits=2
        )
    return _numbers.format_currency(
        round(value), currency, locale=locale_name(), format="#,##0\u00a0¤", currency_digits=False
    )


def format_compact(value: float) -> str:
    """A short number without currency: '4 bn' / '4 Md' / '4 Mrd.' (for axis and legend)."""
    value = float(value)
    if language() == "en":
        for scale, word in _EN_SCALES:
            if abs(value) >= scale:
                return f"{format_number(value / scale)} {word}"
        return format_number(value, 0)
    if abs(value) >= 1e6:
        return _numbers.format_compact_decimal(value, locale=locale_name(), fraction_digits=2)
    return format_number(value, 0)


def format_date(value: dt.date | str, precision: str = "day") -> str:
    """A date in words: '13 May 2024' / '13 mai 2024' / '13. Mai 2024'.

    ``precision`` "month" gives 'May 2024', "year" '2024'. A string is read as ISO
    (YYYY, YYYY-MM or YYYY-MM-DD, the precision following its length).
    """
    if isinstance(value, str):
        text = value.strip()
        parts = text.split("-")
        if len(parts) == 1:
            return text
        if len(parts) == 2:
            value, precision = dt.date(int(parts[0]), int(parts[1]), 1), "month"
        else:
            value = dt.date.fromisoformat(text[:10])
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return _dates.format_skeleton("yMMMM", value, locale=locale_name())
    return _dates.format_date(value, "long", locale=locale_name())


def babel_locale(lang: str | None = None) -> Locale:
    """The Babel Locale of ``lang`` (default: the current language)."""
    return Locale.parse(locale_name(lang))
