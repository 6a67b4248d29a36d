"""The layers one view changes: region choropleth, département outlines, site markers.

Each is a folium.FeatureGroup the app hands to st_folium's ``feature_group_to_add``, so a
filter change swaps the layers and keeps the map (and the reader's pan and zoom).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import folium
import pandas as pd
from folium.plugins import FastMarkerCluster

from geo import style
from geo.core import vocabulary as voc
from geo.core.state import VIEWS
from geo.core.view import ViewData
from geo.presentation import number_or_none
from geo.webmap.elements import FitView, GeoJsonLayer, LayerLegend, RegionTable
from geo.webmap.fragments import (
    MARKER_SIZE,
    choropleth_legend_html,
    marker_legend_html,
    marker_svg,
    region_table_html,
    region_tooltip_html,
    site_popup_html,
    site_tooltip_html,
)
from geo.webmap.geometry import GeometrySource

# Layer names as shown in the layer control.
REGIONS_LAYER = "Regions"
DEPARTEMENTS_LAYER = "Départements (outlines)"
SITES_LAYER = "Sites"

# Leaflet panes: neighbour countries sit below the tiles (they show only when tiles fail);
# departement outlines sit above the region fills so hovering a region does not hide them.
FALLBACK_PANE, FALLBACK_Z = "fallback", 150
DEPARTEMENT_PANE, DEPARTEMENT_Z = "departements", 410

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
    view: ViewData, regions: GeometrySource, selected_region: str | None = None
) -> folium.FeatureGroup:
    """Regions coloured by the view's metric, with tooltips, legend and the view's frame."""
    metric = view.metric
    group = folium.FeatureGroup(name=f"{REGIONS_LAYER}: {metric.label}", overlay=True)
    values = {code: number_or_none(v) for code, v in view.metrics[metric.key].items()}
    styles = {code: {"fillColor": view.classes.colour_of(v)} for code, v in values.items()}
    if selected_region in styles:
        styles[selected_region] = {**styles[selected_region], **REGION_SELECTED}
    names = view.metrics["name_fr"]
    tooltips = {code: region_tooltip_html(names[code], v, metric) for code, v in values.items()}
    GeoJsonLayer(
        regions,
        base_style=REGION_STYLE,
        key="insee_reg",
        styles=styles,
        tooltips=tooltips,
        highlight=REGION_HIGHLIGHT,
    ).add_to(group)
    LayerLegend(choropleth_legend_html(view), "bottomleft", "choropleth-legend").add_to(group)
    RegionTable(region_table_html(names, values, metric, view.subtitle)).add_to(group)
    FitView(view.state.view, VIEWS[view.state.view].bounds).add_to(group)
    return group


def departement_group(departements: GeometrySource) -> folium.FeatureGroup:
    """Département outlines above the region fills (they never catch the mouse)."""
    group = folium.FeatureGroup(name=DEPARTEMENTS_LAYER, overlay=True)
    GeoJsonLayer(
        departements, base_style=DEPARTEMENT_STYLE, pane=DEPARTEMENT_PANE, interactive=False
    ).add_to(group)
    return group


def site_group(view: ViewData, rows: Mapping[str, list[Any]] | None = None) -> folium.FeatureGroup:
    """The view's sites as clustered markers, built in the browser from one data array.

    ``rows`` (from marker_rows, site id -> row) saves rendering each site's icon, tooltip
    and popup again: they depend on the site only, not on the view.
    """
    group = folium.FeatureGroup(name=f"{SITES_LAYER} ({len(view.sites)})", overlay=True)
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
    LayerLegend(marker_legend_html(view.sites), "bottomright", "marker-legend").add_to(group)
    return group


def marker_rows(sites: pd.DataFrame) -> dict[str, list[Any]]:
    """Every located site's marker row (site_marker_row) by site id: made once per dataset."""
    located = sites[sites.geometry.notna()] if "geometry" in sites else sites
    return {site["id"]: site_marker_row(site) for _, site in located.iterrows()}


def site_marker_row(site: pd.Series) -> list[Any]:
    """One row of the marker array: [lat, lon, {id, icon SVG, tooltip and popup HTML}]."""
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
                label=f"{site['name']}, {voc.CATEGORIES[site['category']]}",
                site_id=site["id"],
            ),
            "tooltip": site_tooltip_html(site),
            "popup": site_popup_html(site),
        },
    ]
