// The overview's chart: the town's 15–50 非文盲率 by school year, with the plan's target.
// Data from the json_script block (no inline script: CSP); ECharts is served by the application.
(function () {
  "use strict";
  function init() {
    var source = document.getElementById("trend-data");
    var el = document.getElementById("trend-chart");
    if (!source || !el || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var indicator = data.indicators[0];
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 56, right: 24, top: 28, bottom: 32 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "无统计人口" : v + "%"; } },
      xAxis: { type: "category", data: data.years.map(function (y) { return y + "学年"; }) },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" },
        min: function (v) { return Math.max(0, Math.floor(Math.min(v.min, indicator.target) - 1)); },
        max: function (v) { return Math.min(100, Math.ceil(Math.max(v.max, indicator.target) + 0.5)); } },
      series: [{ type: "line", name: indicator.name, data: indicator.values, symbolSize: 8,
        lineStyle: { color: "#1f4e79", width: 2 }, itemStyle: { color: "#1f4e79" },
        markLine: { symbol: "none", lineStyle: { color: "#b42318", type: "dashed" },
          label: { position: "insideEndTop", formatter: "目标 " + indicator.direction + " " + indicator.target + "%" },
          data: [{ yAxis: indicator.target }] } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState !== "loading") init(); else document.addEventListener("DOMContentLoaded", init);
})();
