// Small progressive enhancements. No inline scripts anywhere (CSP): pages mark elements with
// data- attributes and this file wires them up.
(function () {
  "use strict";

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form.requestSubmit) { select.form.requestSubmit(); } else { select.form.submit(); }
    });
  });

  // Charts: <div data-plotly-figure="ID"> plus {{ figure|json_script:"ID" }} rendered by Plotly,
  // which the page loads from static/plotly/plotly.min.js. Each chart also has a text alternative
  // (a table) in the page itself, so nothing depends on this running.
  function renderCharts() {
    if (typeof window.Plotly === "undefined") { return; }
    document.querySelectorAll("[data-plotly-figure]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-plotly-figure"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      var config = Object.assign({ displaylogo: false, responsive: true }, figure.config || {});
      window.Plotly.newPlot(element, figure.data, figure.layout || {}, config);
    });
  }
  if (document.readyState === "complete") { renderCharts(); } else { window.addEventListener("load", renderCharts); }

  // Filter forms (data-clean-query): leave empty fields out of the URL. The server tolerates and
  // drops them too (it redirects to the clean URL), so the page works without this.
  document.querySelectorAll("form[data-clean-query]").forEach(function (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (element) {
        if (element.name && !element.disabled && (element.type === "text" || element.type === "number" ||
            element.type === "date" || element.type === "search" || element.tagName === "SELECT") &&
            !element.multiple && element.value.trim() === "") {
          element.disabled = true;
        }
      });
      // re-enable after the browser has read the form (back button keeps the fields usable)
      window.setTimeout(function () {
        Array.prototype.forEach.call(form.elements, function (element) { element.disabled = false; });
      }, 0);
    });
  });

  // Confirmation for buttons that change things: <button data-confirm="Are you sure?">
  document.querySelectorAll("[data-confirm]").forEach(function (element) {
    element.addEventListener("click", function (event) {
      if (!window.confirm(element.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
