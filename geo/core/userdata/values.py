"""Check a reader's figures per région or per département: areas matched loosely, one number each.

An area is an INSEE code ("84", "69", "2A", "974", also "69 - Rhône" or "Rhône (69)") or a
name written loosely: case, accents, hyphens, apostrophes, "St"/"Ste" and a leading
"Région"/"Département" do not matter, and common short names (PACA, IDF, AURA...) are known.
A file holds régions or départements, not both; the level is read from the area column's
name when it says, else from the rows (codes 11 to 94 exist at both levels: read as régions
when nothing says otherwise and they are all région codes).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from geo.core.dataset import Dataset
from geo.core.errors import Problem
from geo.core.filters import fold
from geo.core.userdata.cells import parse_numbers
from geo.core.userdata.columns import fold_column
from geo.core.userdata.model import (
    VALUE_ROLES,
    ColumnMapping,
    RawTable,
    RegionValues,
    UserData,
)
from geo.core.userdata.read import line_key
from geo.core.userdata.sites import header_label
from geo.i18n import N_, Text

REGION = "region"
DEPARTEMENT = "departement"
# What each level's rows are told, as whole sentences per level (the level's word is not
# glued into one sentence: French and German nouns take their own articles and genders).
LEVEL_MESSAGES: dict[str, dict[str, str]] = {
    REGION: {
        "empty": N_("a région (an INSEE code or a name)"),
        "mixed": N_(
            "a région, like the other rows (this département makes a mix; a file holds "
            "régions or départements, not both)"
        ),
        "unknown": N_(
            "a région of France: an INSEE code or a name, like 84 or Auvergne-Rhône-Alpes"
        ),
        "repeated": N_("one row per région ({code} is already on line {line})"),
        "note": N_("level: régions"),
    },
    DEPARTEMENT: {
        "empty": N_("a département (an INSEE code or a name)"),
        "mixed": N_(
            "a département, like the other rows (this région makes a mix; a file holds "
            "régions or départements, not both)"
        ),
        "unknown": N_("a département of France: an INSEE code or a name, like 69 or Rhône"),
        "repeated": N_("one row per département ({code} is already on line {line})"),
        "note": N_("level: départements"),
    },
}
# Short and older names people write for today's régions, and their English and German
# names where INSEE's differ (our own list, by INSEE code).
REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "01": ("guadeloupe",),
    "02": ("martinique",),
    "03": ("guyane", "guyane francaise", "french guiana", "franzosisch guayana"),
    "04": ("reunion", "la reunion", "ile de la reunion"),
    "06": ("mayotte",),
    "11": ("idf", "ile de france", "paris region", "region parisienne"),
    "24": ("centre", "cvl", "centre val de loire", "region centre", "centre loire valley"),
    "27": ("bfc", "bourgogne franche comte", "burgundy franche comte", "burgund franche comte"),
    "28": ("normandie", "normandy"),
    "32": ("hdf", "hauts de france", "nord pas de calais picardie"),
    "44": ("grand est", "acal", "alsace champagne ardenne lorraine"),
    "52": ("pdl", "pays de la loire"),
    "53": ("bretagne", "brittany"),
    "75": ("nouvelle aquitaine", "new aquitaine", "alpc"),
    "76": ("occitanie", "occitania", "languedoc roussillon midi pyrenees"),
    "84": ("ara", "aura", "auvergne rhone alpes"),
    "93": ("paca", "provence alpes cote d azur", "region sud", "sud"),
    "94": ("corse", "corsica", "collectivite de corse", "korsika"),
}
DEPARTEMENT_ALIASES: dict[str, tuple[str, ...]] = {
    "973": ("guyane francaise", "french guiana", "franzosisch guayana"),
    "974": ("reunion", "ile de la reunion"),
    "2A": ("corse sud",),
    "2B": ("haute corse",),
}
_PREFIX = re.compile(
    r"^(?:la )?(?:region|departement|dept|dpt|dep)\s+(?:de la |de l |du |des |de |d )?"
)
_CODE_FIRST = re.compile(r"^\s*(\d{1,3}|2[AaBb])\s*[-–—:.]\s*\S")
_CODE_LAST = re.compile(r"\(\s*(\d{1,3}|2[AaBb])\s*\)\s*$")


def area_key(text: str) -> str:
    """A name for matching: folded, words only, 'st'/'ste' spelled out, no 'Région de'."""
    words = fold_column(fold(text).replace("œ", "oe").replace("æ", "ae")).split()
    words = [{"st": "saint", "ste": "sainte"}.get(word, word) for word in words]
    return _PREFIX.sub("", " ".join(words))


def area_tables(reference: Dataset) -> dict[str, dict[str, str]]:
    """Per level, every key a row may match (names, aliases, codes) -> INSEE code."""
    tables: dict[str, dict[str, str]] = {}
    for level, frame, aliases in (
        (REGION, reference.regions, REGION_ALIASES),
        (DEPARTEMENT, reference.departements, DEPARTEMENT_ALIASES),
    ):
        table: dict[str, str] = {}
        for code, row in frame.iterrows():
            names = [row["name_fr"], row["name_en"], *aliases.get(code, ())]
            names += [re.sub(r"\(.*?\)", "", row["name_en"])]
            names += [
                part.removeprefix("also ").strip('"“” ')
                for part in re.findall(r"\((.*?)\)", row["name_en"])
            ]
            for name in names:
                if area_key(name):
                    table.setdefault(area_key(name), code)
        tables[level] = table
    return tables


def validate_values(raw: RawTable, mapping: ColumnMapping, reference: Dataset) -> UserData:
    """Check every row of a table of figures per area; keep the good rows, list the rest."""
    header = _header_problems(raw, mapping)
    if header:
        return UserData(problems=(*header, *raw.problems), notes=raw.notes)
    written = raw.frame[mapping.roles["area"]].astype(str)
    codes = _match_areas(written, reference)
    level = _decide_level(mapping.roles["area"], codes)
    found: list[tuple[int, int, Problem]] = []

    def add(mask, role: str, expected, got) -> None:
        column = mapping.roles.get(role, role)
        for position in np.flatnonzero(np.asarray(mask, dtype=bool)):
            want = expected[position] if isinstance(expected, list) else expected
            value = got if isinstance(got, str) else got.iloc[position]
            problem = Problem(raw.source, raw.lines[position], column, want, value)
            found.append((int(position), VALUE_ROLES.index(role), problem))

    other = DEPARTEMENT if level == REGION else REGION
    code = codes[level]
    empty = written == ""
    says = LEVEL_MESSAGES[level]
    add(empty, "area", Text(says["empty"]), "")
    mixed = ~empty & (code == "") & (codes[other] != "")
    add(mixed, "area", Text(says["mixed"]), written)
    unknown = ~empty & (code == "") & (codes[other] == "")
    add(unknown, "area", Text(says["unknown"]), written)
    first_line = _first_lines(code, raw.lines)
    repeated = (code != "") & code.duplicated(keep="first")
    add(
        repeated,
        "area",
        [Text(says["repeated"], code=c, line=first_line.get(c)) for c in code],
        written,
    )

    value_text = raw.frame[mapping.roles["value"]].astype(str)
    numbers = parse_numbers(value_text)
    add(value_text == "", "value", Text("a number (leave out the rows without one)"), "")
    add(numbers.bad, "value", Text("a number, like 12.5 or 12,5"), value_text)
    unit, unit_problems = _unit(raw, mapping, numbers.units)
    other_unit = Text("a value in {unit}, like the other rows", unit=repr(unit))
    add(unit_problems, "value", other_unit, value_text)

    rejected = np.zeros(len(written), dtype=bool)
    for position, _, _ in found:
        rejected[position] = True
    problems = [p for _, _, p in sorted(found, key=lambda f: f[:2])]
    problems = tuple(sorted((*problems, *raw.problems), key=lambda p: line_key(p.line)))
    keep = ~rejected
    notes = (*raw.notes, Text(says["note"]))
    if not keep.any():
        return UserData(problems=problems, notes=notes)
    frame = pd.DataFrame(
        {
            "line": pd.Series(raw.lines, dtype=object),
            "code": code,
            "written": written,
            "value": numbers.values.astype(float),
        }
    )[keep].reset_index(drop=True)
    label = mapping.roles["value"]
    values = RegionValues(raw.source, level, label, unit, frame, mapping)
    return UserData(values=values, problems=problems, notes=notes)


def _header_problems(raw: RawTable, mapping: ColumnMapping) -> list[Problem]:
    line = header_label(raw)
    problems = [
        Problem(raw.source, line, column, Text("this column (for {role})", role=role))
        for role, column in mapping.roles.items()
        if column not in raw.frame.columns
    ]
    if "area" not in mapping.roles:
        problems.append(
            Problem(raw.source, line, None, Text("a column naming the région or département"))
        )
    if "value" not in mapping.roles:
        problems.append(Problem(raw.source, line, None, Text("a column of values (valeur, value)")))
    return problems


def _match_areas(written: pd.Series, reference: Dataset) -> dict[str, pd.Series]:
    """Per level, the INSEE code each row names ("" when it names none at that level)."""
    tables = area_tables(reference)
    codes = written.str.strip().str.upper()
    first = codes.str.extract(_CODE_FIRST.pattern, expand=False)
    last = codes.str.extract(_CODE_LAST.pattern, expand=False)
    given = first.fillna(last).fillna(codes)
    keys = written.map(area_key)
    result = {}
    for level, index in (
        (REGION, reference.regions.index),
        (DEPARTEMENT, reference.departements.index),
    ):
        padded = given.where(~given.str.fullmatch(r"\d"), "0" + given)
        by_code = padded.where(padded.isin(index), "")
        by_name = keys.map(tables[level]).fillna("")
        result[level] = by_code.where(by_code != "", by_name).astype(str)
    return result


def _decide_level(column: str, codes: dict[str, pd.Series]) -> str:
    """The area column's name if it says ('Département', 'code_reg'), else the rows."""
    words = fold_column(column).split()
    if any(word.startswith("dep") for word in words):
        return DEPARTEMENT
    if any(word.startswith("reg") for word in words):
        return REGION
    region_only = ((codes[REGION] != "") & (codes[DEPARTEMENT] == "")).sum()
    departement_only = ((codes[DEPARTEMENT] != "") & (codes[REGION] == "")).sum()
    return DEPARTEMENT if departement_only > region_only else REGION


