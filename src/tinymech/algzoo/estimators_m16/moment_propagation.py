"""Mechanistic estimate by moment (covariance) propagation per case, and a Gaussian readout.

For each case ``(m, s)`` (see :mod:`~tinymech.algzoo.estimators_m16.input_law`) the joint law of the
hidden state and the inputs, ``(h_t, x)``, is summarised by its mean and covariance and pushed through
the recurrence: ``z = W_hh h_t + W_hi x_t`` is linear (its moments are exact); at the ReLU the
pre-activations are presumed jointly Gaussian, which gives

- the mean and variance of each ``ReLU(z_i)`` exactly under that presumption (rectified Gaussian);
- the covariance of ``ReLU(z_i)`` with any input ``x_j``: ``Phi(mu_i / sigma_i) Cov(z_i, x_j)``
  (Stein's lemma);
- the covariance of two rectified neurons from the Mehler (Hermite) expansion of the bivariate Gaussian
  truncated at ``order`` terms: ``sum_k rho^k a_k(i) a_k(j) / k!`` with ``a_1 = sigma Phi(alpha)`` and
  ``a_k = sigma He_{k-2}(-alpha) phi(alpha)``, ``alpha = mu / sigma``.  ``order = 1`` is the presumption
  of independence of ARC's notes (each gate independent of the pre-activations, a ReLU acting as
  multiplication by the probability that its pre-activation is positive {cite}`hilton2024heuristic`);
  higher orders converge to the exact bivariate Gaussian value.  This is the approach of cumulant
  propagation {cite}`wu2026cumulant` kept to second cumulants.

The logits ``W_oh h_n`` are then presumed Gaussian, and the case accuracy is the probability that the
``n - 1`` logit differences ``logit_s - logit_j`` are all positive, by Genz's algorithm
(:func:`~tinymech.algzoo.estimators_m16.gaussian_polyhedra.orthant_probability`).  No input is sampled.
"""

from __future__ import annotations

import numpy as np
from scipy.special import eval_hermitenorm, ndtr

from tinymech.algzoo.architectures import RNNWeights, as_weights
from tinymech.algzoo.estimators_m16.common import CaseEstimates, check_model, points_for_budget
from tinymech.algzoo.estimators_m16.gaussian_polyhedra import (
    SPECIAL_FUNCTION_OPERATIONS,
    genz_operations,
    genz_points,
    orthant_probability,
)
from tinymech.algzoo.estimators_m16.input_law import case_mean_covariance, cases
from tinymech.errors import InvalidInputError

#: Genz lattice points per case when no budget is given.
DEFAULT_POINTS = 1000
#: Mehler expansion order when none is given (1: the presumption of independence).
DEFAULT_ORDER = 1


