"""The layers one view changes: region choropleth, département outlines, site markers, and
the announced investments (geo.webmap.investments) when the view asks for them.

Each is a folium.FeatureGroup the app hands to st_folium's ``feature_group_to_add``, so a
filter change swaps the layers and keeps the map (and the reader's pan and zoom).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
from folium.plugins import FastMarkerCluster

from geo import i18n, style
from geo.core import vocabulary as voc
from geo.core.state import VIEWS
from geo.core.view import ViewData
from geo.i18n import N_, _
from geo.presentation import number_or_none
from geo.webmap.elements import FitView, GeoJsonLayer, LayerLegend, RegionTable, UserPoints
from geo.webmap.fragments import (
    MARKER_SIZE,
    choropleth_area,
    choropleth_legend_html,
    departement_tooltip_html,
    marker_legend_html,
    marker_svg,
    region_table_html,
    region_tooltip_html,
    site_popup_html,
    site_tooltip_html,
    user_legend_html,
)
from geo.webmap.geometry import GeometrySource
from geo.webmap.investments import (
    InvestmentLayerParts,
    investment_group,
    investment_layer_parts,
    region_anchors,
)
from geo.webmap.userpoints import script_json, user_points_payload

# Layer names as shown in the layer control (translated when a layer is made).
REGIONS_LAYER = N_("Regions")
DEPARTEMENTS_LAYER = N_("Départements (outlines)")
SITES_LAYER = N_("Sites")
DEPARTEMENTS_FILL_LAYER = N_("Départements")
USER_LAYER = N_("Your sites")

# Leaflet panes: neighbour countries sit below the tiles (they show only when tiles fail);
# departement outlines sit above the region fills so hovering a region does not hide them.
FALLBACK_PANE, FALLBACK_Z = "fallback", 150
DEPARTEMENT_PANE, DEPARTEMENT_Z = "departements", 410
# A reader's figures per département fill the départements above the regions (and under the
# outlines); a reader's dots sit above every polygon and under our markers (markerPane, 600).
USER_DEPARTEMENT_PANE, USER_DEPARTEMENT_Z = "userdepartements", 405
USER_POINTS_PANE, USER_POINTS_Z = "userpoints", 450

REGION_STYLE = {"color": style.BOUNDARY_COLOUR, "weight": 0.8, "fillOpacity": 0.78}
REGION_HIGHLIGHT = {"color": "#1f1f1f", "weight": 2.5, "fillOpacity": 0.9}
REGION_SELECTED = {"color": "#111111", "weight": 3}
DEPARTEMENT_STYLE = {"color": "#8a8a85", "weight": 0.6, "dashArray": "2 3", "fill": False}
COUNTRY_STYLE = {
    "color": style.COUNTRY_EDGE,
    "weight": 0.8,
    "fillColor": style.COUNTRY_FILL,
    "fillOpacity": 1,
}

REGION_OUTLINE = {"fillOpacity": 0}  # regions under a département choropleth
# FranceAiMap.userPoints' configuration: dot and cell sizes (px), hit-testing, popup options.
USER_POINTS_CONFIG = {
    "pane": USER_POINTS_PANE,
    "radius": 3.5,
    "maxCellRadius": 12,
    "cellPx": 3,  # one dot per 3 x 3 px cell: more would only overlap
    "bucketPx": 8,
    "padding": 0.1,  # canvas margin drawn beyond each side (shown while dragging)
    "outlineBelow": 5000,  # dots drawn above this count lose their outline (raster cost)
    "opacity": 0.9,
    "outline": "#ffffff",
    "outlineWidth": 0.8,
    "tooltip": {"direction": "right", "offset": [6, 0], "className": "user-tooltip"},
    "popup": {
        "maxWidth": 360,
        "minWidth": 220,
        "maxHeight": 340,
        "className": "site-popup user-popup",
        "autoPanPadding": [30, 30],
    },
}
# FranceAiMap.userPoints' words, translated when the layer is made.
USER_POINTS_WORDS = {
    "cellLabel": N_("of your sites here (zoom in or filter to see them one by one)"),
    "sourceLabel": N_("From"),
    "moreLabel": N_("More columns in the app's data table and the data export."),
}

CLUSTER_OPTIONS = {
    "showCoverageOnHover": False,
    "maxClusterRadius": 36,
    "spiderfyDistanceMultiplier": 1.6,
}
# FranceAiMap.siteMarker's configuration: marker box, tooltip and popup options.
MARKER_CONFIG = {
    "size": MARKER_SIZE,
    "tooltip": {"direction": "right", "className": "site-tooltip"},
    "popup": {
        "maxWidth": 360,
        "minWidth": 260,
        "maxHeight": 340,
        "className": "site-popup",
        "autoPanPadding": [30, 30],
    },
}


def region_group(
    view: ViewData,
    regions: GeometrySource,
    selected_region: str | None = None,
    departements: GeometrySource | None = None,
    departement_names: Mapping[str, str] | None = None,
) -> folium.FeatureGroup:
    """Regions coloured by the view's metric, with tooltips, legend and the view's frame.

    For a reader's figures per département (view.departement_values) the départements are
    filled instead (``departements`` and their names are then needed) and the regions keep
    only their outline; the legend and the table list départements.
    """
    metric = view.metric
    by_departement = view.departement_values is not None
    layer = DEPARTEMENTS_FILL_LAYER if by_departement else REGIONS_LAYER
    name = _("{layer}: {metric}").format(layer=_(layer), metric=str(metric.label))
    group = folium.FeatureGroup(name=name, overlay=True)
    values = {code: number_or_none(v) for code, v in view.metrics[metric.key].items()}
    styles = {code: {"fillColor": view.classes.colour_of(v)} for code, v in values.items()}
    if by_departement:
        styles = {code: dict(REGION_OUTLINE) for code in values}
    if selected_region in styles:
        styles[selected_region] = {**styles[selected_region], **REGION_SELECTED}
    names = view.metrics[_place_column(view.metrics)]
    tooltips = {code: region_tooltip_html(names[code], v, metric) for code, v in values.items()}
    GeoJsonLayer(
        regions,
        base_style=REGION_STYLE,
        key="insee_reg",
        styles=styles,
        tooltips={} if by_departement else tooltips,
        highlight=None if by_departement else REGION_HIGHLIGHT,
    ).add_to(group)
    if by_departement:
        names = dict(departement_names or {})
        values = {code: number_or_none(v) for code, v in view.departement_values.items()}
        departement_fill(view, departements, names).add_to(group)
    LayerLegend(choropleth_legend_html(view), "bottomleft", "choropleth-legend").add_to(group)
    table = region_table_html(names, values, metric, view.subtitle, choropleth_area(view))
    RegionTable(table).add_to(group)
    FitView(view.state.view, VIEWS[view.state.view].bounds).add_to(group)
    return group


def departement_fill(
    view: ViewData, departements: GeometrySource | None, names: Mapping[str, str]
) -> GeoJsonLayer:
    """Départements coloured by the reader's figures, with a tooltip each (name and value)."""
    if departements is None or view.departement_values is None:
        raise ValueError("a département choropleth needs the départements and their values")
    metric = view.metric
    values = {code: number_or_none(v) for code, v in view.departement_values.items()}
    return GeoJsonLayer(
        departements,
        base_style=REGION_STYLE,
        key="insee_dep",
        styles={code: {"fillColor": view.classes.colour_of(v)} for code, v in values.items()},
        tooltips={
            code: departement_tooltip_html(names.get(code, code), code, v, metric)
            for code, v in values.items()
        },
        highlight=REGION_HIGHLIGHT,
        pane=USER_DEPARTEMENT_PANE,
    )


