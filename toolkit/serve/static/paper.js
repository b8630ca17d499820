// Inside the preview frame: <base href="/layouts/"> would send in-page links (a brochure's
// contents) to /layouts/#id, so they scroll here instead.
document.addEventListener("click", (e) => {
  const link = e.target.closest && e.target.closest("a[href^='#']");
  if (!link) return;
  const target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
  if (target) {
    e.preventDefault();
    target.scrollIntoView({ behavior: "smooth", block: "start" });
  }
});
