"""Read an uploaded file (CSV, XLSX or GeoJSON bytes) into a RawTable of text cells.

Only the file is judged here (size, format, encoding, header, row and column limits): a
file-level problem raises DataError. Row-level trouble found while reading (a row with too
many fields, a GeoJSON feature that is not a point, an overlong cell) is returned in
``RawTable.problems`` so that the rest of the file can still be used.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import itertools
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath, PureWindowsPath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.core.errors import DataError, Problem
from geo.core.files import geojson_features
from geo.core.userdata import deferred
from geo.core.userdata.deferred import Fixed
from geo.core.userdata.model import MAX_COLUMNS, MAX_ROWS, MAX_UPLOAD_BYTES, RawTable
from geo.i18n import N_, Number, Text, _

MAX_CELL_CHARS = 500
# An XLSX is a ZIP: 64 MB of it may unpack to gigabytes (a "zip bomb"). Real workbooks
# unpack to 5-10 times their size.
MAX_XLSX_UNPACKED_BYTES = 1024 * 2**20
DELIMITERS = (";", "\t", ",")  # on a tie the first wins: ';' is the French Excel export
DELIMITER_NOTES = {";": N_("delimiter ';'"), "\t": N_("delimiter tab"), ",": N_("delimiter ','")}
CSV_EXTENSIONS = (".csv", ".tsv", ".txt", ".tab")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
GEOJSON_EXTENSIONS = (".geojson", ".json")
OLD_EXCEL_EXTENSIONS = (".xls",)
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc) container
# Characters that are never data: C0/C1 controls, format characters (BOM, zero-width
# space, bidi overrides) and the Unicode line/paragraph separators (categories Cc, Cf, Zl,
# Zp of Unicode 14; tests/test_userdata_read.py checks this table against unicodedata).
INVISIBLE_RANGES = (
    (0x0000, 0x001F),
    (0x007F, 0x009F),
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
# Of those, the ones that separate words or lines: a cell keeps a space in their place.
SPACING_CONTROLS = "\t\n\x0b\x0c\r\x85\u2028\u2029"


INVISIBLE = frozenset(chr(c) for low, high in INVISIBLE_RANGES for c in range(low, high + 1))
# In a CSV text the row structure needs \t, \n and \r: cells lose them after parsing.
STRUCTURAL = "\t\n\r"
_SPACING_RUN = re.compile(f"[{re.escape(SPACING_CONTROLS)}]+")
# For one cell at a time (short strings): Python's re over the same ranges.
_HIDDEN = re.compile(
    "["
    + "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in INVISIBLE_RANGES)
    + "]"
)


def strip_invisible(text: str, keep: str = "") -> str:
    """``text`` without invisible characters (spacing ones become a space), but ``keep``.

    Done by pyarrow's RE2 on the text as one value: megabytes take milliseconds, where
    Python's re takes seconds over a character class this size.
    """
    spacing, hidden = _invisible_patterns(keep)
    value = pa.array([text], pa.large_string())
    if not pc.any(pc.match_substring_regex(value, f"{spacing}|{hidden}")).as_py():
        return text
    value = pc.replace_substring_regex(value, spacing, " ")
    return pc.replace_substring_regex(value, hidden, "")[0].as_py()


@functools.cache
def _invisible_patterns(keep: str) -> tuple[str, str]:
    """RE2 classes of the spacing and of the other invisible characters, less ``keep``."""
    chars = sorted(INVISIBLE.difference(keep))
    spacing = [c for c in chars if c in SPACING_CONTROLS]
    hidden = [c for c in chars if c not in SPACING_CONTROLS]
    return _re2_class(spacing), _re2_class(hidden)


def _re2_class(chars: list[str]) -> str:
    ranges: list[list[int]] = []
    for code in sorted(map(ord, chars)):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "[" + "".join(f"\\x{{{low:x}}}-\\x{{{high:x}}}" for low, high in ranges) + "]"


def read_upload(name: str, data: bytes) -> RawTable:
    """Read one uploaded file into a RawTable; raise DataError when the file cannot be used."""
    source = display_name(name)
    if len(data) > MAX_UPLOAD_BYTES:
        raise oversized(source, len(data))
    if not data.strip():
        raise DataError.single(
            source, Text("a CSV, XLSX or GeoJSON file with a header row"), Text("an empty file")
        )
    fmt = detect_format(source, data)
    reader = {"csv": _read_csv, "xlsx": _read_xlsx, "geojson": _read_geojson}[fmt]
    return reader(source, data)


def oversized(source: str, size: int, limit: int = MAX_UPLOAD_BYTES) -> DataError:
    """The error for a file of ``size`` bytes, over ``limit`` (read or not yet read)."""
    return DataError.single(
        source,
        Text("a file of at most {n} MB", n=Number(limit // 2**20)),
        Text("{n} MB", n=Fixed(size / 2**20)),
    )


def display_name(name: str) -> str:
    """The file's own name, never a folder path (a browser may send 'C:\\...\\x.csv')."""
    base = PureWindowsPath(PurePosixPath(name).name).name
    # The name stands for the file from here on (in problems, the view, file names): a name
    # made only of invisible characters gets one in the language current at upload.
    return clean_text(base) or _("uploaded file")


