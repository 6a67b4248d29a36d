"""The layer of announced AI investments (issue 13): sized circles, region-only symbols, legend.

Located rows are circles coloured by status with an area proportional to the euros the row
counts (sqrt scale, on a fixed reference so sizes compare across filters); a row whose amount
is not disclosed is hollow at the smallest size, one that adds nothing here (restated, revised,
counted in another row, not in EUR) is pale at the smallest size, and Microsoft's rows carry
a dark ring. Rows known only by their region get ONE dashed symbol per region at a point
inside it, which says how many rows it stands for and never pretends to be a site. Rows with
no region are not drawn (the app lists them). Every text goes through the autoescaping
templates of geo.webmap.fragments.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from geo import i18n, style
from geo.core import vocabulary as voc
from geo.i18n import N_, _, ngettext
from geo.presentation import (
    format_amount,
    format_capacity,
    format_date,
    is_web_url,
    source_label,
)
from geo.webmap.elements import InvestmentMarkers, LayerLegend
from geo.webmap.fragments import render

INVESTMENTS_LAYER = N_("Announced AI investments")
# Above the polygons and the reader's dots, under the site markers (markerPane, 600): the
# programme's own sites stay on top of the larger investment circles.
INVESTMENT_PANE, INVESTMENT_Z = "investments", 590

# Circle area proportional to euros: a radius of REFERENCE_RADIUS_PX at REFERENCE_EUR.
REFERENCE_EUR = 1e10
REFERENCE_RADIUS_PX = 16.0
MIN_RADIUS_PX = 5.0  # below about EUR 1 bn, and rows that add nothing: this size
REGION_ONLY_RADIUS_PX = 9.0  # at least: room for the count it shows
RING_GAP_PX = 2.0  # white gap between a focus row's circle and its ring
RING_WIDTH_PX = 2.0
FOCUS_INVESTOR = voc.FOCUS_INVESTOR
SIZE_KEY_EUR: tuple[float, ...] = (1e9, 1e10, 5e10)
SITES_ON_TOP_NOTE = N_("Site markers lie on top (the layers button hides them).")

# How a circle is painted, by what its amount does in the totals.
COUNTED, NOT_ADDED, UNDISCLOSED = "counted", "not-added", "undisclosed"
DRAWING_LABELS: dict[str, str] = {
    COUNTED: N_("Area: euros counted in the region"),
    NOT_ADDED: N_("Pale: counted in another row, or not in EUR"),
    UNDISCLOSED: N_("Hollow: amount not disclosed"),
}
PRECISION_WORDS: dict[str, str] = {
    "exact_site": N_("exact site (a building at an address a source gives)"),
    "campus": N_("campus (the grounds a source gives)"),
    "commune": N_("commune only: the point is somewhere in the commune, not the site"),
    "city_centre": N_("town only: the point is the town's centre, not the site"),
    "region_only": N_("region only: no site is known, nothing is drawn at a place"),
    "not_located": N_("not located: not drawn on the map"),
}
APPROXIMATE = frozenset({"commune", "city_centre"})

# FranceAiMap.investmentMarkers' configuration: pane, tooltip and popup options.
MARKER_CONFIG: dict[str, Any] = {
    "pane": INVESTMENT_PANE,
    "tooltip": {"direction": "right", "className": "investment-tooltip"},
    "popup": {
        "maxWidth": 380,
        "minWidth": 260,
        "maxHeight": 360,
        "className": "site-popup investment-popup",
        "autoPanPadding": [30, 30],
    },
}


# ---- words --------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A field as text: '' for None, NaN and empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _items(value: Any, separator: str) -> list[str]:
    """A list field (a sequence, or text with ``separator``) as a list of non-empty texts."""
    if isinstance(value, str):
        parts: Iterable[Any] = value.split(separator)
    elif isinstance(value, Iterable):
        parts = value
    else:
        parts = [value]
    return [t for t in (_text(p) for p in parts) if t]


def counted_text(row: Mapping[str, Any]) -> str:
    """What the row adds where it counts, in euros: 'EUR 4 bn', 'nothing', 'not disclosed'."""
    eur = _number(row.get("counted_eur"))
    currency = _text(row.get("currency"))
    if eur is None and _number(row.get("amount")) is not None and currency != "EUR":
        return _("nothing (in {currency}: never converted, never added)").format(currency=currency)
    if eur is None:
        return _(voc.NOT_DISCLOSED)
    return style.format_value(eur, "EUR") if eur > 0 else _("nothing")


def _place(row: Mapping[str, Any]) -> str:
    parts = (_text(row.get("city")), _text(i18n.localized(row, "region_name")))
    return ", ".join(dict.fromkeys(p for p in parts if p))


def _announced(row: Mapping[str, Any]) -> str:
    date = format_date(_text(row.get("announced")))
    event = _text(row.get("event"))
    label = _(voc.INVESTMENT_EVENTS[event]) if event in voc.INVESTMENT_EVENTS else event
    return f"{date} ({label})" if label else date


def _status(row: Mapping[str, Any]) -> str:
    key = _text(row.get("status"))
    label = _(voc.INVESTMENT_STATUSES[key]) if key in voc.INVESTMENT_STATUSES else key
    as_of = format_date(_text(row.get("status_as_of")))
    return _("{status} (as of {date})").format(status=label, date=as_of) if as_of else label


Rows = pd.DataFrame | Sequence[Mapping[str, Any]]


def records(rows: Rows) -> list[dict[str, Any]]:
    """Rows as plain dicts with their id (a frame's iterrows over the loader's Arrow strings
    costs a few ms a row; this costs one conversion)."""
    if not isinstance(rows, pd.DataFrame):
        return [dict(row) for row in rows]
    plain = pd.DataFrame(rows.drop(columns="geometry", errors="ignore"))
    out = plain.to_dict("records")
    if "id" not in plain.columns:
        for label, row in zip(plain.index, out, strict=True):
            row["id"] = str(label)
    return out


# ---- symbols ------------------------------------------------------------------------------


def drawing_of(row: Mapping[str, Any]) -> str:
    """COUNTED, NOT_ADDED or UNDISCLOSED: how the row's circle is painted."""
    if _number(row.get("amount")) is None:
        return UNDISCLOSED
    eur = _number(row.get("counted_eur"))
    return COUNTED if eur is not None and eur > 0 else NOT_ADDED


