"""Typed errors for bad input: every problem names its file, line, field and value.

A problem keeps its parts (``expected`` may be an ``i18n.Text``) and is worded when shown,
in the language current at that moment: a DataError cached with a dataset reads in French
for a French reader and in English for the next one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from geo.i18n import N_, Text, gettext, language

# How each language quotes a value it did not write (English keeps Python's repr quotes).
_QUOTES = {"fr": ("«\u00a0", "\u00a0»"), "de": ("„", "“")}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one row (or with a whole file).

    ``line`` is a CSV line number, or a label such as ``Text("feature {n}", n=3)`` for
    GeoJSON. ``expected`` is our own phrase (a Text, or an English msgid translated when
    shown); ``got`` is the value as the file wrote it, or a Text describing it.
    """

    path: str
    line: int | str | Text | None
    field: str | None
    expected: str | Text
    got: object = None

    def __str__(self) -> str:
        return str(self.message())

    def message(self) -> Text:
        """The whole sentence, to be worded in the current language."""
        values: dict[str, object] = {"path": self.path, "expected": _phrase(self.expected)}
        if self.got is not None:
            values["got"] = Quoted(self.got)
        if self.field is not None:
            values["field"] = Quoted(self.field)
        if isinstance(self.line, int):
            values["line"] = self.line
        elif self.line is not None:
            values["where"] = _phrase(self.line)
        return Text(_MESSAGES[tuple(sorted(set(values) - {"path", "expected"}))], **values)


# One whole sentence per combination of the parts a problem has (its keys, sorted).
_MESSAGES: dict[tuple[str, ...], str] = {
    (): N_("{path}: expected {expected}"),
    ("got",): N_("{path}: expected {expected}, got {got}"),
    ("line",): N_("{path}, line {line}: expected {expected}"),
    ("got", "line"): N_("{path}, line {line}: expected {expected}, got {got}"),
    ("field",): N_("{path}, field {field}: expected {expected}"),
    ("field", "got"): N_("{path}, field {field}: expected {expected}, got {got}"),
    ("field", "line"): N_("{path}, line {line}, field {field}: expected {expected}"),
    ("field", "got", "line"): N_(
        "{path}, line {line}, field {field}: expected {expected}, got {got}"
    ),
    ("where",): N_("{path}, {where}: expected {expected}"),
    ("got", "where"): N_("{path}, {where}: expected {expected}, got {got}"),
    ("field", "where"): N_("{path}, {where}, field {field}: expected {expected}"),
    ("field", "got", "where"): N_("{path}, {where}, field {field}: expected {expected}, got {got}"),
}


def _phrase(value: str | Text) -> str | Text:
    """Our phrase: a Text as it is (worded when shown), a str looked up in the catalogue."""
    return value if isinstance(value, Text) else _Msgid(value)


class _Msgid:
    """A plain-str phrase (an N_-marked constant), translated when shown."""

    __slots__ = ("msgid",)

    def __init__(self, msgid: str):
        self.msgid = msgid

    def __str__(self) -> str:
        return gettext(self.msgid)


class Quoted:
    """A value as written, quoted the way the current language quotes when shown.

    English: Python's repr of a str ('N/A'), cut if long; French « N/A »; German „N/A“.
    A Text (our description of what was found, e.g. "no such file") is worded first; a
    value that is not text (a number) is shown bare, as its repr.
    """

    __slots__ = ("value",)

    def __init__(self, value: object):
        self.value = value

    def __str__(self) -> str:
        value = str(self.value) if isinstance(self.value, Text) else self.value
        text = value if isinstance(value, str) else repr(value)
        if len(text) > 80:
            text = text[:77] + "..."
        if not isinstance(value, str):
            return text
        quotes = _QUOTES.get(language())
        return repr(text) if quotes is None else f"{quotes[0]}{text}{quotes[1]}"

    def __repr__(self) -> str:
        return f"Quoted({self.value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Quoted) and other.value == self.value

    def __hash__(self) -> int:
        return hash(repr(self.value))


class DataError(ValueError):
    """Bad input data; holds every problem found so one run can fix them all.

    ``str(err)`` words the problems in the language current when it is shown.
    """

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("DataError needs at least one problem")
        self.problems = list(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def single(
        cls,
        path: Path | str,
        expected: str | Text,
        got: object = None,
        line: int | str | Text | None = None,
        field: str | None = None,
    ) -> DataError:
        """Build an error with one problem."""
        return cls([Problem(display_path(path), line, field, expected, got)])


def display_path(path: Path | str) -> str:
    """Show a path relative to the working directory when it lies inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
