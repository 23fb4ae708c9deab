"""Estimators of a 2nd-argmax RNN's accuracy, each with its operation count, and the harness that judges them.

ARC judges a mechanistic estimate of accuracy by its mean squared error as a function of compute,
against random sampling, on models whose weights carry noise "enough to significantly alter the
model's accuracy" (or, better, over training seeds) {cite}`arc2026algzoo`.  This module holds both
halves of that measure:

- **Estimators.**  Each takes a model's weights, a budget in operations where it has one, and a seed
  where it samples, and returns an :class:`Estimate`: the estimate, the operations it used and its wall
  time on one thread.  :data:`METHODS` lists them (``tinymech estimate MODEL --method NAME`` runs one);
  a new estimator registers a :class:`Method` there.  A budget an estimator cannot finish or spend is
  refused before any work: above 2**36 sequences for the samplers (:func:`check_sample_budget`), above
  twice the largest Genz setting for the ladder estimators; ``exact`` refuses a model above its work
  limit (:func:`tinymech.algzoo.exact.check_work`); methods of fixed cost ignore the budget.
- **The harness.**  :func:`reference_accuracies` (exact where the sequence length allows, else sampled
  with a stated standard error), :func:`run_ensemble` (one method on every model of an ensemble, at
  several budgets) and :func:`error_curve` (mean squared error, bias and variance against the
  references, per budget), with :func:`sampling_mse` (sampling's curve in closed form) and
  :func:`equal_compute_ratio` (an estimator's error over sampling's at the same operations).
  Ensembles are built by :mod:`tinymech.algzoo.noise`.

**Counting rule** (multiply-adds; ARC's where Hilton's notes give one {cite}`hilton2024heuristic`):

- a forward pass of M_{d,n}, hence one sample of sampling: ``n d (d + 1) + n d`` (72 for M4,3);
- the solid angle of an intersection of ``k`` half-spaces computed from scratch: ``5 k^3``
  (:func:`volume_operations`; ARC's estimators of M4,3);
- linear algebra: the multiply-adds it does; a division, square root or elementary function: 10;
- the exact method for sequence length 3 clips polygons: 3 per test of a vertex against a plane, 12 per
  new vertex, 25 per vertex of an area (:mod:`tinymech.algzoo.exact.cones`); for length 2, each sector
  it visits costs one forward pass plus 10 per angle it solves for (:func:`sector_operations`).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import torch

from tinymech.algzoo.architectures import ReLURNN, RNNWeights, as_weights
from tinymech.errors import InvalidInputError


@dataclass(frozen=True)
class Estimate:
    """One run of an estimator.

    Attributes:
        method: the estimator's name (a key of :data:`METHODS`).
        estimate: the estimated accuracy, in [0, 1].
        operations: multiply-adds used, by the counting rule of the module docstring.
        seconds: wall-clock time on one thread.
        details: method-specific facts (samples drawn, regions visited, ...), JSON-serialisable.
    """

    method: str
    estimate: float
    operations: int
    seconds: float
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Method:
    """A registered estimator.

    Attributes:
        name: the key used by :func:`estimate` and ``tinymech estimate --method``.
        description: one line: what it does and where it comes from.
        lengths: the sequence lengths it applies to (None: any).
        mechanistic: True if it reasons from the weights only (no sampled inputs).
        run: ``run(weights, budget, seed) -> (estimate, operations, details)``.
    """

    name: str
    description: str
    lengths: tuple[int, ...] | None
    mechanistic: bool
    run: Callable[[RNNWeights, int | None, int], tuple[float, int, dict]]

    def applies_to(self, seq_len: int) -> bool:
        return self.lengths is None or seq_len in self.lengths


#: Multiply-adds charged for a division, a square root, or an elementary function (exp, log, the normal CDF,
#: density or quantile): the one rule every estimator's operation count uses.
SPECIAL_FUNCTION_OPERATIONS = 10


def forward_operations(hidden_size: int, seq_len: int) -> int:
    """Multiply-adds of one forward pass of M_{d,n}: ``n d (d + 1) + n d`` (ARC's count: 72 for M4,3)."""
    return seq_len * hidden_size * (hidden_size + 1) + seq_len * hidden_size


def volume_operations(half_spaces: int) -> int:
    """ARC's count for the solid angle of ``k`` half-spaces computed from scratch: ``5 k^3`` (Hilton's notes)."""
    return 5 * half_spaces**3


def sector_operations(hidden_size: int, sectors_visited: int, angles_solved: int) -> int:
    """The count of the exact method for sequence length 2: a forward pass per sector, an arctangent per angle."""
    return (
        sectors_visited * forward_operations(hidden_size, 2)
        + SPECIAL_FUNCTION_OPERATIONS * angles_solved
    )


def check_sample_budget(budget: int | None, samples: int, per_sample: int) -> None:
    """Refuse a budget that buys more than :data:`tinymech.algzoo.evaluation.MAX_SAMPLES` sequences (about
    10 hours of M16,10 forward passes on one core): the rule of every sampling estimator.

    Raises:
        InvalidInputError: above the cap, saying the largest budget accepted.
    """
    from tinymech.algzoo.evaluation import MAX_SAMPLES

    if budget is not None and samples > MAX_SAMPLES:
        raise InvalidInputError(
            f"a budget of {budget:,} operations buys {samples:,} sequences, above the cap of "
            f"2**36 = {MAX_SAMPLES:,} (at {per_sample:,} operations each, budgets up to "
            f"{MAX_SAMPLES * per_sample:,} are accepted)"
        )


#: Samples drawn by ``sampling`` when no budget is given.
DEFAULT_SAMPLES = 2**16


def _sampling(weights: RNNWeights, budget: int | None, seed: int) -> tuple[float, int, dict]:
    from tinymech.algzoo.evaluation import sampled_accuracy

    per_sample = forward_operations(weights.hidden_size, weights.output_size)
    samples = DEFAULT_SAMPLES if budget is None else budget // per_sample
    if samples < 1:
        raise InvalidInputError(
            f"a budget of {budget} operations buys no sample (one costs {per_sample})"
        )
    check_sample_budget(budget, samples, per_sample)
    model = ReLURNN.from_weights(weights.W_hi, weights.W_hh, weights.W_oh)
    result = sampled_accuracy(model, samples, seed=seed)
    return (
        result.accuracy,
        samples * per_sample,
        {"samples": samples, "standard_error": result.standard_error},
    )


def _exact(weights: RNNWeights, budget: int | None, seed: int) -> tuple[float, int, dict]:
    from tinymech.algzoo.exact import check_work

    check_work(
        weights
    )  # refuses, before any work, what it cannot finish (tinymech.algzoo.exact.MAX_PIECES)
    if weights.output_size == 3:
        from tinymech.algzoo.exact.cones import clipped_accuracy

        result = clipped_accuracy(weights)
        return (
            result.accuracy,
            result.operations,
            {"regions": result.n_regions, "cells": result.n_cells, "wedges": result.n_wedges},
        )
    if weights.output_size == 2:
        from tinymech.algzoo.exact.sectors import exact_error_rate_2, sectors

        found = sectors(weights, extra_rays=(math.pi / 4, 5 * math.pi / 4))
        operations = sector_operations(
            weights.hidden_size, len(found), len(found) * (2 * weights.hidden_size + 1)
        )
        return 1.0 - exact_error_rate_2(weights), operations, {"sectors": len(found)}
    raise InvalidInputError(
        f"the exact method needs sequence length 2 or 3, got {weights.output_size}"
    )


def _arc_original(
    weights: RNNWeights, budget: int | None, seed: int
) -> tuple[float, int, dict]:
    from tinymech.algzoo.arc_estimators import original_estimate

    result = original_estimate(weights)
    return result.estimate, result.operations, result.details


def _arc_original_earlier(
    weights: RNNWeights, budget: int | None, seed: int
) -> tuple[float, int, dict]:
    from tinymech.algzoo.arc_estimators import EARLIER_REBUILD, original_estimate

    result = original_estimate(weights, rules=EARLIER_REBUILD)
    return result.estimate, result.operations, result.details


def _arc_symmetric_reduction(
    weights: RNNWeights, budget: int | None, seed: int
) -> tuple[float, int, dict]:
    from tinymech.algzoo.arc_estimators import symmetric_reduction_estimate

    result = symmetric_reduction_estimate(weights, seed=seed)
    return result.estimate, result.operations, result.details


METHODS: dict[str, Method] = {
    method.name: method
    for method in [
        Method(
            "sampling",
            "random sampling of Gaussian sequences (the baseline)",
            None,
            False,
            _sampling,
        ),
        Method(
            "exact",
            "this project's exact count over linear regions (lengths 2 and 3)",
            (2, 3),
            True,
            _exact,
        ),
        Method(
            "arc_original",
            "ARC's original M4,3 estimate by Hilton's rules: 4 regions x 6 orderings, "
            "rarer gate state follows a latent Bernoulli, 102 half-space volumes",
            (3,),
            True,
            _arc_original,
        ),
        Method(
            "arc_original_earlier",
            "the book's first rebuild of ARC's original M4,3 estimate, from a summary: every "
            "gate follows Z, x_2 beyond both inputs unlikely, step-2 coefficients averaged",
            (3,),
            True,
            _arc_original_earlier,
        ),
        Method(
            "arc_symmetric_reduction",
            "ARC's M4,3 estimate by symmetric reduction and covariance "
            "propagation of the residual (Hilton's notes, after George)",
            (3,),
            True,
            _arc_symmetric_reduction,
        ),
    ]
}


def methods_for(seq_len: int) -> list[str]:
    """Names of the methods that apply to sequence length ``seq_len``."""
    return [name for name, method in METHODS.items() if method.applies_to(seq_len)]


def _plain(value):
    """``value`` with numpy scalars and arrays turned into Python numbers and lists (for JSON)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def estimate(
    model: ReLURNN | RNNWeights, method: str, *, budget: int | None = None, seed: int = 0
) -> Estimate:
    """Run one estimator on ``model`` at one thread.

    Args:
        model: an M_{d,n} or its weights.
        method: a key of :data:`METHODS` that applies to the model's sequence length.
        budget: operations allowed (methods without a budget ignore it).
        seed: seed of sampled inputs (methods that do not sample ignore it).

    Raises:
        InvalidInputError: an unknown method, or one that does not apply to the model's sequence length
            (the message lists those that do), or a non-positive budget.
    """
    weights = as_weights(model)
    seq_len = weights.output_size
    if method not in METHODS:
        raise InvalidInputError(
            f"unknown method {method!r}; for sequence length {seq_len} choose one of: "
            f"{', '.join(methods_for(seq_len))}"
        )
    chosen = METHODS[method]
    if not chosen.applies_to(seq_len):
        raise InvalidInputError(
            f"method {method!r} does not apply to sequence length {seq_len}; choose one of: "
            f"{', '.join(methods_for(seq_len))}"
        )
    if budget is not None and (
        isinstance(budget, bool) or not isinstance(budget, int) or budget < 1
    ):
        raise InvalidInputError(
            f"the budget must be a positive number of operations, got {budget!r}"
        )
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        started = time.perf_counter()
        value, operations, details = chosen.run(weights, budget, seed)
        seconds = time.perf_counter() - started
    finally:
        torch.set_num_threads(threads)
    return Estimate(method, float(value), int(operations), seconds, _plain(details))


# --- the harness ------------------------------------------------------------------------------------


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
    from tqdm import tqdm

    from tinymech.algzoo.evaluation import sampled_accuracy
    from tinymech.algzoo.exact import EXACT_LENGTHS, exact_accuracy

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
        method: a key of :data:`METHODS`.
        budgets: operations allowed per run (None: the method's default; a method without a budget
            ignores it).
        progress: a progress bar.

    Raises:
        InvalidInputError: see :func:`estimate`.
    """
    from tqdm import tqdm

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


def sampling_mse(accuracy, operations, per_sample: int) -> np.ndarray:
    """Sampling's expected MSE at each budget, in closed form: mean over models of ``p (1 - p) / k``.

    Args:
        accuracy: ``(models,)`` true accuracies ``p``.
        operations: budgets in operations; ``k = floor(operations / per_sample)`` samples (at least 1).
        per_sample: operations of one sample (:func:`forward_operations`).
    """
    p = np.asarray(accuracy, dtype=np.float64)
    samples = np.maximum(np.floor(np.asarray(operations, dtype=np.float64) / per_sample), 1.0)
    return float(np.mean(p * (1 - p))) / samples


def equal_compute_ratio(mse: float, operations: float, accuracy, per_sample: int) -> dict:
    """How an estimator with ``mse`` at ``operations`` compares with sampling (ARC's comparison).

    Returns:
        ``{"rms_ratio": RMS error over sampling's RMS error at the same operations,
        "compute_ratio": operations over what sampling needs for the same MSE,
        "sampling_rms": sampling's RMS error at the same operations,
        "equivalent_samples": samples whose MSE equals the estimator's}``.  A ratio below 1 beats
        sampling.  An estimator with zero MSE gets ratios of 0.
    """
    p = np.asarray(accuracy, dtype=np.float64)
    variance = float(np.mean(p * (1 - p)))
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


def _register_m16_10_estimators() -> None:
    """Add the M16,10 estimators listed in :mod:`tinymech.algzoo.estimators_m16.methods` to :data:`METHODS`;
    each is imported when first run, since that package builds on this module."""
    import importlib

    from tinymech.algzoo.estimators_m16.methods import M16_10_METHODS

    def lazy(target: str):
        def run(weights: RNNWeights, budget: int | None, seed: int) -> tuple[float, int, dict]:
            module, function = target.split(":")
            return getattr(importlib.import_module(module), function)(weights, budget, seed)

        return run

    for name, description, lengths, mechanistic, target in M16_10_METHODS:
        METHODS[name] = Method(name, description, lengths, mechanistic, lazy(target))


_register_m16_10_estimators()