def user_group(view: ViewData) -> folium.FeatureGroup:
    """The reader's sites as dots on one canvas (grid cells when too many), with a legend."""
    user = view.user
    if user is None:
        raise ValueError("the view has no user data")
    name = _("{layer} ({n})").format(layer=_(USER_LAYER), n=i18n.format_number(len(user.sites)))
    group = folium.FeatureGroup(name=name, overlay=True)
    config = {**USER_POINTS_CONFIG, **{key: _(text) for key, text in USER_POINTS_WORDS.items()}}
    UserPoints(script_json(user_points_payload(user)), config).add_to(group)
    LayerLegend(user_legend_html(user), "bottomright", "user-legend").add_to(group)
    return group


def investments_layer(
    view: ViewData, regions: gpd.GeoDataFrame, parts: InvestmentLayerParts | None = None
) -> folium.FeatureGroup:
    """Every announced investment of the view (the toggle is the caller's business);
    ``parts`` (investment_parts of this view, kept by the caller) spares making them again."""
    if view.investments is None:
        raise ValueError("the view has no investments")
    if parts is None:
        parts = investment_parts(view, regions)
    return investment_group(view.investments, {}, {}, parts)


def investment_parts(view: ViewData, regions: gpd.GeoDataFrame) -> InvestmentLayerParts:
    """The investment layer's markers and legend for ``view``, as plain data.

    Their text is in the current language (i18n.language()): a cache of them needs the
    language in its key.
    """
    names = dict(regions[_place_column(regions)])
    return investment_layer_parts(view.investments, region_anchors(regions), names)


