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
GROUPING = "\\s\u00a0\u202f\u2009'"  # between thousands: spaces of all kinds, apostrophe
# Whole-cell shapes (after grouping spaces are removed), matched by pyarrow's RE2 in bulk.
COMMA_DECIMAL = r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d*),\d+"  # 1.234,5  12,5  ,5
DOT_DECIMAL = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d*)\.\d+"  # 1,234.5  12.5
GROUPED = r"[+-]?\d{1,3}(?:(?:\.\d{3}){2,}|(?:,\d{3}){2,})"  # 1.234.567  1,234,567
PLAIN = r"[+-]?\d+"
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
    empty = text == ""
    values = pd.Series(np.nan, index=text.index, dtype=float)
    units = pd.Series("", index=text.index, dtype=str)
    direct = pd.to_numeric(text.where(~empty), errors="coerce")
    plain = np.isfinite(direct.to_numpy(dtype=float))
    values[plain] = direct[plain]
    rest = ~empty & ~plain
    if rest.any():
        parsed, unit = _parse_written(text[rest])
        values[rest] = parsed
        units[rest] = unit
    bad = ~empty & values.isna()
    units[bad] = ""
    return Numbers(values, units, bad)


def _parse_written(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers written with thousands separators, a decimal comma, a sign or a unit."""
    number = text.copy()
    units = pd.Series("", index=text.index, dtype=str)
    ends_in_unit = text.str.contains(r"[^\d.,\s]$", regex=True)
    if ends_in_unit.any():
        split = text[ends_in_unit].map(_split_unit)
        number[ends_in_unit] = split.str[0]
        units[ends_in_unit] = split.str[1]
    number = number.str.replace(f"[{GROUPING}]", "", regex=True).str.replace(
        f"^[{MINUS_SIGNS}]", "-", regex=True
    )
    normal = pd.Series("", index=text.index, dtype=str)
    comma = number.str.fullmatch(COMMA_DECIMAL)
    normal[comma] = number[comma].str.replace(".", "", regex=False).str.replace(",", ".")
    dot = number.str.fullmatch(DOT_DECIMAL)
    normal[dot] = number[dot].str.replace(",", "", regex=False)
    grouped = number.str.fullmatch(GROUPED)
    normal[grouped] = number[grouped].str.replace(r"[.,]", "", regex=True)
    plain = number.str.fullmatch(PLAIN)
    normal[plain] = number[plain]
    values = pd.to_numeric(normal.where(normal != ""), errors="coerce").astype(float)
    values = values.where(np.isfinite(values.to_numpy()))
    return values, units.where(values.notna(), "")


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
