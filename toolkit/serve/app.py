"""The Starlette application of `toolkit serve`: routes, pages, and errors as readable panels.

Every route but one only reads project files; PDFs stay in memory. The one that writes,
`POST /api/entry` (api.py), saves a translation into a target language's catalog under
`locales/`, and only when the server is not `--read-only` (security.py says who may ask).
Every page is our own Jinja2 template with autoescape, and every response carries a Content
Security Policy that allows nothing from outside this server (no CDN, no inline script).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale, UnknownLocaleError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from toolkit.config import Config
from toolkit.documents import formats_for
from toolkit.documents.formats import PDF_FORMATS
from toolkit.errors import ToolkitError
from toolkit.serve import data, editor
from toolkit.serve.api import Api, error_for
from toolkit.serve.files import project_fetcher, safe_file
from toolkit.serve.live import Changes, watch
from toolkit.serve.pages import PageImages
from toolkit.serve.preview import Previewer
from toolkit.serve.security import RequireToken, new_token

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'; "
    "frame-ancestors 'self'"
)
# A project file opened on its own (an SVG from sources/, say) runs no script at all.
FILE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; font-src 'self'; sandbox"
)
STATIC = {
    "app.css": "text/css",
    "app.js": "text/javascript",
    "editor.css": "text/css",
    "editor.js": "text/javascript",
    "page.js": "text/javascript",
    "paper.css": "text/css",
    "paper.js": "text/javascript",
}


class SecurityHeaders:
    """Adds the CSP and friends to every response that does not bring its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                defaults = {
                    b"content-security-policy": PAGE_CSP.encode(),
                    b"x-content-type-options": b"nosniff",
                    b"referrer-policy": b"no-referrer",
                    b"cache-control": b"no-store",
                }
                headers += [(k, v) for k, v in defaults.items() if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


@cache
def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("toolkit.serve", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["lang_name"] = _lang_name
    env.globals["pct"] = lambda part, whole: f"{100.0 * part / whole:.2f}" if whole else "0"
    return env


@cache
def _lang_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name("en") or code
    except (UnknownLocaleError, ValueError):
        return code


class Site:
    """The state the routes share: configuration, renderer and the change counter."""

    def __init__(self, config: Config, *, editable: bool = True) -> None:
        self.config = config
        self.editable = editable
        self.csrf = new_token()  # per server start: a page from before a restart must reload
        self.previewer = Previewer(config)
        self.images = PageImages(self.previewer)
        self.memories = editor.Memories(config)
        self.fetcher = project_fetcher(config)
        self.changes = Changes()

    def page(
        self, name: str, status: int = 200, *, token: str | None = None, **context: Any
    ) -> HTMLResponse:
        """One of our pages. `token`: the change counter read *before* the files were, so that a
        save during rendering still reloads the page."""
        context.setdefault("formats", PDF_FORMATS)
        template = _templates().get_template(name)
        html = template.render(
            brand=self.config.brand,
            project=self.config.project_name,
            token=token or self.changes.token,
            editable=self.editable,
            csrf=self.csrf if self.editable else "",
            **context,
        )
        return HTMLResponse(html, status_code=status)

    def error(self, exc: BaseException, status: int) -> HTMLResponse:
        if isinstance(exc, ToolkitError):
            title, text = ("Not found" if status == 404 else "Cannot show this"), str(exc)
        elif isinstance(exc, HTTPException):
            title, text = ("Not found" if exc.status_code == 404 else "Error"), str(exc.detail)
        else:  # a bug of ours: say what, never show the traceback
            title, text = "Unexpected error", f"{type(exc).__name__}: {exc}"
        return self.page("error.html", status, title=title, message=text)

    # --- pages ---------------------------------------------------------------------------

    def dashboard(self, request: Request) -> Response:
        token = self.changes.token
        return self.page("dashboard.html", token=token, board=data.dashboard(self.config))

    def compare(self, request: Request) -> Response:
        token = self.changes.token
        p = request.path_params
        show = request.query_params.get("show", "all")
        comparison = data.compare(self.config, p["domain"], p["lang"])
        wanted = {"todo": ("untranslated", "fuzzy")}.get(show, (show,))
        units = [u for u in comparison.units if show == "all" or u.state in wanted]
        return self.page(
            "compare.html",
            token=token,
            c=comparison,
            units=units,
            show=show,
            languages=self.config.languages,
        )

    def edit(self, request: Request) -> Response:
        token = self.changes.token
        slug, lang = request.path_params["slug"], request.path_params["lang"]
        view = editor.edit_view(self.config, slug, lang, self.memories)
        return self.page(
            "edit.html", token=token, v=view, languages=self.config.languages, live="event"
        )

    def preview(self, request: Request) -> Response:
        token = self.changes.token
        slug, lang, fmt = (request.path_params[k] for k in ("slug", "lang", "fmt"))
        self.previewer.check(slug, lang, fmt)
        context = {"slug": slug, "lang": lang, "fmt": fmt, "languages": self.config.languages}
        try:
            shown = self.previewer.preview(slug, lang, fmt)
        except ToolkitError as exc:  # the toolbar stays, so the user can switch or wait for a fix
            return self.page("preview.html", 422, token=token, **context, problem=str(exc), p=None)
        # Only the formats this source is made in: a workshop is only a workshop pack.
        formats = tuple(f.name for f in formats_for(shown.translated.article) if f.is_pdf)
        return self.page(
            "preview.html", token=token, **context, formats=formats, problem="", p=shown
        )

    def document(self, request: Request) -> Response:
        slug, lang, fmt = (request.path_params[k] for k in ("slug", "lang", "fmt"))
        return HTMLResponse(self.previewer.preview(slug, lang, fmt).html)

    def pdf(self, request: Request) -> Response:
        slug, lang, fmt = (request.path_params[k] for k in ("slug", "lang", "fmt"))
        body = self.previewer.pdf(slug, lang, fmt)
        name = f"{slug}.{lang}.{fmt}.pdf"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(body, media_type="application/pdf", headers=headers)

    async def events(self, request: Request) -> Response:
        headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        return StreamingResponse(
            self.changes.stream(), media_type="text/event-stream", headers=headers
        )

    # --- files ---------------------------------------------------------------------------

    def _file(self, path: Path | None) -> Response:
        if path is None:
            raise HTTPException(404, "no such file in the project's layouts or sources folder")
        return FileResponse(
            path, headers={"Content-Security-Policy": FILE_CSP, "Cache-Control": "no-cache"}
        )

    def layouts_file(self, request: Request) -> Response:
        return self._file(
            safe_file(self.config.layouts_dir, request.path_params["rel"], self.fetcher)
        )

    def sources_file(self, request: Request) -> Response:
        return self._file(
            safe_file(self.config.sources_dir, request.path_params["rel"], self.fetcher)
        )

    def logo(self, request: Request) -> Response:
        logo = self.config.root / self.config.brand.logo if self.config.brand.logo else None
        return self._file(self.fetcher.allowed_path(logo.resolve().as_uri()) if logo else None)

    def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            raise HTTPException(404, "no such file")
        text = files("toolkit.serve").joinpath("static", name).read_text(encoding="utf-8")
        return Response(text, media_type=STATIC[name], headers={"Cache-Control": "no-cache"})


def api_error(status: int, detail: str) -> Response:
    from toolkit.serve.api import error

    code = {404: "not_found", 405: "method_not_allowed"}.get(status, "error")
    return error(status, code, detail)


def create_app(
    config: Config,
    *,
    allowed_hosts: Sequence[str] | None = None,
    watch_files: bool = True,
    editable: bool = True,
    access_token: str | None = None,
) -> Starlette:
    """The application. `allowed_hosts` guards a loopback server against DNS rebinding;
    `access_token`, when given, is required of every request (a server on the network);
    `editable` lets the editor save translations."""
    site = Site(config, editable=editable)
    api = Api(site)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        folders = [config.sources_dir, config.locales_dir, config.layouts_dir]
        task = (
            asyncio.create_task(
                watch(
                    [f.resolve() for f in folders], site.changes, stop, root=config.root.resolve()
                )
            )
            if watch_files
            else None
        )
        try:
            yield
        finally:
            site.changes.close()
            stop.set()
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await asyncio.wait_for(task, 2)

    async def on_error(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith("/api/"):
            if isinstance(exc, HTTPException):
                return api_error(exc.status_code, exc.detail)
            return error_for(exc)
        if isinstance(exc, data.NotFound):
            return site.error(exc, 404)
        if isinstance(exc, ToolkitError):
            return site.error(exc, 422)
        if isinstance(exc, HTTPException):
            return site.error(exc, exc.status_code)
        return site.error(exc, 500)

    triple = "{slug}/{lang}/{fmt}"
    routes = [
        Route("/", site.dashboard),
        Route("/translate/{domain}/{lang}", site.compare),
        Route("/edit/{slug}/{lang}", site.edit),
        Route("/api/entry", api.get_entry, methods=["GET"]),
        Route("/api/entry", api.post_entry, methods=["POST"]),
        Route("/api/units", api.units),
        Route("/api/page", api.page),
        Route("/page-image/{slug}/{lang}/{fmt}/{page:int}", api.page_image),
        Route(f"/preview/{triple}", site.preview),
        Route(f"/render/{triple}", site.document),
        Route(f"/pdf/{triple}", site.pdf),
        Route("/events", site.events),
        Route("/layouts/{rel:path}", site.layouts_file),
        Route("/sources/{rel:path}", site.sources_file),
        Route("/logo", site.logo),
        Route("/_serve/{name}", site.static),
    ]
    middleware = [Middleware(SecurityHeaders)]
    if allowed_hosts:
        middleware.insert(0, Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    if access_token:
        middleware.insert(0, Middleware(RequireToken, token=access_token))
    handlers: dict[Any, Any] = {
        ToolkitError: on_error,
        HTTPException: on_error,
        Exception: on_error,
    }
    app = Starlette(
        routes=routes, middleware=middleware, exception_handlers=handlers, lifespan=lifespan
    )
    app.state.site = site
    return app
