"""Figures of the M16,10 chapter: training curves, feature fits, ablations, the phase wheel's spiral, the
discrimination offset's two spirals, and the Φ_post spectra with the stability of the masks.

Every function takes numbers the chapter has computed (the analyses live in
:mod:`tinymech.algzoo.leave_one_out` and :mod:`tinymech.algzoo.phase_wheel`) and returns the figure.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from tinymech.errors import InvalidInputError

#: Colours of the two orders of the clean set, the whole chapter: maximum first, second-largest first.
FORWARD, REVERSE = plt.cm.viridis(0.15), plt.cm.viridis(0.7)
#: ARC's example model's accuracy, drawn as a reference line.
ARC_ACCURACY = 0.953


def training_curves_figure(curves: Mapping[int, Sequence], kept_seed: int | None) -> Figure:
    """Accuracy against training sequences seen, one curve per seed (log x axis).

    Args:
        curves: seed -> ``[(sequences seen, accuracy), ...]``, the ``curve`` of each seed's training record;
            empty for a model without a record (the figure then says so).
        kept_seed: the seed kept, drawn solid.

    Raises:
        InvalidInputError: a curve is not a sequence of pairs.
    """
    if not curves:
        fig, ax = plt.subplots(figsize=(7.2, 2), layout="constrained")
        ax.text(0.5, 0.5, "no training curve: official weights", ha="center", va="center")
        ax.set_axis_off()
        return fig
    fig, ax = plt.subplots(figsize=(7.2, 5.0), layout="constrained")
    for shade, (seed, curve) in zip(np.linspace(0.1, 0.9, len(curves)), sorted(curves.items())):
        points = np.asarray(curve, dtype=float)
        if points.ndim != 2 or points.shape[1] != 2:
            raise InvalidInputError(f"seed {seed}: a curve is a list of (seen, accuracy) pairs")
        kept = seed == kept_seed
        ax.semilogx(
            points[:, 0],
            points[:, 1],
            "o-" if kept else "s--",
            ms=4 if kept else 3,
            lw=2 if kept else 1,
            color=plt.cm.viridis(shade),
            label=f"seed {seed}" + (" (kept)" if kept else ""),
        )
    ax.axhline(
        ARC_ACCURACY, color="grey", ls="--", label=f"ARC's example model ({ARC_ACCURACY})"
    )
    ax.set(xlabel="training sequences seen", ylabel="accuracy (2^16 held-out sequences)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, frameon=False)
    return fig


def r_squared_figure(
    columns: np.ndarray, labels: Sequence[str], assigned: Sequence[int], n_exact: int
) -> Figure:
    """R² of each neuron (rows) against each feature fit (columns), the assigned neuron of each of the first
    ``n_exact`` features boxed in red, white lines between the exact features, the looser fits and the last
    column.

    Args:
        columns: ``(hidden_size, n_fits)`` R² values in [0, 1].
        labels: one label per column.
        assigned: the neuron assigned to each of the first ``n_exact`` columns.
        n_exact: how many columns are ARC's features as written.

    Raises:
        InvalidInputError: labels or assignments that do not fit the columns.
    """
    columns = np.asarray(columns)
    if columns.ndim != 2 or len(labels) != columns.shape[1] or len(assigned) != n_exact:
        raise InvalidInputError(
            f"{columns.shape} R² values need one label per column ({len(labels)} given) and one "
            f"assigned neuron per exact feature ({len(assigned)} for {n_exact})"
        )
    fig, ax = plt.subplots(figsize=(7.2, 7.0), layout="constrained")
    image = ax.imshow(columns, cmap="viridis", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right")
    ax.axvline(n_exact - 0.5, color="white", lw=2)
    ax.axvline(columns.shape[1] - 1.5, color="white", lw=2)
    for j, neuron in enumerate(assigned):
        ax.add_patch(
            plt.Rectangle((j - 0.5, neuron - 0.5), 1, 1, fill=False, edgecolor="red", lw=1.5)
        )
    ax.set(ylabel="neuron", yticks=range(columns.shape[0]), xlabel="feature fit")
    fig.colorbar(image, label="R²")
    return fig


def ablation_figure(ablated: Sequence[float], baseline: float) -> Figure:
    """Accuracy with each neuron silenced (bars) against the intact model's (dashed line)."""
    ablated = np.asarray(ablated, dtype=float)
    if ablated.ndim != 1 or not ablated.size:
        raise InvalidInputError("ablation_figure needs one accuracy per neuron")
    fig, ax = plt.subplots(figsize=(7.2, 3.6), layout="constrained")
    ax.bar(range(len(ablated)), ablated, color=FORWARD, label="one neuron silenced")
    ax.axhline(baseline, color="grey", ls="--", label="intact model")
    ax.set(
        xlabel="silenced neuron",
        ylabel="accuracy (2^15 sequences)",
        xticks=range(0, len(ablated), 2 if len(ablated) > 10 else 1),
        ylim=(0, 1),
    )
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    return fig


