"""Site markers as matplotlib draws them: marker, size and the scatter layers of each drawing."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb

from geo import style

# Some marker shapes look smaller than others at the same size: even them out.
MARKER_SCALE = {"*": 1.45, "v": 1.1, "^": 1.1, "D": 0.85, "s": 0.9, "h": 1.05, "p": 1.05}
APPROXIMATE_WHITE_SHARE = 1 - style.APPROXIMATE_FILL_OPACITY
HOLLOW_DASHES = (0, (2.2, 1.4))
DRAWING_ORDER = ("hollow", "approximate", "solid")  # solid markers on top
SITE_ZORDER = 5


def site_colours(sites: pd.DataFrame) -> pd.Series:
    """Marker colour of each site (its initiative's, or the several-initiatives grey)."""
    return sites["initiatives"].map(style.marker_colour)


def site_drawings(sites: pd.DataFrame) -> pd.Series:
    """Drawing of each site: solid, approximate or hollow, from its coordinate's precision."""
    return sites["precision"].map(lambda p: style.PRECISION_DRAWING.get(p, "solid"))


def site_shapes(sites: pd.DataFrame) -> pd.Series:
    """Marker shape of each site, from its category."""
    return sites["category"].map(style.CATEGORY_SHAPES)


def _marker(shape: str) -> str:
    return style.MATPLOTLIB_MARKERS[shape]


def marker_area(shape: str, font_size: float) -> float:
    """scatter() size (points squared) of a shape at a body font size."""
    size = font_size * 1.0 * MARKER_SCALE.get(_marker(shape), 1.0)
    return size**2


def marker_radius(shape: str, font_size: float) -> float:
    """Half the marker's box in points: the room it takes around its point."""
    return np.sqrt(marker_area(shape, font_size)) / 2


def largest_radius(font_size: float) -> float:
    """Radius (points) of the largest shape (the star)."""
    return max(marker_radius(shape, font_size) for shape in style.MATPLOTLIB_MARKERS)


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
    """Scatter markers of one shape, colour and drawing; halo layers get ``halo_gid``."""
    layers = _marker_styles(colour, drawing)
    for k, kwargs in enumerate(layers):
        extra = {} if zorder is None else {"zorder": zorder + k * 0.1}
        ax.scatter(
            xs,
            ys,
            s=marker_area(shape, font_size),
            marker=_marker(shape),
            gid=gid if k == len(layers) - 1 or halo_gid is None else halo_gid,
            **extra,
            **kwargs,
        )
