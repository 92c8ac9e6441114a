/* Dashboard chart (数据看板): reads the figures endpoint named in data-endpoint and draws bar charts
   with Apache ECharts. The table beside it carries the same figures for screen readers and export.
   No inline script: the page passes everything through data- attributes (CSP). */
(function () {
  "use strict";
  var el = document.getElementById("figures-chart");
  if (!el || typeof window.echarts === "undefined") { return; }
  var palette = ["#b4231b", "#0b57d0", "#1d6b35", "#8a5300", "#6a1b9a", "#00695c", "#ad1457", "#37474f"];

  function bar(target, names, series) {
    var chart = window.echarts.init(target, null, { renderer: "svg" });
    series.forEach(function (s) { s.barMaxWidth = 48; });
    chart.setOption({
      color: palette,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: "value", minInterval: 1 },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  fetch(el.dataset.endpoint, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
    .then(function (data) {
      var names = data.rows.map(function (r) { return r.region.name; });
      var keys = ["residents", "households", "dwellings", "verified_accounts"];
      var series = keys.map(function (key) {
        return { name: data.labels[key], type: "bar", data: data.rows.map(function (r) { return r[key]; }) };
      });
      var chart = bar(el, names, series);
      chart.on("click", function (params) {
        var row = data.rows[params.dataIndex];
        if (row && row.drillable) { window.location.search = el.dataset.drill.replace(/^\?/, "") + row.region.id; }
      });
      var tagsEl = document.getElementById("tags-chart");
      if (tagsEl && data.tags.length) {
        var tagSeries = data.tags.map(function (t) {
          return { name: t.label, type: "bar", stack: "tags",
                   data: data.rows.map(function (r) { return r.tags[t.tag] || 0; }) };
        });
        bar(tagsEl, names, tagSeries);
      }
    })
    .catch(function () { el.hidden = true; });
}());
