"""Controlled vocabularies of the curated data: keys as stored, labels as shown.

Keys are machine identifiers (CSV values, link values, CLI choices) and never change with the
language. Labels are the English msgids, marked with ``N_()`` and translated where they are
shown, in the language current then:

- ``label(CATEGORIES, "data_centre")`` -> "Data centre" / "Centre de données" /
  "Rechenzentrum" (an unknown key comes back as it is: data text is never translated);
- ``labels(INVESTMENT_STATUSES)`` -> the whole vocabulary, key -> translated label, in order
  (widget options, legends);
- ``_(value)`` on any label constant below does the same (``N_`` only marks it).

Programme names that are proper names ("À vous l'IA", "GenIAles") are not marked: they read
the same in every language.
"""

from __future__ import annotations

from collections.abc import Mapping

from geo.i18n import N_, _

INITIATIVES: dict[str, str] = {
    "infrastructure": N_("Infrastructure"),
    "skilling": N_("Skilling"),
    "startups": N_("Startups"),
    "sustainability": N_("Sustainability"),
}

CATEGORIES: dict[str, str] = {
    "data_centre": N_("Data centre"),
    "microsoft_office": N_("Microsoft office"),
    "higher_education": N_("Higher-education partner"),
    "training_partner": N_("Training partner"),
    "inclusion_partner": N_("Inclusion partner"),
    "public_partner": N_("Public partner"),
    "startup_hub": N_("Startup hub"),
    "event_venue": N_("Announcement venue"),
}

# Categories that count as partner institutions in the per-region metrics.
PARTNER_CATEGORIES: frozenset[str] = frozenset(
    {"higher_education", "training_partner", "inclusion_partner", "public_partner", "startup_hub"}
)

PROGRAMMES: dict[str, str] = {
    "cloud-ai-infrastructure": N_("Cloud & AI infrastructure expansion"),
    "a-vous-lia": "À vous l'IA",
    "genai-studio": "Microsoft GenAI Studio",
    "ai-schools": "Microsoft AI Schools by Simplon",
    "geniales": "GenIAles",
    "simplon-genai-module": N_("Simplon generative-AI developer module"),
    "higher-education": N_("Higher-education partnerships"),
    "training-partners": N_("Professional-training partners"),
}

AUDIENCES: dict[str, str] = {
    "job_seekers": N_("Job seekers"),
    "students": N_("Students"),
    "women": N_("Women"),
    "developers": N_("Developers"),
    "professionals": N_("Professionals"),
    "smbs": N_("SMBs"),
    "startups": N_("Startups"),
}

# Precision of a site's coordinate, from sharpest to vaguest; words shown in popups.
PRECISIONS: dict[str, str] = {
    "exact_site": N_("exact site"),
    "campus": N_("campus"),
    "commune": N_("commune"),
    "city_centre": N_("city centre"),
    "region_only": N_("region only"),
    "not_located": N_("not located"),
}

PRECISION_EXPLAINED: dict[str, str] = {
    "exact_site": N_("location: exact site (building with a known address)"),
    "campus": N_("location: campus (approximate)"),
    "commune": N_("location: commune only - the exact site is not disclosed"),
    "city_centre": N_("location: city centre only - the exact site is not disclosed"),
    "region_only": N_("location: region only - the point is a placeholder, not a building"),
    "not_located": N_("location: not known - not shown on the map"),
}

STATUSES: dict[str, str] = {
    "operating": N_("Operating"),
    "planned": N_("Planned"),
    "partner": N_("Partner"),
    "reported": N_("As last reported (current status unconfirmed)"),
    "event": N_("Event (13 May 2024)"),
}

PILLARS: dict[str, str] = {"overall": N_("Overall"), **INITIATIVES}

COMMITMENT_KINDS: dict[str, str] = {
    "pledge": N_("Pledge"),
    "press_figure": N_("Figure reported by the press"),
    "progress": N_("Progress report"),
}

STATED_BY: dict[str, str] = {"microsoft": "Microsoft", "press": N_("Press only")}

CONFIDENCES: tuple[str, ...] = ("confirmed", "unconfirmed", "press-reported", "sources differ")
# The confidences as shown (the keys are the data's English words).
CONFIDENCE_LABELS: dict[str, str] = {
    "confirmed": N_("confirmed"),
    "unconfirmed": N_("unconfirmed"),
    "press-reported": N_("press-reported"),
    "sources differ": N_("sources differ"),
}

NOT_DISCLOSED = N_("not disclosed")

# How a site's point was obtained (sites.csv, coord_source); empty only for not_located rows.
COORD_SOURCES: dict[str, str] = {
    "geocoded": N_("geocoded from an address"),
    "public_record": N_("published coordinate of the place"),
    "commune_reference": N_("reference point of the commune"),
    "estimate": N_("placed by hand from a description"),
}

# Coordinate sources that can back a point promising a building or a campus.
ADDRESS_SOURCES: tuple[str, ...] = ("geocoded", "public_record")

EVENT_KINDS: dict[str, str] = {
    "announcement": N_("Announcement"),
    "meeting": N_("Meeting"),
    "site_search": N_("Site search"),
    "planning": N_("Planning procedure"),
    "permit": N_("Building permit"),
    "opening": N_("Opening"),
    "progress": N_("Progress report"),
    "report": N_("Report or study"),
    "opposition": N_("Opposition"),
    "decision": N_("Decision"),
}

DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year")

# The investment landscape (investments.csv): every announced AI or data-centre investment.
INVESTMENT_STATUSES: dict[str, str] = {
    "announced": N_("Announced"),
    "permit_filed": N_("Permit filed"),
    "under_construction": N_("Under construction"),
    "operating": N_("Operating"),
    "abandoned": N_("Abandoned"),
}

# Summits where investments were announced; a row without one has an empty event.
INVESTMENT_EVENTS: dict[str, str] = {
    "choose-france-2024": N_("Choose France 2024 (13 May 2024)"),
    "ai-action-summit-2025": N_("AI Action Summit (February 2025)"),
    "choose-france-2025": N_("Choose France 2025 (19 May 2025)"),
    "choose-france-edition-france-2025": N_("Choose France, édition France (November 2025)"),
    "choose-france-2026": N_("Choose France 2026"),
}
NO_EVENT = "none"  # filter key for rows announced outside a summit
NO_EVENT_LABEL = N_("Outside a summit")

# Who gave an investment's amount.
STATED_BY_INVESTMENT: dict[str, str] = {
    "investor": N_("the investor"),
    "government": N_("the government"),
    "press": N_("the press only"),
}

AMOUNT_QUALIFIERS: tuple[str, ...] = ("up to", "more than", "about")
# The qualifiers as shown (the keys are the data's English words).
AMOUNT_QUALIFIER_LABELS: dict[str, str] = {
    "up to": N_("up to"),
    "more than": N_("more than"),
    "about": N_("about"),
}
CURRENCIES: tuple[str, ...] = ("EUR", "USD")

# The mission's focus: its rows are highlighted wherever investments are listed.
FOCUS_INVESTOR = "Microsoft"


def label(vocabulary: Mapping[str, str], key: str) -> str:
    """The label of ``key`` in ``vocabulary``, in the current language (``key`` itself when
    the vocabulary does not hold it)."""
    value = vocabulary.get(key)
    return key if value is None else _(value)


def labels(vocabulary: Mapping[str, str]) -> dict[str, str]:
    """Every key of ``vocabulary`` with its label in the current language, in order."""
    return {key: _(value) for key, value in vocabulary.items()}
