"""Randomized quasi-Monte Carlo (RQMC): scrambled Sobol points mapped to Gaussian sequences (a sampling baseline).

The strongest cheap sampler the M16,10 estimators are measured against (issue 27; the public gains in
ARC's estimation contest come from it {cite}`arc2026algzoo`).  A scrambled Sobol sequence in ``[0, 1)^n``
(:class:`scipy.stats.qmc.Sobol`, ``scramble=True``: Owen's linear matrix scramble with a digital shift)
is mapped coordinate by coordinate to standard Gaussians by the inverse normal CDF
(:func:`scipy.special.ndtri`), and the network's accuracy is the fraction of these sequences it gets
right.  Each scramble is an unbiased estimate; its error shrinks faster than ``1 / sqrt(N)`` where the
correctness indicator is smooth enough along the low-dimensional projections, and is never worse than
plain sampling's by more than a constant for Owen's scramble.

Operation count per sequence: a forward pass (:func:`~tinymech.algzoo.estimation.forward_operations`)
plus, per coordinate, the point generation (one XOR of a direction number in Gray-code order and one
integer-to-float conversion: :data:`POINT_OPERATIONS`) and the inverse normal
(:data:`~tinymech.algzoo.estimation.SPECIAL_FUNCTION_OPERATIONS`, the harness's rule for an elementary
function).  The scramble itself is applied once to the direction numbers (``n * 30^2`` bit operations at
most, charged as :func:`scramble_operations`).  Plain sampling's count in the harness does not charge its
own Gaussian generation; RQMC is charged for its, so the comparison favours plain sampling slightly.

The MSE of RQMC has no closed form: :func:`rqmc_replicates` measures it by independent scrambles
(nested prefixes of ``2^k`` points of one scramble are themselves scrambled nets, so one scramble gives
an estimate at every power of two).
"""

from __future__ import annotations

import math
import warnings
from typing import Iterator

import numpy as np
import torch
from scipy.special import ndtri
from scipy.stats import qmc

from tinymech.algzoo.architectures import ReLURNN, RNNWeights
from tinymech.algzoo.operations import (
    SPECIAL_FUNCTION_OPERATIONS,
    check_sample_budget,
    forward_operations,
)
from tinymech.algzoo.evaluation import CHUNK_SEQUENCES, model_predictions
from tinymech.algzoo.tasks import get_task
from tinymech.errors import InvalidInputError

#: Operations per coordinate of a Sobol point: one XOR and one conversion to a float.
POINT_OPERATIONS = 2
#: Bits of scipy's Sobol generator (the scramble multiplies ``bits x bits`` matrices once per coordinate).
SOBOL_BITS = 30
#: Sequences drawn when no budget is given.
DEFAULT_SAMPLES = 2**16


def per_sequence_operations(hidden_size: int, seq_len: int) -> int:
    """Operations of one RQMC sequence: a forward pass plus ``seq_len`` points and inverse normals."""
    return forward_operations(hidden_size, seq_len) + seq_len * (
        POINT_OPERATIONS + SPECIAL_FUNCTION_OPERATIONS
    )


def scramble_operations(seq_len: int) -> int:
    """Operations of one scramble (the linear matrix scramble of ``seq_len`` coordinates, once)."""
    return seq_len * SOBOL_BITS * SOBOL_BITS


def rqmc_operations(hidden_size: int, seq_len: int, samples: int) -> int:
    """Operations of an RQMC estimate from ``samples`` sequences."""
    return scramble_operations(seq_len) + samples * per_sequence_operations(
        hidden_size, seq_len
    )


def sobol_gaussian_sequences(samples: int, seq_len: int, *, seed) -> Iterator[np.ndarray]:
    """Scrambled Sobol points mapped to standard Gaussians, float32 ``(batch, seq_len)`` chunks of at most
    :data:`~tinymech.algzoo.evaluation.CHUNK_SEQUENCES` rows, ``samples`` in all.

    ``seed`` seeds the scramble (anything :func:`numpy.random.default_rng` accepts); the first ``2^k``
    points of a scramble are a scrambled net for every ``k``.  Points are clipped to the open unit interval
    (``2^-31`` from either end) before the inverse normal, so no input is infinite.

    Raises:
        InvalidInputError: for a non-positive ``samples`` or ``seq_len``.
    """
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        raise InvalidInputError(f"samples must be a positive integer, got {samples!r}")
    if isinstance(seq_len, bool) or not isinstance(seq_len, (int, np.integer)) or seq_len < 1:
        raise InvalidInputError(f"seq_len must be a positive integer, got {seq_len!r}")
    engine = qmc.Sobol(d=int(seq_len), scramble=True, seed=np.random.default_rng(seed))
    edge = 2.0**-31
    produced = 0
    while produced < samples:
        size = min(CHUNK_SEQUENCES, samples - produced)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # balance warning for non-powers of 2
            points = engine.random(size)
        yield ndtri(np.clip(points, edge, 1 - edge)).astype(np.float32)
        produced += size


