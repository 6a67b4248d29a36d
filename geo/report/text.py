"""Text on the report page: cleaning, short labels, measuring and wrapping (in inches)."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from matplotlib import font_manager
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from geo import i18n

FONT = "DejaVu Sans"  # ships with matplotlib, so every machine draws the same glyphs
# Drawn where DejaVu Sans has no glyph, when installed (Debian: fonts-droid-fallback for
# Chinese, Japanese and Korean; fonts-symbola for emoji and symbols, in outline).
FALLBACK_FONTS = ("Droid Sans Fallback", "Noto Sans CJK JP", "Symbola")
FALLBACK_FILE_PREFIXES = ("DroidSansFallback", "NotoSansCJK", "Symbola")
# Measured widths are unhinted; hinted raster text can come out a little wider.
WRAP_SAFETY = 0.97
LINE_SPACING = 1.28  # line advance as a share of the font size
# No-break spaces kept as they are (DejaVu Sans draws both): Babel's French thousands
# separator (U+202F) and the space inside "4 Md €" and before ":" or "%" (U+00A0).
KEPT_SPACES = frozenset("\u00a0\u202f")

_TEXT_TO_PATH = TextToPath()


def clean_text(text: str) -> str:
    """One line of drawable text: the one place every string on a report page goes through.

    Control characters and line separators become spaces; invisible format characters
    (U+FEFF, zero-width spaces, bidi marks, soft hyphens: category Cf) and lone surrogates are
    dropped, since no font has a glyph for them and U+FEFF breaks matplotlib's PDF writer;
    whitespace runs collapse. No-break spaces stay (KEPT_SPACES): French and German numbers,
    money and punctuation hold them, and the wrap must not break "4 Md €" or "25 000".
    """
    kept = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") or _breaking_space(ch) else ch
        for ch in text
        if unicodedata.category(ch) not in ("Cs", "Cf")
    )
    return " ".join(word for word in kept.split(" ") if word)


def _breaking_space(ch: str) -> bool:
    return ch.isspace() and ch not in KEPT_SPACES


@functools.cache
def font_families() -> tuple[str, ...]:
    """DejaVu Sans, then the fallback fonts this machine has.

    Fonts installed after matplotlib cached its font list are found too: the system font
    folders are scanned once for the fallback files and those are added.
    """
    manager = font_manager.fontManager
    installed = {entry.name for entry in manager.ttflist}
    if not set(FALLBACK_FONTS) <= installed:
        for path in font_manager.findSystemFonts():
            if Path(path).name.startswith(FALLBACK_FILE_PREFIXES):
                manager.addfont(path)
        installed = {entry.name for entry in manager.ttflist}
    return (FONT, *(name for name in FALLBACK_FONTS if name in installed))


@functools.cache
def _covered() -> frozenset[int]:
    """Code points some font of font_families() can draw."""
    codes: set[int] = set()
    for family in font_families():
        path = font_manager.findfont(FontProperties(family=family), fallback_to_default=False)
        codes.update(font_manager.get_font(path).get_charmap())
    return frozenset(codes)


def undrawable(text: str) -> list[str]:
    """Characters of the cleaned text that no installed font can draw (shown as boxes)."""
    covered = _covered()
    return list(dict.fromkeys(ch for ch in clean_text(text) if ord(ch) not in covered))


def localized_texts(table: pd.DataFrame, column: str) -> pd.Series:
    """A data text column in the current language: ``column_<lang>`` where the data holds a
    non-empty one (our own descriptive names), else ``column`` as written (i18n.localized,
    for a whole column)."""
    base = table[column].fillna("").astype(str)
    own = f"{column}_{i18n.language()}"
    if own not in table:
        return base
    theirs = table[own].fillna("").astype(str)
    return theirs.where(theirs.str.strip() != "", base)


def short_label(name: str, limit: int = 34) -> str:
    """A site name short enough for a map label: the part before ' - ', no trailing '(...)'.

    'SKEMA Business School - Lille campus' -> 'SKEMA Business School'; longer names are cut
    at a word and end with an ellipsis.
    """
    text = clean_text(name)
    if text.endswith(")") and " (" in text:
        text = text[: text.rindex(" (")]
    text = text.split(" - ", 1)[0]
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if text[limit - 1] != " ":  # do not end on half a word
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" -,;:") + "\u2026"


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of one line of DejaVu Sans (unhinted) in inches."""
    prop = FontProperties(family=font_families(), size=size, weight="bold" if bold else "normal")
    return _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)[0] / 72


def line_height(size: float) -> float:
    """Line advance in inches for a font size in points."""
    return size * LINE_SPACING / 72


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to ``width`` inches; words longer than a line are cut."""
    width *= WRAP_SAFETY
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        for piece in _cut(word, width, size, bold):
            trial = f"{current} {piece}" if current else piece
            if current and text_width(trial, size, bold) > width:
                lines.append(current)
                current = piece
            else:
                current = trial
    lines.append(current)
    return lines


def _cut(word: str, width: float, size: float, bold: bool) -> Iterator[str]:
    while text_width(word, size, bold) > width and len(word) > 1:
        n = len(word) - 1
        while n > 1 and text_width(word[:n], size, bold) > width:
            n -= 1
        yield word[:n]
        word = word[n:]
    yield word
