// Draws the charts of the statistics page from the JSON in #chart-data (no inline script: CSP).
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.echarts) {
    return;
  }
  JSON.parse(source.textContent).forEach(function (chart) {
    var element = document.getElementById(chart.id);
    if (!element) {
      return;
    }
    var option;
    if (chart.type === "pie") {
      option = {
        title: { text: chart.title, textStyle: { fontSize: 14 } },
        tooltip: { trigger: "item" },
        series: [{
          type: "pie",
          radius: ["35%", "65%"],
          data: chart.labels.map(function (label, i) {
            return { name: label, value: chart.series[0].values[i] };
          })
        }]
      };
    } else {
      option = {
        title: { text: chart.title, textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" },
        legend: chart.series.length > 1 ? { top: 24 } : undefined,
        grid: { top: chart.series.length > 1 ? 60 : 40, containLabel: true },
        xAxis: { type: "category", data: chart.labels, axisLabel: { interval: 0, rotate: chart.labels.length > 6 ? 30 : 0 } },
        yAxis: { type: "value" },
        series: chart.series.map(function (s) {
          return { type: "bar", name: s.name, data: s.values };
        })
      };
    }
    var instance = window.echarts.init(element);
    instance.setOption(option);
    window.addEventListener("resize", function () { instance.resize(); });
  });
})();
