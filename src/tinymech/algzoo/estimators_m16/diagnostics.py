"""Error analysis of the M16,10 estimators: which cases err, and which presumptions fail.

Everything here samples inputs on purpose: it measures what the mechanistic estimates assume (Gaussian
pre-activations, a Gaussian readout, one activation pattern per case) against what the network does.
None of it is part of an estimate.

- :func:`sampled_case_statistics`: per case, the sampled gate probabilities ``P(z_t,i > 0)``, the mean
  and covariance of the logits, the fraction of inputs whose activation pattern at step ``t`` is the
  representative's, and the accuracy of network and surrogate split by the sign of each input.
- :func:`gaussian_readout_accuracies`: moment propagation's readout applied to the *sampled* logit moments: what
  the Gaussian readout alone costs, with perfect propagation.
"""

from __future__ import annotations

import numpy as np
import torch

from tinymech.algzoo.architectures import RNNWeights
from tinymech.algzoo.estimators_m16.activation_masks import (
    activation_masks,
    representative_input,
)
from tinymech.algzoo.estimators_m16.gaussian_polyhedra import orthant_probability
from tinymech.algzoo.estimators_m16.input_law import case_index, case_of, cases
from tinymech.algzoo.estimators_m16.sampling_baselines import surrogate_correct, surrogate_maps
from tinymech.algzoo.evaluation import gaussian_sequences
from tinymech.algzoo.trace import trace

#: Sequences of the diagnostics, and their seed (distinct from the references' and the estimators').
DIAGNOSTIC_SAMPLES, DIAGNOSTIC_SEED = 2**18, 2_000_003


def sampled_case_statistics(
    weights: RNNWeights, *, samples: int = DIAGNOSTIC_SAMPLES, seed: int = DIAGNOSTIC_SEED
) -> dict:
    """Sampled per-case statistics (float64 trace), cases in the order of :func:`~.input_law.cases`.

    Returns:
        numpy arrays: ``total (C,)``; ``gate (C, n, d)`` fraction of inputs with ``z_t,i > 0``;
        ``pre_mean (C, n, d)``; ``logit_mean (C, n)``; ``logit_cov (C, n, n)``; ``pattern_match (C, n)``
        fraction whose whole pattern at step ``t`` equals the representative input's;
        ``positive (C, n)`` inputs with ``x_t > 0``; ``correct_positive``, ``surrogate_positive``
        ``(C, n)`` correct predictions among those; ``correct``, ``surrogate`` ``(C,)``.
    """
    n, d = weights.output_size, weights.hidden_size
    all_cases = cases(n)
    count = len(all_cases)
    representative = np.stack(
        [activation_masks(weights, representative_input(m, s, n)) > 0 for m, s in all_cases]
    )
    maps = surrogate_maps(weights)
    sums = {
        "total": np.zeros(count),
        "gate": np.zeros((count, n, d)),
        "pre_mean": np.zeros((count, n, d)),
        "logit_sum": np.zeros((count, n)),
        "logit_outer": np.zeros((count, n, n)),
        "pattern_match": np.zeros((count, n)),
        "positive": np.zeros((count, n)),
        "correct_positive": np.zeros((count, n)),
        "surrogate_positive": np.zeros((count, n)),
        "correct": np.zeros(count),
        "surrogate": np.zeros(count),
    }
    for batch in gaussian_sequences(samples, n, seed=seed, dtype=torch.float64, batch_chunks=1):
        x = batch.numpy()
        record = trace(weights, x)
        m, s = case_of(x)
        index = case_index(m, s, n)
        right = record.predictions == s
        surrogate = surrogate_correct(maps, x)
        positive = x > 0
        np.add.at(sums["total"], index, 1)
        np.add.at(sums["gate"], index, record.activation_pattern)
        np.add.at(sums["pre_mean"], index, record.preactivation)
        np.add.at(sums["logit_sum"], index, record.logits)
        np.add.at(
            sums["logit_outer"], index, record.logits[:, :, None] * record.logits[:, None, :]
        )
        np.add.at(
            sums["pattern_match"],
            index,
            (record.activation_pattern == representative[index]).all(-1),
        )
        np.add.at(sums["positive"], index, positive)
        np.add.at(sums["correct_positive"], index, positive & right[:, None])
        np.add.at(sums["surrogate_positive"], index, positive & surrogate[:, None])
        np.add.at(sums["correct"], index, right)
        np.add.at(sums["surrogate"], index, surrogate)
    total = sums["total"]
    mean = sums["logit_sum"] / total[:, None]
    return {
        "total": total,
        "gate": sums["gate"] / total[:, None, None],
        "pre_mean": sums["pre_mean"] / total[:, None, None],
        "logit_mean": mean,
        "logit_cov": sums["logit_outer"] / total[:, None, None]
        - mean[:, :, None] * mean[:, None, :],
        "pattern_match": sums["pattern_match"] / total[:, None],
        "positive": sums["positive"],
        "correct_positive": sums["correct_positive"],
        "surrogate_positive": sums["surrogate_positive"],
        "correct": sums["correct"],
        "surrogate": sums["surrogate"],
    }


