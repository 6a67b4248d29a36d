"""Optional bands between the map and the footer: the headline pledges' computed status, and a
timeline strip of the dated events.

Each band is planned first (wrapped, measured in inches, trimmed to the room a page gives it)
and drawn afterwards from its top edge down, so the page can make room for it before the map
and the legend are placed. Every string goes through Sheet.put, hence clean_text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from matplotlib.patches import Circle

from geo import i18n, presentation
from geo.i18n import _, ngettext
from geo.presentation import HeadlineCard
from geo.report.sheet import GREY, INK, LIGHT_GREY, Sheet
from geo.report.text import clean_text, line_height, text_width, wrap

ITEM_SIZE = 0.85  # item text as a share of the body size
HEAD_SIZE = 0.95  # a band's heading, bold
COLUMN_GAP = 0.25  # inches between item columns
PLEDGE_COLUMN = 0.23  # narrowest pledge column, inches per point of body size
EVENT_COLUMN = 0.36  # narrowest timeline list column, inches per point of body size
# The bands take at most this share of the height between header and footer: the map and
# its legend keep the rest. The timeline gets what the pledges leave.
MAX_BANDS_SHARE = 0.4
MIN_EVENT_ROWS = 2
DOT = 0.13  # diameter of an event dot, in inches
DOT_COLOUR = "#2b5d8a"
BAND_GAP = 0.12  # inches between two bands, and between a heading and its items
NUMBER_WIDTH = 2.2  # gutter for an event's number, in body points
ELLIPSIS = "\u2026"
TIMELINE_GID, PLEDGES_GID = "timeline", "pledges"


# --- pledges --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PledgeBand:
    """The tracked headline pledges, each wrapped to its column."""

    heading: list[str]
    items: list[tuple[list[str], list[str]]]  # (bold head lines, plain lines)
    columns: int
    column_width: float
    font_size: float

    def rows(self) -> list[list[tuple[list[str], list[str]]]]:
        """The items in rows of ``columns``, read left to right."""
        return [self.items[i : i + self.columns] for i in range(0, len(self.items), self.columns)]

    def height(self) -> float:
        """Height of the band in inches, heading included."""
        size = self.font_size * ITEM_SIZE
        lines = sum(max(len(h) + len(b) for h, b in row) for row in self.rows())
        gaps = max(len(self.rows()) - 1, 0) * size * 0.5 / 72
        return _heading_height(self.heading, self.font_size) + lines * line_height(size) + gaps


def plan_pledges(sheet: Sheet, cards: Sequence[HeadlineCard], made_on: date) -> PledgeBand | None:
    """The band of headline pledges with a computed status (None when there is none)."""
    tracked = [card for card in cards if card.status]
    if not tracked:
        return None
    fs = sheet.font_size
    width = sheet.text_width
    columns = _columns(width, fs * PLEDGE_COLUMN, len(tracked))
    column_width = (width - (columns - 1) * COLUMN_GAP) / columns
    size = fs * ITEM_SIZE
    items = []
    for card in tracked:
        head, body = presentation.pledge_line(card)
        items.append(
            (
                wrap(clean_text(head), column_width, size, bold=True),
                wrap(clean_text(body), column_width, size),
            )
        )
    heading = _(
        "Headline pledges: status on {date}, computed from the pledge, its deadline and the "
        "latest reported progress"
    ).format(date=i18n.format_date(made_on))
    return PledgeBand(
        wrap(heading, width, fs * HEAD_SIZE, bold=True), items, columns, column_width, fs
    )


def draw_pledges(sheet: Sheet, band: PledgeBand, top: float) -> None:
    """Draw the pledge band from ``top`` (page inches) down."""
    y = _draw_heading(sheet, band.heading, top, PLEDGES_GID)
    size = band.font_size * ITEM_SIZE
    step = line_height(size)
    for row in band.rows():
        for k, (head, body) in enumerate(row):
            x = sheet.margin + k * (band.column_width + COLUMN_GAP)
            line_y = y
            for line in head:
                line_y -= step
                sheet.put(x, line_y, line, size, bold=True, gid=PLEDGES_GID)
            for line in body:
                line_y -= step
                sheet.put(x, line_y, line, size, colour=GREY, gid=PLEDGES_GID)
        y -= max(len(h) + len(b) for h, b in row) * step + size * 0.5 / 72


def pledge_sources(cards: Sequence[HeadlineCard]) -> str:
    """The footer's words on where the pledges and their progress come from."""
    hosts = _unique(
        label
        for card in cards
        if card.status
        for label, _url in (*card.sources, *card.progress_sources)
    )
    return _("Pledges and progress: {outlets} (URLs in commitments.csv).").format(
        outlets=", ".join(hosts)
    )


