"""Read a curated CSV file against a column schema, collecting every problem."""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import numbers as _numbers

from geo.core.errors import DataError, Problem, Quoted, display_path
from geo.i18n import DEFAULT_LANGUAGE, LANGUAGES, Number, Text, locale_name

MAX_FILE_BYTES = 5 * 1024 * 1024
LIST_SEPARATOR = ";"
# The languages a data text of our own may be translated into (the base column is English).
TRANSLATED_LANGUAGES = tuple(lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE)
# French and German run about a fifth longer than the English they translate.
TRANSLATION_ALLOWANCE = 1.25
URL_PATTERN = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_TEXT_LENGTH = 1000
# Unicode line and paragraph separators, and C1 controls such as U+0085 (next line).
LINE_BREAK_CATEGORIES = frozenset({"Zl", "Zp", "Cc"})


class InvalidFieldError(Exception):
    """A field value that does not fit its column; carries what was expected."""

    def __init__(self, expected: str | Text, got: object = None, field: str | None = None):
        super().__init__(expected)
        self.expected = expected
        self.got = got
        self.field = field


Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    """One column of a schema: its name and the parser that cleans a raw value.

    An optional column may be absent from a file's header; its value is then "" as if empty.
    """

    name: str
    parse: Parser
    optional: bool = False


def translations(base: str, max_length: int) -> tuple[Column, ...]:
    """The optional ``<base>_fr`` / ``<base>_de`` columns of one of our own descriptive texts
    (``max_length``: the base column's); empty means the reader sees ``base`` as written."""
    parse = text(required=False, max_length=int(max_length * TRANSLATION_ALLOWANCE))
    return tuple(Column(f"{base}_{lang}", parse, optional=True) for lang in TRANSLATED_LANGUAGES)


