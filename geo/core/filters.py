"""One filter for sites and commitments, shared by the app, the CLI and the exports."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from geo.core import vocabulary as voc
from geo.i18n import N_, _, pgettext

# Site columns that hold a tuple of keys (any overlap matches) rather than one key.
LIST_COLUMNS = frozenset({"initiatives", "audiences", "programmes"})
# The search reads the place names in French and English, whatever the language shown.
TEXT_FIELDS = (
    "name",
    "organisation",
    "city",
    "notes",
    "region_name",
    "departement_name",
    "region_name_en",
    "departement_name_en",
)
MAX_TEXT_QUERY = 100


@dataclass(frozen=True)
class FilterField:
    """One list-valued filter: the one table the sidebar, the link, the CLI and the filter read.

    ``vocabulary`` is None for regions, whose codes come from the loaded boundaries.
    ``label``, ``placeholder`` and ``describe_prefix`` are English msgids: show them with
    ``i18n._()`` (or the ``shown_*`` methods).
    """

    attr: str  # SiteFilter field and widget key
    column: str  # sites column it tests
    query_key: str  # link parameter, repeatable (?initiative=a&initiative=b)
    label: str  # sidebar label
    placeholder: str  # sidebar text when nothing is chosen
    describe_prefix: str  # how describe() names it ("" lists the values bare)
    metavar: str  # CLI option value name; the option is --<query_key>
    vocabulary: Mapping[str, str] | None

    def shown_label(self) -> str:
        """The sidebar label in the current language."""
        return _(self.label)

    def shown_placeholder(self) -> str:
        """The 'nothing chosen' text in the current language."""
        return _(self.placeholder)


FILTER_FIELDS: tuple[FilterField, ...] = (
    FilterField(
        "initiatives", "initiatives", "initiative", N_("Initiative type"), N_("All initiatives"),
        "", "TYPE", voc.INITIATIVES,
    ),
    FilterField(
        "categories", "category", "category", N_("Category"), N_("All categories"),
        N_("category"), "CAT", voc.CATEGORIES,
    ),
    FilterField(
        "audiences", "audiences", "audience", N_("Audience"), N_("All audiences"),
        N_("audience"), "A", voc.AUDIENCES,
    ),
    FilterField(
        "programmes", "programmes", "programme", N_("Programme"), N_("All programmes"),
        N_("programme"), "P", voc.PROGRAMMES,
    ),
    FilterField(
        "regions", "insee_reg", "region", N_("Region"), N_("All regions"), N_("region"),
        "CODE", None,
    ),
)  # fmt: skip


@dataclass(frozen=True)
class SiteFilter:
    """What to keep; an empty tuple means no constraint on that field."""

    initiatives: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    text: str = ""

    def is_empty(self) -> bool:
        """True when the filter keeps everything."""
        return self == SiteFilter()

    def describe(self, region_names: dict[str, str] | None = None) -> str:
        """The active constraints in words, in the current language, e.g. 'Skilling;
        audience: Job seekers' ('Formation ; public : Demandeurs d'emploi').

        ``region_names`` maps codes to the names to show (``i18n.place_name_column()``).
        """
        names = region_names or {}
        parts = []
        for field in FILTER_FIELDS:
            keys = getattr(self, field.attr)
            if not keys:
                continue
            if field.vocabulary is not None:
                listed = ", ".join(voc.label(field.vocabulary, k) for k in keys)
            else:
                listed = ", ".join(names.get(k, k) for k in keys)
            if field.describe_prefix:
                listed = _("{field}: {values}").format(
                    field=_(field.describe_prefix), values=listed
                )
            parts.append(listed)
        if self.text:
            parts.append(_("text: \u201c{text}\u201d").format(text=self.text))
        return pgettext("list", "; ").join(parts) if parts else _("All sites")

    def slug(self) -> str:
        """A short file-name-safe summary, e.g. 'skilling' or 'all'."""
        if self.is_empty():
            return "all"
        if self.initiatives and self == SiteFilter(initiatives=self.initiatives):
            return "-".join(self.initiatives)
        return "filtered"


def filter_sites(sites: pd.DataFrame, flt: SiteFilter) -> pd.DataFrame:
    """Rows of ``sites`` (as joined by assign_regions) that match every constraint."""
    keep = pd.Series(True, index=sites.index)
    for field in FILTER_FIELDS:
        wanted = getattr(flt, field.attr)
        if not wanted:
            continue
        if field.column in LIST_COLUMNS:
            keep &= sites[field.column].map(lambda values, w=set(wanted): bool(w & set(values)))
        else:
            keep &= sites[field.column].isin(wanted)
    if flt.text:
        needle = fold(flt.text)
        columns = [c for c in TEXT_FIELDS if c in sites.columns]
        haystack = sites[columns].astype(str).agg(" ".join, axis=1).map(fold)
        keep &= haystack.str.contains(needle, regex=False)
    return sites[keep]


def filter_commitments(commitments: pd.DataFrame, flt: SiteFilter) -> pd.DataFrame:
    """Commitments of the selected pillars (overall ones always) and regions (national kept)."""
    keep = pd.Series(True, index=commitments.index)
    if flt.initiatives:
        keep &= commitments["pillar"].isin(("overall", *flt.initiatives))
    if flt.regions:
        keep &= ~commitments["scope"].str.isdigit() | commitments["scope"].isin(flt.regions)
    return commitments[keep]


def fold(value: str) -> str:
    """Lower-case and strip accents so 'begles' searches match 'Bègles'."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
