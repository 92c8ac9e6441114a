/* Coverage map (覆盖地图): buildings coloured by how much of the circle is in reach; suggested sites as stars,
   over the district drawn by the shared map component (static/js/map.js): outlines and streets, no tiles needed. */
(function () {
  "use strict";
  var el = document.getElementById("circles-map");
  var data = document.getElementById("circles-data");
  if (!el || !data || typeof L === "undefined" || !window.JishiyuMap) { return; }
  var d = JSON.parse(data.textContent);
  var jm = window.JishiyuMap.create(el);
  var map = jm.map;
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
  jm.fitTo(group.getBounds());
})();
