"""The map's HTML fragments: marker symbols, tooltips, popups and legends, from templates.

Templates live in geo/webmap/templates/ (package data) and render through one autoescaping
Jinja environment: every value from the data is escaped on output, without a call in the
code, and only values already rendered by another template (a Markup) pass as they are.
Template lines carry no indentation and a line break in a template is never a space: the
newlines are dropped, so a fragment is one line of HTML however the template is laid out.
Legends draw the entries of geo.core.legend, the model the report draws too.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup

from geo import style
from geo.core import legend
from geo.core import vocabulary as voc
from geo.core.regions import Metric
from geo.core.symbols import drawing_layers, shape_vertices
from geo.core.userdata.view import UserView
from geo.core.view import ViewData
from geo.presentation import format_metric_value, is_web_url, source_label

MARKER_SIZE = 24  # px: the marker box geo.core.symbols measures in (1.0 = half of it)
LEGEND_SYMBOL_SIZE = 16
CLUSTER_LEGEND_LABEL = "Several sites close together (click to zoom)"


def _escape(value: Any) -> Any:
    """What ``{{ value }}`` prints: rendered fragments as they are, anything else escaped.

    html.escape (rather than Jinja's own escape) so an apostrophe reads ``&#x27;`` as the
    rest of the project writes it; None prints nothing.
    """
    if value is None:
        return ""
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value), quote=True))


ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("geo.webmap", "templates"),
    autoescape=True,
    finalize=_escape,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def render(template: str, **context: Any) -> Markup:
    """One template rendered to a one-line fragment."""
    return Markup(ENV.get_template(template).render(**context).replace("\n", ""))


@cache
def svg_points(shape: str) -> str:
    """The outline of a shape as SVG points in the 24 x 24 marker box (y down)."""
    half = MARKER_SIZE / 2
    return " ".join(
        f"{half + x * half:.2f},{half - y * half:.2f}" for x, y in shape_vertices(shape)
    )


def marker_svg(
    shape: str,
    colour: str,
    drawing: str,
    size: int = MARKER_SIZE,
    *,
    label: str = "",
    site_id: str = "",
) -> str:
    """Inline SVG of a marker: shape per category, colour per initiative, drawing per precision."""
    return render(
        "marker.svg",
        shape=shape,
        drawing=drawing,
        points=svg_points(shape),
        layers=drawing_layers(drawing, colour),
        size=size,
        label=label,
        site_id=site_id,
    )


def site_tooltip_html(site: Mapping[str, Any]) -> str:
    """Tooltip of a marker: the site's name, then category and town."""
    parts = (voc.CATEGORIES.get(site["category"], ""), site.get("city", ""))
    return render("site_tooltip.html", name=site["name"], detail=" · ".join(p for p in parts if p))


def site_popup_html(site: Mapping[str, Any]) -> str:
    """Popup of a marker: who, what, where (with precision in words) and linked sources."""
    place = ", ".join(dict.fromkeys(p for p in (site.get("city"), site.get("region_name")) if p))
    return render(
        "site_popup.html",
        name=site["name"],
        organisation=site["organisation"],
        category=voc.CATEGORIES[site["category"]],
        initiatives=initiative_dots(site["initiatives"]),
        programmes=_labels(site["programmes"], voc.PROGRAMMES),
        audiences=_labels(site["audiences"], voc.AUDIENCES),
        place=place,
        status=voc.STATUSES[site["status"]],
        # The row is headed "Location": drop the "location: " the sentence starts with.
        location=voc.PRECISION_EXPLAINED[site["precision"]].removeprefix("location: "),
        confirmed=site.get("location_confirmed", True),
        basis=site.get("coord_basis", ""),
        how=voc.COORD_SOURCES.get(site.get("coord_source") or "", ""),
        address=site.get("address") or "",
        links=[
            {"url": url, "label": source_label(url)}
            for url in site["source_urls"]
            if is_web_url(url)
        ],
        source_note=site.get("source_note", ""),
        notes=site.get("notes", ""),
    )


def region_tooltip_html(name: str, value: float | None, metric: Metric) -> str:
    """Tooltip of a region: its name and the value of the chosen metric."""
    return render(
        "region_tooltip.html",
        name=name,
        metric=metric.label,
        value=format_metric_value(value, metric),
    )


def region_table_html(
    names: Mapping[str, str],
    values: Mapping[str, float | None],
    metric: Metric,
    subtitle: str,
    area: str = "region",
) -> str:
    """The choropleth as an HTML table: each area's name and value, sorted by name."""
    rows = [
        {"code": code, "name": names[code], "value": format_metric_value(value, metric)}
        for code, value in sorted(values.items(), key=lambda item: names[item[0]])
    ]
    return render("region_table.html", metric=metric.label, subtitle=subtitle, rows=rows, area=area)


def choropleth_legend_html(view: ViewData) -> str:
    """Legend of the region colours: the model's choropleth section, and the active filter."""
    section = legend.choropleth_section(view)
    return render(
        "choropleth_legend.html",
        title=section.title,
        subtitle=view.subtitle,
        note=section.note,
        rows=_section_rows(section),
        area=choropleth_area(view),
    )


def choropleth_area(view: ViewData) -> str:
    """What the choropleth colours: 'département' for a reader's figures per département."""
    return "département" if view.departement_values is not None else "region"


def departement_tooltip_html(name: str, code: str, value: float | None, metric: Metric) -> str:
    """Tooltip of a département coloured by the reader's figures: name, code and value."""
    return render(
        "departement_tooltip.html",
        name=name,
        code=code,
        metric=metric.label,
        value=format_metric_value(value, metric),
    )


def user_legend_html(user: UserView) -> str:
    """Legend of the reader's dots: the legend model's user section."""
    section = legend.user_section(user)
    return render(
        "user_legend.html",
        title=section.title,
        note=section.note,
        source=user.sites_source,
        rows=_section_rows(section),
    )


def marker_legend_html(sites: pd.DataFrame, collapsed: bool = False) -> str:
    """Legend of the markers: the model's marker sections, then what a cluster is.

    ``collapsed`` starts it closed (one line): the investments legend then has the room.
    """
    sections = [
        {"title": section.title, "rows": _section_rows(section)}
        for section in legend.marker_sections(sites)
    ]
    return render(
        "marker_legend.html",
        sections=sections,
        cluster_label=CLUSTER_LEGEND_LABEL,
        collapsed=collapsed,
    )


def _section_rows(section: legend.LegendSection) -> Markup:
    rows = [{"label": entry.label, **_symbol(entry.symbol)} for entry in section.entries]
    return render("legend_section.html", rows=rows)


def _symbol(symbol: legend.Symbol) -> dict[str, Any]:
    if symbol.kind == legend.MARKER:
        svg = marker_svg(symbol.shape, symbol.colour, symbol.drawing, LEGEND_SYMBOL_SIZE)
        return {"svg": svg, "colour": symbol.colour}
    return {"svg": None, "colour": symbol.colour}


def _labels(keys: Sequence[str], vocabulary: Mapping[str, str]) -> str:
    return ", ".join(vocabulary.get(k, k) for k in keys)


def initiative_dots(initiatives: Iterable[str]) -> list[dict[str, str]]:
    """Colour and label of each initiative of a site (the popup's coloured dots)."""
    return [
        {"colour": style.INITIATIVE_COLOURS[k], "label": voc.INITIATIVES[k]} for k in initiatives
    ]