def gaussian_readout_accuracies(
    logit_mean: np.ndarray, logit_cov: np.ndarray, *, maxpts: int = 5000
) -> np.ndarray:
    """Case accuracies ``(C,)`` of a Gaussian readout with the given logit moments per case
    (``(C, n)``, ``(C, n, n)``): ``P(logit_s - logit_j > 0 for all j != s)``."""
    n = logit_mean.shape[1]
    out = np.zeros(len(logit_mean))
    for index, (m, s) in enumerate(cases(n)):
        others = [j for j in range(n) if j != s]
        difference = -np.eye(n)[others]
        difference[:, s] = 1.0
        out[index] = orthant_probability(
            difference @ logit_mean[index],
            difference @ logit_cov[index] @ difference.T,
            maxpts=maxpts,
            seed=index,
        )[0]
    return out


# ---------------------------------------------------------------------------------------------------
# Summaries of the stored diagnostics
# ---------------------------------------------------------------------------------------------------


def _array(value) -> np.ndarray:
    return value.numpy() if isinstance(value, torch.Tensor) else np.asarray(value)


def gate_error_by_step(diagnostics: dict) -> np.ndarray:
    """RMS over cases and neurons of moment propagation's presumed gate probability minus the sampled one, per step
    ``(n,)``."""
    difference = _array(diagnostics["propagated_gate"]) - _array(diagnostics["gate"])
    return np.sqrt(np.mean(difference**2, axis=(0, 2)))


def pre_activation_mean_error_by_step(diagnostics: dict) -> np.ndarray:
    """Estimate 1's error in the mean pre-activation per step ``(n,)``: RMS over cases and neurons of
    (propagated - sampled), divided by the RMS of the sampled means."""
    propagated = _array(diagnostics["propagated_pre_mean"])
    sampled = _array(diagnostics["pre_mean"])
    return np.sqrt(np.mean((propagated - sampled) ** 2, axis=(0, 2))) / np.sqrt(
        np.mean(sampled**2, axis=(0, 2))
    )


def case_rates(diagnostics: dict) -> dict:
    """Sampled case accuracies ``(C,)`` of the network and of fixed masks' surrogate, and the Gaussian
    readout with sampled logit moments."""
    total = _array(diagnostics["total"])
    return {
        "network": _array(diagnostics["correct"]) / total,
        "surrogate": _array(diagnostics["surrogate"]) / total,
        "gaussian_readout": _array(diagnostics["gaussian_readout_sampled_moments"]),
    }


def sign_sensitivity(diagnostics: dict, *, minimum: int = 200) -> np.ndarray:
    """The surrogate's accuracy among inputs of a case with ``x_t > 0`` minus among those with ``x_t <= 0``,
    ``(C, n)`` (NaN where either group has fewer than ``minimum`` inputs, and at the case's own ``m``, ``s``)."""
    total = _array(diagnostics["total"])[:, None]
    positive = _array(diagnostics["positive"])
    negative = total - positive
    right_positive = _array(diagnostics["surrogate_positive"])
    right_negative = _array(diagnostics["surrogate"])[:, None] - right_positive
    with np.errstate(invalid="ignore", divide="ignore"):
        difference = right_positive / positive - right_negative / negative
    difference[(positive < minimum) | (negative < minimum)] = np.nan
    n = positive.shape[1]
    for c, (m, s) in enumerate(cases(n)):
        difference[c, [m, s]] = np.nan
    return difference
