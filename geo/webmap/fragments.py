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

from geo import i18n, style
from geo.core import legend
from geo.core import vocabulary as voc
from geo.core.regions import Metric
from geo.core.symbols import drawing_layers, shape_vertices
from geo.core.userdata.view import UserView
from geo.core.view import ViewData
from geo.i18n import N_, _
from geo.presentation import format_metric_value, is_web_url, source_label

MARKER_SIZE = 24  # px: the marker box geo.core.symbols measures in (1.0 = half of it)
LEGEND_SYMBOL_SIZE = 16
CLUSTER_LEGEND_LABEL = N_("Several sites close together (click to zoom)")
# Words the templates print, by name (``{{ t.sources }}``): English msgids, translated when a
# template renders, so a fragment is always in the language current at that moment.
TEMPLATE_WORDS: dict[str, str] = {
    "address": N_("Address"),
    "amount": N_("Amount"),
    "announced": N_("Announced"),
    "audience": N_("Audience"),
    "capacity": N_("Capacity"),
    "category": N_("Category"),
    "city": N_("City"),
    "click_region": N_("Click for the region panel"),
    "counted_here": N_("Counted here"),
    "euros_counted": N_("Euros counted (circle area)"),
    "focus": N_("the map's focus"),
    "gpus": N_("GPUs"),
    "initiative": N_("Initiative"),
    "location": N_("Location"),
    "location_colon": N_("Location:"),
    "no_site": N_("No site matches."),
    "none_linked": N_("none linked"),
    "not_confirmed": N_("(not confirmed by a source)"),
    "organisation": N_("Organisation"),
    "partners": N_("Partners"),
    "place": N_("Place"),
    "place_approximate": N_("Place approximate: town or commune only"),
    "point": N_("Point:"),
    "programme": N_("Programme"),
    "sites": N_("Sites"),
    "sources": N_("Sources:"),
    "status": N_("Status"),
    "status_colour": N_("Status (colour)"),
}


class _Words:
    """``t`` in the templates: ``t.sources`` is TEMPLATE_WORDS["sources"] translated now."""

    __slots__ = ()

    def __getattr__(self, name: str) -> str:
        try:
            return _(TEMPLATE_WORDS[name])
        except KeyError:
            raise AttributeError(name) from None


WORDS = _Words()


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
    return Markup(ENV.get_template(template).render(t=WORDS, **context).replace("\n", ""))


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
    category = site["category"]
    parts = (
        _(voc.CATEGORIES[category]) if category in voc.CATEGORIES else "",
        site.get("city", ""),
    )
    return render(
        "site_tooltip.html",
        name=i18n.localized(site, "name"),
        detail=" · ".join(p for p in parts if p),
    )


def site_popup_html(site: Mapping[str, Any]) -> str:
    """Popup of a marker: who, what, where (with precision in words) and linked sources."""
    region = i18n.localized(site, "region_name")
    place = ", ".join(dict.fromkeys(p for p in (site.get("city"), region) if p))
    how = voc.COORD_SOURCES.get(site.get("coord_source") or "", "")
    return render(
        "site_popup.html",
        name=i18n.localized(site, "name"),
        organisation=site["organisation"],
        category=_(voc.CATEGORIES[site["category"]]),
        initiatives=initiative_dots(site["initiatives"]),
        programmes=_labels(site["programmes"], voc.PROGRAMMES),
        audiences=_labels(site["audiences"], voc.AUDIENCES),
        place=place,
        status=_(voc.STATUSES[site["status"]]),
        # The row is headed "Location": drop the "location: " the sentence starts with.
        location=_precision_words(site["precision"]),
        confirmed=site.get("location_confirmed", True),
        basis=site.get("coord_basis", ""),
        how=_(how) if how else "",
        address=site.get("address") or "",
        links=[
            {"url": url, "label": source_label(url)}
            for url in site["source_urls"]
            if is_web_url(url)
        ],
        source_note=site.get("source_note", ""),
        notes=site.get("notes", ""),
    )


