"""Where the main map, the insets and the legend go on a page (pure geometry, no drawing)."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from geo.core.legend import LegendSection
from geo.report.insets import title_height
from geo.report.legend import Section, column_height, measure, natural_width
from geo.report.sheet import Box

INSET_MIN, INSET_MAX, INSET_GAP = 1.45, 0.3, 0.15  # inches, share of the map box, inches
# Insets in the legend band under the map: at most this many, of this side (inches).
BAND_MAX_INSETS, BAND_INSET, BAND_INSET_MAX = 2, 1.7, 1.8
LEGEND_GAP, MAP_LEGEND_GAP = 0.3, 0.2  # inches
RIGHT_WIDTH = 0.29  # widest legend column beside the map, inches per point of body size
# Narrower legend columns beside the map, as shares of the natural width (see plan_page).
RIGHT_SHRINKS = (0.85, 0.72)
SHRINK_GAIN = 1.15  # a plan with narrower columns must beat the others by this factor
NEAR_TIE = 1.01  # a plan must beat the one before by this factor of main-map area


@dataclass(frozen=True)
class Plan:
    """Where the maps and the legend go on one page."""

    main: Box
    insets: list[Box]
    columns: list[list[Section]]
    width: float  # of a legend column
    left: float  # of the legend
    top: float  # of the legend
    legend_height: float  # of the tallest legend column
    forced: bool = False  # nothing fitted: the legend runs past the body's foot

    @property
    def area(self) -> float:
        """Area of the main map: what the plans compete on."""
        return (self.main[2] - self.main[0]) * (self.main[3] - self.main[1])

    def column_origins(self) -> list[tuple[float, float]]:
        """Top-left corner of each legend column."""
        return [
            (self.left + i * (self.width + LEGEND_GAP), self.top) for i in range(len(self.columns))
        ]


def plan_page(
    body: Box, blocks: Sequence[LegendSection], n_insets: int, aspect: float, font_size: float
) -> Plan:
    """The plan that leaves the main map the most room.

    Candidates: one to three legend columns right of the map; two to four columns below it,
    with the insets beside the maps or, when there are few, in the band under the map
    after the legend columns. Fewer columns win near-ties: a compact legend reads better.
    Then the same plans right of the map with narrower columns (more wrapped labels), which
    must give the map clearly more room (SHRINK_GAIN) to win: a tall legend (the investments
    layer's) would otherwise leave the map a strip beside three wide columns.
    """
    candidates = [_right(body, blocks, n, n_insets, aspect, font_size) for n in (1, 2, 3)]
    if 0 < n_insets <= BAND_MAX_INSETS:
        candidates += [_right_band(body, blocks, n, n_insets, aspect, font_size) for n in (1, 2, 3)]
    candidates += [
        _below(body, blocks, n, n_insets, aspect, band, font_size)
        for band in ((False, True) if 0 < n_insets <= BAND_MAX_INSETS else (False,))
        for n in (2, 3, 4)
    ]
    best = _largest(candidates, None, NEAR_TIE)
    narrow = [
        plan(body, blocks, n, n_insets, aspect, font_size, shrink=k)
        for k in RIGHT_SHRINKS
        for plan in (_right, _right_band)
        if plan is _right or 0 < n_insets <= BAND_MAX_INSETS
        for n in (1, 2, 3)
    ]
    best = _largest(narrow, best, SHRINK_GAIN)
    if best is None:  # nothing fits: one column on the right, cut at the page's foot
        forced = _right(body, blocks, 1, n_insets, aspect, font_size, force=True)
        best = dataclasses.replace(forced, forced=True)
    return best


def _largest(candidates, best: Plan | None, factor: float) -> Plan | None:
    """The plan with the largest main map; a later one must beat an earlier by ``factor``."""
    for candidate in candidates:
        if candidate is not None and (best is None or candidate.area > best.area * factor):
            best = candidate
    return best


def _right(body, blocks, n, n_insets, aspect, font_size, force=False, shrink=1.0) -> Plan | None:
    x0, y0, x1, y1 = body
    width = min(font_size * RIGHT_WIDTH, natural_width(blocks, font_size)) * shrink
    sections = [measure(b, width, font_size) for b in blocks]
    columns = balanced(sections, n, font_size)
    height = max(column_height(c, font_size) for c in columns)
    right = x1 - len(columns) * width - (len(columns) - 1) * LEGEND_GAP - LEGEND_GAP
    if not force and (height > y1 - y0 or right <= x0):
        return None
    main, insets = arrange((x0, y0, right, y1), aspect, n_insets)
    left = max(b[2] for b in (main, *insets)) + LEGEND_GAP
    return Plan(main, insets, columns, width, left, y1, height)


def _right_band(body, blocks, n, n_insets, aspect, font_size, shrink=1.0) -> Plan | None:
    """Legend columns right of the map and the insets in a row under the first of them.

    On a wide page the map is short of height; with the insets out of its way it can take
    the body's whole height. The row goes under as few columns as it needs, so a tall last
    column does not push it out.
    """
    _, y0, x1, y1 = body
    plan = _right(body, blocks, n, 0, aspect, font_size, shrink=shrink)
    if plan is None:
        return None
    title_h = title_height(font_size)
    heights = [column_height(c, font_size) for c in plan.columns]
    side = 0.0
    for k in range(1, len(heights) + 1):
        room = y1 - y0 - max(heights[:k]) - MAP_LEGEND_GAP - title_h
        across = x1 - plan.left if k == len(heights) else k * (plan.width + LEGEND_GAP)
        side = max(side, min(room, BAND_INSET_MAX, (across - n_insets * LEGEND_GAP) / n_insets))
    if side < INSET_MIN:
        return None
    top = y0 + side + title_h
    insets = [
        (plan.left + k * (side + LEGEND_GAP), y0, plan.left + k * (side + LEGEND_GAP) + side, top)
        for k in range(n_insets)
    ]
    return Plan(plan.main, insets, plan.columns, plan.width, plan.left, y1, plan.legend_height)


def _below(body, blocks, n, n_insets, aspect, band, font_size) -> Plan | None:
    x0, y0, x1, y1 = body
    title_h = title_height(font_size)
    side = BAND_INSET if band else 0.0
    for _ in range(2):  # the inset side follows the legend's height, which follows the side
        room = n_insets * (side + LEGEND_GAP) if band else 0.0
        width = (x1 - x0 - room - (n - 1) * LEGEND_GAP) / n
        sections = [measure(b, width, font_size) for b in blocks]
        columns = balanced(sections, n, font_size)
        height = max(column_height(c, font_size) for c in columns)
        if band:
            side = min(max(height - title_h, INSET_MIN), BAND_INSET_MAX)
            height = max(height, side + title_h)
    if height + MAP_LEGEND_GAP >= (y1 - y0) * 0.6:
        return None
    map_box = (x0, y0 + height + MAP_LEGEND_GAP, x1, y1)
    main, insets = arrange(map_box, aspect, 0 if band else n_insets)
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
    return Plan(main, insets, columns, width, x0, top, height)


def arrange(box: Box, aspect: float, n: int) -> tuple[Box, list[Box]]:
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


def balanced(sections: list[Section], n: int, font_size: float) -> list[list[Section]]:
    """Split sections into at most n columns with the lowest tallest column.

    The first section (the choropleth) stays first; the marker sections may change order
    when that makes the legend shorter. At equal height the given order wins.
    """
    best: list[list[Section]] = [sections]
    best_height = column_height(sections, font_size)
    for rest in itertools.permutations(sections[1:]):
        for columns in _splits([sections[0], *rest], n):
            height = max(column_height(c, font_size) for c in columns)
            if height < best_height - 1e-9:
                best, best_height = columns, height
    return best


def _splits(items: list[Section], n: int) -> Iterator[list[list[Section]]]:
    """Every way to cut items, in order, into 1 to n non-empty runs."""
    if n == 1 or len(items) <= 1:
        yield [items]
        return
    yield [items]
    for cut in range(1, len(items)):
        for rest in _splits(items[cut:], n - 1):
            yield [items[:cut], *rest]
