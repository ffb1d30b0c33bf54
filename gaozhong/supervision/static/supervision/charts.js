/* Supervision charts, added to the foundation's chart builders (gaozhong/charts.js draws every [data-chart]). */
(function () {
  "use strict";
  var builders = window.gaozhongCharts || {};
  function targetLine(value, label) {
    if (value === null || value === undefined) { return undefined; }
    return { symbol: "none", lineStyle: { color: "#b3261e", type: "dashed" }, label: { formatter: label + " " + value }, data: [{ yAxis: value }] };
  }
  // Bars per unit with an optional dashed target line: {labels, values, target}
  builders["sup-bar"] = function (data, labels) {
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 60, right: 30, top: 30, bottom: 90 },
      xAxis: { type: "category", data: data.labels, axisLabel: { rotate: data.labels.length > 6 ? 35 : 0, interval: 0 } },
      yAxis: { type: "value", name: labels.unit || "",
               max: function (v) { return data.target === null || data.target === undefined ? null : Math.ceil(Math.max(v.max, data.target)); } },
      series: [{ name: labels.name || "", type: "bar", data: data.values, itemStyle: { color: labels.color || "#1d5fa8" },
                 markLine: targetLine(data.target, labels.target || "目标") }]
    };
  };
  // A yearly trend with target and a dashed projection to the deadline: {labels, values, target, projection}
  builders["sup-trend"] = function (data, labels) {
    var cats = data.labels.slice();
    var proj = [];
    if (data.projection) {
      var last = parseInt(cats[cats.length - 1].slice(0, 4), 10);
      for (var y = last + 1; y <= data.projection.to_year; y++) { cats.push(y + "-" + (y + 1)); }
      var from = cats.indexOf(data.projection.from_year + "-" + (data.projection.from_year + 1));
      var to = cats.indexOf(data.projection.to_year + "-" + (data.projection.to_year + 1));
      for (var i = 0; i < cats.length; i++) { proj.push(i === from ? data.projection.from : (i === to ? data.projection.to : null)); }
    }
    var series = [{ name: data.name, type: "line", data: data.values, symbolSize: 7, itemStyle: { color: "#1d5fa8" },
                    markLine: targetLine(data.target, labels.target || "目标") }];
    if (proj.length) {
      series.push({ name: labels.projection || "趋势预测", type: "line", data: proj, connectNulls: true,
                    lineStyle: { type: "dashed", color: "#5f6b7a" }, itemStyle: { color: "#5f6b7a" } });
    }
    return {
      tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 60, right: 80, top: 40, bottom: 30 },
      xAxis: { type: "category", data: cats },
      yAxis: { type: "value", name: data.unit || "", scale: true,
               min: function (v) { return Math.floor(Math.min(v.min, data.target === null ? v.min : data.target)); },
               max: function (v) { return Math.ceil(Math.max(v.max, data.target === null ? v.max : data.target)); } },
      series: series
    };
  };
  window.gaozhongCharts = builders;
})();
