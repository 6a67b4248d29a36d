"""Which column of a reader's file holds what: column names recognised in French, English and
German."""

from __future__ import annotations

import re
from collections.abc import Sequence

from geo.core.filters import fold
from geo.core.userdata.model import ROLES, SITES, VALUES, ColumnMapping

# Role -> the names a column playing it goes by, folded (see fold_column). Order matters
# twice: roles are given columns in this order, and within a role the first name wins.
# French and English names first, then German ones ("Länge" folds to "lange").
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    SITES: {
        "name": (
            "nom",
            "name",
            "libelle",
            "intitule",
            "nom du site",
            "site",
            "title",
            "titre",
            "bezeichnung",
            "titel",
        ),
        "lat": ("latitude", "lat", "y", "wgs84 lat", "coord lat", "breite", "breitengrad"),
        "lon": (
            "longitude",
            "lon",
            "lng",
            "long",
            "x",
            "wgs84 lon",
            "coord lon",
            "lange",
            "laenge",
            "langengrad",
            "laengengrad",
        ),
        "insee_commune": (
            "code insee",
            "insee",
            "code commune",
            "commune code",
            "code insee commune",
            "insee commune",
            "code commune insee",
            "codgeo",
            "cog",
            "citycode",
            "insee code",
            "municipality code",
            "gemeindecode",
            "gemeindeschlussel",
        ),
        "category": ("categorie", "category", "type", "kind", "famille", "kategorie", "typ", "art"),
        "initiative": ("initiative", "programme", "program", "dispositif", "programm"),
        "amount": (
            "montant",
            "amount",
            "investissement",
            "investment",
            "budget",
            "betrag",
            "investition",
            "summe",
        ),
        "date": ("date", "annee", "year", "day", "jour", "datum", "jahr"),
        "url": (
            "url",
            "source",
            "lien",
            "link",
            "site web",
            "website",
            "web",
            "quelle",
            "webseite",
            "internetseite",
        ),
    },
    VALUES: {
        "area": (
            "region",
            "departement",
            "code",
            "nom",
            "name",
            "code region",
            "code departement",
            "code insee",
            "insee",
            "territoire",
            "area",
            "zone",
            "libelle",
            "dep",
            "reg",
            "gebiet",
        ),
        "value": (
            "valeur",
            "value",
            "montant",
            "amount",
            "nombre",
            "count",
            "total",
            "nb",
            "effectif",
            "taux",
            "rate",
            "wert",
            "anzahl",
            "betrag",
            "summe",
            "quote",
        ),
        "unit": ("unite", "unit", "units", "unites", "einheit"),
    },
}
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold_column(name: str) -> str:
    """A column name for matching: no case, accents, punctuation; words split by one space."""
    return " ".join(_NOT_WORD.sub(" ", fold(name)).split())


def guess_mapping(columns: Sequence[str], kind: str) -> ColumnMapping:
    """Give each role of ``kind`` the column whose name is one of its aliases, if any.

    A name matches exactly (after folding), then without its brackets ('Latitude (WGS84)'),
    then by its first words ('Montant en euros'); each column plays one role at most.
    """
    if kind not in ROLES:
        raise ValueError(f"kind must be one of {', '.join(ROLES)}, got {kind!r}")
    folded = {column: fold_column(column) for column in columns}
    bare = {column: fold_column(_PARENTHESES.sub(" ", column)) for column in columns}
    roles: dict[str, str] = {}
    for matches in (_exact, _bare, _prefix):
        for role, aliases in ALIASES[kind].items():
            if role in roles:
                continue
            taken = set(roles.values())
            for alias in aliases:
                found = next(
                    (c for c in columns if c not in taken and matches(folded[c], bare[c], alias)),
                    None,
                )
                if found is not None:
                    roles[role] = found
                    break
    ordered = {role: roles[role] for role in ROLES[kind] if role in roles}
    return ColumnMapping(kind, ordered)


def _exact(folded: str, bare: str, alias: str) -> bool:
    return folded == alias


def _bare(folded: str, bare: str, alias: str) -> bool:
    return bare == alias


def _prefix(folded: str, bare: str, alias: str) -> bool:
    return len(alias) > 2 and bare.startswith(alias + " ")
