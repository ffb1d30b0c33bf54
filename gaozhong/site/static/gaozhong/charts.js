/* Draws the ECharts charts declared in a page: <div class="chart" data-chart="NAME" data-source="JSON-ID">. */
(function () {
  "use strict";
  var builders = {
    "class-sizes": function (data, labels) {
      return {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 50, right: 20, top: 40, bottom: 30 },
        xAxis: { type: "category", data: data.labels },
        yAxis: { type: "value", name: "班级数" },
        color: ["#1d5fa8", "#e8a33d", "#b3261e"],
        series: [
          { name: labels.ok, type: "bar", stack: "n", data: data.ok },
          { name: labels.large, type: "bar", stack: "n", data: data.large },
          { name: labels.huge, type: "bar", stack: "n", data: data.huge }
        ]
      };
    }
  };
  window.gaozhongCharts = builders;
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var build = builders[el.getAttribute("data-chart")];
      var src = document.getElementById(el.getAttribute("data-source"));
      if (!build || !src) { return; }
      var labels = JSON.parse(el.getAttribute("data-labels") || "{}");
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption(build(JSON.parse(src.textContent), labels));
      el.setAttribute("data-rendered", "1");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  });
})();
