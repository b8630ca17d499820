// toolkit serve: reload when a project file is saved (Server-Sent Events), keeping the scroll
// position of the page and of the preview, and build the PDF in the background on download.
(() => {
  "use strict";
  const token = document.body.dataset.token;
  const live = document.getElementById("live");
  const frame = document.getElementById("doc");
  const key = "toolkit-scroll:" + location.pathname + location.search;

  const saved = JSON.parse(sessionStorage.getItem(key) || "null");
  sessionStorage.removeItem(key);
  if (saved) {
    window.scrollTo(0, saved.page);
    if (frame) frame.addEventListener("load", () => frame.contentWindow.scrollTo(0, saved.frame), { once: true });
  }

  // The editor keeps what is typed: it takes the news itself instead of reloading.
  const byEvent = document.body.dataset.live === "event";
  function changed(e) {
    document.dispatchEvent(new CustomEvent("toolkit:change", { detail: e && e.data }));
  }

  function reload() {
    let inFrame = 0;
    try { inFrame = frame ? frame.contentWindow.scrollY : 0; } catch (e) { inFrame = 0; }
    sessionStorage.setItem(key, JSON.stringify({ page: window.scrollY, frame: inFrame }));
    location.reload();
  }

  // One stream per visible page: a browser allows only six connections per server, so a tab in
  // the background closes its stream and, back in front, reconnects; the first message then
  // tells it whether something changed meanwhile.
  let events = null;
  function connect() {
    if (events || !window.EventSource) return;
    events = new EventSource("/events");
    events.addEventListener("hello", (e) => {
      live.classList.add("on");
      if (e.data !== token) (byEvent ? changed(e) : reload());
    });
    events.addEventListener("change", byEvent ? changed : reload);
    events.addEventListener("error", () => live.classList.remove("on"));  // it reconnects itself
  }
  function disconnect() {
    if (events) events.close();
    events = null;
    live.classList.remove("on");
  }
  document.addEventListener("visibilitychange", () => (document.hidden ? disconnect() : connect()));
  if (!document.hidden) connect();

  const download = document.getElementById("download");
  const state = document.getElementById("pdf-state");
  if (download && window.fetch) {
    download.addEventListener("click", async (e) => {
      e.preventDefault();
      if (download.classList.contains("busy")) return;
      download.classList.add("busy");
      const label = download.textContent;
      download.textContent = "Building PDF…";
      if (state) state.textContent = "";
      try {
        const response = await fetch(download.href);
        if (!response.ok) {
          const page = new DOMParser().parseFromString(await response.text(), "text/html");
          const message = page.querySelector(".message");
          throw new Error(message ? message.textContent : response.statusText);
        }
        const url = URL.createObjectURL(await response.blob());
        const a = document.createElement("a");
        a.href = url;
        a.download = download.getAttribute("download") || "document.pdf";
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
      } catch (err) {
        if (state) state.textContent = "PDF failed: " + err.message;
      } finally {
        download.classList.remove("busy");
        download.textContent = label;
      }
    });
  }
})();
