/* The portal's small behaviours. No inline scripts: the Content Security
   Policy allows only files served from static/. */
(function () {
  "use strict";

  /* Live delivery progress: each .mailing-progress element polls its URL
     until nothing is left queued. */
  function watchProgress(box) {
    var url = box.getAttribute("data-progress-url");
    var bar = box.querySelector("[data-bar=sent]");
    function paint(data) {
      ["sent", "queued", "failed", "total"].forEach(function (key) {
        var el = box.querySelector("[data-count=" + key + "]");
        if (el) { el.textContent = data[key]; }
      });
      if (bar) {
        bar.style.width = data.percent + "%";
        bar.textContent = data.percent + "%";
        bar.parentNode.setAttribute("aria-valuenow", data.percent);
        if (data.done) { bar.classList.remove("progress-bar-striped", "progress-bar-animated"); }
      }
      box.setAttribute("data-done", data.done ? "true" : "false");
    }
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          paint(data);
          if (!data.done) { window.setTimeout(poll, 1500); }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    poll();
  }

  /* Charts: <canvas data-chart="id-of-json-script"> where the json_script
     holds a Chart.js configuration {type, data, options}. */
  function drawChart(canvas) {
    if (typeof window.Chart === "undefined") { return; }
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) { return; }
    var config = JSON.parse(source.textContent);
    config.options = config.options || {};
    config.options.maintainAspectRatio = false;
    config.options.responsive = true;
    new window.Chart(canvas, config);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".mailing-progress[data-progress-url]").forEach(watchProgress);
    document.querySelectorAll("canvas[data-chart]").forEach(drawChart);
  });
})();
