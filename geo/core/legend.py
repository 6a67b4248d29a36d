"""The legend of one view, computed once: the web map and the report only draw these entries.

Titles and labels are in the language current when the legend is built (geo.i18n).

Sections: the choropleth (classes of the chosen metric) and, when sites are drawn, what the
marker colour, shape and drawing mean. Each lists only what the map shows, in vocabulary
order, so the two renderers cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from geo import style
from geo.core import vocabulary as voc
from geo.core.regions import USER_SITES, USER_VALUES, Metric
from geo.core.userdata.view import UserView
from geo.core.view import ViewData
from geo.i18n import N_, _, format_number, ngettext

SWATCH, MARKER = "swatch", "marker"
# English msgids, translated when a legend is built (each call gives the current language).
NONE_LABEL = "None"  # the zero class (English); Classes.legend() gives it translated
NOT_DISCLOSED_LABEL = N_("Not disclosed")
NO_VALUE_LABEL = N_("No value")  # an area the reader's file gives no figure for
USER_METRIC_KEYS = (USER_SITES, USER_VALUES)
# Your sites' dots: Paul Tol's "bright" scheme (apart from our Okabe-Ito markers), by the
# category's rank in the file; the rest share the grey.
USER_COLOURS: tuple[str, ...] = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377")
USER_OTHER_COLOUR = "#8c8c8c"
USER_OTHER_LABEL = N_("Other or no category")
USER_SECTION = "user"
SECTION_TITLES: dict[str, str] = {
    "initiative": N_("Initiative (marker colour)"),
    "category": N_("Site type (marker shape)"),
    "precision": N_("Location precision (marker drawing)"),
}


@dataclass(frozen=True)
class Symbol:
    """What stands before a legend label: a colour swatch or a marker."""

    kind: str  # SWATCH or MARKER
    colour: str
    shape: str = "circle"  # a key of geo.core.symbols.SHAPES (markers only)
    drawing: str = "solid"  # a key of geo.core.symbols.DRAWINGS (markers only)


@dataclass(frozen=True)
class LegendEntry:
    """One row: a symbol and its label."""

    symbol: Symbol
    label: str


@dataclass(frozen=True)
class LegendSection:
    """A titled block of rows; ``note`` explains it in a sentence (may be empty)."""

    key: str
    title: str
    note: str
    entries: tuple[LegendEntry, ...]


def metric_heading(metric: Metric) -> str:
    """The metric's name with its unit when the name does not say it: 'Disclosed amount (EUR)'."""
    name, unit = metric.shown_label(), metric.shown_unit()
    if unit and unit.lower() not in name.lower():
        return _("{metric} ({unit})").format(metric=name, unit=unit)
    return name


def choropleth_section(view: ViewData) -> LegendSection:
    """Area colours: 'None' when some area is 0, the classes, 'Not disclosed' for gaps.

    The areas are the régions, or the départements when the view colours those
    (a reader's figures per département); a reader's gaps read 'No value'.
    """
    if view.departement_values is not None:
        values = view.departement_values.astype(float)
    else:
        values = view.metrics[view.metric.key].astype(float)
    entries = [
        LegendEntry(Symbol(SWATCH, colour), label)
        for colour, label in view.classes.legend()
        if colour != style.NONE_COLOUR or bool((values == 0).any())
    ]
    if values.isna().any():
        gap = NO_VALUE_LABEL if view.metric.key in USER_METRIC_KEYS else NOT_DISCLOSED_LABEL
        entries.append(LegendEntry(Symbol(SWATCH, style.NO_DATA_COLOUR), _(gap)))
    return LegendSection(
        "choropleth",
        metric_heading(view.metric),
        view.metric.shown_description(),
        tuple(entries),
    )


