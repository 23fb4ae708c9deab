"""Stronger sampling baselines for M16,10's accuracy: stratified sampling and a control variate.

Both sample inputs, so neither is a mechanistic estimate; they show how much better than plain random
sampling a sampler can do at equal operations, and so how far the mechanistic estimates are from the
best available sampling, not only from the plainest.

- **Stratified sampling over the cases** ``(m, s)``: the same number of sequences in each of the
  ``n (n - 1)`` cases (each of probability ``1 / (n (n - 1))``), drawn exactly from the case law by
  rearranging Gaussian sequences (:func:`~tinymech.algzoo.estimators_m16.input_law.arrange_into_case`).
  Its variance is ``mean_c p_c (1 - p_c) / k`` instead of ``p (1 - p) / k``: it removes the variance
  between case accuracies.
- **Control variate** (regression estimator): the masked-linear surrogate of estimate 2 predicts on each
  sampled input too (``B_c x``, ``n^2`` multiply-adds), and its accuracy ``mu_S`` is known without
  sampling (its cone measures).  The estimate is ``mean(Y) - beta (mean(S) - mu_S)`` with ``Y`` the
  network's correctness, ``S`` the surrogate's and ``beta`` their fitted regression slope; its variance
  is ``(1 - rho^2)`` times plain sampling's, ``rho`` the correlation of ``Y`` and ``S``.

Operation counts: a sequence costs one forward pass, ``n d (d + 1) + n d`` multiply-adds
(:func:`tinymech.algzoo.operations.forward_operations`); the control variate adds its surrogate's cost.
"""

from __future__ import annotations

import numpy as np
import torch

from tinymech.algzoo.architectures import ReLURNN, RNNWeights
from tinymech.algzoo.operations import check_sample_budget, forward_operations
from tinymech.algzoo.estimators_m16.activation_masks import (
    activation_masks,
    case_cone_probability,
    map_operations,
    representative_input,
)
from tinymech.algzoo.linear_pieces import linear_piece
from tinymech.algzoo.estimators_m16.common import GENZ_LADDER, check_model, points_for_budget
from tinymech.algzoo.estimators_m16.gaussian_polyhedra import (
    cone_setup_operations,
    genz_operations,
    genz_points,
)
from tinymech.algzoo.estimators_m16.input_law import (
    arrange_into_case,
    case_index,
    case_of,
    cases,
)
from tinymech.algzoo.evaluation import gaussian_sequences, predictions
from tinymech.errors import InvalidInputError

#: Sequences per case for stratified sampling when no budget is given.
DEFAULT_PER_CASE = 512
#: Sequences for the control variate when no budget is given.
DEFAULT_SAMPLES = 2**16
#: The control variate spends at most 1 / KNOWN_MEAN_SHARE of its budget on the surrogate's accuracy.
KNOWN_MEAN_SHARE = 8


def _model(weights: RNNWeights) -> ReLURNN:
    return ReLURNN.from_weights(weights.W_hi, weights.W_hh, weights.W_oh).eval()


def stratified_case_correct(weights: RNNWeights, per_case: int, *, seed: int = 0) -> np.ndarray:
    """Correct predictions per case ``(n (n - 1),)`` from ``per_case`` sequences drawn in each case.

    Sequence ``i`` of the stream :func:`~tinymech.algzoo.evaluation.gaussian_sequences` (``seed``) is
    rearranged into case ``i mod n (n - 1)``.

    Raises:
        InvalidInputError: for ``per_case < 1``.
    """
    if (
        isinstance(per_case, bool)
        or not isinstance(per_case, (int, np.integer))
        or per_case < 1
    ):
        raise InvalidInputError(f"per_case must be a positive integer, got {per_case!r}")
    n = weights.output_size
    all_cases = np.array(cases(n))
    count = len(all_cases)
    model = _model(weights)
    correct = np.zeros(count, dtype=np.int64)
    start = 0
    with torch.no_grad():
        for batch in gaussian_sequences(per_case * count, n, seed=seed):
            x = batch.numpy()
            which = (start + np.arange(len(x))) % count
            start += len(x)
            arranged = arrange_into_case(x, all_cases[which, 0], all_cases[which, 1])
            predicted = predictions(model(torch.from_numpy(arranged))).numpy()
            np.add.at(correct, which, predicted == all_cases[which, 1])
    return correct