def rqmc_correct(weights: RNNWeights, samples: int, *, seed) -> np.ndarray:
    """Whether the float32 network is right on each of ``samples`` RQMC sequences, ``(samples,)`` booleans
    (the tie rule of :mod:`tinymech.algzoo.evaluation`)."""
    n = weights.output_size
    model = ReLURNN.from_weights(weights.W_hi, weights.W_hh, weights.W_oh).eval()
    target_of = get_task("2nd_argmax")
    parts = []
    with torch.no_grad():
        for x in sobol_gaussian_sequences(samples, n, seed=seed):
            batch = torch.from_numpy(x)
            parts.append((model_predictions(model, batch) == target_of(batch)).numpy())
    return np.concatenate(parts)


def run_rqmc(weights: RNNWeights, budget: int | None, seed: int) -> tuple[float, int, dict]:
    """``Method.run`` of RQMC sampling (a sampling baseline): the accuracy on the scrambled Sobol sequences
    the budget buys (the scramble seeded by ``seed``)."""
    d, n = weights.hidden_size, weights.output_size
    per = per_sequence_operations(d, n)
    samples = DEFAULT_SAMPLES if budget is None else (budget - scramble_operations(n)) // per
    if samples < 1:
        raise InvalidInputError(
            f"a budget of {budget:,} operations buys no RQMC sequence (one costs {per:,} "
            f"after a scramble of {scramble_operations(n):,})"
        )
    check_sample_budget(budget, samples, per)
    correct = rqmc_correct(weights, int(samples), seed=seed)
    return (
        float(correct.mean()),
        int(rqmc_operations(d, n, int(samples))),
        {"samples": int(samples)},
    )


def rqmc_replicates(
    weights: RNNWeights, *, log2_samples: tuple[int, ...], replicates: int, seed: int
) -> np.ndarray:
    """RQMC estimates ``(replicates, len(log2_samples))``: scramble ``r`` (seed ``[seed, r]``) gives the
    accuracy on its first ``2^k`` points for each ``k`` of ``log2_samples``."""
    largest = 2 ** max(log2_samples)
    out = np.empty((replicates, len(log2_samples)))
    for r in range(replicates):
        correct = rqmc_correct(weights, largest, seed=[seed, r]).astype(np.float64)
        cumulative = np.cumsum(correct)
        out[r] = [cumulative[2**k - 1] / 2**k for k in log2_samples]
    return out


def rqmc_mse_at(study: dict, operations, *, hidden_size: int = 16, seq_len: int = 10):
    """RQMC's mean squared error ``(B,)`` at budgets ``operations`` from a measured curve.

    ``study`` holds ``samples (S,)`` (powers of two), ``ratio (S,)`` (RQMC's MSE over plain sampling's at
    the same number of sequences) and ``plain_variance`` (the ensemble's mean ``p (1 - p)``).  Between
    measured sample sizes the ratio is interpolated linearly in ``log N``; beyond either end it is held
    at the end's value (an extrapolation; above the largest it favours the estimators, since RQMC's
    advantage usually grows with ``N``); below one sequence the MSE is ``inf``.
    """
    samples_measured = np.asarray(study["samples"], dtype=np.float64)
    ratio = np.asarray(study["ratio"], dtype=np.float64)
    budgets = np.atleast_1d(np.asarray(operations, dtype=np.float64))
    per = per_sequence_operations(hidden_size, seq_len)
    samples = np.floor((budgets - scramble_operations(seq_len)) / per)
    log_n = np.log(np.maximum(samples, 1.0))
    r = np.interp(log_n, np.log(samples_measured), ratio)
    mse = r * float(study["plain_variance"]) / np.maximum(samples, 1.0)
    return np.where(samples >= 1, mse, math.inf)