def read_table(
    path: Path,
    columns: Iterable[Column],
    check_row: Callable[[dict[str, Any]], None] | None = None,
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Parse every row of a CSV file; return the clean rows and all problems found."""
    shown = display_path(path)
    text = read_text(path)
    # newline="": rows end only at \n, \r\n or \r, as CSV says; a U+2028 or U+0085 inside a
    # field stays in that field (str.splitlines() would cut the row there).
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    columns = list(columns)
    try:
        header = reader.fieldnames or []
    except csv.Error as err:
        raise DataError.single(path, Text("a readable CSV header"), str(err), line=1) from None
    if not header:
        raise DataError.single(
            path, Text("a header row naming the columns"), Text("an empty file"), line=1
        )
    missing = [c.name for c in columns if c.name not in header and not c.optional]
    if missing:
        delimiter = _other_delimiter(header, [c.name for c in columns])
        if delimiter:
            raise DataError.single(
                path,
                Text("comma-separated values (save the file with ',' between fields)"),
                Text("a header separated by {delimiter}", delimiter=Quoted(delimiter)),
                line=1,
            )
        raise DataError(
            [Problem(shown, 1, name, Text("this column in the header"), None) for name in missing]
        )
    rows: list[dict[str, Any]] = []
    problems: list[Problem] = []
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(
                Problem(shown, reader.line_num, None, Text("a well-formed CSV row"), str(err))
            )
            break
        line = reader.line_num
        row, row_problems = _parse_row(shown, line, raw, columns, check_row)
        problems.extend(row_problems)
        if not row_problems:
            rows.append(row)
    return rows, problems


def read_text(path: Path) -> str:
    """Read a small UTF-8 text file, or raise a DataError saying what is wrong with it."""
    if not path.exists():
        raise DataError.single(path, Text("an existing file"), Text("no such file"))
    if not path.is_file():
        raise DataError.single(path, Text("a regular file"), Text("a directory or special file"))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DataError.single(
            path,
            Text("a file of at most {n} MB", n=Number(MAX_FILE_BYTES // 1024 // 1024)),
            Text("{n} MB", n=Number(round(size / 1e6, 1))),
        )
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        byte = format(data[err.start], "02x")
        got = Text("byte 0x{byte}, which is not UTF-8 (is the file Latin-1 or cp1252?)", byte=byte)
        expected = Text("UTF-8 text (save the file as UTF-8)")
        raise DataError.single(path, expected, got, line=line) from None


def _other_delimiter(header: list[str], wanted: list[str]) -> str | None:
    """The delimiter a one-column header really uses, when splitting on it finds our columns."""
    if len(header) != 1:
        return None
    for delimiter in (";", "\t", "|"):
        names = [name.strip() for name in header[0].split(delimiter)]
        if len(names) > 1 and set(wanted) & set(names):
            return delimiter
    return None


def _parse_row(
    shown: str,
    line: int,
    raw: Mapping[str | None, Any],
    columns: list[Column],
    check_row: Callable[[dict[str, Any]], None] | None,
) -> tuple[dict[str, Any], list[Problem]]:
    """Clean one row column by column; whole-row checks run only on clean rows."""
    problems: list[Problem] = []
    if raw.get(None):
        problems.append(
            Problem(shown, line, None, Text("no more fields than header columns"), None)
        )
    row: dict[str, Any] = {"line": line}
    for column in columns:
        value = raw.get(column.name)
        value = "" if value is None else value.strip()
        try:
            row[column.name] = column.parse(value)
        except InvalidFieldError as err:
            problems.append(Problem(shown, line, column.name, err.expected, err.got))
    if not problems and check_row is not None:
        try:
            check_row(row)
        except InvalidFieldError as err:
            problems.append(Problem(shown, line, err.field, err.expected, err.got))
    return row, problems


# --- parsers -----------------------------------------------------------------


def text(required: bool = True, max_length: int = MAX_TEXT_LENGTH) -> Parser:
    """Plain text; no control characters."""

    def parse(value: str) -> str:
        if required and not value:
            raise InvalidFieldError(Text("a non-empty text"), value)
        if len(value) > max_length:
            raise InvalidFieldError(Text("at most {n} characters", n=max_length), value)
        if any(ord(ch) < 32 for ch in value):
            raise InvalidFieldError(Text("text without control characters"), value)
        if any(unicodedata.category(ch) in LINE_BREAK_CATEGORIES for ch in value):
            raise InvalidFieldError(
                Text("text on one line (no U+0085, U+2028 or U+2029 line separators)"), value
            )
        return value

    return parse


def slug(value: str) -> str:
    """A stable id: lower-case letters, digits and single hyphens."""
    if not SLUG_PATTERN.match(value):
        raise InvalidFieldError(
            Text("an id of lower-case letters, digits and hyphens (e.g. 'station-f')"), value
        )
    return value


def one_of(choices: Mapping[str, str] | Iterable[str]) -> Parser:
    """One value from a fixed vocabulary."""
    allowed = list(choices)

    def parse(value: str) -> str:
        if value not in allowed:
            raise InvalidFieldError(Text("one of {choices}", choices=", ".join(allowed)), value)
        return value

    return parse


def many_of(choices: Mapping[str, str] | Iterable[str], required: bool) -> Parser:
    """Zero or more values from a vocabulary, separated by ';'; returns a tuple."""
    allowed = list(choices)

    def parse(value: str) -> tuple[str, ...]:
        items = [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]
        if required and not items:
            raise InvalidFieldError(
                Text("at least one of {choices} (separated by ';')", choices=", ".join(allowed)),
                value,
            )
        unknown = [item for item in items if item not in allowed]
        if unknown:
            raise InvalidFieldError(
                Text("values from {choices} (separated by ';')", choices=", ".join(allowed)),
                unknown[0],
            )
        if len(set(items)) != len(items):
            raise InvalidFieldError(Text("each value once"), value)
        return tuple(items)

    return parse


def urls(value: str) -> tuple[str, ...]:
    """One or more http(s) URLs separated by spaces."""
    items = value.split()
    if not items:
        raise InvalidFieldError(Text("at least one source URL (http or https)"), value)
    for item in items:
        if not URL_PATTERN.match(item):
            raise InvalidFieldError(Text("http(s) URLs separated by spaces"), item)
    return tuple(items)


def number(required: bool, low: float = -math.inf, high: float = math.inf) -> Parser:
    """A decimal number within bounds; empty gives None when not required."""

    def parse(value: str) -> float | None:
        if not value:
            if required:
                raise InvalidFieldError(_bounds_text(low, high), value)
            return None
        try:
            result = float(value)
        except ValueError:
            raise InvalidFieldError(_bounds_text(low, high), value) from None
        if not math.isfinite(result) or not low <= result <= high:
            raise InvalidFieldError(_bounds_text(low, high), value)
        return result

    return parse


def _bounds_text(low: float, high: float) -> Text:
    if math.isinf(low) and math.isinf(high):
        return Text("a number")
    if math.isinf(high):
        return Text("a number of at least {low}", low=Bound(low))
    return Text("a number between {low} and {high}", low=Bound(low), high=Bound(high))


class Bound(Number):
    """A limit in a message: the reader's decimal mark, no digit grouping (100000, 51,5)."""

    __slots__ = ()

    def __str__(self) -> str:
        value = float(self.value)
        value = int(value) if value.is_integer() else value
        return _numbers.format_decimal(value, locale=locale_name(), group_separator=False)


def pattern(regex: str, expected: str | Text, required: bool) -> Parser:
    """Text matching a regular expression; empty allowed unless required."""
    compiled = re.compile(regex)

    def parse(value: str) -> str:
        if not value and not required:
            return value
        if not compiled.fullmatch(value):
            raise InvalidFieldError(expected, value)
        return value

    return parse


def yes_no(value: str) -> bool:
    """'yes' or 'no'."""
    if value not in ("yes", "no"):
        raise InvalidFieldError(Text("yes or no"), value)
    return value == "yes"


def check_unique(rows: list[dict[str, Any]], key: str, shown: str) -> list[Problem]:
    """Report every row whose key repeats an earlier row's."""
    seen: dict[Any, int] = {}
    problems = []
    for row in rows:
        value = row[key]
        if value in seen:
            problems.append(
                Problem(
                    shown,
                    row["line"],
                    key,
                    Text("a unique {key} (line {line} has it)", key=key, line=seen[value]),
                    value,
                )
            )
        else:
            seen[value] = row["line"]
    return problems
