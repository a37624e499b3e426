// 惠企通 — draws the charts of the leaders' dashboard (领导驾驶舱) with
// ECharts from the JSON the page embeds in #kpi-data. Rates are
// percentages; null means no denominator and is left out of the chart.
(function () {
  "use strict";
  var el = document.getElementById("kpi-data");
  if (!el || !window.echarts) {
    return;
  }
  var d = JSON.parse(el.textContent);
  var charts = [];
  var pct = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } };
  var tip = function (v) { return v === null || v === undefined ? "—" : v + "%"; };

  function draw(id, option) {
    var node = document.getElementById(id);
    if (!node) {
      return;
    }
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    option.grid = option.grid || { left: 48, right: 48, top: 40, bottom: 32, containLabel: true };
    chart.setOption(option);
    charts.push(chart);
  }

  draw("chart-trend", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    xAxis: { type: "category", data: d.months },
    yAxis: [{ type: "value", name: "件", minInterval: 1 }, pct],
    series: [
      { name: "受理", type: "bar", data: d.received },
      { name: "办结", type: "bar", data: d.resolved },
      { name: "满意率", type: "line", yAxisIndex: 1, data: d.satisfied, connectNulls: false,
        tooltip: { valueFormatter: tip } }
    ]
  });

  draw("chart-departments", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: tip },
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    xAxis: pct,
    yAxis: { type: "category", inverse: true, data: d.departments, axisLabel: { width: 110, overflow: "truncate" } },
    series: [{ name: "按时办结率", type: "bar", data: d.dept_on_time, label: { show: true, position: "right", formatter: function (p) { return tip(p.value); } } }]
  });

  draw("chart-tiers", {
    tooltip: { trigger: "axis", valueFormatter: tip },
    legend: { top: 0 },
    xAxis: { type: "category", data: d.tiers, axisLabel: { interval: 0, width: 80, overflow: "break" } },
    yAxis: pct,
    series: d.tier_series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; })
  });

  draw("chart-channels", {
    tooltip: { trigger: "item", formatter: "{b}：{c} 件（{d}%）" },
    legend: { type: "scroll", bottom: 0 },
    series: [{ name: "受理渠道", type: "pie", radius: ["35%", "65%"], top: 0, bottom: 32, data: d.channels,
      label: { formatter: "{b}\n{d}%" } }]
  });

  var pending;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
  });
}());
