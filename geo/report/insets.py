"""Small maps beside the main one: overseas regions, a cut-off Corsica, the Paris-area zoom."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box as shapely_box
from shapely.geometry.base import BaseGeometry

from geo import i18n
from geo.core.dataset import Dataset
from geo.core.regions import LAMBERT93, WGS84
from geo.core.state import VIEWS
from geo.core.view import ViewData
from geo.i18n import _
from geo.report.investlayer import (
    INVEST_GID,
    ZOOM_INVEST_GID,
    draw_investments,
    investment_points,
    region_codes,
)
from geo.report.maps import (
    SITE_GID,
    ZOOM_SITE_GID,
    DrawnMap,
    Projected,
    draw_base,
    draw_sites,
    main_frame,
    map_axes,
    scale_bar,
    within,
)
from geo.report.sheet import Box, Sheet
from geo.report.text import line_height
from geo.report.userlayer import USER_GID, ZOOM_USER_GID, draw_user_points

# A zoomed inset of the Paris area is added when this many drawn sites overlap there.
ZOOM_VIEW, ZOOM_REGION, ZOOM_MIN_SITES = "paris", "11", 4
ZOOM_VEIL = 0.55  # white wash over the zoom's region colours
REGION_PAD = 0.08  # share of the region's larger side
TITLE_SIZE = 0.9  # inset title size as a share of the body size


@dataclass(frozen=True)
class Inset:
    """What an inset shows: an overseas region, a cut-off Corsica, or the zoom."""

    key: str
    title: str
    crs: str
    frame: Box  # in ``crs`` units
    region_codes: tuple[str, ...]
    zoom: bool = False


def title_height(font_size: float) -> float:
    """Room an inset's title takes above its map, in inches."""
    return line_height(font_size * TITLE_SIZE) + 0.02


def regions_needing_insets(
    view: ViewData,
    metro: gpd.GeoDataFrame,
    frame: BaseGeometry,
    user_regions: frozenset[str] = frozenset(),
) -> list[str]:
    """Regions the view concerns that the main frame does not show whole, in INSEE order.

    A region is concerned when it has a drawn site (ours or the reader's), a non-zero value
    of the metric (or a département with a user value), or is selected by the region
    filter. Overseas regions are never in the main frame; a metropolitan one (Corsica) only
    when the frame cuts it.
    """
    values = view.metrics[view.metric.key]
    with_sites = set(view.sites["insee_reg"]) | user_regions
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


def plan_insets(view: ViewData, projected: Projected) -> list[Inset]:
    """The insets the view needs: one per region outside the main frame, then the zoom."""
    frame = shapely_box(*main_frame(projected))
    insets = []
    concerned = projected.user_regions | region_codes(view)
    for code in regions_needing_insets(view, projected.metro, frame, concerned):
        row = view.metrics.loc[code]
        region = view.metrics.loc[[code]]
        crs = LAMBERT93 if row["zone"] == "metro" else str(region.estimate_utm_crs())
        x0, y0, x1, y1 = region.to_crs(crs).total_bounds
        pad = REGION_PAD * max(x1 - x0, y1 - y0)
        name = row[i18n.place_name_column()]
        insets.append(Inset(code, name, crs, (x0 - pad, y0 - pad, x1 + pad, y1 + pad), (code,)))
    zoom = zoom_frame(projected.sites)
    if zoom is not None:
        title = _("{area} (enlarged)").format(area=_(str(VIEWS[ZOOM_VIEW].label)))
        insets.append(Inset("zoom", title, LAMBERT93, zoom, (), zoom=True))
    return insets


def shown_elsewhere(insets: Sequence[Inset]) -> set[str]:
    """Regions drawn in a region inset rather than on the main map."""
    return {code for inset in insets if not inset.zoom for code in inset.region_codes}


def zoom_of(insets: Sequence[Inset]) -> Box | None:
    """The zoom inset's frame, if there is one."""
    return next((inset.frame for inset in insets if inset.zoom), None)


def zoom_frame(sites: gpd.GeoDataFrame) -> Box | None:
    """The Paris-area frame (EPSG:2154) when enough drawn sites crowd into it, else None."""
    south, west, north, east = VIEWS[ZOOM_VIEW].bounds
    corners = gpd.GeoSeries(gpd.points_from_xy([west, east], [south, north]), crs=WGS84).to_crs(
        LAMBERT93
    )
    (x0, x1), (y0, y1) = sorted(corners.x), sorted(corners.y)
    frame = (x0, y0, x1, y1)
    if sites.empty or int(within(sites, frame).sum()) < ZOOM_MIN_SITES:
        return None
    return frame


def draw_inset(
    sheet: Sheet,
    inset: Inset,
    box: Box,
    dataset: Dataset,
    view: ViewData,
    projected: Projected,
    main: DrawnMap,
) -> DrawnMap:
    """The inset's title and map, with its markers and a scale bar."""
    fs = sheet.font_size
    x0, y0, x1, y1 = box
    title_h = title_height(fs)
    ax = map_axes(sheet, (x0, y0, x1, y1 - title_h), inset.frame, gid=f"inset-{inset.key}")
    sheet.put(x0, y1 - title_h + 0.05, inset.title, fs * TITLE_SIZE, bold=True, gid="inset-title")
    if inset.zoom:
        # Departements give the zoom its landmarks (Paris, the inner suburbs).
        deps = dataset.departements
        local = deps[deps["insee_reg"] == ZOOM_REGION].to_crs(LAMBERT93)
        # Paled, so the markers crowded here read on the darkest class too.
        draw_base(
            ax, view, projected.metro, projected.countries, local, veil=ZOOM_VEIL,
            fills=projected.fills,
        )  # fmt: skip
        sites = projected.sites
        shown = sites[within(sites, inset.frame)] if not sites.empty else sites
        draw_user_points(ax, projected.user.within(inset.frame), ZOOM_USER_GID, fs)
        if projected.investments is not None:
            invested = projected.investments.within(inset.frame)
            draw_investments(ax, invested, ZOOM_INVEST_GID, fs)
        points, radii = draw_sites(ax, shown, ZOOM_SITE_GID, fs)
        # The main map's sites inside the frame are labelled here instead of there.
        label_sites = main.sites[within(main.sites, inset.frame)]
    else:
        regions = view.metrics.loc[list(inset.region_codes)].to_crs(inset.crs)
        fills = None
        if projected.fills is not None:
            fills = projected.fills[projected.fills["insee_reg"].isin(inset.region_codes)]
            fills = fills.to_crs(inset.crs)
        if inset.crs == LAMBERT93:
            draw_base(ax, view, regions, projected.countries, projected.departements, fills=fills)
        else:
            draw_base(ax, view, regions, fills=fills)
        user = projected.user.to_crs(inset.crs, LAMBERT93)
        if user.cells:
            user = user.within(inset.frame)
        else:
            user = user.where(np.isin(user.regions, inset.region_codes))
        draw_user_points(ax, user, USER_GID, fs)
        if projected.investments is not None:
            invested = investment_points(view, view.metrics, inset.crs)
            draw_investments(ax, invested.in_regions(inset.region_codes), INVEST_GID, fs)
        sites = view.sites
        label_sites = sites[sites["insee_reg"].isin(inset.region_codes)].to_crs(inset.crs)
        points, radii = draw_sites(ax, label_sites, SITE_GID, fs)
        shown = label_sites
    bar = scale_bar(fs * 0.75, length_fraction=0.35)
    ax.add_artist(bar)
    return DrawnMap(ax, points, radii, bar, shown, label_sites, inset.zoom)
