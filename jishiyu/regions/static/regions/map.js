/* Region map (区划地图): GeoJSON of the nodes on screen; a tile layer only when MAP_TILE_URL is set. */
(function () {
  "use strict";
  var el = document.getElementById("regions-map");
  var data = document.getElementById("regions-features");
  if (!el || !data || typeof L === "undefined") { return; }
  var features = JSON.parse(data.textContent);
  var map = L.map(el, { attributionControl: false });
  if (el.dataset.tileUrl) { L.tileLayer(el.dataset.tileUrl, { maxZoom: 19 }).addTo(map); }
  var layer = L.geoJSON(features, {
    pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, { radius: 7 }); },
    onEachFeature: function (feature, lyr) {
      var link = document.createElement("a");
      link.href = el.dataset.link + feature.properties.id + "/";
      link.textContent = feature.properties.name;
      lyr.bindPopup(link);
    }
  }).addTo(map);
  var bounds = layer.getBounds();
  if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] }); } else { map.setView([31.99, 118.78], 12); }
})();
