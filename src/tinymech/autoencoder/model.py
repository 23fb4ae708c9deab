"""The tied toy ReLU autoencoder y = ReLU(W^T W x + b) on the identity dataset, batched over seeds.

Setup from the source post (``aeoptfailure2025``), itself the one-hot variant of Henighan et al. (2023):
``W`` has shape ``(m, n)`` with ``m = 2`` latent dimensions and ``n > 2`` features; the dataset is the
``n x n`` identity (one one-hot example per feature); the loss is the mean squared error over all
``n * n`` output entries (``torch.nn.MSELoss()`` with its default ``reduction="mean"``).

Everything here works on a *batch of independent models* ("seeds"): ``W`` has shape ``(seeds, m, n)``
and ``b`` has shape ``(seeds, n)``.  Because the seeds share no parameters, summing their losses gives
each seed exactly its own gradient.
"""

from __future__ import annotations

import math

import torch


def check_parameters(W: torch.Tensor, b: torch.Tensor) -> tuple[int, int, int]:
    """Validate a batch of models and return ``(seeds, m, n)``.

    Args:
        W: weights, shape ``(seeds, m, n)``; column ``W[s, :, i]`` is feature i's latent vector.
        b: biases, shape ``(seeds, n)``.

    Raises:
        ValueError: if the shapes do not agree.
    """
    if W.ndim != 3:
        raise ValueError(f"W must have shape (seeds, m, n), found shape {tuple(W.shape)}")
    seeds, m, n = W.shape
    if b.shape != (seeds, n):
        raise ValueError(f"b must have shape (seeds, n) = {(seeds, n)}, found {tuple(b.shape)}")
    return seeds, m, n


def initial_parameters(n: int, seeds: list[int] | range, *, m: int = 2) -> tuple[torch.Tensor, torch.Tensor]:
    """Initial parameters, one independent draw per seed.

    ``W`` is Xavier-normal (std ``sqrt(2 / (m + n))``, as ``torch.nn.init.xavier_normal_`` on an
    ``(m, n)`` matrix, which is what Henighan et al.'s toy-model code uses) and ``b = 0``.  Seed ``s``
    always gives the same ``W`` whatever other seeds are in the batch.

    Args:
        n: number of features (> m).
        seeds: integer seeds, one model each.
        m: latent dimensions.

    Returns:
        ``(W, b)`` of shapes ``(len(seeds), m, n)`` and ``(len(seeds), n)``, float64.

    Raises:
        ValueError: if ``n <= m``, ``m < 1`` or ``seeds`` is empty.
    """
    if m < 1 or n <= m:
        raise ValueError(f"need n > m >= 1, found n={n}, m={m}")
    seeds = list(seeds)
    if not seeds:
        raise ValueError("need at least one seed, found none")
    std = math.sqrt(2.0 / (m + n))
    W = torch.stack(
        [torch.randn(m, n, generator=torch.Generator().manual_seed(int(s)), dtype=torch.float64) * std for s in seeds]
    )
    return W, torch.zeros(len(seeds), n, dtype=torch.float64)


def preactivations(W: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Pre-activations on the whole identity dataset.

    Args:
        W: ``(seeds, m, n)``; b: ``(seeds, n)``.

    Returns:
        ``Z`` of shape ``(seeds, n, n)`` with ``Z[s, j, i] = W_j . W_i + b_j``: output coordinate j on
        example ``e_i`` (column i is the pre-activation for the one-hot input ``e_i``).
    """
    check_parameters(W, b)
    return W.transpose(1, 2) @ W + b[:, :, None]


def reconstructions(W: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """``ReLU(W^T W e_i + b)`` for every example, shape ``(seeds, n, n)`` (column i = example i)."""
    return torch.relu(preactivations(W, b))


def loss_per_seed(W: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Mean squared reconstruction error over the ``n x n`` identity, shape ``(seeds,)``."""
    Y = reconstructions(W, b)
    eye = torch.eye(W.shape[2], dtype=W.dtype)
    return ((Y - eye) ** 2).mean(dim=(1, 2))


def loss_and_gradients(W: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Per-seed loss and its analytic gradient (checked against autograd in the tests).

    With ``Z = W^T W + b 1^T``, ``Y = ReLU(Z)`` and ``G = 2 (Y - I) * 1[Z > 0] / n^2``:
    ``dL/db_j = sum_i G[j, i]`` and ``dL/dW = W (G + G^T)``.

    Returns:
        ``(loss, dW, db)`` of shapes ``(seeds,)``, ``(seeds, m, n)``, ``(seeds, n)``.
    """
    n = W.shape[2]
    Z = preactivations(W, b)
    eye = torch.eye(n, dtype=W.dtype)
    error = torch.relu(Z) - eye
    loss = (error**2).mean(dim=(1, 2))
    G = 2.0 * error * (Z > 0) / (n * n)
    dW = W @ (G + G.transpose(1, 2))
    db = G.sum(dim=2)
    return loss, dW, db


def symmetric_failure_loss_floor(n: int) -> float:
    """Closed-form loss of a symmetric failure: n - 1 features perfect, one with W_i = 0, b_i = 1/n.

    The dead output predicts the constant 1/n (the mean of its target column, the least-squares
    optimum).  Its squared error summed over the n examples is ``(1 - 1/n)^2 + (n - 1)/n^2 = (n - 1)/n``
    (brief and post); divided by the ``n^2`` entries of the mean-squared-error loss this is
    ``(n - 1) / n^3``.

    Raises:
        ValueError: if ``n < 2``.
    """
    if n < 2:
        raise ValueError(f"need n >= 2, found {n}")
    return (n - 1) / n**3
