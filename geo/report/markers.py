"""Site markers as matplotlib draws them: outlines and paint layers from ``geo.core.symbols``.

A shape's vertices are in units of half the marker box (the web's 24 px box). The report
sets that half-box to a fixed number of points per body point, so every shape keeps the
relative size the model gives it, on the map and in the legend alike.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.path import Path as MplPath

from geo import style
from geo.core import symbols

# The circle is as wide as the body text is tall (the size the report always used).
HALF_BOX = 0.5 / symbols.shape_radius("circle")  # points of half-box per body point
PX = 1 / symbols.BOX_HALF_PX  # half-box units per web px (widths and dashes are in px)
DRAWING_ORDER = ("hollow", "approximate", "solid")  # solid markers on top
SITE_ZORDER = 5
NONE = "none"


def site_colours(sites: pd.DataFrame) -> pd.Series:
    """Marker colour of each site (its initiative's, or the several-initiatives grey)."""
    return sites["initiatives"].map(style.marker_colour)


def site_drawings(sites: pd.DataFrame) -> pd.Series:
    """Drawing of each site: solid, approximate or hollow, from its coordinate's precision."""
    return sites["precision"].map(lambda p: style.PRECISION_DRAWING.get(p, "solid"))


def site_shapes(sites: pd.DataFrame) -> pd.Series:
    """Marker shape of each site, from its category."""
    return sites["category"].map(style.CATEGORY_SHAPES)


def half_box(font_size: float) -> float:
    """Half the marker box in points, at a body font size."""
    return font_size * HALF_BOX


@functools.cache
def marker_path(shape: str) -> MplPath:
    """The shape's closed outline as a matplotlib path (y up, half-box units)."""
    vertices = np.asarray(symbols.shape_vertices(shape), float)
    return MplPath(np.vstack([vertices, vertices[:1]]), closed=True)


def _extent(shape: str) -> float:
    """Largest |x| or |y| of the outline: what matplotlib scales a Path marker by."""
    return float(np.max(np.abs(symbols.shape_vertices(shape))))


def marker_area(shape: str, font_size: float) -> float:
    """scatter() size (points squared) that draws the shape at its model size.

    matplotlib scales a Path marker so its largest |vertex coordinate| is half the marker
    size; giving each shape a size of twice that extent undoes the normalisation.
    """
    return (2 * _extent(shape) * half_box(font_size)) ** 2


def marker_radius(shape: str, font_size: float) -> float:
    """Half the side of the square the drawn shape covers, in points."""
    return _extent(shape) * half_box(font_size)


def largest_radius(font_size: float) -> float:
    """Distance (points) from the centre to the farthest vertex of any shape (the star's)."""
    return max(symbols.shape_radius(s) for s in symbols.SHAPE_KEYS) * half_box(font_size)


def layer_styles(drawing: str, colour: str, font_size: float) -> list[dict]:
    """scatter() keyword sets of the drawing's paint layers, bottom first."""
    px = half_box(font_size) * PX  # points per web px
    styles = []
    for layer in symbols.drawing_layers(drawing, colour):
        width = layer.width * px if layer.stroke else 0.0
        kwargs = {
            "facecolors": [to_rgba(layer.fill, layer.fill_opacity)] if layer.fill else NONE,
            "edgecolors": [to_rgba(layer.stroke, layer.stroke_opacity)] if layer.stroke else NONE,
            "linewidths": width,
        }
        if layer.dashes and width:
            # Collection dashes are in multiples of the line width.
            kwargs["linestyles"] = [(0, tuple(d * px / width for d in layer.dashes))]
        styles.append(kwargs)
    return styles


def scatter_marker(
    ax: Axes,
    xs: Sequence[float],
    ys: Sequence[float],
    *,
    shape: str,
    colour: str,
    drawing: str,
    font_size: float,
    gid: str,
    halo_gid: str | None = None,
    zorder: float | None = None,
) -> None:
    """Scatter markers of one shape, colour and drawing; under-layers get ``halo_gid``."""
    layers = layer_styles(drawing, colour, font_size)
    for k, kwargs in enumerate(layers):
        extra = {} if zorder is None else {"zorder": zorder + k * 0.1}
        ax.scatter(
            xs,
            ys,
            s=marker_area(shape, font_size),
            marker=marker_path(shape),
            gid=gid if k == len(layers) - 1 or halo_gid is None else halo_gid,
            **extra,
            **kwargs,
        )
