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

// In the action form, the "About the card" select offers the cards of the
// chosen stage only; a card of the stage left behind is unselected.
(function () {
  document.addEventListener("change", function (event) {
    const select = event.target;
    if (!(select instanceof HTMLSelectElement) || select.name !== "stage") return;
    const form = select.closest("form");
    const cards = form && form.querySelector("select[data-action-cards]");
    if (!cards) return;
    Array.from(cards.options).forEach(function (option) {
      if (!option.dataset.stage) return;
      option.hidden = option.dataset.stage !== select.value;
      if (option.hidden && option.selected) cards.value = "";
    });
  });
})();
