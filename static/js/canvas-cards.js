// Cards on the journey canvas, on top of cards.js (inline edit, drag between
// cells, 409/422 swaps, Alt+↑/↓). This file adds what only the grid needs:
//
//   [data-cell]            a focusable cell (roving tabindex: one cell of the
//                          canvas is in the tab order; arrow keys move focus
//                          between cells and the cards in them);
//   [data-cell-add-open]   the cell's quiet "+ Add" link: fetches the cell with
//                          its add form open (its href and hx-get, the cell's
//                          data-refresh-url + "?add", are put in here when the
//                          cell is first pointed at or focused); Enter on a cell
//                          presses it;
//   [data-cell-add]        that form: Escape / [data-add-cancel] closes it;
//   [data-card]            Enter edits it ([data-card-edit]), Delete asks to
//                          delete it, Alt+←/→ presses [data-move="left|right"]
//                          (to the neighbouring stage);
//   template#card-tools    the drag handle and tools of every card, written once
//                          per page (card.html#card_tools): a card gets its own
//                          copy the first time it is pointed at or focused, or
//                          when it is swapped in. The server sends each card with
//                          just its edit link (a page with all tools, without JS)
//                          and its evidence badge as a plain link;
//   [data-card-reorder-url] on #canvas, with data-card-group: what each cell's
//                          [data-sortable] list needs for cards.js, given to it
//                          here with the cell's stage, lane and id (the server
//                          sends bare lists: 96 copies were 30 KB).
//
// Keys typed into a field are left alone: arrows move the caret there.
// No inline handlers or eval: the CSP forbids them.
"use strict";