def circle_radius(eur: float | None) -> float:
    """Radius in px of a circle whose area is proportional to ``eur`` (never below the minimum)."""
    if eur is None or eur <= 0:
        return MIN_RADIUS_PX
    return max(MIN_RADIUS_PX, REFERENCE_RADIUS_PX * math.sqrt(eur / REFERENCE_EUR))


def is_focus(row: Mapping[str, Any]) -> bool:
    """Microsoft's rows: the map's focus (the core's ``focus`` column, else the investor)."""
    focus = row.get("focus")
    if focus is not None and not (isinstance(focus, float) and math.isnan(focus)):
        return bool(focus)
    return _text(row.get("investor")) == FOCUS_INVESTOR


def circle_svg(
    colour: str,
    radius: float,
    drawing: str,
    *,
    focus: bool = False,
    dashed: bool = False,
    count: int | None = None,
    label: str = "",
    classes: Sequence[str] = (),
) -> tuple[str, float]:
    """Inline SVG of one circle (and its focus ring) and the side of its square box in px."""
    outer = radius + (RING_GAP_PX + RING_WIDTH_PX if focus else 1.5)
    box = math.ceil(2 * outer + 2)
    svg = render(
        "investment.svg",
        box=box,
        c=box / 2,
        r=round(radius, 2),
        ring=round(radius + RING_GAP_PX + RING_WIDTH_PX / 2, 2),
        ring_width=RING_WIDTH_PX,
        ring_colour=style.FOCUS_EDGE,
        colour=colour,
        drawing=drawing,
        focus=focus,
        dashed=dashed,
        count=count,
        label=label,
        classes=" ".join(classes),
    )
    return svg, box


# ---- fragments ----------------------------------------------------------------------------


def investment_tooltip_html(row: Mapping[str, Any]) -> str:
    """Tooltip of a circle: investor, project, the amount as worded."""
    return render(
        "investment_tooltip.html",
        investor=_text(row.get("investor")),
        project=_text(i18n.localized(row, "project")),
        amount=format_amount(row),
        approximate=_text(row.get("precision")) in APPROXIMATE,
    )


