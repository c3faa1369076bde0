// The shelters' headcounts ask the server again every few seconds instead of reloading the page
// (a reload moves focus for people who use a screen reader, and loses the scroll position in a
// long list). A failed request leaves the numbers as they were and says so; the next one retries.
(function () {
  "use strict";
  var root = document.getElementById("headcounts");
  if (!root) { return; }
  var url = root.dataset.statusUrl;
  var every = Math.max(1, parseInt(root.dataset.refreshSeconds, 10) || 15) * 1000;
  var tbody = root.querySelector("table.headcounts tbody");
  var COLUMNS = ["name", "school_district", "status", "capacity", "people", "households",
    "shelter", "car", "home", "occupancy"];
  var LABELS = {};
  root.querySelectorAll("table.headcounts thead th").forEach(function (heading, i) {
    LABELS[COLUMNS[i]] = heading.textContent;
  });

  function nameCell(cell, shelter) {
    cell.textContent = "";
    if (shelter.roster_url) {
      var link = document.createElement("a");
      link.href = shelter.roster_url;
      link.textContent = shelter.name;
      cell.appendChild(link);
    } else {
      cell.textContent = shelter.name;
    }
  }

  function newRow(shelter) {
    var row = document.createElement("tr");
    row.dataset.shelter = shelter.id;
    COLUMNS.forEach(function (field) {
      var cell = document.createElement("td");
      cell.dataset.field = field;
      if (field !== "name") { cell.dataset.label = LABELS[field] || ""; }
      row.appendChild(cell);
    });
    return row;
  }

  function fill(row, shelter) {
    COLUMNS.forEach(function (field) {
      var cell = row.querySelector("[data-field=" + field + "]");
      if (field === "name") {
        var link = cell.querySelector("a");
        var shown = link ? link.getAttribute("href") : "";
        if (cell.textContent !== shelter.name || shown !== shelter.roster_url) { nameCell(cell, shelter); }
      } else if (cell.textContent !== String(shelter[field])) {
        cell.textContent = shelter[field];
      }
    });
  }

  function showRows(shelters) {
    var rows = {};
    tbody.querySelectorAll("tr[data-shelter]").forEach(function (row) { rows[row.dataset.shelter] = row; });
    var order = shelters.map(function (s) { return String(s.id); });
    var same = order.join(",") === Object.keys(rows).join(",") &&
      order.every(function (id, i) { return tbody.rows[i] && tbody.rows[i].dataset.shelter === id; });
    if (!same) {
      // A shelter opened or closed: rows are laid out again, in the server's order.
      tbody.textContent = "";
      shelters.forEach(function (s) { tbody.appendChild(rows[String(s.id)] || newRow(s)); });
      if (!shelters.length) {
        var empty = tbody.insertRow();
        var cell = empty.insertCell();
        cell.colSpan = COLUMNS.length;
        cell.textContent = "開設中の避難所はありません。";
      }
    }
    shelters.forEach(function (s) { fill(tbody.querySelector("tr[data-shelter='" + s.id + "']"), s); });
  }

  function show(counts) {
    Object.keys(counts.city).forEach(function (key) {
      var field = root.querySelector("[data-city=" + key + "]");
      if (field && field.textContent !== String(counts.city[key])) { field.textContent = counts.city[key]; }
    });
    showRows(counts.shelters);
    root.querySelector("[data-field=updated]").textContent = counts.updated;
    document.getElementById("headcounts-stale").hidden = true;
  }

  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(show)
      .catch(function () { document.getElementById("headcounts-stale").hidden = false; });
  }

  window.setInterval(ask, every);
})();
