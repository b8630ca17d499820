"""The slide deck as an editable PowerPoint file: output/<lang>/slides/<slug>.pptx.

The same plan as the PDF (`deck.py`, through the same view of the article, `html.build_context`),
so both have the same slides with the same texts. Titles and points sit in the layouts' real
title and body placeholders, so a teacher edits them in PowerPoint, Keynote, Google Slides or
LibreOffice Impress as on any slide; the theme carries the brand's colours and the slides' font
(Lato: a machine without it shows a substitute), so slides added there match. QR codes and
figures are pictures; each slide's speaker notes hold the full text of its section.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as Deckfile
from pptx.slide import Slide as PptxSlide
from pptx.util import Pt

from toolkit.render import deck_model as geo
from toolkit.render import points as pts
from toolkit.render.deck import Deck, Slide
from toolkit.render.html import build_context
from toolkit.render.inline import Resolver, display_address
from toolkit.render.pictures import png_size, raster, svg_png
from toolkit.render.pptx_parts import (
    CONTENT,
    INK,
    LIGHT,
    MUTED,
    TITLE,
    TITLE_ONLY,
    WHITE,
    add_box,
    add_caption,
    add_qr,
    add_run,
    fill,
    frame_plain,
    language_tag,
    place,
    reproducible,
    rule,
    solid,
    themed_deck,
)
from toolkit.render.runs import Run, runs
from toolkit.render.views import TranslatedLike
from toolkit.render.written import Written
from toolkit.sources.model import Image

if TYPE_CHECKING:
    from toolkit.documents.prepare import Document
    from toolkit.render.document import RenderContext

FIXED_TIME = dt.datetime(2000, 1, 1)  # the file's dates: the same input gives the same bytes


@dataclass(frozen=True)
class Texts:
    """What the slides say besides the deck: from the same view of the article as the PDF."""

    practice: str
    contact: str
    website: str  # as printed
    website_url: str
    author: str
    date_text: str
    draft: bool
    lang_tag: str  # "nl-NL": the language PowerPoint checks spelling in
    source_tag: str
    locale: str = "en"  # the Babel locale the text is typeset in (quotes, dashes, "…")


class Writer:
    """One deck into one .pptx; `figure` gives a figure's picture bytes (None: missing)."""

    def __init__(
        self,
        deck: Deck,
        texts: Texts,
        translated: TranslatedLike,
        resolver: Resolver,
        gettext: Callable[[str], str],
        figure: Callable[[Image], bytes | None],
        colours: tuple[str, str],
    ) -> None:
        self.deck = deck
        self.texts = texts
        self.translated = translated
        self.resolver = resolver
        self.gettext = gettext
        self.figure = figure
        self.brand, self.accent = (c.lstrip("#").upper() for c in colours)
        self.prs: Deckfile = themed_deck(self.brand, self.accent)

    def fallback(self, line: int, text: str) -> str | None:
        """The language tag of a text shown untranslated (None: it is in the deck's language)."""
        lang = self.translated.fallback_lang(line, text)
        return language_tag(lang) if lang else None

    def meta_lang(self, key: str, text: str) -> str | None:
        return self.fallback(self.translated.article.meta_lines.get(key, 1), text)

    # --- the file --------------------------------------------------------------------------------

    def write(self) -> bytes:
        prs = self.prs
        self._title_slide()
        for slide in self.deck.slides:
            if slide.kind == "points":
                self._points_slide(slide)
            elif slide.kind == "figure":
                self._figure_slide(slide)
            else:
                self._videos_slide(slide)
        self._closing_slide()
        props = prs.core_properties
        props.title = pts.plain(self.deck.cover.text)
        props.author = self.texts.author or self.texts.practice
        props.last_modified_by = self.texts.practice
        props.language = self.texts.lang_tag
        props.created = props.modified = FIXED_TIME
        props.revision = 1
        out = io.BytesIO()
        prs.save(out)
        return reproducible(out.getvalue())

    # --- slides ----------------------------------------------------------------------------------

    def _title_slide(self) -> None:
        cover = self.deck.cover
        slide = self._new(TITLE, self.brand)
        title, subtitle = slide.placeholders[0], slide.placeholders[1]
        top = geo.COVER_TOP
        height = cover.size * geo.TITLE_LEADING * cover.lines
        place(title, geo.COVER_X, top, geo.COVER_W, height)
        fill(
            title.text_frame,
            [runs(cover.text, locale=self.texts.locale)],
            cover.size,
            WHITE,
            bold=True,
            leading=geo.TITLE_LEADING,
            langs=[self.meta_lang(cover.key, cover.text)],
            shrink=True,
            lang_tag=self.texts.lang_tag,
        )
        if cover.summary:
            lines = 3
            place(
                subtitle,
                geo.COVER_X,
                top + height + 18,
                geo.COVER_W,
                cover.summary_size * 1.3 * lines,
            )
            fill(
                subtitle.text_frame,
                [[Run(cover.summary)]],
                cover.summary_size,
                WHITE,
                font=LIGHT,
                leading=1.3,
                langs=[self.meta_lang("summary", cover.summary)],
                shrink=True,
                lang_tag=self.texts.lang_tag,
            )
        else:
            subtitle.element.getparent().remove(subtitle.element)
        add_box(
            slide,
            geo.COVER_X,
            34,
            geo.COVER_W,
            18,
            self.texts.practice,
            12,
            WHITE,
            caps=True,
            spacing=1.7,
            lang=self.texts.lang_tag,
        )
        rule(slide, geo.COVER_X, 34 + 22, geo.COVER_W, "FFFFFF", 0.75)
        foot = " · ".join(t for t in (self.texts.author, self.texts.date_text) if t)
        if self.texts.draft:
            foot = f"{foot}   {self.gettext('Draft')}".strip()
        if foot:
            add_box(
                slide,
                geo.COVER_X,
                geo.SLIDE_H - 26 - 16,
                geo.COVER_W,
                18,
                foot,
                12,
                WHITE,
                lang=self.texts.lang_tag,
            )
        self._notes(slide, cover.notes)

    def _header(self, slide: PptxSlide, deck_slide: Slide, title: str | None = None) -> None:
        ph = slide.shapes.title
        height = deck_slide.title_size * geo.TITLE_LEADING * deck_slide.title_lines
        place(ph, geo.MARGIN_X, geo.TOP, geo.TEXT_W, height)
        plain = title is not None or deck_slide.kind == "figure" or not deck_slide.title_line
        texts = [Run(title or deck_slide.title)] if plain else runs(deck_slide.title, self.resolver, self.texts.locale)
        lang = (
            self.fallback(deck_slide.title_line, deck_slide.title)
            if deck_slide.title_line
            else None
        )
        fill(
            ph.text_frame,
            [texts],
            deck_slide.title_size,
            self.brand,
            bold=True,
            leading=geo.TITLE_LEADING,
            langs=[lang],
            shrink=True,
            lang_tag=self.texts.lang_tag,
        )
        rule(slide, geo.MARGIN_X, geo.TOP + height + 6.75, geo.TEXT_W, self.accent, 1.5)
        if deck_slide.parts > 1:
            add_box(
                slide,
                geo.SLIDE_W - geo.MARGIN_X - 40,
                geo.TOP - 22,
                40,
                16,
                f"{deck_slide.part}/{deck_slide.parts}",
                12,
                MUTED,
                align=PP_ALIGN.RIGHT,
                lang=self.texts.lang_tag,
            )
        self._footer(slide)

    def _footer(self, slide: PptxSlide) -> None:
        y = geo.SLIDE_H - geo.FOOT + 16
        add_box(
            slide,
            geo.MARGIN_X,
            y,
            400,
            14,
            self.texts.practice,
            10,
            MUTED,
            caps=True,
            spacing=0.6,
            lang=self.texts.lang_tag,
        )
        box = add_box(
            slide,
            geo.SLIDE_W - geo.MARGIN_X - 80,
            y,
            80,
            14,
            "",
            10,
            MUTED,
            align=PP_ALIGN.RIGHT,
            lang=self.texts.lang_tag,
        )
        paragraph = box.text_frame.paragraphs[0]._p
        number = len(self.prs.slides._sldIdLst)
        field = etree.SubElement(
            paragraph, qn("a:fld"), id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", type="slidenum"
        )
        etree.SubElement(field, qn("a:rPr"), lang=self.texts.lang_tag, sz="1000").append(
            solid(MUTED)
        )
        etree.SubElement(field, qn("a:t")).text = str(number)
        tail = etree.SubElement(paragraph, qn("a:r"))
        etree.SubElement(tail, qn("a:rPr"), lang=self.texts.lang_tag, sz="1000").append(
            solid(MUTED)
        )
        etree.SubElement(tail, qn("a:t")).text = f" / {self.deck.count}"

    def _points_slide(self, deck_slide: Slide) -> None:
        slide = self._new(CONTENT)
        self._header(slide, deck_slide)
        body = slide.placeholders[1]
        place(body, geo.MARGIN_X, deck_slide.body_top, geo.TEXT_W, deck_slide.room)
        paragraphs = [runs(p.text, self.resolver, self.texts.locale) for p in deck_slide.points]
        langs = [self.fallback(p.line, p.unit_text) for p in deck_slide.points]
        fill(
            body.text_frame,
            paragraphs,
            deck_slide.body_size,
            INK,
            leading=geo.LEADING,
            gap=geo.POINT_GAP,
            langs=langs,
            shrink=True,
            lang_tag=self.texts.lang_tag,
        )
        self._notes(slide, deck_slide.notes)

    def _figure_slide(self, deck_slide: Slide) -> None:
        slide = self._new(TITLE_ONLY)
        self._header(slide, deck_slide)
        image = deck_slide.image
        data = self.figure(image) if image else None
        if data is not None:
            w, h = png_size(data)
            room_w, room_h = geo.TEXT_W, deck_slide.room - 2
            scale = min(room_w / w, room_h / h)
            pw, ph = w * scale, h * scale
            pic = slide.shapes.add_picture(
                io.BytesIO(data),
                Pt(geo.MARGIN_X + (room_w - pw) / 2),
                Pt(deck_slide.body_top),
                Pt(pw),
                Pt(ph),
            )
            pic.name = "Figure"
            pic._element.nvPicPr.cNvPr.set("descr", image.alt if image else "")
        elif image is not None:
            add_box(
                slide,
                geo.MARGIN_X,
                deck_slide.body_top + 40,
                geo.TEXT_W,
                40,
                f"{self.gettext('Image missing')}: {image.src}",
                14,
                self.accent,
                align=PP_ALIGN.CENTER,
                lang=self.texts.lang_tag,
            )
        self._notes(slide, deck_slide.notes)

    def _videos_slide(self, deck_slide: Slide) -> None:
        slide = self._new(TITLE_ONLY)
        self._header(slide, deck_slide, self.gettext("Videos"))
        cards = deck_slide.videos
        left = (geo.SLIDE_W - len(cards) * 198) / 2 + 6
        for n, (video, heading) in enumerate(cards):
            x = left + n * 198
            add_qr(slide, video.url, x + (186 - 132) / 2, deck_slide.body_top + 6, 132)
            label = pts.plain(heading.text.rstrip(":")) if heading else ""
            y = deck_slide.body_top + 6 + 132 + 8
            add_caption(
                slide,
                x,
                y,
                186,
                [(label, 16, self.brand, True), (video.short_url, 12, MUTED, False)],
                lang=self.texts.lang_tag,
            )
        self._notes(slide, deck_slide.notes)

    def _closing_slide(self) -> None:
        slide = self._new(TITLE_ONLY, self.brand)
        ph = slide.shapes.title
        place(ph, 54, 48, 320, 32 * 1.15 * 2)
        fill(
            ph.text_frame,
            [[Run(self.gettext("Questions? Get in touch"))]],
            32,
            WHITE,
            bold=True,
            leading=1.15,
        )
        box = slide.shapes.add_textbox(Pt(54), Pt(48 + 32 * 1.15 * 2 + 18), Pt(320), Pt(160))
        lines: list[tuple[str, float, bool]] = [(self.texts.practice, 22, True)]
        lines += [
            (part.strip(), 18, False) for part in self.texts.contact.split("·") if part.strip()
        ]
        if self.texts.website:
            lines.append((self.texts.website, 18, True))
        frame = box.text_frame
        frame_plain(frame, wrap=True)
        for n, (text, size, bold) in enumerate(lines):
            paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
            paragraph.line_spacing = Pt(size * 1.3)
            add_run(paragraph, Run(text, bold=bold), size, WHITE, lang=self.texts.lang_tag)
        codes: list[tuple[str, str, str]] = []
        if self.texts.website_url:
            codes.append((self.texts.website_url, self.gettext("Website"), ""))
        codes += [
            (v.url, pts.plain(h.text.rstrip(":")) if h else "", v.short_url)
            for v, h in self.deck.closing_videos
        ]
        if len(codes) == 1:
            url, label, _ = codes[0]
            add_qr(slide, url, 680 - 100 - 80, 90, 160)
            add_caption(
                slide,
                680 - 200,
                90 + 160 + 8,
                200,
                [(label, 14, WHITE, True)],
                lang=self.texts.lang_tag,
            )
        for n, (url, label, link) in enumerate(codes if len(codes) > 1 else []):
            row, col = divmod(n, 2)
            x = 380 + col * 146 + 3 + (146 if len(codes) % 2 and n == len(codes) - 1 else 0) / 2
            y = 40 + row * 160
            add_qr(slide, url, x + 15, y, 110)
            add_caption(
                slide,
                x,
                y + 118,
                140,
                [(label, 12, WHITE, True), (link, 11, WHITE, False)],
                lang=self.texts.lang_tag,
            )
        notes = [
            self.texts.practice,
            self.texts.contact,
            self.texts.website_url,
            self.deck.closing_notes,
        ]
        self._notes(slide, "\n".join(t for t in notes if t))

    # --- pieces ----------------------------------------------------------------------------------

    def _new(self, layout: int, background: str | None = None) -> PptxSlide:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[layout])
        for ph in list(slide.placeholders):
            if ph.placeholder_format.idx >= 10:  # date, footer, number: drawn by us
                ph.element.getparent().remove(ph.element)
        if background:
            slide.background.fill.solid()
            slide.background.fill.fore_color.rgb = RGBColor.from_string(background)
        return slide

    def _notes(self, slide: PptxSlide, text: str) -> None:
        slide.notes_slide.notes_text_frame.text = text.strip()


