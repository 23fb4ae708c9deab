"""Figures of the latent plane: feature vectors and latent zones, one colour per feature."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch

from .geometry import latent_zones


def feature_colours(n: int) -> np.ndarray:
    """One viridis colour per feature index, ``(n, 4)`` RGBA; the same index keeps its colour everywhere."""
    return plt.cm.viridis(np.linspace(0.0, 0.92, n))


def draw_latent_zones(
    ax,
    weights: torch.Tensor,
    b: torch.Tensor,
    *,
    extent: float | None = None,
    resolution: int = 301,
    title: str = "",
) -> None:
    """Shade each output's latent zone ``W_i . h + b_i > 0`` and draw the feature vectors ``W_i``.

    Args:
        ax: a matplotlib axis.
        weights: one model ``(2, n)``; b: ``(n,)``.
        extent: half-width of the square drawn (default 1.15 x the longest feature).
        resolution: grid points per side.
        title: axis title.
    """
    n = weights.shape[1]
    colours = feature_colours(n)
    extent = extent or 1.15 * float(weights.norm(dim=0).max())
    axis = torch.linspace(-extent, extent, resolution, dtype=torch.float64)
    hx, hy = torch.meshgrid(axis, axis, indexing="xy")
    zones = latent_zones(weights, b, torch.stack([hx.flatten(), hy.flatten()], dim=1)).reshape(
        resolution, resolution, n
    )
    for i in range(n):
        mask = zones[:, :, i].numpy().astype(float)
        if mask.any():
            ax.contourf(
                hx.numpy(), hy.numpy(), mask, levels=[0.5, 1.5], colors=[colours[i]], alpha=0.35
            )
    for i in range(n):
        ax.annotate(
            "",
            xy=(float(weights[0, i]), float(weights[1, i])),
            xytext=(0, 0),
            arrowprops=dict(arrowstyle="->", color=colours[i], lw=2),
        )
        ax.text(
            1.08 * float(weights[0, i]),
            1.08 * float(weights[1, i]),
            str(i),
            color="black",
            fontsize=11,
            ha="center",
            va="center",
        )
    ax.set_aspect("equal")
    ax.set_xlim(-extent, extent)
    ax.set_ylim(-extent, extent)
    ax.set_xlabel("latent dimension 1")
    ax.set_ylabel("latent dimension 2")
    ax.set_title(title)


def recovery_figure(
    steps: np.ndarray,
    norms: np.ndarray,
    biases: np.ndarray,
    failure_span: tuple[float, float],
    final_W: torch.Tensor,
    final_b: torch.Tensor,
    *,
    highlighted: int,
    final_title: str,
):
    """One training run that passes through symmetric failure: feature norms (log scale) and biases against
    the epoch, the failure's span shaded (top row), and the final latent plane (bottom).

    Args:
        steps: ``(t,)`` epochs of the snapshots.
        norms: ``(t, n)`` feature norms ``‖W_i‖``; biases: ``(t, n)``.
        failure_span: first and last epoch in symmetric failure.
        final_W: ``(2, n)`` and final_b ``(n,)``: the last snapshot, drawn by :func:`draw_latent_zones`.
        highlighted: the feature drawn thick (the dead one).
        final_title: title of the latent plane.

    Raises:
        ValueError: norms and biases of different shapes, or not one row per step.
    """
    norms, biases = np.asarray(norms), np.asarray(biases)
    if norms.shape != biases.shape or norms.shape[0] != len(steps):
        raise ValueError(
            f"norms {norms.shape} and biases {biases.shape} need one row per step ({len(steps)})"
        )
    n = norms.shape[1]
    colours = feature_colours(n)
    fig = plt.figure(figsize=(7.2, 8.0))
    grid = fig.add_gridspec(2, 2, height_ratios=[1, 1.3])
    norm_ax, bias_ax = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
    plane_ax = fig.add_subplot(grid[1, :])
    for i in range(n):
        style = dict(color=colours[i], lw=2.2 if i == highlighted else 1.0)
        norm_ax.plot(steps, norms[:, i], **style, label=f"feature {i}")
        bias_ax.plot(steps, biases[:, i], **style)
    norm_ax.set_yscale("log")
    norm_ax.set_ylabel("feature norm ‖W_i‖")
    bias_ax.set_ylabel("bias b_i")
    for ax in (norm_ax, bias_ax):
        ax.set_xlabel("epoch")
        ax.axvspan(*failure_span, color="grey", alpha=0.15)
        ax.set_xticks([0, 10_000, 20_000], ["0", "10k", "20k"])
    draw_latent_zones(plane_ax, final_W, final_b, title=final_title)
    plane_ax.set_xlabel("latent 1")
    plane_ax.set_ylabel("latent 2")
    fig.legend(
        *norm_ax.get_legend_handles_labels(),
        loc="lower center",
        ncol=4,
        frameon=False,
        handlelength=1.2,
        columnspacing=0.8,
    )
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig
