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

// Action cards on the canvas come with just their edit link; their drag handle
// and tools are written once per page (template#action-tools, lane.html#tools)
// and copied into a card the first time it is pointed at, focused or clicked,
// or when it is swapped in (before swaps.js gives the focus back, on
// afterSettle). A whole new page or canvas is left to pointer and focus.
(function () {
  function addTools(card) {
    const kit = document.getElementById("action-tools");
    const url = card.dataset.refreshUrl;
    const foot = card.querySelector(":scope > .action-foot");
    if (!kit || !url || !foot || foot.querySelector(".card-tools")) return;
    if (!card.querySelector(":scope > .action-title > a")) return; // read-only
    const parts = kit.content.cloneNode(true);
    const cell = card.closest(".action-cell[id]");
    parts.querySelectorAll("[data-tool]").forEach(function (tool) {
      const href = url + tool.dataset.tool;
      if (tool.tagName === "BUTTON") {
        if (!cell) return tool.remove(); // no stage: nothing to move within
        tool.setAttribute("formaction", href);
        tool.setAttribute("hx-post", href);
        tool.setAttribute("hx-target", "#" + cell.id);
      } else {
        tool.setAttribute("href", href);
      }
    });
    const title = card.querySelector(":scope > .action-title");
    const named = parts.querySelector(".danger-link .visually-hidden");
    if (named && title) named.textContent = " " + title.textContent;
    foot.append(parts.querySelector(".card-tools"));
    card.prepend(parts.querySelector("[data-drag-handle]"));
    card.querySelectorAll("a[href]:not([hx-get])").forEach(function (link) {
      link.setAttribute("hx-get", link.getAttribute("href"));
      link.setAttribute("hx-target", "#" + card.id);
      link.setAttribute("hx-swap", "outerHTML");
    });
    if (window.htmx) window.htmx.process(card);
  }

  // A click without pointer or focus first (a screen reader's) still finds
  // them: htmx's listeners hear the same click after this capturing one.
  ["pointerover", "focusin", "click"].forEach(function (name) {
    document.addEventListener(
      name,
      function (event) {
        if (!(event.target instanceof Element)) return;
        const card = event.target.closest(".action-card");
        if (card) addTools(card);
      },
      true
    );
  });

  document.addEventListener(
    "htmx:load",
    function (event) {
      const root = event.target;
      if (!(root instanceof Element) || root === document.body || root.matches("[data-canvas]")) return;
      if (root.matches(".action-card")) addTools(root);
      root.querySelectorAll(".action-card").forEach(addTools);
    },
    true
  );
})();
