/* Region map (区划地图): the node and its children, linked, over the district drawn by the shared map component
   (static/js/map.js) from the installation's own outlines and streets; a base map only when one is configured. */
(function () {
  "use strict";
  var el = document.getElementById("regions-map");
  var data = document.getElementById("regions-features");
  var link = document.getElementById("regions-link");
  if (!el || !data || typeof L === "undefined" || !window.JishiyuMap) { return; }
  var features = JSON.parse(data.textContent);
  var jm = window.JishiyuMap.create(el);
  var layer = L.geoJSON(features, {
    style: function () { return { color: "#0b57d0", weight: 2, fillOpacity: 0.08 }; },
    pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, { radius: 7 }); },
    onEachFeature: function (feature, lyr) {
      var a = document.createElement("a");
      a.href = link.dataset.link + feature.properties.id + "/";
      a.textContent = feature.properties.name;
      lyr.bindPopup(a);
    }
  }).addTo(jm.map);
  jm.fitTo(features.features.length ? layer.getBounds() : null, { maxZoom: 16, padding: [20, 20] });
}());
