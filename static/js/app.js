// Small behaviours for every page. No inline handlers: our CSP forbids them.
"use strict";

(function () {
  // Menus built from <details>: close on Escape and when clicking elsewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });

  // A <select data-autosubmit> saves as soon as it changes; its Save button is
  // only needed without JavaScript.
  function wireAutosubmit(root) {
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      if (select.dataset.wired) return;
      select.dataset.wired = "1";
      const form = select.form;
      form.querySelectorAll("[data-autosubmit-button]").forEach(function (b) {
        b.hidden = true;
      });
      select.addEventListener("change", function () {
        form.requestSubmit();
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    wireAutosubmit(document);
  });
  document.addEventListener("htmx:load", function (event) {
    wireAutosubmit(event.target);
  });
})();
