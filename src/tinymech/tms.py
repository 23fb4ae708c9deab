"""The toy model of superposition: the tied ReLU autoencoder ``y = ReLU(W^T W x + b)``, shared by two chapters.

Elhage et al. (2022), "Toy Models of Superposition" (``elhage2022toy``), define the model: ``n`` features
``x`` are embedded in ``m < n`` dimensions by ``h = W x`` and read back with the transpose,
``y = ReLU(W^T h + b)``; the loss is the importance-weighted squared error
``L = E_x sum_i I_i (x_i - y_i)^2``.  Henighan et al. (2023), "Superposition, Memorization, and Double
Descent" (``henighan2023superposition``), train the same model on a finite dataset; the optimization-failure
post (``aeoptfailure2025``) takes the dataset to be the ``n x n`` identity (one one-hot example per
feature) with ``m = 2``.

Two chapters use it:

- :mod:`tinymech.temporal_superposition.toy_model`: sparse Uniform[0, 1] features, importance ``0.9^i``,
  autograd and ``torch.optim.AdamW`` (the ``k = 0`` reference of the temporal chapter);
- :mod:`tinymech.autoencoder`: the identity dataset (``x=None`` below), the mean squared error over the
  ``n^2`` output entries, an analytic gradient and thousands of seeds in one batch.

Shapes.  Every function works on a batch of independent models (the first axis, "models"):

- ``W``: ``(models, m, n)``; column ``W[s, :, i]`` is feature i's embedding ``W_i``;
- ``b``: ``(models, n)``;
- ``x``: ``(models, batch, n)``, one input per row; ``x=None`` means the identity dataset, ``batch = n``
  rows with row k the one-hot example ``e_k``.

Outputs are ``(models, batch, n)`` (row = example, column = output unit) unless said otherwise.  Bad shapes
raise :class:`~tinymech.errors.InvalidInputError`.
"""

from __future__ import annotations

import math

import torch

from tinymech.errors import InvalidInputError


def check_parameters(weights: torch.Tensor, b: torch.Tensor) -> tuple[int, int, int]:
    """Validate a batch of models and return ``(models, m, n)``.

    Args:
        weights: embeddings, shape ``(models, m, n)``.
        b: output biases, shape ``(models, n)``.

    Raises:
        InvalidInputError: if ``W`` is not 3-D or ``b`` does not have shape ``(models, n)``.
    """
    if weights.ndim != 3:
        raise InvalidInputError(
            f"W must have shape (models, m, n), found shape {tuple(weights.shape)}"
        )
    models, m, n = weights.shape
    if tuple(b.shape) != (models, n):
        raise InvalidInputError(
            f"b must have shape (models, n) = {(models, n)}, found shape {tuple(b.shape)}"
        )
    return models, m, n


def _check_inputs(W: torch.Tensor, x: torch.Tensor) -> None:
    models, _, n = W.shape
    if x.ndim != 3 or x.shape[0] != models or x.shape[2] != n:
        raise InvalidInputError(
            f"x must have shape (models, batch, n) = ({models}, batch, {n}), "
            f"found shape {tuple(x.shape)}"
        )


def identity_inputs(
    n: int, *, models: int = 1, dtype: torch.dtype = torch.float64
) -> torch.Tensor:
    """The one-hot dataset of the optimization-failure post: ``(models, n, n)``, every model the identity.

    Raises:
        InvalidInputError: if ``n < 1`` or ``models < 1``.
    """
    if n < 1 or models < 1:
        raise InvalidInputError(f"need n >= 1 and models >= 1, found n={n}, models={models}")
    return torch.eye(n, dtype=dtype).expand(models, n, n)


def preactivations(
    weights: torch.Tensor, b: torch.Tensor, x: torch.Tensor | None = None
) -> torch.Tensor:
    """Pre-activations ``W^T W x + b`` of every output unit on every input, ``(models, batch, n)``.

    Entry ``[s, k, j]`` is output unit j on input k: ``W_j . h_k + b_j`` with ``h_k = W x_k`` the latent.
    With ``x=None`` (the identity dataset) this is ``W_k . W_j + b_j``, computed as ``W^T W + b`` without
    multiplying by the identity.

    Raises:
        InvalidInputError: on bad shapes.
    """
    check_parameters(weights, b)
    if x is None:
        return weights.transpose(-1, -2) @ weights + b.unsqueeze(-2)
    _check_inputs(weights, x)
    hidden = x @ weights.transpose(-1, -2)
    return hidden @ weights + b.unsqueeze(1)


def reconstruct(
    weights: torch.Tensor, b: torch.Tensor, x: torch.Tensor | None = None
) -> torch.Tensor:
    """The model's output ``y = ReLU(W^T W x + b)``, ``(models, batch, n)`` (``x=None``: identity dataset).

    Raises:
        InvalidInputError: on bad shapes.
    """
    return torch.relu(preactivations(weights, b, x))


