"""The shapes a reader's own data takes between reading, checking and drawing.

Kept free of logic so that the readers, the view, the web map, the report and the app can
agree on them before any of them exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from geo.core.errors import Problem

SITES = "sites"
VALUES = "values"
KINDS = (SITES, VALUES)

# Hard limits, checked before any parsing: a larger file is refused with a message that says
# the limit. Points beyond MAX_POINTS_DRAWN are not drawn one by one (see view.py).
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
MAX_ROWS = 500_000
MAX_COLUMNS = 200
MAX_POINTS_DRAWN = 100_000

# What a column can be for. Sites: a name plus coordinates or a commune code; the rest is
# optional. Values: a région or département (code or name) and a number.
SITE_ROLES = (
    "name",
    "lat",
    "lon",
    "insee_commune",
    "category",
    "initiative",
    "amount",
    "date",
    "url",
)
VALUE_ROLES = ("area", "value", "unit")
ROLES = {SITES: SITE_ROLES, VALUES: VALUE_ROLES}
# UserSites.frame's own columns, in this order (the reader's attributes follow them).
SITE_COLUMNS = (
    "line", "name", "lat", "lon", "insee_commune", "insee_dep", "insee_reg",
    "category", "initiative", "date", "url", "amount",
)  # fmt: skip


@dataclass(frozen=True)
class RawTable:
    """A file as read, before any checking: every cell a string, every row with its line.

    ``frame`` has one column per header cell (names as written, stripped; duplicates made
    unique with a suffix) and one row per data row, all ``str`` ("" for empty). ``lines``
    gives, per row, how a user finds it in the file: a CSV line number, an XLSX row number,
    or a label such as "feature 3" (GeoJSON). A GeoJSON point's coordinates arrive as the
    columns "longitude" and "latitude".
    """

    source: str  # the file name as the user gave it (never a server path)
    fmt: str  # "csv", "xlsx" or "geojson"
    frame: pd.DataFrame
    lines: tuple[int | str, ...]
    notes: tuple[str, ...] = ()  # what the reader decided: encoding, delimiter, sheet
    # Rows the reader could not take whole (too many fields, a non-point feature: left out of
    # ``frame``) or had to cut (an overlong cell); the validators pass them on.
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class ColumnMapping:
    """Which column of the file plays which role (role -> column name); absent roles are unset.

    Columns that play no role are ``attributes``: shown as they are in popups and tables,
    and offered as filters when they hold few distinct values.
    """

    kind: str
    roles: dict[str, str] = field(default_factory=dict)

    def attributes(self, columns: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        used = set(self.roles.values())
        return tuple(c for c in columns if c not in used)


@dataclass(frozen=True)
class UserSites:
    """A reader's places, checked: the good rows only (the bad ones are in UserData.problems).

    ``frame`` columns, one row per kept row:
      line (int | str, as in RawTable.lines), name (str), lat, lon (float, NaN when the row
      gave only a commune code), insee_commune, insee_dep, insee_reg (str, "" when unknown),
      category, initiative, date, url (str, ""), amount (float, NaN), and then one str
      column per attribute (names as in the file, listed in ``attributes``).
    A row with a commune code and no coordinates is counted in its région and département
    and listed, never drawn: we do not invent coordinates.
    """

    source: str
    frame: pd.DataFrame
    attributes: tuple[str, ...]
    mapping: ColumnMapping

    def located(self) -> pd.DataFrame:
        return self.frame[self.frame["lat"].notna()]

    def listed_only(self) -> pd.DataFrame:
        return self.frame[self.frame["lat"].isna()]


@dataclass(frozen=True)
class RegionValues:
    """A reader's figure per région or per département, checked.

    ``frame`` columns: line, code (INSEE région or département code), written (the name or
    code as the file wrote it), value (float). One row per area; ``level`` says which kind.
    """

    source: str
    level: str  # "region" or "departement"
    label: str  # what the value is: the value column's name as written
    unit: str  # from the unit column when all rows agree, else ""
    frame: pd.DataFrame
    mapping: ColumnMapping

    def by_code(self) -> dict[str, float]:
        return dict(zip(self.frame["code"], self.frame["value"], strict=True))


@dataclass(frozen=True)
class UserData:
    """What one reader brought: sites and/or region values, and everything wrong with them.

    ``problems`` lists each rejected row (and each flagged one) with file, line, field,
    expected and got; ``swapped_lines`` are rows whose latitude and longitude look swapped
    (their coordinates fall in France once exchanged): the app offers to swap them.
    """

    sites: UserSites | None = None
    values: RegionValues | None = None
    problems: tuple[Problem, ...] = ()
    swapped_lines: tuple[int | str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.sites is None and self.values is None
