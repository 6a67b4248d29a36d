"""The report legend: its sections measured into wrapped lines, and drawn as columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from matplotlib.patches import Rectangle

from geo import i18n, style
from geo.core.legend import (
    MARKER,
    SWATCH,
    USER_SECTION,
    LegendEntry,
    LegendSection,
    Symbol,
    view_legend,
)
from geo.core.view import ViewData
from geo.i18n import N_, _, ngettext
from geo.report import investlayer
from geo.report.markers import scatter_marker
from geo.report.sheet import GREY, Sheet
from geo.report.text import WRAP_SAFETY, clean_text, line_height, text_width, wrap
from geo.report.userlayer import (
    FEW_DOTS,
    USER_COLOUR,
    cell_areas,
    dot_area,
    dot_look,
    drawn_count,
)

NOTE_SIZE = 0.85  # a section note's size as a share of the body size
ROW_GAP = 0.04  # inches between a section's heading and its first row
# The report's choropleth title: "Sites by region" (the model's title in a sentence).
REGION_TITLE = N_("{title} by region")
DEPARTEMENT_TITLE = N_("{title} by département")
# The reader's section comes from the legend model (geo.core.legend.user_section, what the
# web map lists too); the report draws its rows as the dots its maps draw (a DotSymbol, a
# local symbol kind) and, for grid cells, a few dot sizes with the counts they stand for.
DOT = "dot"
# The legend's dot is drawn at least as large as on a map of this many dots (one of 100,000
# is a speck: the reader must still see its colour).
LEGIBLE_DOTS = 10
CELL_STEPS = 3  # grid-cell sizes the legend shows


@dataclass(frozen=True)
class DotSymbol(Symbol):
    """A reader's site (or grid cell standing for ``count`` sites) as the maps draw it."""

    count: float = 0.0
    top: float = 1.0  # the view's largest cell count (cells are scaled against it)
    total: int = 1  # dots on the view's maps (their size and look follow it)


@dataclass(frozen=True)
class CircleSymbol(Symbol):
    """An investment circle as the maps draw it (``eur`` against the view's ``top``)."""

    eur: float = 0.0
    top: float = 1.0
    disclosed: bool = True
    counted: bool = True
    focus: bool = False
    region_only: bool = False


@dataclass(frozen=True)
class Section:
    """A legend section wrapped to a column width, with its height in inches."""

    title: list[str]
    note: list[str]
    rows: list[tuple[Symbol, list[str]]]  # (symbol, label lines)
    height: float


def legend_sections(view: ViewData) -> list[LegendSection]:
    """The view's legend from the shared model; the choropleth's title says 'by region' (or
    'by département'), and the reader's sites come right after the choropleth."""
    model = view_legend(view)
    sections = [_choropleth(view, s) if s.key == "choropleth" else s for s in model]
    sections = [s for s in sections if s.key != USER_SECTION]
    user = next((s for s in model if s.key == USER_SECTION), None)
    user = user_section(view, user) if user is not None else None
    invested = investment_section(view)
    added = [s for s in (user, invested) if s is not None]
    return sections[:1] + added + sections[1:]


def _choropleth(view: ViewData, section: LegendSection) -> LegendSection:
    title = DEPARTEMENT_TITLE if view.departement_values is not None else REGION_TITLE
    return replace(section, title=_(title).format(title=str(section.title)))


def user_section(view: ViewData, model: LegendSection) -> LegendSection | None:
    """The model's 'Your sites (N)' with the file's name, its rows drawn as the maps' dots,
    or dot sizes with their counts for grid cells; None when nothing of theirs is on the map."""
    user = view.user
    if user is None or (drawn_count(view) == 0 and user.listed.empty):
        return None
    title = f"{model.title} \u2013 {clean_text(user.sites_source)}"  # the file's name, as written
    if not (user.aggregated and user.grid is not None):
        total = len(user.sites)
        entries = tuple(
            LegendEntry(DotSymbol(DOT, e.symbol.colour, total=total), e.label)
            for e in model.entries
        )
        return replace(model, title=title, entries=entries)
    counts = user.grid["count"].to_numpy(float)
    top = float(counts.max())
    steps = np.unique(np.round(np.geomspace(max(1.0, counts.min()), top, CELL_STEPS)))
    entries = tuple(
        LegendEntry(
            DotSymbol(DOT, USER_COLOUR, count=float(k), top=top, total=len(counts)),
            ngettext("{n} site", "{n} sites", int(k)).format(n=i18n.format_number(int(k))),
        )
        for k in steps[::-1]
    )
    note = _("{note} Dot area by count.").format(note=str(model.note))
    return replace(model, title=title, note=note, entries=entries)


