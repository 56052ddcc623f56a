// The visibility report's table: neighbours folded under each flagged group, filters by measure
// and characteristic, sorting by column, and charts drawn again when a folded section opens.
// Without this script every row is shown, unfiltered, in the report's order.
(function () {
  "use strict";
  var table = document.querySelector("[data-findings]");
  if (!table) { return; }
  var bodies = Array.prototype.slice.call(table.querySelectorAll("tbody"));

  // Neighbours: folded until asked for.
  table.querySelectorAll("[data-siblings]").forEach(function (button) {
    var rows = table.querySelectorAll('[data-sibling-of="' + button.getAttribute("data-siblings") + '"]');
    function show(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      rows.forEach(function (row) { row.hidden = !open; });
    }
    show(false);
    button.addEventListener("click", function () {
      show(button.getAttribute("aria-expanded") !== "true");
    });
  });

  // Filters.
  var tools = document.querySelector("[data-finding-filters]");
  var count = document.querySelector("[data-filter-count]");
  function applyFilters() {
    var measure = document.getElementById("finding-measure").value;
    var characteristic = document.getElementById("finding-characteristic").value;
    var shown = 0;
    bodies.forEach(function (body) {
      var match = (!measure || body.getAttribute("data-measure") === measure) &&
        (!characteristic || (" " + body.getAttribute("data-characteristics") + " ").indexOf(" " + characteristic + " ") >= 0);
      body.hidden = !match;
      if (match) { shown += 1; }
    });
    count.textContent = count.getAttribute("data-template")
      ? count.getAttribute("data-template").replace("{shown}", shown).replace("{total}", bodies.length)
      : shown + " / " + bodies.length;
  }
  if (tools) {
    tools.hidden = false;
    tools.querySelectorAll("select").forEach(function (select) { select.addEventListener("change", applyFilters); });
  }

  // Sorting: headers with data-sort get a button; tbodies are reordered.
  table.querySelectorAll("th[data-sort]").forEach(function (header) {
    var key = header.getAttribute("data-sort");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link-button sort";
    while (header.firstChild && header.firstChild.nodeType === 3) {
      button.appendChild(header.firstChild);
    }
    header.insertBefore(button, header.firstChild);
    button.addEventListener("click", function () {
      var ascending = header.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th[aria-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var sorted = bodies.slice().sort(function (a, b) {
        var x = a.getAttribute("data-" + key), y = b.getAttribute("data-" + key);
        var result;
        if (key === "name") {
          result = x.localeCompare(y, document.documentElement.lang);
        } else {
          // Withheld (empty) values last, whichever the direction.
          if (x === "" || y === "") { return (x === "") - (y === ""); }
          result = parseFloat(x) - parseFloat(y);
        }
        return ascending ? result : -result;
      });
      sorted.forEach(function (body) { table.appendChild(body); });
    });
  });

  // Plotly draws at the size of its container: again when a folded section opens.
  document.querySelectorAll("details").forEach(function (details) {
    details.addEventListener("toggle", function () {
      if (details.open && window.Plotly) {
        details.querySelectorAll("[data-plotly-figure] .js-plotly-plot, .js-plotly-plot").forEach(function (chart) {
          window.Plotly.Plots.resize(chart);
        });
      }
    });
  });
})();