def detect_format(source: str, data: bytes) -> str:
    """'csv', 'xlsx' or 'geojson', from the name's extension, else from the content."""
    suffix = PurePosixPath(source.lower()).suffix
    if suffix in OLD_EXCEL_EXTENSIONS or data.startswith(OLE_MAGIC):
        raise DataError.single(
            source,
            Text(
                "an XLSX or CSV file (open it in Excel or LibreOffice and save it as .xlsx or .csv)"
            ),
            Text("an old Excel .xls file"),
        )
    if suffix in XLSX_EXTENSIONS or data.startswith(ZIP_MAGIC):
        return "xlsx"
    if suffix in GEOJSON_EXTENSIONS:
        return "geojson"
    if suffix in CSV_EXTENSIONS:
        return "csv"
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return "geojson"
    if _looks_binary(data[:4096]):
        raise DataError.single(source, Text("a CSV, XLSX or GeoJSON file"), Text("binary data"))
    return "csv"


def _looks_binary(sample: bytes) -> bool:
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text (Excel's "Unicode text")
    return b"\x00" in sample or sum(byte < 9 for byte in sample) > 0


def clean_text(text: str) -> str:
    """A cell as data: controls and format characters gone, separators become one space."""
    if not INVISIBLE.isdisjoint(text):
        text = _HIDDEN.sub("", _SPACING_RUN.sub(" ", text))
    return text.strip()


# --- CSV -------------------------------------------------------------------------------


def decode_text(source: str, data: bytes) -> tuple[str, Text]:
    """The text of a CSV file and a note saying which encoding was used."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), Text("encoding UTF-16")
        except UnicodeDecodeError:
            raise DataError.single(
                source, Text("a text file"), Text("broken UTF-16 text")
            ) from None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise DataError.single(
            source,
            Text("a CSV, XLSX or GeoJSON file (text, no NUL bytes)"),
            Text("binary data"),
            line=line,
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), Text("encoding UTF-8 (byte order mark removed)")
        except UnicodeDecodeError as err:
            raise DataError.single(
                source,
                Text("UTF-8 text after its byte order mark"),
                Text("byte {n}", n=err.start + 3),
            ) from None
    try:
        return data.decode("utf-8"), Text("encoding UTF-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), Text("encoding Windows-1252 (not UTF-8)")
    except UnicodeDecodeError:
        return data.decode("latin-1"), Text("encoding Latin-1 (neither UTF-8 nor Windows-1252)")


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header line into the most fields (',' if none does)."""
    best, best_count = ",", 1
    for delimiter in DELIMITERS:
        count = len(next(csv.reader([header_line], delimiter=delimiter), []))
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _read_csv(source: str, data: bytes) -> RawTable:
    text, encoding_note = decode_text(source, data)
    text = strip_invisible(text, keep=STRUCTURAL)
    first = next((line for line in text[:65536].splitlines() if line.strip()), "")
    delimiter = sniff_delimiter(first)
    notes = (encoding_note, Text(DELIMITER_NOTES[delimiter]))
    fast = _read_csv_fast(source, text, delimiter, notes)
    if fast is not None:
        return fast
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records = _numbered_records(source, reader)
    header_line, header = next(
        ((line, cells) for line, cells in records if any(c.strip() for c in cells)), (0, [])
    )
    rows = list(itertools.islice(records, MAX_ROWS + 1))
    return _build_table(source, "csv", header_line, header, rows, notes)


def _read_csv_fast(
    source: str, text: str, delimiter: str, notes: tuple[Text, ...]
) -> RawTable | None:
    """The same table through pandas' C parser, for files where that is exact: no quotes
    (so each record is one line and its number is known) and no row wider than the
    first. None otherwise: the csv module then reads the file, record by record."""
    if '"' in text:
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            na_filter=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_NONE,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        return None
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    if len(frame) != breaks + (0 if text.endswith(("\n", "\r")) else 1):
        return None  # pandas and the line count disagree: let the csv module decide
    frame = frame.fillna("")
    filled = np.zeros(len(frame), dtype=bool)  # as the csv path: blank lines only
    for column in frame.columns:
        filled |= (frame[column] != "").to_numpy()
    if not filled.any():
        return None
    written = np.zeros(len(frame), dtype=bool)  # the header: the first row with text
    for column in frame.columns:
        written |= (frame[column].str.strip() != "").to_numpy()
    if not written.any():
        return None
    header_at = int(np.argmax(written))
    if int(filled[header_at + 1 :].sum()) > MAX_ROWS:
        raise _too_many_rows(source, int(filled[header_at + 1 :].sum()))
    header = frame.iloc[header_at].tolist()
    body = frame.iloc[header_at + 1 :].reset_index(drop=True)
    lines = tuple(range(header_at + 2, len(frame) + 1))
    return _named_table(source, "csv", header_at + 1, header, body, lines, notes, [])


def _numbered_records(source: str, reader) -> Iterable[tuple[int, list[str]]]:
    """(first line, cells) of each non-blank record: a quoted newline spans lines.

    Strict: an unclosed quote would otherwise swallow the rest of the file in one cell.
    """
    start = 1
    try:
        for cells in reader:
            if any(cells):  # whitespace-only rows go later, once cells are stripped
                yield start, cells
            start = reader.line_num + 1
    except csv.Error as err:
        raise DataError.single(
            source,
            Text(
                'CSV fields whose quotes close (a field starting with " ends with " before the '
                "next separator)"
            ),
            str(err),  # the csv module's words, as it wrote them
            line=start,
        ) from None


# --- XLSX ------------------------------------------------------------------------------


def _read_xlsx(source: str, data: bytes) -> RawTable:
    _check_unpacked_size(source, data)
    try:
        header_line, header, rows, note = _xlsx_records(data)
    except DataError:
        raise
    except Exception as err:  # openpyxl, zipfile and the XML parser raise many types
        raise DataError.single(source, Text("a readable XLSX workbook"), _first_line(err)) from None
    if note is None:
        raise DataError.single(source, Text("a workbook with a sheet"), Text("no sheet"))
    return _build_table(source, "xlsx", header_line, header, rows, (note,))


def _check_unpacked_size(source: str, data: bytes) -> None:
    """Refuse a workbook whose parts would unpack past MAX_XLSX_UNPACKED_BYTES.

    The sizes are those the ZIP declares; zipfile stops reading a part at its declared
    size, so a lying header cannot make it unpack more.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as err:
        raise DataError.single(source, Text("a readable XLSX workbook"), _first_line(err)) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise DataError.single(
            source,
            Text(
                "an XLSX workbook of at most {n} MB once unpacked",
                n=Number(MAX_XLSX_UNPACKED_BYTES // 2**20),
            ),
            Text("{n} MB", n=Fixed(unpacked / 2**20, 0)),
        )


def _xlsx_records(
    data: bytes,
) -> tuple[int, list[str], list[tuple[int, list[str]]], Text | None]:
    """Header line, header, rows (line, cells) and a note naming the first sheet."""
    from openpyxl import load_workbook  # imported here: only XLSX uploads need it

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        if not workbook.worksheets:
            return 0, [], [], None
        sheet = workbook.worksheets[0]
        # The row limit is enforced while reading (islice below): asking the sheet its size
        # first would parse all of it once more when it has no <dimension> element.
        numbered = (
            (number, [_xlsx_cell(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        records = ((n, cells) for n, cells in numbered if any(cells))
        header_line, header = next(records, (0, []))
        rows = list(itertools.islice(records, MAX_ROWS + 1))
        count = len(workbook.worksheets)
        title = repr(sheet.title)  # as written, quoted
        note = (
            Text("sheet {title} (the first of {count})", title=title, count=Number(count))
            if count > 1
            else Text("sheet {title}", title=title)
        )
    finally:
        workbook.close()
    return header_line, header, rows, note


def _xlsx_cell(value: object) -> str:
    """A typed Excel value as text: numbers exactly, whole floats without '.0', dates ISO."""
    if value is None:
        return ""
    if type(value) is str:  # the common case first: a hundred thousand rows call this
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _first_line(err: Exception) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


# --- GeoJSON ---------------------------------------------------------------------------


def _read_geojson(source: str, data: bytes) -> RawTable:
    features = geojson_features(data, source)
    if len(features) > MAX_ROWS:
        raise _too_many_rows(source, len(features))
    records: list[dict[str, str]] = []
    labels: list[str] = []
    problems: list[Problem] = []
    names: dict[str, str] = {}  # property name -> column name, cleaned once per name
    for position, feature in enumerate(features, start=1):
        # A row's identity (swap offers, exports, problems): the same in every language.
        label = f"feature {position}"
        point, got = _point_of(feature)
        if point is None:
            problems.append(Problem(source, label, "geometry", Text("a Point geometry"), got))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        record = {
            names.get(key) or names.setdefault(key, clean_text(str(key))): _json_cell(value)
            for key, value in properties.items()
        }
        # The point's coordinates win over properties of the same name.
        for key in ("longitude", "latitude"):
            if key in record:
                record[f"{key} (property)"] = record.pop(key)
        record["longitude"], record["latitude"] = point
        records.append(record)
        labels.append(label)
    if not records:
        raise DataError(problems)
    columns = list(dict.fromkeys(key for record in records for key in record if key))
    frame = pd.DataFrame.from_records(records, columns=columns).fillna("")
    return _finish_table(source, "geojson", frame, tuple(labels), (), problems)


def _point_of(feature: object) -> tuple[tuple[str, str] | None, str | Text]:
    """(longitude, latitude) as text, or None and what the geometry was instead."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return None, Text("not a Feature")
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        return None, Text("no geometry")
    if geometry.get("type") != "Point":
        return None, str(geometry.get("type"))  # the file's own word
    coords = geometry.get("coordinates")
    if (
        not isinstance(coords, list)
        or len(coords) < 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords[:2])
    ):
        return None, Text("a Point with coordinates {json}", json=json.dumps(coords)[:60])
    return (repr(float(coords[0])), repr(float(coords[1]))), ""


