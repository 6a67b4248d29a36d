"""Text beside the map: headline cards, counts, the region panel and tables, in words.

Plain pandas and strings, no folium and no streamlit: the app shows these as they are, and
the map's tooltips and popups use the same value wording and link rules.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from geo import style
from geo.core import vocabulary as voc
from geo.core.regions import METRICS, Metric
from geo.core.view import ViewData

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class HeadlineCard:
    """One headline commitment as shown above the map."""

    id: str
    pillar: str
    figure: str
    label: str
    deadline: str
    sources: tuple[tuple[str, str], ...]  # (label, url)


@dataclass(frozen=True)
class RegionPanel:
    """What the region panel shows for one region under the current filter."""

    code: str
    name: str
    values: tuple[tuple[str, str], ...]  # (metric label, value in words)
    sites_by_initiative: dict[str, pd.DataFrame]  # initiative label -> sites table
    commitments: pd.DataFrame


def headline_cards(commitments: pd.DataFrame) -> list[HeadlineCard]:
    """The headline commitments (headline == True), in pillar order, ready to show."""
    cards = []
    order = {pillar: i for i, pillar in enumerate(voc.PILLARS)}
    headline = commitments[commitments["headline"]].sort_values(
        "pillar", key=lambda pillars: pillars.map(order), kind="stable"
    )
    for _, row in headline.iterrows():
        cards.append(
            HeadlineCard(
                id=row["id"],
                pillar=voc.PILLARS.get(row["pillar"], row["pillar"]),
                figure=format_figure(row),
                label=row["label"],
                deadline=format_deadline(row["deadline"]),
                sources=tuple((source_label(u), u) for u in row["source_urls"] if is_web_url(u)),
            )
        )
    return cards


def format_figure(row: Mapping[str, Any]) -> str:
    """'EUR 4 bn', 'up to 25,000 GPUs', '1 million people', 'more than 2,500 startups'."""
    value, unit = row["value"], row["unit"]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return voc.NOT_DISCLOSED
    if unit == "EUR":
        text = style.format_value(value, "EUR")
    elif value >= 1e6 and value % 1e5 == 0:
        text = f"{value / 1e6:g} million {unit}".strip()
    else:
        text = f"{style.format_value(value)} {unit}".strip()
    maximum = row.get("value_max")
    if maximum is not None and not (isinstance(maximum, float) and math.isnan(maximum)):
        text = text.replace(
            style.format_value(value),
            f"{style.format_value(value)}\u2013{style.format_value(maximum)}",
            1,
        )
    qualifier = row.get("qualifier") or ""
    return f"{qualifier} {text}".strip()


def format_deadline(deadline: str) -> str:
    """'2025-12-31' -> 'by end of 2025'; '2027' -> 'by 2027'; '' -> 'no deadline stated'."""
    if not deadline:
        return "no deadline stated"
    if len(deadline) == 4:
        return f"by {deadline}"
    year, month, day = deadline.split("-")
    if (month, day) == ("12", "31"):
        return f"by end of {year}"
    return f"by {int(day)} {MONTHS[int(month) - 1]} {year}"


def view_counts(view: ViewData) -> dict[str, int]:
    """The counts shown for the current filter."""
    return {
        "Sites on the map": len(view.sites),
        "Regions covered": view.regions_covered,
        "Partners without a mapped location": len(view.unlocated),
    }


def region_panel(view: ViewData, code: str) -> RegionPanel:
    """The region's sites (grouped by initiative), its commitments and its metric values."""
    row = view.metrics.loc[code]
    values = [(m.label, format_metric_value(_number(row[m.key]), m)) for m in METRICS.values()]
    if not math.isnan(row["disclosed_eur"]):
        values.append(("Basis of the amount", row["disclosed_eur_basis"]))
    sites = view.sites[view.sites["insee_reg"] == code]
    groups = {}
    for key, label in voc.INITIATIVES.items():
        members = sites[sites["initiatives"].map(lambda values, k=key: k in values)]
        if len(members):
            groups[label] = site_table(members)[["Name", "City", "Category", "Status"]]
    commitments = view.commitments[view.commitments["scope"] == code]
    return RegionPanel(code, row["name_fr"], tuple(values), groups, commitment_table(commitments))


def site_table(sites: pd.DataFrame) -> pd.DataFrame:
    """The sites as a table for people: labels instead of keys, one main source link."""
    return pd.DataFrame(
        {
            "Name": sites["name"],
            "Organisation": sites["organisation"],
            "Category": sites["category"].map(voc.CATEGORIES),
            "Initiatives": sites["initiatives"].map(lambda v: _join(v, voc.INITIATIVES)),
            "Programmes": sites["programmes"].map(lambda v: _join(v, voc.PROGRAMMES)),
            "Audiences": sites["audiences"].map(lambda v: _join(v, voc.AUDIENCES)),
            "City": sites["city"],
            "Region": sites["region_name"],
            "Status": sites["status"].map(voc.STATUSES),
            "Location": sites["precision"].map(voc.PRECISIONS),
            "Source": sites["source_urls"].map(_first_web_url),
            "More sources": sites["source_urls"].map(lambda u: max(len(u) - 1, 0)),
        },
        index=sites.index,
    )


def unlocated_table(unlocated: pd.DataFrame) -> pd.DataFrame:
    """Partners without a mapped location, with why (notes) and a source link."""
    return pd.DataFrame(
        {
            "Name": unlocated["name"],
            "Organisation": unlocated["organisation"],
            "Category": unlocated["category"].map(voc.CATEGORIES),
            "Programmes": unlocated["programmes"].map(lambda v: _join(v, voc.PROGRAMMES)),
            "Notes": unlocated["notes"],
            "Source": unlocated["source_urls"].map(_first_web_url),
        },
        index=unlocated.index,
    )


def commitment_table(commitments: pd.DataFrame) -> pd.DataFrame:
    """Commitments for people: figure in words, deadline, who states it, one source link."""
    return pd.DataFrame(
        {
            "Commitment": commitments["label"],
            "Figure": [format_figure(row) for _, row in commitments.iterrows()],
            "Deadline": commitments["deadline"].map(format_deadline),
            "Stated by": commitments["stated_by"].map(voc.STATED_BY),
            "Confidence": commitments["confidence"],
            "Source": commitments["source_urls"].map(_first_web_url),
        },
        index=commitments.index,
    )


def format_metric_value(value: float | None, metric: Metric) -> str:
    """A region value in words: 'not disclosed', 'EUR 2 bn', '1 site', '3.5 sites per million'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return voc.NOT_DISCLOSED
    if metric.unit == "EUR":
        return style.format_value(value, "EUR")
    unit = metric.unit
    if value == 1 and " " not in unit and unit.endswith("s"):
        unit = unit[:-1]
    return f"{style.format_value(value, metric.unit)} {unit}"


def is_web_url(url: object) -> bool:
    """True for an absolute http(s) URL: the only kind that becomes a link."""
    if not isinstance(url, str):
        return False
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def source_label(url: str) -> str:
    """A short label for a source link: its host without 'www.'."""
    host = urlsplit(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def _number(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _join(keys: Sequence[str], vocabulary: Mapping[str, str]) -> str:
    return ", ".join(vocabulary.get(k, k) for k in keys)


def _first_web_url(urls: Sequence[str]) -> str | None:
    return next((u for u in urls if is_web_url(u)), None)
