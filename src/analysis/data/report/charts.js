// Draw every interactive chart of the page from the figure JSON its div carries (no network, no eval).
document.addEventListener("DOMContentLoaded", function () {
  var charts = document.querySelectorAll("div.analysis-chart");
  Array.prototype.forEach.call(charts, function (chart) {
    var figure = JSON.parse(chart.getAttribute("data-figure"));
    var layout = Object.assign({autosize: true}, figure.layout || {});
    layout.font = Object.assign({family: "Vazirmatn, Vazir, Sahel, 'Noto Sans Arabic', Tahoma, 'DejaVu Sans', sans-serif"}, layout.font || {});
    var config = {responsive: true, displaylogo: false, scrollZoom: false};
    Plotly.newPlot(chart.querySelector(".chart-canvas"), figure.data || [], layout, config).then(function () {
      chart.classList.add("loaded");
    });
  });
});
