"""Detectors for how a run of the toy autoencoder ends (categories from ``aeoptfailure2025``).

- *perfect*: every feature reconstructed: for each example ``e_i`` the output is within ``tolerance``
  of ``e_i`` in every coordinate.
- *symmetric failure*: exactly one feature ``d`` is not learnt, with ``||W_d|| < dead_norm`` and
  ``b_d > 0`` (so its output is nearly the constant ``ReLU(b_d)``), the other ``n - 1`` outputs are within
  ``tolerance`` of their targets on the other ``n - 1`` examples, and the live features are regular:
  their norms agree within the factor ``regular_ratio`` (the post's "the other 6 have equal magnitude").
- *asymmetric failure*: as symmetric failure but the live norms differ by more than ``regular_ratio``
  (live features on "circles" of different radii while one feature stays dead; ours, not the post's).
- *other*: anything else (several dead features, a run still moving, ...).
- *asymmetric recovery*: a run that is in symmetric failure at some logged step and ends perfect
  (needs the trajectory log, see :func:`asymmetric_recovery`).
"""

from __future__ import annotations

import torch

from tinymech.errors import InvalidInputError

from .model import check_parameters, reconstructions

PERFECT, SYMMETRIC_FAILURE, ASYMMETRIC_FAILURE, OTHER = 0, 1, 2, 3
OUTCOME_NAMES = {
    PERFECT: "perfect",
    SYMMETRIC_FAILURE: "symmetric failure",
    ASYMMETRIC_FAILURE: "asymmetric failure",
    OTHER: "other",
}


def feature_errors(weights: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Absolute reconstruction errors ``|ReLU(W^T W + b) - I|``, shape ``(seeds, n, n)`` (row = example)."""
    return (
        reconstructions(weights, b) - torch.eye(weights.shape[2], dtype=weights.dtype)
    ).abs()


def dead_feature(
    weights: torch.Tensor, b: torch.Tensor, *, dead_norm: float = 0.1
) -> torch.Tensor:
    """Index of the shortest feature per seed if it looks dead (``||W_d|| < dead_norm`` and ``b_d > 0``), else -1.

    Returns:
        Long tensor of shape ``(seeds,)``.
    """
    check_parameters(weights, b)
    norms = weights.norm(dim=1)
    shortest = norms.argmin(dim=1)
    rows = torch.arange(weights.shape[0])
    is_dead = (norms[rows, shortest] < dead_norm) & (b[rows, shortest] > 0)
    return torch.where(is_dead, shortest, torch.full_like(shortest, -1))


def classify(
    weights: torch.Tensor,
    b: torch.Tensor,
    *,
    tolerance: float = 0.1,
    dead_norm: float = 0.1,
    regular_ratio: float = 1.2,
) -> torch.Tensor:
    """Outcome per seed: :data:`PERFECT`, :data:`SYMMETRIC_FAILURE`, :data:`ASYMMETRIC_FAILURE` or :data:`OTHER`.

    Args:
        weights: ``(seeds, m, n)``; b: ``(seeds, n)``.
        tolerance: largest allowed absolute output error for a reconstructed example.
        dead_norm: a feature shorter than this (with positive bias) counts as dead.
        regular_ratio: largest live-norm ratio max/min that still counts as a regular (n-1)-gon.

    Returns:
        Long tensor of shape ``(seeds,)``.

    Raises:
        InvalidInputError: on bad shapes or thresholds out of range.
    """
    if tolerance <= 0 or dead_norm <= 0 or regular_ratio < 1:
        raise InvalidInputError(
            f"need tolerance > 0, dead_norm > 0, regular_ratio >= 1, found {tolerance}, {dead_norm}, {regular_ratio}"
        )
    seeds, _, n = check_parameters(weights, b)
    errors = feature_errors(weights, b)
    perfect = errors.amax(dim=(1, 2)) < tolerance
    dead = dead_feature(weights, b, dead_norm=dead_norm)
    keep = torch.ones(seeds, n, dtype=torch.bool)
    has_dead = dead >= 0
    keep[has_dead, dead[has_dead]] = False
    mask = keep[:, :, None] & keep[:, None, :]
    others_fine = (
        torch.where(mask, errors, torch.zeros_like(errors)).amax(dim=(1, 2)) < tolerance
    )
    failure = has_dead & others_fine
    norms = weights.norm(dim=1)
    live_max = torch.where(keep, norms, torch.zeros_like(norms)).amax(dim=1)
    live_min = torch.where(keep, norms, torch.full_like(norms, float("inf"))).amin(dim=1)
    regular = live_max < regular_ratio * live_min
    outcome = torch.full((seeds,), OTHER, dtype=torch.long)
    outcome[failure & ~regular] = ASYMMETRIC_FAILURE
    outcome[failure & regular] = SYMMETRIC_FAILURE
    outcome[perfect] = PERFECT
    return outcome


def asymmetric_recovery(outcome_log: torch.Tensor) -> torch.Tensor:
    """Which runs recovered: in symmetric failure at some logged step and perfect at the last one.

    Args:
        outcome_log: ``(steps, seeds)`` outcomes from :func:`classify` at the logged steps, in time order.

    Returns:
        Bool tensor of shape ``(seeds,)``.

    Raises:
        InvalidInputError: if ``outcome_log`` is not 2-D.
    """
    if outcome_log.ndim != 2:
        raise InvalidInputError(
            f"outcome_log must have shape (steps, seeds), found {tuple(outcome_log.shape)}"
        )
    return (outcome_log == SYMMETRIC_FAILURE).any(dim=0) & (outcome_log[-1] == PERFECT)


def first_step(outcome_log: torch.Tensor, steps: torch.Tensor, outcome: int) -> torch.Tensor:
    """First logged step at which each seed has ``outcome`` (-1 if never), shape ``(seeds,)``."""
    hit = outcome_log == outcome
    index = hit.to(torch.int64).argmax(dim=0)
    return torch.where(hit.any(dim=0), steps[index], torch.full_like(index, -1))
