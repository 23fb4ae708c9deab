"""The harness that judges estimators of a 2nd-argmax RNN's accuracy: mean squared error versus compute.

ARC judges a mechanistic estimate of accuracy by its mean squared error as a function of compute,
against random sampling, on models whose weights carry noise "enough to significantly alter the
model's accuracy" (or, better, over training seeds) {cite}`arc2026algzoo`.  This module holds that
measure; the estimators are listed in :mod:`tinymech.algzoo.methods` and their operations counted by
:mod:`tinymech.algzoo.operations`.

:func:`reference_accuracies` (exact where the sequence length allows, else sampled with a stated
standard error), :func:`run_ensemble` (one method on every model of an ensemble, at several budgets) and
:func:`error_curve` (mean squared error, bias and variance against the references, per budget), with
:func:`sampling_variance` (the mean ``p (1 - p)`` of an ensemble), :func:`sampling_mse` (sampling's curve
in closed form), :func:`samples_to_match` and :func:`equal_compute_ratio` (an estimator's error over
sampling's at the same operations).  Ensembles are built by :mod:`tinymech.algzoo.noise`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from tqdm import tqdm

from tinymech.algzoo.architectures import ReLURNN, RNNWeights, as_weights
from tinymech.algzoo.evaluation import sampled_accuracy
from tinymech.algzoo.exact import EXACT_LENGTHS, exact_accuracy
from tinymech.algzoo.methods import estimate
from tinymech.errors import InvalidInputError


@dataclass(frozen=True)
class References:
    """The accuracy of every model of an ensemble, against which estimates are judged.

    Attributes:
        accuracy: ``(models,)``.
        standard_error: ``(models,)``; zero for exact references.
        method: ``"exact"`` or ``"sampling"``.
        samples: sequences per model for sampled references (0 for exact ones).
        seconds: wall time of all references.
    """

    accuracy: np.ndarray
    standard_error: np.ndarray
    method: str
    samples: int
    seconds: float

    @property
    def variance(self) -> float:
        """Mean squared standard error: what a sampled reference adds to every measured MSE."""
        return float(np.mean(self.standard_error**2))


def reference_accuracies(
    models: Sequence[RNNWeights],
    *,
    samples: int | None = None,
    method: str = "auto",
    seed: int = 2**30,
    progress: bool = False,
) -> References:
    """Reference accuracies of an ensemble: exact for sequence length 2 and 3, else sampled.

    A sampled reference carries its own error into every measured MSE; choose ``samples`` so that its
    standard error is at least 10 times below the errors being measured (its mean square is
    :attr:`References.variance`; the caller states it).

    Args:
        models: weights of the ensemble (one sequence length).
        samples: sequences per model for sampled references (required when they are sampled).
        method: ``"auto"`` (exact where the length allows, else sampling), ``"exact"`` or ``"sampling"``.
        seed: seed of the sampled references' inputs; model ``k`` uses ``seed + k`` (distinct from the
            seeds an estimator is run with in :func:`run_ensemble`, which start at 0).
        progress: a progress bar.

    Raises:
        InvalidInputError: an empty ensemble, mixed sequence lengths, an unknown ``method``, exact
            references for a length without an exact method, or sampled ones without ``samples``.
    """
    models = [as_weights(m) for m in models]
    if not models:
        raise InvalidInputError("an ensemble needs at least one model")
    lengths = {m.output_size for m in models}
    if len(lengths) != 1:
        raise InvalidInputError(
            f"an ensemble's models must share one sequence length, got {sorted(lengths)}"
        )
    seq_len = lengths.pop()
    if method not in ("auto", "exact", "sampling"):
        raise InvalidInputError(
            f"unknown reference method {method!r}; choose one of: auto, exact, sampling"
        )
    if method == "exact" and seq_len not in EXACT_LENGTHS:
        raise InvalidInputError(
            f"sequence length {seq_len} has no exact method (lengths {EXACT_LENGTHS} do)"
        )
    started = time.perf_counter()
    if method == "exact" or (method == "auto" and seq_len in EXACT_LENGTHS):
        values = [
            exact_accuracy(m)
            for m in tqdm(models, desc="exact references", disable=not progress)
        ]
        return References(
            np.array(values), np.zeros(len(values)), "exact", 0, time.perf_counter() - started
        )
    if samples is None:
        raise InvalidInputError(
            f"sampled references for sequence length {seq_len} need the number of samples"
        )
    accuracy, error = [], []
    for k, m in enumerate(tqdm(models, desc="sampled references", disable=not progress)):
        result = sampled_accuracy(
            ReLURNN.from_weights(m.W_hi, m.W_hh, m.W_oh), samples, seed=seed + k
        )
        accuracy.append(result.accuracy)
        error.append(result.standard_error)
    return References(
        np.array(accuracy),
        np.array(error),
        "sampling",
        int(samples),
        time.perf_counter() - started,
    )


@dataclass(frozen=True)
class EnsembleRun:
    """One method run on every model of an ensemble at every budget.

    Attributes:
        method: the method's name.
        budgets: ``(budgets,)`` operations allowed (0: the method's own default or fixed cost).
        estimates, operations, seconds: ``(models, budgets)``.
    """

    method: str
    budgets: np.ndarray
    estimates: np.ndarray
    operations: np.ndarray
    seconds: np.ndarray


def run_ensemble(
    models: Sequence[RNNWeights],
    method: str,
    *,
    budgets: Sequence[int | None] = (None,),
    progress: bool = False,
) -> EnsembleRun:
    """Run ``method`` on every model at every budget; model ``k`` is given seed ``k``.

    Args:
        models: the ensemble's weights.
        method: a key of :data:`tinymech.algzoo.methods.METHODS`.
        budgets: operations allowed per run (None: the method's default; a method without a budget
            ignores it).
        progress: a progress bar.

    Raises:
        InvalidInputError: see :func:`tinymech.algzoo.methods.estimate`.
    """
    models = [as_weights(m) for m in models]
    shape = (len(models), len(budgets))
    estimates, operations, seconds = (
        np.zeros(shape),
        np.zeros(shape, dtype=np.int64),
        np.zeros(shape),
    )
    for k, weights in enumerate(tqdm(models, desc=method, disable=not progress)):
        for j, budget in enumerate(budgets):
            result = estimate(weights, method, budget=budget, seed=k)
            estimates[k, j], operations[k, j], seconds[k, j] = (
                result.estimate,
                result.operations,
                result.seconds,
            )
    return EnsembleRun(
        method,
        np.array([0 if b is None else b for b in budgets], dtype=np.int64),
        estimates,
        operations,
        seconds,
    )


@dataclass(frozen=True)
class ErrorCurve:
    """Mean squared error versus compute of one method on one ensemble.

    All arrays have one entry per budget.

    Attributes:
        operations: mean operations per model.
        seconds: mean wall time per model.
        mse: mean over models of ``(estimate - reference)^2``.
        mse_standard_error: its standard error over models.
        bias: mean of ``estimate - reference``.
        bias_standard_error: its standard error.
        variance: variance over models of ``estimate - reference`` (``mse = bias^2 + variance``, with
            the variance's ``1/models`` normalisation).
        reference_variance: mean squared standard error of the references (0 when exact): it is part of
            every ``mse`` and should be small against it.
    """

    operations: np.ndarray
    seconds: np.ndarray
    mse: np.ndarray
    mse_standard_error: np.ndarray
    bias: np.ndarray
    bias_standard_error: np.ndarray
    variance: np.ndarray
    reference_variance: float

    @property
    def rms(self) -> np.ndarray:
        """Root mean squared error."""
        return np.sqrt(self.mse)


def error_curve(run: EnsembleRun, references: References) -> ErrorCurve:
    """Mean squared error, bias and variance of ``run`` against ``references``, per budget.

    Raises:
        InvalidInputError: if the number of models differs.
    """
    if run.estimates.shape[0] != len(references.accuracy):
        raise InvalidInputError(
            f"{run.estimates.shape[0]} estimates per budget but {len(references.accuracy)} "
            "references"
        )
    errors = run.estimates - references.accuracy[:, None]
    models = errors.shape[0]
    squared = errors**2
    spread = math.sqrt(max(models - 1, 1))
    return ErrorCurve(
        run.operations.mean(axis=0).astype(float),
        run.seconds.mean(axis=0),
        squared.mean(axis=0),
        squared.std(axis=0) / spread,
        errors.mean(axis=0),
        errors.std(axis=0) / spread,
        errors.var(axis=0),
        references.variance,
    )


def sampling_variance(accuracy) -> float:
    """The variance of one sample of sampling, averaged over an ensemble: ``mean_k p_k (1 - p_k)``.

    Args:
        accuracy: ``(models,)`` true accuracies ``p`` (or one accuracy).
    """
    p = np.asarray(accuracy, dtype=np.float64)
    return float(np.mean(p * (1 - p)))


def samples_to_match(accuracy, mean_squared_error: float) -> float:
    """Samples ``k`` at which sampling's mean squared error ``mean p (1 - p) / k`` equals
    ``mean_squared_error``.

    Raises:
        InvalidInputError: if ``mean_squared_error`` is not positive.
    """
    if mean_squared_error <= 0:
        raise InvalidInputError(
            f"mean squared error must be positive, got {mean_squared_error}"
        )
    return sampling_variance(accuracy) / mean_squared_error


def _check_harness_inputs(accuracy, operations, per_sample) -> None:
    """Guard of :func:`sampling_mse` and :func:`equal_compute_ratio`.

    Raises:
        InvalidInputError: ``per_sample`` not a positive integer; accuracies empty, not finite or outside
            [0, 1]; operation counts not finite or negative.
    """
    if (
        isinstance(per_sample, bool)
        or not isinstance(per_sample, (int, np.integer))
        or per_sample < 1
    ):
        raise InvalidInputError(
            f"per_sample (operations of one sample) must be a positive integer, got {per_sample!r}"
        )
    try:
        p = np.asarray(accuracy, dtype=np.float64)
        ops = np.asarray(operations, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InvalidInputError(f"accuracies and operations must be numbers: {error}") from None
    if p.size == 0 or not np.all(np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        raise InvalidInputError(
            f"accuracies must be finite numbers in [0, 1] (at least one), got {accuracy!r}"
        )
    if ops.size == 0 or not np.all(np.isfinite(ops)) or np.any(ops < 0):
        raise InvalidInputError(
            f"operation counts must be finite and non-negative, got {operations!r}"
        )


def sampling_mse(accuracy, operations, per_sample: int) -> np.ndarray:
    """Sampling's expected MSE at each budget, in closed form: mean over models of ``p (1 - p) / k``.

    Args:
        accuracy: ``(models,)`` true accuracies ``p``.
        operations: budgets in operations; ``k = floor(operations / per_sample)`` samples (at least 1).
        per_sample: operations of one sample (:func:`tinymech.algzoo.operations.forward_operations`).

    Raises:
        InvalidInputError: see :func:`_check_harness_inputs`.
    """
    _check_harness_inputs(accuracy, operations, per_sample)
    p = np.asarray(accuracy, dtype=np.float64)
    samples = np.maximum(np.floor(np.asarray(operations, dtype=np.float64) / per_sample), 1.0)
    return sampling_variance(accuracy) / samples


def equal_compute_ratio(mse: float, operations: float, accuracy, per_sample: int) -> dict:
    """How an estimator with ``mse`` at ``operations`` compares with sampling (ARC's comparison).

    Returns:
        ``{"rms_ratio": RMS error over sampling's RMS error at the same operations,
        "compute_ratio": operations over what sampling needs for the same MSE,
        "sampling_rms": sampling's RMS error at the same operations,
        "equivalent_samples": samples whose MSE equals the estimator's}``.  A ratio below 1 beats
        sampling.  An estimator with zero MSE gets ratios of 0.

    Raises:
        InvalidInputError: an MSE that is negative or not finite, or see :func:`_check_harness_inputs`.
    """
    _check_harness_inputs(accuracy, operations, per_sample)
    try:
        if isinstance(mse, (bool, str, bytes)):
            raise TypeError
        mse = float(mse)
    except (TypeError, ValueError):
        raise InvalidInputError(f"mse must be a number, got {type(mse).__name__}") from None
    if not (math.isfinite(mse) and mse >= 0):
        raise InvalidInputError(
            f"a mean squared error must be finite and >= 0, got {mse!r} (a negative one would "
            "'beat' sampling)"
        )
    p = np.asarray(accuracy, dtype=np.float64)
    variance = sampling_variance(p)
    sampling = float(sampling_mse(p, operations, per_sample))
    if mse <= 0:
        return {
            "rms_ratio": 0.0,
            "compute_ratio": 0.0,
            "sampling_rms": math.sqrt(sampling),
            "equivalent_samples": math.inf,
        }
    equivalent = variance / mse
    return {
        "rms_ratio": math.sqrt(mse / sampling),
        "compute_ratio": operations / (equivalent * per_sample),
        "sampling_rms": math.sqrt(sampling),
        "equivalent_samples": equivalent,
    }
