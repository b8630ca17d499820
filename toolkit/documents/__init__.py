"""Documents: an article in one language in one output format, prepared once for whoever renders it.

Owns the output formats (`formats`: one registry entry per format), translating an article with its
catalog (`translate`: the translated article and which units fell back), and preparing a document
(`prepare`: the translated article, a workshop pack's included articles, the layout strings, the
fallback report and the cache key). `toolkit build` and `toolkit serve` both start from here;
nothing here renders.
"""

from toolkit.documents.formats import ARTICLE_FORMATS, FORMATS, Format, formats_for, get_format
from toolkit.documents.prepare import Document, Included, Inputs

__all__ = [
    "ARTICLE_FORMATS",
    "FORMATS", "Document", "Format", "Included", "Inputs", "formats_for",
    "get_format",
]
