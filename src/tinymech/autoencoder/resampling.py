"""Interventions on a dead feature: Anthropic's resampling and the post's attractor/repulsor proposal.

Mapping to the tied toy model.  Output unit ``i`` computes ``ReLU(W_i . h + b_i)`` from the latent
``h = W x``, so ``W_i`` plays the SAE "encoder row" that reads the latent and ``b_i`` its bias; with tied
weights the same ``W_i`` is also feature i's decoder/embedding column, so only one of the two SAE
settings can be applied and we apply the encoder one (``0.2 x`` mean live norm).  The mapping is ours.

- :func:`anthropic_resample` (Bricken et al. 2023, as summarised by the post): sample an example with
  probability proportional to its loss squared; point the dead ``W_d`` along that example's latent
  ``h = W e_k`` with norm ``0.2 x`` the mean live norm; set ``b_d = 0``; zero the Adam moments of the
  modified entries (every run here continues with a fresh optimizer, whose moments are all zero).
- :func:`attractor_repulsor` (``aeoptfailure2025``, proposed but never run there): attractor
  ``Sigma`` = normalised sum of live ``W_j``; ``W_d = 0.05 x mean live norm x (-Sigma) + epsilon`` with
  tiny Gaussian ``epsilon``; ``b_j += Delta`` for every live ``j`` with ``W_j . (-Sigma) > 0``.
  The post does not say what to do with ``b_d`` or the optimizer state; we leave ``b_d`` and continue
  with a fresh optimizer, as for Anthropic's method.
"""

from __future__ import annotations

import torch

from tinymech import tms
from tinymech.errors import InvalidInputError

from .model import check_parameters


def _validate_dead(W: torch.Tensor, b: torch.Tensor, dead: torch.Tensor) -> tuple[int, int]:
    seeds, _, n = check_parameters(W, b)
    if dead.shape != (seeds,) or bool(((dead < 0) | (dead >= n)).any()):
        raise InvalidInputError(
            f"dead must hold one feature index in [0, {n}) per seed, shape ({seeds},)"
        )
    return seeds, n


def live_mask(n: int, dead: torch.Tensor) -> torch.Tensor:
    """Bool ``(seeds, n)``: True for every feature except the dead one of each seed."""
    mask = torch.ones(dead.shape[0], n, dtype=torch.bool)
    mask[torch.arange(dead.shape[0]), dead] = False
    return mask


def mean_live_norm(weights: torch.Tensor, dead: torch.Tensor) -> torch.Tensor:
    """Mean ``||W_j||`` over the live features, shape ``(seeds,)``."""
    mask = live_mask(weights.shape[2], dead)
    return (weights.norm(dim=1) * mask).sum(dim=1) / mask.sum(dim=1)


def example_losses(weights: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Squared error per example (summed over output units), shape ``(seeds, n)``."""
    return tms.squared_errors(weights, b).sum(dim=2)


def anthropic_resample(
    weights: torch.Tensor,
    b: torch.Tensor,
    dead: torch.Tensor,
    *,
    generator: torch.Generator,
    scale: float = 0.2,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Anthropic's dead-neuron resampling adapted to the tied toy model (see the module docstring).

    Args:
        weights: ``(seeds, m, n)``; b: ``(seeds, n)``; dead: dead feature per seed, ``(seeds,)``.
        generator: random source for the loss-squared sampling (and a random direction when the sampled
            example's latent is exactly zero).
        scale: new norm as a fraction of the mean live norm (0.2 in Bricken et al.).

    Returns:
        ``(W_new, b_new, sampled_example)``; ``sampled_example`` has shape ``(seeds,)``.

    Raises:
        InvalidInputError: on bad shapes or dead indices.
    """
    seeds, n = _validate_dead(weights, b, dead)
    probabilities = example_losses(weights, b) ** 2
    sampled = torch.multinomial(probabilities, 1, generator=generator).squeeze(1)
    rows = torch.arange(seeds)
    latent = weights[rows, :, sampled]
    length = latent.norm(dim=1, keepdim=True)
    random_direction = torch.randn(latent.shape, generator=generator, dtype=weights.dtype)
    direction = torch.where(length > 1e-12, latent / length.clamp_min(1e-300), random_direction)
    direction = direction / direction.norm(dim=1, keepdim=True)
    W_new, b_new = weights.clone(), b.clone()
    W_new[rows, :, dead] = direction * (scale * mean_live_norm(weights, dead))[:, None]
    b_new[rows, dead] = 0.0
    return W_new, b_new, sampled


def attractor_repulsor(
    weights: torch.Tensor,
    b: torch.Tensor,
    dead: torch.Tensor,
    delta: float | torch.Tensor,
    *,
    generator: torch.Generator,
    scale: float = 0.05,
    noise: float = 1e-4,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The post's attractor/repulsor reseeding (see the module docstring).

    Args:
        W, b, dead: as in :func:`anthropic_resample`.
        delta: bias push for live features on the repulsor side, a float or ``(seeds,)``.
        generator: random source of ``epsilon``.
        scale: new dead norm as a fraction of the mean live norm (0.05 in the post).
        noise: standard deviation of ``epsilon`` per latent coordinate ("very small" in the post).

    Returns:
        ``(W_new, b_new, pushed)`` where ``pushed`` ``(seeds, n)`` marks the biases that got ``+delta``.

    Raises:
        InvalidInputError: on bad shapes or dead indices.
    """
    seeds, n = _validate_dead(weights, b, dead)
    live = live_mask(n, dead)
    total = (weights * live[:, None, :]).sum(dim=2)
    attractor = total / total.norm(dim=1, keepdim=True).clamp_min(1e-300)
    repulsor = -attractor
    rows = torch.arange(seeds)
    epsilon = noise * torch.randn(
        seeds, weights.shape[1], generator=generator, dtype=weights.dtype
    )
    W_new, b_new = weights.clone(), b.clone()
    W_new[rows, :, dead] = repulsor * (scale * mean_live_norm(weights, dead))[:, None] + epsilon
    pushed = live & ((weights * repulsor[:, :, None]).sum(dim=1) > 0)
    delta = torch.as_tensor(delta, dtype=weights.dtype).expand(seeds)
    b_new = b_new + pushed * delta[:, None]
    return W_new, b_new, pushed
