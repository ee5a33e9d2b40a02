// Follow-up actions (templates/maps/actions/). Cards on the canvas use the
// shared card mechanics in cards.js; this file only keeps keyboard focus on
// the board: a quick status change swaps the whole row, and the focus goes
// back to the row's status select so the next row is one Tab away.
"use strict";

(function () {
  let refocus = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    const elt = event.detail.elt;
    const row = elt.closest && elt.closest(".board-row");
    if (row) refocus = row.id;
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!refocus) return;
    const row = document.getElementById(refocus);
    refocus = null;
    const select = row && row.querySelector("select[name=status]");
    if (select) select.focus();
  });
})();