INVEST_SECTION = "investments"
SIZE_STEPS = (1e8, 5e8, 1e9, 2e9, 5e9, 1e10, 2e10, 5e10, 1e11)  # EUR the size key may show
SIZE_KEYS = 2  # sizes the key shows at most
TYPICAL_DIAMETER = 1.3  # the status rows' circles, as a share of the body size


def investment_section(view: ViewData) -> LegendSection | None:
    """The investments layer: status colours in use, the focus outline, the hollow, pale and
    dashed looks when drawn, and a few circle sizes with the euros they stand for."""
    if not investlayer.layer_on(view):
        return None
    from geo.core import vocabulary as voc  # the investment vocabulary: with the layer only

    located = investlayer.located_rows(view)
    regional = investlayer.region_only_rows(view)
    if located.empty and regional.empty:
        return None
    top = investlayer.top_amount(view)
    typical = top * (TYPICAL_DIAMETER / investlayer.MAX_DIAMETER) ** 2

    def circle(colour: str, **look) -> CircleSymbol:
        return CircleSymbol(MARKER, colour, eur=look.pop("eur", typical), top=top, **look)

    statuses = set(located["status"])
    entries = [
        LegendEntry(circle(investlayer.status_colour(key)), _(str(label)))
        for key, label in voc.INVESTMENT_STATUSES.items()
        if key in statuses
    ]
    grey = style.NEUTRAL_SYMBOL_COLOUR
    if bool(located["focus"].any()) or bool(regional["focus"].any()):
        entries.append(LegendEntry(circle(grey, focus=True), _("Microsoft (the map's focus)")))
    if bool(located["amount"].isna().any()):
        entries.append(
            LegendEntry(circle(grey, disclosed=False, eur=0.0), _("Amount not disclosed"))
        )
    eur = located["counted_eur"].astype(float)
    if bool(((eur == 0) & located["amount"].notna()).any()):
        label = _("Counted in another row")  # a restatement, a revised figure, a covered parent
        entries.append(LegendEntry(circle(grey, counted=False, eur=0.0), label))
    if not regional.empty:
        colour = investlayer.REGION_ONLY_COLOUR
        ring = circle(colour, region_only=True, eur=0.0)
        entries.append(LegendEntry(ring, _("Region only (one ring each)")))
    entries += [
        LegendEntry(circle(grey, eur=step), style.format_value(step, "EUR"))
        for step in size_steps(top)
    ]
    title = _("Announced AI investments")
    note = _("Area: euros counted once per chain.")
    return LegendSection(INVEST_SECTION, title, note, tuple(entries))


def size_steps(top: float) -> list[float]:
    """Up to SIZE_KEYS round amounts for the size key, largest first, within 1/100 of the top."""
    steps = [v for v in SIZE_STEPS if top / 100 <= v <= top]
    if len(steps) > SIZE_KEYS:
        picks = np.round(np.linspace(0, len(steps) - 1, SIZE_KEYS)).astype(int)
        steps = [steps[i] for i in picks]
    return steps[::-1]


def symbol_height(symbol: Symbol, font_size: float) -> float:
    """Height a legend symbol needs, in inches (an investment circle can be taller than a row)."""
    if not isinstance(symbol, CircleSymbol):
        return 0.0
    diameter = investlayer.circle_diameters(np.array([symbol.eur]), symbol.top, font_size)[0]
    return (diameter + investlayer.FOCUS_WIDTH * 2) / 72


def symbol_width(font_size: float) -> float:
    """Room for the symbol left of a label, in inches."""
    return font_size * 2.6 / 72


def symbol_column(symbols: Sequence[Symbol], font_size: float) -> float:
    """Room for a section's symbols left of its labels: wider for large circles, in inches."""
    widest = max((symbol_height(s, font_size) for s in symbols), default=0.0)
    return max(symbol_width(font_size), widest + symbol_width(font_size) * 0.16)


def section_gap(font_size: float) -> float:
    """Space between two sections of a column, in inches."""
    return font_size * 1.1 / 72


def row_height(lines: Sequence[str], font_size: float) -> float:
    """Height of one row of a label's lines, at least a symbol's height."""
    return max(font_size * 1.6 / 72, len(lines) * line_height(font_size) + font_size * 0.4 / 72)


def measure(block: LegendSection, width: float, font_size: float) -> Section:
    """The section wrapped to a column ``width`` inches wide."""
    fs = font_size
    label_width = width - symbol_column([e.symbol for e in block.entries], fs)
    title = wrap(str(block.title), width, fs, bold=True)
    note = wrap(str(block.note), width, fs * NOTE_SIZE) if block.note else []
    rows = [(e.symbol, wrap(str(e.label), label_width, fs)) for e in block.entries]
    height = (
        len(title) * line_height(fs)
        + len(note) * line_height(fs * NOTE_SIZE)
        + ROW_GAP
        + sum(symbol_row_height(symbol, lines, fs) for symbol, lines in rows)
    )
    return Section(title, note, rows, height)


