"""Build the folium map: a stable base map plus the layers one view changes.

Two ways to ship the front-end files: ``assets="served"`` links them by URL under the app's
static URL (vendored files under vendor/, the map's own script and styles where
publish_map_files put them) and ``assets="inline"`` copies them into the page, so an exported
HTML file opens from disk with no internet. Nothing here loads from a CDN. Polygons are
embedded, or fetched by URL from files publish_geometry wrote, so reruns do not resend them.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import xyzservices
from branca.element import Element
from folium.elements import JSCSSMixin

from geo import i18n, style
from geo.core.dataset import Dataset
from geo.core.regions import USER_SITES
from geo.core.state import DEFAULT_VIEW, VIEWS
from geo.core.view import ViewData
from geo.i18n import N_, _
from geo.webmap import assets as front
from geo.webmap import verbatim
from geo.webmap.elements import GeoJsonLayer, MapPage, MapScript, MapSetup, ScaleBar
from geo.webmap.geometry import GeometrySource, complete_geometry, embedded_only
from geo.webmap.investments import INVESTMENT_PANE, INVESTMENT_Z, InvestmentLayerParts
from geo.webmap.layers import (
    COUNTRY_STYLE,
    DEPARTEMENT_PANE,
    DEPARTEMENT_Z,
    FALLBACK_PANE,
    FALLBACK_Z,
    USER_DEPARTEMENT_PANE,
    USER_DEPARTEMENT_Z,
    USER_POINTS_PANE,
    USER_POINTS_Z,
    departement_group,
    investments_layer,
    region_group,
    site_group,
    user_group,
)

verbatim.install()  # before any map is built: see geo/webmap/verbatim.py

ASSET_MODES = ("served", "inline")
MAX_ZOOM = 18
MIN_ZOOM = 2
ZOOM_SNAP = 0.25
MAP_HEIGHT = 640
FONT_SIZE = "13px"
PAGE_TITLE = N_("France AI investment map: Microsoft's AI sites by region")

NEW_TAB = 'target="_blank" rel="noopener noreferrer"'
NATURAL_EARTH_LINK = f'<a href="https://www.naturalearthdata.com/" {NEW_TAB}>Natural Earth</a>'
# "{source} boundaries": the source is a link (HTML made here), the words around it are text.
DATA_ATTRIBUTION_WORDS = N_("{source} boundaries")
TILES_NAME = N_("Basemap: CartoDB Positron (online)")
# Words the map's script writes (FranceAiMap.setupMap's ``strings``), translated per map.
SCRIPT_WORDS: dict[str, str] = {
    "zoomIn": N_("Zoom in"),
    "zoomOut": N_("Zoom out"),
    "layers": N_("Layers"),
    "clusterHidden": N_("sites close together: zoom in"),
    "regionValues": N_("Region values"),
    "closePopup": N_("Close popup"),
}
FULL_SCREEN = N_("Full screen")
LEAVE_FULL_SCREEN = N_("Leave full screen")


def data_attribution() -> str:
    """The boundaries' attribution (HTML): the translated words escaped, around the link."""
    before, _sep, after = html.escape(_(DATA_ATTRIBUTION_WORDS)).partition("{source}")
    return f"{before}{NATURAL_EARTH_LINK}{after}"


def _keyless(provider: xyzservices.TileProvider) -> xyzservices.TileProvider:
    """The provider without the API key xyzservices now lists for CARTO's commercial use.

    CARTO's basemaps answer without a key for this kind of low-traffic, non-commercial map
    (the URL the map has always used); xyzservices would warn on every map otherwise.
    """
    keyless = xyzservices.TileProvider(provider)
    keyless.pop("apikey", None)
    keyless["url"] = keyless["url"].removesuffix("?key={apikey}")
    return keyless


TILES = _keyless(xyzservices.providers.CartoDB.Positron)
# xyzservices' attribution, with its links opening outside the map's frame.
TILES_ATTRIBUTION = TILES.html_attribution.replace("<a href=", f"<a {NEW_TAB} href=")


