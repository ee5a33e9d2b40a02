// The PDF options form (templates/maps/download.html): fetch the file so the
// page can say that it is being made (a large map takes a few seconds) and
// what went wrong, then hand it to the browser as a download. Without
// JavaScript the form simply opens the PDF URL.
(function () {
  "use strict";

  function filename(response) {
    const header = response.headers.get("Content-Disposition") || "";
    const match = header.match(/filename="?([^";]+)"?/);
    return match ? match[1] : "journeymap.pdf";
  }

  document.addEventListener("submit", async function (event) {
    const form = event.target.closest("[data-pdf-form]");
    if (!form) return;
    event.preventDefault();
    const status = form.querySelector("[data-pdf-status]");
    const button = form.querySelector("button[type=submit]");
    const url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    status.classList.remove("is-error");
    status.textContent = form.dataset.busy;
    try {
      const response = await fetch(url, { headers: { "X-Download": "fetch" } });
      if (response.status === 422) {
        window.location.assign(url); // the page with the options' errors
        return;
      }
      if (!response.ok) {
        status.classList.add("is-error");
        status.textContent = response.status === 503 ? await response.text() : form.dataset.failed;
        return;
      }
      const name = filename(response);
      const link = document.createElement("a");
      link.href = URL.createObjectURL(await response.blob());
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
      status.textContent = form.dataset.done + " " + name;
    } catch (error) {
      status.classList.add("is-error");
      status.textContent = form.dataset.failed;
    } finally {
      button.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });
})();
