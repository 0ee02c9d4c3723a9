// The trend chart of the indicator page. Data from the json_script block (no inline script: CSP).
(function () {
  "use strict";
  var BRAND = "#1f4e79", BAD = "#b42318";

  function option(indicator, years) {
    return {
      animation: false,
      grid: { left: 48, right: 24, top: 28, bottom: 32 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "无统计人口" : v + "%"; } },
      xAxis: { type: "category", data: years },
      yAxis: {
        type: "value",
        min: function (v) { return Math.max(0, Math.floor(Math.min(v.min, indicator.target) - 1)); },
        max: function (v) { return Math.ceil(Math.max(v.max, indicator.target) + 1); },
        axisLabel: { formatter: "{value}%" }
      },
      series: [{
        type: "line", name: indicator.name, data: indicator.values, symbolSize: 8,
        lineStyle: { color: BRAND, width: 2 }, itemStyle: { color: BRAND },
        markLine: { symbol: "none", lineStyle: { color: BAD, type: "dashed" },
          label: { position: "insideEndTop", formatter: "目标 " + indicator.direction + " " + indicator.target + "%" },
          data: [{ yAxis: indicator.target }] }
      }]
    };
  }

  function init() {
    var source = document.getElementById("trend-data");
    var el = document.getElementById("trend-chart");
    if (!source || !el || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var select = document.getElementById("trend-indicator");
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    function draw() {
      var code = select ? select.value : "";
      var indicator = data.indicators.filter(function (i) { return i.code === code; })[0] || data.indicators[0];
      if (indicator) chart.setOption(option(indicator, data.years), true);
    }
    if (select) select.addEventListener("change", draw);
    draw();
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState !== "loading") init(); else document.addEventListener("DOMContentLoaded", init);
})();
