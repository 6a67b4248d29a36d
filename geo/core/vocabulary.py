"""Controlled vocabularies of the curated data: keys as stored, labels as shown."""

from __future__ import annotations

INITIATIVES: dict[str, str] = {
    "infrastructure": "Infrastructure",
    "skilling": "Skilling",
    "startups": "Startups",
    "sustainability": "Sustainability",
}

CATEGORIES: dict[str, str] = {
    "data_centre": "Data centre",
    "microsoft_office": "Microsoft office",
    "higher_education": "Higher-education partner",
    "training_partner": "Training partner",
    "inclusion_partner": "Inclusion partner",
    "public_partner": "Public partner",
    "startup_hub": "Startup hub",
    "event_venue": "Announcement venue",
}

# Categories that count as partner institutions in the per-region metrics.
PARTNER_CATEGORIES: frozenset[str] = frozenset(
    {"higher_education", "training_partner", "inclusion_partner", "public_partner", "startup_hub"}
)

PROGRAMMES: dict[str, str] = {
    "cloud-ai-infrastructure": "Cloud & AI infrastructure expansion",
    "a-vous-lia": "À vous l'IA",
    "genai-studio": "Microsoft GenAI Studio",
    "ai-schools": "Microsoft AI Schools by Simplon",
    "geniales": "GenIAles",
    "simplon-genai-module": "Simplon generative-AI developer module",
    "higher-education": "Higher-education partnerships",
    "training-partners": "Professional-training partners",
}

AUDIENCES: dict[str, str] = {
    "job_seekers": "Job seekers",
    "students": "Students",
    "women": "Women",
    "developers": "Developers",
    "professionals": "Professionals",
    "smbs": "SMBs",
    "startups": "Startups",
}

# Precision of a site's coordinate, from sharpest to vaguest; words shown in popups.
PRECISIONS: dict[str, str] = {
    "exact_site": "exact site",
    "campus": "campus",
    "commune": "commune",
    "city_centre": "city centre",
    "region_only": "region only",
    "not_located": "not located",
}

PRECISION_EXPLAINED: dict[str, str] = {
    "exact_site": "location: exact site (building with a known address)",
    "campus": "location: campus (approximate)",
    "commune": "location: commune only - the exact site is not disclosed",
    "city_centre": "location: city centre only - the exact site is not disclosed",
    "region_only": "location: region only - the point is a placeholder, not a building",
    "not_located": "location: not known - not shown on the map",
}

STATUSES: dict[str, str] = {
    "operating": "Operating",
    "planned": "Planned",
    "partner": "Partner",
    "reported": "As last reported (current status unconfirmed)",
    "event": "Event (13 May 2024)",
}

PILLARS: dict[str, str] = {"overall": "Overall", **INITIATIVES}

COMMITMENT_KINDS: dict[str, str] = {
    "pledge": "Pledge",
    "press_figure": "Figure reported by the press",
    "progress": "Progress report",
}

STATED_BY: dict[str, str] = {"microsoft": "Microsoft", "press": "Press only"}

CONFIDENCES: tuple[str, ...] = ("confirmed", "unconfirmed", "press-reported", "sources differ")

NOT_DISCLOSED = "not disclosed"

# How a site's point was obtained (sites.csv, coord_source); empty only for not_located rows.
COORD_SOURCES: dict[str, str] = {
    "geocoded": "geocoded from an address",
    "public_record": "published coordinate of the place",
    "commune_reference": "reference point of the commune",
    "estimate": "placed by hand from a description",
}

# Coordinate sources that can back a point promising a building or a campus.
ADDRESS_SOURCES: tuple[str, ...] = ("geocoded", "public_record")

EVENT_KINDS: dict[str, str] = {
    "announcement": "Announcement",
    "meeting": "Meeting",
    "site_search": "Site search",
    "planning": "Planning procedure",
    "permit": "Building permit",
    "opening": "Opening",
    "progress": "Progress report",
    "report": "Report or study",
    "opposition": "Opposition",
    "decision": "Decision",
}

DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year")

# The investment landscape (investments.csv): every announced AI or data-centre investment.
INVESTMENT_STATUSES: dict[str, str] = {
    "announced": "Announced",
    "permit_filed": "Permit filed",
    "under_construction": "Under construction",
    "operating": "Operating",
    "abandoned": "Abandoned",
}

# Summits where investments were announced; a row without one has an empty event.
INVESTMENT_EVENTS: dict[str, str] = {
    "choose-france-2024": "Choose France 2024 (13 May 2024)",
    "ai-action-summit-2025": "AI Action Summit (February 2025)",
    "choose-france-2025": "Choose France 2025 (19 May 2025)",
    "choose-france-edition-france-2025": "Choose France, édition France (November 2025)",
    "choose-france-2026": "Choose France 2026",
}
NO_EVENT = "none"  # filter key for rows announced outside a summit
NO_EVENT_LABEL = "Outside a summit"

# Who gave an investment's amount.
STATED_BY_INVESTMENT: dict[str, str] = {
    "investor": "the investor",
    "government": "the government",
    "press": "the press only",
}

AMOUNT_QUALIFIERS: tuple[str, ...] = ("up to", "more than", "about")
CURRENCIES: tuple[str, ...] = ("EUR", "USD")

# The mission's focus: its rows are highlighted wherever investments are listed.
FOCUS_INVESTOR = "Microsoft"
