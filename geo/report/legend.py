"""The report legend: its sections measured into wrapped lines, and drawn as columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from matplotlib.patches import Rectangle

from geo import style
from geo.core.legend import SWATCH, LegendSection, Symbol, view_legend
from geo.core.view import ViewData
from geo.report.markers import scatter_marker
from geo.report.sheet import GREY, Sheet
from geo.report.text import WRAP_SAFETY, line_height, text_width, wrap

NOTE_SIZE = 0.85  # a section note's size as a share of the body size
ROW_GAP = 0.04  # inches between a section's heading and its first row
REGION_SUFFIX = " by region"  # the report's choropleth title: "Sites by region"


@dataclass(frozen=True)
class Section:
    """A legend section wrapped to a column width, with its height in inches."""

    title: list[str]
    note: list[str]
    rows: list[tuple[Symbol, list[str]]]  # (symbol, label lines)
    height: float


def legend_sections(view: ViewData) -> list[LegendSection]:
    """The view's legend from the shared model; the choropleth's title says 'by region'."""
    return [
        replace(s, title=f"{s.title}{REGION_SUFFIX}") if s.key == "choropleth" else s
        for s in view_legend(view)
    ]


def symbol_width(font_size: float) -> float:
    """Room for the symbol left of a label, in inches."""
    return font_size * 2.6 / 72


def section_gap(font_size: float) -> float:
    """Space between two sections of a column, in inches."""
    return font_size * 1.1 / 72


def row_height(lines: Sequence[str], font_size: float) -> float:
    """Height of one row of a label's lines, at least a symbol's height."""
    return max(font_size * 1.6 / 72, len(lines) * line_height(font_size) + font_size * 0.4 / 72)


def measure(block: LegendSection, width: float, font_size: float) -> Section:
    """The section wrapped to a column ``width`` inches wide."""
    fs = font_size
    label_width = width - symbol_width(fs)
    title = wrap(block.title, width, fs, bold=True)
    note = wrap(block.note, width, fs * NOTE_SIZE) if block.note else []
    rows = [(e.symbol, wrap(e.label, label_width, fs)) for e in block.entries]
    height = (
        len(title) * line_height(fs)
        + len(note) * line_height(fs * NOTE_SIZE)
        + ROW_GAP
        + sum(row_height(lines, fs) for _, lines in rows)
    )
    return Section(title, note, rows, height)


def natural_width(blocks: Sequence[LegendSection], font_size: float) -> float:
    """Width the legend needs: its titles and short labels unwrapped (long ones may wrap)."""
    fs = font_size
    widths = [text_width(block.title, fs, bold=True) for block in blocks]
    widths += [
        symbol_width(fs) + text_width(entry.label, fs)
        for block in blocks
        for entry in block.entries
        if len(entry.label.split()) <= 3
    ]
    return max(widths) / WRAP_SAFETY + 0.02


def column_height(sections: Sequence[Section], font_size: float) -> float:
    """Height of sections stacked with their gaps."""
    return sum(s.height for s in sections) + section_gap(font_size) * max(0, len(sections) - 1)


def draw_column(sheet: Sheet, sections: Sequence[Section], x: float, top: float) -> None:
    """Draw sections one under the other from (x, top)."""
    fs = sheet.font_size
    sym = symbol_width(fs)
    for section in sections:
        for line in section.title:
            top -= line_height(fs)
            sheet.put(x, top, line, fs, bold=True, gid="legend")
        for line in section.note:
            top -= line_height(fs * NOTE_SIZE)
            sheet.put(x, top, line, fs * NOTE_SIZE, colour=GREY, gid="legend")
        top -= ROW_GAP
        for symbol, lines in section.rows:
            height = row_height(lines, fs)
            centre = top - height / 2
            draw_symbol(sheet, symbol, x + sym * 0.42, centre)
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


def draw_symbol(sheet: Sheet, symbol: Symbol, x: float, y: float) -> None:
    """A swatch (boundary-grey edge) or a marker centred on (x, y)."""
    fs = sheet.font_size
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
