"""How the book's figures look: one matplotlib style for every chapter, legible on a phone.

A figure is at most :data:`MAX_WIDTH_INCHES` wide, so at 100 dots per inch it is shown at its own size in
the book's column at 1400 px, and every text in it (ticks, labels, titles, legends) is set at
:data:`MIN_FONT_POINTS` or more.  Figures are emitted as PNG at twice their resolution ("retina": the
browser shows them at their own size, sharp on high-density screens).  Multi-panel figures put at most
:data:`MAX_PANELS_ACROSS` panels side by side; more panels go on further rows.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

from tinymech.errors import InvalidInputError

#: Smallest font of any text in a figure, in points at the figure's own size.
MIN_FONT_POINTS = 11
#: Widest figure, in inches (at 100 dpi: 700 px, the book's content column at 1400 px).
MAX_WIDTH_INCHES = 7.2
#: Most panels side by side in one figure row.
MAX_PANELS_ACROSS = 2
#: Matplotlib settings of every chapter's figures.
BOOK_STYLE = {
    "font.size": MIN_FONT_POINTS,
    "axes.titlesize": MIN_FONT_POINTS,
    "axes.labelsize": MIN_FONT_POINTS,
    "xtick.labelsize": MIN_FONT_POINTS,
    "ytick.labelsize": MIN_FONT_POINTS,
    "legend.fontsize": MIN_FONT_POINTS,
    "legend.title_fontsize": MIN_FONT_POINTS,
    "figure.titlesize": MIN_FONT_POINTS + 1,
    "figure.dpi": 100,
    "savefig.dpi": 200,
}


def use_book_style() -> None:
    """Apply :data:`BOOK_STYLE` to matplotlib's defaults and, inside a Jupyter kernel, emit figures as
    PNG at twice their resolution.  Outside a kernel only the matplotlib settings change."""
    plt.rcParams.update(BOOK_STYLE)
    try:
        from IPython import get_ipython
    except ImportError:  # a plain Python session: nothing displays figures inline
        return
    if get_ipython() is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("retina")


def panels_grid(n: int) -> tuple[int, int]:
    """Rows and columns for ``n`` panels, at most :data:`MAX_PANELS_ACROSS` across.

    Raises:
        InvalidInputError: ``n`` is not a positive integer.
    """
    if not isinstance(n, int) or n < 1:
        raise InvalidInputError(f"a figure needs a positive number of panels, got {n!r}")
    columns = min(n, MAX_PANELS_ACROSS)
    return -(-n // columns), columns
