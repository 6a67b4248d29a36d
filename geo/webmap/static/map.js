/*
 * The France AI investment map's own script: everything the Python side (geo.webmap) does not
 * do with plain Leaflet. Python passes configuration only (JSON), and calls the functions
 * of the one global below. State that must outlive a filter change (the downloaded boundary
 * files, the view fitted last) lives in this closure, not in window globals.
 */
(function () {
  "use strict";

  // URL -> Promise of the unpacked layer: one download per page, whatever the reruns.
  var geoJsonCache = {};
  // The named view fitted last, and the resize handler that refits it until first touch.
  var fitted = { view: null, refit: null, map: null };

  /* Polygons travel packed (geo.webmap.geometry.pack_features): per feature its properties
   * and, per ring, integer coordinate deltas at 1/scale degree. Plain GeoJSON passes as is. */
  function unpack(packed) {
    if (!packed.scale) {
      return packed;
    }
    return {
      type: "FeatureCollection",
      features: packed.features.map(function (f) {
        var polygons = f[1].map(function (polygon) {
          return polygon.map(function (flat) {
            var ring = [];
            var x = 0;
            var y = 0;
            for (var i = 0; i < flat.length; i += 2) {
              x += flat[i];
              y += flat[i + 1];
              ring.push([x / packed.scale, y / packed.scale]);
            }
            return ring;
          });
        });
        return {
          type: "Feature",
          properties: f[0],
          geometry: { type: "MultiPolygon", coordinates: polygons },
        };
      }),
    };
  }

  /* Panes, data attribution and the CSS colours, before any layer exists. */
  function setupMap(map, config) {
    config.panes.forEach(function (pane) {
      var element = map.createPane(pane.name);
      element.style.zIndex = pane.zIndex;
      if (!pane.interactive) {
        element.style.pointerEvents = "none";
      }
    });
    map.attributionControl.addAttribution(config.attribution);
    Object.keys(config.cssVariables).forEach(function (name) {
      map.getContainer().style.setProperty(name, config.cssVariables[name]);
    });
  }

  /* A metric scale bar (folium's control_scale also shows miles). */
  function scaleBar(map, options) {
    return L.control.scale(options).addTo(map);
  }

  function loadOnce(url) {
    if (!geoJsonCache[url]) {
      geoJsonCache[url] = fetch(url)
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(unpack);
    }
    return geoJsonCache[url];
  }

  /* Polygons from a URL (fetched once per page) or embedded, styled per feature key. */
  function geoJsonLayer(source, config) {
    var key = config.key;
    var layer = L.geoJson(null, {
      pane: config.pane,
      interactive: config.interactive,
      smoothFactor: 0.5,
      style: function (feature) {
        return Object.assign({}, config.baseStyle, config.styles[feature.properties[key]] || {});
      },
      onEachFeature: function (feature, path) {
        var code = feature.properties[key];
        if (code) {
          path.options.className = "feature-" + code;
        }
        if (config.tooltips[code]) {
          path.bindTooltip(config.tooltips[code], { sticky: true, className: "region-tooltip" });
        }
        if (config.highlight) {
          path.on({
            mouseover: function () {
              path.setStyle(config.highlight).bringToFront();
            },
            mouseout: function () {
              layer.resetStyle(path);
            },
          });
        }
      },
    });
    if (typeof source === "string") {
      loadOnce(source)
        .then(function (data) {
          layer.addData(data);
        })
        .catch(function (err) {
          delete geoJsonCache[source];
          console.error("Could not load " + source, err);
        });
    } else {
      layer.addData(unpack(source));
    }
    return layer;
  }

  /* The marker maker FastMarkerCluster calls for each row [lat, lon, site]. */
  function siteMarker(config) {
    var half = config.size / 2;
    return function (row) {
      var site = row[2];
      var icon = L.divIcon({
        html: site.icon,
        className: "site-marker",
        iconSize: [config.size, config.size],
        iconAnchor: [half, half],
        popupAnchor: [0, -(half - 2)],
        tooltipAnchor: [half - 2, 0],
      });
      // keyboard: Tab reaches the marker, Enter opens its popup (Leaflet's own handler).
      var marker = L.marker([row[0], row[1]], { icon: icon, riseOnHover: true, keyboard: true })
        .bindTooltip(site.tooltip, config.tooltip)
        .bindPopup(site.popup, config.popup);
      // The focusable element is named like its symbol ("site, category"); it is made anew on
      // each add (clusters add and remove markers as the zoom changes).
      marker.on("add", function () {
        var element = marker.getElement();
        var symbol = element.querySelector("svg[aria-label]");
        if (symbol) {
          element.setAttribute("aria-label", symbol.getAttribute("aria-label"));
        }
      });
      // The name is in the popup: a tooltip beside it would only cover the map.
      marker.on("popupopen", function () {
        marker.getTooltip().setOpacity(0);
      });
      marker.on("popupclose", function () {
        marker.getTooltip().setOpacity(0.9);
      });
      return marker;
    };
  }

  /* Enter on a focused cluster does what a click does: zoom in, or spread it at full zoom. */
  function openClusterOnEnter(cluster) {
    if (cluster.franceAiKeyboard) {
      return;
    }
    cluster.franceAiKeyboard = true;
    cluster.on("keypress", function (event) {
      if (event.originalEvent.key !== "Enter") {
        return;
      }
      var map = cluster._map;
      if (map && map.getZoom() >= map.getMaxZoom()) {
        cluster.spiderfy();
      } else {
        cluster.zoomToBounds({ padding: [20, 20] });
      }
    });
  }

  /* A cluster's icon: its marker count in a dark disc; the words after the number are for
   * screen readers (the count must stay the first thing in its text). */
  function clusterIcon(cluster) {
    var n = cluster.getChildCount();
    var size = n < 10 ? 30 : 36;
    openClusterOnEnter(cluster);
    return L.divIcon({
      html: "<span>" + n + '<span class="visually-hidden"> sites close together: zoom in</span></span>',
      className: "site-cluster",
      iconSize: L.point(size, size),
    });
  }

  /* Show a control exactly while its layer is on the map (the layer control toggles it). */
  function followLayer(control, layer) {
    layer.on("add", function () {
      control.addTo(layer._map);
    });
    layer.on("remove", function () {
      control.remove();
    });
    if (layer._map) {
      control.addTo(layer._map);
    }
    return control;
  }

  /* A legend control shown exactly while its layer is on the map; its HTML comes rendered. */
  function layerLegend(layer, config) {
    var control = L.control({ position: config.position });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", config.className);
      div.innerHTML = config.html;
      var details = div.querySelector("details");
      if (details && layer._map.getContainer().clientWidth < config.wideMapPx) {
        details.open = false;
      }
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    return followLayer(control, layer);
  }

  /* A "Table" button that shows the choropleth's values (HTML rendered by geo.webmap) in a
   * panel inside the map, shown exactly while its layer is on the map. */
  function regionTable(layer, config) {
    var control = L.control({ position: config.position });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "leaflet-bar region-table-control");
      var button = L.DomUtil.create("button", "region-table-toggle", div);
      var panel = L.DomUtil.create("div", "region-table-panel", div);
      var id = L.stamp(control);
      button.type = "button";
      button.textContent = config.label;
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("aria-controls", "region-table-" + id);
      panel.id = "region-table-" + id;
      panel.hidden = true;
      panel.tabIndex = 0; // it scrolls: keyboard users must be able to scroll it
      panel.setAttribute("role", "region");
      panel.setAttribute("aria-label", "Region values");
      panel.innerHTML = config.html;
      function show(open) {
        panel.hidden = !open;
        button.setAttribute("aria-expanded", String(open));
      }
      L.DomEvent.on(button, "click", function () {
        show(panel.hidden);
      });
      L.DomEvent.on(div, "keydown", function (event) {
        if (event.key === "Escape" && !panel.hidden) {
          show(false);
          button.focus();
        }
      });
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    return followLayer(control, layer);
  }

  function fit(map, bounds, config) {
    map.invalidateSize({ pan: false });
    // Leave room for the marker legend on the right when the map is wide.
    var wide = map.getContainer().clientWidth >= config.wideMapPx;
    map.fitBounds(bounds, {
      paddingTopLeft: [8, 8],
      paddingBottomRight: [wide ? config.legendRoomPx : 8, 8],
      animate: false,
    });
  }

  /* Fit the map to a named view once; later filter changes keep the reader's pan and zoom.
   * The frame may still be resizing when the map is created, so the view is fitted again on
   * each resize until the reader first touches the map. */
  function fitViewOnce(layer, view, bounds, config) {
    function start() {
      var map = layer._map;
      if (fitted.view === view && fitted.map === map) {
        return;
      }
      if (fitted.refit) {
        fitted.map.off("resize", fitted.refit);
      }
      var refit = function () {
        fit(map, bounds, config);
      };
      fitted = { view: view, refit: refit, map: map };
      map.on("resize", refit);
      L.DomEvent.on(map.getContainer(), "mousedown touchstart wheel keydown", function () {
        map.off("resize", refit);
      });
      fit(map, bounds, config);
    }
    layer.on("add", start);
    if (layer._map) {
      start();
    }
  }

  window.FranceAiMap = {
    unpack: unpack,
    setupMap: setupMap,
    scaleBar: scaleBar,
    geoJsonLayer: geoJsonLayer,
    siteMarker: siteMarker,
    clusterIcon: clusterIcon,
    layerLegend: layerLegend,
    regionTable: regionTable,
    fitViewOnce: fitViewOnce,
  };
})();
