"""Map axes: the projected layers, the base map (countries, regions, outlines) and site markers."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib_scalebar.scalebar import ScaleBar
from shapely.plotting import patch_from_polygon

from geo import style
from geo.core.dataset import Dataset
from geo.core.regions import LAMBERT93
from geo.core.view import ViewData
from geo.report.investlayer import (
    INVEST_GID,
    InvestmentPoints,
    draw_investments,
    projected_points,
)
from geo.report.markers import (
    DRAWING_ORDER,
    SITE_ZORDER,
    marker_radius,
    scatter_marker,
    site_colours,
    site_drawings,
    site_shapes,
)
from geo.report.sheet import INK, Box, Sheet
from geo.report.text import FONT
from geo.report.userlayer import (
    USER_GID,
    UserPoints,
    draw_user_points,
    user_points,
)

SITE_GID, ZOOM_SITE_GID = "site-markers", "zoom-site-markers"
FRAME_PAD = 0.03  # share of the larger side of metropolitan France


@dataclass(frozen=True)
class Projected:
    """The view's layers in Lambert-93 (EPSG:2154); departements only when the view asks."""

    metro: gpd.GeoDataFrame  # metropolitan regions with the view's metrics
    countries: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame | None
    sites: gpd.GeoDataFrame
    user: UserPoints  # the reader's sites or grid cells (none: empty)
    # Département-level user values colour these (all départements) instead of the regions.
    fills: gpd.GeoDataFrame | None = None
    user_regions: frozenset[str] = frozenset()  # regions holding some of the reader's data
    investments: InvestmentPoints | None = None  # the investments layer (None: not drawn)


@dataclass(frozen=True)
class DrawnMap:
    """A map as drawn: its axes, its markers (page-independent) and what it labels."""

    ax: Axes
    points: np.ndarray  # marker positions in the axes' data units, shape (n, 2)
    radii: np.ndarray  # marker radii in points
    scalebar: ScaleBar
    sites: gpd.GeoDataFrame  # the sites drawn, in the axes' CRS
    label_sites: gpd.GeoDataFrame  # the sites this map labels, in the axes' CRS
    zoom: bool = False


def project(dataset: Dataset, view: ViewData) -> Projected:
    """The layers the main map draws, in Lambert-93."""
    metrics = view.metrics
    metro = metrics[metrics["zone"] == "metro"].to_crs(LAMBERT93)
    departements = None
    if view.state.departements:
        mask = dataset.departements["insee_reg"].isin(metro.index)
        departements = dataset.departements[mask].to_crs(LAMBERT93)
    fills = None
    values = view.departement_values
    if values is not None:
        fills = dataset.departements.to_crs(LAMBERT93)
    points = user_points(view, LAMBERT93)
    return Projected(
        metro=metro,
        countries=dataset.countries.to_crs(LAMBERT93),
        departements=departements,
        sites=view.sites.to_crs(LAMBERT93),
        user=points,
        fills=fills,
        user_regions=user_regions(dataset, view, points),
        investments=projected_points(view, metrics),
    )


def user_regions(dataset: Dataset, view: ViewData, points: UserPoints) -> frozenset[str]:
    """Regions where the reader's points fall or whose départements have a user value."""
    codes = set(points.regions) - {""}
    values = view.departement_values
    if values is not None:
        deps = dataset.departements["insee_reg"]
        codes |= set(deps[deps.index.isin(values.dropna().index)])
    return frozenset(codes)


def main_frame(projected: Projected) -> Box:
    """Metropolitan France with a little sea around it, in Lambert-93 metres."""
    x0, y0, x1, y1 = projected.metro.total_bounds
    pad = FRAME_PAD * max(x1 - x0, y1 - y0)
    return (x0 - pad, y0 - pad, x1 + pad, y1 + pad)


def aspect(frame: Box) -> float:
    """Width over height."""
    return (frame[2] - frame[0]) / (frame[3] - frame[1])


def fit(frame: Box, ratio: float) -> Box:
    """Grow the frame around its centre to the given width/height ratio."""
    x0, y0, x1, y1 = frame
    w, h = x1 - x0, y1 - y0
    if w / h < ratio:
        grow = (h * ratio - w) / 2
        return (x0 - grow, y0, x1 + grow, y1)
    grow = (w / ratio - h) / 2
    return (x0, y0 - grow, x1, y1 + grow)


def map_axes(sheet: Sheet, box: Box, frame: Box, gid: str) -> Axes:
    """An axes filling the box that shows at least the frame, at equal scale, on sea blue."""
    x0, y0, x1, y1 = box
    ax = sheet.add_axes(box, gid=gid)
    fx0, fy0, fx1, fy1 = fit(frame, (x1 - x0) / (y1 - y0))
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


