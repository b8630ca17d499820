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
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from babel.core import get_global
from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as Deckfile
from pptx.slide import Slide as PptxSlide
from pptx.text.text import TextFrame
from pptx.util import Pt

from toolkit.render import deck as geo
from toolkit.render import points as pts
from toolkit.render.deck import Deck, Slide
from toolkit.render.html import build_context
from toolkit.render.inline import Resolver, display_address
from toolkit.render.pictures import pdf_page_png, png_size, qr_png, raster
from toolkit.render.runs import Run, runs
from toolkit.render.views import TranslatedLike
from toolkit.render.writers import Written
from toolkit.sources.model import Image

if TYPE_CHECKING:
    from toolkit.documents.prepare import Document
    from toolkit.render.document import RenderContext

# The default template's layouts, by index: title slide, title and content, title only.
TITLE, CONTENT, TITLE_ONLY = 0, 1, 5
INK, MUTED, WHITE = "23272A", "6B7275", "FFFFFF"
SANS, LIGHT = "Lato", "Lato Light"
PANOSE, PANOSE_BOLD = "020F0502020204030203", "020F0802020204030203"
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


def language_tag(locale: str) -> str:
    """'en_GB' -> 'en-GB'; 'nl' -> 'nl-NL' (the likely region, as PowerPoint wants one)."""
    likely = get_global("likely_subtags").get(locale, locale) if "_" not in locale else locale
    parts = [p for p in likely.split("_") if len(p) != 4]  # drop the script (Latn)
    return "-".join(parts[:2])


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
        self.prs: Deckfile = Presentation()

    def fallback(self, line: int, text: str) -> str | None:
        """The language a text is shown in when it was not translated (None: the deck's)."""
        return self.translated.fallback_lang(line, text)

    def meta_lang(self, key: str, text: str) -> str | None:
        return self.fallback(self.translated.article.meta_lines.get(key, 1), text)

    # --- the file --------------------------------------------------------------------------------

    def write(self) -> bytes:
        prs = self.prs
        prs.slide_width, prs.slide_height = Pt(geo.SLIDE_W), Pt(geo.SLIDE_H)
        self._theme()
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

    def _theme(self) -> None:
        """The brand's colours and the slides' font in the theme and the master, and the
        layouts fitted to 16:9: a slide added in PowerPoint looks like the others."""
        master = self.prs.slide_master
        theme = master.part.part_related_by(RT.THEME)
        root = etree.fromstring(theme.blob)
        for font in ("majorFont", "minorFont"):
            for latin in root.iter(qn(f"a:{font}")):
                latin.find(qn("a:latin")).set("typeface", SANS)
        scheme = root.find(".//" + qn("a:clrScheme"))
        for name, colour in (("dk2", self.brand), ("accent1", self.brand), ("accent2", self.accent)):
            slot = scheme.find(qn(f"a:{name}"))
            for child in list(slot):
                slot.remove(child)
            etree.SubElement(slot, qn("a:srgbClr"), val=colour)
        theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        styles = master.element.find(qn("p:txStyles"))
        title = styles.find(qn("p:titleStyle")).find(qn("a:lvl1pPr"))
        title.set("algn", "l")
        _colour(title.find(qn("a:defRPr")), self.brand).set("b", "1")
        body = styles.find(qn("p:bodyStyle")).find(qn("a:lvl1pPr"))
        bullet = etree.Element(qn("a:buClr"))
        etree.SubElement(bullet, qn("a:srgbClr"), val=self.accent)
        body.find(qn("a:buFont")).addprevious(bullet)
        _colour(body.find(qn("a:defRPr")), INK)
        # The template is 10 × 7.5 in; the deck 10 × 5.625 in: every placeholder moves up.
        scale = geo.SLIDE_H / 540.0
        for shapes in (master.placeholders, *(layout.placeholders for layout in self.prs.slide_layouts)):
            for shape in shapes:
                if shape.top is not None and shape.height is not None:
                    shape.top, shape.height = int(shape.top * scale), int(shape.height * scale)
        content = self.prs.slide_layouts[CONTENT].placeholders
        for ph in content:
            if ph.placeholder_format.idx == 0:
                _place(ph, geo.MARGIN_X, geo.TOP, geo.TEXT_W, 30 * geo.TITLE_LEADING * 2)
            elif ph.placeholder_format.idx == 1:
                _place(ph, geo.MARGIN_X, geo.TOP + 30 * geo.TITLE_LEADING + geo.RULE_GAP, geo.TEXT_W, 260)

    # --- slides ----------------------------------------------------------------------------------

    def _title_slide(self) -> None:
        cover = self.deck.cover
        slide = self._new(TITLE, self.brand)
        title, subtitle = slide.placeholders[0], slide.placeholders[1]
        top = geo.COVER_TOP
        height = cover.size * geo.TITLE_LEADING * cover.lines
        _place(title, geo.COVER_X, top, geo.COVER_W, height)
        self._text(title.text_frame, [runs(cover.text)], cover.size, WHITE, bold=True, leading=geo.TITLE_LEADING, langs=[self.meta_lang(cover.key, cover.text)], shrink=True)
        if cover.summary:
            lines = 3
            _place(subtitle, geo.COVER_X, top + height + 18, geo.COVER_W, cover.summary_size * 1.3 * lines)
            self._text(subtitle.text_frame, [[Run(cover.summary)]], cover.summary_size, WHITE, font=LIGHT, leading=1.3, langs=[self.meta_lang("summary", cover.summary)], shrink=True)
        else:
            subtitle.element.getparent().remove(subtitle.element)
        self._box(slide, geo.COVER_X, 34, geo.COVER_W, 18, self.texts.practice, 12, WHITE, caps=True, spacing=1.7)
        _rule(slide, geo.COVER_X, 34 + 22, geo.COVER_W, "FFFFFF", 0.75)
        foot = " · ".join(t for t in (self.texts.author, self.texts.date_text) if t)
        if self.texts.draft:
            foot = f"{foot}   {self.gettext('Draft')}".strip()
        if foot:
            self._box(slide, geo.COVER_X, geo.SLIDE_H - 26 - 16, geo.COVER_W, 18, foot, 12, WHITE)
        self._notes(slide, cover.notes)

    def _header(self, slide: PptxSlide, deck_slide: Slide, title: str | None = None) -> None:
        ph = slide.shapes.title
        height = deck_slide.title_size * geo.TITLE_LEADING * deck_slide.title_lines
        _place(ph, geo.MARGIN_X, geo.TOP, geo.TEXT_W, height)
        plain = title is not None or deck_slide.kind == "figure" or not deck_slide.title_line
        texts = [Run(title or deck_slide.title)] if plain else runs(deck_slide.title, self.resolver)
        lang = self.fallback(deck_slide.title_line, deck_slide.title) if deck_slide.title_line else None
        self._text(ph.text_frame, [texts], deck_slide.title_size, self.brand, bold=True, leading=geo.TITLE_LEADING, langs=[lang], shrink=True)
        _rule(slide, geo.MARGIN_X, geo.TOP + height + 6.75, geo.TEXT_W, self.accent, 1.5)
        if deck_slide.parts > 1:
            self._box(slide, geo.SLIDE_W - geo.MARGIN_X - 40, geo.TOP - 22, 40, 16, f"{deck_slide.part}/{deck_slide.parts}", 12, MUTED, align=PP_ALIGN.RIGHT)
        self._footer(slide)

    def _footer(self, slide: PptxSlide) -> None:
        y = geo.SLIDE_H - geo.FOOT + 16
        self._box(slide, geo.MARGIN_X, y, 400, 14, self.texts.practice, 10, MUTED, caps=True, spacing=0.6)
        box = self._box(slide, geo.SLIDE_W - geo.MARGIN_X - 80, y, 80, 14, "", 10, MUTED, align=PP_ALIGN.RIGHT)
        paragraph = box.text_frame.paragraphs[0]._p
        number = len(self.prs.slides._sldIdLst)
        field = etree.SubElement(paragraph, qn("a:fld"), id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", type="slidenum")
        etree.SubElement(field, qn("a:rPr"), lang=self.texts.lang_tag, sz="1000").append(_solid(MUTED))
        etree.SubElement(field, qn("a:t")).text = str(number)
        tail = etree.SubElement(paragraph, qn("a:r"))
        etree.SubElement(tail, qn("a:rPr"), lang=self.texts.lang_tag, sz="1000").append(_solid(MUTED))
        etree.SubElement(tail, qn("a:t")).text = f" / {self.deck.count}"

    def _points_slide(self, deck_slide: Slide) -> None:
        slide = self._new(CONTENT)
        self._header(slide, deck_slide)
        body = slide.placeholders[1]
        _place(body, geo.MARGIN_X, deck_slide.body_top, geo.TEXT_W, deck_slide.room)
        paragraphs = [runs(p.text, self.resolver) for p in deck_slide.points]
        langs = [self.fallback(p.line, p.unit_text) for p in deck_slide.points]
        self._text(body.text_frame, paragraphs, deck_slide.body_size, INK, leading=geo.LEADING, gap=geo.POINT_GAP, langs=langs, shrink=True)
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
            pic = slide.shapes.add_picture(io.BytesIO(data), Pt(geo.MARGIN_X + (room_w - pw) / 2), Pt(deck_slide.body_top), Pt(pw), Pt(ph))
            pic.name = "Figure"
            pic._element.nvPicPr.cNvPr.set("descr", image.alt if image else "")
        elif image is not None:
            self._box(slide, geo.MARGIN_X, deck_slide.body_top + 40, geo.TEXT_W, 40, f"{self.gettext('Image missing')}: {image.src}", 14, self.accent, align=PP_ALIGN.CENTER)
        self._notes(slide, deck_slide.notes)

    def _videos_slide(self, deck_slide: Slide) -> None:
        slide = self._new(TITLE_ONLY)
        self._header(slide, deck_slide, self.gettext("Videos"))
        cards = deck_slide.videos
        left = (geo.SLIDE_W - len(cards) * 198) / 2 + 6
        for n, (video, heading) in enumerate(cards):
            x = left + n * 198
            self._qr(slide, video.url, x + (186 - 132) / 2, deck_slide.body_top + 6, 132)
            label = pts.plain(heading.text.rstrip(":")) if heading else ""
            y = deck_slide.body_top + 6 + 132 + 8
            self._caption(slide, x, y, 186, [(label, 16, self.brand, True), (video.short_url, 12, MUTED, False)])
        self._notes(slide, deck_slide.notes)

    def _closing_slide(self) -> None:
        slide = self._new(TITLE_ONLY, self.brand)
        ph = slide.shapes.title
        _place(ph, 54, 48, 320, 32 * 1.15 * 2)
        self._text(ph.text_frame, [[Run(self.gettext("Questions? Get in touch"))]], 32, WHITE, bold=True, leading=1.15)
        box = slide.shapes.add_textbox(Pt(54), Pt(48 + 32 * 1.15 * 2 + 18), Pt(320), Pt(160))
        lines: list[tuple[str, float, bool]] = [(self.texts.practice, 22, True)]
        lines += [(part.strip(), 18, False) for part in self.texts.contact.split("·") if part.strip()]
        if self.texts.website:
            lines.append((self.texts.website, 18, True))
        frame = box.text_frame
        _frame(frame, wrap=True)
        for n, (text, size, bold) in enumerate(lines):
            paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
            paragraph.line_spacing = Pt(size * 1.3)
            self._run(paragraph, Run(text, bold=bold), size, WHITE)
        codes: list[tuple[str, str, str]] = []
        if self.texts.website_url:
            codes.append((self.texts.website_url, self.gettext("Website"), ""))
        codes += [(v.url, pts.plain(h.text.rstrip(":")) if h else "", v.short_url) for v, h in self.deck.closing_videos]
        if len(codes) == 1:
            url, label, _ = codes[0]
            self._qr(slide, url, 680 - 100 - 80, 90, 160)
            self._caption(slide, 680 - 200, 90 + 160 + 8, 200, [(label, 14, WHITE, True)])
        for n, (url, label, link) in enumerate(codes if len(codes) > 1 else []):
            row, col = divmod(n, 2)
            x = 380 + col * 146 + 3 + (146 if len(codes) % 2 and n == len(codes) - 1 else 0) / 2
            y = 40 + row * 160
            self._qr(slide, url, x + 15, y, 110)
            self._caption(slide, x, y + 118, 140, [(label, 12, WHITE, True), (link, 11, WHITE, False)])
        notes = [self.texts.practice, self.texts.contact, self.texts.website_url, self.deck.closing_notes]
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

    def _text(self, frame: TextFrame, paragraphs: Sequence[Sequence[Run]], size: float, colour: str, *, bold: bool = False, font: str = SANS, leading: float = 1.2, gap: float = 0.0, langs: Sequence[str | None] = (), shrink: bool = False) -> None:
        _frame(frame, wrap=True)
        frame.vertical_anchor = MSO_ANCHOR.TOP
        if shrink:  # PowerPoint shrinks the text when a teacher adds more than fits
            frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        for n, texts in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
            paragraph.alignment = PP_ALIGN.LEFT  # the subtitle placeholder centres by default
            paragraph.line_spacing = Pt(size * leading)
            if gap and n < len(paragraphs) - 1:
                paragraph.space_after = Pt(size * gap)
            paragraph.space_before = Pt(0)
            lang = langs[n] if n < len(langs) else None
            for run in texts:
                self._run(paragraph, run, size, colour, bold=bold, font=font, lang=lang)

    def _run(self, paragraph: Any, run: Run, size: float, colour: str, *, bold: bool = False, font: str = SANS, lang: str | None = None) -> None:
        r = paragraph.add_run()
        r.text = run.text
        f = r.font
        f.size, f.name = Pt(size), font
        f.bold = bold or run.bold or None
        f.italic = run.italic or None
        f.color.rgb = RGBColor.from_string(colour)
        r.font._rPr.set("lang", language_tag(lang) if lang else self.texts.lang_tag)
        # Lato's PANOSE class: where Lato is not installed, a similar sans stands in for it.
        latin = r.font._rPr.find(qn("a:latin"))
        latin.set("panose", PANOSE_BOLD if f.bold else PANOSE)
        latin.set("pitchFamily", "34")
        latin.set("charset", "0")
        if run.href:
            r.hyperlink.address = run.href

    def _box(self, slide: PptxSlide, x: float, y: float, w: float, h: float, text: str, size: float, colour: str, *, bold: bool = False, caps: bool = False, spacing: float = 0.0, align: Any = None) -> Any:
        box = slide.shapes.add_textbox(Pt(x), Pt(y), Pt(w), Pt(h))
        frame = box.text_frame
        _frame(frame, wrap=True)
        paragraph = frame.paragraphs[0]
        if align is not None:
            paragraph.alignment = align
        if text:
            self._run(paragraph, Run(text), size, colour, bold=bold)
            rpr = paragraph.runs[0].font._rPr
            if caps:
                rpr.set("cap", "all")
            if spacing:
                rpr.set("spc", str(round(spacing * 100)))
        return box

    def _caption(self, slide: PptxSlide, x: float, y: float, w: float, lines: Sequence[tuple[str, float, str, bool]]) -> None:
        """Lines under a QR code, in one box: a label that wraps pushes the link down."""
        shown = [line for line in lines if line[0]]
        if not shown:
            return
        box = slide.shapes.add_textbox(Pt(x), Pt(y), Pt(w), Pt(sum(size * 1.25 for _, size, _, _ in shown)))
        frame = box.text_frame
        _frame(frame, wrap=True)
        frame.auto_size = MSO_AUTO_SIZE.SHAPE_TO_FIT_TEXT
        for n, (text, size, colour, bold) in enumerate(shown):
            paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
            paragraph.alignment = PP_ALIGN.CENTER
            paragraph.line_spacing = Pt(size * 1.2)
            self._run(paragraph, Run(text, bold=bold), size, colour)

    def _qr(self, slide: PptxSlide, url: str, x: float, y: float, size: float) -> None:
        pic = slide.shapes.add_picture(io.BytesIO(qr_png(url)), Pt(x), Pt(y), Pt(size), Pt(size))
        pic.name = "QR code"
        pic._element.nvPicPr.cNvPr.set("descr", url)

    def _notes(self, slide: PptxSlide, text: str) -> None:
        slide.notes_slide.notes_text_frame.text = text.strip()


def _frame(frame: TextFrame, *, wrap: bool) -> None:
    frame.word_wrap = wrap
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.auto_size = MSO_AUTO_SIZE.NONE


def _place(shape: Any, x: float, y: float, w: float, h: float) -> None:
    shape.left, shape.top, shape.width, shape.height = Pt(x), Pt(y), Pt(w), Pt(h)


def _rule(slide: PptxSlide, x: float, y: float, w: float, colour: str, weight: float) -> None:
    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Pt(x), Pt(y), Pt(x + w), Pt(y))
    line.line.color.rgb = RGBColor.from_string(colour)
    line.line.width = Pt(weight)


