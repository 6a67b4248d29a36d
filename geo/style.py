"""Colours and marker styles shared by the web map and the report images (above geo.i18n only)."""

from __future__ import annotations

from collections.abc import Sequence

from geo import i18n

# Okabe-Ito hues: distinguishable with the common colour-vision deficiencies.
INITIATIVE_COLOURS: dict[str, str] = {
    "infrastructure": "#0072B2",
    "skilling": "#D55E00",
    "startups": "#CC79A7",
    "sustainability": "#009E73",
}
SEVERAL_INITIATIVES_COLOUR = "#333333"
SEVERAL_INITIATIVES_LABEL = i18n.N_("Several initiatives")  # shown with i18n._()

# Marker shape per category; the outlines are in geo.core.symbols.
CATEGORY_SHAPES: dict[str, str] = {
    "data_centre": "square",
    "microsoft_office": "diamond",
    "higher_education": "circle",
    "training_partner": "triangle_down",
    "inclusion_partner": "triangle",
    "public_partner": "pentagon",
    "startup_hub": "star",
    "event_venue": "hexagon",
}

# How the coordinate's precision is drawn: solid = a known building or campus; approximate =
# a town or commune (lighter fill); hollow = a region-only placeholder (dashed, no fill).
PRECISION_DRAWING: dict[str, str] = {
    "exact_site": "solid",
    "campus": "solid",
    "commune": "approximate",
    "city_centre": "approximate",
    "region_only": "hollow",
}
DRAWING_LABELS: dict[str, str] = {
    "solid": i18n.N_("Exact site or campus"),
    "approximate": i18n.N_("Town or commune only (approximate)"),
    "hollow": i18n.N_("Region only (placeholder, not a building)"),
}  # English msgids: shown with i18n._()
APPROXIMATE_FILL_OPACITY = 0.45
# Legend symbols that explain a shape or a drawing, not a colour.
NEUTRAL_SYMBOL_COLOUR = "#4d4d4d"

# Sequential slate ramp for the choropleth (lightness falls monotonically, so the order reads
# in greyscale and for colour-blind readers); regions with zero get their own "none" colour.
NONE_COLOUR = "#f2f1ec"
CLASS_COLOURS: tuple[str, ...] = ("#bfd0dd", "#91adc4", "#6189aa", "#3a6389", "#1b3d5e")
NO_DATA_COLOUR = "#ffffff"
BOUNDARY_COLOUR = "#6b6b6b"
COUNTRY_FILL = "#e9e9e6"
COUNTRY_EDGE = "#b5b5b0"
SEA_COLOUR = "#edf3f7"
MAX_CLASSES = 5

# Announced investments by status: hues of Paul Tol's colour-blind-safe schemes that the
# initiative colours (Okabe-Ito blue, vermillion, pink, green) do not use, so an investment
# circle is not read as a site. Microsoft's rows, the map's focus, get a dark outline.
INVESTMENT_STATUS_COLOURS: dict[str, str] = {
    "announced": "#DDAA33",
    "permit_filed": "#33BBEE",
    "under_construction": "#AA4499",
    "operating": "#332288",
    "abandoned": "#BBBBBB",
}
INVESTMENT_OTHER_COLOUR = "#8c8c8c"
FOCUS_EDGE = "#1a1a1a"


def format_value(value: float, unit: str = "") -> str:
    """Human figure in the current language (geo.i18n): 2e9 EUR -> 'EUR 2 bn' / '2 Md €';
    3.0 -> '3'; 1.25 -> '1.25' / '1,25'; 25000 -> '25,000' / '25 000' / '25.000'."""
    if unit in ("EUR", "USD"):
        return i18n.format_currency(value, unit)
    return i18n.format_number(value)


def marker_colour(initiatives: Sequence[str]) -> str:
    """Fill colour of a site: its initiative's colour, or dark grey when it has several."""
    return (
        INITIATIVE_COLOURS[initiatives[0]] if len(initiatives) == 1 else SEVERAL_INITIATIVES_COLOUR
    )
