// Orderyard console: the dashboard's charts, drawn with the vendored uPlot (static/vendor).
// Each chart is a <div data-chart="ID"> whose figures are the JSON of <script id="ID">
// ({label, x: UTC days as seconds since the epoch, y: values}); the same figures are in a
// table beside it, and the div's aria-label says them in words.
"use strict";
(function () {
  var INK = "#1b1f24";
  var GRID = "#c9ced6";
  var BARS = "#1d4ed8";
  var DAY = 86400;
  var FONT = "13px system-ui, sans-serif";
  var DAYS = [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY];

  function dayLabel(seconds) {
    return new Date(seconds * 1000).toLocaleDateString("en", { month: "short", day: "numeric", timeZone: "UTC" });
  }

  function options(data, width) {
    return {
      width: width,
      height: Math.max(180, Math.min(280, Math.round(width * 0.4))),
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); },
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: function (u, min, max) { return [min - DAY / 2, max + DAY / 2]; } },
        y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } }
      },
      axes: [
        { stroke: INK, font: FONT, grid: { show: false }, ticks: { stroke: GRID }, incrs: DAYS, space: 60,
          values: function (u, splits) { return splits.map(dayLabel); } },
        { stroke: INK, font: FONT, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID },
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 100000, 1000000] }
      ],
      series: [
        {},
        { label: data.label, stroke: BARS, fill: BARS, width: 0,
          paths: uPlot.paths.bars({ size: [0.7, 48], gap: 1 }), points: { show: false } }
      ]
    };
  }

  function draw(area) {
    if (area.getAttribute("data-drawn") || typeof uPlot === "undefined") {
      return;
    }
    var source = document.getElementById(area.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var width = Math.max(260, area.clientWidth);
    var chart = new uPlot(options(data, width), [data.x, data.y], area);
    area.setAttribute("data-drawn", "1");
    var resize = function () {
      if (!document.body.contains(area)) {
        window.removeEventListener("resize", resize);
        return;
      }
      chart.setSize({ width: Math.max(260, area.clientWidth), height: chart.height });
    };
    window.addEventListener("resize", resize);
  }

  function drawAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll("[data-chart]").forEach(draw);
  }

  if (typeof htmx !== "undefined") {
    htmx.onLoad(drawAll);
  } else {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  }
})();
