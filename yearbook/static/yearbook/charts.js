// Draws the charts of the statistics page from the JSON in #chart-data (no inline script: CSP).
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.echarts) {
    return;
  }
  var drawn = {};
  JSON.parse(source.textContent).forEach(function (chart) {
    drawn[chart.id] = true;
    var element = document.getElementById(chart.id);
    if (!element) {
      return;
    }
    var option;
    if (chart.type === "pie") {
      option = {
        title: { text: chart.title, textStyle: { fontSize: 14 } },
        tooltip: { trigger: "item" },
        legend: { bottom: 0, type: "scroll" },
        series: [{
          type: "pie",
          radius: ["35%", "62%"],
          label: { show: false },
          data: chart.labels.map(function (label, i) {
            return { name: label, value: chart.series[0].values[i] };
          })
        }]
      };
    } else if (chart.labels.length > 8 && chart.series.length === 1) {
      // Many categories (sectors, parties): horizontal bars, the longest on top.
      element.style.height = Math.max(320, 22 * chart.labels.length + 60) + "px";
      option = {
        title: { text: chart.title, textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" },
        grid: { top: 36, containLabel: true },
        xAxis: { type: "value" },
        yAxis: {
          type: "category",
          data: chart.labels.slice().reverse(),
          axisLabel: { interval: 0, width: 110, overflow: "truncate" }
        },
        series: [{ type: "bar", name: chart.series[0].name, data: chart.series[0].values.slice().reverse() }]
      };
    } else {
      option = {
        title: { text: chart.title, textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" },
        legend: chart.series.length > 1 ? { top: 30 } : undefined,
        grid: { top: chart.series.length > 1 ? 70 : 40, bottom: 10, containLabel: true },
        // Long or many labels: turned, cut to a width and thinned out rather than overlapping.
        xAxis: {
          type: "category",
          data: chart.labels,
          axisLabel: {
            interval: chart.labels.length > 12 ? "auto" : 0,
            rotate: chart.labels.length > 4 ? 40 : 0,
            width: chart.labels.length > 4 ? 90 : 140,
            overflow: "truncate",
            hideOverlap: true
          }
        },
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
  // A chart box with nothing to draw (every count zero) is not left as a blank area.
  document.querySelectorAll(".chart").forEach(function (element) {
    if (!drawn[element.id]) {
      element.hidden = true;
    }
  });
})();