def natural_width(blocks: Sequence[LegendSection], font_size: float) -> float:
    """Width the legend needs: its titles and short labels unwrapped (long ones may wrap)."""
    fs = font_size
    widths = [text_width(str(block.title), fs, bold=True) for block in blocks]
    widths += [
        symbol_width(fs) + text_width(str(entry.label), fs)
        for block in blocks
        for entry in block.entries
        if len(str(entry.label).split()) <= 3
    ]
    return max(widths) / WRAP_SAFETY + 0.02


def symbol_row_height(symbol: Symbol, lines: Sequence[str], font_size: float) -> float:
    """A row's height: its label's, or the symbol's when that is taller."""
    return max(row_height(lines, font_size), symbol_height(symbol, font_size))


def column_height(sections: Sequence[Section], font_size: float) -> float:
    """Height of sections stacked with their gaps."""
    return sum(s.height for s in sections) + section_gap(font_size) * max(0, len(sections) - 1)


def draw_column(sheet: Sheet, sections: Sequence[Section], x: float, top: float) -> None:
    """Draw sections one under the other from (x, top)."""
    fs = sheet.font_size
    for section in sections:
        sym = symbol_column([symbol for symbol, _lines in section.rows], fs)
        centre_x = x + _symbol_centre(sym, fs)
        for line in section.title:
            top -= line_height(fs)
            sheet.put(x, top, line, fs, bold=True, gid="legend")
        for line in section.note:
            top -= line_height(fs * NOTE_SIZE)
            sheet.put(x, top, line, fs * NOTE_SIZE, colour=GREY, gid="legend")
        top -= ROW_GAP
        for symbol, lines in section.rows:
            height = symbol_row_height(symbol, lines, fs)
            centre = top - height / 2
            draw_symbol(sheet, symbol, centre_x, centre)
            text_top = centre + (len(lines) - 1) * line_height(fs) / 2
            for k, line in enumerate(lines):
                sheet.put(
                    x + sym,
                    text_top - k * line_height(fs),
                    line,
                    fs,
                    va="center_baseline",
                    gid="legend",
                )
            top -= height
        top -= section_gap(fs)


def _symbol_centre(column: float, font_size: float) -> float:
    """Where symbols centre in a column of that width: as always, or mid-circle when wider."""
    normal = symbol_width(font_size)
    return normal * 0.42 if column <= normal else (column - normal * 0.16) / 2


def draw_symbol(sheet: Sheet, symbol: Symbol, x: float, y: float) -> None:
    """A swatch (boundary-grey edge) or a marker centred on (x, y)."""
    fs = sheet.font_size
    if isinstance(symbol, CircleSymbol):
        diameter = investlayer.circle_diameters(np.array([symbol.eur]), symbol.top, fs)[0]
        look = investlayer.circle_look(
            symbol.colour,
            disclosed=symbol.disclosed,
            counted=symbol.counted,
            focus=symbol.focus,
            region_only=symbol.region_only,
        )
        sheet.overlay.scatter(
            [x], [y], s=diameter**2, marker="o", gid="legend",
            facecolors=[look["facecolor"]], edgecolors=[look["edgecolor"]],
            linewidths=[look["linewidth"]], linestyles=[look["linestyle"]],
        )  # fmt: skip
        return
    if isinstance(symbol, DotSymbol):
        if symbol.count:  # a grid cell: as on the map
            area = cell_areas(np.array([symbol.count]), fs, symbol.top, symbol.total)[0]
            look = dot_look(symbol.total, symbol.colour)
        else:  # the map's dot, but never so small or pale that the legend cannot show it
            area = max(dot_area(fs, symbol.total), dot_area(fs, LEGIBLE_DOTS))
            look = dot_look(min(symbol.total, FEW_DOTS), symbol.colour)
        sheet.overlay.scatter([x], [y], s=area, marker="o", gid="legend", **look)
        return
    if symbol.kind == SWATCH:
        w, h = fs * 1.9 / 72, fs * 1.15 / 72
        sheet.overlay.add_patch(
            Rectangle(
                (x - w / 2, y - h / 2),
                w,
                h,
                facecolor=symbol.colour,
                edgecolor=style.BOUNDARY_COLOUR,
                linewidth=0.5,
                gid="legend",
            )
        )
        return
    scatter_marker(
        sheet.overlay,
        [x],
        [y],
        shape=symbol.shape,
        colour=symbol.colour,
        drawing=symbol.drawing,
        font_size=fs,
        gid="legend",
    )
