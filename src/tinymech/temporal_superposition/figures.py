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
from tinymech.style import BOOK_STYLE, use_book_style

FEATURE_NAMES = "ABCDEFGHIJ"
#: Matplotlib settings of the chapter's figures: the book's (:data:`tinymech.style.BOOK_STYLE`: text at 11 pt
#: or more, figures at most 7.2 inches wide, saved at twice their resolution).
CHAPTER_STYLE = BOOK_STYLE
#: Colour of each readout variant of the SSM runs (the paper's main setting, tied, in black).
READOUT_COLOURS = {True: "black", False: "0.55"}


def use_chapter_style() -> None:
    """Apply the book's figure style (:func:`tinymech.style.use_book_style`)."""
    use_book_style()


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
    ax.text(*(w_y * 1.14), r"$w_y$", ha="center", va="center", fontsize=11)
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
            fontsize=11,
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
        ax.text(*(v * 1.15), FEATURE_NAMES[i], ha="center", va="center", fontsize=11)
    _square_arrow_axes(ax, 1.3, title)


def _square_arrow_axes(ax: Axes, limit: float, title: str) -> None:
    """Equal-aspect axes from ``-limit`` to ``limit`` without ticks, for arrow diagrams."""
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=11)


# --------------------------------------------------------------------------------------------------
# Whole figures of the chapter (the notebook passes what it computed and glues the figure).
# --------------------------------------------------------------------------------------------------


def staircase_figure(
    tied_runs: list[tuple[dict, dict]],
    default_curves: dict,
    default_steps: np.ndarray,
    steps_plus_one: np.ndarray,
    projections_c: np.ndarray,
    cosines: np.ndarray,
    reading,
    stairs: list[dict],
    n_lags: int,
):
    """The staircase of the linear RNN at k = 3, in four panels (two per row).

    Args:
        tied_runs: ``(payload, metadata)`` of the small-initialisation runs, untied and tied (their
            ``snapshot_loss`` per value of ``p``; ``metadata["tied"]``).
        default_curves: ``(p, seed) -> (loss, _)`` snapshot losses of the default initialisation.
        default_steps: the default runs' snapshot steps plus one.
        steps_plus_one: the small-initialisation runs' snapshot steps plus one.
        projections_c: ``(snapshots, n_lags)`` projections ``c_s = w_y . w_s`` of the example seed.
        cosines: ``(snapshots, n_lags)`` cosines of ``(w_s, w_y)`` of the example seed.
        reading: the example seed's staircase reading (``departures`` per lag, ``found.plateaus`` as
            ``(first, last, _)`` and ``found.drop_steps``).
        stairs: every staircase's ``{"reading", "tied", "p", "seed"}``.
        n_lags: lags drawn (``w_0 .. w_{n_lags - 1}``).

    Raises:
        InvalidInputError: projections or cosines that do not have ``n_lags`` columns.
    """
    if np.shape(projections_c)[-1] != n_lags or np.shape(cosines)[-1] != n_lags:
        raise InvalidInputError(
            f"projections and cosines need {n_lags} lags, got {np.shape(projections_c)}, "
            f"{np.shape(cosines)}"
        )
    fig, axes = plt.subplots(2, 2, figsize=(7.2, 7.4))
    ax = axes[0, 0]
    for r_run, r_meta in tied_runs:
        for i in range(len(r_run["p"])):
            ax.plot(
                steps_plus_one,
                r_run["snapshot_loss"][:, i],
                lw=1,
                ls="--" if r_meta["tied"] else "-",
                color="black" if float(r_run["p"][i]) == 1.0 else "0.55",
            )
    for (p, _), (loss, _) in default_curves.items():
        ax.plot(default_steps, loss, lw=0.8, ls=":", color="black" if p == 1.0 else "0.55")
    ax.set(xscale="log", yscale="log", ylabel="exact expected loss", title="every seed")
    threshold = np.cos(np.radians(20))
    for s in range(n_lags):
        style = dict(color=lag_colour(s, 3), lw=1.5, ls="--" if s > 3 else "-")
        axes[0, 1].plot(steps_plus_one, projections_c[:, s], label=f"$s = {s}$", **style)
        axes[1, 0].plot(steps_plus_one, cosines[:, s], **style)
        if reading.departures[s] >= 0:
            axes[1, 0].plot(
                int(reading.departures[s]) + 1, threshold, "o", ms=4, color=lag_colour(s, 3)
            )
    axes[0, 1].set(ylabel="projection $c_s = w_y^\\top w_s$", title="one untied seed, p = 1")
    axes[1, 0].set(ylabel="cosine of ($w_s$, $w_y$)", title="the same seed")
    axes[1, 0].axhline(threshold, color="0.6", lw=0.8, ls=":")
    for ax in (axes[0, 1], axes[1, 0]):
        ax.set_xscale("log")
        for first, last, _ in reading.found.plateaus:
            ax.axvspan(first + 1, last + 1, color="0.92", zorder=0)
        for step in reading.found.drop_steps:
            ax.axvline(step + 1, color="0.5", lw=0.8, ls=":")
    for ax in axes.flat[:3]:
        ax.set_xlabel("training step + 1")
    ax = axes[1, 1]
    for row, r in enumerate(stairs):
        departures = r["reading"].departures[:3]
        for s in range(3):
            if departures[s] >= 0:
                ax.plot(
                    int(departures[s]) + 1,
                    row + 0.15 * (s - 1),
                    "o",
                    ms=4,
                    color=lag_colour(s, 3),
                )
    ax.set_yticks(
        range(len(stairs)),
        [f"{'tied' if r['tied'] else 'untied'} p={r['p']:g} s{r['seed']}" for r in stairs],
    )
    ax.invert_yaxis()
    ax.set(xscale="log", xlabel="step + 1 at which\n$w_s$ leaves $w_y$")
    ax.xaxis.set_minor_formatter(
        plt.NullFormatter()
    )  # minor labels of a short log axis overlap
    ax.set_title("every staircase:\n$w_0$, $w_1$, $w_2$")
    handles = [
        plt.Line2D([], [], color=lag_colour(s, 3), lw=1.5, ls="--" if s > 3 else "-")
        for s in range(n_lags)
    ]
    handles += [
        plt.Line2D([], [], color="black", lw=1),
        plt.Line2D([], [], color="0.55", lw=1),
        plt.Line2D([], [], color="0.3", lw=1, ls="--"),
        plt.Line2D([], [], color="0.3", lw=0.8, ls=":"),
    ]
    labels = [f"$w_{s}$" for s in range(n_lags)] + [
        "p = 1",
        "p = 0.3",
        "tied readout",
        "default initialisation",
    ]
    fig.legend(handles, labels, loc="lower center", ncol=4, frameon=False)
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    return fig


