"""One report page, composed in the order it is drawn: header, legend, maps, labels, footer."""

from __future__ import annotations

from datetime import date

from matplotlib.figure import Figure

from geo.core.dataset import Dataset
from geo.core.view import ViewData
from geo.report import footer, header, insets, labels, legend, maps, plan
from geo.report.layouts import Layout
from geo.report.sheet import INK, LIGHT_GREY, Sheet

EMPTY_MESSAGE = "No sites match the filters"
HEADER_GAP, FOOTER_GAP = 0.14, 0.16  # inches between the body and the header / footer


def compose(
    fig: Figure,
    layout: Layout,
    dataset: Dataset,
    view: ViewData,
    title: str,
    with_labels: bool,
    made_on: date,
) -> None:
    """Draw the whole page of one view onto an empty figure."""
    sheet = Sheet.on(fig, layout)
    top = header.draw_header(sheet, title, header.subtitle(view))
    projected = maps.project(dataset, view)
    planned = insets.plan_insets(view, projected)
    foot = footer.build_footer(sheet, footer.footer_notes(view, planned), made_on, with_labels)
    bottom = sheet.margin + foot.height(sheet) + 0.05
    body = (sheet.margin, bottom + FOOTER_GAP, sheet.width - sheet.margin, top - HEADER_GAP)
    blocks = legend.legend_sections(view)
    ratio = maps.aspect(maps.main_frame(projected))
    page = plan.plan_page(body, blocks, len(planned), ratio, sheet.font_size)
    for column, (x, y) in zip(page.columns, page.column_origins(), strict=True):
        legend.draw_column(sheet, column, x, y)
    elsewhere, zoom = insets.shown_elsewhere(planned), insets.zoom_of(planned)
    main = maps.draw_main_map(sheet, page.main, view, projected, elsewhere, zoom)
    drawn = [
        insets.draw_inset(sheet, inset, box, dataset, view, projected, main)
        for inset, box in zip(planned, page.insets, strict=True)
    ]
    omitted = labels.draw_site_labels(sheet, [main, *drawn]) if with_labels else 0
    if view.sites.empty:
        _say_empty(main.ax, sheet.font_size)
    footer.draw_footer(sheet, foot, omitted)


def _say_empty(ax, font_size: float) -> None:
    ax.text(
        0.5,
        0.5,
        EMPTY_MESSAGE,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=font_size * 1.5,
        color=INK,
        zorder=20,
        parse_math=False,
        bbox={"boxstyle": "round,pad=0.6", "fc": "white", "ec": LIGHT_GREY, "alpha": 0.92},
    )
