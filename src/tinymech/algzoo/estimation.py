"""Estimators of a 2nd-argmax RNN's accuracy, each with its operation count: the harness's interface.

ARC judges a mechanistic estimate of accuracy by its mean squared error as a function of compute,
against random sampling {cite}`arc2026algzoo`.  Every estimator here takes a model's weights, a budget in
operations (multiply-adds) where it has one, and a seed where it samples, and returns an
:class:`Estimate`: the estimate, the operations it used (counted by the rule in its docstring) and its
wall time on one thread.  :data:`METHODS` lists them; ``tinymech estimate MODEL --method NAME`` runs one.

Counting rule (ARC's, from Hilton's notes on M4,3 {cite}`hilton2024heuristic`): a forward pass of
M_{d,n} costs ``n d (d + 1) + n d`` multiply-adds (``n`` steps of ``W_hh h + W_hi x``, then the readout),
so one sample of sampling costs that much; other methods count their own arithmetic the same way.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

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


def forward_operations(hidden_size: int, seq_len: int) -> int:
    """Multiply-adds of one forward pass of M_{d,n}: ``n d (d + 1) + n d`` (ARC's count: 72 for M4,3)."""
    return seq_len * hidden_size * (hidden_size + 1) + seq_len * hidden_size


#: Samples drawn by ``sampling`` when no budget is given.
DEFAULT_SAMPLES = 2**16


def _sampling(weights: RNNWeights, budget: int | None, seed: int) -> tuple[float, int, dict]:
    from tinymech.algzoo.evaluation import sampled_accuracy

    per_sample = forward_operations(weights.hidden_size, weights.output_size)
    samples = DEFAULT_SAMPLES if budget is None else budget // per_sample
    if samples < 1:
        raise InvalidInputError(f"a budget of {budget} operations buys no sample (one costs {per_sample})")
    model = ReLURNN.from_weights(weights.W_hi, weights.W_hh, weights.W_oh)
    result = sampled_accuracy(model, samples, seed=seed)
    return result.accuracy, samples * per_sample, {"samples": samples, "standard_error": result.standard_error}


def _exact(weights: RNNWeights, budget: int | None, seed: int) -> tuple[float, int, dict]:
    from tinymech.algzoo.exact import exact_accuracy

    return exact_accuracy(weights), 0, {"note": "operations not counted yet"}


METHODS: dict[str, Method] = {
    method.name: method
    for method in [
        Method("sampling", "random sampling of Gaussian sequences (the baseline)", None, False, _sampling),
        Method("exact", "this project's exact count over linear regions (lengths 2 and 3)", (2, 3), True, _exact),
    ]
}


def methods_for(seq_len: int) -> list[str]:
    """Names of the methods that apply to sequence length ``seq_len``."""
    return [name for name, method in METHODS.items() if method.applies_to(seq_len)]


def estimate(model: ReLURNN | RNNWeights, method: str, *, budget: int | None = None, seed: int = 0) -> Estimate:
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
        raise InvalidInputError(f"unknown method {method!r}; for sequence length {seq_len} choose one of: "
                                f"{', '.join(methods_for(seq_len))}")
    chosen = METHODS[method]
    if not chosen.applies_to(seq_len):
        raise InvalidInputError(f"method {method!r} does not apply to sequence length {seq_len}; choose one of: "
                                f"{', '.join(methods_for(seq_len))}")
    if budget is not None and (isinstance(budget, bool) or not isinstance(budget, int) or budget < 1):
        raise InvalidInputError(f"the budget must be a positive number of operations, got {budget!r}")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        started = time.perf_counter()
        value, operations, details = chosen.run(weights, budget, seed)
        seconds = time.perf_counter() - started
    finally:
        torch.set_num_threads(threads)
    return Estimate(method, float(value), int(operations), seconds, details)
