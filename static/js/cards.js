// Card mechanics, written once for every list of short editable cards: the
// empathy map now, the journey canvas later. The markup contract:
//
//   [data-sortable data-reorder-url data-reorder-target data-reorder-*]
//       a list whose [data-card data-card-id] children reorder by dragging
//       their [data-drag-handle]; the new order is POSTed as order=id,id,...
//       plus every other data-reorder-* attribute, and the answer replaces
//       data-reorder-target (the list's fragment root);
//   [data-move="up"|"down"]  buttons that move their card; Alt+↑/↓ presses them;
//   [data-card-form] with [data-card-input]: Enter saves, Shift+Enter adds a
//       line, Escape presses the form's [data-card-cancel];
//   failures are said in the nearest [data-card], [data-card-errors] or list.
//
// Swapping the answers in (409s and 422s too) and giving the focus back to the
// card or the control that was used is swaps.js's job, for every fragment.
//
// No inline handlers or eval: the CSP forbids them.
"use strict";

(function () {
  function announce(text) {
    const status = document.querySelector("[data-card-status]");
    if (status && text) status.textContent = text;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    // SortableJS animates with inline styles (allowed: they are set through
    // the CSSOM). While settling, htmx copies the attributes of old elements
    // onto new ones with the same id, which re-applies those styles as
    // attributes, and our CSP refuses that. Nothing of value is lost here.
    const target = event.detail.target;
    if (target && target.removeAttribute) target.removeAttribute("style");
    // Out-of-band swaps (a card dragged across lists) touch other lists too.
    document
      .querySelectorAll("[data-sortable], [data-sortable] [style], [hx-swap-oob] [style]")
      .forEach(function (el) {
        el.removeAttribute("style");
      });
    if (target && target.querySelectorAll) {
      target.querySelectorAll("[style]").forEach(function (el) {
        el.removeAttribute("style");
      });
    }
  });

  // A failed card request says why inside the card (or the list) it came from.
  document.addEventListener("htmx:responseError", function (event) {
    const elt = event.detail.elt;
    // The nearest card, or a place that asks for its own messages, or the list.
    const place = elt.closest && elt.closest("[data-card], [data-card-errors], [data-sortable]");
    if (!place) return;
    const status = String(event.detail.xhr.status);
    const message =
      document.querySelector('[data-card-message="' + status + '"]') ||
      document.querySelector('[data-card-message="other"]');
    let note = place.querySelector(":scope > .card-error");
    if (!note) {
      note = document.createElement("p");
      note.className = "card-error";
      note.setAttribute("role", "alert");
      place.appendChild(note);
    }
    note.textContent = message ? message.textContent : status;
  });

  // swaps.js gave the focus back to a move button of a card that moved: say where.
  document.addEventListener("journeymap:focus-restored", function (event) {
    const button = event.target;
    if (button instanceof Element && button.matches("[data-card] [data-move]")) {
      announce(button.getAttribute("aria-label"));
    }
  });


  document.addEventListener("keydown", function (event) {
    const target = event.target;
    if (!(target instanceof Element)) return;

    const input = target.closest("[data-card-input]");
    if (input && input.form) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        input.form.requestSubmit();
        return;
      }
      if (event.key === "Escape") {
        const cancel = input.form.querySelector("[data-card-cancel]");
        event.preventDefault();
        if (cancel) {
          cancel.click();
        } else {
          input.value = "";
          input.blur();
        }
        return;
      }
    }

    const card = target.closest("[data-card]");
    if (!card) return;
    if (event.key === "Escape") {
      const cancel = card.querySelector("[data-card-cancel]");
      if (cancel) {
        event.preventDefault();
        cancel.click();
      }
      return;
    }
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      const direction = event.key === "ArrowUp" ? "up" : "down";
      const button = card.querySelector('[data-move="' + direction + '"]');
      if (button) {
        event.preventDefault();
        button.click(); // swaps.js gives the focus to this button after the swap
      }
    }
  });

  function reorderValues(list) {
    const values = {};
    Object.keys(list.dataset).forEach(function (key) {
      if (key.startsWith("reorder") && key !== "reorderUrl" && key !== "reorderTarget") {
        const name = key.slice("reorder".length);
        values[name.charAt(0).toLowerCase() + name.slice(1)] = list.dataset[key];
      }
    });
    values.order = Array.from(list.children)
      .filter(function (child) { return child.matches("[data-card-id]"); })
      .map(function (child) { return child.dataset.cardId; })
      .join(",");
    return values;
  }

  function initSortables(root) {
    if (!window.Sortable) return;
    const lists = Array.from(root.querySelectorAll("[data-sortable]"));
    if (root.matches && root.matches("[data-sortable]")) lists.push(root);
    lists.forEach(function (list) {
      if (list.dataset.sortableReady) return;
      list.dataset.sortableReady = "1";
      window.Sortable.create(list, {
        // Lists with the same group let cards travel between them; the list a
        // card lands in reports the new order, the server refreshes both.
        group: list.dataset.sortableGroup || undefined,
        handle: "[data-drag-handle]",
        // An empty list has no height; accept drops near it.
        emptyInsertThreshold: 28,
        draggable: "[data-card-id]",
        animation: 150,
        ghostClass: "card-ghost",
        chosenClass: "card-chosen",
        onEnd: function (event) {
          const into = event.to;
          if (into === event.from && event.oldIndex === event.newIndex) return;
          // Nothing had the focus while dragging: the card gets it after the swap.
          if (window.Journeymap) window.Journeymap.swaps.focusAfterSwap(event.item);
          window.htmx.ajax("POST", into.dataset.reorderUrl, {
            source: into,
            target: into.dataset.reorderTarget || into,
            swap: "outerHTML",
            values: reorderValues(into),
          });
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initSortables(document);
  });
  document.addEventListener("htmx:load", function (event) {
    initSortables(event.target);
  });
})();
