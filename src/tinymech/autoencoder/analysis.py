"""Statistics of trained models and runs that the chapter's claims are judged on.

Each function measures one thing the optimization-failure post (``aeoptfailure2025``) says:

- :func:`neighbour_gap_difference`: "shorter features need to be more widely spaced apart" (the latent
  zones argument), per model;
- :func:`norm_ratio` and :func:`radius_levels`: after an asymmetric recovery the features sit on
  "circles" of several radii; the post doubts that there are exactly "two";
- :func:`passed_through_before`: "all failed models have at some point passed through the Symmetric
  Failure mode before turning asymmetrical", from the first step at which each outcome was seen;
- :func:`splay_roughness`: the splay map over (bias push, learning rate) "starts to get patchy beyond a
  certain point";
- :func:`plateau_loss_ratio`: the loss on a symmetric-failure plateau against its closed form;
- :func:`mean_with_error`: the mean of per-model statistics with its standard error.

Models are batches as everywhere in the package: ``W`` ``(models, 2, n)``.
"""

from __future__ import annotations

import math

import torch

from tinymech.errors import InvalidInputError

from .model import loss_per_seed, symmetric_failure_loss_floor
from .outcomes import SYMMETRIC_FAILURE


def _check_batch(W: torch.Tensor) -> tuple[int, int]:
    if W.ndim != 3 or W.shape[1] != 2:
        raise InvalidInputError(
            f"W must have shape (models, 2, n), found shape {tuple(W.shape)}"
        )
    return W.shape[0], W.shape[2]


def norm_ratio(weights: torch.Tensor) -> torch.Tensor:
    """Longest over shortest feature norm ``max_i ||W_i|| / min_i ||W_i||`` per model, ``(models,)``.

    A regular polygon has ratio 1; the outcome detectors call live norms regular below 1.2.

    Raises:
        InvalidInputError: if ``W`` is not ``(models, 2, n)``.
    """
    _check_batch(weights)
    norms = weights.norm(dim=1)
    return norms.amax(dim=1) / norms.amin(dim=1)


def radius_levels(weights: torch.Tensor, *, tolerance: float = 0.02) -> torch.Tensor:
    """Number of distinct feature radii per model, ``(models,)`` long.

    The norms are sorted and a new level starts wherever one norm exceeds the previous one by more than
    the factor ``1 + tolerance``; a regular polygon has 1 level, "two circles" have 2.

    Raises:
        InvalidInputError: on a bad shape or a tolerance that is not positive.
    """
    _check_batch(weights)
    if not tolerance > 0:
        raise InvalidInputError(f"tolerance must be positive, found {tolerance}")
    norms = torch.sort(weights.norm(dim=1), dim=1).values
    jumps = norms[:, 1:] > (1 + tolerance) * norms[:, :-1]
    return 1 + jumps.sum(dim=1)


