"""Figures of the chapter: feature directions in the hidden plane, swept angle vs sparsity, recall maps.

Colours: lag ``s`` of a feature direction ``w_s`` is coloured by viridis over ``0 .. k`` everywhere in
the chapter; features A, B, C, ... by a cividis palette; the readout ``w_y`` is black; the
interference-free half-space (``w_y . h < 0``) is shaded grey.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes

from tinymech.errors import InvalidInputError

FEATURE_NAMES = "ABCDEFGHIJ"
#: Matplotlib settings of the chapter's figures: at most 7 inches wide (the book's column), so text set
#: at 8-9 pt is shown at 8-9 pt.
CHAPTER_STYLE = {
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "figure.dpi": 100,
    "savefig.dpi": 100,
}
#: Colour of each readout variant of the SSM runs (the paper's main setting, tied, in black).
READOUT_COLOURS = {True: "black", False: "0.55"}


def use_chapter_style() -> None:
    """Apply :data:`CHAPTER_STYLE` to matplotlib's defaults."""
    plt.rcParams.update(CHAPTER_STYLE)


def lag_colour(s: int, k: int) -> tuple:
    """Viridis colour of lag ``s`` for delay ``k`` (``s > k``: light grey, to be forgotten)."""
    if s > k:
        return (0.6, 0.6, 0.6, 1.0)
    return plt.get_cmap("viridis")(s / max(k, 1) * 0.9)


def feature_colour(i: int, n: int) -> tuple:
    """Cividis colour of feature ``i`` of ``n`` (A darkest)."""
    return plt.get_cmap("cividis")(i / max(n - 1, 1) * 0.9)


def plot_feature_plane(
    ax: Axes,
    directions: torch.Tensor,
    readout: torch.Tensor,
    k: int,
    *,
    n_forgotten: int = 2,
    title: str = "",
    lengths: str = "norm",
) -> None:
    """Arrows of the feature directions ``w_s`` (``s = 0 .. k + n_forgotten``) in a 2-D hidden plane.

    The plane is rotated so that the readout points right and reflected so that ``w_0 -> w_1`` turns
    anticlockwise.

    Args:
        ax: matplotlib axes.
        directions: ``(S, 2)`` feature directions ``w_s``.
        readout: ``(2,)`` readout direction ``w_y``.
        k: delay (``w_k`` is the output direction, drawn thickest).
        n_forgotten: how many lags beyond ``k`` to draw (grey, dashed).
        title: axes title.
        lengths: ``"norm"`` scales all arrows by the largest drawn norm (relative lengths, and so a
            shrinking spiral, are kept); ``"direction"`` draws unit directions shortened by 8% per lag,
            for solutions whose norms span orders of magnitude.

    Raises:
        InvalidInputError: if the hidden space is not 2-D or ``lengths`` is unknown.
    """
    if lengths not in ("norm", "direction"):
        raise InvalidInputError(f"lengths must be 'norm' or 'direction', found {lengths!r}")
    if directions.shape[-1] != 2 or readout.shape != (2,):
        raise InvalidInputError(
            f"need (S, 2) directions and a (2,) readout, found {tuple(directions.shape)}, "
            f"{tuple(readout.shape)}"
        )
    last = min(k + n_forgotten, directions.shape[0] - 1)
    vectors = directions[: last + 1].detach().numpy().astype(float)
    w_y = readout.detach().numpy().astype(float)
    # common orientation: readout along +x, features turning anticlockwise (a rotation and a reflection
    # of the hidden plane, which keep every angle and projection)
    angle = np.arctan2(w_y[1], w_y[0])
    rotation = np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])
    vectors, w_y = vectors @ rotation.T, rotation @ w_y
    if len(vectors) > 1 and vectors[0, 0] * vectors[1, 1] - vectors[0, 1] * vectors[1, 0] < 0:
        vectors[:, 1] *= -1
    if lengths == "norm":
        vectors = vectors / np.linalg.norm(vectors, axis=1).max()
    else:
        shrink = 1.0 - 0.08 * np.arange(len(vectors))
        vectors = (
            vectors
            / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            * shrink[:, None]
        )
    w_y = w_y / np.linalg.norm(w_y)
    # interference-free half-space: points with w_y . h < 0
    normal = np.array([-w_y[1], w_y[0]])
    corners = np.array([normal * 3, normal * 3 - w_y * 3, -normal * 3 - w_y * 3, -normal * 3])
    ax.fill(corners[:, 0], corners[:, 1], color="0.9", zorder=0)
    ax.axline((0, 0), tuple(normal), color="0.7", lw=0.8, zorder=1)
    ax.annotate(
        "",
        xy=tuple(w_y * 1.05),
        xytext=(0, 0),
        arrowprops=dict(arrowstyle="-|>", color="black", lw=1.2, ls=(0, (1, 1))),
    )
    ax.text(*(w_y * 1.14), r"$w_y$", ha="center", va="center", fontsize=8)
    for s in range(last, -1, -1):
        v = vectors[s]
        ax.annotate(
            "",
            xy=tuple(v),
            xytext=(0, 0),
            arrowprops=dict(
                arrowstyle="-|>",
                color=lag_colour(s, k),
                lw=2.4 if s == k else 1.5,
                ls="--" if s > k else "-",
            ),
        )
        ax.text(
            *(v * 1.0 + 0.1 * v / max(np.linalg.norm(v), 1e-9)),
            str(s),
            fontsize=8,
            ha="center",
            va="center",
            color="0.2",
        )
    _square_arrow_axes(ax, 1.25, title)


def plot_embedding(ax: Axes, embedding: torch.Tensor, *, title: str = "") -> None:
    """Columns of a ``(2, N_x)`` embedding as arrows coloured by feature (A darkest), TMS style.

    Zero columns (dropped features) are not drawn.
    """
    n = embedding.shape[1]
    scale = float(embedding.norm(dim=0).max())
    for i in range(n):
        if float(embedding[:, i].norm()) < 1e-9:
            continue
        v = (embedding[:, i] / scale).numpy()
        ax.annotate(
            "",
            xy=tuple(v),
            xytext=(0, 0),
            arrowprops=dict(arrowstyle="-|>", color=feature_colour(i, n), lw=2),
        )
        ax.text(*(v * 1.15), FEATURE_NAMES[i], ha="center", va="center", fontsize=8)
    _square_arrow_axes(ax, 1.3, title)


def _square_arrow_axes(ax: Axes, limit: float, title: str) -> None:
    """Equal-aspect axes from ``-limit`` to ``limit`` without ticks, for arrow diagrams."""
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=9)
