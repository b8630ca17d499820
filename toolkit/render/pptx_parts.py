"""The pieces a PowerPoint deck is drawn with: the brand's theme, text runs and boxes, QR
pictures, rules, and a zip that is the same for the same input. `powerpoint.py` lays the slides
out with them."""

from __future__ import annotations

import copy
import functools
import io
import zipfile
from collections.abc import Sequence
from typing import Any

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

from toolkit.render import deck_model as geo
from toolkit.render.pictures import qr_png
from toolkit.render.runs import Run

# The default template's layouts, by index: title slide, title and content, title only.
TITLE, CONTENT, TITLE_ONLY = 0, 1, 5
INK, MUTED, WHITE = "23272A", "6B7275", "FFFFFF"
SANS, LIGHT = "Lato", "Lato Light"
# Lato's PANOSE class: where Lato is not installed, a similar sans stands in for it.
PANOSE, PANOSE_BOLD = "020F0502020204030203", "020F0802020204030203"


def language_tag(locale: str) -> str:
    """'en_GB' -> 'en-GB'; 'nl' -> 'nl-NL' (the likely region, as PowerPoint wants one)."""
    likely = get_global("likely_subtags").get(locale, locale) if "_" not in locale else locale
    parts = [p for p in likely.split("_") if len(p) != 4]  # drop the script (Latn)
    return "-".join(parts[:2])


def themed_deck(brand: str, accent: str) -> Deckfile:
    """An empty deck, 16:9, with the brand's theme (`theme`): a copy of one made once per brand
    and process, since python-pptx looks up every placeholder's inherited position to fit them
    to 16:9 (a tenth of a second a deck). A copy, not a saved file read back: that writes the
    zip's parts in another order."""
    return copy.deepcopy(_themed_template(brand, accent))


@functools.lru_cache(maxsize=8)
def _themed_template(brand: str, accent: str) -> Deckfile:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Pt(geo.SLIDE_W), Pt(geo.SLIDE_H)
    theme(prs, brand, accent)
    return prs


def theme(prs: Deckfile, brand: str, accent: str) -> None:
    """The brand's colours and the slides' font in the theme and the master, and the
    layouts fitted to 16:9: a slide added in PowerPoint looks like the others."""
    master = prs.slide_master
    theme = master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    for font in ("majorFont", "minorFont"):
        for latin in root.iter(qn(f"a:{font}")):
            latin.find(qn("a:latin")).set("typeface", SANS)
    scheme = root.find(".//" + qn("a:clrScheme"))
    for name, colour in (
        ("dk2", brand),
        ("accent1", brand),
        ("accent2", accent),
    ):
        slot = scheme.find(qn(f"a:{name}"))
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, qn("a:srgbClr"), val=colour)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    styles = master.element.find(qn("p:txStyles"))
    title = styles.find(qn("p:titleStyle")).find(qn("a:lvl1pPr"))
    title.set("algn", "l")
    recolour(title.find(qn("a:defRPr")), brand).set("b", "1")
    body = styles.find(qn("p:bodyStyle")).find(qn("a:lvl1pPr"))
    bullet = etree.Element(qn("a:buClr"))
    etree.SubElement(bullet, qn("a:srgbClr"), val=accent)
    body.find(qn("a:buFont")).addprevious(bullet)
    recolour(body.find(qn("a:defRPr")), INK)
    # The template is 10 × 7.5 in; the deck 10 × 5.625 in: every placeholder moves up.
    scale = geo.SLIDE_H / 540.0
    for shapes in (
        master.placeholders,
        *(layout.placeholders for layout in prs.slide_layouts),
    ):
        for shape in shapes:
            if shape.top is not None and shape.height is not None:
                shape.top, shape.height = int(shape.top * scale), int(shape.height * scale)
    content = prs.slide_layouts[CONTENT].placeholders
    for ph in content:
        if ph.placeholder_format.idx == 0:
            place(ph, geo.MARGIN_X, geo.TOP, geo.TEXT_W, 30 * geo.TITLE_LEADING * 2)
        elif ph.placeholder_format.idx == 1:
            place(
                ph,
                geo.MARGIN_X,
                geo.TOP + 30 * geo.TITLE_LEADING + geo.RULE_GAP,
                geo.TEXT_W,
                260,
            )


