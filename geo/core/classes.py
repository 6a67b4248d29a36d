"""Choropleth classes of one metric: bounds, colours and legend labels (zero is its own class).

Labels are worded when the classes are computed, in the current language (geo.i18n):
"1–3", "EUR 1 bn–EUR 4 bn" / "1 Md €–4 Md €"; the "none" class when the legend is read.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from geo.i18n import _, pgettext
from geo.style import CLASS_COLOURS, MAX_CLASSES, NO_DATA_COLOUR, NONE_COLOUR, format_value


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
        none = pgettext("legend class", "None")
        return [(NONE_COLOUR, none), *zip(self.colours, self.labels, strict=True)]


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


def _range_label(low: float, high: float, unit: str) -> str:
    if low == high:
        return format_value(high, unit)
    return _("{low}\u2013{high}").format(low=format_value(low, unit), high=format_value(high, unit))
