// Live updates: other people's changes appear without a reload.
//
// A page with a [data-live] root (templates/maps/live_bar.html) opens one
// EventSource on its data-live-url (maps.live). Our own small script rather
// than htmx's SSE extension: the extension's sse-swap puts the event's HTML
// in without htmx:beforeSwap, so it cannot keep an open form (swaps.js), and
// our events carry no HTML anyway, only which fragments changed. Each named
// fragment ([data-fragment]) is fetched again through its normal, access-
// checked view with Journeymap.swaps.refresh(), which never replaces what
// someone is editing: a busy fragment gets a line saying who changed it,
// with "Load their version" (the edit form again, with their text).
//
// data-live="map": change / resync / presence / denied events for one map;
//   pings data-live-presence-url every PING_MS with what this tab edits, so
//   others see "Dirk is editing" on that card, stage or lane.
// data-live="list": a change to any map refreshes data-live-refresh (a
//   selector: the maps table, the actions board), at most once a second.
//
// Each tab has a client id, sent with every htmx request (X-Journeymap-Client)
// so a tab skips the events of its own changes: its answer already showed
// them. On reconnect the browser sends Last-Event-ID and the server replays
// what was missed (or says resync: the whole canvas is fetched again). A tab
// in the background closes its stream after PAUSE_MS and catches up on return.
// No inline handlers or eval: the CSP forbids them.
"use strict";