def squared_errors(
    weights: torch.Tensor,
    b: torch.Tensor,
    x: torch.Tensor | None = None,
    importance: torch.Tensor | None = None,
) -> torch.Tensor:
    """Entrywise importance-weighted squared errors ``I_i (x_i - y_i)^2``, ``(models, batch, n)``.

    Args:
        W, b, x: as in :func:`reconstruct` (``x=None``: the identity dataset, target ``e_k`` on row k).
        importance: feature importances ``I``, shape ``(n,)``; None for ``I_i = 1``.

    Raises:
        InvalidInputError: on bad shapes.
    """
    _, _, n = check_parameters(weights, b)
    target = (
        identity_inputs(n, models=weights.shape[0], dtype=weights.dtype) if x is None else x
    )
    errors = (reconstruct(weights, b, x) - target) ** 2
    if importance is None:
        return errors
    if tuple(importance.shape) != (n,):
        raise InvalidInputError(
            f"importance must have shape (n,) = ({n},), found shape {tuple(importance.shape)}"
        )
    return errors * importance


def loss(
    weights: torch.Tensor,
    b: torch.Tensor,
    x: torch.Tensor | None = None,
    importance: torch.Tensor | None = None,
) -> torch.Tensor:
    """Elhage et al.'s loss per model: squared errors weighted by importance, summed over features and
    averaged over the batch, ``(models,)``.

    Raises:
        InvalidInputError: on bad shapes.
    """
    return squared_errors(weights, b, x, importance).sum(-1).mean(-1)


def mean_squared_error(
    weights: torch.Tensor, b: torch.Tensor, x: torch.Tensor | None = None
) -> torch.Tensor:
    """Mean of the squared errors over all ``batch x n`` output entries per model, ``(models,)``.

    This is ``torch.nn.MSELoss()`` (``reduction="mean"``), the loss of the optimization-failure post; it is
    :func:`loss` with unit importance divided by ``n``.

    Raises:
        InvalidInputError: on bad shapes.
    """
    return squared_errors(weights, b, x).mean(dim=(-2, -1))


def zero_loss_radius_squared(n: int) -> float:
    """Smallest squared radius ``r^2`` at which the regular n-gon reconstructs the identity dataset exactly.

    With every ``||W_i||^2 = r^2`` and ``b_i = 1 - r^2`` (so that ``W_i . W_i + b_i = 1``), output i on a
    neighbouring example is ``r^2 cos(2 pi / n) + 1 - r^2``; it is cut by the ReLU exactly when
    ``r^2 >= 1 / (1 - cos(2 pi / n))``.  Below that radius the two neighbours of every feature leak.

    Raises:
        InvalidInputError: if ``n < 3``.
    """
    if n < 3:
        raise InvalidInputError(f"a regular polygon needs n >= 3 features, found n={n}")
    return 1.0 / (1.0 - math.cos(2 * math.pi / n))


def regular_polygon(
    n: int,
    radius_squared: float,
    *,
    dead: int | None = None,
    dead_bias: float | None = None,
    phase: float = 0.0,
    dtype: torch.dtype = torch.float64,
) -> tuple[torch.Tensor, torch.Tensor]:
    """A handcrafted model on the identity dataset: the features on a regular polygon, ``b = 1 - r^2``.

    With ``dead=None`` all ``n`` features sit on a regular n-gon (zero loss when
    ``radius_squared >= zero_loss_radius_squared(n)``).  With ``dead=d`` feature d gets ``W_d = 0`` and
    ``b_d = dead_bias`` (default ``1/n``, the least-squares constant) and the other ``n - 1`` form a regular
    (n-1)-gon: the *symmetric failure* of the optimization-failure post.

    Args:
        n: number of features; radius_squared: ``||W_i||^2`` of the polygon's features.
        dead: index of an unlearnt feature, or None.
        dead_bias: its bias (default ``1/n``).
        phase: angle of the first polygon feature (radians).

    Returns:
        ``(W, b)`` of shapes ``(2, n)`` and ``(n,)`` (one model; add a leading axis for a batch).

    Raises:
        InvalidInputError: if ``n < 3``, ``radius_squared <= 0`` or ``dead`` is not a feature index.
    """
    if n < 3 or not radius_squared > 0:
        raise InvalidInputError(
            f"need n >= 3 and radius_squared > 0, found n={n}, radius_squared={radius_squared}"
        )
    if dead is not None and not 0 <= dead < n:
        raise InvalidInputError(f"dead must be a feature index in [0, {n}), found {dead}")
    live = [j for j in range(n) if j != dead]
    W = torch.zeros(2, n, dtype=dtype)
    b = torch.full((n,), 1.0 - radius_squared, dtype=dtype)
    radius = math.sqrt(radius_squared)
    for k, j in enumerate(live):
        angle = phase + 2 * math.pi * k / len(live)
        W[0, j], W[1, j] = radius * math.cos(angle), radius * math.sin(angle)
    if dead is not None:
        b[dead] = 1.0 / n if dead_bias is None else dead_bias
    return W, b