def _place_column(frame: pd.DataFrame) -> str:
    """The name column to show (i18n.place_name_column), else name_fr where a frame lacks it."""
    column = i18n.place_name_column()
    return column if column in frame.columns else "name_fr"


def departement_group(departements: GeometrySource) -> folium.FeatureGroup:
    """Département outlines above the region fills (they never catch the mouse)."""
    group = folium.FeatureGroup(name=_(DEPARTEMENTS_LAYER), overlay=True)
    GeoJsonLayer(
        departements, base_style=DEPARTEMENT_STYLE, pane=DEPARTEMENT_PANE, interactive=False
    ).add_to(group)
    return group


def site_group(view: ViewData, rows: Mapping[str, list[Any]] | None = None) -> folium.FeatureGroup:
    """The view's sites as clustered markers, built in the browser from one data array.

    ``rows`` (from marker_rows, site id -> row) saves rendering each site's icon, tooltip
    and popup again: they depend on the site only (and the language), not on the view.
    """
    name = _("{layer} ({n})").format(layer=_(SITES_LAYER), n=i18n.format_number(len(view.sites)))
    group = folium.FeatureGroup(name=name, overlay=True)
    FastMarkerCluster(
        [
            rows[site["id"]] if rows and site["id"] in rows else site_marker_row(site)
            for _, site in view.sites.iterrows()
        ],
        callback=f"FranceAiMap.siteMarker({json.dumps(MARKER_CONFIG, sort_keys=True)})",
        control=False,
        icon_create_function="FranceAiMap.clusterIcon",
        **CLUSTER_OPTIONS,
    ).add_to(group)
    # With the investments layer on, its legend takes the room and this one starts closed.
    sites_legend = marker_legend_html(view.sites, collapsed=view.state.layer_investments)
    LayerLegend(sites_legend, "bottomright", "marker-legend").add_to(group)
    return group


def marker_rows(sites: pd.DataFrame) -> dict[str, list[Any]]:
    """Every located site's marker row (site_marker_row) by site id: made once per dataset
    and language (the tooltips and popups are in the current language: a cache of them needs
    the language in its key)."""
    located = sites[sites.geometry.notna()] if "geometry" in sites else sites
    return {site["id"]: site_marker_row(site) for _, site in located.iterrows()}


def site_marker_row(site: pd.Series) -> list[Any]:
    """One row of the marker array: [lat, lon, {id, icon SVG, tooltip and popup HTML}], its
    texts in the current language."""
    return [
        round(float(site["lat"]), 6),
        round(float(site["lon"]), 6),
        {
            "id": site["id"],
            "icon": marker_svg(
                style.CATEGORY_SHAPES[site["category"]],
                style.marker_colour(site["initiatives"]),
                style.PRECISION_DRAWING[site["precision"]],
                # The accessible name a keyboard or screen reader user hears; the map's
                # script puts it on the focusable marker too (escaped here, once).
                label=_("{name}, {category}").format(
                    name=i18n.localized(site, "name"), category=_(voc.CATEGORIES[site["category"]])
                ),
                site_id=site["id"],
            ),
            "tooltip": site_tooltip_html(site),
            "popup": site_popup_html(site),
        },
    ]