(function () {
  const PING_MS = 10000; // journeymap.hub.PRESENCE_TTL is twice this
  const PAUSE_MS = 10000;
  const LIST_DELAY_MS = 1000;
  const IN_PLACE = ["update", "set", "cite", "status"];

  const root = document.querySelector("[data-live]");
  if (!root || !window.EventSource || !window.htmx) return;
  const mode = root.dataset.live;
  const client = Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
  const swaps = function () {
    return window.Journeymap && window.Journeymap.swaps;
  };

  let source = null;
  let last = Number(root.dataset.liveRevision || "-1");
  let failures = 0;
  let pauseTimer = null;
  let pingTimer = null;
  let editing = "";
  let people = [];
  let listTimer = null;
  let finished = false; // denied or gone: no more reconnecting

  function text(key, who) {
    const tpl = root.querySelector("[data-live-texts]");
    const node = tpl && tpl.content.querySelector('[data-text="' + key + '"]');
    const value = node ? node.textContent : key;
    return who === undefined ? value : value.replace("{who}", who);
  }

  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-Journeymap-Client"] = client;
  });

  // ---- Connection state -------------------------------------------------------
  function setState(state) {
    root.hidden = false;
    root.dataset.state = state;
    const label = root.querySelector("[data-live-label]");
    if (label && label.textContent !== text(state)) label.textContent = text(state);
    const status = root.querySelector("[data-live-status]");
    if (status) status.title = state === "live" ? text("live-title") : "";
  }

  function streamUrl() {
    const url = new URL(root.dataset.liveUrl, window.location.href);
    url.searchParams.set("client", client);
    if (last >= 0) url.searchParams.set("since", String(last));
    return url.toString();
  }

  function connect() {
    if (source || finished) return;
    source = new EventSource(streamUrl());
    source.addEventListener("open", function () {
      failures = 0;
      setState("live");
      ping();
    });
    source.addEventListener("error", function () {
      failures += 1;
      if (!source) return;
      if (source.readyState === EventSource.CLOSED) {
        // A refusal (not text/event-stream) or a dead server: try again later.
        source = null;
        window.setTimeout(connect, Math.min(30000, 2000 * failures));
      }
      setState(!navigator.onLine || failures >= 3 ? "offline" : "reconnecting");
    });
    source.addEventListener("change", onChange);
    source.addEventListener("resync", onResync);
    source.addEventListener("presence", onPresence);
    source.addEventListener("denied", onDenied);
  }

  function disconnect() {
    if (source) source.close();
    source = null;
  }

  window.addEventListener("offline", function () {
    setState("offline");
  });
  window.addEventListener("online", function () {
    if (!source) connect();
  });

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      pauseTimer = window.setTimeout(function () {
        pauseTimer = null;
        disconnect();
        setState("paused");
      }, PAUSE_MS);
      return;
    }
    if (pauseTimer) window.clearTimeout(pauseTimer);
    pauseTimer = null;
    if (!source) {
      setState("reconnecting");
      connect(); // ?since= the last revision seen: the server replays the rest
    }
  });

  function onDenied(event) {
    let data = {};
    try {
      data = JSON.parse(event.data || "{}");
    } catch (e) {
      data = {};
    }
    finished = true;
    disconnect();
    setState(data.gone ? "gone" : "denied");
    people = [];
    renderPeople();
  }

  // ---- Changes ----------------------------------------------------------------
  function onChange(event) {
    const data = JSON.parse(event.data);
    if (mode === "list") {
      scheduleListRefresh();
      return;
    }
    if (typeof data.rev === "number") {
      if (data.rev <= last) return;
      last = data.rev;
    }
    document.dispatchEvent(new CustomEvent("journeymap:live-change", { detail: data }));
    if (data.client && data.client === client) return; // ours: already on screen
    apply(data);
  }

  function onResync(event) {
    let data = {};
    try {
      data = JSON.parse(event.data || "{}");
    } catch (e) {
      data = {};
    }
    if (mode === "list") {
      scheduleListRefresh();
      return;
    }
    if (typeof data.rev === "number") last = Math.max(last, data.rev);
    document.dispatchEvent(new CustomEvent("journeymap:live-change", { detail: data }));
    // Everything, outermost fragments only (the canvas holds the rest).
    const all = Array.from(document.querySelectorAll("[data-fragment]"));
    all
      .filter(function (el) {
        return !el.parentElement || !el.parentElement.closest("[data-fragment]");
      })
      .forEach(function (el) {
        refreshFragment(el, { verb: "update", by: "" });
      });
  }

  function elementsFor(names) {
    const found = [];
    names.forEach(function (name) {
      document.querySelectorAll('[data-fragment="' + CSS.escape(name) + '"]').forEach(function (el) {
        if (found.indexOf(el) < 0) found.push(el);
      });
    });
    return found;
  }

  function apply(data) {
    const names = data.fragments || [];
    let els = elementsFor(names);
    const inPlace = IN_PLACE.indexOf(data.verb) >= 0;
    // In place: the innermost changed fragments (a card, not its cell). Things
    // came, went or moved: the outermost (the cell, which holds the card).
    els = els.filter(function (el) {
      return !els.some(function (other) {
        if (other === el) return false;
        return inPlace ? el.contains(other) : other.contains(el);
      });
    });
    // Someone deleted what this tab is editing: say so on it and keep the form
    // (saving then offers to add it back); its cell waits.
    if (data.verb === "delete" && data.kind && data.object) {
      const own = document.querySelector(
        '[data-fragment="' + CSS.escape(data.kind + ":" + data.object) + '"]'
      );
      const s = swaps();
      if (own && s && s.isBusy(own)) {
        showHint(own, hintFor(own, data));
        els = els.filter(function (el) {
          return !el.contains(own);
        });
      }
    }
    els.forEach(function (el) {
      refreshFragment(el, data);
    });
  }

  function refreshFragment(el, data) {
    const s = swaps();
    if (!s) return;
    s.refresh(el, { hint: hintFor(el, data) });
  }

  function who(data) {
    return data.by || text("someone");
  }

  // The line a busy fragment shows: who changed it, and a way to take theirs.
  function hintFor(el, data) {
    const hint = document.createElement("span");
    hint.className = "stale-hint live-hint";
    const deleted = data.verb === "delete" && el.dataset.fragment === data.kind + ":" + data.object;
    hint.appendChild(document.createTextNode(text(deleted ? "deleted" : "changed", who(data)) + " "));
    // Only an edit of this very thing has "their version" to load: its form
    // answers GET with the form again (an add form or a cell has none).
    const form = el.matches("form") ? el : el.querySelector("form[hx-post]");
    const url = form && form.getAttribute("hx-post");
    const own = form && (form === el || form.getAttribute("hx-target") === "#" + el.id);
    if (!deleted && url && own && IN_PLACE.indexOf(data.verb) >= 0) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button-link";
      button.setAttribute("data-live-load", "");
      button.textContent = text("load");
      hint.appendChild(button);
    }
    return hint;
  }

  function showHint(el, hint) {
    const old = el.querySelector(":scope > [data-stale-hint]");
    if (old) old.remove();
    hint.setAttribute("data-stale-hint", "");
    el.prepend(hint);
  }

  // "Load their version": the edit form again, now with their text (and their
  // version number, so saving no longer conflicts).
  document.addEventListener("click", function (event) {
    const button = event.target instanceof Element && event.target.closest("[data-live-load]");
    if (!button) return;
    event.preventDefault();
    const el = button.closest("[data-fragment]");
    const form = el && (el.matches("form") ? el : el.querySelector("form[hx-post]"));
    const s = swaps();
    if (!form || !s) return;
    const targetSel = form.getAttribute("hx-target");
    const target = (targetSel && document.querySelector(targetSel)) || el;
    s.refresh(target, { url: form.getAttribute("hx-post"), force: true });
  });

  // A save that could not be sent (offline): the form stays, and says so.
  document.addEventListener("htmx:sendError", function (event) {
    const elt = event.detail.elt;
    const form = elt && elt.closest && elt.closest("form");
    if (!form) return;
    let note = form.querySelector(":scope > [data-live-not-sent]");
    if (!note) {
      note = document.createElement("p");
      note.className = "card-error";
      note.setAttribute("role", "alert");
      note.setAttribute("data-live-not-sent", "");
      form.prepend(note);
    }
    note.textContent = text("not-sent");
    setState("offline");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful && event.detail.failed) return;
    const elt = event.detail.elt;
    const form = elt && elt.closest && elt.closest("form");
    const note = form && form.querySelector(":scope > [data-live-not-sent]");
    if (note && event.detail.xhr && event.detail.xhr.status) note.remove();
  });

  // ---- Lists ------------------------------------------------------------------
  function scheduleListRefresh() {
    if (listTimer) return;
    listTimer = window.setTimeout(function () {
      listTimer = null;
      const s = swaps();
      const selector = root.dataset.liveRefresh;
      if (s && selector) {
        document.querySelectorAll(selector).forEach(function (el) {
          s.refresh(el);
        });
      }
    }, LIST_DELAY_MS);
  }

  // ---- Presence ---------------------------------------------------------------
  function onPresence(event) {
    people = (JSON.parse(event.data).people || []).slice();
    renderPeople();
  }

  function initials(name) {
    const parts = name.trim().split(/[\s._@-]+/).filter(Boolean);
    const letters = parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : name.slice(0, 2);
    return letters.toUpperCase();
  }

  function colour(id) {
    let hash = 0;
    for (const ch of String(id)) hash = (hash * 31 + ch.charCodeAt(0)) % 997;
    return hash % 8;
  }

  function renderPeople() {
    const list = root.querySelector("[data-live-people]");
    if (list) {
      list.replaceChildren(
        ...people.map(function (person) {
          const item = document.createElement("li");
          const me = person.user === root.dataset.liveMe;
          item.className = "live-person avatar-c" + colour(person.user) + (me ? " is-me" : "");
          item.textContent = initials(person.name);
          item.title = me ? text("me", person.name) : text("here", person.name);
          item.setAttribute("aria-label", me ? text("me", person.name) : person.name);
          item.dataset.user = person.user;
          return item;
        })
      );
    }
    renderBadges();
  }

  // "Dirk is editing" on the fragment someone else has a form open in.
  function renderBadges() {
    const wanted = new Map();
    people.forEach(function (person) {
      (person.editing || []).forEach(function (item) {
        if (item.client === client) return;
        const names = wanted.get(item.fragment) || [];
        if (names.indexOf(person.name) < 0) names.push(person.name);
        wanted.set(item.fragment, names);
      });
    });
    document.querySelectorAll("[data-live-badge]").forEach(function (badge) {
      const host = badge.parentElement && badge.parentElement.closest("[data-fragment]");
      const names = host && wanted.get(host.dataset.fragment);
      if (!names || badge.dataset.names !== names.join(", ")) badge.remove();
    });
    wanted.forEach(function (names, fragment) {
      const host = document.querySelector('[data-fragment="' + CSS.escape(fragment) + '"]');
      if (!host || host.querySelector(":scope > [data-live-badge]")) return;
      const badge = document.createElement("span");
      badge.className = "live-badge";
      badge.setAttribute("data-live-badge", "");
      badge.dataset.names = names.join(", ");
      badge.textContent = text("editing", names.join(", "));
      (hintHost(host) || host).prepend(badge);
    });
  }

  function hintHost(el) {
    if (el.tagName === "TR") return el.querySelector(":scope > th, :scope > td");
    return el;
  }

  // What this tab has open for editing: the innermost fragment around the
  // focused form field or a changed form.
  function currentEditing() {
    const active = document.activeElement;
    let form = active && active !== document.body ? active.closest("form") : null;
    if (!form) form = document.querySelector("[data-fragment] form[data-dirty]");
    if (!form || !form.querySelector("textarea, input:not([type=hidden]), select")) return "";
    const host = form.closest("[data-fragment]");
    return host ? host.dataset.fragment : "";
  }

  function ping() {
    const url = root.dataset.livePresenceUrl;
    if (!url || !source) return;
    if (pingTimer) window.clearTimeout(pingTimer);
    pingTimer = window.setTimeout(ping, PING_MS);
    const body = new URLSearchParams({ client: client, editing: editing });
    let token = "";
    try {
      token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      token = "";
    }
    window
      .fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token },
      })
      .catch(function () {});
  }

  let editTimer = null;
  function editingMayHaveChanged() {
    if (editTimer) return;
    editTimer = window.setTimeout(function () {
      editTimer = null;
      const now = currentEditing();
      if (now !== editing) {
        editing = now;
        ping();
      }
    }, 200);
  }
  ["focusin", "focusout", "input"].forEach(function (name) {
    document.addEventListener(name, editingMayHaveChanged, true);
  });
  document.addEventListener("htmx:afterSettle", function () {
    editingMayHaveChanged();
    renderBadges();
  });

  window.addEventListener("pagehide", disconnect);

  setState("connecting");
  connect();
})();