def _links(row: Mapping[str, Any]) -> list[dict[str, str]]:
    urls = _items(row.get("source_urls"), " ")
    return [{"url": url, "label": source_label(url)} for url in urls if is_web_url(url)]


def _popup_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    gpus = _number(row.get("gpus"))
    stated_by = _text(row.get("stated_by"))
    if _number(row.get("amount")) is None or stated_by not in voc.STATED_BY_INVESTMENT:
        stated = ""
    else:
        stated = _("stated by {who}").format(who=_(voc.STATED_BY_INVESTMENT[stated_by]))
    return {
        "investor": _text(row.get("investor")),
        "focus": is_focus(row),
        "partners": ", ".join(_items(row.get("partners"), ";")),
        "project": _text(i18n.localized(row, "project")),
        "amount": format_amount(row),
        "stated_by": stated,
        "counted": counted_text(row),
        "count_note": _text(row.get("count_note")),
        "capacity": format_capacity(row),
        "gpus": i18n.format_number(gpus, 0) if gpus is not None else "",
        "announced": _announced(row),
        "status": _status(row),
        "links": _links(row),
        "source_note": _text(row.get("source_note")),
        "notes": _text(row.get("notes")),
    }


def investment_popup_html(row: Mapping[str, Any]) -> str:
    """Popup of a circle: who, what, how much and whether it counts, where, when, sources."""
    precision = _text(row.get("precision"))
    return render(
        "investment_popup.html",
        item=_popup_fields(row),
        place=_place(row),
        precision=_(PRECISION_WORDS[precision]) if precision in PRECISION_WORDS else precision,
        basis=_text(row.get("coord_basis")),
    )


def region_only_label(count: int) -> str:
    """'1 investment known only by region' / 'N investments known only by region'."""
    return ngettext(
        "{n} investment known only by region", "{n} investments known only by region", count
    ).format(n=i18n.format_number(count))


def region_heading(region: str, count: int) -> str:
    """'Bretagne: 2 investments known only by region' (a popup's heading, a symbol's name)."""
    return _("{region}: {label}").format(region=region, label=region_only_label(count))


def layer_name(count: int) -> str:
    """The layer's name in the layer control and its legend: 'Announced AI investments (12)'."""
    return _("{layer} ({n})").format(layer=_(INVESTMENTS_LAYER), n=i18n.format_number(count))


def region_only_tooltip_html(region: str, count: int, counted_eur: float | None) -> str:
    """Tooltip of a region's dashed symbol: the region, how many rows, the euros they add."""
    counted = style.format_value(counted_eur, "EUR") if counted_eur else _("nothing")
    return render(
        "region_only_tooltip.html",
        region=region,
        label=region_only_label(count),
        counted=_("Counted: {amount}").format(amount=counted),
    )


def region_only_popup_html(region: str, rows: Rows) -> str:
    """Popup of a region's dashed symbol: every row it stands for, in the order given."""
    items = [_popup_fields(row) for row in records(rows)]
    return render(
        "region_only_popup.html",
        heading=region_heading(region, len(rows)),
        precision=_(PRECISION_WORDS["region_only"]),
        items=items,
    )


# ---- marker rows --------------------------------------------------------------------------


def investment_marker_rows(located: Rows) -> list[dict[str, Any]]:
    """One marker per located row: position, icon SVG, tooltip, popup; large ones underneath."""
    out = []
    for row in records(located):
        status = _text(row.get("status"))
        colour = style.INVESTMENT_STATUS_COLOURS.get(status, style.INVESTMENT_OTHER_COLOUR)
        drawing = drawing_of(row)
        radius = circle_radius(_number(row.get("counted_eur")) if drawing == COUNTED else None)
        focus = is_focus(row)
        label = _("{investor}: {project}, {amount}").format(
            investor=_text(row.get("investor")),
            project=_text(i18n.localized(row, "project")),
            amount=format_amount(row),
        )
        classes = [f"status-{status}", f"drawing-{drawing}", *(["focus"] if focus else [])]
        svg, box = circle_svg(colour, radius, drawing, focus=focus, label=label, classes=classes)
        out.append(
            {
                "id": _text(row["id"]),
                "lat": round(float(row["lat"]), 6),
                "lon": round(float(row["lon"]), 6),
                "icon": svg,
                "size": box,
                "className": " ".join(classes),
                # Smaller circles above larger ones, so every one can be clicked.
                "z": -round(radius * 100),
                "tooltip": investment_tooltip_html(row),
                "popup": investment_popup_html(row),
            }
        )
    return out


