"""The page's title and subtitle."""

from __future__ import annotations

from geo.core.regions import USER_SITES, USER_VALUES
from geo.core.view import ViewData
from geo.report import investlayer
from geo.report.sheet import GREY, Sheet
from geo.report.text import clean_text, line_height, wrap
from geo.report.userlayer import drawn_count

TITLE_PREFIX = "Microsoft's EUR 4 bn AI investment in France"
USER_METRICS = (USER_SITES, USER_VALUES)
MAX_TITLE_LINES = 2  # beyond that the title is set smaller


def default_title(view: ViewData) -> str:
    """The title used when none is given, e.g. '...: sites by region'.

    A reader's own metric leads the title with its name as their file writes it, and
    Microsoft's programme, whose sites the map still shows, comes second: their figures are
    not Microsoft's investment.
    """
    label = view.metric.label
    per = "département" if view.departement_values is not None else "region"
    if view.metric.key in investlayer.INVESTMENT_METRICS:  # every investor's, not Microsoft's
        return f"{label} by {per} ({view.metric.unit})"
    if view.metric.key in USER_METRICS:
        unit = (
            f" ({view.metric.unit})" if view.metric.unit and view.metric.key == USER_VALUES else ""
        )
        return f"{label}{unit} by {per}, with the sites of {TITLE_PREFIX}"
    return f"{TITLE_PREFIX}: {label[:1].lower()}{label[1:]} by {per}"


def report_title(view: ViewData, title: str | None) -> str:
    """The title as printed: the given one cleaned, or the default when it is empty."""
    cleaned = clean_text(title or "")
    return cleaned or default_title(view)


def subtitle(view: ViewData) -> str:
    """What the view shows and how many sites it maps: 'Skilling · 16 sites mapped in 7 regions'."""
    shown = len(view.sites)
    if shown == 0:
        counts = "no matching site on the map"
    else:
        counts = (
            f"{shown:,} site{'s' if shown != 1 else ''} mapped in {view.regions_covered} "
            f"region{'s' if view.regions_covered != 1 else ''}"
        )
    if len(view.unlocated):
        counts += f" (+{len(view.unlocated)} without a known location)"
    user = view.user
    if user is not None and (drawn_count(view) or len(user.listed)):
        counts += f" \u00b7 {drawn_count(view):,} of your sites mapped"
        if len(user.listed):
            counts += f" (+{len(user.listed):,} counted, not drawn)"
    if investlayer.counts_investments(view):  # view.subtitle names the investment filter
        counts += f" \u00b7 {clean_text(view.investments.totals.headline())}"
    return f"{clean_text(view.subtitle)} \u00b7 {counts}"


def draw_header(sheet: Sheet, title: str, sub: str) -> float:
    """Draw the title and subtitle from the top margin down; return where the body may start."""
    fs = sheet.font_size
    width = sheet.text_width
    top = sheet.height - sheet.margin
    title_size, sub_size = fs * 2.0, fs * 1.2
    title_lines = wrap(title, width, title_size, bold=True)
    if len(title_lines) > MAX_TITLE_LINES:
        title_size = fs * 1.6
        title_lines = wrap(title, width, title_size, bold=True)
    for line in title_lines:
        top -= line_height(title_size)
        sheet.put(sheet.margin, top, line, title_size, bold=True, gid="title")
    top -= 0.06
    for line in wrap(sub, width, sub_size):
        top -= line_height(sub_size)
        sheet.put(sheet.margin, top, line, sub_size, colour=GREY, gid="subtitle")
    return top - 0.08