def build_map(
    dataset: Dataset,
    view: ViewData,
    assets: str = "served",
    tiles: bool = True,
    *,
    geometry: Mapping[str, GeometrySource] | None = None,
    selected_region: str | None = None,
    vendor_dir: Path | None = None,
    static_url: str = front.STATIC_URL,
    map_files: Mapping[str, str] | None = None,
) -> folium.Map:
    """A complete map of one view: base map, view layers and layer control in one object.

    With ``assets="inline"`` the result renders (``m.get_root().render()``) to one HTML file
    that needs no server and no internet: the files come from ``vendor_dir``, URLs in
    ``geometry`` (from publish_geometry) are ignored and the polygons are embedded.
    """
    _check_assets(assets, vendor_dir)
    if assets == "inline":
        geometry = embedded_only(geometry)
    geometry = complete_geometry(dataset, geometry)  # simplified once for all layers
    m = build_base_map(
        dataset,
        assets=assets,
        tiles=tiles,
        geometry=geometry,
        vendor_dir=vendor_dir,
        static_url=static_url,
        map_files=map_files,
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
    geometry: Mapping[str, GeometrySource] | None = None,
    vendor_dir: Path | None = None,
    static_url: str = front.STATIC_URL,
    map_files: Mapping[str, str] | None = None,
) -> folium.Map:
    """The part of the map no filter changes: frame, panes, basemap, controls, script, CSS.

    Streamlit keys the map component on this script, so it must not depend on the view;
    it depends on the language (control titles, the script's words, ``<html lang>``), so a
    cache of it needs the language in its key.
    ``map_files`` (from publish_map_files) links the map's own script and styles when served;
    without it they are copied into the page.
    """
    _check_assets(assets, vendor_dir)
    linked = map_files if assets == "served" else None
    m = _empty_map()
    if not linked:
        MapScript(front.map_file_text("js")).add_to(m)  # first: the elements below call it
    image_path = front.leaflet_images_url(static_url) if assets == "served" else None
    MapSetup(_setup_config(), image_path=image_path).add_to(m)
    countries = complete_geometry(dataset, geometry)["countries"]
    GeoJsonLayer(countries, base_style=COUNTRY_STYLE, pane=FALLBACK_PANE, interactive=False).add_to(
        m
    )
    if tiles:
        folium.TileLayer(
            TILES,
            name=_(TILES_NAME),
            attr=TILES_ATTRIBUTION,
            overlay=True,
            control=True,
            max_zoom=MAX_ZOOM,
        ).add_to(m)
    folium.plugins.Fullscreen(
        position="topleft", title=_(FULL_SCREEN), title_cancel=_(LEAVE_FULL_SCREEN)
    ).add_to(m)
    ScaleBar().add_to(m)
    _attach_assets(m, assets, vendor_dir, static_url, linked)
    if not linked:  # after the vendored styles, as a linked copy would be
        Element(f"<style>\n{front.map_file_text('css')}</style>").add_to(m.get_root().header)
    return m


def build_layers(
    dataset: Dataset,
    view: ViewData,
    *,
    geometry: Mapping[str, GeometrySource] | None = None,
    selected_region: str | None = None,
    markers: Mapping[str, list[Any]] | None = None,
    investment_parts: InvestmentLayerParts | None = None,
) -> list[folium.FeatureGroup]:
    """The layers one view changes: region choropleth, departement outlines, site markers,
    the announced investments when the view's toggle is on (``layer_investments``), and the
    reader's own sites when the view has some.

    The app passes them to st_folium's ``feature_group_to_add`` so a filter change swaps
    them without remounting the map (pan and zoom survive). ``markers`` (marker_rows of the
    dataset's sites, made once) spares rendering every marker again on each rerun, and
    ``investment_parts`` (layers.investment_parts of this view) the investment markers.
    """
    geometry = complete_geometry(dataset, geometry)
    groups = [
        region_group(
            view,
            geometry["regions"],
            selected_region,
            departements=geometry["departements"],
            departement_names=dict(dataset.departements[i18n.place_name_column()]),
        )
    ]
    if view.state.departements:
        groups.append(departement_group(geometry["departements"]))
    groups.append(site_group(view, markers))
    if view.state.layer_investments and view.investments is not None:
        groups.append(investments_layer(view, dataset.regions, investment_parts))
    if view.user is not None and USER_SITES in view.metrics_offered:
        groups.append(user_group(view))
    for group in groups:
        _drop_plugin_links(group)
    return groups


