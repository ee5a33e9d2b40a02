// The journey canvas's frame: stages and lanes reorder by dragging their
// handle or with Alt+arrows on a focused header; a focused header's tools open
// as a menu with Enter; the map header collapses to one line, remembered.
// Focus comes back to the header after the grid is swapped through swaps.js.
// Card mechanics (inline edit, drag, 409s) are in cards.js, whose Enter/Escape
// handling the header edit forms reuse ([data-card-input], [data-card-cancel]);
// moving between headers, cells and cards is canvas-cards.js's.
//
// Markup contract (templates/maps/canvas/grid.html and maps/structure/*):
//   [data-stage-sortable data-reorder-url]  the stage header row; its
//       th[data-stage-id] children reorder; order=id,id,... is POSTed and the
//       answer replaces #canvas;
//   [data-lane-sortable data-reorder-url]   the tbody; rows whose
//       th[data-lane-id] reorder the same way;
//   [data-move="left|right|up|down"]        buttons inside a header;
//   .head-tools, .stage-insert              a header's tools: shown on hover
//       for the pointer, out of the tab order with JS, and listed (in that
//       order) in the header's menu (Enter on the header, Escape closes);
//   [data-map-head-toggle]                  collapses #map-head to one line.
"use strict";

(function () {
  const HEAD_KEY = "journeymap.map.head-collapsed";
  const HEADS = "th[data-stage-id], th[data-lane-id]";
  // A header's tools, in the order its menu lists them.
  const TOOLS = ":scope .head-tools > .tool, :scope .head-tools > form > .tool, :scope .stage-insert .insert-button";

  function focusAfterSwap(selector) {
    if (window.Journeymap) window.Journeymap.swaps.focusAfterSwap(selector);
  }

  function headKey(head) {
    return head.dataset.stageId
      ? 'th[data-stage-id="' + CSS.escape(head.dataset.stageId) + '"]'
      : 'th[data-lane-id="' + CSS.escape(head.dataset.laneId) + '"]';
  }

  // ---- The map header, on one line or in full ------------------------------
  function storedCollapsed() {
    try {
      return window.localStorage.getItem(HEAD_KEY) === "1";
    } catch (e) {
      return false;
    }
  }

  function applyHead(collapsed) {
    document.body.classList.toggle("is-head-collapsed", collapsed);
    document.querySelectorAll("[data-map-head-toggle]").forEach(function (button) {
      button.hidden = false;
      button.setAttribute("aria-pressed", collapsed ? "true" : "false");
    });
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-map-head-toggle]");
    if (!button) return;
    const collapsed = button.getAttribute("aria-pressed") !== "true";
    try {
      window.localStorage.setItem(HEAD_KEY, collapsed ? "1" : "0");
    } catch (e) {
      // Private windows may refuse storage; the toggle still works for this page.
    }
    applyHead(collapsed);
  });

  // ---- A header's tools: out of the tab order, in a menu --------------------
  function tools(head) {
    return Array.from(head.querySelectorAll(TOOLS));
  }

  function tame(root) {
    if (!root.querySelectorAll) return;
    const heads = root.matches && root.matches(HEADS) ? [root] : Array.from(root.querySelectorAll(HEADS));
    heads.forEach(function (head) {
      tools(head).forEach(function (tool) { tool.setAttribute("tabindex", "-1"); });
      if (tools(head).length) head.setAttribute("aria-describedby", "head-keys");
    });
  }

  let menu = null; // { head, list }

  function closeMenu(refocus) {
    if (!menu) return;
    const head = menu.head;
    const list = menu.list;
    menu = null; // first: removing the list blurs its item (focusout, below)
    list.remove();
    head.classList.remove("has-menu");
    if (refocus && head.isConnected) head.focus({ preventScroll: true });
  }

  function openMenu(head) {
    closeMenu(false);
    const items = tools(head);
    if (!items.length) return false;
    const list = document.createElement("div");
    list.className = "head-menu";
    list.setAttribute("role", "menu");
    list.setAttribute("aria-label", (head.querySelector(".stage-title, .lane-title") || head).textContent.trim());
    items.forEach(function (tool) {
      const item = document.createElement("button");
      item.type = "button";
      item.className = "head-menu-item";
      item.setAttribute("role", "menuitem");
      item.setAttribute("tabindex", "-1");
      item.textContent = tool.getAttribute("aria-label") || tool.title || tool.textContent.trim();
      if (tool.dataset.move) item.dataset.menuMove = tool.dataset.move;
      item.addEventListener("click", function () {
        closeMenu(false);
        // Moves keep the focus on the header; the rest (edit, delete, insert)
        // bring a form that takes it.
        if (tool.dataset.move) focusAfterSwap(headKey(head));
        tool.click();
      });
      list.appendChild(item);
    });
    head.classList.add("has-menu");
    head.appendChild(list);
    menu = { head: head, list: list };
    list.firstChild.focus();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (!menu || !(event.target instanceof Element) || !menu.list.contains(event.target)) return;
    const items = Array.from(menu.list.children);
    const at = items.indexOf(event.target);
    let next = null;
    if (event.key === "ArrowDown") next = items[(at + 1) % items.length];
    else if (event.key === "ArrowUp") next = items[(at - 1 + items.length) % items.length];
    else if (event.key === "Home") next = items[0];
    else if (event.key === "End") next = items[items.length - 1];
    else if (event.key === "Escape" || event.key === "Tab" || event.key === "ArrowLeft" || event.key === "ArrowRight") {
      event.preventDefault();
      event.stopPropagation();
      closeMenu(true);
      return;
    } else return;
    event.preventDefault();
    event.stopPropagation();
    next.focus();
  }, true);

  document.addEventListener("focusout", function (event) {
    if (!menu || !menu.list.contains(event.target)) return;
    const to = event.relatedTarget;
    if (!(to instanceof Element) || !menu.list.contains(to)) closeMenu(false);
  });

  // After a swap, swaps.js gives the focus to the tool that was used (a move
  // button); the header it belongs to takes it, where the arrow keys work.
  document.addEventListener("journeymap:focus-restored", function (event) {
    const tool = event.target;
    if (!(tool instanceof Element) || !tool.matches(".head-tools *, .stage-insert *")) return;
    const head = tool.closest(HEADS);
    if (head) head.focus({ preventScroll: true });
  });

  // ---- Dragging stages and lanes ------------------------------------------
  function post(list, order) {
    window.htmx.ajax("POST", list.dataset.reorderUrl, {
      source: list,
      target: "#canvas",
      swap: "outerHTML",
      values: { order: order.join(",") },
    });
  }

  function initSortables(root) {
    if (!window.Sortable || !root.querySelectorAll) return;
    root.querySelectorAll("[data-stage-sortable]").forEach(function (row) {
      if (row.dataset.sortableReady) return;
      row.dataset.sortableReady = "1";
      window.Sortable.create(row, {
        handle: "[data-drag-handle]",
        draggable: "th[data-stage-id]",
        direction: "horizontal",
        animation: 150,
        ghostClass: "head-ghost",
        onEnd: function (event) {
          if (event.oldIndex === event.newIndex) return;
          focusAfterSwap(headKey(event.item));
          const ids = Array.from(row.querySelectorAll(":scope > th[data-stage-id]")).map(
            function (th) { return th.dataset.stageId; }
          );
          post(row, ids);
        },
      });
    });
    root.querySelectorAll("[data-lane-sortable]").forEach(function (body) {
      if (body.dataset.sortableReady) return;
      body.dataset.sortableReady = "1";
      window.Sortable.create(body, {
        handle: "[data-drag-handle]",
        draggable: "tr",
        direction: "vertical",
        animation: 150,
        ghostClass: "head-ghost",
        onEnd: function (event) {
          if (event.oldIndex === event.newIndex) return;
          const head = event.item.querySelector(":scope > th[data-lane-id]");
          if (head) focusAfterSwap(headKey(head));
          const ids = Array.from(body.querySelectorAll(":scope > tr > th[data-lane-id]")).map(
            function (th) { return th.dataset.laneId; }
          );
          post(body, ids);
        },
      });
    });
  }

  // ---- Keyboard on a focused header: Enter opens its menu, Alt+arrows move it --
  document.addEventListener("keydown", function (event) {
    if (!(event.target instanceof Element) || event.defaultPrevented) return;
    if (event.target.closest("input, textarea, select, .head-menu")) return;
    const head = event.target.closest(HEADS);
    if (!head) return;
    if (event.key === "Enter" && event.target === head && !event.altKey && !event.ctrlKey && !event.metaKey) {
      if (openMenu(head)) event.preventDefault();
      return;
    }
    if (!event.altKey) return;
    const directions = head.dataset.stageId
      ? { ArrowLeft: "left", ArrowRight: "right" }
      : { ArrowUp: "up", ArrowDown: "down" };
    const direction = directions[event.key];
    if (!direction) return;
    const button = head.querySelector('[data-move="' + direction + '"]');
    if (!button) return;
    event.preventDefault();
    // The focus stays on the header that moved (not on its "→" button).
    focusAfterSwap(headKey(head));
    button.click();
  });

  // ---- A header form that opens selects its title, so typing replaces it ----
  const selected = new WeakSet();
  document.addEventListener("htmx:afterSettle", function (event) {
    const field = document.activeElement;
    if (!field || !field.select || selected.has(field)) return;
    if (!field.matches(".head-form [autofocus], .lane-add [autofocus]")) return;
    // Only the swap that brought the form, not a later one around it.
    if (!(event.target instanceof Element) || !event.target.contains(field)) return;
    selected.add(field);
    field.select();
  });

  function init(root) {
    initSortables(root);
    tame(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector("[data-map-head-toggle]")) applyHead(storedCollapsed());
    init(document);
  });
  // A refreshed #map-head brings its toggle back as drawn.
  document.addEventListener("htmx:afterSettle", function () {
    const toggle = document.querySelector("[data-map-head-toggle][hidden]");
    if (toggle) applyHead(document.body.classList.contains("is-head-collapsed"));
  });
  document.addEventListener("htmx:load", function (event) {
    init(event.target);
  });
})();
