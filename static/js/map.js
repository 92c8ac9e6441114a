/* One map for every page that shows a place (底图组件). Without any tile server it draws the district from
   the installation's own data: region outlines (district, streets, communities, grids, compounds), the
   walking network's streets, buildings and community names, fetched for the box on screen from scoped,
   bounded endpoints. A self-hosted PMTiles file (MAP_TILES_PMTILES) or a tile URL (MAP_TILE_URL) adds a base
   map underneath. Pages get the map with JishiyuMap.create(element) and add their own layers on top.
   No inline script (CSP): settings come from the element's data- attributes (templates/partials/map.html). */
(function () {
  "use strict";
  if (typeof window.L === "undefined") { return; }
  var L = window.L;
  var CENTRE = [31.99, 118.78];
  var STYLE = {
    district: { color: "#4e342e", weight: 3, fill: false },
    street: { color: "#6d4c41", weight: 2, fillColor: "#f3ede4", fillOpacity: 0.5 },
    park: { color: "#2e7d32", weight: 2, fillColor: "#e8f1e4", fillOpacity: 0.5 },
    community: { color: "#8d6e63", weight: 1.4, fillColor: "#fbf8f3", fillOpacity: 0.55 },
    grid: { color: "#a1887f", weight: 1, dashArray: "4 4", fill: false },
    compound: { color: "#b07d52", weight: 1, fillColor: "#eadbc8", fillOpacity: 0.6 }
  };
  // which outlines are asked for at which zoom: communities always (a resident's map may hold nothing else),
  // grids and compounds once a community fills the screen
  function kindsFor(zoom) {
    if (zoom < 14) { return "district,street,park,community"; }
    return "district,street,park,community,grid,compound";
  }
  function labelled(kind, zoom) {
    if (kind === "community") { return zoom >= 12; }
    if (kind === "street" || kind === "park") { return zoom < 12; }
    if (kind === "compound") { return zoom >= 16; }
    return false;
  }

  function debounce(fn, ms) {
    var t = null;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); });
  }
  function bboxParam(bounds) {
    return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map(function (v) { return v.toFixed(5); }).join(",");
  }

  function addPmtiles(map, url) {
    if (!window.pmtiles) { return; }
    var source = new window.pmtiles.PMTiles(url);
    source.getHeader().then(function (h) {
      if (h.tileType === 1 && window.protomapsL) {  // vector tiles (MVT): protomaps-leaflet draws them
        window.protomapsL.leafletLayer({ url: source, flavor: "light", lang: document.documentElement.lang === "en" ? "en" : "zh", pane: "jm-base", maxDataZoom: h.maxZoom }).addTo(map);
      } else {  // raster tiles (png, jpg, webp)
        window.pmtiles.leafletRasterLayer(source, { pane: "jm-base", maxNativeZoom: h.maxZoom, maxZoom: 19 }).addTo(map);
      }
    }).catch(function () { /* the own-data map stays */ });
  }

  function create(el, options) {
    var opts = options || {};
    var map = L.map(el, { attributionControl: false, zoomSnap: 0.5, minZoom: 9, maxZoom: 19 });
    [["jm-base", 150], ["jm-areas", 250], ["jm-streets", 260], ["jm-buildings", 270], ["jm-labels", 380]].forEach(function (p) {
      map.createPane(p[0]).style.zIndex = String(p[1]);
    });
    map.getPane("jm-labels").style.pointerEvents = "none";
    if (el.dataset.pmtilesUrl) { addPmtiles(map, el.dataset.pmtilesUrl); }
    else if (el.dataset.tileUrl) { L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, pane: "jm-base" }).addTo(map); }
    var areas = L.geoJSON(null, {
      pane: "jm-areas",
      interactive: false,
      style: function (f) { return STYLE[f.properties.kind] || STYLE.community; },
      pointToLayer: function (f, ll) { return L.circleMarker(ll, { radius: 2.5, pane: "jm-buildings", color: "#795548", weight: 1, fillColor: "#bcaaa4", fillOpacity: 0.9, interactive: false }); }
    }).addTo(map);
    var streets = L.geoJSON(null, { pane: "jm-streets", interactive: false, style: { color: "#b9aa97", weight: 2, opacity: 0.9 } }).addTo(map);
    var labels = L.layerGroup().addTo(map);
    var seq = 0;
    var fitted = false;
    var drawn = { areas: 0, streets: 0 };

    function mark() {
      el.dataset.mapFeatures = String(drawn.areas + drawn.streets);
      el.dataset.mapStreets = String(drawn.streets);
    }
    function drawLabels(features, zoom) {
      labels.clearLayers();
      features.forEach(function (f) {
        var p = f.properties;
        if (!p.label_at || !labelled(p.kind, zoom)) { return; }
        var span = document.createElement("span");
        span.textContent = p.name;
        L.marker([p.label_at[1], p.label_at[0]], {
          pane: "jm-labels", interactive: false, keyboard: false,
          icon: L.divIcon({ className: "jm-label jm-label-" + p.kind, html: span.outerHTML, iconSize: null })
        }).addTo(labels);
      });
    }
    function refresh() {
      if (!map._loaded) { return; }
      var mine = ++seq;
      var zoom = map.getZoom();
      var box = bboxParam(map.getBounds().pad(0.25));
      var url = el.dataset.features + "?bbox=" + box + "&kinds=" + kindsFor(zoom) + (zoom >= 16 ? "&buildings=1" : "");
      getJSON(url).then(function (data) {
        if (mine !== seq) { return; }
        areas.clearLayers();
        areas.addData(data);
        drawn.areas = data.features.length;
        drawLabels(data.features, zoom);
        mark();
        el.dispatchEvent(new CustomEvent("jm:drawn", { detail: { features: data.features.length } }));
      }).catch(function () {});
      if (el.dataset.streets && zoom >= 13) {
        getJSON(el.dataset.streets + "?bbox=" + box).then(function (data) {
          if (mine !== seq) { return; }
          streets.clearLayers();
          streets.addData(data);
          drawn.streets = data.features.length ? data.features[0].properties.edges : 0;
          mark();
        }).catch(function () {});
      } else {
        streets.clearLayers();
        drawn.streets = 0;
        mark();
      }
    }
    map.on("moveend", debounce(refresh, 120));
    map.on("load", refresh);
    var ready = getJSON(el.dataset.extent).then(function (ext) {
      if (!map._loaded) {
        if (ext.bbox) {
          map.fitBounds([[ext.bbox[1], ext.bbox[0]], [ext.bbox[3], ext.bbox[2]]], { padding: [12, 12], maxZoom: 17 });
        } else {
          map.setView(CENTRE, 12);
        }
        fitted = true;
      }
      return ext;
    }).catch(function () {
      if (!map._loaded) { map.setView(CENTRE, 12); }
    });
    var api = {
      map: map, ready: ready, areas: areas,
      /** Fit the map on the page's own layer when it has something, else keep the district's extent. */
      fitTo: function (bounds, fitOptions) {
        if (bounds && bounds.isValid && bounds.isValid()) {
          map.fitBounds(bounds, fitOptions || { maxZoom: 16, padding: [20, 20] });
        } else if (!map._loaded) {
          ready.then(function () { if (!map._loaded) { map.setView(CENTRE, 12); } });
        }
      },
      fitted: function () { return fitted; }
    };
    el.jishiyuMap = api;
    return api;
  }

  window.JishiyuMap = { create: create };
  // Maps with nothing of their own to add start by themselves.
  document.querySelectorAll("[data-jm-auto]").forEach(function (el) { create(el); });
}());
