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
            fontsize=9,
            ha="center",
            va="center",
        )
    ax.set_aspect("equal")
    ax.set_xlim(-extent, extent)
    ax.set_ylim(-extent, extent)
    ax.set_xlabel("latent dimension 1")
    ax.set_ylabel("latent dimension 2")
    ax.set_title(title)
