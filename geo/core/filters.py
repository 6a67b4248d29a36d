"""One filter for sites and commitments, shared by the app, the CLI and the exports."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, fields

import pandas as pd

from geo.core import vocabulary as voc

TEXT_FIELDS = ("name", "organisation", "city", "notes", "region_name", "departement_name")
MAX_TEXT_QUERY = 100


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
        """The active constraints in words, e.g. 'Skilling; audience: Job seekers'."""
        names = region_names or {}
        parts = []
        if self.initiatives:
            parts.append(", ".join(voc.INITIATIVES[k] for k in self.initiatives))
        if self.categories:
            parts.append("category: " + ", ".join(voc.CATEGORIES[k] for k in self.categories))
        if self.audiences:
            parts.append("audience: " + ", ".join(voc.AUDIENCES[k] for k in self.audiences))
        if self.programmes:
            parts.append("programme: " + ", ".join(voc.PROGRAMMES[k] for k in self.programmes))
        if self.regions:
            parts.append("region: " + ", ".join(names.get(k, k) for k in self.regions))
        if self.text:
            parts.append(f"text: \u201c{self.text}\u201d")
        return "; ".join(parts) if parts else "All sites"

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
    for column, wanted in (
        ("initiatives", flt.initiatives),
        ("audiences", flt.audiences),
        ("programmes", flt.programmes),
    ):
        if wanted:
            keep &= sites[column].map(lambda values, w=set(wanted): bool(w & set(values)))
    if flt.categories:
        keep &= sites["category"].isin(flt.categories)
    if flt.regions:
        keep &= sites["insee_reg"].isin(flt.regions)
    if flt.text:
        needle = fold(flt.text)
        haystack = sites[list(TEXT_FIELDS)].astype(str).agg(" ".join, axis=1).map(fold)
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


def filter_field_names() -> tuple[str, ...]:
    """Names of the SiteFilter fields, in order."""
    return tuple(f.name for f in fields(SiteFilter))
