"""TMX 1.4 in and out, so the practice's memory can travel to and from a CAT tool."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from toolkit import __version__
from toolkit.catalogs.memory import MemoryUnit
from toolkit.errors import ToolkitError

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _same_lang(a: str, b: str) -> bool:
    norm = lambda x: x.replace("_", "-").lower().split("-")[0]  # noqa: E731
    return norm(a) == norm(b)


def tmx_text(pairs: Iterable[tuple[str, str]], source_lang: str, target_lang: str) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<tmx version="1.4">',
        f'  <header creationtool="toolkit" creationtoolversion="{__version__}" datatype="plaintext"'
        f' segtype="paragraph" adminlang="en" srclang={quoteattr(source_lang)} o-tmf="toolkit"/>',
        "  <body>",
    ]
    for source, target in pairs:
        lines += [
            "    <tu>",
            f"      <tuv xml:lang={quoteattr(source_lang)}><seg>{escape(source)}</seg></tuv>",
            f"      <tuv xml:lang={quoteattr(target_lang)}><seg>{escape(target)}</seg></tuv>",
            "    </tu>",
        ]
    lines += ["  </body>", "</tmx>", ""]
    return "\n".join(lines)


def _seg_text(seg: ET.Element) -> str:
    # Inline markup (<bpt>, <ph>, ...) carries native codes; its text is kept, the tags dropped.
    return "".join(seg.itertext())


def read_tmx(data: bytes, path: str, source_lang: str, target_lang: str) -> list[MemoryUnit]:
    if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        raise ToolkitError("TMX with a DOCTYPE or entities is not read", path=path)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ToolkitError(f"not valid XML: {exc}", path=path, line=exc.position[0]) from exc
    if root.tag != "tmx":
        raise ToolkitError("not a TMX file (no <tmx> root element)", path=path)
    units = []
    for tu in root.iter("tu"):
        segs: dict[str, str] = {}
        for tuv in tu.findall("tuv"):
            lang = tuv.get(_XML_LANG) or tuv.get("lang") or ""
            seg = tuv.find("seg")
            if seg is not None:
                segs[lang] = _seg_text(seg)
        source = next((t for lang, t in segs.items() if _same_lang(lang, source_lang)), None)
        target = next((t for lang, t in segs.items() if _same_lang(lang, target_lang)), None)
        if source and target:
            units.append(MemoryUnit(" ".join(source.split()), target, path))
    return units