# --- the writer of the `pptx` format ---------------------------------------------------------------


def write_pptx(document: Document, context: RenderContext) -> Written:
    """The .pptx of a prepared document (format `pptx`): the deck the slides PDF shows."""
    config = context.config
    translated = document.translated
    ctx, diagnostics = build_context(
        translated,
        document.format,
        config=config,
        gettext=document.gettext,
        build_date=document.build_date,
    )
    deck: Deck = ctx["deck"]
    article = translated.article
    resolver = Resolver.of(config, article, translated.lang, link_notes=False, footnotes=None)

    def figure(image: Image) -> bytes | None:
        url = ctx["image"](image).url  # the PDF's own lookup (and its warning when missing)
        if url is None:
            return None
        return raster(
            Path(unquote(urlsplit(url).path)), lambda path, aspect: svg_png(context, path, aspect)
        )

    brand = config.brand_for(translated.lang)
    texts = Texts(
        practice=brand.practice,
        contact=brand.contact,
        website=display_address(brand.website) if brand.website else "",
        website_url=brand.website,
        author=str(ctx["author"]),
        date_text=str(ctx["date_text"]),
        draft=bool(ctx["draft"]),
        lang_tag=language_tag(config.babel_locale(translated.lang)),
        source_tag=language_tag(config.babel_locale(translated.source_lang)),
        locale=config.babel_locale(translated.lang),
    )
    writer = Writer(
        deck, texts, translated, resolver, document.gettext, figure, (brand.colour, brand.accent)
    )
    data = writer.write()
    return Written(data, deck.count, tuple(diagnostics) + document.notes)
