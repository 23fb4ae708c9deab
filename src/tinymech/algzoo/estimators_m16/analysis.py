"""Closed-form mean squared error versus compute of the two stronger samplers.

Plain sampling's curve, the estimators' error curves (bias, variance, MSE) and the ratio to sampling at
equal operations are the harness's (:func:`tinymech.algzoo.estimation.sampling_mse`,
:func:`~tinymech.algzoo.estimation.error_curve`, :func:`~tinymech.algzoo.estimation.equal_compute_ratio`).
This module adds the curves of stratified sampling over the cases and of the control variate
(:mod:`.sampling_baselines`), and the best constant guess, over an ensemble with reference accuracies
``p_k`` {cite}`arc2026algzoo`.
"""

from __future__ import annotations

import numpy as np

from tinymech.errors import InvalidInputError


def _as_operations(operations) -> np.ndarray:
    values = np.atleast_1d(np.asarray(operations, dtype=np.float64))
    if np.any(~np.isfinite(values)) or np.any(values <= 0):
        raise InvalidInputError("operations must be positive and finite")
    return values


def stratified_mse(case_accuracies, operations, per_sample: int) -> np.ndarray:
    """Stratified sampling's mean squared error ``(B,)`` with equal sequences in each case.

    Args:
        case_accuracies: ``(K, C)`` reference case accuracies (``C`` cases of equal probability).
        operations: budgets ``(B,)`` in operations; ``inf`` where a budget buys less than one sequence per case.
        per_sample: operations of one sequence.
    """
    p = np.asarray(case_accuracies, dtype=np.float64)
    count = p.shape[1]
    per_case = np.floor(_as_operations(operations) / (per_sample * count))
    within = float(np.mean(p * (1 - p)))  # mean over models and cases
    return np.where(per_case >= 1, within / (count * np.maximum(per_case, 1)), np.inf)


def control_variate_mse(
    counts: dict,
    known_means: dict,
    operations,
    *,
    fixed_operations: dict,
    per_sample: int,
    share: int,
) -> np.ndarray:
    """The control variate's mean squared error ``(B,)`` (see :mod:`.sampling_baselines`).

    At budget ``C`` the known mean uses the largest ``maxpts`` whose cost is at most ``C / share``; the
    remaining operations buy ``N`` sequences.  Per model the error is
    ``(1 - rho^2) p (1 - p) / N + beta^2 (mu_S - s)^2``: the regression estimator's variance and the
    error of the known mean ``mu_S`` (Genz) against the surrogate's accuracy ``s`` measured on the
    reference sequences.

    Args:
        counts: per-model reference counts ``total``, ``correct``, ``surrogate``, ``both``, each ``(K, C)``.
        known_means: ``{maxpts: (K,) estimate-2 values}``.
        operations: budgets ``(B,)``.
        fixed_operations: ``{maxpts: operations of the known mean}``.
        per_sample: operations of one sequence with its surrogate.
        share: the known mean's budget share denominator.
    """
    total = np.asarray(counts["total"], dtype=np.float64).sum(-1)
    p_y = np.asarray(counts["correct"], dtype=np.float64).sum(-1) / total
    p_s = np.asarray(counts["surrogate"], dtype=np.float64).sum(-1) / total
    p_ys = np.asarray(counts["both"], dtype=np.float64).sum(-1) / total
    covariance = p_ys - p_y * p_s
    variance_s = p_s * (1 - p_s)
    beta = np.where(variance_s > 0, covariance / np.where(variance_s > 0, variance_s, 1), 0.0)
    residual = p_y * (1 - p_y) - beta * covariance
    out = []
    for budget in _as_operations(operations):
        affordable = [p for p in sorted(known_means) if fixed_operations[p] <= budget / share]
        if not affordable:
            out.append(np.inf)
            continue
        maxpts = affordable[-1]
        samples = np.floor((budget - fixed_operations[maxpts]) / per_sample)
        if samples < 2:
            out.append(np.inf)
            continue
        error = np.asarray(known_means[maxpts], dtype=np.float64) - p_s
        out.append(float(np.mean(residual / samples + beta**2 * error**2)))
    return np.array(out)


def constant_guess_mse(references) -> float:
    """Mean squared error of the best constant guess (the ensemble's mean accuracy, an oracle): the
    variance of the references, the bar any estimator that reads the weights must clear."""
    references = np.asarray(references, dtype=np.float64)
    return float(references.var())
