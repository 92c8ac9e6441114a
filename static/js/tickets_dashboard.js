/* Ticket figures (社区通看板): reads the endpoint in data-endpoint and draws the volumes, the rates by
   region and the hot spots with Apache ECharts. Tables on the page carry the same figures for screen
   readers. No inline script (CSP). */
(function () {
  "use strict";
  var root = document.getElementById("tkd-charts");
  if (!root || typeof window.echarts === "undefined") { return; }
  // One colour, one meaning: the volume bars (a count of tickets) share a neutral slate; each rate has its own
  // colour, used nowhere else; red stays for what is late.
  var volumeColour = "#455a64";
  var rateColours = { response: "#0b57d0", resolution: "#1d6b35", satisfaction: "#8a5300" };
  var palette = [volumeColour];

  function chartFor(name) {
    var el = root.querySelector('[data-chart="' + name + '"]');
    if (!el) { return null; }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function bars(name, items) {
    var chart = chartFor(name);
    if (!chart) { return null; }
    chart.setOption({
      color: palette,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: items.map(function (i) { return i.label; }), axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", barMaxWidth: 40, data: items.map(function (i) { return i.count; }) }]
    });
    return chart;
  }

  // Hot spots (热点): the busiest ~100 m cells drawn over the district's own outlines and streets (the shared map
  // component), sized and coloured by how many tickets were received there.
  function hotspots(items) {
    var el = document.getElementById("tkd-hotmap");
    if (!el || !window.JishiyuMap || typeof window.L === "undefined") { return; }
    var jm = window.JishiyuMap.create(el);
    var max = items.reduce(function (m, h) { return Math.max(m, h.count); }, 1);
    var layer = window.L.featureGroup().addTo(jm.map);
    items.forEach(function (h) {
      var share = h.count / max;
      var colour = share > 0.66 ? "#c62828" : (share > 0.33 ? "#fb8c00" : "#fdd835");
      window.L.circleMarker([h.lat, h.lon], { radius: 5 + 13 * Math.sqrt(share), color: "#7f1d1d", weight: 1,
                                               fillColor: colour, fillOpacity: 0.75, className: "tkd-hotspot" })
        .bindTooltip(String(h.count)).addTo(layer);
    });
    jm.fitTo(items.length ? layer.getBounds() : null, { maxZoom: 15, padding: [24, 24] });
  }

  fetch(root.dataset.endpoint, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
    .then(function (data) {
      ["kind", "channel", "category"].forEach(function (k) { bars(k, data.volumes[k]); });
      var regionChart = bars("region", data.volumes.region);
      if (regionChart) {
        regionChart.on("click", function (p) {
          var child = data.children[p.dataIndex];
          if (child && child.drillable) { window.location.search = root.dataset.drill.replace(/^\?/, "") + child.id; }
        });
      }
      var rates = chartFor("rates");
      if (rates) {
        var keys = ["response", "resolution", "satisfaction"];
        rates.setOption({
          color: keys.map(function (k) { return rateColours[k]; }),
          tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
          legend: { top: 0 },
          grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
          xAxis: { type: "category", data: data.children.map(function (c) { return c.name; }) },
          yAxis: { type: "value", max: 100 },
          series: keys.map(function (k) {
            return { name: data.rates[k].label, type: "bar", barMaxWidth: 24,
                     data: data.children.map(function (c) { var v = c.rates[k].value; return v === null ? null : Math.round(v * 1000) / 10; }) };
          })
        });
      }
      hotspots(data.hotspots);
    })
    .catch(function () { root.hidden = true; });
}());
