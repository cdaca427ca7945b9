// caselines report: sort, filter and download the cohort table (index.html).
// A file of the report folder (CSP script-src 'self'); it reads only what the page holds:
// each cell's raw value in data-v and each row's filter values as JSON in data-filters.
// It never writes HTML: cell text is set with textContent and rows are only hidden or
// reordered, so no value from a PDF is ever parsed as markup.
(function () {
  "use strict";

  var table = document.getElementById("cohort-table");
  var bar = document.getElementById("cohort-filters");
  if (!table || !bar) {
    return;
  }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var selects = Array.prototype.slice.call(bar.querySelectorAll("select[data-filter]"));
  var count = document.getElementById("cohort-count");
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var parsed = rows.map(function (row) {
    try {
      return JSON.parse(row.getAttribute("data-filters") || "{}");
    } catch (e) {
      return {};
    }
  });

  function matches(index) {
    var values = parsed[index];
    return selects.every(function (select) {
      var wanted = select.value;
      if (!wanted) {
        return true;
      }
      var have = values[select.getAttribute("data-filter")] || [];
      return have.indexOf(wanted) >= 0;
    });
  }

  function apply() {
    var shown = 0;
    rows.forEach(function (row, index) {
      var keep = matches(index);
      row.hidden = !keep;
      if (keep) {
        shown += 1;
      }
    });
    count.textContent = shown + " of " + rows.length + " lines shown";
  }

  function value(row, col) {
    return row.cells[col].getAttribute("data-v") || "";
  }

  function compare(kind, a, b) {
    // empty values sort last whichever the direction
    if (a === "" || b === "") {
      return a === b ? 0 : a === "" ? 1 : -1;
    }
    if (kind === "num") {
      return parseFloat(a) - parseFloat(b);
    }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function sortBy(button) {
    var col = parseInt(button.getAttribute("data-col"), 10);
    var kind = button.getAttribute("data-kind");
    var th = button.parentNode;
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    headers.forEach(function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var order = rows.map(function (row, index) {
      return index;
    });
    order.sort(function (i, j) {
      var a = value(rows[i], col);
      var b = value(rows[j], col);
      var c = compare(kind, a, b);
      if (a !== "" && b !== "" && !ascending) {
        c = -c;
      }
      return c !== 0 ? c : i - j;
    });
    order.forEach(function (index) {
      body.appendChild(rows[index]);
    });
  }

  function csvField(text) {
    // a leading = + - @ would be read as a formula by spreadsheets: quote it as text
    var safe = /^[=+\-@]/.test(text) ? "'" + text : text;
    return /[",\r\n]/.test(safe) ? '"' + safe.replace(/"/g, '""') + '"' : safe;
  }

  function csv() {
    var names = headers.map(function (h) {
      return h.getAttribute("data-csv") || h.textContent.trim();
    });
    var lines = [names.concat(["doi"]).map(csvField).join(",")];
    Array.prototype.slice.call(body.rows).forEach(function (row) {
      if (row.hidden) {
        return;
      }
      var values = Array.prototype.slice.call(row.cells).map(function (cell) {
        return cell.getAttribute("data-v") || "";
      });
      lines.push(values.concat([row.getAttribute("data-doi") || ""]).map(csvField).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  function download() {
    var button = document.getElementById("cohort-csv");
    var blob = new Blob(["\ufeff" + csv()], { type: "text/csv;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = button.getAttribute("data-filename") || "cohort.csv";
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () {
      URL.revokeObjectURL(link.href);
    }, 0);
  }

  selects.forEach(function (select) {
    select.addEventListener("change", apply);
  });
  headers.forEach(function (th) {
    var button = th.querySelector("button.sort");
    if (button) {
      button.addEventListener("click", function () {
        sortBy(button);
      });
    }
  });
  document.getElementById("cohort-reset").addEventListener("click", function () {
    selects.forEach(function (select) {
      select.value = "";
    });
    apply();
  });
  document.getElementById("cohort-csv").addEventListener("click", download);
  bar.hidden = false;
  apply();
})();
