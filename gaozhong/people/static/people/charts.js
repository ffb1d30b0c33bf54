/* Chart builders of the people pages, added to the foundation's charts.js registry (loaded after it, before the
   page's DOMContentLoaded, so the registry draws them with the rest). */
(function () {
  "use strict";
  var builders = window.gaozhongCharts;
  if (!builders) { return; }
  builders["people-shortage"] = function (data, labels) {
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 50, right: 20, top: 50, bottom: 40 },
      xAxis: { type: "category", data: data.subjects, axisLabel: { interval: 0 } },
      yAxis: { type: "value", name: labels.y || "" },
      series: data.series.map(function (s) { return { name: s.name, type: "bar", stack: "short", data: s.data }; })
    };
  };
  builders["people-need-have"] = function (data, labels) {
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 40 },
      xAxis: { type: "category", data: data.subjects, axisLabel: { interval: 0 } },
      yAxis: { type: "value" },
      color: ["#e8a33d", "#1d5fa8"],
      series: [
        { name: labels.need, type: "bar", data: data.need },
        { name: labels.have, type: "bar", data: data.have }
      ]
    };
  };
  builders["people-rotation"] = function (data, labels) {
    var series = data.series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; });
    if (series.length) {
      series[0].markLine = { symbol: "none", lineStyle: { color: "#b3261e", type: "dashed" },
        label: { formatter: labels.target || "" }, data: [{ yAxis: data.target }] };
    }
    return {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
      legend: { top: 0 },
      grid: { left: 50, right: 60, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.years },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      series: series
    };
  };
})();
