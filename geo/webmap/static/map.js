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
  // The reader's language and the words this script writes, both from setupMap's config
  // (translated by geo.webmap): nothing here is worded in one language.
  var words = { lang: "en", strings: {} }; // "en" (geo.i18n's default) until setupMap

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
    words.lang = config.lang;
    words.strings = config.strings || {};
    relabelControls(map);
    Object.keys(config.cssVariables).forEach(function (name) {
      map.getContainer().style.setProperty(name, config.cssVariables[name]);
    });
  }

  /* Leaflet words its controls' titles in English: the zoom buttons now, the layer control's
   * button whenever it is added (the page or st_folium adds it after this script runs). */
  function relabelControls(map) {
    function label(element, text) {
      if (element && text) {
        element.title = text;
        element.setAttribute("aria-label", text);
      }
    }
    if (map.zoomControl) {
      label(map.zoomControl._zoomInButton, words.strings.zoomIn);
      label(map.zoomControl._zoomOutButton, words.strings.zoomOut);
    }
    function relabelLayers() {
      var toggles = map.getContainer().querySelectorAll(".leaflet-control-layers-toggle");
      Array.prototype.forEach.call(toggles, function (toggle) {
        label(toggle, words.strings.layers);
      });
    }
    relabelLayers();
    // Leaflet names each popup's close button "Close popup" when it opens.
    map.on("popupopen", function (event) {
      var button = event.popup._closeButton;
      if (button && words.strings.closePopup) {
        button.setAttribute("aria-label", words.strings.closePopup);
      }
    });
    if (typeof MutationObserver !== "undefined" && map._controlContainer) {
      new MutationObserver(relabelLayers).observe(map._controlContainer, {
        childList: true,
        subtree: true,
      });
    }
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

  /* Announced investments (geo.webmap.investments): one marker per row, its icon, tooltip and
   * popup rendered (and escaped) in Python; smaller circles sit above larger ones (row.z). */
  function investmentMarkers(group, rows, config) {
    rows.forEach(function (row) {
      var half = row.size / 2;
      var icon = L.divIcon({
        html: row.icon,
        className: "investment-marker " + row.className,
        iconSize: [row.size, row.size],
        iconAnchor: [half, half],
        popupAnchor: [0, -half],
        tooltipAnchor: [half, 0],
      });
      var marker = L.marker([row.lat, row.lon], {
        icon: icon,
        pane: config.pane,
        zIndexOffset: row.z,
        keyboard: true,
      })
        .bindTooltip(row.tooltip, config.tooltip)
        .bindPopup(row.popup, config.popup);
      marker.on("add", function () {
        var element = marker.getElement();
        var symbol = element.querySelector("svg[aria-label]");
        if (symbol) {
          element.setAttribute("aria-label", symbol.getAttribute("aria-label"));
        }
        element.setAttribute("data-investment-id", row.id);
      });
      marker.on("popupopen", function () {
        marker.getTooltip().setOpacity(0);
      });
      marker.on("popupclose", function () {
        marker.getTooltip().setOpacity(0.9);
      });
      marker.addTo(group);
    });
    return group;
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
      html: "<span>" + n + '<span class="visually-hidden"> ' + escapeText(words.strings.clusterHidden || "") + "</span></span>",
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
      panel.setAttribute("aria-label", words.strings.regionValues || config.label);
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

  /* ---- Your sites: up to 100,000 dots on one canvas (geo.webmap.userpoints packs them) ----
   * Leaflet's own canvas renderer with one circleMarker per site is too slow at that size:
   * this layer projects the points itself after each move or zoom, draws one dot per pixel
   * cell (a dot landing on a cell already drawn is skipped) and finds the dot under the
   * mouse through a grid of the dots drawn. Every text goes in as text (textContent). */

  function base64Bytes(text) {
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  /* Little-endian integers of 1, 2 or 4 bytes (signed when 4) from base64. */
  function base64Integers(text, width) {
    var bytes = base64Bytes(text);
    var view = new DataView(bytes.buffer);
    var n = bytes.length / width;
    var out = width === 4 ? new Int32Array(n) : new Uint32Array(n);
    for (var i = 0; i < n; i++) {
      out[i] =
        width === 1 ? bytes[i] : width === 2 ? view.getUint16(2 * i, true) : view.getInt32(4 * i, true);
    }
    return out;
  }

  /* A text column: a function of the row (plain list, or distinct values and their index). */
  /* Coordinates: an origin plus unsigned offsets of 3 or 4 bytes, at 1e-5 degree. */
  function coordinates(encoded) {
    var bytes = base64Bytes(encoded.data);
    var width = encoded.width;
    var n = bytes.length / width;
    var out = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      var j = i * width;
      var offset = bytes[j] + bytes[j + 1] * 256 + bytes[j + 2] * 65536;
      if (width === 4) {
        offset += bytes[j + 3] * 16777216;
      }
      out[i] = (encoded.origin + offset) / 1e5;
    }
    return out;
  }

  /* Text for innerHTML (the cluster icon's HTML): &, <, > and quotes as entities. */
  function escapeText(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function formatNumber(value) {
    return value.toLocaleString(words.lang, { maximumFractionDigits: 2 });
  }

  function textColumn(encoded, n) {
    if (encoded.ints) {
      var ints = base64Integers(encoded.ints, 4);
      var scale = encoded.scale || 1;
      return function (i) {
        return ints[i] === encoded.missing ? "" : formatNumber(ints[i] / scale);
      };
    }
    if (encoded.floats) {
      var bytes = base64Bytes(encoded.floats);
      var floats = new DataView(bytes.buffer);
      return function (i) {
        var value = floats.getFloat64(8 * i, true);
        return isNaN(value) ? "" : formatNumber(value);
      };
    }
    if (encoded.steps !== undefined) {
      var steps = base64Integers(encoded.steps, 1);
      var lines = new Float64Array(steps.length + 1);
      lines[0] = encoded.start;
      for (var k = 0; k < steps.length; k++) {
        lines[k + 1] = lines[k] + steps[k];
      }
      return function (i) {
        return String(lines[i]);
      };
    }
    if (encoded.text) {
      return function (i) {
        return encoded.text[i];
      };
    }
    var width = n ? base64Bytes(encoded.index).length / n : 1;
    var index = base64Integers(encoded.index, width);
    return function (i) {
      return encoded.values[index[i]];
    };
  }

  /* Web Mercator of Leaflet's EPSG:3857, scaled to the unit square (x east, y south). */
  function mercator(lat, lon) {
    var max = 85.0511287798;
    var phi = (Math.max(-max, Math.min(max, lat)) * Math.PI) / 180;
    return [(lon + 180) / 360, 0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI)];
  }

  function decodeUserPoints(payload) {
    var n = payload.n;
    var lat = coordinates(payload.lat);
    var lon = coordinates(payload.lon);
    var points = {
      kind: payload.kind,
      n: n,
      lat: new Float64Array(n),
      lon: new Float64Array(n),
      mx: new Float64Array(n),
      my: new Float64Array(n),
      palette: payload.palette,
      colour: payload.colour ? base64Integers(payload.colour, 1) : new Uint32Array(n),
      count: payload.count ? base64Integers(payload.count, 4) : null,
      total: payload.total || n,
      names: payload.names || [],
      source: payload.source || "",
      complete: payload.complete !== false,
      fields: (payload.fields || []).map(function (field) {
        return { label: field[0], get: textColumn(field[1], n), kind: field[2] };
      }),
    };
    for (var i = 0; i < n; i++) {
      points.lat[i] = lat[i];
      points.lon[i] = lon[i];
      var m = mercator(points.lat[i], points.lon[i]);
      points.mx[i] = m[0];
      points.my[i] = m[1];
    }
    return points;
  }

  /* A payload as sent: a promise of the payload itself, inflated first when it came deflated
   * (zlib, RFC 1950: what DecompressionStream calls "deflate"). */
  function inflateUserPoints(payload) {
    if (!payload.deflate) {
      return Promise.resolve(payload);
    }
    var stream = new Blob([base64Bytes(payload.deflate)])
      .stream()
      .pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream)
      .text()
      .then(function (text) {
        var inflated = JSON.parse(text);
        inflated.complete = payload.complete; // decided after the deflated part was written
        return inflated;
      });
  }

  /* Which dots to draw in a w x h canvas whose top left is (offX, offY) world pixels at
   * ``scale``: the first dot of each ``cell``-pixel cell. Returns their rows and positions. */
  function placeDots(points, scale, offX, offY, w, h, cell) {
    var cols = Math.ceil(w / cell);
    var taken = new Uint8Array(cols * Math.ceil(h / cell));
    // Reused from one drawing to the next: 100,000 rows make garbage worth sparing.
    if (!points.buffers) {
      points.buffers = {
        rows: new Int32Array(points.n),
        x: new Float32Array(points.n),
        y: new Float32Array(points.n),
      };
    }
    var rows = points.buffers.rows;
    var xs = points.buffers.x;
    var ys = points.buffers.y;
    var drawn = 0;
    for (var i = 0; i < points.n; i++) {
      var x = points.mx[i] * scale - offX;
      var y = points.my[i] * scale - offY;
      if (x < 0 || y < 0 || x >= w || y >= h) {
        continue;
      }
      var key = ((y / cell) | 0) * cols + ((x / cell) | 0);
      if (taken[key]) {
        continue;
      }
      taken[key] = 1;
      rows[drawn] = i;
      xs[drawn] = x;
      ys[drawn] = y;
      drawn++;
    }
    return { n: drawn, rows: rows, x: xs, y: ys };
  }

  /* A bucket grid over the dots drawn, so the mouse finds its dot without scanning them all. */
  function hitGrid(dots, w, h, bucket) {
    var cols = Math.ceil(w / bucket) + 1;
    var head = new Int32Array(cols * (Math.ceil(h / bucket) + 1)).fill(-1);
    var next = new Int32Array(dots.n);
    for (var k = 0; k < dots.n; k++) {
      var key = ((dots.y[k] / bucket) | 0) * cols + ((dots.x[k] / bucket) | 0);
      next[k] = head[key];
      head[key] = k;
    }
    return { dots: dots, cols: cols, rows: head.length / cols, head: head, next: next, bucket: bucket };
  }

  /* The row of the drawn dot nearest (x, y) within ``radius`` pixels, or -1. */
  function nearestDot(grid, x, y, radius) {
    var best = -1;
    var bestDistance = radius * radius;
    var bx = (x / grid.bucket) | 0;
    var by = (y / grid.bucket) | 0;
    var reach = Math.ceil(radius / grid.bucket);
    for (var gy = by - reach; gy <= by + reach; gy++) {
      for (var gx = bx - reach; gx <= bx + reach; gx++) {
        if (gx < 0 || gy < 0 || gx >= grid.cols || gy >= grid.rows) {
          continue;
        }
        for (var k = grid.head[gy * grid.cols + gx]; k !== -1; k = grid.next[k]) {
          var dx = grid.dots.x[k] - x;
          var dy = grid.dots.y[k] - y;
          if (dx * dx + dy * dy <= bestDistance) {
            bestDistance = dx * dx + dy * dy;
            best = grid.dots.rows[k];
          }
        }
      }
    }
    return best;
  }

  function dotRadius(points, row, config) {
    if (points.kind !== "grid") {
      return config.radius;
    }
    return Math.min(config.maxCellRadius, config.radius + 2 * Math.log10(points.count[row]));
  }

  /* The popup of one dot as DOM nodes: every value set as text, links only for http(s). */
  function userPopup(points, row, config) {
    var body = document.createElement("div");
    body.className = "user-popup-body";
    var title = document.createElement("h4");
    body.appendChild(title);
    if (points.kind === "grid") {
      title.textContent = formatNumber(points.count[row]) + " " + config.cellLabel;
      return body;
    }
    title.textContent = points.names[row];
    var table = document.createElement("table");
    points.fields.forEach(function (field) {
      var value = field.get(row);
      if (value === undefined || value === null || value === "") {
        return;
      }
      var tr = table.insertRow();
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = field.label;
      tr.appendChild(th);
      var td = tr.insertCell();
      if (field.kind === "url" && /^https?:\/\/[^\s]+$/i.test(value)) {
        var link = document.createElement("a");
        link.href = value;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        link.textContent = value;
        td.appendChild(link);
      } else {
        td.textContent = value;
      }
    });
    body.appendChild(table);
    var foot = document.createElement("p");
    foot.className = "user-popup-source";
    foot.textContent =
      config.sourceLabel + " " + points.source + (points.complete ? "" : ". " + config.moreLabel);
    body.appendChild(foot);
    return body;
  }

  function userTooltip(points, row, config) {
    var span = document.createElement("span");
    span.textContent =
      points.kind === "grid"
        ? formatNumber(points.count[row]) + " " + config.cellLabel
        : points.names[row];
    return span;
  }

  var UserPointsLayer = null;

  /* The layer class, made on first use (Leaflet is not loaded where map.js is only tested). */
  function userPointsClass() {
    if (UserPointsLayer) {
      return UserPointsLayer;
    }
    UserPointsLayer = L.Layer.extend({
      /* ``points``: decodeUserPoints's, or null until setPoints gives them. */
      initialize: function (points, config) {
        this._points = points;
        this._config = config;
        this._grid = null;
        this._frame = null;
      },
      /* The points once decoded: drawn now if the layer is on a map, else when it is added. */
      setPoints: function (points) {
        this._points = points;
        this._redraw();
        return this;
      },
      onAdd: function (map) {
        var pane = map.getPane(this._config.pane) || map.getPanes().overlayPane;
        this._canvas = L.DomUtil.create("canvas", "user-points-canvas", pane);
        this._canvas.setAttribute("aria-hidden", "true");
        this._tooltip = L.tooltip(this._config.tooltip);
        this._handlers = {
          mousedown: L.bind(this._onMouseDown, this),
          click: L.bind(this._onClick, this),
          mousemove: L.bind(this._onMouseMove, this),
          mouseout: L.bind(this._hideTooltip, this),
        };
        var container = map.getContainer();
        Object.keys(this._handlers).forEach(function (name) {
          container.addEventListener(name, this._handlers[name], name === "click");
        }, this);
        map.on("moveend resize viewreset", this._redraw, this);
        map.on("zoomstart", this._hide, this);
        this._redraw();
      },
      onRemove: function (map) {
        var container = map.getContainer();
        Object.keys(this._handlers).forEach(function (name) {
          container.removeEventListener(name, this._handlers[name], name === "click");
        }, this);
        map.off("moveend resize viewreset", this._redraw, this);
        map.off("zoomstart", this._hide, this);
        this._hideTooltip();
        L.DomUtil.remove(this._canvas);
        this._grid = null;
      },
      _hide: function () {
        this._canvas.style.visibility = "hidden";
        this._grid = null;
      },
      _redraw: function () {
        var map = this._map;
        if (!map || !this._points) {
          return;
        }
        var size = map.getSize();
        var padX = Math.round(size.x * this._config.padding);
        var padY = Math.round(size.y * this._config.padding);
        var w = size.x + 2 * padX;
        var h = size.y + 2 * padY;
        var topLeft = map.containerPointToLayerPoint([-padX, -padY]);
        var origin = map.getPixelOrigin();
        var scale = map.options.crs.scale(map.getZoom());
        var ratio = window.devicePixelRatio || 1;
        var canvas = this._canvas;
        canvas.width = Math.round(w * ratio);
        canvas.height = Math.round(h * ratio);
        canvas.style.width = w + "px";
        canvas.style.height = h + "px";
        L.DomUtil.setPosition(canvas, topLeft);
        var points = this._points;
        var config = this._config;
        var cell = points.kind === "grid" ? config.cellPx * 4 : config.cellPx;
        var dots = placeDots(points, scale, origin.x + topLeft.x, origin.y + topLeft.y, w, h, cell);
        var ctx = canvas.getContext("2d");
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        ctx.clearRect(0, 0, w, h);
        var paths = points.palette.map(function () {
          return new Path2D();
        });
        for (var k = 0; k < dots.n; k++) {
          var row = dots.rows[k];
          var r = dotRadius(points, row, config);
          var path = paths[points.colour[row]];
          path.moveTo(dots.x[k] + r, dots.y[k]);
          path.arc(dots.x[k], dots.y[k], r, 0, 2 * Math.PI);
        }
        var outline = dots.n <= config.outlineBelow;
        ctx.lineWidth = config.outlineWidth;
        ctx.strokeStyle = config.outline;
        ctx.globalAlpha = config.opacity;
        paths.forEach(function (path, i) {
          ctx.fillStyle = points.palette[i];
          ctx.fill(path);
          if (outline) {
            ctx.stroke(path);
          }
        });
        this._topLeft = topLeft;
        this._grid = hitGrid(dots, w, h, config.bucketPx);
        canvas.style.visibility = "";
        // Drawn, and of how many points (or cells): what tests and benches wait for.
        L.DomUtil.addClass(canvas, "user-points-drawn");
        canvas.dataset.points = String(points.n);
      },
      /* The row under a mouse event, or -1. */
      _rowAt: function (event) {
        if (!this._grid || !this._map || this._onControl(event)) {
          return -1;
        }
        var map = this._map;
        var at = map.containerPointToLayerPoint(map.mouseEventToContainerPoint(event));
        var radius = this._points.kind === "grid" ? this._config.maxCellRadius : this._config.radius;
        return nearestDot(this._grid, at.x - this._topLeft.x, at.y - this._topLeft.y, radius + 3);
      },
      _onControl: function (event) {
        var target = event.target;
        return Boolean(
          target && target.closest && target.closest(".leaflet-control, .leaflet-popup, .leaflet-tooltip")
        );
      },
      _latLng: function (row) {
        return L.latLng(this._points.lat[row], this._points.lon[row]);
      },
      _onMouseDown: function (event) {
        this._down = [event.clientX, event.clientY];
      },
      /* Capture phase: a click on a dot opens its popup and goes no further (the region
       * below would otherwise take it as a click for its panel). */
      _onClick: function (event) {
        var down = this._down;
        if (down && Math.abs(down[0] - event.clientX) + Math.abs(down[1] - event.clientY) > 5) {
          return; // the end of a drag
        }
        var row = this._rowAt(event);
        if (row === -1) {
          return;
        }
        L.DomEvent.stop(event);
        this._hideTooltip();
        this._popupRow = row;
        this._popup = L.popup(this._config.popup)
          .setLatLng(this._latLng(row))
          .setContent(userPopup(this._points, row, this._config))
          .openOn(this._map);
      },
      _onMouseMove: function (event) {
        var self = this;
        self._lastMove = event;
        if (self._frame) {
          return;
        }
        self._frame = L.Util.requestAnimFrame(function () {
          self._frame = null;
          var row = self._rowAt(self._lastMove);
          // The name is in the open popup: a tooltip beside it would only cover the map.
          var popupOpen = self._popup && self._map && self._map.hasLayer(self._popup);
          if (row === -1 || (popupOpen && row === self._popupRow)) {
            self._hideTooltip();
            return;
          }
          L.DomUtil.addClass(self._map.getContainer(), "user-point-hover");
          if (self._tooltipRow !== row) {
            self._tooltipRow = row;
            self._tooltip.setLatLng(self._latLng(row)).setContent(userTooltip(self._points, row, self._config));
            self._map.openTooltip(self._tooltip);
          }
        });
      },
      _hideTooltip: function () {
        this._tooltipRow = -1;
        if (this._map) {
          L.DomUtil.removeClass(this._map.getContainer(), "user-point-hover");
          this._map.closeTooltip(this._tooltip);
        }
      },
    });
    return UserPointsLayer;
  }

  /* A reader's sites (or grid cells) on a canvas inside ``group``; the layer, at once. A deflated
   * payload is drawn when the browser has inflated it (layer.decoded settles then); a layer
   * taken off the map meanwhile draws nothing until it is added again. */
  function userPoints(group, payload, config) {
    var Layer = userPointsClass();
    if (!payload.deflate) {
      var layer = new Layer(decodeUserPoints(payload), config).addTo(group);
      layer.decoded = Promise.resolve(layer);
      return layer;
    }
    var later = new Layer(null, config).addTo(group);
    later.decoded = inflateUserPoints(payload).then(function (inflated) {
      return later.setPoints(decodeUserPoints(inflated));
    });
    later.decoded.catch(function (error) {
      console.error("Your sites could not be decoded:", error);
    });
    return later;
  }

  window.FranceAiMap = {
    unpack: unpack,
    setupMap: setupMap,
    scaleBar: scaleBar,
    geoJsonLayer: geoJsonLayer,
    siteMarker: siteMarker,
    clusterIcon: clusterIcon,
    investmentMarkers: investmentMarkers,
    layerLegend: layerLegend,
    regionTable: regionTable,
    fitViewOnce: fitViewOnce,
    decodeUserPoints: decodeUserPoints,
    inflateUserPoints: inflateUserPoints,
    placeDots: placeDots,
    hitGrid: hitGrid,
    nearestDot: nearestDot,
    userPopup: userPopup,
    userPoints: userPoints,
  };
})();
