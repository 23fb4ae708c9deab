"""The method table: every estimator of a 2nd-argmax RNN's accuracy, by name, with :func:`estimate`.

Each estimator takes a model's weights, a budget in operations where it has one, and a seed where it
samples; :func:`estimate` runs one at one thread and returns an :class:`Estimate` (the estimate, the
operations it used by the rule of :mod:`tinymech.algzoo.operations`, its wall time).  :data:`METHODS`
lists them (``tinymech estimate MODEL --method NAME`` runs one).  A budget an estimator cannot finish
or spend is refused before any work: above 2**36 sequences for the samplers
(:func:`~tinymech.algzoo.operations.check_sample_budget`), above twice the largest Genz setting for the
ladder estimators; ``exact`` refuses a model above its work limit
(:func:`tinymech.algzoo.exact.check_work`); methods of fixed cost ignore the budget.

**To add an estimator**: write ``run(weights, budget, seed) -> (estimate, operations, details)`` in its
own module, import it here, and add one :class:`Method` row to :data:`METHODS`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import torch

from tinymech.algzoo.arc_estimators import (
    EARLIER_REBUILD,
    original_estimate,
    symmetric_reduction_estimate,
)
from tinymech.algzoo.architectures import ReLURNN, RNNWeights, as_weights
from tinymech.algzoo.estimators_m16.activation_masks import run_fixed_masks
from tinymech.algzoo.estimators_m16.common import CASE_LENGTHS
from tinymech.algzoo.estimators_m16.moment_propagation import run_moment_propagation
from tinymech.algzoo.estimators_m16.rqmc import run_rqmc
from tinymech.algzoo.estimators_m16.sampling_baselines import (
    run_control_variate,
    run_stratified,
)
from tinymech.algzoo.evaluation import sampled_accuracy
from tinymech.algzoo.exact import check_work
from tinymech.algzoo.exact.cones import clipped_accuracy
from tinymech.algzoo.exact.sectors import exact_error_rate_2, sectors
from tinymech.algzoo.operations import (
    check_sample_budget,
    forward_operations,
    sector_operations,
)
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


#: Samples drawn by ``sampling`` when no budget is given.
DEFAULT_SAMPLES = 2**16


def run_sampling(weights: RNNWeights, budget: int | None, seed: int) -> tuple[float, int, dict]:
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


def run_exact(weights: RNNWeights, budget: int | None, seed: int) -> tuple[float, int, dict]:
    check_work(
        weights
    )  # refuses, before any work, what it cannot finish (tinymech.algzoo.exact.MAX_PIECES)
    if weights.output_size == 3:
        result = clipped_accuracy(weights)
        return (
            result.accuracy,
            result.operations,
            {"regions": result.n_regions, "cells": result.n_cells, "wedges": result.n_wedges},
        )
    if weights.output_size == 2:
        found = sectors(weights, extra_rays=(math.pi / 4, 5 * math.pi / 4))
        operations = sector_operations(
            weights.hidden_size, len(found), len(found) * (2 * weights.hidden_size + 1)
        )
        return 1.0 - exact_error_rate_2(weights), operations, {"sectors": len(found)}
    raise InvalidInputError(
        f"the exact method needs sequence length 2 or 3, got {weights.output_size}"
    )


def run_arc_original(
    weights: RNNWeights, budget: int | None, seed: int
) -> tuple[float, int, dict]:
    result = original_estimate(weights)
    return result.estimate, result.operations, result.details


def run_arc_original_earlier(
    weights: RNNWeights, budget: int | None, seed: int
) -> tuple[float, int, dict]:
    result = original_estimate(weights, rules=EARLIER_REBUILD)
    return result.estimate, result.operations, result.details


def run_arc_symmetric_reduction(
    weights: RNNWeights, budget: int | None, seed: int
) -> tuple[float, int, dict]:
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
            run_sampling,
        ),
        Method(
            "exact",
            "this project's exact count over linear regions (lengths 2 and 3)",
            (2, 3),
            True,
            run_exact,
        ),
        Method(
            "arc_original",
            "ARC's original M4,3 estimate by Hilton's rules: 4 regions x 6 orderings, "
            "rarer gate state follows a latent Bernoulli, 102 half-space volumes",
            (3,),
            True,
            run_arc_original,
        ),
        Method(
            "arc_original_earlier",
            "the book's first rebuild of ARC's original M4,3 estimate, from a summary: every "
            "gate follows Z, x_2 beyond both inputs unlikely, step-2 coefficients averaged",
            (3,),
            True,
            run_arc_original_earlier,
        ),
        Method(
            "arc_symmetric_reduction",
            "ARC's M4,3 estimate by symmetric reduction and covariance "
            "propagation of the residual (Hilton's notes, after George)",
            (3,),
            True,
            run_arc_symmetric_reduction,
        ),
        Method(
            "moment_propagation",
            "covariance propagation per case (m, s) with a presumption of independence at the ReLUs and a "
            "Gaussian readout by Genz's algorithm (mechanistic; ARC's M16,10 challenge)",
            CASE_LENGTHS,
            True,
            run_moment_propagation,
        ),
        Method(
            "fixed_masks",
            "one activation pattern per case (m, s) makes the network linear; the case accuracy is the "
            "Gaussian measure of a polyhedral cone by Genz's algorithm (mechanistic; ARC's M16,10 challenge)",
            CASE_LENGTHS,
            True,
            run_fixed_masks,
        ),
        Method(
            "stratified_sampling",
            "random sampling with equal sequences in each case (m, s) (a sampling baseline)",
            CASE_LENGTHS,
            False,
            run_stratified,
        ),
        Method(
            "control_variate_sampling",
            "random sampling with the fixed-mask surrogate as control variate (a sampling baseline)",
            CASE_LENGTHS,
            False,
            run_control_variate,
        ),
        Method(
            "rqmc_sampling",
            "randomized quasi-Monte Carlo: scrambled Sobol points mapped to Gaussians by the inverse "
            "normal, point generation and inverse normal counted (a sampling baseline; scipy.stats.qmc)",
            None,
            False,
            run_rqmc,
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