def region_only_marker_rows(
    rows: Rows,
    anchors: Mapping[str, tuple[float, float]],
    region_names: Mapping[str, str],
) -> list[dict[str, Any]]:
    """ONE dashed symbol per region for the rows known only by their region, its area by the
    euros they add (never smaller than the count it shows); Microsoft's rows listed first."""
    by_region: dict[str, list[dict[str, Any]]] = {}
    for row in records(rows):
        if row.get("precision") == "region_only":
            by_region.setdefault(_text(row.get("insee_reg")), []).append(row)
    out = []
    for code in sorted(by_region):
        if code not in anchors:
            continue
        group = sorted(by_region[code], key=lambda row: not is_focus(row))
        out.append(_region_only_marker(code, group, anchors[code], region_names.get(code, code)))
    return out


def _region_only_marker(
    code: str, group: list[dict[str, Any]], anchor: tuple[float, float], region: str
) -> dict[str, Any]:
    focus = any(is_focus(row) for row in group)
    amounts = [eur for eur in (_number(row.get("counted_eur")) for row in group) if eur]
    eur = sum(amounts) if amounts else None
    radius = max(REGION_ONLY_RADIUS_PX, circle_radius(eur))
    classes = ["region-only", *(["focus"] if focus else [])]
    svg, box = circle_svg(
        style.NEUTRAL_SYMBOL_COLOUR,
        radius,
        "region-only",
        focus=focus,
        dashed=True,
        count=len(group),
        label=region_heading(region, len(group)),
        classes=classes,
    )
    return {
        "id": f"region-{code}",
        "lat": round(anchor[0], 6),
        "lon": round(anchor[1], 6),
        "icon": svg,
        "size": box,
        "className": " ".join(classes),
        "z": -round(radius * 100),
        "tooltip": region_only_tooltip_html(region, len(group), eur),
        "popup": region_only_popup_html(region, group),
    }


def region_anchors(regions: gpd.GeoDataFrame) -> dict[str, tuple[float, float]]:
    """A point inside each region for its region-only symbol: (lat, lon) by INSEE code.

    The centroid as drawn (Web Mercator) when it falls inside the region, else a point
    shapely guarantees inside (islands, crescents).
    """
    projected = regions.to_crs(3857).geometry
    centroids = gpd.GeoSeries(projected.centroid, crs=3857)
    inside = centroids.within(projected)
    points = centroids.where(inside, projected.representative_point()).to_crs(4326)
    return {code: (point.y, point.x) for code, point in points.items()}


# ---- legend and layer ---------------------------------------------------------------------


def size_key(largest_eur: float | None) -> list[dict[str, Any]]:
    """The circles of the size key: the reference amounts up to the largest drawn (at least 2).

    The first one says "or less" when it is drawn at about the smallest size (half a pixel
    of radius): smaller amounts are drawn that size too.
    """
    amounts = [a for a in SIZE_KEY_EUR if largest_eur is None or a <= largest_eur * 1.5]
    amounts = amounts if len(amounts) >= 2 else list(SIZE_KEY_EUR[:2])
    key = []
    for i, amount in enumerate(amounts):
        r = circle_radius(amount)
        label = style.format_value(amount, "EUR")
        if i == 0 and r - MIN_RADIUS_PX < 0.5:
            label = _("{amount} or less").format(amount=label)
        key.append({"r": round(r, 2), "box": math.ceil(2 * r + 3), "label": label})
    return key


