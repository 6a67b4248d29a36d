"""Cell text as numbers, coordinates and commune codes, a whole column at a time.

Numbers are read the way French and English spreadsheets write them: "1234.5", "1 234,5"
(space, no-break or thin space between thousands), "1.234,5", "1,234.5", "12,5 %". A lone
separator is the decimal mark ("1,234" is 1.234: the French reading). What follows the
number ("%", "M€") is returned as its unit; the caller decides whether a unit is allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

MINUS_SIGNS = "\u2212\u2013"  # the minus sign and the en dash some tools write for it
GROUPING = (" ", "\u00a0", "\u202f", "\u2009", "'")  # between thousands: spaces, apostrophe
# Whole-cell shapes (once grouping spaces are gone), matched by pyarrow's RE2 in bulk.
PLAIN = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"  # 1234.5  12  1e3  .5  1.234
COMMA_DECIMAL = r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d*),\d+"  # 1.234,5  12,5  ,5
COMMA_GROUPED = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 1,234.5  1,234,567 (not 1,234)
DOT_GROUPED = r"[+-]?\d{1,3}(?:\.\d{3}){2,}"  # 1.234.567
# A number followed by its unit ("12,5 %", "4 Md€"): the unit holds no digit.
WITH_UNIT = re.compile(r"^(?P<number>.*\d)\s*(?P<unit>[^\d\s][^\d]*?)\s*$")
COORDINATE_SUFFIXES = "°"


@dataclass(frozen=True)
class Numbers:
    """A column read as numbers: ``values`` (NaN when empty or unreadable), the text after
    each number (``units``, "" when none) and which non-empty cells were not numbers."""

    values: pd.Series
    units: pd.Series
    bad: pd.Series


def parse_numbers(texts: pd.Series) -> Numbers:
    """Read a column of cells as numbers (empty cells are NaN, not bad)."""
    text = texts.astype(str).str.strip()
    filled = (text != "").to_numpy()
    values = pd.Series(np.nan, index=text.index, dtype=float)
    units = pd.Series("", index=text.index, dtype=str)
    if filled.any():
        found, unit = _read_numbers(text[filled])
        values[filled] = found.to_numpy()
        units[filled] = unit.to_numpy()
    return Numbers(values, units, pd.Series(filled, index=text.index) & values.isna())


def _read_numbers(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Values (NaN if not a number) and units of non-empty cells."""
    normal, ok = _normalise(text)
    units = pd.Series("", index=text.index, dtype=str)
    rest = ~ok
    if rest.any():  # maybe a number and its unit: few cells, read one by one
        split = text[rest].map(_split_unit)
        number, unit = split.str[0].astype(str), split.str[1].astype(str)
        normal_rest, ok_rest = _normalise(number)
        normal[rest], ok[rest] = normal_rest, ok_rest
        units[rest] = unit.where(ok_rest, "")
    values = pd.Series(np.nan, index=text.index, dtype=float)
    values[ok] = normal[ok].astype(float)
    finite = np.isfinite(values.to_numpy())
    return values.where(finite), units.where(finite, "")


def _normalise(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each cell as a plain decimal string, and which cells have the shape of a number.

    Only the passes the column needs run: which marks it holds is known from one set.
    """
    present = set("".join(text.tolist()))
    number = text
    for mark in present.intersection(GROUPING):
        number = number.str.replace(mark, "", regex=False)
    if present.intersection(MINUS_SIGNS):
        number = number.str.replace(f"^[{MINUS_SIGNS}]", "-", regex=True)
    plain = number.str.fullmatch(PLAIN)
    ok = plain.copy()
    normal = number.where(plain, "")
    if "," in present:
        comma = ~ok & number.str.fullmatch(COMMA_DECIMAL)
        decimal = number.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        normal, ok = normal.where(~comma, decimal), ok | comma
        comma_grouped = ~ok & number.str.fullmatch(COMMA_GROUPED)
        if comma_grouped.any():
            normal = normal.where(~comma_grouped, number.str.replace(",", "", regex=False))
            ok |= comma_grouped
    if "." in present:
        dot_grouped = ~ok & number.str.fullmatch(DOT_GROUPED)
        if dot_grouped.any():
            normal = normal.where(~dot_grouped, number.str.replace(".", "", regex=False))
            ok |= dot_grouped
    return normal, ok


def _split_unit(text: str) -> tuple[str, str]:
    match = WITH_UNIT.match(text)
    return (match["number"], match["unit"]) if match else (text, "")


def parse_coordinates(texts: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Decimal degrees (a decimal comma is fine) as floats, and which non-empty cells failed."""
    text = texts.astype(str).str.strip()
    empty = text == ""
    normal = (
        text.str.rstrip(COORDINATE_SUFFIXES)
        .str.replace(",", ".", regex=False)
        .str.replace(f"[{MINUS_SIGNS}]", "-", regex=True)
        .str.strip()
    )
    values = pd.to_numeric(normal.where(~empty), errors="coerce").astype(float)
    values = values.where(np.isfinite(values.to_numpy()))
    return values, ~empty & values.isna()