def _solid(colour: str) -> Any:
    fill = etree.Element(qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr"), val=colour)
    return fill


def _colour(rpr: Any, colour: str) -> Any:
    for old in rpr.findall(qn("a:solidFill")):
        rpr.remove(old)
    rpr.insert(0, _solid(colour))
    return rpr


def reproducible(data: bytes) -> bytes:
    """The same zip with fixed timestamps and permissions: equal inputs give equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# --- the writer of the `pptx` format ---------------------------------------------------------------


def write_pptx(document: Document, context: RenderContext) -> Written:
    """The .pptx of a prepared document (format `pptx`): the deck the slides PDF shows."""
    config = context.config
    translated = document.translated
    ctx, diagnostics = build_context(
        translated, document.format, config=config, gettext=document.gettext, build_date=document.build_date
    )
    deck: Deck = ctx["deck"]
    article = translated.article
    resolver = Resolver(
        sources_dir=config.sources_dir,
        article_dir=(config.root / article.path).parent,
        article_path=article.path,
        website=config.brand.website,
        link_notes=False,
    )

    def figure(image: Image) -> bytes | None:
        url = ctx["image"](image).url  # the PDF's own lookup (and its warning when missing)
        if url is None:
            return None
        return raster(Path(unquote(urlsplit(url).path)), lambda path, aspect: _svg_png(context, path, aspect))

    brand = config.brand
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
    )
    writer = Writer(deck, texts, translated, resolver, document.gettext, figure, (brand.colour, brand.accent))
    data = writer.write()
    return Written(data, deck.count, tuple(diagnostics) + document.notes)


def _svg_png(context: RenderContext, path: Path, aspect: float) -> bytes | None:
    """An SVG figure drawn by WeasyPrint (through the project's fetcher), then rasterised."""
    from toolkit.render.pdf import capture_weasyprint, finish, layout

    width = 1000.0
    height = width / aspect
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
        f"@page {{ size: {width}px {height:.2f}px; margin: 0 }} body {{ margin: 0 }} "
        f"img {{ display: block; width: {width}px; height: {height:.2f}px }}"
        f'</style></head><body><img src="{path.as_uri()}" alt=""></body></html>'
    )
    with capture_weasyprint():
        laid = layout(
            html,
            base_url=context.config.layouts_dir.resolve().as_uri() + "/",
            fetcher=context.fetcher(),
            font_config=context.font_config,
            cache=context.cache,
            dpi=300,
        )
        pdf, _ = finish(laid)
    return pdf_page_png(pdf)