def run_stratified(
    weights: RNNWeights, budget: int | None, seed: int
) -> tuple[float, int, dict]:
    """``Method.run`` of stratified sampling over the cases (a sampling baseline)."""
    check_model(weights)
    n = weights.output_size
    count = n * (n - 1)
    per_sample = forward_operations(weights.hidden_size, n)
    per_case = DEFAULT_PER_CASE if budget is None else budget // (per_sample * count)
    if per_case < 1:
        raise InvalidInputError(
            f"a budget of {budget:,} operations buys less than one sequence per case "
            f"({count} cases at {per_sample:,} operations each)"
        )
    check_sample_budget(budget, per_case * count, per_sample)
    correct = stratified_case_correct(weights, int(per_case), seed=seed)
    rates = correct / per_case
    estimate = float(rates.mean())
    standard_error = float(np.sqrt(np.mean(rates * (1 - rates)) / (per_case * count)))
    return (
        estimate,
        int(per_case * count * per_sample),
        {"per_case": int(per_case), "standard_error": standard_error},
    )


def surrogate_maps(weights: RNNWeights) -> np.ndarray:
    """The masked-linear maps ``B_c`` of estimate 2 for every case, ``(cases, n_logits, n)``."""
    n = weights.output_size
    return np.array(
        [
            linear_piece(
                weights, activation_masks(weights, representative_input(m, s, n))
            ).logit_map
            for m, s in cases(n)
        ]
    )


def surrogate_correct(maps: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Whether the case surrogate ``B_c x`` predicts the second largest, ``(batch,)`` booleans, for
    inputs ``x (batch, n)`` (each row uses the map of its own case)."""
    m, s = case_of(x)
    index = case_index(m, s, x.shape[1])
    logits = np.einsum("bij,bj->bi", maps[index], x)
    return np.argmax(logits, axis=1) == s


def control_variate_operations(
    hidden_size: int, seq_len: int, maxpts: int, samples: int
) -> int:
    """Operations of :func:`run_control_variate`: the surrogate maps and cone measures once, then per
    sequence a forward pass and the surrogate's ``n^2`` multiply-adds."""
    n = seq_len
    k = 2 * n - 2
    fixed = (
        n
        * (n - 1)
        * (
            map_operations(hidden_size, n, n)
            + genz_operations(k, n, genz_points(maxpts, k))
            + cone_setup_operations(k, n)
        )
    )
    return fixed + samples * (forward_operations(hidden_size, n) + n * n)


def run_control_variate(
    weights: RNNWeights, budget: int | None, seed: int
) -> tuple[float, int, dict]:
    """``Method.run`` of sampling with the masked-linear surrogate as control variate (a sampling baseline).

    At most ``1 / KNOWN_MEAN_SHARE`` of the budget goes to the surrogate's known accuracy (Genz points on
    the doubling ladder), the rest to sequences.
    """
    check_model(weights)
    d, n = weights.hidden_size, weights.output_size
    per_sample = forward_operations(d, n) + n * n
    if budget is None:
        maxpts, samples = 1280, DEFAULT_SAMPLES
    else:
        surrogate = lambda p: control_variate_operations(d, n, p, 0)  # noqa: E731
        maxpts = points_for_budget(
            min(budget // KNOWN_MEAN_SHARE, surrogate(GENZ_LADDER[-1])), surrogate, 1280
        )
        samples = (budget - control_variate_operations(d, n, maxpts, 0)) // per_sample
        if samples < 2:
            raise InvalidInputError(
                f"a budget of {budget:,} operations leaves fewer than two sequences"
            )
        check_sample_budget(budget, samples, per_sample)
    maps = surrogate_maps(weights)
    known = np.mean(
        [
            min(
                1.0,
                case_cone_probability(maps[c], m, s, maxpts=maxpts, seed=seed * 1000 + c)[0]
                * n
                * (n - 1),
            )
            for c, (m, s) in enumerate(cases(n))
        ]
    )
    model = _model(weights)
    y_parts, s_parts = [], []
    with torch.no_grad():
        for batch in gaussian_sequences(int(samples), n, seed=seed):
            x = batch.numpy()
            _, second = case_of(x)
            y_parts.append(predictions(model(batch)).numpy() == second)
            s_parts.append(surrogate_correct(maps, x.astype(np.float64)))
    y = np.concatenate(y_parts).astype(float)
    s = np.concatenate(s_parts).astype(float)
    variance_s = s.var()
    beta = (
        float(np.mean((y - y.mean()) * (s - s.mean())) / variance_s) if variance_s > 0 else 0.0
    )
    estimate = float(y.mean() - beta * (s.mean() - known))
    residual = y - beta * s
    return (
        estimate,
        int(control_variate_operations(d, n, maxpts, int(samples))),
        {
            "samples": int(samples),
            "maxpts_per_case": maxpts,
            "beta": beta,
            "surrogate_accuracy": float(known),
            "standard_error": float(residual.std() / np.sqrt(len(y))),
        },
    )