def rectified_gaussian_moments(
    mean: np.ndarray, cov: np.ndarray, order: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Moments of ``ReLU(z)`` for ``z ~ N(mean, cov)``, batched.

    Args:
        mean: ``(..., d)``.
        cov: ``(..., d, d)``.
        order: terms of the Mehler expansion of the off-diagonal covariances (>= 1).

    Returns:
        ``(mean, cov, gate)``: ``(..., d)``, ``(..., d, d)`` and ``(..., d)`` with
        ``gate = P(z > 0) = Phi(mean / sd)``.  Neurons with zero variance are treated as deterministic.
    """
    variance = np.maximum(np.diagonal(cov, axis1=-2, axis2=-1), 0.0)
    sd = np.sqrt(variance)
    safe_sd = np.where(sd > 0, sd, 1.0)
    alpha = np.where(sd > 0, mean / safe_sd, np.where(mean > 0, np.inf, -np.inf))
    gate = np.where(sd > 0, ndtr(alpha), (mean > 0).astype(float))
    density = np.where(
        sd > 0, np.exp(-0.5 * np.minimum(alpha**2, 1e4)) / np.sqrt(2 * np.pi), 0.0
    )
    out_mean = mean * gate + sd * density
    second = (mean**2 + variance) * gate + mean * sd * density
    out_var = np.maximum(second - out_mean**2, 0.0)
    rho = cov / (safe_sd[..., :, None] * safe_sd[..., None, :])
    out_cov = np.zeros_like(cov)
    factorial = 1.0
    finite_alpha = np.where(np.isfinite(alpha), alpha, 0.0)
    for k in range(1, order + 1):
        factorial *= k
        if k == 1:
            coefficient = sd * gate
        else:
            coefficient = sd * eval_hermitenorm(k - 2, -finite_alpha) * density
        out_cov += rho**k * coefficient[..., :, None] * coefficient[..., None, :] / factorial
    idx = np.arange(mean.shape[-1])
    out_cov[..., idx, idx] = out_var
    return out_mean, out_cov, gate


def propagate_case_moments(
    weights: RNNWeights, order: int = DEFAULT_ORDER, *, return_gates: bool = False
) -> tuple[np.ndarray, ...]:
    """Mean ``(cases, n_logits)`` and covariance ``(cases, n_logits, n_logits)`` of the logits per case
    (cases in the order of :func:`~.input_law.cases`), by the propagation of the module docstring.

    With ``return_gates`` also the presumed gate probabilities ``P(z_t > 0)``, ``(cases, n, d)``, and
    the propagated pre-activation means ``(cases, n, d)`` (for the error analysis)."""
    d, n = weights.hidden_size, weights.output_size
    all_cases = cases(n)
    laws = [case_mean_covariance(m, s, n) for m, s in all_cases]
    input_mean = np.array([law[0] for law in laws])  # (C, n)
    input_cov = np.array([law[1] for law in laws])  # (C, n, n)
    count = len(all_cases)
    mean_h = np.zeros((count, d))
    cov_hh = np.zeros((count, d, d))
    cov_hx = np.zeros((count, d, n))
    gates = np.zeros((count, n, d))
    pre_means = np.zeros((count, n, d))
    for t in range(n):
        mean_z = mean_h @ weights.W_hh.T + input_mean[:, t, None] * weights.W_hi
        cross = np.einsum("ij,cj->ci", weights.W_hh, cov_hx[:, :, t])  # Cov(W_hh h, x_t)
        cov_zz = (
            np.einsum("ij,cjk,lk->cil", weights.W_hh, cov_hh, weights.W_hh)
            + cross[:, :, None] * weights.W_hi[None, None, :]
            + weights.W_hi[None, :, None] * cross[:, None, :]
            + input_cov[:, t, t, None, None] * np.outer(weights.W_hi, weights.W_hi)
        )
        cov_zx = (
            np.einsum("ij,cjk->cik", weights.W_hh, cov_hx)
            + weights.W_hi[None, :, None] * input_cov[:, None, t, :]
        )
        mean_h, cov_hh, gate = rectified_gaussian_moments(mean_z, cov_zz, order)
        cov_hx = gate[:, :, None] * cov_zx
        gates[:, t], pre_means[:, t] = gate, mean_z
    mean_logits = mean_h @ weights.W_oh.T
    cov_logits = np.einsum("ij,cjk,lk->cil", weights.W_oh, cov_hh, weights.W_oh)
    if return_gates:
        return mean_logits, cov_logits, gates, pre_means
    return mean_logits, cov_logits


def propagation_operations(hidden_size: int, seq_len: int, n_logits: int, order: int) -> int:
    """Operations of :func:`propagate_case_moments` for all cases.

    Per case and step: ``W_hh Sigma_hh W_hh^T`` (``2 d^3``), the cross terms with the inputs
    (``d^2 n + 3 d^2``), the mean (``d (d + 1)``), per neuron a square root, a reciprocal, a normal CDF
    and density (each :data:`~.gaussian_polyhedra.SPECIAL_FUNCTION_OPERATIONS`) and 8 arithmetic
    operations, per neuron pair the correlation (2) and ``order`` Mehler terms of 4 operations (plus
    ``order`` Hermite values per neuron), and the rescaled input covariances (``d n``).  Per case the
    readout: ``n_logits d + n_logits d^2 + n_logits^2 d``.
    """
    d, n, k = hidden_size, seq_len, n_logits
    per_step = (
        2 * d**3
        + d * d * n
        + 3 * d * d
        + d * (d + 1)
        + d * (8 + 4 * SPECIAL_FUNCTION_OPERATIONS)
        + d * (d - 1) // 2 * (2 + 4 * order)
        + 3 * order * d
        + d * n
    )
    readout = k * d + k * d * d + k * k * d
    return n * (n - 1) * (n * per_step + readout)


def moment_propagation_case_accuracies(
    model, *, order: int = DEFAULT_ORDER, maxpts: int = DEFAULT_POINTS, seed: int = 0
) -> CaseEstimates:
    """Estimate 1's case accuracies for an M_{d,n} with ``n >= 3``.

    Args:
        model: a ``ReLURNN`` or its ``RNNWeights``.
        order: Mehler expansion order of the neuron-neuron covariances (1 to 8).
        maxpts: Genz lattice points per case for the ``n - 1``-dimensional Gaussian readout.
        seed: seed of the lattice shifts; case ``c`` uses ``seed * 1000 + c``.

    Raises:
        InvalidInputError: a bad model, ``order`` or ``maxpts``.
    """
    weights = as_weights(model)
    check_model(weights)
    if (
        isinstance(order, bool)
        or not isinstance(order, (int, np.integer))
        or not 1 <= order <= 8
    ):
        raise InvalidInputError(f"order must be an integer from 1 to 8, got {order!r}")
    n = weights.output_size
    mean_logits, cov_logits = propagate_case_moments(weights, order)
    accuracy = np.zeros((n, n))
    readout = 0
    for index, (m, s) in enumerate(cases(n)):
        others = [j for j in range(n) if j != s]
        difference = -np.eye(n)[others]
        difference[:, s] = 1.0
        mean = difference @ mean_logits[index]
        cov = difference @ cov_logits[index] @ difference.T
        probability, operations = orthant_probability(
            mean, cov, maxpts=maxpts, seed=seed * 1000 + index
        )
        accuracy[m, s] = probability
        readout += operations + 2 * (n - 1) * n  # differences of the mean and covariance
    propagation = propagation_operations(weights.hidden_size, n, n, order)
    return CaseEstimates(
        accuracy,
        propagation + readout,
        {"propagation": propagation, "gaussian_readout": readout},
    )


def moment_propagation_operations(
    hidden_size: int, seq_len: int, order: int, maxpts: int
) -> int:
    """Operations of :func:`moment_propagation_case_accuracies` (without running it)."""
    n = seq_len
    k = n - 1
    readout = genz_operations(k, k, genz_points(maxpts, k)) + 2 * k * n
    return propagation_operations(hidden_size, n, n, order) + n * (n - 1) * readout


def run_moment_propagation(
    weights: RNNWeights, budget: int | None, seed: int
) -> tuple[float, int, dict]:
    """``Method.run`` (``moment_propagation``, order 1): see
    :func:`moment_propagation_case_accuracies`."""
    maxpts = points_for_budget(
        budget,
        lambda p: moment_propagation_operations(
            weights.hidden_size, weights.output_size, DEFAULT_ORDER, p
        ),
        DEFAULT_POINTS,
    )
    result = moment_propagation_case_accuracies(
        weights, order=DEFAULT_ORDER, maxpts=maxpts, seed=seed
    )
    return (
        result.estimate,
        result.operations,
        {"maxpts_per_case": maxpts, "order": DEFAULT_ORDER, **result.breakdown},
    )