# --- timeline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dot:
    """One event on the axis: its number, where it sits (inches from the axis' left end and
    stack level above the axis)."""

    number: int
    x: float
    level: int


@dataclass(frozen=True)
class TimelineBand:
    """The timeline: heading, dots on a time axis, and a numbered list in columns."""

    heading: list[str]
    dots: list[Dot]
    years: tuple[int, int]  # first year shown, last year shown
    entries: list[tuple[int, str]]  # (number, one line: date · title (scope))
    columns: int
    column_width: float
    font_size: float

    @property
    def list_rows(self) -> int:
        """Rows of the list (filled down the columns, oldest first)."""
        return -(-len(self.entries) // self.columns)

    def axis_height(self) -> float:
        """Room for the stacked dots, the axis and its year labels, in inches."""
        levels = max((d.level for d in self.dots), default=0) + 1
        return levels * DOT + 0.04 + line_height(self.font_size * ITEM_SIZE) + 0.06

    def height(self) -> float:
        """Height of the band in inches, heading included."""
        rows = self.list_rows * line_height(self.font_size * ITEM_SIZE)
        return _heading_height(self.heading, self.font_size) + self.axis_height() + rows


def plan_timeline(
    sheet: Sheet,
    events: pd.DataFrame,
    region_names: dict[str, str],
    regions: Sequence[str],
    room: float,
) -> TimelineBand | None:
    """The timeline of the events in view (presentation.view_events), or None when there are
    none. When every event would not fit in ``room`` inches of height, the latest ones are
    kept (at least MIN_EVENT_ROWS rows of them) and the heading says how many of how many."""
    chosen = presentation.view_events(events, regions)
    if chosen.empty:
        return None
    columns = _columns(sheet.text_width, sheet.font_size * EVENT_COLUMN, len(chosen))
    rows = -(-len(chosen) // columns)
    while True:
        band = _timeline_band(sheet, chosen, chosen.iloc[-rows * columns :], columns, regions,
                              region_names)  # fmt: skip
        if band.height() <= room or rows <= MIN_EVENT_ROWS:
            return band
        rows -= 1


def _timeline_band(sheet, chosen, shown, columns, regions, region_names) -> TimelineBand:
    fs = sheet.font_size
    size = fs * ITEM_SIZE
    width = sheet.text_width
    column_width = (width - (columns - 1) * COLUMN_GAP) / columns
    heading_text = _timeline_heading(len(shown), len(chosen), regions, region_names)
    names = {"FR": _("France"), **region_names}
    start, end = int(shown["day"].min().year), int(shown["day"].max().year)
    entries = []
    text_room = column_width - _number_width(fs)
    for number, (_index, event) in enumerate(shown.iterrows(), start=1):
        when = i18n.format_date(event["date"]) if event["date"] else ""
        title = i18n.localized(event, "title")  # our own words: in the reader's language
        scope = names.get(event["scope"], event["scope"])
        line = _fit(clean_text(f"{when} \u00b7 {title}"), f" ({scope})", text_room, size)
        entries.append((number, line))
    dots = _stack(list(shown["day"]), start, end, width)
    heading = wrap(heading_text, width, fs * HEAD_SIZE, bold=True)
    return TimelineBand(heading, dots, (start, end), entries, columns, column_width, fs)


def draw_timeline(sheet: Sheet, band: TimelineBand, top: float) -> None:
    """Draw the timeline band from ``top`` (page inches) down."""
    y = _draw_heading(sheet, band.heading, top, TIMELINE_GID)
    fs, size = band.font_size, band.font_size * ITEM_SIZE
    levels = max(d.level for d in band.dots) + 1
    axis_y = y - levels * DOT - 0.04
    x0, x1 = sheet.margin, sheet.width - sheet.margin
    first, last = band.years
    span = (x1 - x0) / (last - first + 1)
    ax = sheet.overlay
    ax.plot([x0, x1], [axis_y, axis_y], color=LIGHT_GREY, lw=0.8, gid=TIMELINE_GID)
    for k in range(last - first + 2):
        tick = x0 + k * span
        ax.plot([tick, tick], [axis_y, axis_y - 0.05], color=LIGHT_GREY, lw=0.8)
        if k <= last - first:
            label_y = axis_y - line_height(size) + 0.01
            sheet.put(tick + span / 2, label_y, str(first + k), size, colour=GREY, ha="center",
                      gid=TIMELINE_GID)  # fmt: skip
    for dot in band.dots:
        cx, cy = x0 + dot.x, axis_y + DOT / 2 + dot.level * DOT
        ax.add_patch(Circle((cx, cy), DOT * 0.46, fc=DOT_COLOUR, ec="white", lw=0.5))
        sheet.put(cx, cy, str(dot.number), fs * 0.6, bold=True, colour="white", ha="center",
                  va="center_baseline", gid=TIMELINE_GID)  # fmt: skip
    list_top = axis_y - band.axis_height() + levels * DOT + 0.04
    step = line_height(size)
    gutter = _number_width(fs)
    for i, (number, line) in enumerate(band.entries):
        column, row = divmod(i, band.list_rows)
        x = x0 + column * (band.column_width + COLUMN_GAP)
        line_y = list_top - (row + 1) * step
        sheet.put(x + gutter - 0.05, line_y, str(number), size, bold=True, colour=DOT_COLOUR,
                  ha="right", gid=TIMELINE_GID)  # fmt: skip
        sheet.put(x + gutter, line_y, line, size, colour=INK, gid=TIMELINE_GID)


def timeline_sources(events: pd.DataFrame, regions: Sequence[str], shown: int) -> str:
    """The footer's words on where the timeline's events come from, like the sites' sources:
    how many outlets, the URLs being in the data file."""
    chosen = presentation.view_events(events, regions).iloc[-shown:]
    hosts = _unique(
        presentation.source_label(url)
        for urls in chosen["source_urls"]
        for url in urls
        if presentation.is_web_url(url)
    )
    return ngettext(
        "Timeline: the sources cited per event, from {n} outlet (full list with URLs in "
        "events.csv).",
        "Timeline: the sources cited per event, from {n} outlets (full list with URLs in "
        "events.csv).",
        len(hosts),
    ).format(n=i18n.format_number(len(hosts)))


# --- helpers --------------------------------------------------------------------------------


def _timeline_heading(
    shown: int, total: int, regions: Sequence[str], region_names: dict[str, str]
) -> str:
    number = i18n.format_number
    listed = ", ".join(region_names.get(r, r) for r in regions)
    if shown == total:
        count = ngettext("{n} dated event", "{n} dated events", total).format(n=number(total))
    else:
        count = ngettext(
            "the {shown} latest of {n} event", "the {shown} latest of {n} events", total
        ).format(shown=number(shown), n=number(total))
    if not regions:
        return _("Timeline: {count} (national and regional), by date of the source").format(
            count=count
        )
    return _("Timeline: {count} (national and of {regions}), by date of the source").format(
        count=count, regions=listed
    )


def _columns(width: float, narrowest: float, items: int) -> int:
    fit = int((width + COLUMN_GAP) // (narrowest + COLUMN_GAP))
    return max(1, min(fit, items))


def _heading_height(lines: Sequence[str], font_size: float) -> float:
    return len(lines) * line_height(font_size * HEAD_SIZE) + BAND_GAP / 2


def _draw_heading(sheet: Sheet, lines: Sequence[str], top: float, gid: str) -> float:
    size = sheet.font_size * HEAD_SIZE
    y = top
    for line in lines:
        y -= line_height(size)
        sheet.put(sheet.margin, y + size * 0.25 / 72, line, size, bold=True, gid=gid)
    return y - BAND_GAP / 2


def _number_width(font_size: float) -> float:
    return font_size * ITEM_SIZE * NUMBER_WIDTH / 72 + 0.05


def _fit(text: str, tail: str, width: float, size: float) -> str:
    """``text + tail`` on one line of ``width`` inches, ``text`` cut at a word with an
    ellipsis when needed (the tail, the event's scope, always stays)."""
    if text_width(text + tail, size) <= width * 0.97:
        return text + tail
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        trial = " ".join(words).rstrip(" ,;:\u00b7-") + ELLIPSIS + tail
        if text_width(trial, size) <= width * 0.97:
            return trial
    return words[0][: max(1, int(len(words[0]) * 0.5))] + ELLIPSIS + tail


def _stack(days: Sequence[pd.Timestamp], first: int, last: int, width: float) -> list[Dot]:
    """Dots along an axis ``width`` inches long from 1 January ``first`` to 31 December
    ``last``; a dot that would touch the one before goes on top of it."""
    start = pd.Timestamp(first, 1, 1)
    total = (pd.Timestamp(last + 1, 1, 1) - start).days
    dots: list[Dot] = []
    base, level = None, 0
    for number, day in enumerate(days, start=1):
        x = DOT / 2 + (width - DOT) * (pd.Timestamp(day) - start).days / total
        if base is not None and x - base < DOT:
            level += 1
            x = base
        else:
            base, level = x, 0
        dots.append(Dot(number, x, level))
    return dots


def _unique(values) -> list[str]:
    return list(dict.fromkeys(values))
