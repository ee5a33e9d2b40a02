// Research pages: fields that only matter for one choice, and question starters.
"use strict";

(function () {
  // <div data-show-if="kind=custom"> shows only while the form's field `kind`
  // has the value `custom` (an own criterion, an own DMU role, study kind).
  function wireShowIf(root) {
    root.querySelectorAll("[data-show-if]").forEach(function (box) {
      if (box.dataset.showIfReady) return;
      box.dataset.showIfReady = "1";
      const [name, value] = box.dataset.showIf.split("=");
      const form = box.closest("form");
      const field = form && form.elements.namedItem(name);
      if (!field) return;
      const update = function () {
        box.hidden = field.value !== value;
      };
      field.addEventListener("change", update);
      update();
    });
  }

  // Question starters: picking one writes the question with the topic filled in;
  // typing a topic updates it, until the writer edits the question by hand.
  function wireStarters(root) {
    root.querySelectorAll("form[data-question-form]").forEach(function (form) {
      if (form.dataset.startersReady) return;
      form.dataset.startersReady = "1";
      const text = form.elements.namedItem("text");
      const topic = form.elements.namedItem("topic");
      let generated = text.value;
      const fill = function () {
        const chosen = form.querySelector("input[name=starter]:checked");
        if (!chosen || !chosen.dataset.starter) return;
        if (text.value && text.value !== generated) return;
        const subject = topic.value.trim() || "X";
        generated = chosen.dataset.starter.replace("%(topic)s", subject);
        text.value = generated;
      };
      form.querySelectorAll("input[name=starter]").forEach(function (radio) {
        radio.addEventListener("change", function () {
          if (!radio.dataset.starter) return;
          generated = text.value; // picking a starter may replace the text
          fill();
        });
      });
      topic.addEventListener("input", fill);
    });
  }

  // The finding picker: typing narrows the list; Enter does not submit.
  // Delegated, so a picker swapped in by htmx works from its first keystroke.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-picker-filter]")) {
      event.preventDefault();
    }
  });
  document.addEventListener("input", function (event) {
    const input = event.target;
    if (!input.matches("[data-picker-filter]")) return;
    const query = input.value.trim().toLowerCase();
    input.form.querySelectorAll(".picker-group").forEach(function (group) {
      let shown = 0;
      group.querySelectorAll("li").forEach(function (item) {
        const match = !query || item.textContent.toLowerCase().includes(query);
        item.hidden = !match;
        if (match) shown += 1;
      });
      group.hidden = shown === 0;
    });
  });

  function wire(root) {
    wireShowIf(root);
    wireStarters(root);
  }
  document.addEventListener("DOMContentLoaded", function () {
    wire(document);
  });
  document.addEventListener("htmx:load", function (event) {
    wire(event.target);
  });
})();