def neighbour_gap_difference(
    weights: torch.Tensor, norms: torch.Tensor | None = None, *, tolerance: float = 0.02
) -> torch.Tensor:
    """Mean angular gap of a model's shorter features minus that of its other ones, in degrees, ``(models,)``.

    Each feature's gap is the mean of the angles to its two angular neighbours (all features taken as
    live).  "Shorter" means shorter than the model's median norm by more than the factor
    ``1 + tolerance`` (so that features on one circle, equal up to rounding, are never split); the other
    features form the second group.  A positive value means shorter features sit in wider gaps.  It is
    NaN for a model without any shorter feature.  ``norms`` (``(models, n)``) replaces the features' own
    norms, e.g. by a permutation of them as a null control.

    Raises:
        InvalidInputError: on bad shapes or a tolerance that is negative.
    """
    models, n = _check_batch(weights)
    norms = weights.norm(dim=1) if norms is None else norms
    if tuple(norms.shape) != (models, n):
        raise InvalidInputError(
            f"norms must have shape (models, n) = {(models, n)}, found {tuple(norms.shape)}"
        )
    if tolerance < 0:
        raise InvalidInputError(f"tolerance must be non-negative, found {tolerance}")
    angles = torch.atan2(weights[:, 1], weights[:, 0])
    order = torch.argsort(angles, dim=1)
    sorted_angles = torch.gather(angles, 1, order)
    gaps_after = torch.diff(
        torch.cat([sorted_angles, sorted_angles[:, :1] + 2 * math.pi], dim=1), dim=1
    )
    gaps_before = torch.roll(gaps_after, 1, dims=1)
    feature_gap = torch.empty_like(angles)
    feature_gap.scatter_(1, order, (gaps_after + gaps_before) / 2)
    median = torch.sort(norms, dim=1).values[:, (n - 1) // 2 : (n - 1) // 2 + 1]
    short = (1 + tolerance) * norms < median
    short_gap = (feature_gap * short).sum(dim=1) / short.sum(dim=1)
    other_gap = (feature_gap * ~short).sum(dim=1) / (~short).sum(dim=1)
    difference = torch.rad2deg(short_gap - other_gap)
    return torch.where(short.any(dim=1), difference, torch.full_like(difference, float("nan")))


def passed_through_before(first_via: torch.Tensor, first_target: torch.Tensor) -> torch.Tensor:
    """Whether each run was seen in one state (``via``) strictly before it was first seen in another.

    Args:
        first_via, first_target: first step at which each run was seen in the two states (-1: never),
            same shape, e.g. from :func:`tinymech.autoencoder.outcomes.first_step` or
            ``TrainingRun.first_seen``.

    Returns:
        Bool tensor of the same shape; False where ``via`` was never seen.

    Raises:
        InvalidInputError: if the shapes differ.
    """
    if first_via.shape != first_target.shape:
        raise InvalidInputError(
            f"first_via and first_target must have the same shape, found "
            f"{tuple(first_via.shape)} and {tuple(first_target.shape)}"
        )
    return (first_via >= 0) & ((first_target < 0) | (first_via < first_target))


def splay_roughness(splay: torch.Tensor, threshold: float) -> torch.Tensor:
    """Share of neighbouring cells along the first axis whose splay differs by more than ``threshold``.

    Args:
        splay: a map ``(deltas, lrs)`` (bias push along axis 0, learning rate along axis 1).
        threshold: the smallest jump counted as rough (splay units, i.e. lengths in the latent plane).

    Returns:
        ``(lrs,)``: for each learning rate, the fraction of the ``deltas - 1`` neighbouring pairs that jump.

    Raises:
        InvalidInputError: if ``splay`` is not 2-D with at least 2 rows, or ``threshold <= 0``.
    """
    if splay.ndim != 2 or splay.shape[0] < 2 or not threshold > 0:
        raise InvalidInputError(
            f"need a (deltas >= 2, lrs) map and threshold > 0, found shape "
            f"{tuple(splay.shape)} and threshold {threshold}"
        )
    return (torch.diff(splay, dim=0).abs() > threshold).double().mean(dim=0)


def plateau_loss_ratio(
    outcome_log: torch.Tensor, W_log: torch.Tensor, b_log: torch.Tensor
) -> float:
    """Median loss over the logged symmetric-failure epochs of some runs, divided by ``(n - 1) / n^3``.

    Args:
        outcome_log: outcomes of the runs at the logged epochs, ``(logs, runs)``.
        W_log, b_log: their parameters at the same epochs, ``(runs, logs, 2, n)`` and ``(runs, logs, n)``
            (the seed sweep's ``trajectory_W`` / ``trajectory_b``).

    Returns:
        The ratio (1 when the plateau loss is the closed form of
        :func:`tinymech.autoencoder.model.symmetric_failure_loss_floor`).

    Raises:
        InvalidInputError: on bad shapes or when no logged epoch is a symmetric failure.
    """
    runs, logs, _, n = W_log.shape
    if tuple(outcome_log.shape) != (logs, runs) or tuple(b_log.shape) != (runs, logs, n):
        raise InvalidInputError(
            f"need outcome_log (logs, runs) = {(logs, runs)} and b_log (runs, logs, n), found "
            f"{tuple(outcome_log.shape)} and {tuple(b_log.shape)}"
        )
    on_plateau = (outcome_log == SYMMETRIC_FAILURE).T
    if not bool(on_plateau.any()):
        raise InvalidInputError("no logged epoch is a symmetric failure")
    return float(
        loss_per_seed(W_log[on_plateau], b_log[on_plateau]).median()
    ) / symmetric_failure_loss_floor(n)


def mean_with_error(values: torch.Tensor) -> tuple[float, float, int]:
    """Mean, standard error (sample standard deviation over the square root of the count) and count of the
    finite entries of ``values``; NaN entries (e.g. of :func:`neighbour_gap_difference`) are left out.

    Raises:
        InvalidInputError: if fewer than two entries are finite.
    """
    finite = values[torch.isfinite(values)].double()
    if finite.numel() < 2:
        raise InvalidInputError(f"need at least two finite values, found {finite.numel()}")
    return float(finite.mean()), float(finite.std() / math.sqrt(finite.numel())), finite.numel()


def frozen_dead_optimum(
    weights: torch.Tensor,
    b: torch.Tensor,
    dead: torch.Tensor,
    *,
    steps: int = 300,
    learning_rate: float = 1.0,
) -> torch.Tensor:
    """Where the dead feature settles with everything else frozen: ``W_d`` after gradient descent on the loss.

    The post's test of the shifted local optimum: "freezing all the learnt weights and letting W_7 settle
    at its local optimum" {cite}`aeoptfailure2025`; with unequal live features the optimum is
    ``W_7 = ε (W_6 + W_1)``, near 0 but shifted towards the shorter ones.  Plain gradient descent on the
    mean squared error (:func:`tinymech.autoencoder.model.loss_and_gradients`), in float64, from
    ``W_d = 0``; only column ``d`` of ``W`` moves.

    Args:
        weights: ``(models, m, n)``; b: ``(models, n)``; dead: ``(models,)`` index of each model's dead feature.

    Returns:
        ``(models, m)`` the settled ``W_d``.

    Raises:
        InvalidInputError: on bad shapes or a dead index out of range.
    """
    from .model import loss_and_gradients

    models, n = _check_batch(weights)
    dead = torch.as_tensor(dead, dtype=torch.long)
    if (
        b.shape != (models, n)
        or dead.shape != (models,)
        or bool(((dead < 0) | (dead >= n)).any())
    ):
        raise InvalidInputError(
            f"need b of shape {(models, n)} and dead indices in 0..{n - 1}, got {tuple(b.shape)} "
            f"and {dead.tolist()}"
        )
    weights = weights.detach().double().clone()
    b = b.detach().double()
    rows = torch.arange(models)
    weights[rows, :, dead] = 0.0
    for _ in range(steps):
        _, dW, _ = loss_and_gradients(weights, b)
        weights[rows, :, dead] -= learning_rate * dW[rows, :, dead]
    return weights[rows, :, dead]
