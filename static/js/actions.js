// Follow-up actions (templates/maps/actions/). Cards on the canvas use the
// shared card mechanics in cards.js. After a quick status change on the board
// the row is swapped and swaps.js gives the focus back to its status select
// (same id), so the next row is one Tab away.
"use strict";

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
