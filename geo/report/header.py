"""The page's title and subtitle."""

from __future__ import annotations

from geo import i18n
from geo.core.regions import USER_SITES, USER_VALUES
from geo.core.view import ViewData
from geo.i18n import _, ngettext, pgettext
from geo.report import investlayer
from geo.report.sheet import GREY, Sheet
from geo.report.text import clean_text, line_height, wrap
from geo.report.userlayer import drawn_count

# The programme's name as English pages print it (programme_title() words it per language).
TITLE_PREFIX = "Microsoft's EUR 4 bn AI investment in France"
USER_METRICS = (USER_SITES, USER_VALUES)
MAX_TITLE_LINES = 2  # beyond that the title is set smaller
PROGRAMME_EUR = 4e9  # Microsoft's announced amount, worded in the title's language
LOWER_FIRST = ("en", "fr")  # a metric's label starts lower case mid-title (German nouns do not)


def programme_title(within: bool = False) -> str:
    """The programme's name in the current language: 'Microsoft's EUR 4 bn AI investment in
    France', 'Les 4 Md € de Microsoft pour l'IA en France'; ``within`` a sentence ('with the
    sites of ...') French needs another article: 'des 4 Md € de Microsoft ...'."""
    amount = i18n.format_currency(PROGRAMME_EUR)
    if within:
        msg = pgettext("after 'with the sites of'", "Microsoft's {amount} AI investment in France")
    else:
        msg = _("Microsoft's {amount} AI investment in France")
    return msg.format(amount=amount)


def default_title(view: ViewData) -> str:
    """The title used when none is given, e.g. '...: sites by region'.

    A reader's own metric leads the title with its name as their file writes it, and
    Microsoft's programme, whose sites the map still shows, comes second: their figures are
    not Microsoft's investment.
    """
    by_dep = view.departement_values is not None
    if view.metric.key in investlayer.INVESTMENT_METRICS:  # every investor's, not Microsoft's
        label, unit = _word(view.metric.label), _word(view.metric.unit)
        if by_dep:
            return _("{metric} by département ({unit})").format(metric=label, unit=unit)
        return _("{metric} by region ({unit})").format(metric=label, unit=unit)
    if view.metric.key in USER_METRICS:  # the reader's label and unit, as their file has them
        label = view.metric.label
        if view.metric.unit and view.metric.key == USER_VALUES:
            label = _("{metric} ({unit})").format(metric=label, unit=view.metric.unit)
        if by_dep:
            msg = _("{metric} by département, with the sites of {programme}")
        else:
            msg = _("{metric} by region, with the sites of {programme}")
        return msg.format(metric=label, programme=programme_title(within=True))
    label = _word(view.metric.label)
    if i18n.language() in LOWER_FIRST:
        label = f"{label[:1].lower()}{label[1:]}"
    if by_dep:
        return _("{programme}: {metric} by département").format(
            programme=programme_title(), metric=label
        )
    return _("{programme}: {metric} by region").format(programme=programme_title(), metric=label)


def _word(text: object) -> str:
    """Our own label in the current language ('' stays '': gettext("") is the catalogue's
    header)."""
    return _(str(text)) if text else ""


def report_title(view: ViewData, title: str | None) -> str:
    """The title as printed: the given one cleaned, or the default when it is empty."""
    cleaned = clean_text(title or "")
    return cleaned or default_title(view)


def subtitle(view: ViewData) -> str:
    """What the view shows and how many sites it maps: 'Skilling · 16 sites mapped in 7 regions'."""
    counts = _site_counts(len(view.sites), view.regions_covered)
    unlocated = len(view.unlocated)
    if unlocated:
        extra = ngettext(
            "(+{n} without a known location)", "(+{n} without a known location)", unlocated
        )
        counts += " " + extra.format(n=i18n.format_number(unlocated))
    user = view.user
    if user is not None and (drawn_count(view) or len(user.listed)):
        drawn = drawn_count(view)
        mapped = ngettext("{n} of your sites mapped", "{n} of your sites mapped", drawn)
        counts += " \u00b7 " + mapped.format(n=i18n.format_number(drawn))
        listed = len(user.listed)
        if listed:
            extra = ngettext("(+{n} counted, not drawn)", "(+{n} counted, not drawn)", listed)
            counts += " " + extra.format(n=i18n.format_number(listed))
    if investlayer.counts_investments(view):  # view.subtitle names the investment filter
        counts += f" \u00b7 {clean_text(str(view.investments.totals.headline()))}"
    return f"{clean_text(str(view.subtitle))} \u00b7 {counts}"


def _site_counts(shown: int, regions: int) -> str:
    """'16 sites mapped in 7 regions', or that no site matches."""
    if shown == 0:
        return _("no matching site on the map")
    sites = ngettext("{n} site mapped", "{n} sites mapped", shown).format(
        n=i18n.format_number(shown)
    )
    where = ngettext("in {n} region", "in {n} regions", regions).format(
        n=i18n.format_number(regions)
    )
    return _("{sites} {regions}").format(sites=sites, regions=where)


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