(function () {
  function cellsOf(row) {
    return Array.from(row.querySelectorAll(":scope > [data-cell]"));
  }

  function rows(cell) {
    const table = cell.closest("table");
    return table
      ? Array.from(table.querySelectorAll("tr")).filter(function (tr) {
          return tr.querySelector(":scope > [data-cell]");
        })
      : [];
  }

  function cardsOf(cell) {
    return Array.from(cell.querySelectorAll("[data-card-id]"));
  }

  function makeCurrent(cell) {
    if (!cell) return;
    const table = cell.closest("table") || document;
    table.querySelectorAll('[data-cell][tabindex="0"]').forEach(function (other) {
      if (other !== cell) other.setAttribute("tabindex", "-1");
    });
    cell.setAttribute("tabindex", "0");
  }

  function focusCell(cell) {
    if (!cell) return false;
    makeCurrent(cell);
    cell.focus();
    cell.scrollIntoView({ block: "nearest", inline: "nearest" });
    return true;
  }

  function focusCard(card) {
    if (!card) return false;
    makeCurrent(card.closest("[data-cell]"));
    card.focus();
    card.scrollIntoView({ block: "nearest", inline: "nearest" });
    return true;
  }

  function neighbourCell(cell, dRow, dCol) {
    const all = rows(cell);
    const row = cell.parentElement;
    const r = all.indexOf(row);
    const c = cellsOf(row).indexOf(cell);
    if (dCol) return cellsOf(row)[c + dCol] || null;
    const other = all[r + dRow];
    if (!other) return null;
    const cells = cellsOf(other);
    return cells[Math.min(c, cells.length - 1)] || null;
  }

  function openAdd(cell) {
    const form = cell.querySelector("[data-cell-add]");
    if (form) {
      const input = form.querySelector("[data-card-input]");
      if (input) input.focus();
      return true;
    }
    // The form comes from the server (cells stay light without it).
    const open = cell.querySelector("[data-cell-add-open]");
    if (!open) return false;
    open.click();
    return true;
  }

  function closeAdd(form) {
    const cell = form.closest("[data-cell]");
    form.remove();
    focusCell(cell);
  }

  document.addEventListener("click", function (event) {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const cancel = target.closest("[data-add-cancel]");
    if (cancel) {
      const form = cancel.closest("[data-cell-add]");
      if (form) {
        event.preventDefault();
        closeAdd(form);
      }
    }
  });

  document.addEventListener("focusin", function (event) {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const cell = target.closest("[data-cell]");
    if (cell) makeCurrent(cell);
  });

  // ---- Tools, put in when first needed ---------------------------------------
  function addTools(card) {
    const kit = document.getElementById("card-tools");
    const tools = card.querySelector(":scope > .card-tools");
    const url = card.dataset.refreshUrl;
    if (!kit || !tools || !url || tools.querySelector("[data-tool]")) return;
    const parts = kit.content.cloneNode(true);
    const made = parts.querySelector(".card-tools");
    const cell = card.closest("[data-cell]");
    made.querySelectorAll("[data-tool]").forEach(function (tool) {
      const href = url + tool.dataset.tool;
      if (tool.tagName === "BUTTON") {
        tool.setAttribute("formaction", href);
        tool.setAttribute("hx-post", href);
      } else {
        tool.setAttribute("href", href);
        tool.setAttribute("hx-get", href);
      }
    });
    const moves = made.querySelector(".card-moves");
    if (moves && cell) moves.setAttribute("hx-target", "#" + cell.id);
    // The edit link the server sent stays (it may have the focus); the rest
    // goes around it, in the template's order.
    const edit = tools.querySelector("[data-card-edit]");
    tools.setAttribute("hx-target", "#" + card.id);
    tools.setAttribute("hx-swap", made.getAttribute("hx-swap"));
    if (edit) edit.setAttribute("hx-get", edit.getAttribute("href"));
    tools.append.apply(tools, Array.from(made.childNodes));
    const handle = parts.querySelector("[data-drag-handle]");
    if (handle) card.prepend(handle);
    const badge = card.querySelector("a[data-card-tool]");
    if (badge) {
      badge.setAttribute("hx-get", badge.getAttribute("href"));
      badge.setAttribute("hx-target", "#" + card.id);
      badge.setAttribute("hx-swap", "outerHTML");
    }
    if (window.htmx) window.htmx.process(card);
  }

  // The cell's "+ Add" link fetches the cell with its form open.
  function addCellTools(cell) {
    const open = cell.querySelector(":scope > [data-cell-add-open]:not([hx-get])");
    if (!open || !cell.dataset.refreshUrl) return;
    const url = cell.dataset.refreshUrl + "?add";
    open.setAttribute("href", url);
    open.setAttribute("hx-get", url);
    open.setAttribute("hx-target", "#" + cell.id);
    open.setAttribute("hx-swap", "outerHTML");
    if (window.htmx) window.htmx.process(open);
  }

  function sortableCells(root) {
    root.querySelectorAll("[data-cell] > [data-sortable]:not([data-reorder-url])").forEach(function (list) {
      const cell = list.parentElement;
      const canvas = cell.closest("[data-card-reorder-url]");
      if (!canvas) return;
      list.dataset.sortableGroup = canvas.dataset.cardGroup;
      list.dataset.reorderUrl = canvas.dataset.cardReorderUrl;
      list.dataset.reorderTarget = "#" + cell.id;
      list.dataset.reorderStage = cell.dataset.stage;
      list.dataset.reorderLane = cell.dataset.lane;
    });
  }

  function addToolsWithin(root) {
    if (root.matches("[data-cell]")) addCellTools(root);
    root.querySelectorAll("[data-cell]").forEach(addCellTools);
    if (root.matches(".map-card")) addTools(root);
    root.querySelectorAll(".map-card").forEach(addTools);
  }

  // A click that comes without either (a screen reader's) still finds them:
  // listeners htmx adds in this capturing phase hear the same click.
  ["pointerover", "focusin", "click"].forEach(function (name) {
    document.addEventListener(
      name,
      function (event) {
        if (!(event.target instanceof Element)) return;
        const card = event.target.closest(".map-card");
        if (card) addTools(card);
        const cell = event.target.closest("[data-cell]");
        if (cell) addCellTools(cell);
      },
      true
    );
  });

  // Deferred scripts run before DOMContentLoaded, where cards.js sets up the
  // sortable lists: theirs are complete by then.
  sortableCells(document);

  // Swapped in: the lists are completed before cards.js sees them (this
  // listener captures; cards.js's bubbles), and cards and cells get their
  // tools before swaps.js gives the focus back (on afterSettle) to the control
  // that had it. The page's first load, and a whole new canvas, are left to
  // the pointer and the focus: 400 cards need not all be done at once.
  document.addEventListener(
    "htmx:load",
    function (event) {
      const root = event.target;
      if (!(root instanceof Element)) return;
      sortableCells(root.parentElement || root);
      if (root !== document.body && !root.matches("[data-canvas]")) addToolsWithin(root);
    },
    true
  );

  const ARROWS = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

  document.addEventListener("keydown", function (event) {
    const target = event.target;
    if (!(target instanceof Element) || event.defaultPrevented) return;
    if (event.ctrlKey || event.metaKey || event.isComposing) return;
    if (target.closest("input, textarea, select, [contenteditable]")) return;

    const card = target.closest("[data-card-id]");
    const cell = target.closest("[data-cell]");
    if (!cell) return;

    // Alt+←/→: the card goes to the neighbouring stage (↑/↓ are cards.js's).
    if (card && event.altKey && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
      const button = card.querySelector(
        '[data-move="' + (event.key === "ArrowLeft" ? "left" : "right") + '"]'
      );
      if (button) {
        event.preventDefault();
        button.click(); // swaps.js gives the focus to this button after the swap
      }
      return;
    }
    if (event.altKey || event.shiftKey) return;

    // Plain keys act on the focused cell or card itself, not on its buttons.
    const onCard = card && target === card;
    const onCell = target === cell;
    if (!onCard && !onCell) return;

    if (event.key in ARROWS) {
      const [dRow, dCol] = ARROWS[event.key];
      let moved = false;
      if (dRow && onCard) {
        const cards = cardsOf(cell);
        moved = focusCard(cards[cards.indexOf(card) + dRow]);
      } else if (dRow === 1 && onCell) {
        moved = focusCard(cardsOf(cell)[0]);
      }
      if (!moved) {
        const next = neighbourCell(cell, dRow, dCol);
        if (next) {
          // Going up into a cell lands on its last card, down on the cell itself.
          const cards = cardsOf(next);
          moved = dRow === -1 && cards.length ? focusCard(cards[cards.length - 1]) : focusCell(next);
        }
      }
      if (moved) event.preventDefault();
      return;
    }
    if (event.key === "Enter") {
      if (onCard) {
        const edit = card.querySelector("[data-card-edit]");
        if (edit) {
          event.preventDefault();
          edit.click();
        }
      } else if (openAdd(cell)) {
        event.preventDefault();
      }
      return;
    }
    if (event.key === "Delete" && onCard) {
      const remove = card.querySelector("[data-card-delete]");
      if (remove) {
        event.preventDefault();
        remove.click();
      }
      return;
    }
    if (event.key === "Escape" && onCard) {
      focusCell(cell);
      event.preventDefault();
    }
  });

  // Keep one cell in the tab order, also after htmx swapped cells. (When a
  // swap takes the focused card or form away, swaps.js focuses its cell.)
  function ensureRoving() {
    if (document.querySelector('[data-cell][tabindex="0"]')) return;
    const first = document.querySelector("[data-cell]");
    if (first) first.setAttribute("tabindex", "0");
  }

  document.addEventListener("DOMContentLoaded", ensureRoving);
  document.addEventListener("htmx:afterSettle", ensureRoving);
})();
