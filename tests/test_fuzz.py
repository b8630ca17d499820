"""Fuzzing the pipeline: parse -> extract -> update -> translate -> render HTML.

Random Markdown sources and random translations (raw HTML, scripts, odd Markdown included) must
never raise anything but ToolkitError, never let a tag from a translation into the HTML, and the
identity translation must give back the source text exactly.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.catalogs.files import article_template
from toolkit.catalogs.merge import merge
from toolkit.catalogs.po import Catalog, parse_catalog
from toolkit.catalogs.po_write import catalog_text
from toolkit.config import config_from_table
from toolkit.documents.formats import PDF_FORMATS
from toolkit.documents.translate import translate
from toolkit.errors import ToolkitError
from toolkit.render.environment import make_environment
from toolkit.render.html import render_html
from toolkit.sources.parse import parse_article

CONFIG = config_from_table(REPO, {"project_name": "fuzz"})
ENV = make_environment(CONFIG.layouts_dir)

words = st.sampled_from(
    ["psoas", "adem", "**vet**", "*schuin*", "`code`", "[link](/x.html)", "![b](/img/x.png)",
     "<b>", "</i>", "&amp;", "TRE®", "50%", "%(page)s", "{{ x }}", "{% if %}", "\\", "é", "—", "…",
     "<script>alert(1)</script>", "\t", "  ", "#", "-", "1.", ">", "|", "```", "---", "\u00a0"]
)
line = st.lists(st.one_of(words, st.text(max_size=12)), min_size=0, max_size=12).map(" ".join)
block = st.one_of(
    line,
    line.map(lambda t: "## " + t),
    st.lists(line, min_size=1, max_size=4).map(lambda ls: "\n".join("- " + x for x in ls)),
    st.lists(line, min_size=1, max_size=3).map(lambda ls: "\n".join("> " + x for x in ls)),
    st.tuples(line, line).map(lambda t: f"| {t[0]} | x |\n|---|---|\n| {t[1]} | y |"),
    st.just('<iframe src="https://www.youtube.com/embed/IXwZSYx6bFc"></iframe>'),
    st.just("<div onclick='x()'>raw</div>"),
    line.map(lambda t: "```\n" + t + "\n```"),
)
front = st.one_of(
    st.just(""),
    st.tuples(line, line).map(lambda t: f"---\ntitle: {t[0]!r}\nsummary: {t[1]!r}\n---\n\n"),
    st.text(max_size=40).map(lambda t: f"---\n{t}\n---\n\n"),
)
source = st.tuples(front, st.lists(block, max_size=8)).map(lambda t: t[0] + "\n\n".join(t[1]) + "\n")
translation = st.one_of(line, st.just("<script>alert('x')</script>"), st.just("<img src=x onerror=y>"))

_TAG_FROM_TRANSLATION = re.compile(r"<(script|img src=x|iframe|div onclick)", re.I)


def identity_catalog(template: Catalog) -> Catalog:
    return Catalog(template.header, tuple(replace(e, msgstr=e.msgid) for e in template.entries))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=source, fake=translation, fmt=st.sampled_from(PDF_FORMATS))
def test_pipeline_never_raises_anything_but_our_error(text: str, fake: str, fmt: str) -> None:
    try:
        article = parse_article(text, path="sources/fuzz.md", slug="fuzz", default_lang="nl")
        template = article_template(article, CONFIG)
        # Through the file format and back, as a real update does.
        template = parse_catalog(catalog_text(template), "locales/fuzz.pot")
        po, _ = merge(template, None, lang="de", project="fuzz")
        po = parse_catalog(catalog_text(po), "locales/de/LC_MESSAGES/fuzz.po")
        hostile = Catalog(po.header, tuple(replace(e, msgstr=fake) for e in po.entries))
        translated = translate(article, hostile, "de")
        html, _ = render_html(ENV, translated, fmt, config=CONFIG, gettext=lambda s: s)
    except ToolkitError:
        return
    # Neither the source's nor the translation's raw HTML ever reaches the page as markup.
    assert not _TAG_FROM_TRANSLATION.search(html), html

    identity = translate(article, identity_catalog(template), "de")
    assert identity.article.blocks == article.blocks
    assert dict(identity.article.meta) == dict(article.meta)
    assert not identity.fell_back


@pytest.mark.parametrize("fmt", PDF_FORMATS)
def test_script_in_translation_is_text_not_markup(fmt: str) -> None:
    # A workshop pack is made only from a workshop source (dates, venue and includes in front matter).
    workshop = "venue: V\ndates: [2026-03-14]\ninclude: []\n" if fmt == "workshop" else ""
    article = parse_article(f"---\ntitle: T\n{workshop}---\n\n## Kop\n\n- punt\n\nAlinea.\n", path="sources/s.md", slug="s", default_lang="nl")
    template = article_template(article, CONFIG)
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    catalog = Catalog(template.header, tuple(replace(e, msgstr=evil) for e in template.entries))
    html, _ = render_html(ENV, translate(article, catalog, "de"), fmt, config=CONFIG, gettext=lambda s: s)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
