/* Coverage map (覆盖地图): buildings coloured by how much of the circle is in reach; suggested sites as stars. No tiles. */
(function () {
  "use strict";
  var el = document.getElementById("circles-map");
  var data = document.getElementById("circles-data");
  if (!el || !data || typeof L === "undefined") { return; }
  var d = JSON.parse(data.textContent);
  var map = L.map(el, { attributionControl: false });
  var group = L.featureGroup().addTo(map);
  d.gaps.forEach(function (b) {
    if (b.lat === null) { return; }
    var missing = b.missing.length;
    var colour = missing === 0 ? "#1a7f37" : (missing < b.categories ? "#d97706" : "#c62828");
    L.circleMarker([b.lat, b.lon], { radius: 5, color: colour, fillOpacity: 0.8, className: "circles-building" })
      .bindPopup(b.label + " · " + b.people + " · " + (missing ? b.missing.join(", ") : "✓")).addTo(group);
  });
  d.sites.forEach(function (s) {
    L.marker([s.lat, s.lon], { icon: L.divIcon({ className: "circles-site", html: "★" + s.rank }) })
      .bindPopup("+" + s.gain).addTo(group);
  });
  var bounds = group.getBounds();
  if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] }); } else { map.setView([31.99, 118.78], 12); }
})();
