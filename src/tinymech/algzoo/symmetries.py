"""Approximate symmetries of a 3-input 2nd-argmax RNN, and how they cut the exact accuracy computation.

For ``n = 3`` the 2nd-argmax is the middle value, so the label is unchanged when every input is negated:
``label(-x) = label(x)``.  A model can share that symmetry through a relabelling of its neurons.  With
standardized weights (``|W_hi| = 1``, :func:`tinymech.algzoo.standardization.standardize`), a permutation
``sigma`` of the hidden neurons with

    ``W_hi[sigma] = -W_hi``,   ``W_hh[sigma][:, sigma] = W_hh``,   ``W_oh[:, sigma] = W_oh``

gives hidden states ``h_t(-x) = h_t(x)[sigma]`` at every step (induction on ``t``; ReLU commutes with
permutations), hence ``logits(-x) = logits(x)``: the model is right on ``-x`` iff it is right on ``x``,
and its accuracy equals its accuracy on the half-space ``x_0 >= 0``.  The exact count then visits only
the linear regions of that half-space.  When the symmetry is only approximate, the half-space count is
an estimate whose error we measure.  Source of the idea (exploit approximate symmetries of M4,3 to cut
compute): ARC's AlgZoo post {cite}`arc2026algzoo`; the construction here is ours.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass

import numpy as np

from tinymech.algzoo.architectures import ReLURNN, RNNWeights, as_weights
from tinymech.algzoo.exact.solid_angles import (
    SolidAngleAccuracy,
    exact_accuracy_3,
    solid_angle_accuracy,
)
from tinymech.algzoo.estimation import sampling_variance
from tinymech.algzoo.null_models import gaussian_weights
from tinymech.errors import InvalidInputError

HALF_SPACE_X0 = np.array([[1.0, 0.0, 0.0]])


@dataclass(frozen=True)
class NegationSymmetry:
    """A neuron permutation paired with input negation, and how far the weights are from fixed by it.

    Attributes:
        permutation: ``(d,)``; neuron ``i`` at input ``-x`` plays neuron ``permutation[i]`` at ``x``.
        input_distance, recurrent_distance, readout_distance: relative Frobenius distances
            ``|T(W) - W| / |W|`` for ``W_hi``, ``W_hh``, ``W_oh``, where ``T`` is the transformation
            (zero for an exact symmetry).
    """

    permutation: tuple[int, ...]
    input_distance: float
    recurrent_distance: float
    readout_distance: float

    @property
    def distance(self) -> float:
        """The largest of the three relative distances."""
        return max(self.input_distance, self.recurrent_distance, self.readout_distance)


def transform(weights: RNNWeights, permutation) -> RNNWeights:
    """Image of the weights under negation of the input and the neuron permutation ``permutation``.

    ``(W_hi, W_hh, W_oh) -> (-W_hi[p], W_hh[p][:, p], W_oh[:, p])``.  The transformed model computes
    ``logits'(x) = logits(-x)``.

    Raises:
        InvalidInputError: if ``permutation`` is not a permutation of ``0..d-1``.
    """
    p = np.asarray(permutation)
    if sorted(p.tolist()) != list(range(weights.hidden_size)):
        raise InvalidInputError(
            f"expected a permutation of 0..{weights.hidden_size - 1}, got {p.tolist()}"
        )
    return RNNWeights(-weights.W_hi[p], weights.W_hh[np.ix_(p, p)], weights.W_oh[:, p])


def _relative(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


def symmetry_distance(weights: RNNWeights, permutation) -> NegationSymmetry:
    """How far ``weights`` are from being fixed by (negation, ``permutation``); see :class:`NegationSymmetry`.

    Meaningful on standardized weights (:func:`tinymech.algzoo.standardization.standardize`), where the positive
    rescalings that would also preserve the function are fixed.
    """
    image = transform(weights, permutation)
    return NegationSymmetry(
        tuple(int(i) for i in permutation),
        _relative(image.W_hi, weights.W_hi),
        _relative(image.W_hh, weights.W_hh),
        _relative(image.W_oh, weights.W_oh),
    )


def involutions(d: int) -> list[tuple[int, ...]]:
    """All permutations of ``0..d-1`` that are their own inverse (``d <= 8``; there are 764 for d = 8).

    Raises:
        InvalidInputError: if ``d`` is not in 1..8 (the search is exhaustive).
    """
    if not 1 <= d <= 8:
        raise InvalidInputError(
            f"exhaustive involution search supports hidden sizes 1..8, got {d}"
        )
    return [p for p in itertools.permutations(range(d)) if all(p[p[i]] == i for i in range(d))]


def find_negation_symmetries(weights: RNNWeights) -> list[NegationSymmetry]:
    """Every involutive neuron permutation paired with input negation, closest to a symmetry first.

    Args:
        weights: standardized weights of an M_{d,n} with ``d <= 8``.

    Returns:
        :class:`NegationSymmetry` records sorted by :attr:`NegationSymmetry.distance`.
    """
    found = [symmetry_distance(weights, p) for p in involutions(weights.hidden_size)]
    return sorted(found, key=lambda s: s.distance)


def symmetrize(weights: RNNWeights, permutation) -> RNNWeights:
    """The nearest exactly symmetric weights: the average of ``weights`` and their transform.

    For an involution ``p`` the transform is an involution of weight space, so the average is fixed by it.

    Raises:
        InvalidInputError: if ``permutation`` is not an involution.
    """
    p = np.asarray(permutation)
    if not np.array_equal(p[p], np.arange(len(p))):
        raise InvalidInputError(
            f"symmetrize needs an involution (p[p[i]] = i), got {p.tolist()}"
        )
    image = transform(weights, p)
    return RNNWeights(
        0.5 * (weights.W_hi + image.W_hi),
        0.5 * (weights.W_hh + image.W_hh),
        0.5 * (weights.W_oh + image.W_oh),
    )


@dataclass(frozen=True)
class SymmetryReducedAccuracy:
    """The accuracy counted on the half-space ``x_0 >= 0`` only (exact when the negation symmetry is).

    Attributes:
        accuracy: the estimate (exact accuracy on the half-space).
        half: the full :class:`tinymech.algzoo.exact.solid_angles.SolidAngleAccuracy` of the half-space count.
    """

    accuracy: float
    half: SolidAngleAccuracy

    @property
    def n_regions(self) -> int:
        return self.half.n_regions

    @property
    def seconds(self) -> float:
        return self.half.seconds


def symmetry_reduced_accuracy(model: ReLURNN | RNNWeights) -> SymmetryReducedAccuracy:
    """Accuracy estimate that visits only the linear regions in ``x_0 >= 0``.

    Exact when the model is fixed by a negation symmetry (see the module docstring); otherwise its
    error is the difference between the accuracies on the two half-spaces, over two.  Any hidden size.

    Raises:
        InvalidInputError: if the model does not have 3 logits.
    """
    half = solid_angle_accuracy(model, domain=HALF_SPACE_X0)
    return SymmetryReducedAccuracy(half.accuracy, half)


@dataclass(frozen=True)
class SymmetrizedAccuracy:
    """Accuracy of the symmetrized model, counted on the half-space ``x_0 >= 0`` (see the function below).

    Attributes:
        accuracy: the estimate.
        symmetry: the negation symmetry used (the closest one).
        n_regions: regions visited.
        seconds: wall-clock time, standardization and symmetry search included.
    """

    accuracy: float
    symmetry: NegationSymmetry
    n_regions: int
    seconds: float


def symmetrized_half_space_accuracy(model: ReLURNN | RNNWeights) -> SymmetrizedAccuracy:
    """Estimate: standardize, find the closest negation symmetry, symmetrize, count the half-space.

    The symmetrized model (:func:`symmetrize`) is exactly symmetric, so its half-space count equals its
    full accuracy; the estimate's error is what replacing the model by its symmetric part costs.
    Hidden sizes up to 8 (the symmetry search is exhaustive).
    """
    from tinymech.algzoo.standardization import standardize

    started = time.perf_counter()
    weights = as_weights(model)
    standard = standardize(weights)
    symmetry = find_negation_symmetries(standard)[0]
    half = solid_angle_accuracy(
        symmetrize(standard, symmetry.permutation), domain=HALF_SPACE_X0
    )
    return SymmetrizedAccuracy(
        half.accuracy, symmetry, half.n_regions, time.perf_counter() - started
    )


def negation_symmetry_null(
    n_models: int, *, hidden_size: int = 4, output_size: int = 3, seed: int = 0
) -> np.ndarray:
    """Distance to the closest negation symmetry (:func:`find_negation_symmetries` of the standardized
    weights) for ``n_models`` Gaussian networks (:func:`tinymech.algzoo.null_models.gaussian_weights`): the null control of "the trained
    model has an approximate negation symmetry".

    Returns:
        ``(n_models,)`` distances (:attr:`NegationSymmetry.distance`), in the order drawn.

    Raises:
        InvalidInputError: if ``n_models < 1`` or ``hidden_size`` is outside 1..8.
    """
    from tinymech.algzoo.standardization import standardize

    if n_models < 1:
        raise InvalidInputError(f"need at least one model, got {n_models}")
    rng = np.random.default_rng(seed)
    return np.array(
        [
            find_negation_symmetries(
                standardize(gaussian_weights(hidden_size, output_size, rng))
            )[0].distance
            for _ in range(n_models)
        ]
    )


# --------------------------------------------------------------------------------------------------
# Cost against sampling (ARC's noisy-model recipe), computed offline for the M4,3 chapter and
# registered as m4_3/study_m4_3 and m4_3/study_handcrafted (computed by tinymech.algzoo.studies.m4_3_symmetries).
# --------------------------------------------------------------------------------------------------


def sampling_seconds_per_sample(
    model: ReLURNN, *, samples: int = 2**22, repeats: int = 3
) -> float:
    """Wall-clock seconds per sampled sequence of float32 sampling (torch, batch 2**18), best of repeats."""
    from tinymech.algzoo.evaluation import sampled_accuracy

    best = float("inf")
    for repeat in range(repeats):
        started = time.perf_counter()
        sampled_accuracy(model, samples, seed=repeat)
        best = min(best, time.perf_counter() - started)
    return best / samples


def noisy_model_study(
    weights: RNNWeights, *, sigma: float, n_models: int, seed: int = 0
) -> dict:
    """Exact and half-space accuracies of ``n_models`` noisy copies of ``weights``, with timings.

    Returns:
        A dict of float64 tensors ``(n_models,)``: ``exact``, ``half_space``, ``symmetrized`` (the
        estimates of :func:`symmetry_reduced_accuracy` and :func:`symmetrized_half_space_accuracy`), their
        ``*_seconds``, ``exact_regions``, ``half_space_regions``, ``symmetry_distance`` (the best negation
        symmetry of the standardized noisy weights, for ``d <= 8``).
    """
    import torch

    from tinymech.algzoo.noise import noisy_weights

    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n_models):
        noisy = noisy_weights(weights, sigma, rng, scale="matrix_rms")
        full = solid_angle_accuracy(noisy)
        half = solid_angle_accuracy(noisy, domain=HALF_SPACE_X0)
        symmetrized = symmetrized_half_space_accuracy(noisy)
        rows.append(
            (
                full.accuracy,
                half.accuracy,
                symmetrized.accuracy,
                full.seconds,
                half.seconds,
                symmetrized.seconds,
                full.n_regions,
                half.n_regions,
                symmetrized.symmetry.distance,
            )
        )
    columns = [
        "exact",
        "half_space",
        "symmetrized",
        "exact_seconds",
        "half_space_seconds",
        "symmetrized_seconds",
        "exact_regions",
        "half_space_regions",
        "symmetry_distance",
    ]
    table = np.array(rows, dtype=np.float64)
    return {name: torch.tensor(table[:, k]) for k, name in enumerate(columns)}


def handcrafted_lambda_sweep(lams, *, samples: int, seed: int = 0) -> dict:
    """Accuracy of ARC's handcrafted M4,3 against its parameter ``lam``, three ways.

    Returns:
        A dict of float64 tensors ``(len(lams),)``: ``lam``; ``exact_float64`` (solid angles of the weights
        built in float64); ``exact_float32_weights`` (solid angles, float64 arithmetic, of the weights
        rounded to float32); ``sampled_float32`` and its ``sampled_float32_se`` (float32 forward passes on
        ``samples`` sequences, the way the model is normally run).
    """
    import torch

    from tinymech.algzoo.evaluation import sampled_accuracy
    from tinymech.algzoo.handcrafted import handcrafted_3

    rows = []
    for lam in lams:
        model32 = handcrafted_3(float(lam))
        sampled = sampled_accuracy(model32, samples, seed=seed)
        rows.append(
            (
                float(lam),
                exact_accuracy_3(handcrafted_3(float(lam), dtype=torch.float64)),
                exact_accuracy_3(model32),
                sampled.accuracy,
                sampled.standard_error,
            )
        )
    columns = [
        "lam",
        "exact_float64",
        "exact_float32_weights",
        "sampled_float32",
        "sampled_float32_se",
    ]
    table = np.array(rows, dtype=np.float64)
    return {name: torch.tensor(table[:, k]) for k, name in enumerate(columns)}


#: Values of the handcrafted model's ``lam`` swept in the chapter; beyond ``1e4`` the construction's
#: ill-conditioning (``inv(fc1[:, 1:])`` has entries ~``lam / 2``) defeats even float64 arithmetic.
LAMBDAS = (1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1e3, 3e3, 1e4)


def random_model_checks(
    hidden_sizes=(1, 2, 8, 16), *, samples: int = 2**24, seed: int = 0
) -> dict:
    """Exact counts against float64 sampling on random models of several hidden sizes.

    Returns:
        A dict of float64 tensors ``(len(hidden_sizes),)``: ``hidden_size``, ``exact``, ``regions``,
        ``seconds``, ``sampled``, ``sampled_se``.
    """
    import torch

    from tinymech.algzoo.evaluation import sampled_accuracy

    rows = []
    for d in hidden_sizes:
        weights = gaussian_weights(
            d, 3, np.random.default_rng(seed + d), recurrent_divisor=np.sqrt(d)
        )
        model = ReLURNN.from_weights(
            weights.W_hi, weights.W_hh, weights.W_oh, dtype=torch.float64
        )
        result = solid_angle_accuracy(model)
        sampled = sampled_accuracy(model, samples, seed=seed + 1000 + d, dtype=torch.float64)
        rows.append(
            (
                d,
                result.accuracy,
                result.n_regions,
                result.seconds,
                sampled.accuracy,
                sampled.standard_error,
            )
        )
    columns = ["hidden_size", "exact", "regions", "seconds", "sampled", "sampled_se"]
    table = np.array(rows, dtype=np.float64)
    return {name: torch.tensor(table[:, k]) for k, name in enumerate(columns)}


# --------------------------------------------------------------------------------------------------
# Summaries of the committed studies, for the M4,3 chapter.
# --------------------------------------------------------------------------------------------------

#: The estimators of the noisy-model study, in the order the chapter shows them.
ESTIMATORS = {
    "half_space": "half-space count",
    "symmetrized": "symmetrized half-space count",
    "exact": "exact count",
}


@dataclass(frozen=True)
class CostRow:
    """One estimator on one noisy ensemble: mean squared error against compute, next to sampling.

    Sampling with ``s`` seconds per sequence reaches, in ``t`` seconds, the mean squared error
    ``v s / t`` with ``v = mean_k p_k (1 - p_k)`` (ARC's baseline {cite}`arc2026algzoo`).

    Attributes:
        sigma: noise level of the ensemble (``matrix_rms`` scale).
        estimator: a key of :data:`ESTIMATORS`.
        n_models: noisy models.
        mean_accuracy: mean exact accuracy of the noisy models.
        mse: mean squared error of the estimator against the exact accuracies (0 for the exact count,
            which is the reference).
        seconds: mean wall-clock seconds of the estimator per model.
        sampling_variance: ``v``, the mean ``p (1 - p)``.
        sampling_mse: sampling's mean squared error in the same ``seconds``.
    """

    sigma: float
    estimator: str
    n_models: int
    mean_accuracy: float
    mse: float
    seconds: float
    sampling_variance: float
    sampling_mse: float

    @property
    def compute_ratio(self) -> float:
        """How many times sampling's compute the estimator needs for the same mean squared error:
        ``mse / sampling_mse`` (below 1: better than sampling; 0 for the exact reference)."""
        return self.mse / self.sampling_mse

    @property
    def matched_samples(self) -> float:
        """Samples with which sampling's mean squared error equals :attr:`mse` (``inf`` when it is 0)."""
        return self.sampling_variance / self.mse if self.mse > 0 else math.inf


def mse_versus_compute(noisy: dict, seconds_per_sample: float) -> list[CostRow]:
    """The M4,3 chapter's cost table from a noisy-model study (:func:`noisy_model_study`).

    Args:
        noisy: ``{str(sigma): study}`` with float tensors or arrays ``exact``, ``half_space``,
            ``symmetrized`` and ``*_seconds`` ``(n_models,)`` (the ``noisy`` part of ``m4_3/study_m4_3``).
        seconds_per_sample: sampling's cost per sequence (seconds).

    Returns:
        One :class:`CostRow` per noise level (increasing) and estimator (the order of :data:`ESTIMATORS`).

    Raises:
        InvalidInputError: if ``seconds_per_sample`` is not positive, or a study lacks a column.
    """
    if not seconds_per_sample > 0:
        raise InvalidInputError(
            f"seconds per sample must be positive, got {seconds_per_sample!r}"
        )
    rows = []
    for sigma_key in sorted(noisy, key=float):
        study = noisy[sigma_key]
        missing = [
            f"{key}{suffix}"
            for key in ESTIMATORS
            for suffix in ("", "_seconds")
            if f"{key}{suffix}" not in study
        ]
        if missing:
            raise InvalidInputError(
                f"the study at sigma = {sigma_key} lacks {', '.join(missing)}"
            )
        column = lambda name: np.asarray(study[name], dtype=np.float64)  # noqa: E731
        p = column("exact")
        variance = sampling_variance(p)
        for key in ESTIMATORS:
            seconds = float(column(f"{key}_seconds").mean())
            rows.append(
                CostRow(
                    float(sigma_key),
                    key,
                    len(p),
                    float(p.mean()),
                    float(np.mean((column(key) - p) ** 2)),
                    seconds,
                    variance,
                    variance * seconds_per_sample / seconds,
                )
            )
    return rows


@dataclass(frozen=True)
class LambdaSweepSummary:
    """What the handcrafted M4,3's ``lam`` sweep shows.

    Attributes:
        float64_exponent: slope of ``log(error rate)`` against ``log(lam)`` for the float64 weights
            (least squares over ``lam >= min_lam``): the error falls like ``lam ** float64_exponent``.
        float32_best_lam: the ``lam`` with the highest float32 sampled accuracy.
        float32_best_accuracy, float32_best_se: that accuracy and its standard error.
        float32_falls_after: whether the float32 accuracy at the largest ``lam`` is below the best by more
            than 4 standard errors (precision, not the construction, limits it).
    """

    float64_exponent: float
    float32_best_lam: float
    float32_best_accuracy: float
    float32_best_se: float
    float32_falls_after: bool


def lambda_sweep_summary(sweep: dict, *, min_lam: float = 10.0) -> LambdaSweepSummary:
    """Summarise :func:`handcrafted_lambda_sweep` (the ``lambda_sweep`` of ``m4_3/study_handcrafted``).

    Raises:
        InvalidInputError: if fewer than two ``lam >= min_lam`` have a positive float64 error rate.
    """
    lams = np.asarray(sweep["lam"], dtype=np.float64)
    error = 1.0 - np.asarray(sweep["exact_float64"], dtype=np.float64)
    fit = (lams >= min_lam) & (error > 0)
    if fit.sum() < 2:
        raise InvalidInputError(
            f"need two lam >= {min_lam} with a positive error rate to fit a power law"
        )
    exponent = float(np.polyfit(np.log(lams[fit]), np.log(error[fit]), 1)[0])
    accuracy = np.asarray(sweep["sampled_float32"], dtype=np.float64)
    se = np.asarray(sweep["sampled_float32_se"], dtype=np.float64)
    best = int(np.argmax(accuracy))
    last = int(np.argmax(lams))
    falls = bool(accuracy[best] - accuracy[last] > 4 * math.hypot(se[best], se[last]))
    return LambdaSweepSummary(
        exponent, float(lams[best]), float(accuracy[best]), float(se[best]), falls
    )
