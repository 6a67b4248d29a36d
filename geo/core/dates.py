"""Dates only as precise as their source: YYYY, YYYY-MM or YYYY-MM-DD, kept as written.

The curated files store such dates as text; these helpers check them and turn them into the
first or last day they cover ('2025-11' -> 1 or 30 November 2025), for sorting and for
comparing with deadlines.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from geo.core.table import InvalidFieldError, Parser
from geo.i18n import Text

PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
EXPECTED = Text("a date as YYYY, YYYY-MM or YYYY-MM-DD (a real date)")


def partial_date(required: bool) -> Parser:
    """A column parser: a real YYYY, YYYY-MM or YYYY-MM-DD date, kept as text."""

    def parse(value: str) -> str:
        if not value:
            if required:
                raise InvalidFieldError(EXPECTED, value)
            return value
        try:
            first_day(value)
        except ValueError:
            raise InvalidFieldError(EXPECTED, value) from None
        return value

    return parse


def precision_of(text: str) -> str:
    """'day', 'month' or 'year': how precise a valid partial date is."""
    return {1: "year", 2: "month", 3: "day"}[len(text.split("-"))]


def first_day(text: str) -> date:
    """The first day a partial date covers; ValueError when it is not a real date."""
    year, month, day = _parts(text)
    return date(year, month or 1, day or 1)


def last_day(text: str) -> date:
    """The last day a partial date covers ('2027' -> 31 December 2027)."""
    year, month, day = _parts(text)
    if month is None:
        return date(year, 12, 31)
    return date(year, month, day or calendar.monthrange(year, month)[1])


def _parts(text: str) -> tuple[int, int | None, int | None]:
    match = PARTIAL_DATE.fullmatch(text)
    if not match:
        raise ValueError(f"not a partial date: {text!r}")
    year, month, day = (int(part) if part else None for part in match.groups())
    date(year, month or 1, day or 1)  # raises ValueError for month 13 or 31 February
    return year, month, day  # type: ignore[return-value]
