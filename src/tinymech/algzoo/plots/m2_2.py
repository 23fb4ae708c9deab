"""Figures of the M2,2 chapter: the sectors of the logit difference and the misclassified wedges."""

from __future__ import annotations

import math
from typing import Sequence

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Wedge

from tinymech.errors import InvalidInputError

#: ARC's colours of the pieces (distinct in greyscale).
COLOURS = {"blue": "#4575b4", "green": "#1a9850", "yellow": "#fee08b"}
#: Colour of the decision boundary Δ = 0.
BOUNDARY_COLOUR = "#b2182b"


def sectors_figure(pieces: Sequence, rays: Sequence[float], offsets: Sequence[float]) -> Figure:
    """The sectors of the logit difference on the unit disk, and the wedge at each diagonal ray.

    Args:
        pieces: the linear pieces (``start``, ``end`` in radians and ``colour``, one of :data:`COLOURS`),
            as :func:`tinymech.algzoo.logit_difference.logit_difference_pieces` returns them.
        rays: angles of the decision boundary Δ = 0, in radians.
        offsets: for each diagonal ray (45° then 225°), the angle from it to the nearby ray of Δ = 0, in
            radians.

    Returns:
        A figure of two panels: the disk (left) and the offsets in units of 2^-11 rad (right).

    Raises:
        InvalidInputError: no pieces or no offsets, or a piece of unknown colour.
    """
    if not pieces or not offsets:
        raise InvalidInputError("sectors_figure needs at least one piece and one offset")
    unknown = {p.colour for p in pieces} - set(COLOURS)
    if unknown:
        raise InvalidInputError(
            f"pieces of unknown colour {sorted(unknown)}; known: {list(COLOURS)}"
        )
    fig, (ax, zoom) = plt.subplots(
        1, 2, figsize=(7.2, 4.2), gridspec_kw={"width_ratios": [1, 1.1]}
    )
    for p in pieces:
        ax.add_patch(
            Wedge(
                (0, 0),
                1.0,
                math.degrees(p.start),
                math.degrees(p.end),
                facecolor=COLOURS[p.colour],
                edgecolor="k",
                linewidth=0.5,
            )
        )
    for angle in rays:
        ax.plot(
            [0, 1.15 * math.cos(angle)],
            [0, 1.15 * math.sin(angle)],
            color=BOUNDARY_COLOUR,
            lw=1.5,
        )
    ax.plot([-1.2, 1.2], [-1.2, 1.2], "k--", lw=1)
    ax.set(
        xlim=(-1.2, 1.2),
        ylim=(-1.2, 1.2),
        aspect="equal",
        xlabel="$x_0$",
        ylabel="$x_1$",
        title="Sectors of the logit difference",
    )
    handles = [Patch(facecolor=c, edgecolor="k", label=k) for k, c in COLOURS.items()]
    handles += [
        Line2D([], [], color=BOUNDARY_COLOUR, label="$\\Delta = 0$"),
        Line2D([], [], color="k", ls="--", label="$x_0 = x_1$"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=5, frameon=False, columnspacing=1.0)
    scaled = [offset * 2**11 for offset in offsets]
    for row, offset in enumerate(scaled):
        zoom.barh(row, offset, height=0.5, color="0.75")
        zoom.plot([offset] * 2, [row - 0.3, row + 0.3], color=BOUNDARY_COLOUR, lw=2)
    zoom.axvline(0, color="k", ls="--")
    reach = 1.5 * max(abs(o) for o in scaled)
    zoom.set(
        xlim=(-reach, reach),
        ylim=(-0.6, len(scaled) - 0.4),
        yticks=range(len(scaled)),
        yticklabels=["45°", "225°"][: len(scaled)],
        xlabel="angle from the diagonal\n($2^{-11}$ rad)",
        ylabel="diagonal ray",
        title="Misclassified wedges (grey)",
    )
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig
