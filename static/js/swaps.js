// One layer for every htmx swap on every page (templates/base.html loads it
// before the per-concern scripts). It keeps what the user is doing safe from
// fragments that arrive meanwhile, and puts the focus back after a swap.
//
// 1. Never replace what the user is editing.
//    Before a swap (htmx:beforeSwap for the main target, htmx:oobBeforeSwap
//    for each out-of-band element; listened to on window, so after every
//    document listener) the target is "busy" when it holds
//      - the focused element, if that is a form field or contenteditable, or
//        any control of a form with fields (Save, Cancel of an edit form);
//      - a form the user has changed (marked [data-dirty] on `input`; it stops
//        counting once its fields are back to their defaults; forms that save
//        on change, like a status select, never count);
//      - an element marked [data-editing] (this file marks the answer to the
//        user's own 409: a conflict waits for the user's choice), or a form
//        that came back with a 422 and still holds text.
//    A busy target is not replaced by someone else's fragment: the main swap
//    becomes "none" (its out-of-band parts still go in), an out-of-band one
//    is skipped. The target gets [data-stale] and a short hint (and a polite
//    status message), and is fetched again once it is no longer busy (the
//    form was saved, cancelled or closed; focus left it): from the URL of the
//    refresh that was held back, its data-refresh-url, its own hx-get (with
//    hx-swap="outerHTML"), else the current page with `select` on its id;
//    without an id, the held-back HTML is applied.
//    The user's own answers always swap: for the main target, a request the
//    user triggered (click, submit, change, keys: saving a card answers with
//    the card, or a 409/422 fragment; a filter answers with the list) or one
//    a script made from inside the target (a drop); for an out-of-band part,
//    a request made from inside it (requestConfig.elt). refresh() requests
//    and requests without a source element are never the user's own.
//    htmx leaves 4xx answers unswapped; 409 (conflict) and 422 (invalid
//    input) answers here are fragments to show, so they swap.
//
// 2. Focus after a swap, one way for the whole app (after settle, without
//    scrolling). If the focused element was replaced, or nothing had focus
//    and the control that made the request was, focus goes to, in turn:
//    the new [autofocus] (htmx does that itself); a [data-focus-after-swap]
//    in the new fragment (its value may name a selector); the element with
//    the same id (htmx does that too), except that the control the user
//    pressed wins (Alt+arrow clicks a move button without focusing it); else
//    the innermost replaced ancestor with an id that is back: its control like
//    the one that had focus (same data-move, data-focus or name), else its
//    own [data-focus], else itself; else a focusable ancestor (a cell).
//    A per-concern script that focuses something in its own afterSettle
//    listener (emotions.js, history.js) is left alone.
//    A swap the user did not ask for never moves the focus away from where it
//    is (a fragment's [autofocus] would). Scroll offsets of replaced elements
//    with an id (the canvas) are kept; such a swap keeps the page's scroll too.
//    The newly focused element gets a `journeymap:focus-restored` event.
//
// 3. API, for the live-update code and the per-concern scripts:
//    Journeymap.swaps.refresh(elementOrSelector, {url, select, hint, force})
//        -> Promise: fetch the fragment again (GET, swapped outerHTML) through
//        the guard; without a url: data-refresh-url, own hx-get, else this
//        page + select. `hint`: the element a busy target shows instead of
//        the default line; `force`: the user asked for it, swap even if busy.
//    Journeymap.swaps.isBusy(elementOrSelector) -> boolean
//    Journeymap.swaps.focusAfterSwap(elementOrSelector)
//        focus this once the next swap has settled (after a drag, where no
//        element had focus), unless an [autofocus] field took it.
//
// Live updates (live.js) go through refresh(): htmx's SSE extension's
// `sse-swap` swaps without htmx:beforeSwap, so it could not be guarded.
// Fragment roots carry data-fragment, named as maps.activity.fragments_of
// names the parts a change touches ("card:<id>", "cell:<lane>:<stage>",
// "stage:<id>", "lane:<id>", "emotions", "evidence", "action:<id>",
// "actions:<stage>", "grid", "map"), and data-refresh-url, the GET view that
// renders just that fragment. "grid", "map" and "actions:" (actions without
// a stage) have no such view: without a URL the whole page is fetched to take
// the element with the root's id from it.
// No inline handlers or eval: the CSP forbids them.
"use strict";

(function () {
  const STRINGS = {
    en: { stale: "Updated by someone else — will refresh when you finish." },
    nl: { stale: "Bijgewerkt door iemand anders — wordt ververst zodra je klaar bent." },
  };
  const TEXT_FIELDS = "textarea, input:not([type]), input[type=text], input[type=search], " +
    "input[type=email], input[type=url], input[type=tel], input[type=number]";
  const FIELDS = "textarea, select, [contenteditable]:not([contenteditable=false]), " +
    "input:not([type=hidden]):not([type=button]):not([type=submit]):not([type=reset]):not([type=image])";
  // Unknown styles (an extension's morph) count as replacing.
  const NOT_REPLACING = ["none", "beforebegin", "afterbegin", "beforeend", "afterend"];

  const stale = new Map(); // element -> what to fetch or apply once it is free
  const refreshes = new WeakMap(); // source element of a refresh() -> its options
  const ownAnswers = new WeakSet(); // the xhr of each swap that was the user's own
  let current = null; // the response being swapped, for its out-of-band parts
  let memo = null; // where the focus was, for after the swap
  let scrolls = null; // scroll offsets of the elements being replaced
  let wanted = null; // focusAfterSwap()
  let checkTimer = null;

  function t(key) {
    const lang = (document.documentElement.lang || "en").slice(0, 2).toLowerCase();
    return (STRINGS[lang] || STRINGS.en)[key];
  }

  function resolve(target) {
    if (!target) return null;
    if (typeof target === "string") return document.querySelector(target);
    if (target instanceof Element) {
      if (target.isConnected || !target.id) return target;
      return document.getElementById(target.id);
    }
    return null;
  }

  // ---- Busy ---------------------------------------------------------------
  function isField(el) {
    return el instanceof Element && (el.isContentEditable || el.matches(FIELDS));
  }

  // A form that saves as soon as it changes (a status select) is no session.
  function isInstant(form) {
    return (
      form.querySelector("[data-autosubmit]") !== null ||
      /\bchange\b/.test(form.getAttribute("hx-trigger") || "")
    );
  }

  function changed(form) {
    return Array.from(form.elements).some(function (field) {
      if (field.type === "checkbox" || field.type === "radio") {
        return field.checked !== field.defaultChecked;
      }
      if (field.tagName === "SELECT") {
        const options = Array.from(field.options);
        if (field.multiple) {
          return options.some(function (o) { return o.selected !== o.defaultSelected; });
        }
        const initial = options.findIndex(function (o) { return o.defaultSelected; });
        return field.selectedIndex !== Math.max(initial, 0);
      }
      if (field.tagName === "TEXTAREA" || field.tagName === "INPUT") {
        return field.type !== "hidden" && field.value !== field.defaultValue;
      }
      return false;
    });
  }

  function stillDirty(host) {
    if (host.tagName !== "FORM") return true; // contenteditable: no defaults to compare
    if (host.dataset.dirty === "kept") {
      return Array.from(host.querySelectorAll(TEXT_FIELDS)).some(function (field) {
        return field.value.trim() !== "";
      });
    }
    if (changed(host)) return true;
    delete host.dataset.dirty; // typed and undone: nothing to lose
    return false;
  }

  function editingInside(el) {
    const active = document.activeElement;
    if (!active || active === document.body || !el.contains(active)) return false;
    if (isField(active)) return true;
    const form = active.closest("form");
    return !!(form && el.contains(form) && !isInstant(form) && form.querySelector(FIELDS));
  }

  function isBusy(target) {
    const el = resolve(target);
    if (!el || !el.isConnected) return false;
    if (editingInside(el)) return true;
    if (el.matches("[data-editing]") || el.querySelector("[data-editing]")) return true;
    const dirty = Array.from(el.querySelectorAll("[data-dirty]"));
    if (el.matches("[data-dirty]")) dirty.push(el);
    return dirty.filter(stillDirty).length > 0;
  }

  document.addEventListener(
    "input",
    function (event) {
      const field = event.target;
      if (!(field instanceof Element)) return;
      const host =
        field.form || field.closest("form") || field.closest("[contenteditable]:not([contenteditable=false])");
      if (!host || (host.tagName === "FORM" && isInstant(host))) return;
      if (host.dataset.dirty !== "kept") host.dataset.dirty = "input";
    },
    true
  );

  // ---- Stale --------------------------------------------------------------
  function statusRegion() {
    let region = document.querySelector("[data-swaps-status]");
    if (!region) {
      region = document.createElement("p");
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("data-swaps-status", "");
      document.body.appendChild(region);
    }
    return region;
  }

  // Rows and lists cannot hold a <span>; a row shows it in its first cell.
  function hintHost(el) {
    if (el.tagName === "TR") return el.querySelector(":scope > th, :scope > td");
    if (/^(TABLE|THEAD|TBODY|TFOOT|OL|UL|DL|SELECT)$/.test(el.tagName)) return null;
    return el;
  }

  // `given`: the caller's own hint (live.js: who changed it, "Load their
  // version"); the newest replaces an older one.
  function markStale(el, pending, given) {
    const known = stale.get(el);
    if (known) {
      // The newest news wins, but a URL to fetch beats HTML that will be old.
      stale.set(el, pending.url || !known.url ? pending : known);
    } else {
      stale.set(el, pending);
      el.setAttribute("data-stale", "");
    }
    const host = hintHost(el);
    const old = host && host.querySelector(":scope > [data-stale-hint]");
    if (host && (given || !old)) {
      if (old) old.remove();
      let hint = given;
      if (!hint) {
        hint = document.createElement("span");
        hint.className = "stale-hint";
        hint.textContent = t("stale");
      }
      hint.setAttribute("data-stale-hint", "");
      host.prepend(hint);
    }
    statusRegion().textContent = given ? given.textContent : t("stale");
  }

  function clearStale(el) {
    el.removeAttribute("data-stale");
    const host = hintHost(el);
    const hint = host && host.querySelector(":scope > [data-stale-hint]");
    if (hint) hint.remove();
  }

  function ownRefreshUrl(el) {
    if (el.dataset.refreshUrl) return el.dataset.refreshUrl;
    const get = el.getAttribute("hx-get");
    const swap = el.getAttribute("hx-swap") || "";
    const target = el.getAttribute("hx-target");
    if (get && /^outerHTML\b/.test(swap) && (!target || target === "this")) return get;
    return null;
  }

  function applyPending(el, pending) {
    if (pending.url || ownRefreshUrl(el) || el.id) {
      refresh(el, pending.url ? { url: pending.url, select: pending.select } : null);
    } else if (pending.html != null && window.htmx) {
      window.htmx.swap(el, pending.html, { swapStyle: pending.style || "outerHTML" }, { select: pending.select });
    }
  }

  function checkStale() {
    stale.forEach(function (pending, el) {
      if (!el.isConnected) {
        stale.delete(el); // replaced meanwhile, by something newer
        return;
      }
      if (isBusy(el)) return;
      stale.delete(el);
      clearStale(el);
      applyPending(el, pending);
    });
  }

  function checkSoon() {
    if (checkTimer || !stale.size) return;
    checkTimer = window.setTimeout(function () {
      checkTimer = null;
      checkStale();
    }, 0);
  }
  ["focusin", "focusout", "reset", "submit"].forEach(function (name) {
    document.addEventListener(name, checkSoon, true);
  });

  // ---- Refresh ------------------------------------------------------------
  function refresh(target, options) {
    const el = resolve(target);
    if (!el || !el.isConnected || !window.htmx) return Promise.resolve();
    options = options || {};
    let url = options.url || ownRefreshUrl(el);
    let select = options.url ? options.select || null : null;
    if (!url) {
      if (!el.id) return Promise.resolve();
      url = window.location.pathname + window.location.search;
      select = "#" + CSS.escape(el.id);
    }
    // A source of its own: requests from one element queue behind each other
    // (and htmx keeps only the last queued), and nothing is inherited but the
    // body's hx-headers (the CSRF token).
    const source = document.createElement("span");
    source.hidden = true;
    document.body.appendChild(source);
    refreshes.set(source, {
      url: url,
      select: select,
      element: el,
      hint: options.hint || null,
      force: !!options.force,
    });
    const done = function () {
      source.remove();
    };
    return window.htmx
      .ajax("GET", url, {
        source: source,
        target: el,
        swap: select ? "outerHTML ignoreTitle:true" : "outerHTML",
        select: select || undefined,
      })
      .then(done, function (error) {
        done();
        throw error;
      });
  }

  // ---- The guard ----------------------------------------------------------
  function swapStyle(detail, source) {
    let spec = detail.swapOverride;
    if (!spec && source instanceof Element) {
      const holder = source.closest("[hx-swap], [data-hx-swap]");
      if (holder) spec = holder.getAttribute("hx-swap") || holder.getAttribute("data-hx-swap");
    }
    spec = spec || (window.htmx && window.htmx.config.defaultSwapStyle) || "innerHTML";
    const words = spec.trim().split(/\s+/);
    return words.find(function (w) { return w.indexOf(":") < 0; }) || "innerHTML";
  }

  function replaces(style) {
    return NOT_REPLACING.indexOf(style) < 0;
  }

  // Events a person makes; a request they trigger is theirs. (Custom events
  // such as evidence-changed, SSE messages and polling are not.)
  const USER_EVENTS = ["click", "dblclick", "submit", "change", "input", "keydown", "keyup", "search"];

  // The user's own request: for its main target, one they triggered (or one a
  // script made from inside the target, like a drop); for an out-of-band part,
  // one made from inside that part.
  function isOwn(target, ctx, main) {
    if (!ctx || ctx.refresh) return false;
    const source = ctx.elt;
    if (!(source instanceof Element) || source === document.body || source === document.documentElement) {
      return false;
    }
    if (target === source || target.contains(source)) return true;
    const event = ctx.config && ctx.config.triggeringEvent;
    return !!(main && event && USER_EVENTS.indexOf(event.type) >= 0);
  }

  // The status codes htmx leaves unswapped but that carry a fragment to show.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const status = event.detail.xhr && event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // On window: runs after every document listener has had its say.
  window.addEventListener("htmx:beforeSwap", function (event) {
    const detail = event.detail;
    const config = detail.requestConfig || {};
    const source = config.elt;
    const ctx = { elt: source, config: config, refresh: source ? refreshes.get(source) : null, xhr: detail.xhr };
    current = ctx;
    queueMicrotask(function () {
      if (current === ctx) current = null;
    });
    const target = detail.target;
    if (!detail.shouldSwap || !(target instanceof Element)) return;
    const style = swapStyle(detail, source);
    if (!replaces(style)) return;
    if (ctx.refresh && ctx.refresh.select && !hasSelected(detail.serverResponse, ctx.refresh.select)) {
      detail.shouldSwap = false; // the page no longer has it: leave it be
      return;
    }
    // force: the user asked for this fragment ("Load their version").
    const own = (ctx.refresh && ctx.refresh.force) || isOwn(target, ctx, true);
    if (!own && isBusy(target)) {
      detail.swapOverride = "none"; // out-of-band parts still go in
      const pending = { html: detail.serverResponse, style: style, select: detail.selectOverride || null };
      if (ctx.refresh) {
        pending.url = ctx.refresh.url;
        pending.select = ctx.refresh.select;
      } else if (config.verb === "get" && style === "outerHTML") {
        pending.url = config.path;
      }
      markStale(target, pending, ctx.refresh && ctx.refresh.hint);
      return;
    }
    if (own && detail.xhr) ownAnswers.add(detail.xhr);
    remember(target, style, !own, ctx);
  });

  function hasSelected(html, selector) {
    try {
      return new DOMParser().parseFromString(html || "", "text/html").querySelector(selector) !== null;
    } catch (e) {
      return false;
    }
  }

  window.addEventListener("htmx:oobBeforeSwap", function (event) {
    const detail = event.detail;
    const target = detail.target;
    if (!detail.shouldSwap || !(target instanceof Element)) return;
    // htmx hands over the element itself (outerHTML) in a fragment, and only
    // its children for the other styles; those are taken to replace too.
    const outer = detail.fragment instanceof DocumentFragment;
    const own = isOwn(target, current, false);
    if (!own && isBusy(target)) {
      detail.shouldSwap = false;
      let html = null;
      if (outer) {
        html = Array.from(detail.fragment.childNodes)
          .map(function (node) { return node.outerHTML || node.textContent; })
          .join("");
      }
      markStale(target, { html: html, style: "outerHTML" });
      return;
    }
    remember(target, outer ? "outerHTML" : "innerHTML", !own, current);
  });

  // ---- Focus and scroll -----------------------------------------------------
  function keyOf(el) {
    const tag = el.tagName.toLowerCase();
    for (const name of ["data-move", "data-focus", "name"]) {
      const value = el.getAttribute(name);
      if (value) return tag + "[" + name + '="' + CSS.escape(value) + '"]';
    }
    return null;
  }

  function selectionOf(el) {
    try {
      return typeof el.selectionStart === "number" ? [el.selectionStart, el.selectionEnd] : null;
    } catch (e) {
      return null;
    }
  }

  // The control a request was made with: the submit button, the field whose
  // change sent it, or the element with hx-post. A keyboard shortcut clicks
  // a move button without focusing it, a status select may change without
  // focus: the user still used that control, so it gets the focus back.
  function controlOf(ctx) {
    if (!ctx || !ctx.config || ctx.refresh) return null;
    const event = ctx.config.triggeringEvent;
    const source = ctx.config.elt;
    let control = source;
    if (event && event.submitter) control = event.submitter;
    else if (event && event.target instanceof Element && source instanceof Element && source.contains(event.target)) {
      control = event.target;
    }
    if (!(control instanceof Element) || !control.matches("button, a, input, select, [data-move], [data-focus]")) {
      return null;
    }
    return keyOf(control) || control.id ? control : null;
  }

  function inside(target, el, style) {
    return style === "outerHTML" || style === "delete"
      ? target.contains(el)
      : target !== el && target.contains(el);
  }

  function remember(target, style, background, ctx) {
    captureScroll(target, background);
    let active = document.activeElement;
    if (active === document.body) active = null;
    const replaced = !!active && inside(target, active, style);
    const control = controlOf(ctx);
    const viaControl = !!(control && control !== active && inside(target, control, style) && (replaced || !active));
    if (!replaced && !viaControl && !(background && active)) return;
    if (memo && (memo.replaced || memo.viaControl || !(replaced || viaControl))) return; // the first that counts
    const ref = viaControl ? control : active;
    const inner = [];
    const outer = [];
    let node = ref.parentElement;
    let within = true;
    while (node && node !== document.body) {
      if (node.id) (within ? inner : outer).push(node.id);
      if (node === target) within = false;
      node = node.parentElement;
    }
    if (memo) window.clearTimeout(memo.timer);
    memo = {
      element: active,
      activeId: active ? active.id : "",
      replaced: replaced || viaControl,
      background: background,
      viaControl: viaControl,
      id: ref.id,
      key: keyOf(ref),
      inner: inner,
      outer: outer,
      rootId: target.id,
      selection: viaControl ? null : selectionOf(active),
      // A deleted target settles while detached: no afterSettle comes by.
      timer: window.setTimeout(function () { settled(null); }, 250),
    };
  }

  function captureScroll(target, background) {
    if (!scrolls) scrolls = { items: [], x: window.scrollX, y: window.scrollY, background: false };
    if (background) scrolls.background = true;
    const candidates = Array.from(target.querySelectorAll("[id]"));
    if (target.id) candidates.unshift(target);
    candidates.forEach(function (el) {
      if (el.scrollLeft || el.scrollTop) {
        scrolls.items.push({ id: el.id, left: el.scrollLeft, top: el.scrollTop });
      }
    });
  }

  // After the swap and before the settle, where [autofocus] may scroll on purpose.
  window.addEventListener("htmx:afterSwap", function () {
    if (!scrolls) return;
    scrolls.items.forEach(function (item) {
      const el = document.getElementById(item.id);
      if (el && (el.scrollLeft !== item.left || el.scrollTop !== item.top)) {
        el.scrollLeft = item.left;
        el.scrollTop = item.top;
      }
    });
    scrolls.items = [];
  });

  function focusOn(el, selection) {
    if (!el || !el.isConnected) return false;
    if (el.tabIndex < 0 && !el.hasAttribute("tabindex") && !isField(el)) el.setAttribute("tabindex", "-1");
    el.focus({ preventScroll: true });
    if (document.activeElement !== el) return false;
    if (selection && el.setSelectionRange) {
      try {
        el.setSelectionRange(selection[0], selection[1]);
      } catch (e) {
        // Not every field with a selectionStart takes a range (number inputs).
      }
    }
    return true;
  }

  function tookFocus(el, key) {
    el.dispatchEvent(
      new CustomEvent("journeymap:focus-restored", { bubbles: true, detail: { key: key } })
    );
  }

  // The element's own control: its nearest ancestor with an id is the anchor.
  function owned(anchor, selector) {
    return (
      Array.from(anchor.querySelectorAll(selector)).find(function (el) {
        return el.parentElement && el.parentElement.closest("[id]") === anchor;
      }) || null
    );
  }

  function named(root) {
    const marked = root.matches("[data-focus-after-swap]") ? root : root.querySelector("[data-focus-after-swap]");
    if (!marked) return null;
    const selector = marked.getAttribute("data-focus-after-swap");
    if (!selector) return marked;
    try {
      return root.querySelector(selector) || document.querySelector(selector);
    } catch (e) {
      return null;
    }
  }

  function restoreFocus(m, settledElt) {
    const active = document.activeElement;
    const hasFocus = active && active !== document.body && active.isConnected;
    if (m.element && m.element.isConnected) {
      // Not replaced. Someone else's fragment with [autofocus] took the focus
      // from where the user was: give it back.
      if (m.background && active !== m.element && (!hasFocus || active.hasAttribute("autofocus"))) {
        focusOn(m.element, m.selection);
      }
      return;
    }
    if (!m.replaced) return;
    const root = (m.rootId && document.getElementById(m.rootId)) || (settledElt && settledElt.isConnected ? settledElt : null);
    const pick = root && named(root);
    if (pick && pick !== active && !(hasFocus && active.hasAttribute("autofocus"))) {
      if (focusOn(pick)) return tookFocus(pick, m.key);
    }
    // htmx put it back by id, or [autofocus] (or a per-concern script) took
    // it; only a control the user pressed beats htmx's own "same id".
    if (hasFocus) {
      const sameAsBefore = m.activeId && active.id === m.activeId && !active.hasAttribute("autofocus");
      if (!(m.viaControl && sameAsBefore)) return;
    }
    if (m.id && focusOn(document.getElementById(m.id), m.selection)) {
      return tookFocus(document.activeElement, m.key);
    }
    for (const id of m.inner) {
      const anchor = document.getElementById(id);
      if (!anchor) continue;
      const choice =
        (m.key && owned(anchor, m.key)) || owned(anchor, "[data-focus]") || anchor;
      if (focusOn(choice) || (choice !== anchor && focusOn(anchor))) {
        return tookFocus(document.activeElement, m.key);
      }
    }
    // Above the swapped part only what is focusable anyway (a cell, the
    // canvas), not <main>: a screen reader would read it all out.
    for (const id of m.outer) {
      const anchor = document.getElementById(id);
      if (anchor && anchor.tagName !== "MAIN" && anchor.hasAttribute("tabindex") && focusOn(anchor)) {
        return tookFocus(anchor, m.key);
      }
    }
    if (root && root.hasAttribute("tabindex") && focusOn(root)) tookFocus(root, m.key);
  }

  function settled(settledElt) {
    const m = memo;
    memo = null;
    if (m) window.clearTimeout(m.timer);
    const s = scrolls;
    scrolls = null;
    if (wanted) {
      const el = resolve(wanted);
      wanted = null;
      const active = document.activeElement;
      if (el && !(active && active.hasAttribute("autofocus") && active.isConnected)) {
        focusOn(el);
        checkSoon();
        return;
      }
    }
    if (m) restoreFocus(m, settledElt);
    if (s && s.background && (window.scrollX !== s.x || window.scrollY !== s.y)) {
      window.scrollTo(s.x, s.y); // nobody asked for this swap: the page stays put
    }
    checkSoon();
  }

  window.addEventListener("htmx:afterSettle", function (event) {
    const xhr = event.detail && event.detail.xhr;
    // The answer to the user's own 409 waits for their choice; a 422 form
    // with their text in it counts as changed.
    if (xhr && ownAnswers.has(xhr) && event.target instanceof Element) {
      const status = xhr.status;
      if (status === 409) event.target.setAttribute("data-editing", "conflict");
      if (status === 422) {
        const forms = Array.from(event.target.querySelectorAll("form"));
        if (event.target.matches("form")) forms.push(event.target);
        forms.forEach(function (form) { form.dataset.dirty = "kept"; });
      }
    }
    settled(event.target instanceof Element ? event.target : null);
  });

  window.Journeymap = window.Journeymap || {};
  window.Journeymap.swaps = {
    refresh: refresh,
    isBusy: isBusy,
    focusAfterSwap: function (target) {
      wanted = target;
    },
  };
})();
