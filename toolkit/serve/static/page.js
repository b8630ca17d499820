// toolkit serve: the printed page beside the editor. On each "toolkit:show" event (the current unit
// changed, or it was saved) it asks GET /api/page where the unit is printed, loads that page's image
// and draws the highlight boxes over it. Only the newest request is shown.
(() => {
  "use strict";
  const root = document.getElementById("editor");
  const pane = document.getElementById("pagepane");
  if (!root || !pane) return;
  const slug = root.dataset.slug;
  const lang = root.dataset.lang;
  const img = document.getElementById("page-img");
  const marks = document.getElementById("marks");
  const info = document.getElementById("page-info");
  const wrap = document.getElementById("sheet-wrap");
  let fmt = pane.querySelector("button.fmt").dataset.fmt;
  let wanted = null; // the detail of the last "toolkit:show"
  let asked = 0;
  let timer = null;
  let measured = 0;

  document.addEventListener("toolkit:show", (e) => {
    wanted = e.detail;
    clearTimeout(timer);
    // Right after a save at once; while moving through units, once the moving stops.
    timer = setTimeout(load, wanted.now ? 0 : 150);
  });

  async function load() {
    const unit = wanted;
    const ticket = ++asked;
    const q = new URLSearchParams({ slug, lang, fmt, msgid: unit.msgid });
    if (unit.msgctxt !== null) q.set("msgctxt", unit.msgctxt);
    pane.classList.add("busy");
    info.textContent = "Rendering the page…";
    let data;
    try {
      const r = await fetch("/api/page?" + q);
      data = await r.json();
      if (!r.ok) throw new Error(data.message || r.statusText);
    } catch (err) {
      if (ticket === asked) {
        pane.classList.remove("busy");
        info.textContent = "The page cannot be shown: " + err.message;
      }
      return;
    }
    if (ticket !== asked) return;
    if (data.page === null) {
      pane.classList.remove("busy");
      info.textContent = `Unit ${unit.number} is not printed in the ${fmt}`;
      marks.replaceChildren();
      return;
    }
    const next = new Image();
    next.src = data.image;
    try {
      await next.decode();
    } catch (err) {
      /* shown below anyway */
    }
    if (ticket !== asked) return;
    img.src = data.image;
    img.hidden = false;
    img.alt = `Page ${data.page} of ${data.pages} of the ${fmt}` + (data.exact ? `, unit ${unit.number} highlighted` : "");
    marks.replaceChildren(
      ...data.boxes.map(([x, y, w, h]) => {
        const m = document.createElement("div");
        m.className = "hl";
        m.style.left = x * 100 + "%";
        m.style.top = y * 100 + "%";
        m.style.width = w * 100 + "%";
        m.style.height = h * 100 + "%";
        return m;
      })
    );
    pane.classList.remove("busy");
    info.textContent = data.exact
      ? `Page ${data.page} of ${data.pages} · unit ${unit.number}`
      : `Unit ${unit.number} is not printed in the ${fmt}; page ${data.page} of ${data.pages} comes before it`;
    // For the tests and the curious: how long from the save to the new page on screen.
    if (unit.savedAt && unit.savedAt !== measured) {
      measured = unit.savedAt;
      root.dataset.pageRefreshMs = String(Math.round(performance.now() - unit.savedAt));
    }
    root.dataset.pageShown = `${fmt}:${data.page}:${data.image}`;
    const first = marks.firstElementChild;
    if (first) {
      const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      const top = first.offsetTop - wrap.clientHeight / 3;
      wrap.scrollTo({ top: Math.max(0, top), behavior: still ? "auto" : "smooth" });
    }
  }

  for (const b of pane.querySelectorAll("button.fmt")) {
    b.addEventListener("click", () => {
      fmt = b.dataset.fmt;
      for (const o of pane.querySelectorAll("button.fmt")) {
        o.classList.toggle("on", o === b);
        o.setAttribute("aria-pressed", o === b ? "true" : "false");
      }
      if (wanted) {
        wanted = { ...wanted, now: true, savedAt: 0 };
        load();
      }
    });
  }
  // Hidden or shown as the translator last chose (more room for the units at 200 % zoom).
  const toggle = document.getElementById("pane-toggle");
  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    toggle.textContent = open ? "Hide page" : "Show page";
    pane.classList.toggle("closed", !open);
    localStorage.setItem("toolkit-page-pane", open ? "open" : "closed");
  }
  toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
  if (localStorage.getItem("toolkit-page-pane") === "closed") setOpen(false);
  // Alt+P, from anywhere: show or hide the page.
  document.addEventListener("keydown", (e) => {
    if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === "p" || e.key === "P")) {
      e.preventDefault();
      toggle.click();
    }
  });
})();