def _json_cell(value: object) -> str:
    if value is None:
        return ""
    if type(value) is str:  # the common case first: a hundred thousand rows call this
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# --- the table -------------------------------------------------------------------------


def _build_table(
    source: str,
    fmt: str,
    header_line: int,
    header: list[str],
    rows: list[tuple[int, list[str]]],
    notes: tuple[Text, ...],
) -> RawTable:
    """Header and rows (line, cells) into a RawTable: limits, ragged rows, unique names."""
    if not header:
        raise DataError.single(
            source, Text("a header row naming the columns"), Text("no header"), line=1
        )
    if len(rows) > MAX_ROWS:
        raise _too_many_rows(source, len(rows))
    if len(header) > MAX_COLUMNS + 50:  # before building a frame that wide
        raise _too_many_columns(source, len(header), header_line)
    width = len(header)
    problems: list[Problem] = []
    lines = [line for line, _ in rows]
    cells = [row for _, row in rows]
    if any(len(row) != width for row in cells):
        lines, cells = _even_rows(source, width, lines, cells, problems)
    frame = pd.DataFrame(cells, columns=range(width), dtype=object)
    return _named_table(source, fmt, header_line, header, frame, tuple(lines), notes, problems)


def _named_table(
    source: str,
    fmt: str,
    header_line: int,
    header: list,
    frame: pd.DataFrame,
    lines: tuple[int | str, ...],
    notes: tuple[Text, ...],
    problems: list[Problem],
) -> RawTable:
    """Name the columns from the header row (trailing unnamed empty ones dropped)."""
    names = [clean_text(str(cell)) for cell in header]
    while names and not names[-1] and _column_empty(frame, len(names) - 1):
        names.pop()  # a trailing unnamed, empty column (Excel's ';;;' at the end of lines)
    if not any(names):
        raise DataError.single(
            source,
            Text("a header row naming the columns"),
            Text("a first row of empty cells"),
            line=header_line,
        )
    if len(names) > MAX_COLUMNS:
        raise _too_many_columns(source, len(names), header_line)
    frame = frame.iloc[:, : len(names)].copy()
    frame.columns = unique_names(names)
    return _finish_table(source, fmt, frame, lines, notes, problems)


