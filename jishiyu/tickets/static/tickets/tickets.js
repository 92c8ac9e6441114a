/* Tickets (社区通): the place picker and the ticket map, on the shared map component (static/js/map.js),
   which draws the district's outlines and streets without any tile server. */
(function () {
  "use strict";
  function baseMap(el) { return window.JishiyuMap.create(el); }
  var pick = document.getElementById("tk-pick-map");
  if (pick && window.L && window.JishiyuMap) {
    var jm = baseMap(pick);
    var map = jm.map;
    var lon = document.querySelector("input[name=lon]");
    var lat = document.querySelector("input[name=lat]");
    var status = document.querySelector("[data-place-status]");
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.circleMarker(latlng, { radius: 9 }).addTo(map); }
      lon.value = latlng.lng.toFixed(6); lat.value = latlng.lat.toFixed(6);
      if (status) { status.textContent = lat.value + ", " + lon.value; }
    }
    if (lon.value && lat.value) { place(L.latLng(+lat.value, +lon.value)); map.setView(marker.getLatLng(), 16); }
    map.on("click", function (e) { place(e.latlng); });
    var where = document.querySelector("[data-where-am-i]");
    if (where && navigator.geolocation) {
      where.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) {
          var ll = L.latLng(pos.coords.latitude, pos.coords.longitude);
          place(ll); map.setView(ll, 16);
        });
      });
    }
  }
  var big = document.getElementById("tk-map");
  if (big && window.L && window.JishiyuMap) {
    var bigMap = baseMap(big);
    var m = bigMap.map;
    fetch(big.getAttribute("data-source"), { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      var layer = L.geoJSON(data, {
        pointToLayer: function (f, ll) { return L.circleMarker(ll, { radius: 6 }); },
        onEachFeature: function (f, l) {
          var a = document.createElement("a");
          a.href = big.getAttribute("data-detail") + f.properties.id + "/";
          a.textContent = "#" + f.properties.id + " " + (f.properties.category || "");
          l.bindPopup(a);
        }
      }).addTo(m);
      var count = document.getElementById("tk-map-count");
      if (count) { count.textContent = String(data.features.length); }
      bigMap.fitTo(data.features.length ? layer.getBounds() : null);
    });
  }
})();
