// The history panel over the canvas: the History button (data-history-open)
// loads it with htmx and toggles it; Close and Escape shut it; focus moves into
// the panel when it opens and back to the button when it closes. Its Undo,
// Restore and checkpoint forms answer with the panel itself (maps.history).
"use strict";
(() => {
  let opener = null;
  let focusOnOpen = false;
  const panel = () => document.querySelector("#history-panel.is-overlay");

  function close() {
    const open = panel();
    if (!open) return;
    open.remove();
    const button = opener || document.querySelector("[data-history-open]");
    if (button) {
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  }

  // Capture phase: runs before htmx's own click handler on the button.
  document.addEventListener(
    "click",
    (event) => {
      const button = event.target.closest("[data-history-open]");
      if (button) {
        opener = button;
        if (panel()) {
          event.preventDefault();
          event.stopPropagation();
          close();
        } else {
          focusOnOpen = true;
        }
        return;
      }
      if (event.target.closest("#history-panel.is-overlay [data-history-close]")) {
        event.preventDefault();
        close();
      }
    },
    true,
  );

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    const open = panel();
    if (!open) return;
    // Outside the panel, Escape in a field belongs to that field (card editors).
    if (!open.contains(event.target) && event.target.closest("input, textarea, select, [contenteditable]")) return;
    event.preventDefault();
    close();
  });

  // Live: someone changed the map while the panel is open; its rows come in
  // (with the panel's filter as it stands).
  // A change the panel already shows (its own Undo, Restore or checkpoint,
  // answered with the panel at that revision) needs no refetch, which would
  // also wipe the line that says what was done.
  document.addEventListener("journeymap:live-change", (event) => {
    const open = panel();
    const swaps = window.Journeymap && window.Journeymap.swaps;
    if (!open || !swaps) return;
    const rev = event.detail && event.detail.rev;
    if (typeof rev === "number" && Number(open.dataset.revision) >= rev) return;
    const form = open.querySelector("form.history-filter");
    if (!form) return;
    const query = new URLSearchParams(new FormData(form)).toString();
    swaps.refresh(open, { url: form.getAttribute("hx-get") + (query ? "?" + query : "") });
  });

  document.addEventListener("htmx:afterSettle", () => {
    const open = panel();
    if (!open || !focusOnOpen) return;
    focusOnOpen = false;
    if (opener) {
      opener.setAttribute("aria-expanded", "true");
      opener.setAttribute("aria-controls", "history-panel");
    }
    const heading = open.querySelector("#history-title");
    if (heading) heading.focus();
  });
})();