def _too_many_columns(source: str, count: int, line: int | None) -> DataError:
    return DataError.single(
        source,
        deferred.ngettext("at most {n} column", "at most {n} columns", MAX_COLUMNS),
        deferred.ngettext("{n} column", "{n} columns", count),
        line=line,
    )


def _even_rows(
    source: str, width: int, lines: list[int], cells: list[list[str]], problems: list[Problem]
) -> tuple[list[int], list[list[str]]]:
    """Rows padded to the header's width; a row with more non-empty fields is a problem."""
    kept_lines, kept = [], []
    for line, row in zip(lines, cells, strict=True):
        if len(row) > width:
            if any(cell.strip() for cell in row[width:]):
                expected = deferred.ngettext(
                    "at most {n} field, like the header",
                    "at most {n} fields, like the header",
                    width,
                )
                got = deferred.ngettext("{n} field", "{n} fields", len(row))
                problems.append(Problem(source, line, None, expected, got))
                continue
            row = row[:width]
        elif len(row) < width:
            row = row + [""] * (width - len(row))
        kept_lines.append(line)
        kept.append(row)
    return kept_lines, kept


def _finish_table(
    source: str,
    fmt: str,
    frame: pd.DataFrame,
    lines: tuple[int | str, ...],
    notes: tuple[Text, ...],
    problems: list[Problem],
) -> RawTable:
    """Clean every cell (vectorised per column), cap overlong ones, and wrap up."""
    if frame.shape[1] > MAX_COLUMNS:
        raise _too_many_columns(source, frame.shape[1], None)
    if frame.empty:
        raise _no_rows(source)
    lines_array = pd.Series(lines, dtype=object)
    spacing, hidden = _invisible_patterns("")
    for column in frame.columns:
        values = frame[column].astype(str)
        unclean = values.str.contains(f"{spacing}|{hidden}", regex=True).to_numpy()
        if unclean.any():  # few cells (a CSV was cleaned but for \t \n \r): one by one
            values[unclean] = values[unclean].map(clean_text)
        values = values.str.strip()
        long = values.str.len() > MAX_CELL_CHARS
        if long.any():
            for position in long.to_numpy().nonzero()[0]:
                problems.append(
                    Problem(
                        source,
                        lines_array.iloc[position],
                        column,
                        deferred.ngettext(
                            "at most {n} character (the rest was cut)",
                            "at most {n} characters (the rest was cut)",
                            MAX_CELL_CHARS,
                        ),
                        deferred.ngettext(
                            "{n} character", "{n} characters", len(values.iloc[position])
                        ),
                    )
                )
            values = values.where(~long, values.str.slice(0, MAX_CELL_CHARS))
        frame[column] = values
    filled = (frame != "").any(axis=1).to_numpy()
    if not filled.all():
        frame = frame[filled]
        lines = tuple(line for line, keep in zip(lines, filled, strict=True) if keep)
    if frame.empty:
        raise _no_rows(source)
    frame = frame.reset_index(drop=True)
    return RawTable(source, fmt, frame, lines, notes, tuple(_in_line_order(problems)))


