"""Mechanistic estimate by fixed activation masks per case, and the Gaussian measure of a polyhedral cone.

For each case ``(m, s)`` (positions of the largest and second-largest input, see
:mod:`~tinymech.algzoo.estimators_m16.input_law`), fix the ReLU activation masks ``D[t]`` to those of one
representative input: the case's conditional mean (largest input ``E[x_(1)]`` at ``m``, second
``E[x_(2)]`` at ``s``, every other input at the mean of the others).  With the masks fixed the network
is linear in all ``n`` inputs, ``logits = B x`` with ``B = W_oh sum_t (prod_u D[u] W_hh) D[t] W_hi e_t``
(the masked-linear picture of the reader's notes in the fork {cite}`mrsirrisrm2026notes`, there taken
after the second impulse on clean two-impulse inputs, here over the whole sequence).  The case's
accuracy is then the standard Gaussian measure of the polyhedral cone

    x_m > x_s,  x_s > x_j (j != m, s),  (B x)_s > (B x)_j (j != s)

(``2n - 2`` half-spaces through the origin in ``R^n``), times ``n (n - 1)``, computed by Genz's
algorithm (:mod:`~tinymech.algzoo.estimators_m16.gaussian_polyhedra`) without evaluating the network
on any sampled input.  The estimate is the average over cases.

What it assumes: that one activation pattern per case stands for all inputs of the case.  Where an
input of the case has another pattern (for example an "other" input that is positive, when the
representative has all others negative), the linear surrogate can disagree with the network; the
estimate's error is the Gaussian measure of those disagreements.
"""

from __future__ import annotations

import numpy as np

from tinymech.algzoo.architectures import RNNWeights, as_weights
from tinymech.algzoo.linear_pieces import linear_piece
from tinymech.algzoo.trace import trace
from tinymech.algzoo.estimators_m16.gaussian_polyhedra import (
    cone_probability,
    cone_setup_operations,
    genz_operations,
    genz_points,
)
from tinymech.algzoo.estimators_m16.common import CaseEstimates, check_model, points_for_budget
from tinymech.algzoo.estimators_m16.input_law import check_case, cases, top_two_moments

#: Genz lattice points per case when no budget is given.
DEFAULT_POINTS = 1000


def representative_input(m: int, s: int, seq_len: int = 10) -> np.ndarray:
    """The case's conditional mean input ``(n,)``: ``E[x | case (m, s)]``.

    Raises:
        InvalidInputError: for an invalid case.
    """
    check_case(m, s, seq_len)
    law = top_two_moments(seq_len)
    x = np.full(seq_len, law.mean_other)
    x[m], x[s] = law.mean_largest, law.mean_second
    return x


def activation_masks(weights: RNNWeights, x: np.ndarray) -> np.ndarray:
    """Activation pattern ``(n, d)`` (0/1 floats) of one input ``x (n,)``: ``D[t] = 1[W_hh h_t + W_hi x_t > 0]``,
    the trace's ``activation_pattern`` (:func:`tinymech.algzoo.trace.trace`)."""
    return trace(weights, x).activation_pattern[0].astype(np.float64)


def case_cone_rows(B: np.ndarray, m: int, s: int) -> np.ndarray:
    """Constraint normals ``(2n - 2, n)`` of the cone "case (m, s) and prediction s" for ``logits = B x``.

    Rows: ``e_m - e_s``; ``e_s - e_j`` for the ``n - 2`` other ``j``; ``B_s - B_j`` for ``j != s``.
    """
    n = B.shape[1]
    check_case(m, s, n)
    rows = []
    order = np.zeros(n)
    order[m], order[s] = 1.0, -1.0
    rows.append(order)
    for j in range(n):
        if j not in (m, s):
            row = np.zeros(n)
            row[s], row[j] = 1.0, -1.0
            rows.append(row)
    for j in range(B.shape[0]):
        if j != s:
            rows.append(B[s] - B[j])
    return np.array(rows)