def _legend_symbols(
    located: list[dict[str, Any]], region_only: list[dict[str, Any]]
) -> list[dict[str, str]]:
    """The legend rows that explain a drawing, only for what the layer draws."""
    neutral, r = style.NEUTRAL_SYMBOL_COLOUR, MIN_RADIUS_PX + 1
    drawings = {drawing_of(row) for row in located}
    wanted = (
        (UNDISCLOSED in drawings, (neutral, r, UNDISCLOSED), {}, _(DRAWING_LABELS[UNDISCLOSED])),
        (NOT_ADDED in drawings, (neutral, r, NOT_ADDED), {}, _(DRAWING_LABELS[NOT_ADDED])),
        (
            any(is_focus(row) for row in [*located, *region_only]),
            (neutral, r, COUNTED),
            {"focus": True},
            _("Ring: {investor} (the map's focus)").format(investor=FOCUS_INVESTOR),
        ),
        (
            bool(region_only),
            (neutral, r + 1, "region-only"),
            {"dashed": True},
            _("Dashed: region only (one per region, not a site)"),
        ),
    )
    return [
        {"svg": circle_svg(*args, **options)[0], "label": label}
        for present, args, options, label in wanted
        if present
    ]


def investment_legend_html(located: Rows, rows: Rows) -> str:
    """Legend of the layer: status colours, size key, what hollow, pale, ring, dashed mean."""
    located, rows = records(located), records(rows)
    region_only = [row for row in rows if row.get("precision") == "region_only"]
    statuses = {row.get("status") for row in located}
    counted = [_number(row.get("counted_eur")) for row in located]
    key = size_key(max((v for v in counted if v), default=None))
    not_located = sum(row.get("precision") == "not_located" for row in rows)
    return render(
        "investment_legend.html",
        title=layer_name(len(located) + len(region_only)),
        statuses=[
            {"colour": colour, "label": _(voc.INVESTMENT_STATUSES.get(status, status))}
            for status, colour in style.INVESTMENT_STATUS_COLOURS.items()
            if status in statuses
        ],
        key=key,
        key_box=key[-1]["box"],
        symbols=_legend_symbols(located, region_only),
        not_located=ngettext(
            "{n} not located: listed, not drawn.",
            "{n} not located: listed, not drawn.",
            not_located,
        ).format(n=i18n.format_number(not_located))
        if not_located
        else "",
        sites_note=_(SITES_ON_TOP_NOTE),
    )


@dataclass(frozen=True)
class InvestmentLayerParts:
    """What the layer draws, as plain data: made once per view (the app caches it), then
    wrapped into a fresh FeatureGroup on every rerun by investment_group."""

    markers: list[dict[str, Any]]
    legend_html: str
    drawn: int


def investment_layer_parts(
    investments: Any,
    anchors: Mapping[str, tuple[float, float]],
    region_names: Mapping[str, str],
) -> InvestmentLayerParts:
    """The markers (located circles, one dashed symbol per region) and the legend.

    ``investments`` is the view's InvestmentView (``rows``: every shown row with its count
    columns; ``located``: those with a point); ``anchors`` from region_anchors.
    """
    rows = records(investments.rows)
    with_point = {str(label) for label in investments.located.index}
    located = [row for row in rows if str(row["id"]) in with_point]
    markers = investment_marker_rows(located) + region_only_marker_rows(rows, anchors, region_names)
    drawn = len(located) + sum(row.get("precision") == "region_only" for row in rows)
    return InvestmentLayerParts(markers, investment_legend_html(located, rows), drawn)


def investment_group(
    investments: Any,
    anchors: Mapping[str, tuple[float, float]],
    region_names: Mapping[str, str],
    parts: InvestmentLayerParts | None = None,
) -> folium.FeatureGroup:
    """The layer: located circles, one dashed symbol per region for region-only rows, legend
    (``parts``, when the caller kept them from an earlier run, else made here)."""
    if parts is None:
        parts = investment_layer_parts(investments, anchors, region_names)
    group = folium.FeatureGroup(name=layer_name(parts.drawn), overlay=True)
    InvestmentMarkers(parts.markers, MARKER_CONFIG).add_to(group)
    # Bottom right, above the sites' legend (which starts closed while this layer is on).
    LayerLegend(parts.legend_html, "bottomright", "investment-legend").add_to(group)
    return group