def draw_base(
    ax: Axes,
    view: ViewData,
    regions: gpd.GeoDataFrame,
    countries: gpd.GeoDataFrame | None = None,
    departements: gpd.GeoDataFrame | None = None,
    veil: float = 0.0,
    fills: gpd.GeoDataFrame | None = None,
) -> None:
    """Countries, the regions in their class colours, departement lines, region outlines.

    A ``veil`` (0..1) pales the region colours under a white wash, with grey departement
    lines instead of white ones, so dark markers stay legible on the darkest class. With
    ``fills`` (départements, in the axes' CRS) the département-level user values are the
    choropleth: the départements of these regions take the class colours, with their lines.
    """
    if countries is not None:
        _lines(ax, countries, style.COUNTRY_EDGE, 0.5, "countries", 1, fill=style.COUNTRY_FILL)
    if fills is not None:
        fills = fills[fills["insee_reg"].isin(regions.index)]
        values = view.departement_values
        _fill(ax, view, fills, values, "departement")
        if departements is None:
            departements = fills
    else:
        _fill(ax, view, regions, view.metrics[view.metric.key], "region")
    if veil:
        wash = Rectangle((0, 0), 1, 1, transform=ax.transAxes, facecolor="white")
        wash.set(edgecolor="none", alpha=veil, gid="veil", zorder=2.4)
        ax.add_patch(wash)
    if departements is not None:
        colour = style.BOUNDARY_COLOUR if veil else "white"
        _lines(ax, departements, colour, 0.35, "departements", 2.5)
    _lines(ax, regions, style.BOUNDARY_COLOUR, 0.6, "region-outlines", 3)


def _fill(ax: Axes, view: ViewData, areas: gpd.GeoDataFrame, values, kind: str) -> None:
    """Each area as a patch in the class colour of its value (gid 'region-11', ...)."""
    for code, geom in areas.geometry.items():
        colour = view.classes.colour_of(values.get(code))
        patch = patch_from_polygon(geom, facecolor=colour, edgecolor="none", zorder=2)
        patch.set_gid(f"{kind}-{code}")
        ax.add_artist(patch)


def _lines(
    ax: Axes, gdf: gpd.GeoDataFrame, colour: str, width: float, gid: str, zorder: float, fill="none"
) -> None:
    """All the polygons' boundaries as one patch (one SVG path, not one per polygon)."""
    ax.add_artist(
        PathPatch(
            _compound(gdf.geometry),
            facecolor=fill,
            edgecolor=colour,
            linewidth=width,
            gid=gid,
            zorder=zorder,
        )
    )


def draw_sites(
    ax: Axes, sites: gpd.GeoDataFrame, gid: str, font_size: float
) -> tuple[np.ndarray, np.ndarray]:
    """Scatter the sites, hollow under approximate under solid; return (points, radii in pt)."""
    if sites.empty:
        return np.empty((0, 2)), np.empty(0)
    xs, ys = sites.geometry.x.to_numpy(), sites.geometry.y.to_numpy()
    colours = site_colours(sites).to_numpy()
    drawings = site_drawings(sites).to_numpy()
    shapes = site_shapes(sites).to_numpy()
    radii = np.array([marker_radius(shape, font_size) for shape in shapes])
    for drawing in DRAWING_ORDER:
        for shape in dict.fromkeys(shapes):
            for colour in dict.fromkeys(colours):
                keep = (drawings == drawing) & (shapes == shape) & (colours == colour)
                if keep.any():
                    scatter_marker(
                        ax,
                        xs[keep],
                        ys[keep],
                        shape=shape,
                        colour=colour,
                        drawing=drawing,
                        font_size=font_size,
                        gid=gid,
                        halo_gid="site-halo",
                        zorder=SITE_ZORDER,
                    )
    return np.column_stack([xs, ys]), radii


def scale_bar(size: float, length_fraction: float) -> ScaleBar:
    """A metric scale bar for an axes in metres, in the lower left corner."""
    return ScaleBar(
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


def draw_main_map(
    sheet: Sheet,
    box: Box,
    view: ViewData,
    projected: Projected,
    elsewhere: set[str],
    zoom: Box | None,
) -> DrawnMap:
    """Metropolitan France, without the regions shown in insets, outlining the zoom frame."""
    ax = map_axes(sheet, box, main_frame(projected), gid="main-map")
    draw_base(
        ax, view, projected.metro, projected.countries, projected.departements,
        fills=projected.fills,
    )  # fmt: skip
    sites = projected.sites
    main_regions = projected.metro.index.difference(elsewhere)
    in_main = sites[sites["insee_reg"].isin(main_regions)]
    user = projected.user
    if not user.cells:  # grid cells have no région: the axes clip them to the frame
        user = user.where(np.isin(user.regions, main_regions))
    draw_user_points(ax, user, USER_GID, sheet.font_size)
    if projected.investments is not None:
        invested = projected.investments.in_regions(main_regions)
        draw_investments(ax, invested, INVEST_GID, sheet.font_size)
    points, radii = draw_sites(ax, in_main, SITE_GID, sheet.font_size)
    bar = scale_bar(sheet.font_size * 0.85, length_fraction=0.2)
    ax.add_artist(bar)
    label_sites = in_main
    if zoom is not None:
        zoom_outline(ax, zoom)
        label_sites = in_main[~within(in_main, zoom)]
    return DrawnMap(ax, points, radii, bar, in_main, label_sites)


def zoom_outline(ax: Axes, frame: Box) -> None:
    """The zoom inset's frame on the main map: a dark line with a white casing."""
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


def within(sites: gpd.GeoDataFrame, frame: Box):
    """Which sites lie inside the frame (a boolean Series)."""
    x0, y0, x1, y1 = frame
    xs, ys = sites.geometry.x, sites.geometry.y
    return (xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1)


def _compound(geoms) -> MplPath:
    """One path of many (multi)polygons, rings oriented by shapely so holes stay holes."""
    paths = [patch_from_polygon(g).get_path() for g in geoms if g is not None and not g.is_empty]
    return MplPath.make_compound_path(*paths) if paths else MplPath(np.empty((0, 2)))
