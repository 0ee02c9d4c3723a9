// Dashboard charts. The data comes from the page's json_script block (no inline script: CSP).
(function () {
  "use strict";
  var BRAND = "#1f4e79", GOOD = "#1e7b4f", BAD = "#b42318", MUTED = "#9aa5b1";

  // An axis that shows both the data and the target line, with a little room, never below 0
  // (ECharts' own "scale" stretches a flat series at 100 % from 40 % to 160 %).
  function axisAround(target) {
    return {
      type: "value",
      min: function (v) { return Math.max(0, Math.floor(Math.min(v.min, target) - 1)); },
      max: function (v) { return Math.ceil(Math.max(v.max, target) + 1); },
      axisLabel: { formatter: "{value}%" }
    };
  }

  function met(value, target, direction) {
    if (value === null || value === undefined) return null;
    return direction === "≥" ? value >= target : value <= target;
  }

  function barOption(indicator, units) {
    var names = units.map(function (u) { return u.name; });
    var values = units.map(function (u) {
      var v = u.values[indicator.code];
      var ok = met(v, indicator.target, indicator.direction);
      return { value: v, itemStyle: { color: ok === null ? MUTED : ok ? GOOD : BAD } };
    });
    return {
      animation: false,
      grid: { left: 48, right: 24, top: 28, bottom: 64 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "无统计人口" : v + "%"; } },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 8 ? 40 : 0 } },
      yAxis: axisAround(indicator.target),
      series: [{
        type: "bar", name: indicator.name, data: values, barMaxWidth: 36,
        markLine: { symbol: "none", lineStyle: { color: BRAND, type: "dashed" },
          label: { position: "insideEndTop", formatter: "目标 " + indicator.direction + " " + indicator.target + "%" },
          data: [{ yAxis: indicator.target }] }
      }]
    };
  }

  function trendOption(indicator, trend) {
    return {
      animation: false,
      grid: { left: 48, right: 24, top: 28, bottom: 32 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "无统计人口" : v + "%"; } },
      xAxis: { type: "category", data: trend.years },
      yAxis: axisAround(indicator.target),
      series: [{
        type: "line", name: indicator.name, data: trend.series[indicator.code] || [],
        connectNulls: false, symbolSize: 8, lineStyle: { color: BRAND, width: 2 }, itemStyle: { color: BRAND },
        markLine: { symbol: "none", lineStyle: { color: BAD, type: "dashed" },
          label: { position: "insideEndTop", formatter: "目标 " + indicator.target + "%" }, data: [{ yAxis: indicator.target }] }
      }]
    };
  }

  function schoolsOption(data) {
    var codes = ["primary_dropout", "junior_dropout"];
    var indicators = data.indicators.filter(function (i) { return codes.indexOf(i.code) >= 0; });
    if (!indicators.length) {
      // A school user's focus is the school itself: its indicators are the dropout ones.
      indicators = data.indicators;
    }
    return {
      animation: false,
      legend: { top: 0 },
      grid: { left: 120, right: 32, top: 32, bottom: 24 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v === null ? "无在籍学生" : v + "%"; } },
      xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: data.schools.map(function (s) { return s.name; }) },
      series: indicators.map(function (indicator, n) {
        return {
          type: "bar", name: indicator.name, barMaxWidth: 18,
          itemStyle: { color: n === 0 ? BRAND : "#6b9bc7" },
          data: data.schools.map(function (s) { return s.values[indicator.code]; })
        };
      })
    };
  }

  function init() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var select = document.getElementById("indicator-select");
    var charts = [];
    function chart(id) {
      var el = document.getElementById(id);
      if (!el) return null;
      var c = window.echarts.init(el, null, { renderer: "canvas" });
      charts.push(c);
      return c;
    }
    var villages = chart("chart-villages"), trend = chart("chart-trend"), schools = chart("chart-schools");
    function byCode(code) {
      return data.indicators.filter(function (i) { return i.code === code; })[0] || data.indicators[0];
    }
    function draw() {
      var indicator = byCode(select ? select.value : "");
      if (!indicator) return;
      if (villages) villages.setOption(barOption(indicator, data.villages), true);
      if (trend && data.trend) trend.setOption(trendOption(indicator, data.trend), true);
    }
    if (select) select.addEventListener("change", draw);
    draw();
    if (schools && data.schools.length) schools.setOption(schoolsOption(data));
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState !== "loading") init(); else document.addEventListener("DOMContentLoaded", init);
})();
