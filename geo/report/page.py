"""One report page, composed in the order it is drawn: header, legend, maps, labels, the
optional pledge and timeline bands, footer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from matplotlib.figure import Figure

from geo import i18n
from geo.core.dataset import Dataset
from geo.core.view import ViewData
from geo.i18n import N_, _
from geo.presentation import headline_cards
from geo.report import footer, header, insets, investlayer, labels, legend, maps, plan, strips
from geo.report.layouts import Layout
from geo.report.sheet import INK, LIGHT_GREY, Sheet

EMPTY_MESSAGE = N_("No sites match the filters")  # shown as _(EMPTY_MESSAGE)
HEADER_GAP, FOOTER_GAP = 0.14, 0.16  # inches between the body and the header / footer
# With bands under it, the main map keeps at least this share of its area without them.
MIN_MAP_SHARE = 0.15
SHARES = (strips.MAX_BANDS_SHARE, 0.3, 0.2, 0.0)  # of the body the bands may take, in turn


@dataclass(frozen=True)
class Bands:
    """Which optional bands go under the map."""

    timeline: bool = False
    pledges: bool = False


@dataclass(frozen=True)
class Bottom:
    """What goes under the map: the bands as planned, and the footer with their sources."""

    pledges: strips.PledgeBand | None
    timeline: strips.TimelineBand | None
    foot: footer.Footer
    top: float  # of the bands (the body starts FOOTER_GAP above)

    @property
    def bands(self) -> list:
        """The bands to draw, top first."""
        return [b for b in (self.pledges, self.timeline) if b is not None]


def compose(
    fig: Figure,
    layout: Layout,
    dataset: Dataset,
    view: ViewData,
    title: str,
    with_labels: bool,
    made_on: date,
    bands: Bands = Bands(),
) -> None:
    """Draw the whole page of one view onto an empty figure."""
    sheet = Sheet.on(fig, layout)
    top = header.draw_header(sheet, title, header.subtitle(view))
    projected = maps.project(dataset, view)
    planned = insets.plan_insets(view, projected)
    blocks = legend.legend_sections(view)
    ratio = maps.aspect(maps.main_frame(projected))
    notes = footer.footer_notes(view, planned)

    def plan_with(wanted: Bands, share: float) -> tuple[Bottom, plan.Plan]:
        under = _plan_bottom(sheet, dataset, view, made_on, with_labels, notes, top, wanted,
                             share, _left_out(bands, wanted))  # fmt: skip
        body = (sheet.margin, under.top + FOOTER_GAP, sheet.width - sheet.margin, top - HEADER_GAP)
        return under, plan.plan_page(body, blocks, len(planned), ratio, sheet.font_size)

    under, page = _fitted(plan_with, bands)
    for column, (x, y) in zip(page.columns, page.column_origins(), strict=True):
        legend.draw_column(sheet, column, x, y)
    elsewhere, zoom = insets.shown_elsewhere(planned), insets.zoom_of(planned)
    main = maps.draw_main_map(sheet, page.main, view, projected, elsewhere, zoom)
    drawn = [
        insets.draw_inset(sheet, inset, box, dataset, view, projected, main)
        for inset, box in zip(planned, page.insets, strict=True)
    ]
    omitted = labels.draw_site_labels(sheet, [main, *drawn]) if with_labels else 0
    if view.sites.empty and not investlayer.drawn_count(view):
        _say_empty(main.ax, sheet.font_size)
    _draw_bands(sheet, under)
    footer.draw_footer(sheet, under.foot, omitted)


def _fitted(plan_with, bands: Bands) -> tuple[Bottom, plan.Plan]:
    """The first of the attempts whose legend fits and whose main map keeps MIN_MAP_SHARE of
    the area it has without any band; else the page without bands."""
    tries = _attempts(bands)
    bare = plan_with(*tries[-1])
    for wanted, share in tries[:-1]:
        under, page = plan_with(wanted, share)
        if not page.forced and page.area >= bare[1].area * MIN_MAP_SHARE:
            return under, page
    return bare


def _attempts(bands: Bands) -> list[tuple[Bands, float]]:
    """What to try, in order, with the share of the page the bands may take: the bands asked
    for with less and less room for the timeline's list, then one band alone (the pledges
    first: they are shorter), then none."""
    tries = [(bands, share) for share in (SHARES if bands.timeline else (0.0,))]
    if bands.pledges and bands.timeline:
        tries += [(Bands(pledges=True), 0.0)]
        tries += [(Bands(timeline=True), share) for share in SHARES]
    tries.append((Bands(), 0.0))
    return list(dict.fromkeys(tries))


def _left_out(asked: Bands, kept: Bands) -> list[str]:
    """The footer's note on a band asked for that found no room on this page."""
    pledges = asked.pledges and not kept.pledges
    timeline = asked.timeline and not kept.timeline
    if pledges and timeline:
        note = _(
            "Pledges and timeline left out: no room for them beside the map and its legend "
            "on this page (A4 portrait has the most)."
        )
    elif pledges:
        note = _(
            "Pledges left out: no room for it beside the map and its legend on this page "
            "(A4 portrait has the most)."
        )
    elif timeline:
        note = _(
            "Timeline left out: no room for it beside the map and its legend on this page "
            "(A4 portrait has the most)."
        )
    else:
        return []
    return [note]


def _plan_bottom(sheet, dataset, view, made_on, with_labels, notes, top, bands, share, extra):
    """The bands within ``share`` of the height between header and footer, and the footer."""
    notes = [*notes, *extra]
    foot = footer.build_footer(sheet, notes, made_on, with_labels)
    room = (top - HEADER_GAP - sheet.margin - foot.height(sheet)) * share
    pledges = timeline = None
    sources: list[str] = footer.investment_sources(view)
    if sources:
        foot = footer.build_footer(sheet, notes, made_on, with_labels, sources)
        room = (top - HEADER_GAP - sheet.margin - foot.height(sheet)) * share
    if bands.pledges:
        cards = headline_cards(dataset.commitments, made_on)
        pledges = strips.plan_pledges(sheet, cards, made_on)
        if pledges is not None:
            sources.append(strips.pledge_sources(cards))
            room -= pledges.height() + strips.BAND_GAP
    if bands.timeline:
        regions = view.state.filter.regions
        names = dict(dataset.regions[i18n.place_name_column()])
        timeline = strips.plan_timeline(sheet, dataset.events, names, regions, room)
        if timeline is not None:
            shown = len(timeline.entries)
            sources.append(strips.timeline_sources(dataset.events, regions, shown))
    if sources:
        foot = footer.build_footer(sheet, notes, made_on, with_labels, sources)
    bottom = sheet.margin + foot.height(sheet) + 0.05
    drawn = [b for b in (pledges, timeline) if b is not None]
    band_top = bottom + sum(b.height() + strips.BAND_GAP for b in drawn)
    return Bottom(pledges, timeline, foot, band_top)


def _draw_bands(sheet: Sheet, under: Bottom) -> None:
    y = under.top
    if under.pledges is not None:
        strips.draw_pledges(sheet, under.pledges, y)
        y -= under.pledges.height() + strips.BAND_GAP
    if under.timeline is not None:
        strips.draw_timeline(sheet, under.timeline, y)


def _say_empty(ax, font_size: float) -> None:
    ax.text(
        0.5,
        0.5,
        _(EMPTY_MESSAGE),
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=font_size * 1.5,
        color=INK,
        zorder=20,
        parse_math=False,
        bbox={"boxstyle": "round,pad=0.6", "fc": "white", "ec": LIGHT_GREY, "alpha": 0.92},
    )
