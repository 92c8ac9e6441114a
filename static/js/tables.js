/* Staff tables on phones (表格转卡片): a table wider than its box on a narrow screen becomes a list of cards
   (class "stacked", styled in jishiyu.css), each cell labelled with its column header (data-label), so the
   page never scrolls sideways; a table marked data-table="stack" becomes cards on a narrow screen whatever
   its width. A box that still scrolls sideways (a wide table on a desk) is made focusable,
   so a keyboard can scroll it. Runs on load, on resize and after every htmx swap. */
(function () {
  "use strict";
  var NARROW = window.matchMedia("(max-width: 720px)");

  function headers(table) {
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    var out = [];
    if (!row) { return out; }
    for (var i = 0; i < row.cells.length; i++) {
      var cell = row.cells[i], text = (cell.getAttribute("aria-label") || cell.textContent || "").trim();
      for (var span = 0; span < (cell.colSpan || 1); span++) { out.push(text); }
    }
    return out;
  }

  function label(table) {
    var names = headers(table);
    if (!names.length) { return; }
    var bodies = table.querySelectorAll("tbody, tfoot");
    for (var b = 0; b < bodies.length; b++) {
      var rows = bodies[b].rows;
      for (var r = 0; r < rows.length; r++) {
        var col = 0;
        for (var c = 0; c < rows[r].cells.length; c++) {
          var cell = rows[r].cells[c];
          if (cell.tagName === "TD" && !cell.hasAttribute("data-label") && names[col]) {
            cell.setAttribute("data-label", names[col]);
          }
          col += cell.colSpan || 1;
        }
      }
    }
  }

  function fit(root) {
    var tables = (root || document).querySelectorAll("main table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      if (table.classList.contains("tk-table") || table.getAttribute("data-table") === "keep") { continue; }
      table.classList.remove("stacked");
      if (!NARROW.matches) { continue; }
      var box = table.parentElement;
      var room = Math.min(box ? box.clientWidth : window.innerWidth, document.documentElement.clientWidth);
      // data-table="stack": many columns of short cells that fit only by wrapping a word per line: cards too
      if (table.getAttribute("data-table") === "stack" || table.offsetWidth > room + 1 ||
          table.getBoundingClientRect().right > document.documentElement.clientWidth + 1) {
        label(table);
        table.classList.add("stacked");
      }
    }
    var wraps = document.querySelectorAll(".table-wrap");
    for (var w = 0; w < wraps.length; w++) {
      var wrap = wraps[w];
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        if (!wrap.hasAttribute("tabindex")) { wrap.setAttribute("tabindex", "0"); wrap.setAttribute("data-scrolls", ""); }
        if (!wrap.hasAttribute("role")) { wrap.setAttribute("role", "region"); }
        if (!wrap.hasAttribute("aria-label")) {
          var caption = wrap.querySelector("caption");
          wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : (document.title || "").split("·")[0].trim());
        }
      } else if (wrap.hasAttribute("data-scrolls")) {
        wrap.removeAttribute("tabindex"); wrap.removeAttribute("data-scrolls");
      }
    }
  }

  var pending = 0;
  function later() { window.clearTimeout(pending); pending = window.setTimeout(function () { fit(); }, 100); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", function () { fit(); }); } else { fit(); }
  window.addEventListener("resize", later);
  document.addEventListener("htmx:afterSettle", later);

  // A table's filter that applies itself (<select data-autosubmit>): its form is sent on change. No inline
  // handler: the pages' CSP refuses them; without script the form's own button (in <noscript>) does it.
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) { el.form.submit(); }
  });
})();
