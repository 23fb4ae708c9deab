"""The toy autoencoder of the optimization-failure post on the identity dataset, batched over seeds.

Setup from the post (``aeoptfailure2025``), the one-hot variant of Henighan et al. (2023): the model is
the toy model of superposition ``y = ReLU(W^T W x + b)`` of :mod:`tinymech.tms` with ``W`` of shape
``(m, n)``, ``m = 2`` latent dimensions and ``n > 2`` features; the dataset is the ``n x n`` identity (one
one-hot example per feature); the loss is the mean squared error over all ``n * n`` output entries
(``torch.nn.MSELoss()`` with its default ``reduction="mean"``).

Everything here works on a *batch of independent models* ("seeds"): ``W`` has shape ``(seeds, m, n)``
and ``b`` has shape ``(seeds, n)``.  Because the seeds share no parameters, summing their losses gives
each seed exactly its own gradient.  Square ``(seeds, n, n)`` arrays have one row per example and one
column per output unit, as in :mod:`tinymech.tms`.
"""

from __future__ import annotations

import math

import torch

from tinymech import tms
from tinymech.errors import InvalidInputError


def check_parameters(weights: torch.Tensor, b: torch.Tensor) -> tuple[int, int, int]:
    """Validate a batch of models and return ``(seeds, m, n)`` (see :func:`tinymech.tms.check_parameters`).

    Raises:
        InvalidInputError: if the shapes do not agree.
    """
    return tms.check_parameters(weights, b)


def initial_parameters(
    n: int, seeds: list[int] | range, *, m: int = 2
) -> tuple[torch.Tensor, torch.Tensor]:
    """Initial parameters, one independent draw per seed.

    ``W`` is Xavier-normal (std ``sqrt(2 / (m + n))``, as ``torch.nn.init.xavier_normal_`` on an
    ``(m, n)`` matrix, which is what Henighan et al.'s toy-model code uses) and ``b = 0``.  Seed ``s``
    always gives the same ``W`` whatever other seeds are in the batch.  (``torch.randn`` with a seeded
    generator: these draws fix the committed training runs, which are not printed number by number.)

    Args:
        n: number of features (> m).
        seeds: integer seeds, one model each.
        m: latent dimensions.

    Returns:
        ``(W, b)`` of shapes ``(len(seeds), m, n)`` and ``(len(seeds), n)``, float64.

    Raises:
        InvalidInputError: if ``n <= m``, ``m < 1`` or ``seeds`` is empty.
    """
    if m < 1 or n <= m:
        raise InvalidInputError(f"need n > m >= 1, found n={n}, m={m}")
    seeds = list(seeds)
    if not seeds:
        raise InvalidInputError("need at least one seed, found none")
    std = math.sqrt(2.0 / (m + n))
    W = torch.stack(
        [
            torch.randn(
                m, n, generator=torch.Generator().manual_seed(int(s)), dtype=torch.float64
            )
            * std
            for s in seeds
        ]
    )
    return W, torch.zeros(len(seeds), n, dtype=torch.float64)


def reconstructions(weights: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """``ReLU(W^T W e_k + b)`` for every example, shape ``(seeds, n, n)`` (row k = example ``e_k``)."""
    return tms.reconstruct(weights, b)


def loss_per_seed(weights: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Mean squared reconstruction error over the ``n x n`` identity, shape ``(seeds,)``."""
    return tms.mean_squared_error(weights, b)


def loss_and_gradients(
    weights: torch.Tensor, b: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Per-seed loss and its analytic gradient (checked against autograd in the tests).

    With ``Z[j, k] = W_j . W_k + b_j`` (output j on example k: the transpose of
    :func:`tinymech.tms.preactivations`, which is exact because ``W^T W`` is symmetric), ``Y = ReLU(Z)`` and
    ``G = 2 (Y - I) * 1[Z > 0] / n^2``: ``dL/db_j = sum_k G[j, k]`` and ``dL/dW = W (G + G^T)``.

    The sums run in this (output, example) memory order because the committed training runs were
    computed in it: training is chaotic, and a last-bit change in one gradient grows to differences of
    order 1 in the weights within a few thousand epochs.

    Returns:
        ``(loss, dW, db)`` of shapes ``(seeds,)``, ``(seeds, m, n)``, ``(seeds, n)``.

    Raises:
        InvalidInputError: on bad shapes.
    """
    n = weights.shape[-1]
    Z = tms.preactivations(weights, b).transpose(1, 2).contiguous()
    error = torch.relu(Z) - torch.eye(n, dtype=weights.dtype)
    loss = (error**2).mean(dim=(1, 2))
    G = 2.0 * error * (Z > 0) / (n * n)
    dW = weights @ (G + G.transpose(1, 2))
    db = G.sum(dim=2)
    return loss, dW, db


def symmetric_failure_loss_floor(n: int) -> float:
    """Closed-form loss of a symmetric failure: n - 1 features perfect, one with W_d = 0, b_d = 1/n.

    The dead output predicts the constant 1/n (the mean of its target column, the least-squares optimum,
    as the post argues).  Its squared error summed over the n examples is
    ``(1 - 1/n)^2 + (n - 1)/n^2 = (n - 1)/n``; divided by the ``n^2`` entries of the mean squared error this
    is ``(n - 1) / n^3``.

    Raises:
        InvalidInputError: if ``n < 2``.
    """
    if n < 2:
        raise InvalidInputError(f"need n >= 2, found {n}")
    return (n - 1) / n**3
