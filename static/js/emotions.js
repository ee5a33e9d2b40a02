// The emotion lane: one key press sets a feeling. On a focused emotion cell
// (or anything inside it) 1-5 press the face from very negative to very
// positive, 0 or Delete presses "clear"; ←/→, Home and End move between the
// faces of one persona; Enter on the cell goes to the faces, Escape back to
// the cell, where the canvas's arrow keys (canvas-cards.js) take over. The faces are ordinary submit buttons (htmx posts them,
// a browser without script posts the form), so this file only adds keys and
// puts the focus back after the lane is swapped. No inline handlers (CSP).
"use strict";

(function () {
  let refocus = null;

  function typing(el) {
    return el.closest("input, textarea, select, [contenteditable]") !== null;
  }

  // The persona row a key press is about: the one holding focus, else the
  // cell's first (a cell focused by the canvas's arrow keys).
  function emotionFor(target) {
    const own = target.closest("[data-emotion]");
    if (own) return own;
    const cell = target.closest("[data-emotion-cell]");
    return cell ? cell.querySelector("[data-emotion]") : null;
  }

  function status(text) {
    let region = document.querySelector("[data-emotion-status]");
    if (!region) {
      region = document.createElement("p");
      region.className = "visually-hidden";
      region.setAttribute("aria-live", "polite");
      region.setAttribute("data-emotion-status", "");
      document.body.appendChild(region);
    }
    region.textContent = text;
  }

  // Capture phase: the faces' own keys win over the canvas's cell navigation.
  document.addEventListener(
    "keydown",
    function (event) {
      const target = event.target;
      if (!(target instanceof Element) || typing(target)) return;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const emotion = emotionFor(target);
      if (!emotion) return;
      const faces = Array.from(emotion.querySelectorAll("button[data-score]"));
      if (!faces.length) return; // read-only

      // Enter on the cell goes into its first persona's faces; Escape comes back.
      const cell = target.closest("[data-emotion-cell]");
      if (event.key === "Enter" && target === cell) {
        const face = emotion.querySelector('button[data-score][tabindex="0"]') || faces[0];
        event.preventDefault();
        event.stopPropagation();
        face.focus();
        return;
      }
      if (event.key === "Escape" && cell && target !== cell && target.closest("[data-emotion-scale]")) {
        event.preventDefault();
        event.stopPropagation();
        cell.focus();
        return;
      }

      let press = null;
      if (/^[1-5]$/.test(event.key)) {
        press = faces[Number(event.key) - 1];
      } else if (event.key === "0" || event.key === "Delete") {
        press = emotion.querySelector("[data-score-clear]");
        if (!press) {
          event.preventDefault();
          return;
        }
      }
      if (press) {
        event.preventDefault();
        event.stopPropagation();
        press.click();
        return;
      }

      const at = faces.indexOf(target);
      if (at < 0) return;
      let next = null;
      if (event.key === "ArrowRight") next = faces[Math.min(faces.length - 1, at + 1)];
      if (event.key === "ArrowLeft") next = faces[Math.max(0, at - 1)];
      if (event.key === "Home") next = faces[0];
      if (event.key === "End") next = faces[faces.length - 1];
      if (next) {
        event.preventDefault();
        event.stopPropagation();
        faces.forEach(function (face) {
          face.setAttribute("tabindex", face === next ? "0" : "-1");
        });
        next.focus();
      }
    },
    true
  );

  document.addEventListener("htmx:beforeRequest", function (event) {
    const elt = event.detail.elt;
    const emotion = elt.closest && elt.closest("[data-emotion]");
    const cell = elt.closest && elt.closest("[data-emotion-cell]");
    if (!emotion || !cell) return;
    refocus = {
      stage: cell.dataset.stageId,
      persona: emotion.dataset.persona,
      note: elt.closest(".emotion-note") !== null,
    };
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!refocus) return;
    const wanted = refocus;
    refocus = null;
    const cell = document.querySelector(
      '[data-emotion-cell][data-stage-id="' + CSS.escape(wanted.stage) + '"]'
    );
    if (!cell) return;
    const emotion = cell.querySelector(
      '[data-emotion][data-persona="' + CSS.escape(wanted.persona || "") + '"]'
    );
    if (!emotion) return;
    if (emotion.querySelector("[autofocus]")) return; // the note editor has focus
    // Someone else saved the note first: their text and yours are shown; start there.
    const conflict = emotion.querySelector("[data-card-conflict]");
    if (conflict) {
      const first = conflict.querySelector("a, button");
      if (first) first.focus();
      return;
    }
    let into = null;
    if (wanted.note) into = emotion.querySelector(".emotion-note-edit");
    if (!into) {
      into =
        emotion.querySelector('button[data-score][aria-pressed="true"]') ||
        emotion.querySelector('button[data-score][tabindex="0"]') ||
        emotion.querySelector("button[data-score]");
      const pressed = emotion.querySelector('button[data-score][aria-pressed="true"]');
      if (!wanted.note) {
        status(pressed ? pressed.getAttribute("aria-label") : emotion.dataset.cleared || "");
      }
    }
    if (into) into.focus();
  });
})();
