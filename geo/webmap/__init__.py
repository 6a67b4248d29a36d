"""The interactive map (folium/Leaflet): layers and elements in Python, its script and styles
as package files (static/), its HTML fragments as autoescaped templates (templates/).

    build        build_map, build_base_map, build_layers, build_layer_control: the public API
    layers       the region, département and site layers of one view
    elements     thin folium elements that pass JSON configuration to static/map.js
    fragments    marker SVG, tooltips, popups and legends rendered from templates/
    investments  the layer of announced AI investments: circles, region-only symbols, legend
    geometry     browser copies of the boundaries: web_layers, pack_features, publish_geometry
    assets       the one list of vendored files; the map's own files; inline or served
"""

from geo.webmap.assets import (
    MAP_FILES,
    STATIC_URL,
    VENDOR_CSS,
    VENDOR_FILES,
    VENDOR_JS,
    AssetsMissingError,
    VendorFile,
    inline_assets_html,
    missing_assets,
    publish_map_files,
    vendor_urls,
)
from geo.webmap.build import (
    MAP_HEIGHT,
    build_base_map,
    build_layer_control,
    build_layers,
    build_map,
    clicked_region,
    map_links,
)
from geo.webmap.fragments import (
    choropleth_legend_html,
    dropped_link_notice_html,
    marker_legend_html,
    marker_svg,
    region_tooltip_html,
    site_popup_html,
    site_tooltip_html,
)
from geo.webmap.geometry import pack_features, publish_geometry, web_layers
from geo.webmap.investments import INVESTMENTS_LAYER, InvestmentLayerParts, investment_group
from geo.webmap.layers import (
    DEPARTEMENTS_LAYER,
    REGIONS_LAYER,
    SITES_LAYER,
    investment_parts,
    investments_layer,
    marker_rows,
)

__all__ = [
    "DEPARTEMENTS_LAYER",
    "INVESTMENTS_LAYER",
    "MAP_FILES",
    "MAP_HEIGHT",
    "REGIONS_LAYER",
    "SITES_LAYER",
    "STATIC_URL",
    "VENDOR_CSS",
    "VENDOR_FILES",
    "VENDOR_JS",
    "AssetsMissingError",
    "InvestmentLayerParts",
    "VendorFile",
    "build_base_map",
    "build_layer_control",
    "build_layers",
    "build_map",
    "choropleth_legend_html",
    "clicked_region",
    "dropped_link_notice_html",
    "inline_assets_html",
    "investment_group",
    "investment_parts",
    "investments_layer",
    "map_links",
    "marker_legend_html",
    "marker_rows",
    "marker_svg",
    "missing_assets",
    "pack_features",
    "publish_geometry",
    "publish_map_files",
    "region_tooltip_html",
    "site_popup_html",
    "site_tooltip_html",
    "vendor_urls",
    "web_layers",
]
