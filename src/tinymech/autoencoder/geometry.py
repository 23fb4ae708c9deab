"""Latent-plane geometry of the toy autoencoder: latent zones, angular gaps and the tilt test.

From ``aeoptfailure2025``: in the 2-D latent plane, output i is active where ``W_i . h + b_i > 0`` (its
*latent zone*); a perfect model reconstructs e_i because ``W_i . W_i + b_i = 1`` while every other
``W_j`` lies outside zone i.  With ``b_i = 1 - ||W_i||^2`` the second condition reads
``cos(angle(W_i, W_j)) <= (||W_i||^2 - 1) / (||W_i|| ||W_j||)``, so a shorter feature needs a wider
angular gap to its neighbours (:func:`minimal_separation_angle`).

The tilt test (the post's "Why can't W_7 increase?"): with the dead feature d at ``W_d = 0`` and
``b_d >= 0``, put ``W_d = epsilon u`` for a unit vector u.  As long as no output changes sign, the loss
change is the exact polynomial of :func:`tilt_loss_change`,

    n^2 dL = 2 epsilon b_d sum_j u.W_j + epsilon^2 [sum_{j active} (u.W_j)^2 - 2 (1 - b_d)] + epsilon^4,

where "j active" is every live j when ``b_d > 0`` and the j with ``u.W_j > 0`` when ``b_d = 0`` (the
other half falls below zero and is cut by the ReLU).  The post's growth condition
``2 [1 - (||W_d||^2 + b_d)] > sum_j (u.W_j)^2`` is the epsilon^2 coefficient being negative.
"""

from __future__ import annotations

import math

import torch

from tinymech.errors import InvalidInputError

from .model import loss_per_seed


def _check_single(W: torch.Tensor, b: torch.Tensor) -> int:
    if W.ndim != 2 or W.shape[0] != 2 or b.shape != (W.shape[1],):
        raise InvalidInputError(
            f"need one model with W (2, n) and b (n,), found {tuple(W.shape)} and {tuple(b.shape)}"
        )
    return W.shape[1]


def latent_zones(weights: torch.Tensor, b: torch.Tensor, points: torch.Tensor) -> torch.Tensor:
    """Which outputs are active at latent points: ``W_i . h + b_i > 0``.

    Args:
        weights: one model ``(2, n)``; b: ``(n,)``; points: latent points ``h``, shape ``(points, 2)``.

    Returns:
        Bool ``(points, n)``.

    Raises:
        InvalidInputError: on bad shapes.
    """
    _check_single(weights, b)
    if points.ndim != 2 or points.shape[1] != 2:
        raise InvalidInputError(
            f"points must have shape (points, 2), found {tuple(points.shape)}"
        )
    return points.to(weights.dtype) @ weights + b > 0


