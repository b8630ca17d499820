"""Print production on finished PDFs, with pypdf: nothing here lays out a page.

- `booklet`: A4 sheets with two A5 pages a side in saddle-stitch order, to print at home and fold;
- `marks`: the file for the print shop, crop marks outside the bleed.
"""

from toolkit.press.booklet import MM, impose_booklet, saddle_stitch_order
from toolkit.press.marks import print_ready

__all__ = ["MM", "impose_booklet", "print_ready", "saddle_stitch_order"]