def spiral_figure(
    eigenvalues: np.ndarray, impulse: np.ndarray, two_impulses: np.ndarray
) -> Figure:
    """Eigenvalues of W_hh with the unit circle (left), and two hidden-state trajectories projected on the
    first two principal components of the clean states, coloured by step (right).

    Args:
        eigenvalues: complex eigenvalues of W_hh.
        impulse: ``(n, >= 2)`` projected states after a single impulse M = 1 at step 0.
        two_impulses: ``(n, >= 2)`` projected states with S = 0.8 added at step 4.

    Raises:
        InvalidInputError: trajectories of different lengths or fewer than two components.
    """
    impulse, two_impulses = np.asarray(impulse), np.asarray(two_impulses)
    if impulse.shape != two_impulses.shape or impulse.ndim != 2 or impulse.shape[1] < 2:
        raise InvalidInputError(
            f"two trajectories of one shape (steps, >= 2), got {impulse.shape}, {two_impulses.shape}"
        )
    n = len(impulse)
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 4.4), layout="constrained")
    circle = np.exp(1j * np.linspace(0, 2 * np.pi, 200))
    axes[0].plot(circle.real, circle.imag, color="grey", lw=0.8)
    axes[0].scatter(np.real(eigenvalues), np.imag(eigenvalues), color=FORWARD, s=18)
    axes[0].set(xlabel="Re λ", ylabel="Im λ", title="eigenvalues of W_hh", aspect="equal")
    for points, style, label, marker in (
        (impulse, "-", "M = 1 at step 0 only", "o"),
        (two_impulses, "--", "and S = 0.8 at step 4", "s"),
    ):
        axes[1].plot(points[:, 0], points[:, 1], style, color="grey", lw=0.8, label=label)
        scatter = axes[1].scatter(
            points[:, 0],
            points[:, 1],
            c=np.arange(n),
            cmap="viridis",
            s=22,
            marker=marker,
            zorder=3,
        )
    for t, offset in (
        (0, (-14, 6)),
        (n - 1, (6, -12)),
    ):  # only the first and last step are labelled
        axes[1].annotate(f"step {t}", impulse[t, :2], xytext=offset, textcoords="offset points")
    axes[1].set(xlabel="PC1 of the clean states", ylabel="PC2", title="clean-set trajectories")
    axes[1].legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), frameon=False)
    fig.colorbar(scatter, ax=axes[1], label="step", location="top", shrink=0.8)
    return fig


