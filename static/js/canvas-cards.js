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
  // What the arrow keys move between: stage headers (and "+ Add stage"), lane
  // labels and cells (card cells, emotion cells, action cells); inside a cell,
  // its cards. One of them is in the tab order (roving tabindex, as in the
  // WAI-ARIA grid pattern): Tab from it leaves the grid, Tab into the grid
  // comes back to it.
  const ITEMS = "th.stage-head, th.stage-add, th.lane-head, td[data-cell], td.action-cell";
  const CURRENT = ITEMS.split(", ")
    .concat(["[data-card-id]"])
    .map(function (s) { return s + '[tabindex="0"]'; })
    .join(", ");
  const TABBABLE = "a[href], button, input, select, textarea, summary, [tabindex]";

  function inGrid(el) {
    return !!el.closest("table.canvas > thead, table.canvas > tbody");
  }

  function itemOf(el) {
    const item = el.closest(ITEMS);
    return item && inGrid(item) ? item : null;
  }

  function gridRows(table) {
    return Array.from(table.querySelectorAll(":scope > thead > tr, :scope > tbody > tr"));
  }

  // A row's cells with the column each starts at (colspans counted).
  function columns(row) {
    let at = 0;
    const out = [];
    Array.from(row.children).forEach(function (cell) {
      if ((cell.tagName !== "TH" && cell.tagName !== "TD") || cell.hidden) return;
      const span = cell.colSpan || 1;
      out.push({ cell: cell, start: at, end: at + span });
      at += span;
    });
    return out;
  }

  function cellAt(row, column) {
    const hit = columns(row).find(function (c) { return c.start <= column && column < c.end; });
    return hit ? hit.cell : null;
  }

  function columnOf(item) {
    const hit = columns(item.parentElement).find(function (c) { return c.cell === item; });
    return hit ? hit.start : 0;
  }

  function cardsOf(cell) {
    return Array.from(cell.querySelectorAll("[data-card-id]"));
  }

  let currentItem = null;

  function makeCurrent(el) {
    if (!el) return;
    currentItem = el;
    const table = el.closest("table") || document;
    table.querySelectorAll(CURRENT).forEach(function (other) {
      if (other !== el) other.setAttribute("tabindex", "-1");
    });
    el.setAttribute("tabindex", "0");
  }

  function currentOf(table) {
    return (
      table.querySelector(CURRENT) ||
      table.querySelector("th.stage-head, th.stage-add, td[data-cell], th.lane-head")
    );
  }

  // Into view, and out from under the sticky stage headers and lane labels.
  function reveal(el) {
    el.scrollIntoView({ block: "nearest", inline: "nearest" });
    const scroller = el.closest("[data-canvas]");
    const corner = scroller && scroller.querySelector(".canvas-corner");
    if (!corner) return;
    const edge = corner.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    if (!el.closest("thead") && box.top < edge.bottom) scroller.scrollTop -= edge.bottom - box.top;
    if (!el.matches("th.lane-head") && box.left < edge.right) scroller.scrollLeft -= edge.right - box.left;
  }

  function focusItem(el) {
    if (!el) return false;
    makeCurrent(el);
    el.focus({ preventScroll: true });
    reveal(el);
    return document.activeElement === el;
  }

  // Kept for the callers below: a cell or a card is an item like the others.
  const focusCell = focusItem;
  const focusCard = focusItem;

  // The item next to `item` (a header or cell): same row, or the nearest row
  // above or below with an item in that column (the evidence row has none).
  function neighbour(item, dRow, dCol) {
    const row = item.parentElement;
    const column = columnOf(item);
    if (dCol) {
      const cells = columns(row);
      const at = cells.findIndex(function (c) { return c.cell === item; });
      for (let i = at + dCol; i >= 0 && i < cells.length; i += dCol) {
        if (cells[i].cell.matches(ITEMS)) return cells[i].cell;
      }
      return null;
    }
    const table = item.closest("table");
    const all = gridRows(table);
    for (let r = all.indexOf(row) + dRow; r >= 0 && r < all.length; r += dRow) {
      const cell = cellAt(all[r], column);
      if (cell && cell.matches(ITEMS)) return cell;
    }
    return null;
  }

  function rowEnd(item, last) {
    const cells = columns(item.parentElement).filter(function (c) { return c.cell.matches(ITEMS); });
    const end = last ? cells[cells.length - 1] : cells[0];
    return end ? end.cell : null;
  }

  // Tab leaves the grid: to what comes after it, or (Shift+Tab) before it.
  function leaveGrid(table, forward) {
    const head = table.tHead || table;
    const bodies = table.tBodies;
    const tail = bodies.length ? bodies[bodies.length - 1] : head;
    const candidates = Array.from(document.querySelectorAll(TABBABLE)).filter(function (el) {
      if (el.tabIndex < 0 || el.disabled || inGrid(el) || el.closest("[hidden], template")) return false;
      return el.getClientRects().length > 0;
    });
    const next = forward
      ? candidates.find(function (el) {
          const pos = tail.compareDocumentPosition(el);
          return pos & Node.DOCUMENT_POSITION_FOLLOWING && !(pos & Node.DOCUMENT_POSITION_CONTAINED_BY);
        })
      : candidates.reverse().find(function (el) {
          const pos = head.compareDocumentPosition(el);
          return pos & Node.DOCUMENT_POSITION_PRECEDING && !(pos & Node.DOCUMENT_POSITION_CONTAINS);
        });
    if (!next) return false;
    next.focus();
    return true;
  }

  let lastTab = -1;

  document.addEventListener(
    "keydown",
    function (event) {
      if (event.key !== "Tab" || event.ctrlKey || event.altKey || event.metaKey) return;
      lastTab = window.performance.now();
      const target = event.target;
      if (!(target instanceof Element) || !inGrid(target)) return;
      const item = itemOf(target);
      const card = target.closest("[data-card-id]");
      if (target !== item && !(card && target === card)) return; // a control inside: as usual
      makeCurrent(target);
      if (leaveGrid(target.closest("table"), !event.shiftKey)) event.preventDefault();
    },
    true
  );

  // Tabbing into the grid (onto a tool of some header or card) lands on the
  // current item instead; so does the focus given to the canvas itself.
  document.addEventListener("focusin", function (event) {
    const target = event.target;
    if (!(target instanceof Element)) return;
    let table = null;
    if (target.matches("[data-canvas]")) {
      table = target.querySelector("table.canvas");
    } else if (inGrid(target) && window.performance.now() - lastTab < 200) {
      const from = event.relatedTarget;
      if (from instanceof Element && inGrid(from)) return;
      table = target.closest("table");
    }
    if (!table) return;
    const current = currentOf(table);
    if (current && current !== target) focusItem(current);
  });

  // "Skip to canvas" (map_detail.html) goes to the grid's current item.
  document.addEventListener("click", function (event) {
    const link = event.target instanceof Element && event.target.closest("[data-skip-canvas]");
    if (!link) return;
    const table = document.querySelector("[data-canvas] table.canvas");
    const current = table && currentOf(table);
    if (current && focusItem(current)) event.preventDefault();
  });

  // What a screen reader says besides a card's text: its stage and lane.
  function describe(el) {
    const cell = el.closest("[data-cell]");
    if (!cell || el.hasAttribute("aria-label")) return;
    const ids = ["stage-title-" + cell.dataset.stage, "lane-title-" + cell.dataset.lane, "card-keys"].filter(
      function (id) { return document.getElementById(id); }
    );
    el.setAttribute("aria-describedby", ids.join(" "));
  }

  function openAdd(cell) {
    const form = cell.querySelector("[data-cell-add]");
    if (form) {
      const input = form.querySelector("[data-card-input]");
      if (input) input.focus();
      return true;
    }
    // The form comes from the server (cells stay light without it).
    const open = cell.querySelector("[data-cell-add-open], .action-add-open");
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
    if (!(target instanceof Element) || !inGrid(target)) return;
    const card = target.closest("[data-card-id]");
    const item = itemOf(target);
    if (card && target === card) {
      makeCurrent(card);
      describe(card);
    } else if (item) {
      makeCurrent(target === item ? item : card || item);
      if (target === item && item.matches("[data-cell]")) describe(item);
    }
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

    const item = itemOf(target);
    if (!item) return;
    const card = target.closest("[data-card-id]");
    const cell = item.matches("[data-cell], td.action-cell") ? item : null;

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

    // Plain keys act on the focused item or card itself, not on its buttons.
    const onCard = card && target === card;
    const onItem = target === item;
    if (!onCard && !onItem) return;

    if (event.key in ARROWS) {
      const [dRow, dCol] = ARROWS[event.key];
      let moved = false;
      if (dRow && onCard) {
        const cards = cardsOf(cell);
        moved = focusCard(cards[cards.indexOf(card) + dRow]);
      } else if (dRow === 1 && onItem && cell) {
        moved = focusCard(cardsOf(cell)[0]);
      }
      if (!moved) {
        const next = neighbour(item, dRow, dCol);
        if (next) {
          // Going up into a cell lands on its last card, down on the cell itself.
          const cards = next.matches(ITEMS) && dRow === -1 ? cardsOf(next) : [];
          moved = cards.length ? focusCard(cards[cards.length - 1]) : focusItem(next);
        }
      }
      if (moved) event.preventDefault();
      return;
    }
    if ((event.key === "Home" || event.key === "End") && onItem) {
      if (focusItem(rowEnd(item, event.key === "End"))) event.preventDefault();
      return;
    }
    if (event.key === "Enter") {
      if (onCard) {
        const edit = card.querySelector("[data-card-edit]");
        if (edit) {
          event.preventDefault();
          edit.click();
        }
      } else if (cell && openAdd(cell)) {
        event.preventDefault();
      } else if (item.matches("th.stage-add")) {
        const add = item.querySelector("button");
        if (add) {
          event.preventDefault();
          add.click();
        }
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

  // Keep one item of the grid in the tab order, also after htmx swapped parts
  // of it; the canvas itself is not a stop of its own then (its items are).
  // (When a swap takes the focused card or form away, swaps.js focuses its cell.)
  function ensureRoving() {
    const table = document.querySelector("[data-canvas] table.canvas");
    if (!table) return;
    const scroller = table.closest("[data-canvas]");
    if (scroller.getAttribute("tabindex") === "0") scroller.setAttribute("tabindex", "-1");
    const kept = currentItem && table.contains(currentItem) ? currentItem : null;
    // Action cards come as stops of their own; the current item stays one.
    table.querySelectorAll(CURRENT).forEach(function (el) {
      if (el !== kept && el !== document.activeElement) el.setAttribute("tabindex", "-1");
    });
    if (table.querySelector(CURRENT)) return;
    const first = table.querySelector("th.stage-head, th.stage-add, td[data-cell], th.lane-head");
    if (first) makeCurrent(first);
  }

  document.addEventListener("DOMContentLoaded", ensureRoving);
  document.addEventListener("htmx:afterSettle", ensureRoving);
})();
