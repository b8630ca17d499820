// toolkit serve: the translation editor. Each unit saves itself through POST /api/entry with the
// version ("base") it was read at; a stale base comes back as 409 with the stored entry, and the
// translator chooses. What is typed is kept in localStorage until the server has it, so neither
// a reload, a restart of the server nor a conflict loses it. The printed page of the current unit
// is page.js's: it hears "toolkit:show" events.
(() => {
  "use strict";
  const root = document.getElementById("editor");
  if (!root) return;
  const slug = root.dataset.slug;
  const lang = root.dataset.lang;
  const editable = root.dataset.editable === "1";
  const meta = document.querySelector('meta[name="csrf-token"]');
  let csrf = meta ? meta.content : "";
  const statusLine = document.getElementById("status");
  const banner = document.getElementById("banner");
  const units = [...document.querySelectorAll("li.unit")];
  const NEEDS_WORK = new Set(["untranslated", "fuzzy"]);
  let filter = "all";
  let current = null;

  // --- units ------------------------------------------------------------------------------------

  const field = (u) => u.querySelector("textarea.tr");
  const fuzzyBox = (u) => u.querySelector("input.fuzzy");
  const keyOf = (u) => [u.dataset.msgctxt === undefined ? null : u.dataset.msgctxt, u.dataset.msgid];
  const draftKey = (u) => "toolkit-draft:" + JSON.stringify([slug, lang, ...keyOf(u)]);

  function say(text) {
    statusLine.textContent = text;
  }

  function setState(u, state, fuzzy) {
    u.classList.remove("translated", "fuzzy", "untranslated");
    u.classList.add(state);
    u.dataset.state = state;
    const badge = u.querySelector(".unit-head .state");
    badge.className = "state " + state;
    badge.textContent = { translated: "translated", fuzzy: "fuzzy", untranslated: "not translated" }[state];
    const box = fuzzyBox(u);
    if (box) box.checked = fuzzy;
  }

  function setFindings(u, checks) {
    const list = u.querySelector("ul.findings");
    list.replaceChildren(
      ...checks.map((f) => {
        const li = document.createElement("li");
        li.className = "finding " + f.severity;
        const sev = document.createElement("span");
        sev.className = "sev";
        sev.textContent = f.severity;
        const rule = document.createElement("span");
        rule.className = "rule";
        rule.textContent = "[" + f.rule + "]";
        li.append(sev, " " + f.message + " ", rule);
        return li;
      })
    );
    u.dataset.findings = String(checks.length);
    u.dataset.errors = String(checks.filter((f) => f.severity === "error").length);
  }

  function markDirty(u, dirty) {
    u.classList.toggle("dirty", dirty);
    const state = u.querySelector(".save-state");
    if (state && dirty) state.textContent = "not saved";
    if (!dirty) localStorage.removeItem(draftKey(u));
  }

  function isDirty(u) {
    const t = field(u);
    return !!t && (t.value !== t.dataset.stored || fuzzyBox(u).checked !== (t.dataset.fuzzy === "1"));
  }

  function remember(u) {
    const t = field(u);
    const dirty = isDirty(u);
    markDirty(u, dirty);
    if (dirty) {
      const draft = { text: t.value, fuzzy: fuzzyBox(u).checked, base: u.dataset.base };
      localStorage.setItem(draftKey(u), JSON.stringify(draft));
    }
  }

  function grow(t) {
    t.style.height = "auto";
    t.style.height = t.scrollHeight + 2 + "px";
  }

  for (const u of units) {
    const t = field(u);
    if (!t) continue;
    t.dataset.stored = t.value;
    t.dataset.fuzzy = fuzzyBox(u).checked ? "1" : "0";
    u.dataset.serverBase = u.dataset.base;
    const draft = JSON.parse(localStorage.getItem(draftKey(u)) || "null");
    if (draft && editable && (draft.text !== t.value || draft.fuzzy !== fuzzyBox(u).checked)) {
      // Typed before a reload or a restart and never saved: back in the field, with the base it
      // was typed against, so a save still notices a change made meanwhile.
      t.value = draft.text;
      fuzzyBox(u).checked = draft.fuzzy;
      u.dataset.base = draft.base;
      markDirty(u, true);
      u.querySelector(".save-state").textContent = "unsaved text restored";
    } else if (draft) {
      localStorage.removeItem(draftKey(u));
    }
    grow(t);
  }

  // Text typed for a unit whose source changed since (update made it a new entry): shown, so
  // that it can be copied into the new unit, until the translator dismisses it.
  const known = new Set(units.map(draftKey));
  const prefix = "toolkit-draft:" + JSON.stringify([slug, lang]).slice(0, -1) + ",";
  const orphans = Object.keys(localStorage).filter((k) => k.startsWith(prefix) && !known.has(k));
  if (orphans.length) {
    const box = document.getElementById("orphans");
    const h = document.createElement("h2");
    h.textContent = "Text you typed for units whose source has changed since";
    const list = document.createElement("ul");
    for (const k of orphans) {
      const [, , , msgid] = JSON.parse(k.slice("toolkit-draft:".length));
      const draft = JSON.parse(localStorage.getItem(k) || "{}");
      const li = document.createElement("li");
      const src = document.createElement("p");
      src.className = "was";
      src.textContent = "Source then: " + msgid;
      const text = document.createElement("p");
      text.lang = lang;
      text.textContent = draft.text || "";
      const dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.textContent = "Dismiss";
      dismiss.addEventListener("click", () => {
        localStorage.removeItem(k);
        li.remove();
        if (!list.children.length) box.hidden = true;
      });
      li.append(src, text, dismiss);
      list.append(li);
    }
    box.replaceChildren(h, list);
    box.hidden = false;
  }

  // --- filters ----------------------------------------------------------------------------------

  function matches(u, f) {
    const s = u.dataset.state;
    if (f === "todo") return NEEDS_WORK.has(s);
    if (f === "untranslated" || f === "fuzzy") return s === f;
    if (f === "findings") return u.dataset.findings !== "0";
    return true;
  }

  function applyFilter(f) {
    filter = f;
    for (const b of document.querySelectorAll("button.filter")) {
      const on = b.dataset.filter === f;
      b.classList.toggle("on", on);
      b.setAttribute("aria-pressed", on ? "true" : "false");
    }
    // A unit being worked on stays in view until the filter is chosen again.
    for (const u of units) u.hidden = !(matches(u, f) || u === current || u.classList.contains("dirty"));
  }

  function counts() {
    const n = { all: units.length, todo: 0, untranslated: 0, fuzzy: 0, findings: 0 };
    for (const u of units) for (const f of ["todo", "untranslated", "fuzzy", "findings"]) if (matches(u, f)) n[f] += 1;
    for (const b of document.querySelectorAll("button.filter")) b.querySelector(".count").textContent = n[b.dataset.filter];
  }

  for (const b of document.querySelectorAll("button.filter")) b.addEventListener("click", () => applyFilter(b.dataset.filter));

  // --- moving between units -----------------------------------------------------------------

  function focusUnit(u) {
    if (!u) return;
    u.hidden = false;
    const target = field(u) || u.querySelector(".num");
    target.focus({ preventScroll: true });
    const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    // The field in view (the source above it if there is room): it is where the work is.
    target.scrollIntoView({ block: "center", behavior: still ? "auto" : "smooth" });
  }

  function nextNeedingWork(from) {
    const start = units.indexOf(from);
    const want = filter === "all" ? "todo" : filter;
    for (let i = 1; i <= units.length; i++) {
      const u = units[(start + i) % units.length];
      if (u !== from && field(u) && matches(u, want)) return u;
    }
    return null;
  }

  function step(from, by) {
    let i = units.indexOf(from);
    for (let n = 0; n < units.length; n++) {
      i = (i + by + units.length) % units.length;
      if (!units[i].hidden) return units[i];
    }
    return null;
  }

  document.addEventListener("focusin", (e) => {
    const u = e.target.closest && e.target.closest("li.unit");
    if (!u || u === current) return;
    if (current) current.classList.remove("current");
    current = u;
    u.classList.add("current");
    showPage();
  });

  // --- saving -----------------------------------------------------------------------------------

  async function post(body) {
    return fetch("/api/entry", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
    });
  }

  async function freshToken(u) {
    // The server was restarted: its GET answers carry the new token.
    const [msgctxt, msgid] = keyOf(u);
    const q = new URLSearchParams({ slug, lang, msgid });
    if (msgctxt !== null) q.set("msgctxt", msgctxt);
    const r = await fetch("/api/entry?" + q);
    const token = r.headers.get("X-CSRF-Token");
    if (token && token !== csrf) {
      csrf = token;
      return true;
    }
    return false;
  }

  // Returns true when the text is stored (or nothing needed storing).
  async function save(u, { fuzzy = fuzzyBox(u).checked, retried = false } = {}) {
    const t = field(u);
    if (!t || !editable) return false;
    if (u.saving) return u.saving;
    const text = t.value.replace(/\r\n?/g, "\n");
    if (text === t.dataset.stored && fuzzy === (t.dataset.fuzzy === "1")) {
      markDirty(u, false);
      return true;
    }
    const [msgctxt, msgid] = keyOf(u);
    const state = u.querySelector(".save-state");
    state.textContent = "saving…";
    const started = performance.now();
    u.saving = (async () => {
      let r;
      try {
        r = await post({ slug, lang, msgctxt, msgid, msgstr: text, fuzzy, base: u.dataset.base });
      } catch (err) {
        state.textContent = "not saved: the server cannot be reached (your text is kept)";
        return false;
      }
      const data = await r.json().catch(() => ({}));
      if (r.ok) {
        u.dataset.base = u.dataset.serverBase = data.base;
        t.dataset.stored = data.msgstr;
        t.dataset.fuzzy = data.fuzzy ? "1" : "0";
        if (t.value === text) markDirty(u, false);
        setState(u, data.state, data.fuzzy);
        setFindings(u, data.checks);
        counts();
        const ms = Math.round(performance.now() - started);
        state.textContent = "saved";
        root.dataset.lastSaveMs = String(ms);
        const errors = data.checks.filter((f) => f.severity === "error").length;
        say(`Unit ${u.dataset.number} saved` + (data.checks.length ? `: ${data.checks.length} finding(s), ${errors} error(s)` : ""));
        savedAt = performance.now();
        showPage(true);
        return true;
      }
      if (r.status === 409) {
        conflict(u, data.entry);
        state.textContent = "not saved: changed elsewhere";
        say(`Unit ${u.dataset.number} was changed elsewhere: choose which text to keep.`);
        return false;
      }
      if (r.status === 503) {
        const wait = Number(r.headers.get("Retry-After") || 2);
        state.textContent = "waiting for toolkit update to finish… (your text is kept)";
        await new Promise((ok) => setTimeout(ok, wait * 1000));
        u.saving = null;
        return save(u, { fuzzy, retried });
      }
      if (r.status === 403 && !retried && data.error === "forbidden" && (await freshToken(u))) {
        u.saving = null;
        return save(u, { fuzzy, retried: true });
      }
      state.textContent = "not saved: " + (data.message || r.statusText) + " (your text is kept)";
      say(`Unit ${u.dataset.number} not saved: ${data.message || r.statusText}`);
      return false;
    })();
    try {
      return await u.saving;
    } finally {
      u.saving = null;
    }
  }

  async function saveAndNext(u, { clearFuzzy }) {
    const ok = await save(u, { fuzzy: clearFuzzy ? false : fuzzyBox(u).checked });
    if (!ok) return;
    // An error found in the text keeps the translator here once; the next Ctrl+Enter moves on.
    if (u.dataset.errors !== "0" && !u.errorSeen) {
      u.errorSeen = true;
      return;
    }
    u.errorSeen = false;
    const next = nextNeedingWork(u);
    if (next) focusUnit(next);
    else say("Every unit is translated. Well done.");
  }

  // --- conflicts ----------------------------------------------------------------------------

  function conflict(u, stored) {
    const box = u.querySelector(".conflict");
    const t = field(u);
    const mine = t.value;
    const h = document.createElement("h3");
    h.id = "c-" + u.dataset.number;
    h.textContent = "Changed elsewhere since you opened it (Poedit, toolkit update or another tab)";
    const pair = document.createElement("div");
    pair.className = "versions";
    const side = (title, text, cls) => {
      const d = document.createElement("div");
      d.className = cls;
      const t2 = document.createElement("h4");
      t2.textContent = title;
      const p = document.createElement("p");
      p.lang = lang;
      p.textContent = text || "(empty)";
      d.append(t2, p);
      return d;
    };
    pair.append(side("Yours, not saved", mine, "mine"), side("Stored now" + (stored.fuzzy ? " (fuzzy)" : ""), stored.msgstr, "theirs"));
    const keep = document.createElement("button");
    keep.type = "button";
    keep.className = "keep-mine";
    keep.textContent = "Keep mine (save over it)";
    const take = document.createElement("button");
    take.type = "button";
    take.className = "take-theirs";
    take.textContent = "Use the stored one";
    keep.addEventListener("click", async () => {
      u.dataset.base = stored.base;
      t.value = mine;
      box.hidden = true;
      if (await save(u, { fuzzy: fuzzyBox(u).checked })) t.focus();
    });
    take.addEventListener("click", () => {
      u.dataset.base = u.dataset.serverBase = stored.base;
      t.value = stored.msgstr;
      t.dataset.stored = stored.msgstr;
      t.dataset.fuzzy = stored.fuzzy ? "1" : "0";
      setState(u, stored.state, stored.fuzzy);
      setFindings(u, stored.checks);
      markDirty(u, false);
      box.hidden = true;
      u.querySelector(".save-state").textContent = "stored text taken";
      counts();
      grow(t);
      t.focus();
    });
    const buttons = document.createElement("div");
    buttons.className = "choices";
    buttons.append(keep, take);
    box.replaceChildren(h, pair, buttons);
    box.setAttribute("role", "group");
    box.setAttribute("aria-labelledby", h.id);
    box.hidden = false;
    u.hidden = false;
    keep.focus();
  }

  // --- keys and clicks --------------------------------------------------------------------------

  for (const u of units) {
    const t = field(u);
    if (t) {
      t.addEventListener("input", () => {
        grow(t);
        remember(u);
      });
      t.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          saveAndNext(u, { clearFuzzy: true });
        } else if (e.key === "Tab" && !e.shiftKey && !e.ctrlKey && !e.altKey && isDirty(u) && editable) {
          // Only after typing: an unchanged field lets Tab reach this unit's buttons as usual.
          e.preventDefault();
          saveAndNext(u, { clearFuzzy: true });
        } else if (e.key === "Escape" && isDirty(u)) {
          t.value = t.dataset.stored;
          fuzzyBox(u).checked = t.dataset.fuzzy === "1";
          u.dataset.base = u.dataset.serverBase;
          markDirty(u, false);
          u.querySelector(".save-state").textContent = "changes undone";
          grow(t);
        }
      });
    }
    const box = fuzzyBox(u);
    if (box) {
      box.addEventListener("change", () => {
        remember(u);
        save(u, { fuzzy: box.checked });
      });
    }
    const button = u.querySelector("button.save");
    if (button) button.addEventListener("click", () => save(u, { fuzzy: fuzzyBox(u).checked }));
    for (const use of u.querySelectorAll("button.use")) {
      use.addEventListener("click", () => {
        t.value = use.dataset.target;
        grow(t);
        remember(u);
        t.focus();
      });
    }
  }

  document.addEventListener("keydown", (e) => {
    const u = e.target.closest && e.target.closest("li.unit");
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    if (u && /^[1-9]$/.test(e.key)) {
      const use = u.querySelectorAll("button.use")[Number(e.key) - 1];
      if (use && !use.disabled) {
        e.preventDefault();
        use.click();
      }
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      focusUnit(step(u || current || units[0], e.key === "ArrowDown" ? 1 : -1));
    }
  });

  window.addEventListener("beforeunload", (e) => {
    if (units.some((u) => u.classList.contains("dirty"))) e.preventDefault();
  });

  // --- the files changed on disk (Poedit, toolkit update, another tab) ----------------------

  let refreshing = null;
  async function refresh() {
    if (refreshing) return refreshing;
    refreshing = (async () => {
      try {
        const r = await fetch("/api/units?" + new URLSearchParams({ slug, lang }));
        if (!r.ok) return;
        const data = await r.json();
        const same = data.units.length === units.length && data.units.every((s, i) => s.msgid === units[i].dataset.msgid);
        if (!same) {
          banner.textContent = "The article's source changed: units were added or removed. Reload the page to see them (text you typed is kept).";
          banner.hidden = false;
          return;
        }
        data.units.forEach((s, i) => {
          const u = units[i];
          const t = field(u);
          if (!t || s.base === u.dataset.serverBase) return;
          if (u.classList.contains("dirty") || u.saving) {
            // Keep the typing and the base it was typed against: its save will ask (409).
            u.dataset.serverBase = s.base;
            t.dataset.stored = s.msgstr;
            t.dataset.fuzzy = s.fuzzy ? "1" : "0";
            u.querySelector(".save-state").textContent = "changed in the file meanwhile: saving will ask which to keep";
            return;
          }
          t.value = s.msgstr;
          t.dataset.stored = s.msgstr;
          t.dataset.fuzzy = s.fuzzy ? "1" : "0";
          u.dataset.base = u.dataset.serverBase = s.base;
          setState(u, s.state, s.fuzzy);
          setFindings(u, s.checks);
          grow(t);
        });
        counts();
        showPage();
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }
  document.addEventListener("toolkit:change", refresh);

  // The printed page beside the list (page.js) follows the current unit.
  // Right after a save (also when it moved on to the next unit) the page is asked for at once.
  let savedAt = 0;
  function showPage(now) {
    if (!current) return;
    const [msgctxt, msgid] = keyOf(current);
    const recent = performance.now() - savedAt < 1000 ? savedAt : 0;
    const detail = { number: current.dataset.number, msgctxt, msgid, now: !!(now || recent), savedAt: recent };
    document.dispatchEvent(new CustomEvent("toolkit:show", { detail }));
  }

  // Start where the work is: the first unit that needs it (or the one in the address).
  const wanted = location.hash && document.getElementById(location.hash.slice(1));
  const first = wanted && wanted.matches("li.unit") ? wanted : units.find((u) => field(u) && NEEDS_WORK.has(u.dataset.state)) || units[0];
  if (first) {
    current = first;
    first.classList.add("current");
    if (editable || wanted) {
      focusUnit(first);
      // Going to #u8 moves the focus to the page once loaded (the fragment's focusing steps):
      // take it back to the field then, unless the translator went elsewhere already.
      window.addEventListener("load", () => {
        if (document.activeElement === document.body) focusUnit(first);
      }, { once: true });
    }
    showPage(true);
  }
})();
