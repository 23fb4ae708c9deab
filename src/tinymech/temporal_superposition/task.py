"""The k-delay serial recall task (Sharma et al. 2026).

Each feature ``i`` of the input at time ``t`` is ``x_{t,i} = B_{t,i} U_{t,i}`` with
``B ~ Bernoulli(p)`` (``p = 1 - sparsity``; small ``p`` is sparse) and ``U ~ Uniform[0, 1]``, all
independent over time and features.  The target at time ``t`` (1-indexed) is ``x_{t-k}`` for
``t > k`` and ``0`` for ``t <= k``.  With ``k = 0`` this is the Toy Models of Superposition task
(Elhage et al. 2022).

Two samplers draw the same distribution:

- :func:`sample_inputs` draws from a ``torch.Generator``: training uses it (the committed runs were
  trained with it, so recomputing one reproduces it).
- :func:`sparse_input_stream` draws from numpy's PCG64 in fixed chunks, bit-identical on every machine:
  anything a notebook prints (Monte Carlo losses, recall) uses it.  Chunk ``c`` of seed ``s`` comes from
  ``numpy.random.default_rng([s, c])``, so a seed means one set of sequences whatever the chunking of
  the computation that reads it.
"""

from __future__ import annotations

from typing import Iterator

import numpy as np
import torch

from tinymech.errors import InvalidInputError

#: Moments of the magnitude U ~ Uniform[0, 1]: mu = E[U], nu = E[U^2].
UNIFORM_MEAN = 0.5
UNIFORM_SECOND_MOMENT = 1.0 / 3.0
#: Sequences per member in one chunk of :func:`sparse_input_stream`.
CHUNK_SEQUENCES = 4096


def _check_probability(p: torch.Tensor) -> None:
    if not torch.all((p > 0) & (p <= 1)):
        raise InvalidInputError(f"feature probability p must lie in (0, 1], found {p.tolist()}")


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
        InvalidInputError: if a size is not positive, ``p`` is outside ``(0, 1]`` or has the wrong shape.
    """
    for name, value in (
        ("n_models", n_models),
        ("batch_size", batch_size),
        ("seq_len", seq_len),
        ("n_features", n_features),
    ):
        if value < 1:
            raise InvalidInputError(f"{name} must be >= 1, found {value}")
    p = torch.as_tensor(p, dtype=torch.float32)
    if p.ndim == 0:
        p = p.expand(n_models)
    if p.shape != (n_models,):
        raise InvalidInputError(
            f"p must be a float or have shape ({n_models},), found shape {tuple(p.shape)}"
        )
    _check_probability(p)
    shape = (n_models, batch_size, seq_len, n_features)
    # one uniform draw r gives both: active iff r < p, and then r / p ~ Uniform[0, 1] independently
    r = torch.rand(shape, generator=generator)
    p = p.view(-1, 1, 1, 1)
    return torch.where(r < p, r / p, torch.zeros((), dtype=r.dtype))


def sparse_input_stream(
    n_models: int,
    n_sequences: int,
    seq_len: int,
    n_features: int,
    p: float | torch.Tensor,
    *,
    seed: int,
    dtype: torch.dtype = torch.float64,
) -> Iterator[torch.Tensor]:
    """Sparse inputs ``x = B * U`` drawn by numpy's PCG64, the same on every machine, in chunks.

    Chunk ``c`` holds ``b = min(CHUNK_SEQUENCES, remaining)`` sequences per member, drawn as one uniform
    array ``r`` of shape ``(b, M, T, N_x)`` from ``numpy.random.default_rng([seed, c])`` (sequences first,
    so the first ``n`` sequences of a seed are the same whatever ``n_sequences``); an entry is active iff
    ``r < p`` and then equals ``r / p`` (uniform on ``[0, 1)``), as in :func:`sample_inputs`.

    Args:
        n_models: members ``M`` (each gets its own sequences); n_sequences: sequences per member.
        seq_len: time steps ``T``; n_features: features ``N_x``.
        p: feature probability, a float or one per member, shape ``(M,)``, in ``(0, 1]``.
        seed: the stream's seed (a non-negative integer).
        dtype: ``torch.float64`` or ``torch.float32`` (rounded from the float64 draw).

    Yields:
        Tensors of shape ``(M, b, T, N_x)`` whose ``b`` add up to ``n_sequences``.

    Raises:
        InvalidInputError: on a non-positive size, a negative or non-integer seed, ``p`` outside
            ``(0, 1]`` or of the wrong shape, or another dtype.
    """
    for name, value in (
        ("n_models", n_models),
        ("n_sequences", n_sequences),
        ("seq_len", seq_len),
        ("n_features", n_features),
    ):
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise InvalidInputError(f"{name} must be a positive integer, found {value!r}")
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise InvalidInputError(f"seed must be a non-negative integer, found {seed!r}")
    if dtype not in (torch.float32, torch.float64):
        raise InvalidInputError(f"dtype must be torch.float32 or torch.float64, found {dtype}")
    probability = torch.as_tensor(p, dtype=torch.float64)
    if probability.ndim == 0:
        probability = probability.expand(n_models)
    if probability.shape != (n_models,):
        raise InvalidInputError(
            f"p must be a float or have shape ({n_models},), found shape "
            f"{tuple(probability.shape)}"
        )
    _check_probability(probability)
    threshold = probability.numpy().reshape(-1, 1, 1, 1)
    chunk, produced = 0, 0
    while produced < n_sequences:
        size = min(CHUNK_SEQUENCES, n_sequences - produced)
        # sequences first, so that the first n sequences of a seed are the same for every n_sequences
        r = np.random.default_rng([int(seed), chunk]).random(
            (size, n_models, seq_len, n_features)
        )
        r = np.ascontiguousarray(r.transpose(1, 0, 2, 3))
        x = np.where(r < threshold, r / threshold, 0.0)
        yield torch.from_numpy(x).to(dtype)
        produced += size
        chunk += 1


def delayed_targets(x: torch.Tensor, k: int | torch.Tensor) -> torch.Tensor:
    """Targets of the k-delay task: ``y_t = x_{t-k}`` for ``t > k``, else 0.

    Args:
        x: inputs of shape ``(..., T, N_x)``.
        k: delay in time steps, ``0 <= k < T``; or one delay per model, shape ``(M,)``, for ``x`` of
            shape ``(M, B, T, N_x)``.

    Returns:
        Tensor with the shape of ``x``.

    Raises:
        InvalidInputError: if ``k`` is negative or not shorter than the sequence.
    """
    seq_len = x.shape[-2]
    k_values = torch.as_tensor(k).reshape(-1)
    if torch.any(k_values < 0) or torch.any(k_values >= seq_len):
        raise InvalidInputError(
            f"delay k must satisfy 0 <= k < seq_len={seq_len}, found {k_values.tolist()}"
        )
    if k_values.numel() == 1:
        k = int(k_values)
        y = torch.zeros_like(x)
        y[..., k:, :] = x[..., : seq_len - k, :]
        return y
    if x.ndim != 4 or x.shape[0] != k_values.numel():
        raise InvalidInputError(
            f"one delay per model needs x of shape ({k_values.numel()}, B, T, N_x), "
            f"found {tuple(x.shape)}"
        )
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
        InvalidInputError: if ``decay`` is outside ``(0, 1]`` or ``n_features < 1``.
    """
    if not 0 < decay <= 1:
        raise InvalidInputError(f"importance decay must lie in (0, 1], found {decay}")
    if n_features < 1:
        raise InvalidInputError(f"n_features must be >= 1, found {n_features}")
    return decay ** torch.arange(n_features, dtype=torch.float32)
