"""Typed errors for bad input: every problem names its file, line, field and value."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one row (or with a whole file).

    ``line`` is a CSV line number, or a label such as ``"feature 3"`` for GeoJSON.
    """

    path: str
    line: int | str | None
    field: str | None
    expected: str
    got: object = None

    def __str__(self) -> str:
        where = [self.path]
        if isinstance(self.line, int):
            where.append(f"line {self.line}")
        elif self.line is not None:
            where.append(self.line)
        if self.field is not None:
            where.append(f"field {self.field!r}")
        message = f"{', '.join(where)}: expected {self.expected}"
        if self.got is not None:
            message += f", got {_show(self.got)}"
        return message


def _show(value: object) -> str:
    """Render a bad value briefly and unambiguously (quoted, cut if long)."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return repr(text) if isinstance(value, str) else text


class DataError(ValueError):
    """Bad input data; holds every problem found so one run can fix them all."""

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("DataError needs at least one problem")
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(
        cls,
        path: Path | str,
        expected: str,
        got: object = None,
        line: int | str | None = None,
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
