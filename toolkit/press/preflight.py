"""A print shop's preflight of our own files: what their checker stops a job for, read back with pypdf.

`preflight(pdf)` returns what the file is (`standard`: "PDF/X-4", or "" when it is not PDF/X) and
the problems found. It is no replacement for the shop's own tool (Acrobat, callas pdfToolbox), but it
checks what our pipeline can get wrong: the PDF version against transparency, the page boxes, fonts
embedded, and for PDF/X the output intent, the version keys in the metadata and `/Trapped`.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

TRANSPARENCY_FROM = (1, 4)
PDFX4_FROM = (1, 6)


@dataclass(frozen=True)
class Preflight:
    version: tuple[int, int]
    standard: str  # "PDF/X-4", or "" when the file is not PDF/X
    transparency: bool
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


def _version(reader: PdfReader) -> tuple[int, int]:
    major, minor = reader.pdf_header.removeprefix("%PDF-").split(".")[:2]
    return int(major), int(minor)


def _uses_transparency(reader: PdfReader) -> bool:
    for page in reader.pages:
        states = (page.get("/Resources") or {}).get("/ExtGState") or {}
        for state in states.values():
            gs = state.get_object()
            if any(float(gs.get(k, 1)) < 1 for k in ("/ca", "/CA")) or gs.get("/SMask", "/None") != "/None":
                return True
        if "/Group" in page:
            return True
    return False


def _fonts_not_embedded(reader: PdfReader) -> set[str]:
    missing: set[str] = set()
    seen: set[int] = set()

    def visit(resources: DictionaryObject) -> None:
        fonts = resources.get("/Font") or {}
        for font in fonts.values():
            ref = getattr(font, "idnum", None)
            if ref in seen:
                continue
            if ref is not None:
                seen.add(ref)
            obj = font.get_object()
            for f in [obj, *[d.get_object() for d in obj.get("/DescendantFonts", [])]]:
                desc = f.get("/FontDescriptor")
                if desc is None:
                    continue
                desc = desc.get_object()
                if not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    missing.add(str(obj.get("/BaseFont", "?")))
        for xobject in (resources.get("/XObject") or {}).values():
            x = xobject.get_object()
            if x.get("/Subtype") == "/Form" and "/Resources" in x:
                visit(x["/Resources"].get_object())

    for page in reader.pages:
        if "/Resources" in page:
            visit(page["/Resources"].get_object())
    return missing


def preflight(pdf: bytes) -> Preflight:
    reader = PdfReader(BytesIO(pdf))
    root = reader.trailer["/Root"]
    version = _version(reader)
    transparency = _uses_transparency(reader)
    problems: list[str] = []
    if reader.is_encrypted:
        problems.append("the file is encrypted")
    if transparency and version < TRANSPARENCY_FROM:
        problems.append(f"PDF {version[0]}.{version[1]} declared, but the pages use transparency (PDF 1.4 on)")
    if "/Lang" not in root:
        problems.append("no document language (/Lang)")
    if not (reader.metadata and reader.metadata.title):
        problems.append("no document title")
    for number, page in enumerate(reader.pages, start=1):
        if "/TrimBox" not in page:
            problems.append(f"page {number}: no TrimBox")
            continue
        trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
        if not (
            media.left <= bleed.left <= trim.left
            and media.bottom <= bleed.bottom <= trim.bottom
            and trim.right <= bleed.right <= media.right
            and trim.top <= bleed.top <= media.top
        ):
            problems.append(f"page {number}: TrimBox, BleedBox and MediaBox not nested")
    for font in sorted(_fonts_not_embedded(reader)):
        problems.append(f"font not embedded: {font}")
    intents = [i.get_object() for i in root.get("/OutputIntents", [])]
    pdfx = [i for i in intents if i.get("/S") == "/GTS_PDFX"]
    standard = ""
    if pdfx:
        xmp = root["/Metadata"].get_object().get_data() if "/Metadata" in root else b""
        if b"PDF/X-4" in xmp:
            standard = "PDF/X-4"
        else:
            problems.append("an output intent, but no PDF/X version in the XMP metadata")
        if "/DestOutputProfile" not in pdfx[0]:
            problems.append("the output intent has no profile (DestOutputProfile)")
        if standard == "PDF/X-4" and version < PDFX4_FROM:
            problems.append(f"PDF/X-4 needs PDF 1.6 or later, the file says {version[0]}.{version[1]}")
        info = reader.trailer.get("/Info")
        if info is None or info.get_object().get("/Trapped") not in ("/True", "/False"):
            problems.append("/Trapped is neither /True nor /False")
        if "/ID" not in reader.trailer:
            problems.append("no file identifier (/ID)")
    return Preflight(version, standard, transparency, tuple(problems))
