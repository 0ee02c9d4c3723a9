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

  var DAY = 86400000;

  function dayMs(iso) {
    var parts = iso.split("-");
    return Date.UTC(+parts[0], +parts[1] - 1, +parts[2]);
  }

  function draw(element, data) {
    // Stacked horizontal bars on a value axis counted in days from the earliest start: an
    // invisible bar up to the start, then the visible span (ECharts does not stack time axes).
    var rows = data.rows.slice().reverse(); // the first phase at the top
    var origin = Math.min.apply(null, rows.map(function (row) { return dayMs(row.start); }));
    function days(iso) { return (dayMs(iso) - origin) / DAY; }
    function label(offset) {
      var day = new Date(origin + offset * DAY);
      return (day.getUTCMonth() + 1) + "月" + day.getUTCDate() + "日";
    }
    var spans = rows.map(function (row) {
      var color = row.overdue ? COLORS.overdue : (COLORS[row.kind] || COLORS["未开始"]);
      return { value: days(row.end) + 1 - days(row.start), itemStyle: { color: color }, row: row };
    });
    var chart = window.echarts.init(element);
    chart.setOption({
      grid: { left: 8, right: 32, top: 24, bottom: 24, containLabel: true },
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
      xAxis: { type: "value", min: 0, axisLabel: { formatter: label } },
      yAxis: {
        type: "category",
        data: rows.map(function (row) { return row.label; }),
        axisLabel: { width: 260, overflow: "truncate" }
      },
      series: [
        {
          type: "bar",
          stack: "span",
          silent: true,
          itemStyle: { color: "transparent" },
          data: rows.map(function (row) { return days(row.start); })
        },
        {
          type: "bar",
          stack: "span",
          data: spans,
          markLine: {
            symbol: "none",
            label: { formatter: "今天" },
            lineStyle: { color: "#c0392b", type: "dashed" },
            data: [{ xAxis: days(data.today) }]
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
