"""Live preview and translation dashboard (`toolkit serve`), read-only.

- `app`: the Starlette application, its routes and error pages;
- `data`: dashboard figures (the same as `toolkit status --json`) and the side-by-side units;
- `preview`: the layouts' HTML made loadable in a browser, and PDFs built on demand in memory;
- `files`: which project file a static URL may read (the PDF renderer's own fetcher decides);
- `live`: file watcher (watchfiles) and the Server-Sent Events stream that reloads open pages;
- `server`: binds the socket and runs uvicorn; the click command in `toolkit.cli` calls it, and the
  web packages (the extra `serve`) are imported only then.
"""
