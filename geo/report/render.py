"""Report images of one view: a print-ready map as PNG, SVG or PDF (matplotlib, Agg, no browser).

The report's public face. Everything is placed in inches on a fixed page (no
``bbox_inches='tight'``), so a PNG is exactly the layout's size times the dpi and a PDF page is
exactly A4 / 16:9 / square. The page itself is composed in ``geo.report.page``.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from collections.abc import Iterator
from datetime import date
from xml.sax.saxutils import escape

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo import i18n
from geo.core.dataset import Dataset
from geo.core.view import ViewData
from geo.i18n import N_, _
from geo.report.footer import source_line
from geo.report.header import default_title, report_title, subtitle
from geo.report.insets import regions_needing_insets
from geo.report.labels import place_labels
from geo.report.layouts import (
    DEFAULT_DPI,
    DEFAULT_LAYOUT,
    IMAGE_FORMATS,
    LAYOUTS,
    MAX_DPI,
    MIN_DPI,
    Layout,
)
from geo.report.maps import SITE_GID, ZOOM_SITE_GID
from geo.report.page import EMPTY_MESSAGE, Bands, compose
from geo.report.text import clean_text, font_families, short_label, undrawable

__all__ = [
    "DEFAULT_DPI",
    "DEFAULT_LAYOUT",
    "EMPTY_MESSAGE",
    "IMAGE_FORMATS",
    "LAYOUTS",
    "MAX_DPI",
    "MIN_DPI",
    "SITE_GID",
    "ZOOM_SITE_GID",
    "Bands",
    "Layout",
    "build_figure",
    "clean_text",
    "default_title",
    "describe",
    "place_labels",
    "regions_needing_insets",
    "render_image",
    "report_title",
    "short_label",
    "site_marker_count",
    "svg_with_title",
    "undrawable",
]

# Text stays text in SVG and PDF; ids in SVG are stable from one export to the next.
RC = {
    "font.family": list(font_families()),
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "svg.hashsalt": "france-ai-investment-map",
    "text.usetex": False,
    "path.simplify": True,
}
# PDF and SVG stay vector, except the reader's dots (rasterized: 100,000 paths would make
# a file of tens of MB), which are drawn at this resolution.
VECTOR_RASTER_DPI = 200
CREATOR = "france-ai-investment-map (matplotlib)"
AUTHOR = "France AI investment map"
KEYWORDS = N_("France; artificial intelligence; Microsoft; investment; regions; map")


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
    bands: Bands = Bands(),  # noqa: B008 (frozen)
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
            bands=bands,
        )
        buffer = io.BytesIO()
        heading, description = report_title(view, title), describe(view)
        metadata = _metadata(heading, description, fmt)
        fig.savefig(buffer, format=fmt, dpi=dpi if raster else _vector_dpi(fig), metadata=metadata)
    if fmt == "svg":
        return svg_with_title(buffer.getvalue(), heading, description)
    return buffer.getvalue()


def describe(view: ViewData) -> str:
    """The image in one sentence for readers who cannot see it: filter, counts, sources."""
    return f"{subtitle(view)}. {source_line()}"


def svg_with_title(svg: bytes, title: str, description: str) -> bytes:
    """The SVG with <title> then <desc> as the root's first children: its accessible name and
    description, and the root's xml:lang saying their language (the current one). Matplotlib
    writes the <title> itself (from the metadata) but no <desc>."""
    start = svg.index(b"<svg")
    end = svg.index(b">", start)  # the root's attributes are numbers and namespaces
    lang = f' xml:lang="{i18n.language()}"'.encode()
    svg, end = svg[:end] + lang + svg[end:], end + len(lang) + 1
    head = f"\n <title>{escape(title)}</title>".encode()
    if svg[end:].lstrip().startswith(b"<title>"):
        end = svg.index(b"</title>", end) + len(b"</title>")
        head = b""
    desc = f"\n <desc>{escape(description)}</desc>".encode()
    return svg[:end] + head + desc + svg[end:]


def build_figure(
    dataset: Dataset,
    view: ViewData,
    layout: str = DEFAULT_LAYOUT,
    *,
    dpi: int | None = None,
    title: str | None = None,
    labels: bool = False,
    made_on: date | None = None,
    bands: Bands = Bands(),  # noqa: B008 (frozen)
) -> Figure:
    """The report map as a matplotlib Figure (site markers carry gid 'site-markers')."""
    page = _layout(layout)
    with _drawing_context():
        fig = Figure(figsize=page.figsize(dpi), dpi=dpi or 72)
        FigureCanvasAgg(fig)
        title = report_title(view, title)
        compose(fig, page, dataset, view, title, labels, made_on or date.today(), bands)
    return fig


def site_marker_count(fig: Figure) -> int:
    """How many site markers a figure draws (the zoom inset's repeats are not counted)."""
    return sum(
        len(artist.get_offsets())
        for ax in fig.axes
        for artist in ax.collections
        if artist.get_gid() == SITE_GID
    )


@contextlib.contextmanager
def _drawing_context() -> Iterator[None]:
    """Our rc settings, undone afterwards; quiet about glyphs (undrawable() reports them) and
    about the fallback fonts having no bold face (their regular face is used)."""
    fonts_log = logging.getLogger("matplotlib.font_manager")
    level = fonts_log.level
    fonts_log.setLevel(logging.ERROR)
    try:
        with mpl.rc_context(RC), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
            yield
    finally:
        fonts_log.setLevel(level)


def _vector_dpi(fig: Figure) -> int:
    """72 (the units of PDF and SVG) unless some artist is rasterized: then its resolution."""
    rasterized = any(a.get_rasterized() for ax in fig.axes for a in ax.collections)
    return VECTOR_RASTER_DPI if rasterized else 72


def _layout(key: str) -> Layout:
    if key not in LAYOUTS:
        raise ValueError(f"layout {key!r} is not one of: {', '.join(LAYOUTS)}")
    return LAYOUTS[key]


def _metadata(title: str, description: str, fmt: str) -> dict[str, str | None]:
    """Document metadata; no creation date, so the same view gives the same bytes."""
    if fmt == "png":
        return {"Title": title, "Description": description, "Software": CREATOR}
    if fmt == "svg":
        return {"Title": title, "Description": description, "Creator": CREATOR, "Date": None}
    return {
        "Title": title,
        "Subject": description,
        "Author": AUTHOR,
        "Keywords": _(KEYWORDS),
        "Creator": CREATOR,
        "CreationDate": None,
    }