def _column_empty(frame: pd.DataFrame, position: int) -> bool:
    if position >= frame.shape[1]:
        return True
    return bool((frame.iloc[:, position].astype(str).str.strip() == "").all())


def _in_line_order(problems: list[Problem]) -> list[Problem]:
    """Problems sorted by line (GeoJSON 'feature N' by N); a line keeps its column order."""
    return sorted(problems, key=lambda p: line_key(p.line))


def line_key(line: int | str | None) -> int:
    """A sortable number for a RawTable line: the line itself, or N of 'feature N'."""
    if isinstance(line, int):
        return line
    tail = str(line).rsplit(" ", 1)[-1]
    return int(tail) if tail.isdigit() else -1


def unique_names(names: Sequence[str]) -> list[str]:
    """Header names made unique: an empty one becomes 'column N', a repeat gets ' (2)'.

    These names identify the columns (the column mapping, the CLI's --column, exports'
    headers), so they do not change with the reader's language.
    """
    seen: set[str] = set()
    result = []
    for position, name in enumerate(names, start=1):
        base = name or f"column {position}"
        candidate, count = base, 1
        while candidate in seen:
            count += 1
            candidate = f"{base} ({count})"
        seen.add(candidate)
        result.append(candidate)
    return result


def _no_rows(source: str) -> DataError:
    none = deferred.pgettext("data rows", "none")
    return DataError.single(source, Text("at least one data row under the header"), none)


def _too_many_rows(source: str, count: int) -> DataError:
    return DataError.single(
        source,
        deferred.ngettext("at most {n} data row", "at most {n} data rows", MAX_ROWS),
        deferred.ngettext("more than {n} row", "more than {n} rows", min(count, MAX_ROWS)),
    )
