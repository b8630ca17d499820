"""Site-generator syntax is never text: Liquid, kramdown attribute lists and Hugo shortcodes are
recognised, what they mean in print is kept, the rest is reported once; the source keeps it all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Project
from render_helpers import BUILD_DATE, make_project, pdf_pages_text, reader, translated

from toolkit.catalogs.units import segment
from toolkit.render import RenderContext, render_document
from toolkit.sources.model import Code, Heading, Image, Video
from toolkit.sources.parse import parse_article

DATA = Path(__file__).parent / "data" / "extract"


def _parse(name: str):
    text = (DATA / f"{name}.md").read_text(encoding="utf-8")
    return parse_article(text, path=f"sources/{name}.md", slug=name, default_lang="nl")


@pytest.mark.parametrize("name", ["jekyll-post", "hugo-post"])
def test_no_site_syntax_in_any_unit(name: str) -> None:
    for unit in segment(_parse(name)):
        for mark in ("{%", "%}", "{{", "}}", "{:", "{#"):
            assert mark not in unit.msgid, unit.msgid


def test_jekyll_post_keeps_what_has_a_print_meaning() -> None:
    article = _parse("jekyll-post")
    headings = [b for b in article.blocks if isinstance(b, Heading)]
    assert [(h.text, h.anchor, h.line) for h in headings] == [
        ("De zucht", "zucht", 15),
        ("Vier-zeven-acht", "vier-zeven-acht", 22),
    ]
    assert [(v.provider, v.video_id, v.line) for v in article.blocks if isinstance(v, Video)] == [
        ("youtube", "IXwZSYx6bFc", 20)
    ]
    code = next(b for b in article.blocks if isinstance(b, Code))
    assert (code.text, code.info) == ("in: 4 - vast: 7 - uit: 8\n", "text")
    units = {u.msgid: u for u in segment(article)}
    # the site's own address before a path: root-relative, the practice's website in print
    assert any("[mijn site](/adem.html)" in m for m in units)
    assert not any("Nog een plaatje" in m for m in units)  # a Liquid comment is not the article's
    assert units["Tot de volgende keer!"].locations == (("sources/jekyll-post.md", 36),)


def test_each_kind_of_ignored_syntax_is_reported_once_at_its_first_line() -> None:
    notes = [(n.line, n.severity, n.message) for n in _parse("jekyll-post").notes]
    assert notes == [
        (10, "info", "Liquid tag {% include toc.html %} ignored"),
        (12, "info", "attribute list {: .notice--info} ignored: it has no meaning in print"),
        (18, "info", 'attribute list {: target="_blank"} ignored: it has no meaning in print'),
        (22, "info", "attribute list {: .oefening} ignored: it has no meaning in print"),
        (32, "info", "Liquid comment left out"),
        (37, "info", "Liquid output {{ page.author | upcase }} ignored"),
    ]
    assert all(n.path == "sources/jekyll-post.md" for n in _parse("jekyll-post").notes)


def test_hugo_shortcodes_become_videos_and_figures() -> None:
    article = _parse("hugo-post")
    videos = [(v.provider, v.video_id, v.line) for v in article.blocks if isinstance(v, Video)]
    assert videos == [("youtube", "IXwZSYx6bFc", 11), ("vimeo", "76979871", 15)]
    figure = next(b for b in article.blocks if isinstance(b, Image))
    assert (figure.src, figure.alt, figure.title, figure.line) == (
        "/img/schouders.png",
        "Vrouw met ontspannen schouders",
        "Laat je schouders zakken bij het uitademen",
        13,
    )
    units = {u.msgid: u.comments for u in segment(article)}
    assert units["Laat je schouders zakken bij het uitademen"] == ("image title",)
    # an unknown paired shortcode: its tags go, the text between them stays
    assert "Doe de oefening liever zittend als je snel duizelig wordt." in units
    unknown = [(n.line, n.severity, n.message) for n in article.notes]
    assert unknown == [
        (17, "warning", "Hugo shortcode 'tweet' is not known: left out of the output (kept in the source)"),
        (19, "warning", "Hugo shortcode 'notice' is not known: left out of the output (kept in the source)"),
        (23, "warning", "Hugo shortcode 'ref' is not known: left out of the output (kept in the source)"),
    ]


def test_fenced_code_keeps_its_liquid() -> None:
    text = "---\ntitle: T\n---\n\n```liquid\n{% include toc.html %}\n{{ site.url }}\n```\n\nTekst {: .x}\n"
    article = parse_article(text, path="s.md", slug="s", default_lang="nl")
    code = next(b for b in article.blocks if isinstance(b, Code))
    assert code.text == "{% include toc.html %}\n{{ site.url }}\n"
    assert [u.msgid for u in segment(article)][-1] == "Tekst"


def test_check_reports_what_was_ignored_and_the_source_keeps_it(project: Project, capsys) -> None:
    source = (DATA / "hugo-post.md").read_text(encoding="utf-8")
    path = project.write("sources/schouders.md", source)
    assert project.run("update", "--lang", "de") == 0
    capsys.readouterr()
    assert project.run("check", "--lang", "de", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [(i["path"], i["line"]) for i in data["ignored"]] == [
        ("sources/schouders.md", 17),
        ("sources/schouders.md", 19),
        ("sources/schouders.md", 23),
    ]
    assert project.run("check", "--lang", "de") == 0
    text = capsys.readouterr().out
    assert "sources/schouders.md:17: warning: Hugo shortcode 'tweet' is not known" in text
    assert path.read_text(encoding="utf-8") == source  # never lost from the source
    pot = project.read("locales/schouders.pot")
    assert "{{" not in pot and "tweet" not in pot


def test_jekyll_post_in_print(tmp_path: Path) -> None:
    config, article = make_project(tmp_path, (DATA / "jekyll-post.md").read_text(encoding="utf-8"), "adem")
    result = render_document(
        translated(article, "nl"),
        "handout",
        context=RenderContext.create(config),
        gettext=lambda s: s,
        build_date=BUILD_DATE,
    )
    text = " ".join(pdf_pages_text(result.pdf))
    for mark in ("{%", "{{", "{:", "toc.html", "notice", "_blank"):
        assert mark not in text
    assert "youtu.be/IXwZSYx6bFc" in text  # the video's short link beside its QR code
    # `[de zucht](#zucht)` leads to the heading that had `{#zucht}`: an internal link in the PDF
    pdf = reader(result.pdf)
    internal = [
        a.get_object()
        for page in pdf.pages
        for a in page.get("/Annots") or []
        if "/Dest" in a.get_object() or ("/A" in a.get_object() and "/D" in a.get_object()["/A"])
    ]
    assert internal
    slides = render_document(
        translated(article, "nl"),
        "slides",
        context=RenderContext.create(config),
        gettext=lambda s: s,
        build_date=BUILD_DATE,
    )
    # slides have no sections to land on: the link is text there, and WeasyPrint has nothing to say
    assert not [d for d in slides.diagnostics if "anchor" in d.message]