def fill(
    frame: TextFrame,
    paragraphs: Sequence[Sequence[Run]],
    size: float,
    colour: str,
    *,
    bold: bool = False,
    font: str = SANS,
    leading: float = 1.2,
    gap: float = 0.0,
    langs: Sequence[str | None] = (),
    shrink: bool = False,
    lang_tag: str = "",
) -> None:
    """Paragraphs of runs in a placeholder or box, at `leading` × size, top-aligned; `langs`
    gives a paragraph shown untranslated its own language tag (else `lang_tag`)."""
    frame_plain(frame, wrap=True)
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
            add_run(paragraph, run, size, colour, bold=bold, font=font, lang=lang or lang_tag)


def add_run(
    paragraph: Any,
    run: Run,
    size: float,
    colour: str,
    *,
    bold: bool = False,
    font: str = SANS,
    lang: str = "",
) -> None:
    r = paragraph.add_run()
    r.text = run.text
    f = r.font
    f.size, f.name = Pt(size), font
    f.bold = bold or run.bold or None
    f.italic = run.italic or None
    f.color.rgb = RGBColor.from_string(colour)
    if lang:
        r.font._rPr.set("lang", lang)
    latin = r.font._rPr.find(qn("a:latin"))
    latin.set("panose", PANOSE_BOLD if f.bold else PANOSE)
    latin.set("pitchFamily", "34")
    latin.set("charset", "0")
    if run.href:
        r.hyperlink.address = run.href


def add_box(
    slide: PptxSlide,
    x: float,
    y: float,
    w: float,
    h: float,
    text: str,
    size: float,
    colour: str,
    *,
    bold: bool = False,
    caps: bool = False,
    spacing: float = 0.0,
    align: Any = None,
    lang: str = "",
) -> Any:
    box = slide.shapes.add_textbox(Pt(x), Pt(y), Pt(w), Pt(h))
    frame = box.text_frame
    frame_plain(frame, wrap=True)
    paragraph = frame.paragraphs[0]
    if align is not None:
        paragraph.alignment = align
    if text:
        add_run(paragraph, Run(text), size, colour, bold=bold, lang=lang)
        rpr = paragraph.runs[0].font._rPr
        if caps:
            rpr.set("cap", "all")
        if spacing:
            rpr.set("spc", str(round(spacing * 100)))
    return box


def add_caption(
    slide: PptxSlide,
    x: float,
    y: float,
    w: float,
    lines: Sequence[tuple[str, float, str, bool]],
    lang: str = "",
) -> None:
    """Lines under a QR code, in one box: a label that wraps pushes the link down."""
    shown = [line for line in lines if line[0]]
    if not shown:
        return
    box = slide.shapes.add_textbox(
        Pt(x), Pt(y), Pt(w), Pt(sum(size * 1.25 for _, size, _, _ in shown))
    )
    frame = box.text_frame
    frame_plain(frame, wrap=True)
    frame.auto_size = MSO_AUTO_SIZE.SHAPE_TO_FIT_TEXT
    for n, (text, size, colour, bold) in enumerate(shown):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.CENTER
        paragraph.line_spacing = Pt(size * 1.2)
        add_run(paragraph, Run(text, bold=bold), size, colour, lang=lang)


def add_qr(slide: PptxSlide, url: str, x: float, y: float, size: float) -> None:
    pic = slide.shapes.add_picture(io.BytesIO(qr_png(url)), Pt(x), Pt(y), Pt(size), Pt(size))
    pic.name = "QR code"
    pic._element.nvPicPr.cNvPr.set("descr", url)


def frame_plain(frame: TextFrame, *, wrap: bool) -> None:
    frame.word_wrap = wrap
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.auto_size = MSO_AUTO_SIZE.NONE


def place(shape: Any, x: float, y: float, w: float, h: float) -> None:
    shape.left, shape.top, shape.width, shape.height = Pt(x), Pt(y), Pt(w), Pt(h)


def rule(slide: PptxSlide, x: float, y: float, w: float, colour: str, weight: float) -> None:
    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Pt(x), Pt(y), Pt(x + w), Pt(y))
    line.line.color.rgb = RGBColor.from_string(colour)
    line.line.width = Pt(weight)


def solid(colour: str) -> Any:
    fill = etree.Element(qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr"), val=colour)
    return fill


def recolour(rpr: Any, colour: str) -> Any:
    for old in rpr.findall(qn("a:solidFill")):
        rpr.remove(old)
    rpr.insert(0, solid(colour))
    return rpr


def reproducible(data: bytes) -> bytes:
    """The same zip with fixed timestamps and permissions: equal inputs give equal bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