def marker_sections(sites: pd.DataFrame) -> tuple[LegendSection, ...]:
    """What marker colour, shape and drawing mean, for the sites drawn (none: no section)."""
    if sites.empty:
        return ()
    neutral = style.NEUTRAL_SYMBOL_COLOUR
    categories = set(sites["category"])
    drawings = {style.PRECISION_DRAWING[p] for p in sites["precision"]}
    rows = {
        "initiative": [
            LegendEntry(Symbol(MARKER, colour), label)
            for colour, label in initiative_colours(sites["initiatives"])
        ],
        "category": [
            LegendEntry(Symbol(MARKER, neutral, style.CATEGORY_SHAPES[key]), _(label))
            for key, label in voc.CATEGORIES.items()
            if key in categories
        ],
        "precision": [
            LegendEntry(Symbol(MARKER, neutral, drawing=key), _(label))
            for key, label in style.DRAWING_LABELS.items()
            if key in drawings
        ],
    }
    return tuple(
        LegendSection(key, _(SECTION_TITLES[key]), "", tuple(entries))
        for key, entries in rows.items()
    )


def view_legend(view: ViewData) -> tuple[LegendSection, ...]:
    """Every section of the view's legend, choropleth first, the reader's sites last."""
    user = (user_section(view.user),) if view.user is not None else ()
    return (choropleth_section(view), *marker_sections(view.sites), *user)


def user_category_colours(categories: Sequence[str]) -> dict[str, str]:
    """Dot colour per category (UserView.categories order); categories past the palette: none."""
    return dict(zip(categories, USER_COLOURS, strict=False))


def user_colour(category: str, colours: dict[str, str], categories: Sequence[str]) -> str:
    """The dot colour of one category: its own, the first when the file has none, else grey."""
    if not categories:
        return USER_COLOURS[0]
    return colours.get(category, USER_OTHER_COLOUR)


def user_section(user: UserView) -> LegendSection:
    """The reader's dots: 'Your sites (N)', one row per colour drawn, and what is not drawn."""
    drawn = user.sites
    title = _("Your sites ({n})").format(n=format_number(len(drawn)))
    notes = []
    if user.aggregated and user.grid is not None:
        cells = len(user.grid)
        notes.append(
            ngettext(
                "Too many to draw one by one: grouped into {n} cell.",
                "Too many to draw one by one: grouped into {n} cells.",
                cells,
            ).format(n=format_number(cells))
        )
    if len(user.listed):
        listed = len(user.listed)
        notes.append(
            ngettext(
                "{n} more with a commune code only: counted, not drawn.",
                "{n} more with a commune code only: counted, not drawn.",
                listed,
            ).format(n=format_number(listed))
        )
    colours = user_category_colours(user.categories)
    present = set(drawn["category"].astype(str))
    if not user.categories:
        mark = Symbol(MARKER, USER_COLOURS[0])
        entries = [LegendEntry(mark, _("Your sites"))] if len(drawn) else []
    else:
        entries = [
            LegendEntry(Symbol(MARKER, colour), category)
            for category, colour in colours.items()
            if category in present
        ]
        if any(user_colour(c, colours, user.categories) == USER_OTHER_COLOUR for c in present):
            entries.append(LegendEntry(Symbol(MARKER, USER_OTHER_COLOUR), _(USER_OTHER_LABEL)))
    if user.aggregated:
        cell = _("Cell of your sites (size: count)")
        entries = [LegendEntry(Symbol(MARKER, USER_COLOURS[0]), cell)]
    return LegendSection(USER_SECTION, title, " ".join(notes), tuple(entries))


def initiative_colours(initiatives: Iterable[Sequence[str]]) -> list[tuple[str, str]]:
    """(colour, label) of the initiative colours in use, in vocabulary order."""
    seen = list(initiatives)
    single = {values[0] for values in seen if len(values) == 1}
    out = [
        (style.INITIATIVE_COLOURS[k], voc.label(voc.INITIATIVES, k))
        for k in voc.INITIATIVES
        if k in single
    ]
    if any(len(values) > 1 for values in seen):
        out.append((style.SEVERAL_INITIATIVES_COLOUR, _(style.SEVERAL_INITIATIVES_LABEL)))
    return out


def legend_rows(sections: Iterable[LegendSection]) -> list[tuple[str, str, Symbol]]:
    """(section key, label, symbol) of every entry in order: what both renderers must list."""
    return [(s.key, e.label, e.symbol) for s in sections for e in s.entries]


__all__ = [
    "LegendEntry",
    "LegendSection",
    "Symbol",
    "choropleth_section",
    "initiative_colours",
    "legend_rows",
    "marker_sections",
    "metric_heading",
    "user_category_colours",
    "user_colour",
    "user_section",
    "view_legend",
]
