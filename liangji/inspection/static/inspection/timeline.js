// The work plan's gantt-like timeline. Data comes from the json_script block "plan-timeline-data"
// (the CSP forbids inline scripts); ECharts is served by the application (vendor/echarts).
(function () {
  "use strict";

  var COLORS = {
    phase: "#5b7083",
    "已完成": "#2e8b57",
    "进行中": "#2f6fb0",
    "未开始": "#9aa5b1",
    overdue: "#c0392b"
  };

  function dayMs(iso) {
    var parts = iso.split("-");
    return Date.UTC(+parts[0], +parts[1] - 1, +parts[2]);
  }

  function draw(element, data) {
    var rows = data.rows.slice().reverse(); // the first phase at the top
    var labels = rows.map(function (row) { return row.label; });
    var starts = rows.map(function (row) { return dayMs(row.start); });
    var spans = rows.map(function (row) {
      var color = row.overdue ? COLORS.overdue : (COLORS[row.kind] || COLORS["未开始"]);
      return {
        value: dayMs(row.end) + 86400000 - dayMs(row.start),
        itemStyle: { color: color },
        row: row
      };
    });
    var chart = window.echarts.init(element);
    chart.setOption({
      grid: { left: 8, right: 24, top: 24, bottom: 24, containLabel: true },
      tooltip: {
        trigger: "item",
        formatter: function (params) {
          var row = params.data && params.data.row;
          if (!row) { return ""; }
          var progress = row.percent === null ? "" : "<br>进度 " + row.percent + "%";
          var late = row.overdue ? "<br><b>已超期</b>" : "";
          return row.label + "<br>" + row.start + " 至 " + row.end + progress + late;
        }
      },
      xAxis: {
        type: "time",
        min: Math.min.apply(null, starts),
        axisLabel: { formatter: "{M}月" }
      },
      yAxis: {
        type: "category",
        data: labels,
        axisLabel: { width: 260, overflow: "truncate" }
      },
      series: [
        {
          type: "bar",
          stack: "span",
          silent: true,
          itemStyle: { color: "transparent" },
          data: starts
        },
        {
          type: "bar",
          stack: "span",
          data: spans,
          markLine: {
            symbol: "none",
            label: { formatter: "今天" },
            lineStyle: { color: "#c0392b", type: "dashed" },
            data: [{ xAxis: dayMs(data.today) }]
          }
        }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("plan-timeline");
    var source = document.getElementById("plan-timeline-data");
    if (!element || !source || !window.echarts) { return; }
    draw(element, JSON.parse(source.textContent));
  });
})();
