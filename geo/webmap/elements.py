"""Thin folium elements: each renders one call into the map's script (static/map.js).

The script holds the behaviour; these elements only name the function and pass its
configuration as JSON (Jinja's ``tojson``: keys sorted, ``<``, ``>`` and ``&`` escaped).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from branca.element import Figure, MacroElement
from folium.template import Template

from geo.i18n import N_, _
from geo.webmap.assets import inline_script

# Maps at least this wide open the marker legend and keep room for it when fitting a view.
WIDE_MAP_PX = 700
LEGEND_ROOM_PX = 205
TABLE_LABEL = N_("Table")  # the button that opens the choropleth's table


class MapScript(MacroElement):
    """The map's own script inside the map's script, for pages that cannot link it.

    Put first on the map, so FranceAiMap exists before any element below calls it.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.source }}
        {% endmacro %}
        """
    )

    def __init__(self, source: str):
        super().__init__()
        self._name = "MapScript"
        self.source = inline_script(source)


class MapSetup(MacroElement):
    """Panes, data attribution, CSS colours and Leaflet's default icon path."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {%- if this.image_path %}
        L.Icon.Default.imagePath = {{ this.image_path|tojson }};
        {%- endif %}
        FranceAiMap.setupMap({{ this._parent.get_name() }}, {{ this.config|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, config: Mapping[str, Any], image_path: str | None = None):
        super().__init__()
        self._name = "MapSetup"
        self.config = dict(config)
        self.image_path = image_path


class ScaleBar(MacroElement):
    """A metric scale bar (folium's control_scale also shows miles)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        FranceAiMap.scaleBar({{ this._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, max_width: int = 140, position: str = "bottomleft"):
        super().__init__()
        self._name = "ScaleBar"
        self.options = {"imperial": False, "maxWidth": max_width, "position": position}


class GeoJsonLayer(MacroElement):
    """Polygons from a URL (fetched once per page) or embedded, styled per feature key.

    folium.GeoJson cannot do this: with embed=False it fetches with jQuery and styles in
    Python, which needs the data on the server side.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = FranceAiMap.geoJsonLayer(
            {{ this.source|tojson }}, {{ this.config|tojson }}
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
        self.config = {
            "key": key,
            "baseStyle": dict(base_style),
            "styles": {k: dict(v) for k, v in (styles or {}).items()},
            "tooltips": dict(tooltips or {}),
            "highlight": dict(highlight) if highlight else None,
            "pane": pane,
            "interactive": interactive,
        }


class LayerLegend(MacroElement):
    """A legend control that is shown exactly while its parent layer is on the map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        FranceAiMap.layerLegend({{ this._parent.get_name() }}, {{ this.config|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, position: str, css_class: str):
        super().__init__()
        self._name = "LayerLegend"
        self.config = {
            "html": str(html_text),
            "position": position,
            "className": f"map-legend {css_class}",
            "wideMapPx": WIDE_MAP_PX,
        }


class RegionTable(MacroElement):
    """A "Table" button on the map that shows the choropleth's values as an HTML table."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        FranceAiMap.regionTable({{ this._parent.get_name() }}, {{ this.config|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, position: str = "topright"):
        super().__init__()
        self._name = "RegionTable"
        self.config = {"html": str(html_text), "position": position, "label": _(TABLE_LABEL)}


class MapPage(Figure):
    """The page a standalone map renders to: folium's, with a language and a title."""

    _template = Template(
        """<!DOCTYPE html>
<html lang="{{ this.lang }}">
<head>
<title>{{ this.title|e }}</title>
{{ this.header.render(**kwargs) }}
</head>
<body>
{{ this.html.render(**kwargs) }}
</body>
<script>
{{ this.script.render(**kwargs) }}
</script>
</html>
"""
    )

    def __init__(self, title: str, lang: str = "en"):
        super().__init__(title=title)
        self._name = "MapPage"
        self.lang = lang


class FitView(MacroElement):
    """Fit the map to a named view once; later filter changes keep the reader's pan and zoom."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        FranceAiMap.fitViewOnce(
            {{ this._parent.get_name() }}, {{ this.key|tojson }}, {{ this.bounds|tojson }},
            {{ this.config|tojson }}
        );
        {% endmacro %}
        """
    )

    def __init__(self, key: str, bounds: tuple[float, float, float, float]):
        super().__init__()
        self._name = "FitView"
        south, west, north, east = bounds
        self.key = key
        self.bounds = [[south, west], [north, east]]
        self.config = {"wideMapPx": WIDE_MAP_PX, "legendRoomPx": LEGEND_ROOM_PX}


class UserPoints(MacroElement):
    """A reader's sites drawn on a canvas by the map's script, from one compact payload."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        FranceAiMap.userPoints(
            {{ this._parent.get_name() }}, {{ this.payload_json }}, {{ this.config|tojson }}
        );
        {% endmacro %}
        """
    )

    def __init__(self, payload_json: str, config: Mapping[str, Any]):
        """``payload_json``: geo.webmap.userpoints.script_json of the payload (script-safe)."""
        super().__init__()
        self._name = "UserPoints"
        self.payload_json = payload_json
        self.config = dict(config)


class InvestmentMarkers(MacroElement):
    """Announced investments as circle markers, made by the map's script from one array.

    Each row carries its position, its icon SVG and its tooltip and popup HTML, all rendered
    (and escaped) by geo.webmap.fragments' templates; the script only places them.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        FranceAiMap.investmentMarkers(
            {{ this._parent.get_name() }}, {{ this.rows|tojson }}, {{ this.config|tojson }}
        );
        {% endmacro %}
        """
    )

    def __init__(self, rows: list[Mapping[str, Any]], config: Mapping[str, Any]):
        super().__init__()
        self._name = "InvestmentMarkers"
        self.rows = [dict(row) for row in rows]
        self.config = dict(config)