def _first_lines(code: pd.Series, lines: tuple) -> dict[str, int | str]:
    first: dict[str, int | str] = {}
    for value, line in zip(code, lines, strict=True):
        if value:
            first.setdefault(value, line)
    return first


def _unit(raw: RawTable, mapping: ColumnMapping, cell_units: pd.Series) -> tuple[str, np.ndarray]:
    """The unit of the values and the rows whose own unit disagrees with it.

    From the unit column when all its rows agree, else from units written in the cells
    ("12 %") when they agree (a cell that differs from the most common one is a problem),
    else from the value column's name ("Valeur (M€)").
    """
    disagree = np.zeros(len(cell_units), dtype=bool)
    if "unit" in mapping.roles:
        column = raw.frame[mapping.roles["unit"]].astype(str).str.strip()
        given = column[column != ""].unique()
        if len(given) == 1:
            unit = str(given[0])
            disagree = ((cell_units != "") & (cell_units != unit)).to_numpy()
            return unit, disagree
        if len(given) > 1:
            return "", disagree
    written = cell_units[cell_units != ""]
    if len(written):
        unit = str(written.value_counts().index[0])
        disagree = ((cell_units != "") & (cell_units != unit)).to_numpy()
        return unit, disagree
    bracket = re.search(r"\(([^)]*)\)\s*$", mapping.roles["value"])
    return (bracket.group(1).strip() if bracket else ""), disagree
