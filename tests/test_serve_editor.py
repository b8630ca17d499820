"""The translator's whole path in the editor, in Debian's Chromium driven by Playwright against
`toolkit serve` in a subprocess: open, use a suggestion, type, save with the keyboard, see the check
finding, clear fuzzy with a click, see the printed page change, resolve conflicts both ways, filter;
then the same page at 200 % zoom. Screenshots go to /tmp, timings to /tmp/editor-timings.json."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
import pytest
from test_serve import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FUZZY_MSGID,
    GERMAN,
    SCREENSHOTS,
    UNTRANSLATED_MSGID,
    Server,
    snapshot,
)
from test_serve_api import make_project, po, stored

PREVIOUS = "De psoas verbindt de wervelkolom met het bekken."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("editor")
    root = make_project(base / "project")
    path = po(root, "adem")
    catalog = polib.pofile(str(path))
    for entry in catalog:
        if (entry.msgctxt, entry.msgid) in GERMAN:
            entry.msgstr = GERMAN[(entry.msgctxt, entry.msgid)]
        elif entry.msgid == FUZZY_MSGID:
            entry.msgstr = "Der Psoas verbindet die Wirbelsäule mit dem Becken."
            entry.flags.insert(0, "fuzzy")
            entry.previous_msgid = PREVIOUS
            entry.tcomment = "Bitte mit Frau K. abstimmen"
    catalog.save(str(path))
    srv = Server(root, base / "server.log")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (scripts/system-deps --test)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def open_page(browser: Any, zoom: float = 1.0) -> tuple[Any, Any, list[str]]:
    # 200 % zoom: the same window, CSS pixels twice as large.
    context = browser.new_context(
        viewport={"width": int(1360 / zoom), "height": int(900 / zoom)}, device_scale_factor=zoom
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    # A conflict is an answer the page expects (409), not a problem.
    page.on(
        "console",
        lambda m: m.type == "error" and "status of 409" not in m.text and problems.append(m.text),
    )
    return context, page, problems


def unit(page: Any, msgid: str) -> Any:
    return page.locator(f'li.unit[data-msgid="{msgid}"]')


def until(page: Any, expression: str, timeout: float = 20.0) -> Any:
    """Poll a JavaScript expression until it is truthy. (Playwright's wait_for_function evaluates
    its predicate with eval, which the page's CSP forbids, rightly.)"""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.05)


def wait_page_image(page: Any, previous: str | None = None) -> str:
    """The page image shown now (after `previous`, if given)."""
    shown = json.dumps(previous or "")
    return until(
        page,
        f"(() => {{ const s = document.getElementById('editor').dataset.pageShown; return s && s !== {shown} ? s : null; }})()",
        60,
    )


def test_the_translators_whole_path(chromium: Any, server: Server, tmp_path: Path) -> None:
    context, page, problems = open_page(chromium)
    timings: dict[str, Any] = {}
    try:
        # Open: the dashboard's German figure leads to the editor.
        page.goto(server.url + "/")
        page.locator('tr[data-domain="adem"] td[data-lang="de"] a.figure').click()
        page.wait_for_url("**/edit/adem/de")
        # Work starts at the first unit that needs it: the fuzzy one, with what changed marked.
        fuzzy = unit(page, FUZZY_MSGID)
        until(
            page,
            "document.activeElement && document.activeElement.matches('li.unit.fuzzy textarea')",
        )
        assert fuzzy.locator(".changed del").inner_text() == "het bekken"
        assert fuzzy.locator(".changed ins").inner_text() == "de benen"
        # The printed page of that unit is beside the list, highlighted.
        first_image = wait_page_image(page)
        assert first_image.startswith("handout:")
        assert page.locator("#marks .hl").count() >= 1
        assert page.evaluate("document.getElementById('page-img').naturalWidth") > 500
        page.screenshot(path=str(SCREENSHOTS / "editor-start.png"))

        # Clearing fuzzy is a click; the entry's translator comment stays.
        fuzzy.locator("input.fuzzy").click()
        until(
            page,
            f"document.querySelector('li.unit[data-msgid=\"{FUZZY_MSGID}\"]').dataset.state === 'translated'",
        )
        entry = stored(server.root, FUZZY_MSGID)
        assert not entry.fuzzy and entry.previous_msgid is None
        assert entry.tcomment == "Bitte mit Frau K. abstimmen"
        # The page now prints the German text instead of the Dutch fallback.
        wait_page_image(page, first_image)

        # A memory suggestion, with its score and origin, one click to use; then Ctrl+Enter saves
        # and moves to the next unit that needs work.
        todo = unit(page, UNTRANSLATED_MSGID)
        suggestion = todo.locator(".memory li").first
        assert "%" in suggestion.locator(".score").inner_text()
        assert "locales/de/LC_MESSAGES/rust.po" in suggestion.inner_text()
        suggestion.locator("button.use").click()
        field = todo.locator("textarea")
        assert field.input_value() == "Leg dich auf den Rücken und atme ruhig aus."
        field.press("End")
        field.press("Backspace")
        field.type(", ganz ruhig.")
        shown = page.locator("#editor").get_attribute("data-page-shown")
        started = time.monotonic()
        field.press("Control+Enter")
        until(
            page,
            f"document.querySelector('li.unit[data-msgid=\"{UNTRANSLATED_MSGID}\"]').dataset.state === 'translated'",
        )
        timings["save_seconds_seen_by_test"] = round(time.monotonic() - started, 3)
        assert stored(server.root, UNTRANSLATED_MSGID).msgstr == (
            "Leg dich auf den Rücken und atme ruhig aus, ganz ruhig."
        )
        focused = page.evaluate("document.activeElement.closest('li.unit').dataset.msgid")
        assert focused == "Voeten plat op de grond"
        # The printed page shows the new text within a few seconds.
        after = wait_page_image(page, shown)
        timings["page_refresh_seconds"] = round(time.monotonic() - started, 3)
        timings["page_refresh_ms_in_page"] = int(
            page.locator("#editor").get_attribute("data-page-refresh-ms")
        )
        timings["save_ms_in_page"] = int(page.locator("#editor").get_attribute("data-last-save-ms"))
        assert after != shown

        # Type, Tab: saved, and the check finding appears at once; an error keeps the translator here.
        current = unit(page, "Voeten plat op de grond")
        current.locator("textarea").type("**Füße** flach auf den Boden")
        current.locator("textarea").press("Tab")
        finding = current.locator(".findings li.finding.error")
        finding.wait_for()
        assert "bold" in finding.inner_text() and "[markup]" in finding.inner_text()
        assert (
            page.evaluate("document.activeElement.closest('li.unit').dataset.msgid")
            == "Voeten plat op de grond"
        )
        assert "1 error" in page.locator("#status").inner_text()
        # Fixed, saved: the finding goes.
        field = current.locator("textarea")
        field.fill("Füße flach auf den Boden")
        field.press("Control+Enter")
        until(
            page,
            "document.querySelector('li.unit[data-msgid=\"Voeten plat op de grond\"] .findings').children.length === 0",
        )

        # Someone saves the same entry in Poedit while the translator types: the save is refused,
        # both texts are shown, the translator keeps theirs.
        knees = unit(page, "Knieën omhoog")
        knees.locator("textarea").click()
        knees.locator("textarea").type("Knie hoch")
        path = po(server.root, "adem")
        catalog = polib.pofile(str(path), wrapwidth=0)
        catalog.find("Knieën omhoog").msgstr = "Knie nach oben (Poedit)"
        catalog.save(str(path))
        time.sleep(0.5)  # the file watcher tells the page; the typed text must stay
        assert knees.locator("textarea").input_value() == "Knie hoch"
        knees.locator("textarea").press("Control+Enter")
        panel = knees.locator(".conflict")
        panel.wait_for(state="visible")
        assert "Knie hoch" in panel.locator(".mine").inner_text()
        assert "Knie nach oben (Poedit)" in panel.locator(".theirs").inner_text()
        page.screenshot(path=str(SCREENSHOTS / "editor-conflict.png"))
        panel.locator("button.keep-mine").click()
        until(
            page,
            "document.querySelector('li.unit[data-msgid=\"Knieën omhoog\"] .save-state').textContent === 'saved'",
        )
        assert stored(server.root, "Knieën omhoog").msgstr == "Knie hoch"

        # And once the other way: the stored text is taken, nothing is saved over it.
        heading = unit(page, "Oefening")
        heading.locator("textarea").click()
        heading.locator("textarea").type("Übung (meine)")
        catalog = polib.pofile(str(path))
        catalog.find("Oefening").msgstr = "Übung"
        catalog.save(str(path))
        heading.locator("textarea").press("Control+Enter")
        heading.locator(".conflict button.take-theirs").click()
        assert heading.locator("textarea").input_value() == "Übung"
        assert stored(server.root, "Oefening").msgstr == "Übung"

        # Filters: what needs work, what has findings.
        page.locator("button.filter[data-filter='todo']").click()
        # (The unit being worked on stays in view until the filter is chosen again.)
        visible = page.locator("li.unit:not([hidden]):not(.current)")
        states = {visible.nth(i).get_attribute("data-state") for i in range(visible.count())}
        assert states == {"untranslated"}, states
        assert page.locator("button.filter[data-filter='todo'] .count").inner_text() == str(
            visible.count()
        )
        page.locator("button.filter[data-filter='all']").click()

        # Keyboard and labels: every field has a label, the focus is visible.
        labels = page.evaluate(
            "[...document.querySelectorAll('textarea.tr')].every(t => document.querySelector(`label[for=\"${t.id}\"]`))"
        )
        assert labels
        heading.locator("textarea").focus()
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        page.screenshot(path=str(tmp_path / "editor.png"))
        shutil.copy(tmp_path / "editor.png", SCREENSHOTS / "editor.png")
        assert not problems, problems
    finally:
        context.close()
    (SCREENSHOTS / "editor-timings.json").write_text(
        json.dumps(timings, indent=2), encoding="utf-8"
    )
    print("editor timings:", timings)
    assert timings["page_refresh_seconds"] < 15, timings


def test_the_editor_at_200_percent_zoom(chromium: Any, server: Server) -> None:
    context, page, problems = open_page(chromium, zoom=2.0)
    try:
        page.goto(server.url + "/edit/adem/de#u8")
        wait_page_image(page)
        # One column, nothing wider than the window, the focused field not under the docked page.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.wait_for_timeout(600)  # the smooth scroll
        box = page.evaluate("document.activeElement.getBoundingClientRect().toJSON()")
        pane = page.evaluate("document.getElementById('pagepane').getBoundingClientRect().toJSON()")
        assert box["top"] >= 0 and box["top"] < pane["top"], (box, pane)
        page.screenshot(path=str(SCREENSHOTS / "editor-200.png"))
        # The page can be hidden to give the units the whole window.
        page.locator("#pane-toggle").click()
        assert page.locator("#sheet-wrap").is_hidden()
        page.keyboard.press("Alt+P")  # and back, from the keyboard
        assert page.locator("#sheet-wrap").is_visible()
        assert page.locator("#pane-toggle").get_attribute("aria-expanded") == "true"
        assert not problems, problems
    finally:
        context.close()


def test_the_server_wrote_only_the_german_catalog(server: Server) -> None:
    assert server.stop() == 0
    changed = {k for k, v in snapshot(server.root).items() if server.expected.get(k) != v}
    assert changed == {"locales/de/LC_MESSAGES/adem.po"}, changed
