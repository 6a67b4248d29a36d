"""The folium map: a stable base map plus the layers one view changes, with local assets only.

Two ways to ship the front-end files (Leaflet and its plugins, from static/vendor/):
``assets="served"`` links them at /app/static/vendor/... (Streamlit's static serving) and
``assets="inline"`` copies them into the page, so an exported HTML file opens from disk
with no internet. Nothing here loads from a CDN. Polygons are either embedded or, for the
app, written once under static/geo/ and fetched by URL so reruns do not resend them.

Every text that comes from the data is HTML-escaped before it reaches the map, and only
http(s) URLs become links.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import mimetypes
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from geo import style
from geo.core import vocabulary as voc
from geo.core.dataset import Dataset
from geo.core.regions import Metric
from geo.core.state import DEFAULT_VIEW, VIEWS
from geo.core.view import ViewData
from geo.presentation import format_metric_value, is_web_url, source_label

# Browser copies of the boundaries: simplified to the source's ~1 km grid (see web_layers).
WEB_TOLERANCE_DEG = 0.01
WEB_GRID_DEG = 1e-4
COUNTRY_TOLERANCE_DEG = 0.05
COUNTRY_GRID_DEG = 1e-3
# (west, south, east, north): what a wide metropolitan view can show; the neighbours are only
# the no-tiles backdrop, so the rest of Europe is not sent.
COUNTRY_WEB_BOX = (-10.5, 39.0, 16.0, 53.5)
_WEB_LAYERS: dict[int, tuple[Dataset, dict[str, dict]]] = {}
PACK_SCALE = round(1 / WEB_GRID_DEG)

ROOT = Path(__file__).resolve().parents[2]
STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
MANIFEST_NAME = "manifest.json"
# Streamlit serves ./static at this URL when server.enableStaticServing is on.
STATIC_URL = "/app/static/"
VENDOR_URL = STATIC_URL + "vendor/"
GEOMETRY_SUBDIR = "geo"
ASSET_MODES = ("served", "inline")

# The front-end files the map needs, in load order (paths inside static/vendor/).
VENDOR_JS: tuple[str, ...] = (
    "leaflet/leaflet.js",
    "leaflet.markercluster/leaflet.markercluster.js",
    "leaflet.fullscreen/Control.FullScreen.js",
)
VENDOR_CSS: tuple[str, ...] = (
    "leaflet/leaflet.css",
    "leaflet.markercluster/MarkerCluster.css",
    "leaflet.fullscreen/Control.FullScreen.css",
)
LEAFLET_IMAGES = "leaflet/images/"

TILES_URL = "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png"
TILES_NAME = "Basemap: CartoDB Positron (online)"
TILES_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright" target="_blank" '
    'rel="noopener noreferrer">OpenStreetMap</a> contributors &copy; '
    '<a href="https://carto.com/attributions" target="_blank" rel="noopener noreferrer">CARTO</a>'
)
NEW_TAB = 'target="_blank" rel="noopener noreferrer"'
DATA_ATTRIBUTION = (
    f'<a href="https://www.naturalearthdata.com/" {NEW_TAB}>Natural Earth</a> boundaries'
)
MAX_ZOOM = 18
MIN_ZOOM = 2
ZOOM_SNAP = 0.25
MAP_HEIGHT = 640
FONT_SIZE = "13px"

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
DEPARTEMENT_STYLE = {
    "color": "#8a8a85",
    "weight": 0.6,
    "dashArray": "2 3",
    "fill": False,
}
COUNTRY_STYLE = {
    "color": style.COUNTRY_EDGE,
    "weight": 0.8,
    "fillColor": style.COUNTRY_FILL,
    "fillOpacity": 1,
}

MARKER_SIZE = 24
# Maps at least this wide open the marker legend and keep room for it when fitting a view.
WIDE_MAP_PX = 700
LEGEND_ROOM_PX = 205
LEGEND_SYMBOL_SIZE = 16
NEUTRAL_SYMBOL_COLOUR = "#555555"
CLUSTER_OPTIONS = {
    "showCoverageOnHover": False,
    "maxClusterRadius": 36,
    "spiderfyDistanceMultiplier": 1.6,
}
CLUSTER_ICON_FUNCTION = """
function (cluster) {
    var n = cluster.getChildCount();
    var size = n < 10 ? 30 : 36;
    return L.divIcon({
        html: '<span>' + n + '</span>',
        className: 'site-cluster',
        iconSize: L.point(size, size)
    });
}
"""

# SVG bodies of the marker shapes, drawn in a 24 x 24 box centred on (12, 12).
# Regular polygons are computed so every shape has about the same visual weight.


def _polygon_points(
    sides: int, radius: float, rotation: float = -90.0, inner: float | None = None
) -> str:
    """Points of a regular polygon (or a star when ``inner`` is given) around (12, 12)."""
    count = sides * 2 if inner else sides
    points = []
    for i in range(count):
        r = inner if inner and i % 2 else radius
        angle = math.radians(rotation + i * 360.0 / count)
        points.append(f"{12 + r * math.cos(angle):.2f},{12 + r * math.sin(angle):.2f}")
    return " ".join(points)


SHAPE_SVG: dict[str, str] = {
    "square": '<rect x="5" y="5" width="14" height="14" rx="1.5" {a}/>',
    "diamond": '<polygon points="12,2.5 21.5,12 12,21.5 2.5,12" {a}/>',
    "circle": '<circle cx="12" cy="12" r="7.8" {a}/>',
    "triangle": f'<polygon points="{_polygon_points(3, 10.5, -90)}" {{a}}/>',
    "triangle_down": f'<polygon points="{_polygon_points(3, 10.5, 90)}" {{a}}/>',
    "pentagon": f'<polygon points="{_polygon_points(5, 9.2)}" {{a}}/>',
    "star": f'<polygon points="{_polygon_points(5, 10.8, inner=4.6)}" {{a}}/>',
    "hexagon": f'<polygon points="{_polygon_points(6, 9.0, 0)}" {{a}}/>',
}


# SVG attributes of each layer of a drawing ({c} = colour, {o} = approximate fill opacity):
# solid = filled; approximate = lighter fill over white; hollow = dashed outline, no fill
# (over a white halo so it stays visible on dark regions).
DRAWING_SVG: dict[str, tuple[str, ...]] = {
    "solid": ('fill="{c}" stroke="#ffffff" stroke-width="1.6"',),
    "approximate": (
        'fill="#ffffff" stroke="none"',
        'fill="{c}" fill-opacity="{o}" stroke="{c}" stroke-width="2"',
    ),
    "hollow": (
        'fill="none" stroke="#ffffff" stroke-width="4.5" stroke-opacity="0.9"',
        'fill="none" stroke="{c}" stroke-width="2.2" stroke-dasharray="3.2 2.2"',
    ),
}


class AssetsMissingError(RuntimeError):
    """The vendored front-end files are not in static/vendor/ (run `make assets`)."""


# --------------------------------------------------------------------------------------
# Public API: the map
# --------------------------------------------------------------------------------------


def build_map(
    dataset: Dataset,
    view: ViewData,
    assets: str = "served",
    tiles: bool = True,
    *,
    geometry: Mapping[str, str] | None = None,
    selected_region: str | None = None,
    vendor_dir: Path = VENDOR_DIR,
) -> folium.Map:
    """A complete map of one view: base map, view layers and layer control in one object.

    With ``assets="inline"`` the result renders (``m.get_root().render()``) to one HTML file
    that needs no server and no internet; ``geometry`` (URLs from publish_geometry) is then
    ignored and the polygons are embedded.
    """
    if assets == "inline":
        geometry = None
    m = build_base_map(
        dataset, assets=assets, tiles=tiles, geometry=geometry, vendor_dir=vendor_dir
    )
    for group in build_layers(dataset, view, geometry=geometry, selected_region=selected_region):
        group.add_to(m)
    build_layer_control().add_to(m)
    return m


def build_base_map(
    dataset: Dataset,
    *,
    assets: str = "served",
    tiles: bool = True,
    geometry: Mapping[str, str] | None = None,
    vendor_dir: Path = VENDOR_DIR,
) -> folium.Map:
    """The part of the map no filter changes: frame, panes, basemap, controls, CSS.

    Streamlit keys the map component on this script, so it must not depend on the view.
    """
    if assets not in ASSET_MODES:
        raise ValueError(f"assets must be one of {', '.join(ASSET_MODES)}, got {assets!r}")
    south, west, north, east = VIEWS[DEFAULT_VIEW].bounds
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=6,
        tiles=None,
        min_zoom=MIN_ZOOM,
        zoom_snap=ZOOM_SNAP,
        zoom_delta=0.5,
        control_scale=False,
        font_size=FONT_SIZE,
    )
    # With tiles=None folium forgets max_zoom; MarkerCluster needs it on the map.
    m.options["max_zoom"] = MAX_ZOOM
    m.options["min_zoom"] = MIN_ZOOM
    MapSetup(image_path=VENDOR_URL + LEAFLET_IMAGES if assets == "served" else None).add_to(m)
    Element(_map_css()).add_to(m.get_root().header)
    GeoJsonLayer(
        _geometry_source(dataset, "countries", geometry),
        base_style=COUNTRY_STYLE,
        pane=FALLBACK_PANE,
        interactive=False,
    ).add_to(m)
    if tiles:
        folium.TileLayer(
            TILES_URL,
            name=TILES_NAME,
            attr=TILES_ATTRIBUTION,
            overlay=True,
            control=True,
            max_zoom=MAX_ZOOM,
            subdomains="abcd",
        ).add_to(m)
    folium.plugins.Fullscreen(
        position="topleft", title="Full screen", title_cancel="Leave full screen"
    ).add_to(m)
    ScaleBar().add_to(m)
    _attach_assets(m, assets, vendor_dir)
    return m


def build_layers(
    dataset: Dataset,
    view: ViewData,
    *,
    geometry: Mapping[str, str] | None = None,
    selected_region: str | None = None,
) -> list[folium.FeatureGroup]:
    """The layers one view changes: region choropleth, departement outlines, site markers.

    The app passes them to st_folium's ``feature_group_to_add`` so a filter change swaps
    them without remounting the map (pan and zoom survive).
    """
    groups = [_region_group(dataset, view, geometry, selected_region)]
    if view.state.departements:
        groups.append(_departement_group(dataset, geometry))
    groups.append(_site_group(view))
    for group in groups:
        _drop_plugin_links(group)
    return groups


def build_layer_control() -> folium.LayerControl:
    """The layer control (basemap, regions, departements, sites)."""
    return folium.LayerControl(position="topright", collapsed=True)


def missing_assets(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """The vendored files the map needs that are absent from ``vendor_dir``."""
    return [path for path in (*VENDOR_JS, *VENDOR_CSS) if not (vendor_dir / path).is_file()]


def vendor_urls() -> tuple[list[str], list[str]]:
    """The (js, css) URLs the served map loads, in load order, all under /app/static/vendor/."""
    return [VENDOR_URL + p for p in VENDOR_JS], [VENDOR_URL + p for p in VENDOR_CSS]


def map_links(m: folium.Map) -> list[str]:
    """Every JS/CSS URL the elements of a map ask for (what st_folium would load)."""
    links: list[str] = []
    for element in _walk(m):
        if isinstance(element, JSCSSMixin):
            links += [url for _, url in (*element.default_js, *element.default_css)]
    return list(dict.fromkeys(links))


def publish_geometry(
    dataset: Dataset, static_dir: Path = STATIC_DIR, url_prefix: str = STATIC_URL
) -> dict[str, str]:
    """Write the boundary layers as GeoJSON under static/geo/ and return their URLs.

    File names carry a hash of the content, so a browser never keeps a stale copy and two
    apps on different data never overwrite each other. Writing is atomic and skipped when
    the file exists. Returns {"regions": url, "departements": url, "countries": url}.
    """
    target = static_dir / GEOMETRY_SUBDIR
    target.mkdir(parents=True, exist_ok=True)
    urls = {}
    for name, collection in web_layers(dataset).items():
        text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        path = target / f"{name}-{digest}.json"
        if not path.is_file():
            _write_atomic(path, text.encode("utf-8"))
        urls[name] = f"{url_prefix}{GEOMETRY_SUBDIR}/{path.name}"
    return urls


def clicked_region(drawing: Mapping[str, Any] | None, region_codes: Iterable[str]) -> str | None:
    """The region code of a clicked region feature (st_folium's last_active_drawing), if any."""
    if not isinstance(drawing, Mapping):
        return None
    properties = drawing.get("properties")
    if not isinstance(properties, Mapping):
        return None
    code = properties.get("insee_reg")
    return code if isinstance(code, str) and code in set(region_codes) else None


# --------------------------------------------------------------------------------------
# Custom elements (each renders one small script; no jQuery, no CDN)
# --------------------------------------------------------------------------------------


class MapSetup(MacroElement):
    """Panes, data attribution and Leaflet's default icon path, before any layer exists."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            {%- if this.image_path %}
            L.Icon.Default.imagePath = {{ this.image_path|tojson }};
            {%- endif %}
            map.createPane({{ this.fallback|tojson }}).style.zIndex = {{ this.fallback_z }};
            var outlines = map.createPane({{ this.departements|tojson }});
            outlines.style.zIndex = {{ this.departements_z }};
            outlines.style.pointerEvents = "none";
            map.attributionControl.addAttribution({{ this.attribution|tojson }});
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, image_path: str | None):
        super().__init__()
        self._name = "MapSetup"
        self.image_path = image_path
        self.fallback, self.fallback_z = FALLBACK_PANE, FALLBACK_Z
        self.departements, self.departements_z = DEPARTEMENT_PANE, DEPARTEMENT_Z
        self.attribution = DATA_ATTRIBUTION


class ScaleBar(MacroElement):
    """A metric scale bar (folium's control_scale also shows miles)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, maxWidth: 140, position: "bottomleft"})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "ScaleBar"


class GeoJsonLayer(MacroElement):
    """Polygons from a URL (fetched once by the browser) or embedded, styled per feature key.

    folium.GeoJson cannot do this: with embed=False it fetches with jQuery and styles in
    Python, which needs the data on the server side.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (key, base, styles, tips, highlight, source) {
            // Polygons travel packed (see geo.webmap.mapping.pack_features): per feature its
            // properties and, per ring, integer coordinate deltas at 1/scale degree.
            function unpack(packed) {
                if (!packed.scale) { return packed; }
                return {type: "FeatureCollection", features: packed.features.map(function (f) {
                    var polygons = f[1].map(function (polygon) {
                        return polygon.map(function (flat) {
                            var ring = [], x = 0, y = 0;
                            for (var i = 0; i < flat.length; i += 2) {
                                x += flat[i]; y += flat[i + 1];
                                ring.push([x / packed.scale, y / packed.scale]);
                            }
                            return ring;
                        });
                    });
                    return {type: "Feature", properties: f[0],
                            geometry: {type: "MultiPolygon", coordinates: polygons}};
                })};
            }
            var layer = L.geoJson(null, {
                pane: {{ this.pane|tojson }},
                interactive: {{ this.interactive|tojson }},
                smoothFactor: 0.5,
                style: function (feature) {
                    return Object.assign({}, base, styles[feature.properties[key]] || {});
                },
                onEachFeature: function (feature, path) {
                    var code = feature.properties[key];
                    if (code) { path.options.className = "feature-" + code; }
                    if (tips[code]) {
                        path.bindTooltip(tips[code], {sticky: true, className: "region-tooltip"});
                    }
                    if (highlight) {
                        path.on({
                            mouseover: function () { path.setStyle(highlight).bringToFront(); },
                            mouseout: function () { layer.resetStyle(path); }
                        });
                    }
                }
            });
            if (typeof source === "string") {
                // One download per page: a filter change redraws from the parsed copy.
                var cache = window.__franceAiGeoJson = window.__franceAiGeoJson || {};
                if (!cache[source]) {
                    cache[source] = fetch(source).then(function (response) {
                        if (!response.ok) { throw new Error("HTTP " + response.status); }
                        return response.json();
                    }).then(unpack);
                }
                cache[source]
                    .then(function (data) { layer.addData(data); })
                    .catch(function (err) {
                        delete cache[source];
                        console.error("Could not load " + source, err);
                    });
            } else {
                layer.addData(unpack(source));
            }
            return layer;
        })(
            {{ this.key|tojson }}, {{ this.base_style|tojson }}, {{ this.styles|tojson }},
            {{ this.tooltips|tojson }}, {{ this.highlight|tojson }}, {{ this.source|tojson }}
        ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        source: str | dict,
        *,
        base_style: Mapping[str, Any],
        key: str = "",
        styles: Mapping[str, Mapping[str, Any]] | None = None,
        tooltips: Mapping[str, str] | None = None,
        highlight: Mapping[str, Any] | None = None,
        pane: str = "overlayPane",
        interactive: bool = True,
    ):
        super().__init__()
        self._name = "GeoJsonLayer"
        self.source = source
        self.base_style = dict(base_style)
        self.key = key
        self.styles = {k: dict(v) for k, v in (styles or {}).items()}
        self.tooltips = dict(tooltips or {})
        self.highlight = dict(highlight) if highlight else None
        self.pane = pane
        self.interactive = interactive


class SiteMarkers(MacroElement):
    """One marker per site (DivIcon with inline SVG), with tooltip and popup, into its parent."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (target, sites) {
            sites.forEach(function (s) {
                var icon = L.divIcon({
                    html: s.icon,
                    className: "site-marker",
                    iconSize: [{{ this.size }}, {{ this.size }}],
                    iconAnchor: [{{ this.size // 2 }}, {{ this.size // 2 }}],
                    popupAnchor: [0, -{{ this.size // 2 - 2 }}],
                    tooltipAnchor: [{{ this.size // 2 - 2 }}, 0]
                });
                var marker = L.marker([s.lat, s.lon], {icon: icon, riseOnHover: true})
                    .bindTooltip(s.tooltip, {direction: "right", className: "site-tooltip"})
                    .bindPopup(s.popup, {maxWidth: 360, minWidth: 260, maxHeight: 340,
                                         className: "site-popup", autoPanPadding: [30, 30]})
                    .addTo(target);
                // The name is in the popup: a tooltip beside it would only cover the map.
                marker.on("popupopen", function () { marker.getTooltip().setOpacity(0); });
                marker.on("popupclose", function () { marker.getTooltip().setOpacity(0.9); });
            });
        })({{ this._parent.get_name() }}, {{ this.sites|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, sites: Sequence[Mapping[str, Any]], size: int = MARKER_SIZE):
        super().__init__()
        self._name = "SiteMarkers"
        self.sites = list(sites)
        self.size = size


class LayerLegend(MacroElement):
    """A legend control that is shown exactly while its parent layer is on the map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (layer) {
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function () {
                var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                var details = div.querySelector("details");
                var width = layer._map.getContainer().clientWidth;
                if (details && width < {{ this.wide }}) { details.open = false; }
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            layer.on("add", function () { control.addTo(layer._map); });
            layer.on("remove", function () { control.remove(); });
            if (layer._map) { control.addTo(layer._map); }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, position: str, css_class: str):
        super().__init__()
        self._name = "LayerLegend"
        self.html = html_text
        self.position = position
        self.css_class = f"map-legend {css_class}"
        self.wide = WIDE_MAP_PX


class FitView(MacroElement):
    """Fit the map to a named view once; later filter changes keep the reader's pan and zoom.

    The frame may still be resizing when the map is created, so the view is fitted again on
    each resize until the reader first touches the map.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (layer, key, bounds) {
            function fit(map) {
                map.invalidateSize({pan: false});
                // Leave room for the marker legend on the right when the map is wide.
                var wide = map.getContainer().clientWidth >= {{ this.wide }};
                map.fitBounds(bounds, {paddingTopLeft: [8, 8], animate: false,
                                       paddingBottomRight: [wide ? {{ this.legend_room }} : 8, 8]});
            }
            function start() {
                var map = layer._map;
                if (window.__franceAiMapView === key) { return; }
                window.__franceAiMapView = key;
                if (window.__franceAiMapRefit) { map.off("resize", window.__franceAiMapRefit); }
                var refit = function () { fit(map); };
                window.__franceAiMapRefit = refit;
                map.on("resize", refit);
                L.DomEvent.on(map.getContainer(), "mousedown touchstart wheel keydown",
                              function () { map.off("resize", refit); });
                fit(map);
            }
            layer.on("add", start);
            if (layer._map) { start(); }
        })({{ this._parent.get_name() }}, {{ this.key|tojson }}, {{ this.bounds|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, key: str, bounds: tuple[float, float, float, float]):
        super().__init__()
        self._name = "FitView"
        south, west, north, east = bounds
        self.key = key
        self.bounds = [[south, west], [north, east]]
        self.wide = WIDE_MAP_PX
        self.legend_room = LEGEND_ROOM_PX


# --------------------------------------------------------------------------------------
# Layers of a view
# --------------------------------------------------------------------------------------


def _region_group(
    dataset: Dataset,
    view: ViewData,
    geometry: Mapping[str, str] | None,
    selected_region: str | None,
) -> folium.FeatureGroup:
    metric = view.metric
    group = folium.FeatureGroup(name=f"{REGIONS_LAYER}: {metric.label}", overlay=True)
    values = view.metrics[metric.key]
    styles = {code: {"fillColor": view.classes.colour_of(_number(v))} for code, v in values.items()}
    if selected_region in styles:
        styles[selected_region] = {**styles[selected_region], **REGION_SELECTED}
    tooltips = {
        code: region_tooltip_html(view.metrics.at[code, "name_fr"], _number(v), metric)
        for code, v in values.items()
    }
    GeoJsonLayer(
        _geometry_source(dataset, "regions", geometry),
        base_style=REGION_STYLE,
        key="insee_reg",
        styles=styles,
        tooltips=tooltips,
        highlight=REGION_HIGHLIGHT,
    ).add_to(group)
    LayerLegend(choropleth_legend_html(view), "bottomleft", "choropleth-legend").add_to(group)
    FitView(view.state.view, VIEWS[view.state.view].bounds).add_to(group)
    return group


def _departement_group(dataset: Dataset, geometry: Mapping[str, str] | None) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=DEPARTEMENTS_LAYER, overlay=True)
    GeoJsonLayer(
        _geometry_source(dataset, "departements", geometry),
        base_style=DEPARTEMENT_STYLE,
        pane=DEPARTEMENT_PANE,
        interactive=False,
    ).add_to(group)
    return group


def _site_group(view: ViewData) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=f"{SITES_LAYER} ({len(view.sites)})", overlay=True)
    cluster = folium.plugins.MarkerCluster(
        control=False, icon_create_function=CLUSTER_ICON_FUNCTION, **CLUSTER_OPTIONS
    )
    cluster.add_to(group)
    SiteMarkers([site_marker_data(site) for _, site in view.sites.iterrows()]).add_to(cluster)
    LayerLegend(marker_legend_html(view.sites), "bottomright", "marker-legend").add_to(group)
    return group


def site_marker_data(site: pd.Series) -> dict[str, Any]:
    """What the browser needs for one marker: position, icon SVG, tooltip and popup HTML."""
    return {
        "id": site["id"],
        "lat": round(float(site["lat"]), 6),
        "lon": round(float(site["lon"]), 6),
        "icon": marker_svg(
            style.CATEGORY_SHAPES[site["category"]],
            style.marker_colour(site["initiatives"]),
            style.PRECISION_DRAWING[site["precision"]],
            label=site["name"],
            site_id=site["id"],
        ),
        "tooltip": site_tooltip_html(site),
        "popup": site_popup_html(site),
    }


# --------------------------------------------------------------------------------------
# Symbols and HTML fragments (all data text escaped here)
# --------------------------------------------------------------------------------------


def marker_svg(
    shape: str,
    colour: str,
    drawing: str,
    size: int = MARKER_SIZE,
    *,
    label: str = "",
    site_id: str = "",
) -> str:
    """Inline SVG of a marker: shape per category, colour per initiative, drawing per precision."""
    if drawing not in DRAWING_SVG:
        raise ValueError(f"unknown drawing {drawing!r}: expected one of {', '.join(DRAWING_SVG)}")
    parts = [
        SHAPE_SVG[shape].format(a=layer.format(c=colour, o=style.APPROXIMATE_FILL_OPACITY))
        for layer in DRAWING_SVG[drawing]
    ]
    attrs = [
        'xmlns="http://www.w3.org/2000/svg"',
        f'width="{size}" height="{size}" viewBox="0 0 24 24"',
        f'class="symbol symbol-{shape} drawing-{drawing}"',
    ]
    if label:
        attrs.append(f'role="img" aria-label="{_esc(label)}"')
    else:
        attrs.append('aria-hidden="true"')
    if site_id:
        attrs.append(f'data-site-id="{_esc(site_id)}"')
    return f"<svg {' '.join(attrs)}>{''.join(parts)}</svg>"


def site_tooltip_html(site: Mapping[str, Any]) -> str:
    """Tooltip of a marker: the site's name, then category and town."""
    detail = " · ".join(
        part for part in (voc.CATEGORIES.get(site["category"], ""), site.get("city", "")) if part
    )
    return f"<strong>{_esc(site['name'])}</strong><br><span>{_esc(detail)}</span>"


def site_popup_html(site: Mapping[str, Any]) -> str:
    """Popup of a marker: who, what, where (with precision in words) and linked sources."""
    rows = [
        ("Organisation", _esc(site["organisation"])),
        ("Category", _esc(voc.CATEGORIES[site["category"]])),
        ("Initiative", _initiative_list_html(site["initiatives"])),
        ("Programme", _labels(site["programmes"], voc.PROGRAMMES)),
        ("Audience", _labels(site["audiences"], voc.AUDIENCES)),
        ("City", _esc(_place(site))),
        ("Status", _esc(voc.STATUSES[site["status"]])),
        ("Location", _location_html(site)),
    ]
    table = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows)
    parts = [
        f"<h4>{_esc(site['name'])}</h4>",
        f"<table>{table}</table>",
        _sources_html(site["source_urls"], site.get("source_note", "")),
    ]
    if site.get("notes"):
        parts.append(f'<p class="notes">{_esc(site["notes"])}</p>')
    return f'<div class="site-popup-body">{"".join(parts)}</div>'


def region_tooltip_html(name: str, value: float | None, metric: Metric) -> str:
    """Tooltip of a region: its name and the value of the chosen metric."""
    return (
        f"<strong>{_esc(name)}</strong><br>{_esc(metric.label)}: "
        f"<b>{_esc(format_metric_value(value, metric))}</b>"
        '<br><span class="hint">Click for the region panel</span>'
    )


def choropleth_legend_html(view: ViewData) -> str:
    """Legend of the region colours: metric (with unit), classes, and the active filter."""
    metric = view.metric
    title = metric.label
    if metric.unit and metric.unit.lower() not in metric.label.lower():
        title += f" ({metric.unit})"
    entries = list(view.classes.legend())
    if view.metrics[metric.key].isna().any():
        entries.append((style.NO_DATA_COLOUR, voc.NOT_DISCLOSED.capitalize()))
    rows = "".join(
        f'<div class="row"><i class="swatch" style="background:{colour}"></i>'
        f"<span>{_esc(label)}</span></div>"
        for colour, label in entries
    )
    return (
        f'<div class="title">{_esc(title)} per region</div>'
        f'<div class="subtitle">{_esc(view.subtitle)}</div>{rows}'
    )


def marker_legend_html(sites: pd.DataFrame) -> str:
    """Legend of the markers: every colour, shape and drawing that the map shows."""
    if sites.empty:
        return '<div class="title">Sites</div><div class="subtitle">No site matches.</div>'
    colours = _legend_colours(sites["initiatives"])
    categories = [c for c in voc.CATEGORIES if c in set(sites["category"])]
    drawings = [
        d
        for d in style.DRAWING_LABELS
        if d in {style.PRECISION_DRAWING[p] for p in sites["precision"]}
    ]
    sections = [
        (
            "Initiative (colour)",
            [
                (marker_svg("circle", colour, "solid", LEGEND_SYMBOL_SIZE), label)
                for colour, label in colours
            ],
        ),
        (
            "Category (shape)",
            [
                (
                    marker_svg(
                        style.CATEGORY_SHAPES[c], NEUTRAL_SYMBOL_COLOUR, "solid", LEGEND_SYMBOL_SIZE
                    ),
                    voc.CATEGORIES[c],
                )
                for c in categories
            ],
        ),
        (
            "Location (drawing)",
            [
                (
                    marker_svg("circle", NEUTRAL_SYMBOL_COLOUR, d, LEGEND_SYMBOL_SIZE),
                    style.DRAWING_LABELS[d],
                )
                for d in drawings
            ],
        ),
    ]
    parts = ['<details open><summary class="title">Sites</summary>']
    for heading, entries in sections:
        parts.append(f'<div class="section">{_esc(heading)}</div>')
        parts += [
            f'<div class="row">{symbol}<span>{_esc(label)}</span></div>'
            for symbol, label in entries
        ]
    parts.append(
        '<div class="row"><span class="site-cluster legend-cluster"><span>3</span></span>'
        "<span>Several sites close together (click to zoom)</span></div>"
    )
    parts.append("</details>")
    return "".join(parts)


def _legend_colours(initiatives: Iterable[Sequence[str]]) -> list[tuple[str, str]]:
    """(colour, label) of the initiative colours in use, in vocabulary order."""
    seen = list(initiatives)
    single = {values[0] for values in seen if len(values) == 1}
    out = [
        (style.INITIATIVE_COLOURS[k], voc.INITIATIVES[k]) for k in voc.INITIATIVES if k in single
    ]
    if any(len(values) > 1 for values in seen):
        out.append((style.SEVERAL_INITIATIVES_COLOUR, style.SEVERAL_INITIATIVES_LABEL))
    return out


def _initiative_list_html(initiatives: Sequence[str]) -> str:
    return ", ".join(
        f'<span class="dot" style="background:{style.INITIATIVE_COLOURS[k]}"></span>'
        f"{_esc(voc.INITIATIVES[k])}"
        for k in initiatives
    )


def _labels(keys: Sequence[str], vocabulary: Mapping[str, str]) -> str:
    return _esc(", ".join(vocabulary.get(k, k) for k in keys)) if keys else "&mdash;"


def _place(site: Mapping[str, Any]) -> str:
    parts = [site.get("city", ""), site.get("region_name", "")]
    return ", ".join(dict.fromkeys(p for p in parts if p))


def _location_html(site: Mapping[str, Any]) -> str:
    # The row is headed "Location": drop the "location: " the sentence starts with.
    text = _esc(voc.PRECISION_EXPLAINED[site["precision"]].removeprefix("location: "))
    if not site.get("location_confirmed", True):
        text += " (not confirmed by a source)"
    basis = site.get("coord_basis", "")
    if basis:
        text += f'<br><span class="basis">{_esc(basis)}</span>'
    return text


def _sources_html(urls: Iterable[str], note: str) -> str:
    links = [
        f'<a href="{_esc(url)}" {NEW_TAB}>{_esc(source_label(url))}</a>'
        for url in urls
        if is_web_url(url)
    ]
    text = "Sources: " + (" · ".join(links) if links else "none linked")
    if note:
        text += f'<br><span class="basis">{_esc(note)}</span>'
    return f'<p class="sources">{text}</p>'


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _number(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


# --------------------------------------------------------------------------------------
# Geometry and assets
# --------------------------------------------------------------------------------------


def web_layers(dataset: Dataset) -> dict[str, dict]:
    """Lighter boundary layers for the browser, packed by pack_features (computed once).

    Départements are simplified as one coverage (neighbours keep shared edges) and regions
    are dissolved from them, so the two layers match exactly. The tolerance is the source's
    own grid (about 1 km), invisible at national zoom; reports and joins use full geometry.
    """
    cached = _WEB_LAYERS.get(id(dataset))
    if cached is not None and cached[0] is dataset:
        return cached[1]
    departements = dataset.departements.copy()
    simplified = shapely.coverage_simplify(departements.geometry.values, WEB_TOLERANCE_DEG)
    departements["geometry"] = shapely.set_precision(simplified, WEB_GRID_DEG)
    regions = dataset.regions.copy()
    dissolved = departements.dissolve(by="insee_reg").geometry
    regions["geometry"] = shapely.make_valid(dissolved.reindex(regions.index).values)
    countries = dataset.countries.copy()
    outline = countries.geometry.clip_by_rect(*COUNTRY_WEB_BOX).simplify(COUNTRY_TOLERANCE_DEG)
    countries["geometry"] = shapely.set_precision(outline.values, COUNTRY_GRID_DEG)
    countries = countries[~countries.geometry.is_empty]
    layers = {
        "regions": pack_features(regions, ("insee_reg", "name_fr")),
        "departements": pack_features(departements, ("insee_dep", "insee_reg")),
        "countries": pack_features(countries, ("name",)),
    }
    _WEB_LAYERS.clear()  # one dataset per process; keep memory flat if a new one is loaded
    _WEB_LAYERS[id(dataset)] = (dataset, layers)
    return layers


def _geometry_source(dataset: Dataset, name: str, geometry: Mapping[str, str] | None) -> str | dict:
    """The URL of a published layer when there is one, else the features themselves."""
    if geometry and name in geometry:
        return geometry[name]
    return web_layers(dataset)[name]


def pack_features(gdf: gpd.GeoDataFrame, fields: tuple[str, ...]) -> dict:
    """Polygons in a compact JSON the map's script unpacks: half the bytes of GeoJSON.

    ``{"scale": 10000, "features": [[properties, [polygon, ...]], ...]}`` where a polygon is
    a list of rings and a ring is ``[x0, y0, dx1, dy1, ...]`` in 1/scale degree: small
    integers that compress far better than decimal coordinates.
    """
    features = []
    for row in gdf[[*fields, "geometry"]].itertuples(index=False):
        polygons = (
            row.geometry.geoms if row.geometry.geom_type == "MultiPolygon" else [row.geometry]
        )
        packed = [[_pack_ring(ring) for ring in (p.exterior, *p.interiors)] for p in polygons]
        features.append([{field: getattr(row, field) for field in fields}, packed])
    return {"scale": PACK_SCALE, "features": features}


def _pack_ring(ring: shapely.LinearRing) -> list[int]:
    ints = np.rint(shapely.get_coordinates(ring) * PACK_SCALE).astype(np.int64)
    deltas = np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    return deltas.ravel().tolist()


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; it is a public static file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _walk(element: Any):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def _drop_plugin_links(root: Any) -> None:
    """Empty the CDN link lists of every element (MarkerCluster, Fullscreen, the map).

    The map alone then names the front-end files (see _attach_assets), so jQuery, Bootstrap,
    Font Awesome and awesome-markers, which nothing here uses, are never requested.
    """
    for element in _walk(root):
        if isinstance(element, JSCSSMixin):
            element.default_js = []
            element.default_css = []


def _attach_assets(m: folium.Map, assets: str, vendor_dir: Path) -> None:
    """Link the vendored files at /app/static/vendor/ (served) or copy them into the page."""
    _drop_plugin_links(m)
    if assets == "served":
        js, css = vendor_urls()
        m.default_js = [(Path(p).name, url) for p, url in zip(VENDOR_JS, js, strict=True)]
        m.default_css = [(Path(p).name, url) for p, url in zip(VENDOR_CSS, css, strict=True)]
    else:
        Element(inline_assets_html(vendor_dir)).add_to(m.get_root().header)


def inline_assets_html(vendor_dir: Path = VENDOR_DIR) -> str:
    """<style> and <script> tags holding the vendored CSS and JS (images as data: URIs)."""
    files = _manifest_files(vendor_dir)
    parts = []
    for rel in VENDOR_CSS:
        css = _read_asset(vendor_dir, rel, files)
        parts.append(f"<style>\n{_inline_css_urls(css, (vendor_dir / rel).parent)}\n</style>")
    for rel in VENDOR_JS:
        js = _SCRIPT_END.sub(r"<\\/\1", _read_asset(vendor_dir, rel, files))
        parts.append(f"<script>\n{js}\n</script>")
    return "\n".join(parts)


# "</script" inside inlined JS would end the tag early; "<\/script" means the same to JS.
_SCRIPT_END = re.compile(r"</(script)", re.IGNORECASE)


def _manifest_files(vendor_dir: Path) -> set[str]:
    manifest = vendor_dir / MANIFEST_NAME
    if not manifest.is_file():
        raise AssetsMissingError(f"{manifest} is missing: run `make assets` to vendor Leaflet")
    data = json.loads(manifest.read_text(encoding="utf-8"))
    return {f["path"] for pkg in data.get("packages", []) for f in pkg.get("files", [])}


def _read_asset(vendor_dir: Path, rel: str, listed: set[str]) -> str:
    path = vendor_dir / rel
    if rel not in listed or not path.is_file():
        raise AssetsMissingError(f"{path} is missing or not in the manifest: run `make assets`")
    return path.read_text(encoding="utf-8")


def _inline_css_urls(css: str, folder: Path) -> str:
    """Replace url(relative-file) in CSS by data: URIs so the CSS works inline."""

    def replace(match: re.Match) -> str:
        target = match.group(2)
        if target.startswith(("data:", "#", "http:", "https:", "/")):
            return match.group(0)
        path = folder / target
        if not path.is_file():
            return match.group(0)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'url("data:{mime};base64,{data}")'

    return re.sub(r"url\((['\"]?)([^'\")]+)\1\)", replace, css)


def _map_css() -> str:
    """Styles of the map page: sea background, markers, clusters, legends, popups."""
    return f"""<style>
body .leaflet-container {{ background: {style.SEA_COLOUR}; }}
.site-marker {{ background: none; border: none; }}
.site-marker svg {{ display: block; overflow: visible;
  filter: drop-shadow(0 0 1px rgba(0,0,0,.55)); }}
.site-cluster {{ background: rgba(255,255,255,.55); border-radius: 50%; }}
.site-cluster span {{ display: flex; align-items: center; justify-content: center;
  margin: 3px; width: calc(100% - 6px); height: calc(100% - 6px); border-radius: 50%;
  background: #2b2b2b; color: #fff; font: 600 13px/1 Arial, sans-serif;
  box-shadow: 0 0 0 2px #fff; }}
.map-legend {{ background: rgba(255,255,255,.94); padding: 6px 9px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); font-size: 11.5px; line-height: 1.2; color: #222;
  max-width: 190px; }}
.map-legend .title {{ font-weight: 600; font-size: 12.5px; margin-bottom: 2px; cursor: default; }}
.map-legend summary.title {{ cursor: pointer; }}
.map-legend .subtitle {{ color: #555; margin-bottom: 4px; font-size: 11.5px; }}
.map-legend .section {{ color: #555; margin: 5px 0 2px; font-size: 11px;
  text-transform: uppercase; letter-spacing: .03em; }}
.map-legend .row {{ display: flex; align-items: center; gap: 6px; margin: 1px 0; }}
.map-legend .row svg {{ flex: none; overflow: visible; }}
.map-legend .swatch {{ display: inline-block; width: 16px; height: 12px; flex: none;
  border: 1px solid {style.BOUNDARY_COLOUR}; }}
.map-legend .legend-cluster {{ display: inline-block; width: 18px; height: 18px; flex: none; }}
.map-legend .legend-cluster span {{ font-size: 10px; margin: 2px; width: 14px; height: 14px;
  box-shadow: 0 0 0 1px #fff; }}
.region-tooltip .hint {{ color: #666; font-size: 11px; }}
.site-popup-body h4 {{ margin: 0 0 6px; font-size: 14px; }}
.site-popup-body table {{ border-collapse: collapse; font-size: 12px; }}
.site-popup-body th {{ text-align: left; vertical-align: top; color: #555; font-weight: 600;
  padding: 1px 8px 1px 0; white-space: nowrap; }}
.site-popup-body td {{ padding: 1px 0; }}
.site-popup-body .basis {{ color: #666; font-size: 11px; }}
.site-popup-body .notes {{ font-size: 12px; margin: 6px 0; color: #333; }}
.site-popup-body .sources {{ font-size: 12px; margin: 6px 0 0; }}
.site-popup-body .dot {{ display: inline-block; width: 9px; height: 9px; border-radius: 50%;
  margin-right: 3px; }}
</style>"""