def case_cone_probability(
    B: np.ndarray, m: int, s: int, *, maxpts: int, seed: int = 0
) -> tuple[float, int]:
    """Gaussian measure of the cone of :func:`case_cone_rows` (``P(case and prediction s)``), and its operations.

    A logit difference that is identically zero (``B_s = B_j`` up to 1e-12 of the largest row) is a tie on
    the whole case, decided by the tie rule of :mod:`tinymech.algzoo.evaluation` (the lowest position
    wins): it is dropped if ``j > s`` and makes the probability 0 if ``j < s``.
    """
    rows = case_cone_rows(B, m, s)
    n = B.shape[1]
    logit_rows = rows[n - 1 :]
    others = [j for j in range(B.shape[0]) if j != s]
    norms = np.linalg.norm(logit_rows, axis=1)
    tied = norms <= 1e-12 * max(float(norms.max()), 1e-300)
    if any(tie and j < s for tie, j in zip(tied, others)):
        return 0.0, 0
    keep = np.concatenate([np.ones(n - 1, dtype=bool), ~tied])
    return cone_probability(rows[keep], maxpts=maxpts, seed=seed)


def map_operations(hidden_size: int, seq_len: int, n_logits: int) -> int:
    """Multiply-adds of :func:`activation_masks` on one input and :func:`tinymech.algzoo.linear_pieces.linear_piece` (columns of the
    Jacobian are only non-zero for inputs already read: ``sum_t d^2 t``), plus the ``n - 1`` logit
    differences."""
    d, n = hidden_size, seq_len
    forward = n * d * (d + 1)
    jacobian = sum(d * d * t + d for t in range(n)) + n_logits * d * n
    return forward + jacobian + (n_logits - 1) * n


def fixed_mask_case_accuracies(
    model, *, maxpts: int = DEFAULT_POINTS, seed: int = 0
) -> CaseEstimates:
    """Estimate 2's case accuracies for an M_{d,n} with ``n >= 3``.

    Args:
        model: a ``ReLURNN`` or its ``RNNWeights``.
        maxpts: Genz lattice points per case (see :func:`~.gaussian_polyhedra.genz_points`).
        seed: seed of the lattice shifts; case ``c`` uses ``seed * 1000 + c``.

    Raises:
        InvalidInputError: a sequence length below 3 or readout size different from it, or bad ``maxpts``.
    """
    weights = as_weights(model)
    n = weights.output_size
    check_model(weights)
    accuracy = np.zeros((n, n))
    genz = 0
    for index, (m, s) in enumerate(cases(n)):
        masks = activation_masks(weights, representative_input(m, s, n))
        B = linear_piece(weights, masks).logit_map
        probability, operations = case_cone_probability(
            B, m, s, maxpts=maxpts, seed=seed * 1000 + index
        )
        accuracy[m, s] = min(1.0, probability * n * (n - 1))
        genz += operations
    maps = len(cases(n)) * map_operations(weights.hidden_size, n, n)
    return CaseEstimates(
        accuracy, maps + genz, {"masks_and_linear_maps": maps, "cone_measures": genz}
    )


def fixed_mask_operations(hidden_size: int, seq_len: int, maxpts: int) -> int:
    """Operations of :func:`fixed_mask_case_accuracies` for a given ``maxpts`` (without running it), when no
    logit difference is identically zero (tied rows are dropped and cost less)."""
    n = seq_len
    k = 2 * n - 2
    per_case = (
        map_operations(hidden_size, n, n)
        + genz_operations(k, n, genz_points(maxpts, k))
        + cone_setup_operations(k, n)
    )
    return n * (n - 1) * per_case


def run_fixed_masks(
    weights: RNNWeights, budget: int | None, seed: int
) -> tuple[float, int, dict]:
    """``Method.run`` of estimate 2 (``fixed_masks``): see :func:`fixed_mask_case_accuracies`."""
    maxpts = points_for_budget(
        budget,
        lambda p: fixed_mask_operations(weights.hidden_size, weights.output_size, p),
        DEFAULT_POINTS,
    )
    result = fixed_mask_case_accuracies(weights, maxpts=maxpts, seed=seed)
    return result.estimate, result.operations, {"maxpts_per_case": maxpts, **result.breakdown}
