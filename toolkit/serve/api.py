"""The editor's JSON API: read and save one entry, the state of all units, the printed page.

    GET  /api/entry?slug=S&lang=L&msgid=…[&msgctxt=…]   one entry, with its version ("base")
    POST /api/entry   {"slug","lang","msgctxt","msgid","msgstr","fuzzy","base"}   save it
    GET  /api/units?slug=S&lang=L                          every unit's version, state, findings
    GET  /api/page?slug=S&lang=L&fmt=F&msgid=…[&msgctxt=…] the PDF page that holds a unit
    GET  /page-image/S/L/F/N                                that page as a PNG

Errors are JSON too: {"error": <code>, "message": <what and where, with a hint>}.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from toolkit.catalogs.edit import BadTranslation, EntryMissing, StaleEntry, read_entry, save_entry
from toolkit.config import Config
from toolkit.errors import ToolkitError
from toolkit.fsutil import LockBusy
from toolkit.serve import editor
from toolkit.serve.data import NotFound
from toolkit.serve.pages import PageImages
from toolkit.serve.security import TooLarge, read_body, write_refusal

RETRY_AFTER = 2  # seconds: when a save met a running `toolkit update`
_FIELDS = {"slug": str, "lang": str, "msgid": str, "msgstr": str, "fuzzy": bool, "base": str}


def error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    headers = {"Retry-After": str(RETRY_AFTER)} if status == 503 else None
    return JSONResponse({"error": code, "message": message, **extra}, status, headers=headers)


def error_for(exc: BaseException) -> JSONResponse:
    """The JSON answer for an exception raised while serving the API."""
    if isinstance(exc, NotFound | EntryMissing):
        return error(404, "not_found", str(exc))
    if isinstance(exc, BadTranslation):
        return error(400, "bad_translation", str(exc))
    if isinstance(exc, LockBusy):
        return error(503, "busy", str(exc), retry_after=RETRY_AFTER)
    if isinstance(exc, ToolkitError):  # a broken source or catalog: the user fixes the file
        return error(422, "unreadable", str(exc))
    return error(500, "internal", f"{type(exc).__name__}: {exc}")


def _params(request: Request, *names: str) -> list[str]:
    missing = [n for n in names if n not in request.query_params]
    if missing:
        raise ValueError(f"missing query parameter(s): {', '.join(missing)}")
    return [request.query_params[n] for n in names]


class Shared(Protocol):
    """What the API needs of the state the server's routes share (`toolkit.serve.app.Site`)."""

    config: Config
    editable: bool
    csrf: str
    memories: editor.Memories
    images: PageImages


class Api:
    def __init__(self, site: Shared) -> None:
        self.site = site

    def get_entry(self, request: Request) -> Response:
        try:
            slug, lang, msgid = _params(request, "slug", "lang", "msgid")
        except ValueError as exc:
            return error(400, "bad_request", str(exc))
        msgctxt = request.query_params.get("msgctxt")
        config = self.site.config
        try:
            _, _, _, path = editor.resolve(config, slug, lang)
            entry = read_entry(config, path, (msgctxt, msgid))
            body = self._entry_json(entry, lang, path)
        except Exception as exc:
            return error_for(exc)
        return JSONResponse(body, headers={"X-CSRF-Token": self.site.csrf})

    def _entry_json(self, entry: Any, lang: str, path: Any) -> dict[str, Any]:
        config = self.site.config
        memory = self.site.memories.get(lang, path)
        return editor.entry_json(entry, lang, editor.glossary_of(config), memory, config.rel(path))

    async def post_entry(self, request: Request) -> Response:
        if not self.site.editable:
            return error(403, "read_only", "this server is read-only (toolkit serve --read-only)")
        refused = write_refusal(request, self.site.csrf)
        if refused:
            return error(403, "forbidden", refused)
        try:
            raw = await read_body(request)
        except TooLarge:
            return error(413, "too_large", "the request body is larger than 256 KiB")
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "application/json":
            return error(
                400, "bad_request", "send the entry as JSON (Content-Type: application/json)"
            )
        try:
            data = json.loads(raw)
            fields = _save_fields(data)
        except (ValueError, UnicodeDecodeError) as exc:
            return error(400, "bad_request", f"malformed request: {exc}")
        return await run_in_threadpool(self._save, fields)

    def _save(self, f: dict[str, Any]) -> Response:
        config = self.site.config
        key = (f["msgctxt"], f["msgid"])
        try:
            _, _, _, path = editor.resolve(config, f["slug"], f["lang"])
            saved = save_entry(
                config, path, key, msgstr=f["msgstr"], fuzzy=f["fuzzy"], base=f["base"]
            )
        except StaleEntry as exc:
            stored = self._entry_json(exc.stored, f["lang"], path)
            return error(409, "conflict", str(exc), entry=stored)
        except Exception as exc:
            return error_for(exc)
        glossary = editor.glossary_of(config)
        checks = editor.check_entry(saved.entry, f["lang"], glossary)
        return JSONResponse(
            {
                "base": saved.base,
                "checks": editor.findings_json(checks),
                "state": saved.entry.state,
                "msgstr": saved.entry.msgstr,
                "fuzzy": saved.entry.fuzzy,
                "written": saved.written,
            }
        )

    def units(self, request: Request) -> Response:
        try:
            slug, lang = _params(request, "slug", "lang")
        except ValueError as exc:
            return error(400, "bad_request", str(exc))
        try:
            view = editor.edit_view(self.site.config, slug, lang, None)
        except Exception as exc:
            return error_for(exc)
        return JSONResponse(
            {
                "progress": view.progress.as_dict(),
                "units": [editor.unit_state_json(u) for u in view.units],
            }
        )

    def page(self, request: Request) -> Response:
        try:
            slug, lang, fmt, msgid = _params(request, "slug", "lang", "fmt", "msgid")
        except ValueError as exc:
            return error(400, "bad_request", str(exc))
        key = (request.query_params.get("msgctxt"), msgid)
        try:
            located = self.site.images.locate(slug, lang, fmt)
        except Exception as exc:
            return error_for(exc)
        place, exact = located.place(key)
        body: dict[str, Any] = {"format": fmt, "pages": located.pages, "exact": exact}
        if place is None:
            return JSONResponse({**body, "page": None, "boxes": []})
        width, height = located.sizes[place.page - 1]
        image = f"/page-image/{slug}/{lang}/{fmt}/{place.page}?key={located.key}"
        return JSONResponse(
            {
                **body,
                "page": place.page,
                "boxes": [[b.x, b.y, b.w, b.h] for b in place.boxes],
                "image": image,
                "width": width,
                "height": height,
            }
        )

    def page_image(self, request: Request) -> Response:
        p = request.path_params
        try:
            key = request.query_params.get("key", "")
            png = self.site.images.image(p["slug"], p["lang"], p["fmt"], p["page"], key)
        except IndexError:
            return error(404, "not_found", f"the document has no page {p['page']}")
        except Exception as exc:
            return error_for(exc)
        return Response(
            png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"}
        )


def _save_fields(data: object) -> dict[str, Any]:
    """The save request's fields, type-checked; ValueError names the first wrong one."""
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object")
    out: dict[str, Any] = {}
    for name, kind in _FIELDS.items():
        value = data.get(name)
        if not isinstance(value, kind):
            raise ValueError(f"{name!r} must be a {'boolean' if kind is bool else 'string'}")
        out[name] = value
    context = data.get("msgctxt")
    if context is not None and not isinstance(context, str):
        raise ValueError("'msgctxt' must be a string or null")
    out["msgctxt"] = context
    return out