def offset_spirals_figure(main_points: np.ndarray, f_points: np.ndarray) -> Figure:
    """The main spiral (final states, mean by position of S) and the offset spiral f(m), each on its own
    first two principal components, every point labelled by its position.

    Raises:
        InvalidInputError: a set of points with fewer than two components.
    """
    main_points, f_points = np.asarray(main_points), np.asarray(f_points)
    if (
        main_points.ndim != 2
        or f_points.ndim != 2
        or min(main_points.shape[1], f_points.shape[1]) < 2
    ):
        raise InvalidInputError("offset_spirals_figure needs points of at least two components")
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 4.0), layout="constrained")
    for ax, points, colour, title, axis in (
        (axes[0], main_points, REVERSE, "main spiral: final\nstate, mean by s", "main"),
        (axes[1], f_points, FORWARD, "offset spiral f(m)", "f"),
    ):
        ax.plot(points[:, 0], points[:, 1], "o-", color=colour, ms=4)
        for p in range(len(points)):
            ax.annotate(str(p), points[p, :2], xytext=(4, 4), textcoords="offset points")
        ax.set(xlabel=f"{axis} PC1", ylabel=f"{axis} PC2", title=title)
    return fig


#: Ranges of Φ_post's spectral radius that a reader's comment gives, forward and reverse.
COMMENT_RADIUS_RANGES = ((0.76, 1.05), (1.37, 2.91))


def phi_post_figure(
    gaps: Sequence[int],
    spectral_radius: np.ndarray,
    mask_gaps: Sequence[int],
    entry_agreement: np.ndarray,
    ratios: Sequence[float],
) -> Figure:
    """Spectral radius of Φ_post against the gap between the impulses, forward and reverse, with the
    comment's ranges (top); the fraction of mask entries equal to those at S/M = 0.8, per order and gap,
    against S/M (bottom).  Two panels stacked, so each keeps the column's width.

    Args:
        gaps: the gaps between the impulses of the spectra.
        spectral_radius: ``(2, len(gaps))``, forward then reverse.
        mask_gaps: the gaps of the mask comparison.
        entry_agreement: ``(2, len(mask_gaps), len(ratios))`` fractions in [0, 1].
        ratios: the values of S/M.

    Raises:
        InvalidInputError: arrays that do not fit ``gaps`` and ``ratios``.
    """
    spectral_radius, entry_agreement = np.asarray(spectral_radius), np.asarray(entry_agreement)
    if spectral_radius.shape != (2, len(gaps)) or entry_agreement.shape != (
        2,
        len(mask_gaps),
        len(ratios),
    ):
        raise InvalidInputError(
            f"need spectral radii (2, {len(gaps)}) and agreements (2, {len(mask_gaps)}, {len(ratios)}); "
            f"got {spectral_radius.shape} and {entry_agreement.shape}"
        )
    fig, axes = plt.subplots(2, 1, figsize=(7.2, 9.0), layout="constrained")
    for row, (colour, label, band) in enumerate(
        zip(
            (FORWARD, REVERSE),
            ("forward (M first)", "reverse (S first)"),
            COMMENT_RADIUS_RANGES,
        )
    ):
        axes[0].axhspan(
            *band, color=colour, alpha=0.15, lw=0, label=f"{label.split()[0]}: comment's range"
        )
        axes[0].plot(
            gaps,
            spectral_radius[row],
            "os"[row] + "-",
            color=colour,
            ms=5 - row,
            label=f"{label}: this model",
        )
    axes[0].set(
        xlabel="gap between the impulses (steps)",
        ylabel="spectral radius of Φ_post",
        ylim=(0, max(3.0, 1.1 * spectral_radius.max())),
    )
    axes[0].legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, ncol=2)
    image = axes[1].imshow(
        entry_agreement.reshape(2 * len(mask_gaps), -1),
        cmap="viridis",
        vmin=0.8,
        vmax=1,
        aspect="auto",
    )
    axes[1].set_yticks(
        range(2 * len(mask_gaps)),
        [f"{'fwd' if r == 0 else 'rev'} gap {g}" for r in range(2) for g in mask_gaps],
    )
    axes[1].set_xticks(range(len(ratios))[::3], [f"{r:.2f}" for r in list(ratios)[::3]])
    axes[1].set(xlabel="S / M", title="mask entries equal to S/M = 0.8")
    fig.colorbar(image, ax=axes[1], label="fraction of entries")
    return fig