def build_layer_control() -> folium.LayerControl:
    """The layer control (basemap, regions, departements, sites, investments)."""
    return folium.LayerControl(position="topright", collapsed=True)


def map_links(m: folium.Map) -> list[str]:
    """Every JS/CSS URL the elements of a map ask for (what st_folium would load)."""
    links: list[str] = []
    for element in _walk(m):
        if isinstance(element, JSCSSMixin):
            links += [url for _, url in (*element.default_js, *element.default_css)]
    return list(dict.fromkeys(links))


def clicked_region(drawing: Mapping[str, Any] | None, region_codes: Iterable[str]) -> str | None:
    """The region code of a clicked region feature (st_folium's last_active_drawing), if any."""
    if not isinstance(drawing, Mapping):
        return None
    properties = drawing.get("properties")
    if not isinstance(properties, Mapping):
        return None
    code = properties.get("insee_reg")
    return code if isinstance(code, str) and code in set(region_codes) else None


def _check_assets(assets: str, vendor_dir: Path | None) -> None:
    if assets not in ASSET_MODES:
        raise ValueError(f"assets must be one of {', '.join(ASSET_MODES)}, got {assets!r}")
    if assets == "inline" and vendor_dir is None:
        raise ValueError("assets='inline' needs vendor_dir, the folder of the vendored files")


def _empty_map() -> folium.Map:
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
    MapPage(_(PAGE_TITLE), lang=i18n.language()).add_child(
        m
    )  # a standalone page needs a language and a title
    # With tiles=None folium forgets max_zoom; MarkerCluster needs it on the map.
    m.options["max_zoom"] = MAX_ZOOM
    m.options["min_zoom"] = MIN_ZOOM
    return m


def _setup_config() -> dict[str, Any]:
    """FranceAiMap.setupMap's configuration: panes, data attribution, colours from geo.style."""
    return {
        "panes": [
            {"name": FALLBACK_PANE, "zIndex": FALLBACK_Z, "interactive": True},
            {"name": DEPARTEMENT_PANE, "zIndex": DEPARTEMENT_Z, "interactive": False},
            {"name": USER_DEPARTEMENT_PANE, "zIndex": USER_DEPARTEMENT_Z, "interactive": True},
            {"name": USER_POINTS_PANE, "zIndex": USER_POINTS_Z, "interactive": False},
            {"name": INVESTMENT_PANE, "zIndex": INVESTMENT_Z, "interactive": True},
        ],
        "attribution": data_attribution(),
        "lang": i18n.language(),
        "strings": {key: _(text) for key, text in SCRIPT_WORDS.items()},
        "cssVariables": {
            "--france-ai-sea": style.SEA_COLOUR,
            "--france-ai-boundary": style.BOUNDARY_COLOUR,
        },
    }


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


def _attach_assets(
    m: folium.Map,
    assets: str,
    vendor_dir: Path | None,
    static_url: str,
    map_files: Mapping[str, str] | None,
) -> None:
    """Link the vendored files (then the map's own, when published) or copy them in."""
    _drop_plugin_links(m)
    if assets == "inline":
        Element(front.inline_assets_html(vendor_dir)).add_to(m.get_root().header)
        return
    js, css = front.vendor_urls(static_url)
    if map_files:
        js, css = [*js, map_files["js"]], [*css, map_files["css"]]
    m.default_js = [(url.rsplit("/", 1)[1], url) for url in js]
    m.default_css = [(url.rsplit("/", 1)[1], url) for url in css]
