"""The k-delay serial recall task (Sharma et al. 2026, brief ``temporal-superposition.md``).

Each feature ``i`` of the input at time ``t`` is ``x_{t,i} = B_{t,i} U_{t,i}`` with
``B ~ Bernoulli(p)`` (``p = 1 - sparsity``; small ``p`` is sparse) and ``U ~ Uniform[0, 1]``, all
independent over time and features.  The target at time ``t`` (1-indexed) is ``x_{t-k}`` for
``t > k`` and ``0`` for ``t <= k``.  With ``k = 0`` this is the Toy Models of Superposition task
(Elhage et al. 2022).
"""

from __future__ import annotations

import torch

#: Moments of the magnitude U ~ Uniform[0, 1]: mu = E[U], nu = E[U^2].
UNIFORM_MEAN = 0.5
UNIFORM_SECOND_MOMENT = 1.0 / 3.0


def _check_probability(p: torch.Tensor) -> None:
    if torch.any(p <= 0) or torch.any(p > 1):
        raise ValueError(f"feature probability p must lie in (0, 1], found {p.tolist()}")


def sample_inputs(
    n_models: int,
    batch_size: int,
    seq_len: int,
    n_features: int,
    p: float | torch.Tensor,
    *,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Sparse inputs ``x = B * U`` for an ensemble of models.

    Args:
        n_models: number of independent models (each gets its own data), ``M``.
        batch_size: sequences per model, ``B``.
        seq_len: time steps per sequence, ``T``.
        n_features: input features ``N_x``.
        p: probability that a feature is active, a float or a tensor of shape ``(M,)`` (one per model).
        generator: torch random generator (for reproducibility).

    Returns:
        Tensor of shape ``(M, B, T, N_x)`` with entries in ``[0, 1]``.

    Raises:
        ValueError: if a size is not positive, ``p`` is outside ``(0, 1]`` or has the wrong shape.
    """
    for name, value in (("n_models", n_models), ("batch_size", batch_size), ("seq_len", seq_len),
                        ("n_features", n_features)):
        if value < 1:
            raise ValueError(f"{name} must be >= 1, found {value}")
    p = torch.as_tensor(p, dtype=torch.float32)
    if p.ndim == 0:
        p = p.expand(n_models)
    if p.shape != (n_models,):
        raise ValueError(f"p must be a float or have shape ({n_models},), found shape {tuple(p.shape)}")
    _check_probability(p)
    shape = (n_models, batch_size, seq_len, n_features)
    # one uniform draw r gives both: active iff r < p, and then r / p ~ Uniform[0, 1] independently
    r = torch.rand(shape, generator=generator)
    p = p.view(-1, 1, 1, 1)
    return torch.where(r < p, r / p, torch.zeros((), dtype=r.dtype))


def delayed_targets(x: torch.Tensor, k: int | torch.Tensor) -> torch.Tensor:
    """Targets of the k-delay task: ``y_t = x_{t-k}`` for ``t > k``, else 0.

    Args:
        x: inputs of shape ``(..., T, N_x)``.
        k: delay in time steps, ``0 <= k < T``; or one delay per model, shape ``(M,)``, for ``x`` of
            shape ``(M, B, T, N_x)``.

    Returns:
        Tensor with the shape of ``x``.

    Raises:
        ValueError: if ``k`` is negative or not shorter than the sequence.
    """
    seq_len = x.shape[-2]
    k_values = torch.as_tensor(k).reshape(-1)
    if torch.any(k_values < 0) or torch.any(k_values >= seq_len):
        raise ValueError(f"delay k must satisfy 0 <= k < seq_len={seq_len}, found {k_values.tolist()}")
    if k_values.numel() == 1:
        k = int(k_values)
        y = torch.zeros_like(x)
        y[..., k:, :] = x[..., : seq_len - k, :]
        return y
    if x.ndim != 4 or x.shape[0] != k_values.numel():
        raise ValueError(f"one delay per model needs x of shape ({k_values.numel()}, B, T, N_x), "
                         f"found {tuple(x.shape)}")
    source = torch.arange(seq_len).view(1, -1) - k_values.view(-1, 1)  # (M, T): index t - k_m
    index = source.clamp_min(0).view(-1, 1, seq_len, 1).expand_as(x)
    return torch.gather(x, 2, index) * (source >= 0).view(-1, 1, seq_len, 1).to(x.dtype)


def feature_importance(n_features: int, decay: float = 1.0) -> torch.Tensor:
    """Importance ``decay**i`` of feature ``i`` (features A, B, C, ... in decreasing importance).

    Args:
        n_features: number of features ``N_x``.
        decay: ratio between consecutive importances, in ``(0, 1]`` (1 = all equal).

    Returns:
        Tensor of shape ``(N_x,)``.

    Raises:
        ValueError: if ``decay`` is outside ``(0, 1]`` or ``n_features < 1``.
    """
    if not 0 < decay <= 1:
        raise ValueError(f"importance decay must lie in (0, 1], found {decay}")
    if n_features < 1:
        raise ValueError(f"n_features must be >= 1, found {n_features}")
    return decay ** torch.arange(n_features, dtype=torch.float32)
