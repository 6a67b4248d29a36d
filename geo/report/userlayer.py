"""A reader's own sites on the report's maps: one vectorised scatter per map, under our markers.

Our markers stay on top (they are what the report is about); the reader's points sit above
the region colours and outlines. Up to MAX_POINTS_DRAWN points are drawn one by one; beyond
that the view holds grid cells (lat, lon, count) and each cell is a dot whose area says its
count. In SVG and PDF the dots are rasterized so that 100,000 points do not make a file of
100,000 paths; everything else on the page stays vector.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from pyproj import Transformer

from geo.core.legend import USER_COLOURS, user_category_colours, user_colour
from geo.core.regions import WGS84
from geo.core.userdata.view import UserView
from geo.core.view import ViewData
from geo.report.sheet import Box

USER_GID, ZOOM_USER_GID = "user-sites", "zoom-user-sites"
# Dot colours come from the legend model (by category, as on the web map); cells take the
# first. Few large dots get a dark grey outline.
USER_COLOUR = USER_COLOURS[0]
USER_EDGE = "#333333"
USER_ZORDER = 4.5  # above region outlines (3), below our markers (5)
# A dot's diameter as a share of the body size falls with the number of dots (tenfold more
# dots: DIAMETER_STEP smaller) between these bounds, so 100,000 dots do not cover France.
DIAMETER_MAX, DIAMETER_MIN, DIAMETER_STEP = 0.7, 0.2, 0.15
FEW_DOTS = 1000  # up to this many: opaque and outlined; more: translucent, density shows
FEW_ALPHA, MANY_ALPHA, EDGE_WIDTH = 0.9, 0.5, 0.4
CELL_MAX_DIAMETER = 1.5  # the largest grid cell, as a share of the body size


@dataclass(frozen=True)
class UserPoints:
    """The reader's points (or grid cells) as one map draws them, in its CRS."""

    xs: np.ndarray
    ys: np.ndarray
    counts: np.ndarray  # sites per dot: 1 for single sites, the cell's count for grid cells
    regions: np.ndarray  # INSEE région code per point ("" for grid cells)
    colours: np.ndarray  # dot colour per point (the category's, as on the web map)
    cells: bool = False  # grid cells rather than single sites
    top: float = 1.0  # the largest count of the whole view (every map scales dots alike)
    total: int = 0  # dots in the whole view (sets their size on every map)

    def __len__(self) -> int:
        return len(self.xs)

    def where(self, keep: np.ndarray) -> UserPoints:
        """The points where ``keep`` is True."""
        return replace(
            self,
            xs=self.xs[keep],
            ys=self.ys[keep],
            counts=self.counts[keep],
            regions=self.regions[keep],
            colours=self.colours[keep],
        )

    def areas(self, font_size: float) -> float | np.ndarray:
        """scatter() sizes, points squared: one for all sites (so Agg stamps one marker
        100,000 times instead of drawing 100,000 paths), by count for grid cells."""
        if not self.cells:
            return dot_area(font_size, self.total)
        return cell_areas(self.counts, font_size, self.top, self.total)

    def to_crs(self, crs: str, source: str) -> UserPoints:
        """The same points in another CRS."""
        transform = Transformer.from_crs(source, crs, always_xy=True).transform
        xs, ys = transform(self.xs, self.ys)
        return replace(self, xs=np.asarray(xs), ys=np.asarray(ys))

    def within(self, frame: Box) -> UserPoints:
        """The points inside a frame in the same CRS."""
        x0, y0, x1, y1 = frame
        return self.where((self.xs >= x0) & (self.xs <= x1) & (self.ys >= y0) & (self.ys <= y1))


def drawn_count(view: ViewData) -> int:
    """How many of the reader's located sites the maps show (points, or sites in grid cells)."""
    user = view.user
    if user is None:
        return 0
    if user.aggregated and user.grid is not None:
        return int(user.grid["count"].sum())
    return len(user.sites)


def user_points(view: ViewData, crs: str) -> UserPoints:
    """The reader's sites (or grid cells) drawn on the maps, projected to ``crs``."""
    user = view.user
    if user is None:
        empty, none = np.empty(0), np.empty(0, dtype=object)
        return UserPoints(empty, empty, empty, none, none)
    cells = bool(user.aggregated and user.grid is not None)
    table = user.grid if cells else user.sites
    counts = table["count"].to_numpy(float) if cells else np.ones(len(table))
    if cells:
        regions = np.full(len(table), "", dtype=object)
        colours = np.full(len(table), USER_COLOUR, dtype=object)
    else:
        regions = table["insee_reg"].to_numpy(object)
        colours = dot_colours(user)
    top = float(counts.max()) if len(counts) else 1.0
    lonlat = UserPoints(
        table["lon"].to_numpy(float),
        table["lat"].to_numpy(float),
        counts,
        regions,
        colours,
        cells,
        top,
        len(table),
    )
    return lonlat.to_crs(crs, WGS84)


def dot_colours(user: UserView) -> np.ndarray:
    """Each drawn site's colour: its category's (geo.core.legend), one lookup per category."""
    by_category = user_category_colours(user.categories)
    categories = user.sites["category"].astype(str)
    colour_of = {c: user_colour(c, by_category, user.categories) for c in categories.unique()}
    return categories.map(colour_of).to_numpy(object)


def dot_diameter(total: int) -> float:
    """A dot's diameter, as a share of the body size, on a map of ``total`` dots."""
    shrink = DIAMETER_STEP * np.log10(max(total, 1))
    return float(np.clip(DIAMETER_MAX - shrink, DIAMETER_MIN, DIAMETER_MAX))


def dot_area(font_size: float, total: int) -> float:
    """scatter() size of one site's dot, points squared."""
    return (dot_diameter(total) * font_size) ** 2


def dot_look(total: int, colour: str = USER_COLOUR) -> dict:
    """scatter() colours for a map of ``total`` dots: few are opaque and outlined."""
    few = total <= FEW_DOTS
    return {
        "c": colour,
        "alpha": FEW_ALPHA if few else MANY_ALPHA,
        "edgecolors": USER_EDGE,
        "linewidths": EDGE_WIDTH if few else 0.0,
    }


def cell_areas(counts: np.ndarray, font_size: float, top: float, total: int) -> np.ndarray:
    """Dot sizes of grid cells: area proportional to count (the largest at the top diameter),
    never smaller than a single site's dot."""
    low, high = dot_diameter(total) * font_size, CELL_MAX_DIAMETER * font_size
    return np.maximum(np.asarray(counts, float) / top * high**2, low**2)


def draw_user_points(ax: Axes, points: UserPoints, gid: str, font_size: float) -> int:
    """One scatter call for all the points, in file order (so no category is drawn over
    another as a block); return how many were drawn. With a single colour and size Agg
    stamps one marker per point, its fastest path."""
    if not len(points):
        return 0
    colours = points.colours
    single = bool((colours == colours[0]).all())
    look = dot_look(points.total, colours[0] if single else USER_COLOUR)
    if not single:  # an RGBA row per point, from one conversion per distinct colour
        codes, distinct = pd.factorize(colours)
        look["c"] = np.array([to_rgba(c) for c in distinct])[codes]
    ax.scatter(
        points.xs,
        points.ys,
        s=points.areas(font_size),
        marker="o",
        **look,
        gid=gid,
        zorder=USER_ZORDER,
        rasterized=True,
    )
    return len(points)