def _precision_words(precision: str) -> str:
    """The site's precision in words, without the "location: " its sentence starts with (the
    popup's row is headed "Location"): in any language, the words before the first colon."""
    sentence = voc.PRECISION_EXPLAINED[precision]
    text = _(sentence)
    _head, colon, rest = text.partition(":")
    if sentence.startswith("location: ") and colon and rest.strip():
        return rest.strip()
    return text


def metric_colon(metric: Metric) -> str:
    """The metric's label as a tooltip row's head: 'Sites:' / 'Sites :' (French spacing)."""
    return _("{metric}:").format(metric=str(metric.label))


def region_tooltip_html(name: str, value: float | None, metric: Metric) -> str:
    """Tooltip of a region: its name and the value of the chosen metric."""
    return render(
        "region_tooltip.html",
        name=name,
        metric=metric_colon(metric),
        value=format_metric_value(value, metric),
    )


# What a choropleth colours, by choropleth_area's key: the headings and the table's column.
AREA_HEADINGS: dict[str, str] = {
    "region": N_("{title} per region"),
    "département": N_("{title} per département"),
}
AREA_COLUMNS: dict[str, str] = {"region": N_("Region"), "département": N_("Département")}


def area_heading(title: object, area: str) -> str:
    """'Sites per region' / 'Sites par région': a legend's or table's heading."""
    return _(AREA_HEADINGS[area]).format(title=str(title))


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
    return render(
        "region_table.html",
        heading=area_heading(metric.label, area),
        metric=metric.label,
        subtitle=subtitle,
        rows=rows,
        column=_(AREA_COLUMNS[area]),
    )


def choropleth_legend_html(view: ViewData) -> str:
    """Legend of the region colours: the model's choropleth section, and the active filter."""
    section = legend.choropleth_section(view)
    return render(
        "choropleth_legend.html",
        heading=area_heading(section.title, choropleth_area(view)),
        subtitle=view.subtitle,
        note=section.note,
        rows=_section_rows(section),
    )


def choropleth_area(view: ViewData) -> str:
    """What the choropleth colours: 'département' for a reader's figures per département
    (a key of AREA_HEADINGS, never shown as is)."""
    return "département" if view.departement_values is not None else "region"


def departement_tooltip_html(name: str, code: str, value: float | None, metric: Metric) -> str:
    """Tooltip of a département coloured by the reader's figures: name, code and value."""
    return render(
        "departement_tooltip.html",
        name=name,
        code=code,
        metric=metric_colon(metric),
        value=format_metric_value(value, metric),
    )


def user_legend_html(user: UserView) -> str:
    """Legend of the reader's dots: the legend model's user section."""
    section = legend.user_section(user)
    source = user.sites_source
    return render(
        "user_legend.html",
        title=section.title,
        note=section.note,
        source=_("From {source}").format(source=source) if source else "",
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
        cluster_label=_(CLUSTER_LEGEND_LABEL),
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
    return ", ".join(_(vocabulary[k]) if k in vocabulary else k for k in keys)


def initiative_dots(initiatives: Iterable[str]) -> list[dict[str, str]]:
    """Colour and label of each initiative of a site (the popup's coloured dots)."""
    return [
        {"colour": style.INITIATIVE_COLOURS[k], "label": _(voc.INITIATIVES[k])} for k in initiatives
    ]


DROPPED_LINK_TITLE = N_("This link was not applied.")
DROPPED_LINK_MESSAGE = N_(
    "Its address has more than {fields} parameters or {kib} KiB, more than the server reads, "
    "so the map shows the default view. Open a shorter link."
)


def dropped_link_notice_html(max_fields: int, max_kib: int) -> str:
    """The app's notice for a link Streamlit dropped (hidden until the page's script finds
    parameters in its own address), worded in the current language with Streamlit's limits.

    Rendered as laid out (its script has line comments), not as a one-line fragment.
    """
    message = _(DROPPED_LINK_MESSAGE).format(
        fields=i18n.format_number(max_fields), kib=i18n.format_number(max_kib)
    )
    template = ENV.get_template("dropped_link.html")
    return template.render(t=WORDS, title=_(DROPPED_LINK_TITLE), message=message)