def ssm_angle_figure(
    panels: dict[int, list[tuple[dict, dict, bool]]],
    exact_best: dict,
    exact_k_theta,
):
    """Swept angle kθ against the feature probability, one panel per delay k (at most two).

    Args:
        panels: ``k -> [(payload, geometry, tied_readout), ...]``: each SSM run's payload (its ``p``), its
            scalar geometry (``k_theta`` per run) and whether its readout is tied.
        exact_best: ``p -> index`` of the linear RNN optimum's best seed (drawn on the ``k = 3`` panel).
        exact_k_theta: the linear RNN optimum's ``k_theta`` per run.

    Raises:
        InvalidInputError: more than two panels.
    """
    if not 1 <= len(panels) <= 2:
        raise InvalidInputError(f"one or two delays side by side, got {list(panels)}")
    from tinymech.temporal_superposition.analysis import best_seed_per_p

    fig, axes = plt.subplots(1, len(panels), figsize=(7.2, 4.4), sharey=True, squeeze=False)
    axes = axes[0]
    for ax, (k, rows) in zip(axes, panels.items()):
        for payload, geometry, tied_readout in rows:
            colour = READOUT_COLOURS[tied_readout]
            ax.scatter(
                payload["p"],
                geometry["k_theta"],
                s=12,
                marker="o" if tied_readout else "s",
                facecolors="none",
                edgecolors=colour,
                lw=0.8,
            )
            best = best_seed_per_p(payload)
            ax.plot(
                list(best),
                [float(geometry["k_theta"][i]) for i in best.values()],
                color=colour,
                marker="o" if tied_readout else "s",
                ms=4,
                ls="-" if tied_readout else "--",
            )
        if k == 3:
            ax.plot(
                list(exact_best),
                [float(exact_k_theta[i]) for i in exact_best.values()],
                color="tab:blue",
                ls=":",
                lw=1.5,
            )
        ax.axhspan(180, 360, color="0.92", zorder=0)
        ax.set(xscale="log", xlabel="feature probability p\n(small = sparse)", title=f"k = {k}")
    axes[0].set(ylabel=r"swept angle $k\theta$ (degrees)", ylim=(0, 950))
    handles = [
        plt.Line2D([], [], color="black", marker="o", ms=4),
        plt.Line2D([], [], color="0.55", marker="s", ms=4, ls="--"),
        plt.Line2D([], [], color="0.3", marker="o", mfc="none", ls="none"),
        plt.Line2D([], [], color="tab:blue", ls=":"),
    ]
    labels = [
        "tied readout, best seed",
        "untied readout, best seed",
        "every seed",
        "linear RNN optimum",
    ]
    fig.legend(handles, labels, loc="lower center", ncol=2, frameon=False)
    fig.tight_layout(rect=(0, 0.16, 1, 1))
    return fig


def ssm_radius_figure(tables: dict[tuple[int, bool], list[dict]]):
    """Spectral radius of the best seed (left) and the fraction of seeds converged and sparse (right)
    against the feature probability, for each ``(k, tied_readout)`` phase table (rows with ``p``,
    ``spectral_radius``, ``sparse`` and ``n_seeds``).

    Raises:
        InvalidInputError: no tables.
    """
    if not tables:
        raise InvalidInputError("ssm_radius_figure needs at least one phase table")
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 4.2))
    markers = dict(zip(sorted({k for k, _ in tables}), "o^sv"))
    for (k, tied_readout), table in tables.items():
        style = dict(
            color=READOUT_COLOURS[tied_readout],
            marker=markers[k],
            ms=4,
            ls="-" if tied_readout else "--",
        )
        axes[0].plot([r["p"] for r in table], [r["spectral_radius"] for r in table], **style)
        axes[1].plot(
            [r["p"] for r in table], [r["sparse"] / r["n_seeds"] for r in table], **style
        )
    for ax in axes:
        ax.set(xscale="log", xlabel="feature probability p\n(small = sparse)")
    axes[0].set_ylabel(r"spectral radius $\rho$ of the best seed")
    axes[1].set_ylabel("fraction of seeds:\nconverged and sparse")
    handles = [plt.Line2D([], [], color="black", marker=m, ms=4) for m in markers.values()]
    handles += [plt.Line2D([], [], color="black"), plt.Line2D([], [], color="0.55", ls="--")]
    labels = [f"k = {k}" for k in markers] + ["tied readout", "untied readout"]
    fig.legend(handles, labels, loc="lower center", ncol=4, frameon=False)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    return fig
