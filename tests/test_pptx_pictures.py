"""What a .pptx is drawn from, made once and reused: the themed template and the figures."""

from __future__ import annotations

import io

from conftest import REPO
from pptx import Presentation
from pptx.util import Pt

from toolkit.config import load_config
from toolkit.render import RenderContext
from toolkit.render import deck_model as geo
from toolkit.render.pictures import svg_aspect, svg_png
from toolkit.render.pptx_parts import CONTENT, theme, themed_deck


def _parts(prs) -> dict[str, bytes]:
    out = io.BytesIO()
    prs.save(out)
    prs_file = Presentation(out)
    return {str(p.partname): p.blob for p in prs_file.part.package.iter_parts()}


def test_a_themed_deck_is_the_template_themed_afresh():
    fresh = Presentation()
    fresh.slide_width, fresh.slide_height = Pt(geo.SLIDE_W), Pt(geo.SLIDE_H)
    theme(fresh, "1F4E5A", "C8553D")
    assert _parts(themed_deck("1F4E5A", "C8553D")) == _parts(fresh)


def test_themed_decks_are_copies_that_do_not_share_slides():
    one = themed_deck("1F4E5A", "C8553D")
    one.slides.add_slide(one.slide_layouts[CONTENT])
    other = themed_deck("1F4E5A", "C8553D")
    assert len(one.slides) == 1 and len(other.slides) == 0
    # Another brand has its own theme.
    assert _parts(themed_deck("000000", "C8553D")) != _parts(other)


def test_an_svg_figure_is_drawn_once_per_file():
    config = load_config(REPO)
    context = RenderContext.create(config)
    path = config.sources_dir / "img" / "loop-van-psoas.svg"
    first = svg_png(context, path, svg_aspect(path))
    assert first is not None and first.startswith(b"\x89PNG")
    assert svg_png(context, path, svg_aspect(path)) is first  # the same bytes, not drawn again
    assert len(context.pictures) == 1
