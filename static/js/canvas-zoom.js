// The canvas's zoom (templates/maps/map_detail.html, .canvas-zoom): "Fit whole
// map", "Fit width" or a fixed factor, remembered per browser. The factor is
// --zoom on [data-canvas-frame], which the grid scales by (CSS zoom on .canvas,
// static/css/maps.css): columns, cards, type and the emotion curve together.
// The frame is never swapped, so a new #canvas (swaps.js, live.js) keeps the
// zoom; the fit levels are worked out again after every swap inside the frame
// and whenever the frame changes size (window resized, header collapsed).
//
// Markup contract:
//   [data-canvas-zoom]                the control, hidden until this runs;
//   select[data-zoom-level]           its levels: "fit-map", "fit-width", and
//                                     factors ("0.75", "1", ...), the steps of
//                                     Ctrl/⌘ + and − (Ctrl/⌘ 0 is 100%);
//   [data-zoom-step="1|-1"]           buttons stepping through those factors;
//   [data-zoom-shown]                 says the factor a fit level came to;
//   [data-zoom-note]                  shown when a fit would go below FLOOR.
"use strict";

(function () {
  const KEY = "journeymap.canvas.zoom";
  const OLD_KEY = "journeymap.canvas.compact"; // the former "Compact" toggle
  const DEFAULT = "fit-width";
  const FLOOR = 0.6; // smaller, and a card's text is no longer readable
  const CEILING = 1.5; // a fit does not blow a small map up beyond this
  let level = DEFAULT;
  let shown = 1;
  let pending = false;

  function frame() {
    return document.querySelector("[data-canvas-frame]");
  }

  function select() {
    return document.querySelector("[data-zoom-level]");
  }

  function isLevel(value) {
    const choice = select();
    return !!choice && Array.from(choice.options).some(function (o) { return o.value === value; });
  }

  function factors() {
    const choice = select();
    if (!choice) return [1];
    return Array.from(choice.options)
      .map(function (o) { return parseFloat(o.value); })
      .filter(function (n) { return !isNaN(n); })
      .sort(function (a, b) { return a - b; });
  }

  function stored() {
    try {
      const value = window.localStorage.getItem(KEY);
      if (value && isLevel(value)) return value;
      if (window.localStorage.getItem(OLD_KEY) === "1") return "0.75";
    } catch (e) {
      // Storage refused (a private window): the default.
    }
    return DEFAULT;
  }

  function store(value) {
    try {
      window.localStorage.setItem(KEY, value);
    } catch (e) {
      // The level still holds for this page.
    }
  }

  // What the grid measures at 100%, from what it measures now.
  function natural(box, current) {
    const table = box.querySelector("table.canvas");
    if (!table) return null;
    const rect = table.getBoundingClientRect();
    if (!rect.width) return null;
    return { width: rect.width / current, height: rect.height / current };
  }

  function current(box) {
    const value = parseFloat(box.style.getPropertyValue("--zoom"));
    return value > 0 ? value : 1;
  }

  // The factors at which the grid is as wide, and as tall, as its scroller.
  function fits(box) {
    const scroller = box.querySelector("[data-canvas]");
    const size = natural(box, current(box));
    if (!scroller || !size || !scroller.clientWidth) return null;
    // A pixel or two to spare: rounding must not bring a scroll bar back.
    return {
      width: (scroller.clientWidth - 2) / size.width,
      height: (scroller.clientHeight - 2) / size.height,
    };
  }

  function apply() {
    pending = false;
    const box = frame();
    if (!box) return;
    let factor = parseFloat(level);
    let tooWide = false;
    if (isNaN(factor)) {
      const fit = fits(box);
      if (fit === null) return;
      // Only the width is promised: a tall map at "fit whole map" scrolls down.
      tooWide = fit.width < FLOOR;
      factor = level === "fit-map" ? Math.min(fit.width, fit.height) : fit.width;
      factor = Math.min(CEILING, Math.max(FLOOR, factor));
      factor = Math.floor(factor * 1000) / 1000;
    }
    if (Math.abs(current(box) - factor) > 0.0005) box.style.setProperty("--zoom", String(factor));
    shown = factor;
    render(tooWide);
  }

  function render(tooWide) {
    const control = document.querySelector("[data-canvas-zoom]");
    if (!control) return;
    control.hidden = false;
    const choice = select();
    if (choice && choice.value !== level) choice.value = level;
    const out = control.querySelector("[data-zoom-shown]");
    if (out) out.textContent = Math.round(shown * 100) + "%";
    const note = control.querySelector("[data-zoom-note]");
    if (note) note.hidden = !tooWide;
    const steps = factors();
    control.querySelectorAll("[data-zoom-step]").forEach(function (button) {
      const up = button.dataset.zoomStep === "1";
      button.disabled = up ? shown >= steps[steps.length - 1] - 0.001 : shown <= steps[0] + 0.001;
    });
  }

  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(apply);
  }

  function setLevel(value) {
    if (!isLevel(value)) return;
    level = value;
    store(value);
    apply();
  }

  function step(direction) {
    const steps = factors();
    let next = null;
    if (direction > 0) next = steps.find(function (f) { return f > shown + 0.001; });
    else next = steps.slice().reverse().find(function (f) { return f < shown - 0.001; });
    if (next !== undefined && next !== null) setLevel(String(next));
  }

  document.addEventListener("change", function (event) {
    if (event.target instanceof Element && event.target.matches("[data-zoom-level]")) {
      setLevel(event.target.value);
    }
  });

  document.addEventListener("click", function (event) {
    const button = event.target instanceof Element && event.target.closest("[data-zoom-step]");
    if (button) step(button.dataset.zoomStep === "1" ? 1 : -1);
  });

  // Ctrl/⌘ + and − zoom the canvas instead of the page, wherever the focus is.
  document.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || !frame()) return;
    const key = event.key;
    let direction = 0;
    if (key === "+" || key === "=" || event.code === "NumpadAdd") direction = 1;
    else if (key === "-" || key === "_" || event.code === "NumpadSubtract") direction = -1;
    else if (key === "0" || event.code === "Numpad0") direction = null;
    else return;
    event.preventDefault();
    if (direction === null) setLevel("1");
    else step(direction);
  });

  // A new grid (more stages, a live update) or a new size: fit again.
  document.addEventListener("htmx:afterSettle", function (event) {
    const box = frame();
    if (box && event.target instanceof Node && box.contains(event.target) && isNaN(parseFloat(level))) {
      schedule();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    const box = frame();
    if (!box) return;
    level = stored();
    apply();
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        if (isNaN(parseFloat(level))) schedule();
      }).observe(box);
    } else {
      window.addEventListener("resize", schedule);
    }
  });
})();
