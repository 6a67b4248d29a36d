"""Site labels: a greedy placer that keeps labels off markers, scale bars and each other."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.core import vocabulary as voc
from geo.report.maps import DrawnMap
from geo.report.markers import largest_radius, site_drawings
from geo.report.sheet import GREY, Box, Sheet
from geo.report.text import line_height, localized_texts, short_label, text_width

MAX_LABELS = 60  # per map
LABEL_PAD = 0.03  # inches around a label's text
LABEL_SIZE = 0.8  # label font size as a share of the body size
MARKER_CLEARANCE = 0.015  # inches between a marker's edge and its label
FAR = 3.2  # the second ring of candidates, as a multiple of the first one's distance


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


def label_order(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Data centres first, then exact sites, then by category order and name."""
    category_rank = {k: i for i, k in enumerate(voc.CATEGORIES)}
    drawing_rank = {"solid": 0, "approximate": 1, "hollow": 2}
    order = pd.DataFrame(
        {
            "category": sites["category"].map(category_rank),
            "drawing": site_drawings(sites).map(drawing_rank),
            "name": sites["name"],
        },
        index=sites.index,
    ).sort_values(["category", "drawing", "name"])
    return sites.loc[order.index]


def draw_site_labels(sheet: Sheet, maps: Sequence[DrawnMap]) -> int:
    """Label sites map by map, most important first; return how many found no room.

    The main map goes first, then the zoom (which takes over the main map's crowded
    sites), then the region insets.
    """
    size = sheet.font_size * LABEL_SIZE
    obstacles = [b for m in maps for b in _marker_boxes(sheet, m)] + _scale_bar_boxes(sheet, maps)
    # Labels keep clear of the largest marker (the star), whatever their own shape.
    radius = largest_radius(sheet.font_size) / 72 + MARKER_CLEARANCE
    ordered = [maps[0], *sorted(maps[1:], key=lambda m: not m.zoom)]
    wanted = sum(len(m.label_sites) for m in ordered)
    placed = 0
    for drawn in ordered:
        chosen = label_order(drawn.label_sites).head(MAX_LABELS)
        texts = [short_label(name) for name in localized_texts(chosen, "name")]
        anchors = [sheet.to_page(drawn.ax, p.x, p.y) for p in chosen.geometry]
        sizes = [
            (text_width(t, size) + 2 * LABEL_PAD, line_height(size) + LABEL_PAD) for t in texts
        ]
        boxes = place_labels(anchors, sizes, radius, obstacles, sheet.box_of(drawn.ax))
        for text, anchor, choice in zip(texts, anchors, boxes, strict=True):
            if choice is not None:
                _draw_label(sheet, text, anchor, *choice, size)
                obstacles.append(choice[0])
                placed += 1
    return wanted - placed


def _draw_label(
    sheet: Sheet, text: str, anchor: tuple[float, float], box: Box, far: bool, size: float
) -> None:
    x0, y0, x1, y1 = box
    if far:  # a leader from the point to the nearest edge of its label
        x, y = anchor
        sheet.overlay.plot(
            [x, min(max(x, x0), x1)],
            [y, min(max(y, y0), y1)],
            color=GREY,
            linewidth=0.5,
            gid="label-leader",
            zorder=1,
        )
    label = sheet.put(
        (x0 + x1) / 2,
        (y0 + y1) / 2,
        text,
        size,
        ha="center",
        va="center_baseline",
        gid="site-label",
    )
    label.set_bbox({"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})


def _marker_boxes(sheet: Sheet, drawn: DrawnMap) -> list[Box]:
    """The square each marker covers, in page inches."""
    if not len(drawn.points):
        return []
    (bx0, by0, bx1, by1) = sheet.box_of(drawn.ax)
    (xl0, xl1), (yl0, yl1) = drawn.ax.get_xlim(), drawn.ax.get_ylim()
    px = bx0 + (drawn.points[:, 0] - xl0) / (xl1 - xl0) * (bx1 - bx0)
    py = by0 + (drawn.points[:, 1] - yl0) / (yl1 - yl0) * (by1 - by0)
    r = drawn.radii / 72
    return list(zip(px - r, py - r, px + r, py + r, strict=True))


def _scale_bar_boxes(sheet: Sheet, maps: Sequence[DrawnMap]) -> list[Box]:
    """The scale bars, whose boxes are measured with the Agg renderer."""
    renderer = sheet.fig.canvas.get_renderer()
    dpi = sheet.fig.dpi
    boxes = [m.scalebar.get_window_extent(renderer) for m in maps]
    return [(b.x0 / dpi, b.y0 / dpi, b.x1 / dpi, b.y1 / dpi) for b in boxes]


def _candidates(x: float, y: float, w: float, h: float, r: float) -> Iterator[tuple[Box, bool]]:
    for distance, far in ((r, False), (r * FAR, True)):
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
