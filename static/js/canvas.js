// The journey canvas's frame: stages and lanes reorder by dragging their
// handle or with Alt+arrows on a focused header; the compact zoom level is
// remembered. Focus comes back to the header's control after the grid is
// swapped through swaps.js (the same control, or the header's [data-focus]).
// Card mechanics (inline edit, drag, 409s) are in cards.js, whose Enter/Escape
// handling the header edit forms reuse ([data-card-input], [data-card-cancel]).
//
// Markup contract (templates/maps/canvas/grid.html and maps/structure/*):
//   [data-stage-sortable data-reorder-url]  the stage header row; its
//       th[data-stage-id] children reorder; order=id,id,... is POSTed and the
//       answer replaces #canvas;
//   [data-lane-sortable data-reorder-url]   the tbody; rows whose
//       th[data-lane-id] reorder the same way;
//   [data-move="left|right|up|down"]        buttons inside a header;
//   [data-canvas-zoom] + [data-canvas-frame] the compact toggle and what it marks.
"use strict";

(function () {
  const ZOOM_KEY = "journeymap.canvas.compact";
  const HEADS = "th[data-stage-id], th[data-lane-id]";

  function focusAfterSwap(selector) {
    if (window.Journeymap) window.Journeymap.swaps.focusAfterSwap(selector);
  }

  function headKey(head) {
    return head.dataset.stageId
      ? '[data-stage-id="' + CSS.escape(head.dataset.stageId) + '"]'
      : '[data-lane-id="' + CSS.escape(head.dataset.laneId) + '"]';
  }

  // ---- Zoom ---------------------------------------------------------------
  function storedCompact() {
    try {
      return window.localStorage.getItem(ZOOM_KEY) === "1";
    } catch (e) {
      return false;
    }
  }

  function applyZoom(compact) {
    document.querySelectorAll("[data-canvas-frame]").forEach(function (frame) {
      frame.classList.toggle("is-compact", compact);
    });
    document.querySelectorAll("[data-canvas-zoom]").forEach(function (button) {
      button.hidden = false;
      button.setAttribute("aria-pressed", compact ? "true" : "false");
    });
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-canvas-zoom]");
    if (!button) return;
    const compact = button.getAttribute("aria-pressed") !== "true";
    try {
      window.localStorage.setItem(ZOOM_KEY, compact ? "1" : "0");
    } catch (e) {
      // Private windows may refuse storage; the toggle still works for this page.
    }
    applyZoom(compact);
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

  // ---- Keyboard: Alt+arrows on a focused header ------------------------------
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || !(event.target instanceof Element)) return;
    if (event.target.closest("input, textarea, select")) return;
    const head = event.target.closest(HEADS);
    if (!head) return;
    const directions = head.dataset.stageId
      ? { ArrowLeft: "left", ArrowRight: "right" }
      : { ArrowUp: "up", ArrowDown: "down" };
    const direction = directions[event.key];
    if (!direction) return;
    const button = head.querySelector('[data-move="' + direction + '"]');
    if (!button) return;
    event.preventDefault();
    button.click(); // swaps.js gives the focus to this button after the swap
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
  }

  document.addEventListener("DOMContentLoaded", function () {
    applyZoom(storedCompact());
    init(document);
  });
  document.addEventListener("htmx:load", function (event) {
    init(event.target);
  });
})();
