/* Value-added charts: the caterpillar plot (effect and 95% interval per school, sorted, zero line) and the
   trend of each school's effect across cohorts. Data comes from json_script blocks (no inline scripts). */
(function () {
  "use strict";
  function caterpillar(d) {
    var n = d.schools.length;
    var colors = { above: "#1d7a46", below: "#b3261e", none: "#616e7c" };
    return {
      tooltip: { trigger: "item", formatter: function (p) {
        var i = p.dataIndex;
        return echarts.format.encodeHTML(d.schools[i]) + "<br>增值 " + d.effect[i] + "，区间 [" + d.low[i] + ", " + d.high[i] + "]";
      } },
      grid: { left: 170, right: 30, top: 20, bottom: 40 },
      xAxis: { type: "value", name: "分", nameLocation: "end" },
      yAxis: { type: "category", data: d.schools, axisLabel: { interval: 0 } },
      series: [
        { type: "custom", name: "95%", renderItem: function (params, api) {
            var y = api.value(0), lo = api.coord([api.value(1), y]), hi = api.coord([api.value(2), y]);
            return { type: "line", shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] },
                     style: { stroke: colors[d.label[y]] || "#616e7c", lineWidth: 2 } };
          }, encode: { x: [1, 2], y: 0 },
          data: d.schools.map(function (_, i) { return [i, d.low[i], d.high[i]]; }) },
        { type: "scatter", name: "增值", symbolSize: 8,
          data: d.effect.map(function (v, i) { return { value: [v, i], itemStyle: { color: colors[d.label[i]] || "#616e7c" } }; }),
          markLine: { silent: true, symbol: "none", lineStyle: { color: "#1f2933", type: "dashed" }, data: [{ xAxis: 0 }] } }
      ]
    };
  }
  function trends(d) {
    return {
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: d.cohorts },
      yAxis: { type: "value", name: "分" },
      series: d.series.map(function (s) { return { name: s.name, type: "line", data: s.data, connectNulls: false }; })
    };
  }
  var builders = { "va-caterpillar": caterpillar, "va-trends": trends };
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var build = builders[el.getAttribute("data-chart")];
      var src = document.getElementById(el.getAttribute("data-source"));
      if (!build || !src) { return; }
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption(build(JSON.parse(src.textContent)));
      el.setAttribute("data-rendered", "1");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  });
})();
