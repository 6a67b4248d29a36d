"""Colours, marker symbols and choropleth classes shared by the web map and the report images."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Okabe-Ito hues: distinguishable with the common colour-vision deficiencies.
INITIATIVE_COLOURS: dict[str, str] = {
    "infrastructure": "#0072B2",
    "skilling": "#D55E00",
    "startups": "#CC79A7",
    "sustainability": "#009E73",
}
SEVERAL_INITIATIVES_COLOUR = "#333333"
SEVERAL_INITIATIVES_LABEL = "Several initiatives"

# Marker shape per category; each shape has a matplotlib marker and an SVG drawing in mapping.
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
MATPLOTLIB_MARKERS: dict[str, str] = {
    "square": "s",
    "diamond": "D",
    "circle": "o",
    "triangle_down": "v",
    "triangle": "^",
    "pentagon": "p",
    "star": "*",
    "hexagon": "h",
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
    "solid": "Exact site or campus",
    "approximate": "Town or commune only (approximate)",
    "hollow": "Region only (placeholder, not a building)",
}
APPROXIMATE_FILL_OPACITY = 0.45

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


@dataclass(frozen=True)
class Classes:
    """Choropleth classes: upper bounds, colours and legend labels (zero is its own class)."""

    bounds: tuple[float, ...]
    colours: tuple[str, ...]
    labels: tuple[str, ...]

    def colour_of(self, value: float | None) -> str:
        """Fill colour for one region value."""
        if value is None or np.isnan(value):
            return NO_DATA_COLOUR
        if value == 0:
            return NONE_COLOUR
        for bound, colour in zip(self.bounds, self.colours, strict=True):
            if value <= bound:
                return colour
        return self.colours[-1]

    def legend(self) -> list[tuple[str, str]]:
        """(colour, label) pairs, the 'none' class first."""
        return [(NONE_COLOUR, "None"), *zip(self.colours, self.labels, strict=True)]


def classify(values: Sequence[float], unit: str = "") -> Classes:
    """Classes for few values: Fisher-Jenks on the non-zero values, k = min(5, distinct values)."""
    data = np.asarray([v for v in values if v is not None and not np.isnan(v) and v > 0], float)
    distinct = np.unique(data)
    if len(distinct) == 0:
        return Classes((), (), ())
    k = min(MAX_CLASSES, len(distinct))
    if k == len(distinct):
        bounds = tuple(float(v) for v in distinct)
    else:
        bounds = tuple(float(b) for b in _fisher_jenks(data, k))
    lows = (float(distinct[0]), *(_next_above(data, b) for b in bounds[:-1]))
    labels = tuple(_range_label(lo, hi, unit) for lo, hi in zip(lows, bounds, strict=True))
    return Classes(bounds, _ramp(len(bounds)), labels)


def _fisher_jenks(data: np.ndarray, k: int) -> np.ndarray:
    """Fisher-Jenks upper bounds (mapclassify; its 'no numba' speed warning is irrelevant here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        import mapclassify

        return mapclassify.FisherJenks(data, k=k).bins


def _next_above(data: np.ndarray, bound: float) -> float:
    above = data[data > bound]
    return float(above.min()) if len(above) else bound


def _ramp(k: int) -> tuple[str, ...]:
    """k colours spread over the ramp so few classes still span light to dark."""
    if k == 1:
        return (CLASS_COLOURS[2],)
    idx = np.round(np.linspace(0, len(CLASS_COLOURS) - 1, k)).astype(int)
    return tuple(CLASS_COLOURS[i] for i in idx)


def format_value(value: float, unit: str = "") -> str:
    """Human figure: 2,000,000,000 EUR -> 'EUR 2 bn'; 3.0 -> '3'; 1.25 -> '1.25'."""
    if unit == "EUR":
        if value >= 1e9:
            return f"EUR {value / 1e9:g} bn"
        if value >= 1e6:
            return f"EUR {value / 1e6:g} m"
        return f"EUR {value:,.0f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _range_label(low: float, high: float, unit: str) -> str:
    if low == high:
        return format_value(high, unit)
    return f"{format_value(low, unit)}\u2013{format_value(high, unit)}"


def marker_colour(initiatives: Sequence[str]) -> str:
    """Fill colour of a site: its initiative's colour, or dark grey when it has several."""
    return (
        INITIATIVE_COLOURS[initiatives[0]] if len(initiatives) == 1 else SEVERAL_INITIATIVES_COLOUR
    )