def angular_neighbours(
    weights: torch.Tensor, live: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Each live feature's counter-clockwise neighbour among the live features, and the angle to it.

    Args:
        weights: one model ``(2, n)``; live: bool ``(n,)`` of features to include (at least 2).

    Returns:
        ``(neighbour, gap)``: long ``(n,)`` (-1 for features not live) and gap in radians ``(n,)``
        (NaN for features not live); the gaps of the live features sum to ``2 pi``.

    Raises:
        InvalidInputError: on bad shapes or fewer than 2 live features.
    """
    if weights.ndim != 2 or weights.shape[0] != 2 or live.shape != (weights.shape[1],):
        raise InvalidInputError(
            f"need W (2, n) and live (n,), found {tuple(weights.shape)} and {tuple(live.shape)}"
        )
    ids = torch.nonzero(live).flatten()
    if ids.numel() < 2:
        raise InvalidInputError(f"need at least 2 live features, found {ids.numel()}")
    angles = torch.atan2(weights[1, ids], weights[0, ids])
    order = ids[torch.argsort(angles)]
    sorted_angles = torch.sort(angles).values
    gaps = torch.diff(torch.cat([sorted_angles, sorted_angles[:1] + 2 * math.pi]))
    neighbour = torch.full((weights.shape[1],), -1, dtype=torch.long)
    gap = torch.full((weights.shape[1],), float("nan"), dtype=weights.dtype)
    neighbour[order] = torch.roll(order, -1)
    gap[order] = gaps
    return neighbour, gap


def minimal_separation_angle(norm_i: torch.Tensor, norm_j: torch.Tensor) -> torch.Tensor:
    """Smallest angle between W_i and W_j that keeps W_j out of feature i's latent zone.

    Assumes feature i is reconstructed exactly, ``b_i = 1 - ||W_i||^2``; then W_j is outside zone i iff
    ``cos(theta) <= (||W_i||^2 - 1) / (||W_i|| ||W_j||)``.  Returns ``arccos`` of the right-hand side
    clipped to [-1, 1], in radians, broadcast over the inputs.
    """
    cosine = (norm_i**2 - 1) / (norm_i * norm_j)
    return torch.arccos(cosine.clamp(-1.0, 1.0))


def tilt_loss_change(
    weights: torch.Tensor,
    b: torch.Tensor,
    dead: int,
    directions: torch.Tensor,
    amplitude: float,
    dead_bias: float,
) -> torch.Tensor:
    """Exact loss change when the dead feature's vector goes from 0 to ``amplitude * u``.

    The baseline has ``W_d = 0`` and ``b_d = dead_bias``; the other parameters are those of the model.

    Args:
        weights: one model ``(2, n)``; b: ``(n,)``; dead: index of the dead feature.
        directions: unit vectors ``u``, shape ``(k, 2)``.
        amplitude: ``epsilon`` (latent units); dead_bias: ``b_d`` (>= 0 in the post's argument).

    Returns:
        ``(k,)`` loss differences (mean-squared-error units).

    Raises:
        InvalidInputError: on bad shapes.
    """
    n = _check_single(weights, b)
    if directions.ndim != 2 or directions.shape[1] != 2:
        raise InvalidInputError(
            f"directions must have shape (k, 2), found {tuple(directions.shape)}"
        )
    k = directions.shape[0]
    W_base = weights.clone()
    W_base[:, dead] = 0.0
    b_base = b.clone()
    b_base[dead] = dead_bias
    W_batch = W_base.expand(k, -1, -1).clone()
    W_batch[:, :, dead] = amplitude * directions.to(weights.dtype)
    b_batch = b_base.expand(k, -1)
    return loss_per_seed(W_batch, b_batch) - loss_per_seed(W_base[None], b_base[None])


def tilt_coefficients(
    weights: torch.Tensor,
    b: torch.Tensor,
    dead: int,
    directions: torch.Tensor,
    dead_bias: float,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The linear and quadratic coefficients of ``n^2 dL`` in epsilon (module docstring), per direction.

    Returns:
        ``(linear, quadratic)``, each ``(k,)``.  The post's growth condition holds in direction u
        exactly when ``quadratic < 0``; a symmetric failure is a strict local minimum along u when
        ``linear == 0`` and ``quadratic > 0``.
    """
    n = _check_single(weights, b)
    live = [j for j in range(n) if j != dead]
    projections = directions.to(weights.dtype) @ weights[:, live]
    if dead_bias > 0:
        active = torch.ones_like(projections, dtype=torch.bool)
    else:
        active = projections > 0
    quadratic = (projections**2 * active).sum(dim=1) - 2 * (1 - dead_bias)
    linear = 2 * dead_bias * projections.sum(dim=1)
    return linear, quadratic


def unit_directions(count: int) -> torch.Tensor:
    """``count`` unit vectors evenly spaced in angle, shape ``(count, 2)``, float64."""
    if count < 1:
        raise InvalidInputError(f"count must be >= 1, found {count}")
    phi = torch.arange(count, dtype=torch.float64) * (2 * math.pi / count)
    return torch.stack([torch.cos(phi), torch.sin(phi)], dim=1)


def splay(weights: torch.Tensor) -> torch.Tensor:
    """The post's splay/sweep measure ``sum_j ||W_j||``; ``W`` ``(..., m, n)`` -> ``(...)``."""
    return weights.norm(dim=-2).sum(dim=-1)
