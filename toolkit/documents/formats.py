"""The output formats, one registry entry each: what a format is is said here and nowhere else.

A format names its layout (`layouts/<template>`), its page (the layout's CSS draws it; a test holds
the two together), the resolution its images are capped at, how its pages are counted, which PDF
variant it is written as, which sources it is made from, which writer makes its file and the folder
it goes in, and what print production it gets: a `booklet` (saddle-stitched: padded to a multiple
of 4, and `--impose booklet` writes its A4 sheets) and `print_shop` (trimmed by a print shop: a
bleed, and `--print-ready` writes the shop's file). An A4 handout and a slide deck are neither.
Adding a PDF format is one entry here and one template in `layouts/`; a format of another kind
(the editable PowerPoint deck) is one entry here and its writer module (`toolkit.render.writers`
names them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from toolkit.errors import ToolkitError
from toolkit.sources.model import Article

View = Literal["article", "slides", "workshop"]
Made = Literal["articles", "workshops"]
Writer = Literal["weasyprint", "pptx"]  # what makes the file: a layout through WeasyPrint, or python-pptx


@dataclass(frozen=True)
class Page:
    """The trimmed page in millimetres, and the bleed around it for the print shop."""

    width: float
    height: float
    bleed: float = 0.0


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    template: str  # in the layouts folder
    page: Page
    dpi: int  # embedded images are capped at this resolution: 300 ppi for print
    view: View = "article"  # what the layout gets: the article's sections, slides, or a pack
    made_from: Made = "articles"  # a workshop source (front matter `include`) is only a pack
    booklet: bool = False  # saddle-stitched: padded to a multiple of 4 with note pages, imposable
    print_shop: bool = False  # printed and trimmed by a shop: bleed, and a print-ready file
    pdf_variant: str | None = None  # "pdf/ua-1": tagged, for screen readers
    contents_from: int = 0  # a contents page from this many sections on (0: never)
    figures_beside: bool = False  # the tighter setting sets figures beside the text (its CSS)
    fill_notes: bool = False  # ruled note lines fill the page the notes begin on (handout.css)
    link_notes: bool = True  # print a link's address beside it: paper has no clickable links
    suffix: str = ".pdf"
    writer: Writer = "weasyprint"
    folder: str = ""  # output/<lang>/<folder>/; "" is the format's own name

    @property
    def directory(self) -> str:
        return self.folder or self.name

    @property
    def is_pdf(self) -> bool:
        """Written through a layout into a PDF: previewed in the browser, imposed, print-ready."""
        return self.writer == "weasyprint"

    @property
    def pad_to(self) -> int:
        """Saddle stitching folds sheets of four pages: spare note pages fill up to a multiple."""
        return 4 if self.booklet else 1

    def extras(self, impose: str | None, print_ready: bool) -> tuple[str, ...]:
        """The files written beside this format's PDF for these build options, by their suffix:
        a booklet only of a booklet, a print file only of what goes to the print shop."""
        return (
            *(("booklet",) if impose == "booklet" and self.booklet else ()),
            *(("print",) if print_ready and self.print_shop else ()),
        )

    def output_name(self, slug: str, extra: str = "") -> str:
        return f"{slug}.{extra}{self.suffix}" if extra else f"{slug}{self.suffix}"


A4 = Page(210, 297)
A5 = Page(148, 210)

FORMATS: Mapping[str, Format] = {
    f.name: f
    for f in (
        Format(
            "handout",
            "A4 handout, read on paper and on screens",
            "handout.html.j2",
            A4,
            dpi=300,
            pdf_variant="pdf/ua-1",
            fill_notes=True,
        ),
        Format(
            "brochure",
            "A5 brochure for the print shop, 3 mm bleed",
            "brochure.html.j2",
            Page(148, 210, bleed=3),
            dpi=300,
            booklet=True,
            print_shop=True,
            pdf_variant="pdf/ua-1",
            contents_from=4,  # fewer sections: the reader sees them all at a glance
            figures_beside=True,
        ),
        Format(
            "slides",
            "16:9 slide summary",
            "slides.html.j2",
            Page(254, 142.875),
            dpi=200,
            view="slides",
            link_notes=False,
            pdf_variant="pdf/ua-1",
        ),
        Format(
            "pptx",
            "16:9 slide summary as an editable PowerPoint file, beside the slides PDF",
            "",  # no layout: the deck is planned as for the PDF, then written with python-pptx
            Page(254, 142.875),
            dpi=200,
            view="slides",
            link_notes=False,
            suffix=".pptx",
            writer="pptx",
            folder="slides",
        ),
        Format(
            "workshop",
            "A5 workshop pack: cover, programme, articles, exercises, notes",
            "workshop.html.j2",
            A5,
            dpi=300,
            view="workshop",
            made_from="workshops",
            booklet=True,  # printed at home on A4 and folded: no bleed, not for the shop
            pdf_variant="pdf/ua-1",
        ),
    )
}


# What an ordinary article is made in; a workshop source only as the formats made from workshops.
ARTICLE_FORMATS: tuple[str, ...] = tuple(n for n, f in FORMATS.items() if f.made_from == "articles")
# The formats written as PDF from a layout (the others have writers of their own).
PDF_FORMATS: tuple[str, ...] = tuple(n for n, f in FORMATS.items() if f.is_pdf)


def select_formats(name: str) -> tuple[str, ...]:
    """What a name on the command line asks for: the format of that name and every format filed
    in the folder of that name (`slides`: the PDF and the PowerPoint file beside it)."""
    found = tuple(n for n, f in FORMATS.items() if name in (n, f.folder))
    if not found:
        get_format(name)  # raises, naming the formats there are
    return found


def is_format_name(name: str) -> bool:
    return any(name in (n, f.folder) for n, f in FORMATS.items())


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise ToolkitError(
            f"unknown format {name!r}", hint=f"formats are {', '.join(FORMATS)}"
        ) from None


def made_from(article: Article) -> Made:
    return "workshops" if article.is_workshop else "articles"


def formats_for(
    article: Article, wanted: Sequence[str] = tuple(FORMATS), *, named: bool = False
) -> tuple[Format, ...]:
    """The asked-for formats an article is made in: a workshop only as a workshop pack, an
    ordinary article never as one. Naming an article with none of its formats is an error."""
    kind = made_from(article)
    fits = tuple(f for f in map(get_format, wanted) if f.made_from == kind)
    if named and not fits:
        names = [f.name for f in FORMATS.values() if f.made_from == kind]
        if article.is_workshop:
            hint = f"a workshop (front matter 'include') builds only as: toolkit build {names[0]} {article.slug}"
        else:
            others = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
            hint = f"only sources with an 'include' list in their front matter are workshops; build {article.slug} as {others}"
        raise ToolkitError(
            f"{article.slug} is not built as {', '.join(wanted)}", path=article.path, hint=hint
        )
    return fits
