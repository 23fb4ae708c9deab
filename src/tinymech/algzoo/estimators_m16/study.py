"""The M16,10 study: noisy-weight ensembles, reference accuracies, mean squared error versus compute.

ARC's challenge {cite}`arc2026algzoo`: a mechanistic estimate of M16,10's accuracy that matches random
sampling in mean squared error versus compute, "on average over the choice of noisy model" (the cheap
measure) or over training seeds (the better one, its footnotes).  This module builds both ensembles for
the M16,10 trained here, their reference accuracies, and every estimator's curve:

- **Noise level by a stated rule** (:func:`choose_noise_level`): absolute Gaussian noise on every weight
  (:func:`tinymech.algzoo.noise.noisy_weights`), the smallest level on :data:`NOISE_GRID` at which the
  accuracies of :data:`PILOT_MODELS` noisy models spread with a standard deviation of at least
  :data:`SPREAD_THRESHOLD`, so that no constant guess is within that of every model: the noise
  "significantly alters the model's accuracy".
- **References** (:func:`reference_counts`): :data:`REFERENCE_SAMPLES` sequences per model from the
  deterministic stream of :mod:`tinymech.algzoo.evaluation` (seed :data:`REFERENCE_SEED`, never used by
  an estimator), counted per case, with the masked-linear surrogate's correctness on the same inputs
  (for the control variate's variance).
- **Curves** (:func:`run_mechanistic_settings`, :func:`sampling_checks`; registered by
  :func:`tinymech.algzoo.studies.estimators.compute_curves`): every mechanistic estimator at each setting
  of its budget on every model; sampling's mean squared error at ``C`` operations is ``mean_k p_k (1 - p_k) / floor(C / c)``
  with ``c`` the cost of a forward pass (exact for a binomial count), stratified sampling's
  ``mean_k mean_c p_kc (1 - p_kc) / k``, the control variate's from the measured correlation.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from tqdm import tqdm

from tinymech.algzoo.architectures import ReLURNN, RNNWeights
from tinymech.algzoo.estimation import (
    EnsembleRun,
    References,
    equal_compute_ratio,
    error_curve,
    sampling_mse,
)
from tinymech.algzoo.methods import run_sampling
from tinymech.algzoo.operations import forward_operations
from tinymech.algzoo.estimators_m16.activation_masks import fixed_mask_case_accuracies
from tinymech.algzoo.estimators_m16.input_law import case_index, case_of
from tinymech.algzoo.estimators_m16.moment_propagation import moment_propagation_case_accuracies
from tinymech.algzoo.estimators_m16.sampling_baselines import (
    KNOWN_MEAN_SHARE,
    control_variate_operations,
    run_control_variate,
    run_stratified,
    surrogate_correct,
    surrogate_maps,
)
from tinymech.algzoo.evaluation import gaussian_sequences, predictions
from tinymech.algzoo.noise import noisy_weights
from tinymech.errors import InvalidInputError
from tinymech.stats import binomial_standard_error

#: Noise levels tried, absolute standard deviations (weight units).
NOISE_GRID = (0.001, 0.002, 0.003, 0.005, 0.01)
#: The rule's threshold on the standard deviation of accuracy over noisy models.
SPREAD_THRESHOLD = 0.04
#: Noisy models and sequences per model of the pilot that applies the rule.
PILOT_MODELS, PILOT_SAMPLES = 32, 2**14
#: Noisy models in the ensemble, and the seed of their noise.
ENSEMBLE_MODELS, ENSEMBLE_SEED = 64, 2026
#: Sequences per model for the reference accuracies, and their seed (no estimator uses it).
REFERENCE_SAMPLES, REFERENCE_SEED = 2**20, 1_000_003
#: The trained models of the "over seeds" ensemble.
SEED_MODELS = tuple(f"rnn/m16_10_seed{seed}_full_recipe" for seed in range(5))
#: Budget settings: Genz lattice points per case (``maxpts``) and Mehler orders.
FIXED_MASK_POINTS = (20, 40, 80, 160, 320, 640, 1280, 2560, 5120)
MOMENT_POINTS = (20, 80, 320, 1280)
MOMENT_ORDERS = (1, 4)
#: Budgets (in forward passes) of the empirical checks of the sampling curves.
CHECK_SAMPLES = (2**10, 2**12, 2**14, 2**16)


def stack_weights(weights: list[RNNWeights]) -> dict:
    """The weights of an ensemble as one tensor per matrix, ``{"W_hi": (K, d), "W_hh": (K, d, d),
    "W_oh": (K, n, d)}`` (what :func:`unstack` reads back)."""
    return {
        key: torch.from_numpy(np.stack([getattr(w, key) for w in weights]))
        for key in ("W_hi", "W_hh", "W_oh")
    }


def unstack(stacked: dict) -> list[RNNWeights]:
    """The list of weights stored by :func:`tinymech.algzoo.studies.estimators.compute_ensembles` (``{"W_hi": (K, d), ...}``)."""
    arrays = {key: stacked[key].numpy() for key in ("W_hi", "W_hh", "W_oh")}
    return [
        RNNWeights(arrays["W_hi"][k], arrays["W_hh"][k], arrays["W_oh"][k])
        for k in range(len(arrays["W_hi"]))
    ]


def _accuracy(weights: RNNWeights, samples: int, seed: int) -> float:
    from tinymech.algzoo.evaluation import sampled_accuracy

    model = ReLURNN.from_weights(weights.W_hi, weights.W_hh, weights.W_oh).eval()
    return sampled_accuracy(model, samples, seed=seed).accuracy


def choose_noise_level(
    weights: RNNWeights,
    *,
    grid=NOISE_GRID,
    threshold: float = SPREAD_THRESHOLD,
    models: int = PILOT_MODELS,
    samples: int = PILOT_SAMPLES,
    seed: int = 0,
    progress: bool = False,
) -> dict:
    """Apply the noise rule of the module docstring.

    Returns:
        ``{"grid", "mean", "sd", "threshold", "sigma"}``: per level the mean and standard deviation
        (``ddof=1``) of the pilot's accuracies, and the chosen level (the largest level if none reaches
        the threshold).

    Raises:
        InvalidInputError: for an empty grid or fewer than two pilot models.
    """
    if len(grid) == 0 or models < 2:
        raise InvalidInputError(
            f"need a non-empty grid and at least two pilot models, got {grid}, {models}"
        )
    means, sds = [], []
    for level, sigma in enumerate(tqdm(grid, desc="noise pilot", disable=not progress)):
        rng = np.random.default_rng([seed, level])
        accuracies = [
            _accuracy(noisy_weights(weights, sigma, rng), samples, seed=1)
            for _ in range(models)
        ]
        means.append(float(np.mean(accuracies)))
        sds.append(float(np.std(accuracies, ddof=1)))
    chosen = next((sigma for sigma, sd in zip(grid, sds) if sd >= threshold), grid[-1])
    return {
        "grid": list(grid),
        "mean": means,
        "sd": sds,
        "threshold": threshold,
        "sigma": chosen,
    }


def reference_counts(
    weights: RNNWeights, *, samples: int = REFERENCE_SAMPLES, seed: int = REFERENCE_SEED
) -> dict:
    """Per-case counts on ``samples`` Gaussian sequences: ``total``, ``correct`` (the network),
    ``surrogate`` (fixed masks' masked-linear surrogate) and ``both``; each ``(n (n - 1),)`` int64, cases
    in the order of :func:`~.input_law.cases`.

    The forward pass is the float32 model with the tie rule of :mod:`tinymech.algzoo.evaluation`, so
    ``correct.sum()`` equals ``sampled_accuracy(model, samples, seed=seed).correct``.
    """
    n = weights.output_size
    count = n * (n - 1)
    model = ReLURNN.from_weights(weights.W_hi, weights.W_hh, weights.W_oh).eval()
    maps = surrogate_maps(weights)
    counts = {
        key: np.zeros(count, dtype=np.int64)
        for key in ("total", "correct", "surrogate", "both")
    }
    with torch.no_grad():
        for batch in gaussian_sequences(samples, n, seed=seed):
            x = batch.numpy()
            m, s = case_of(x)
            index = case_index(m, s, n)
            right = predictions(model(batch)).numpy() == s
            surrogate = surrogate_correct(maps, x.astype(np.float64))
            np.add.at(counts["total"], index, 1)
            np.add.at(counts["correct"], index, right)
            np.add.at(counts["surrogate"], index, surrogate)
            np.add.at(counts["both"], index, right & surrogate)
    return counts


def stack_counts(all_counts: list[dict]) -> dict:
    """Per-model :func:`reference_counts` stacked into one int64 tensor per key, ``(K, n (n - 1))``."""
    return {
        key: torch.from_numpy(np.stack([c[key] for c in all_counts])) for key in all_counts[0]
    }


# ---------------------------------------------------------------------------------------------------
# Curves
# ---------------------------------------------------------------------------------------------------


def accuracies_from_counts(counts: dict) -> np.ndarray:
    """Accuracy of each model ``(K,)`` from stored counts."""
    return counts["correct"].sum(-1).double().numpy() / counts["total"].sum(-1).double().numpy()


def case_accuracies_from_counts(counts: dict) -> np.ndarray:
    """Case accuracies ``(K, n (n - 1))`` from stored counts."""
    return counts["correct"].double().numpy() / counts["total"].double().numpy()


def run_mechanistic_settings(
    weights: list[RNNWeights], *, progress: bool = False, desc: str = ""
) -> dict:
    """Every mechanistic setting on every model: ``{setting: {"estimate": (K,), "case": (K, n, n),
    "operations": int}}``; model ``k`` uses Genz seed ``k``."""
    settings = [("fixed_masks", {"maxpts": p}) for p in FIXED_MASK_POINTS]
    settings += [
        ("moment_propagation", {"order": o, "maxpts": p})
        for o in MOMENT_ORDERS
        for p in MOMENT_POINTS
    ]
    out: dict = {}
    for method, options in tqdm(settings, desc=f"estimators {desc}", disable=not progress):
        key = method + "".join(f"_{name}{value}" for name, value in options.items())
        function = (
            fixed_mask_case_accuracies
            if method == "fixed_masks"
            else moment_propagation_case_accuracies
        )
        results = [function(w, seed=k, **options) for k, w in enumerate(weights)]
        out[key] = {
            "method": method,
            **options,
            "estimate": torch.tensor([r.estimate for r in results], dtype=torch.float64),
            "case": torch.from_numpy(np.stack([r.accuracy for r in results])),
            "operations": int(results[0].operations),
        }
    return out


def sampling_checks(weights: list[RNNWeights], *, progress: bool = False) -> dict:
    """The three samplers run for real on every model at the budgets of :data:`CHECK_SAMPLES` forward
    passes (seed = model index), to check their closed-form curves:
    ``{"budgets": [...], "plain"|"stratified"|"control_variate": (B, K) estimates}`` (NaN where a budget is
    below the control variate's smallest)."""
    d, n = weights[0].hidden_size, weights[0].output_size
    budgets = [samples * forward_operations(d, n) for samples in CHECK_SAMPLES]
    out: dict = {"budgets": budgets}
    for name, run in (
        ("plain", run_sampling),
        ("stratified", run_stratified),
        ("control_variate", run_control_variate),
    ):
        rows = []
        for budget in tqdm(budgets, desc=f"sampling checks ({name})", disable=not progress):
            if (
                name == "control_variate"
                and budget < control_variate_operations(d, n, 20, 0) * KNOWN_MEAN_SHARE
            ):
                rows.append([math.nan] * len(weights))  # too small for its known mean
                continue
            rows.append([run(w, budget, k)[0] for k, w in enumerate(weights)])
        out[name] = torch.tensor(rows, dtype=torch.float64)
    return out


# ---------------------------------------------------------------------------------------------------
# Summaries for the chapter
# ---------------------------------------------------------------------------------------------------


def setting_label(setting: dict) -> str:
    """A short human label of a stored setting, e.g. ``"fixed masks, 80 points"``."""
    if setting["method"] == "fixed_masks":
        return f"fixed masks, {setting['maxpts']} points"
    return f"moment propagation, order {setting['order']}, {setting['maxpts']} points"


def ensemble_run(setting: dict) -> EnsembleRun:
    """A stored setting as the harness's :class:`~tinymech.algzoo.estimation.EnsembleRun` (one budget: the
    setting's operations; no wall times)."""
    estimates = setting["estimate"].numpy()[:, None]
    operations = np.full(estimates.shape, setting["operations"], dtype=np.int64)
    return EnsembleRun(
        setting["method"],
        np.array([setting["operations"]]),
        estimates,
        operations,
        np.zeros(estimates.shape),
    )


def ensemble_references(counts: dict) -> References:
    """Stored reference counts as the harness's :class:`~tinymech.algzoo.estimation.References`."""
    accuracy = accuracies_from_counts(counts)
    samples = int(counts["total"].sum(-1)[0])
    return References(
        accuracy, binomial_standard_error(accuracy, samples), "sampling", samples, 0.0
    )


def summarize_group(curves: dict, ensembles: dict, group: str) -> list[dict]:
    """One row per mechanistic setting on ``group`` (``"noisy"``, ``"seeds"`` or ``"clean"``), scored by the
    harness (:func:`~tinymech.algzoo.estimation.error_curve`,
    :func:`~tinymech.algzoo.estimation.equal_compute_ratio`): label, method, operations, bias, error
    variance, MSE and its standard error, RMS, mean estimate, and the factor by which its MSE exceeds
    plain, stratified and control-variate sampling's at the same operations (below 1 the estimate wins;
    for plain sampling it is also the harness's compute ratio; NaN where the budget is below the control
    variate's smallest)."""
    from tinymech.algzoo.estimators_m16.analysis import control_variate_mse, stratified_mse

    counts = ensembles[group]["counts"]
    references = ensemble_references(counts)
    case_references = case_accuracies_from_counts(counts)
    settings = curves[group]["settings"]
    d, n = 16, 10
    per_sample = forward_operations(d, n)
    known, fixed = _known_means(settings, d, n)
    rows = []
    for key, setting in settings.items():
        curve = error_curve(ensemble_run(setting), references)
        mse = float(curve.mse[0])
        operations = setting["operations"]
        cv = control_variate_mse(
            counts,
            known,
            [operations],
            fixed_operations=fixed,
            per_sample=per_sample + n * n,
            share=KNOWN_MEAN_SHARE,
        )[0]
        rows.append(
            {
                "key": key,
                "label": setting_label(setting),
                "method": setting["method"],
                "operations": operations,
                "maxpts": int(setting["maxpts"]),
                "order": setting.get("order"),
                "bias": float(curve.bias[0]),
                "variance": float(curve.variance[0]),
                "mse": mse,
                "mse_standard_error": float(curve.mse_standard_error[0]),
                "rms": math.sqrt(mse),
                "mean_estimate": float(setting["estimate"].numpy().mean()),
                "reference_variance": curve.reference_variance,
                "factor_plain": equal_compute_ratio(
                    mse, operations, references.accuracy, per_sample
                )["compute_ratio"],
                "factor_stratified": float(
                    mse / stratified_mse(case_references, [operations], per_sample)[0]
                ),
                "factor_control_variate": float(mse / cv) if math.isfinite(cv) else math.nan,
            }
        )
    return rows


def _known_means(settings: dict, d: int, n: int) -> tuple[dict, dict]:
    known = {
        s["maxpts"]: s["estimate"].numpy()
        for s in settings.values()
        if s["method"] == "fixed_masks"
    }
    fixed = {p: control_variate_operations(d, n, p, 0) for p in known}
    return known, fixed


def sampling_curves(curves: dict, ensembles: dict, group: str, operations) -> dict:
    """Closed-form MSE ``(B,)`` of plain, stratified and control-variate sampling at ``operations``, and
    the best constant guess's MSE (the spread of the references)."""
    from tinymech.algzoo.estimators_m16.analysis import (
        constant_guess_mse,
        control_variate_mse,
        stratified_mse,
    )

    counts = ensembles[group]["counts"]
    d, n = 16, 10
    per_sample = forward_operations(d, n)
    known, fixed = _known_means(curves[group]["settings"], d, n)
    return {
        "plain": sampling_mse(accuracies_from_counts(counts), operations, per_sample),
        "stratified": stratified_mse(
            case_accuracies_from_counts(counts), operations, per_sample
        ),
        "control_variate": control_variate_mse(
            counts,
            known,
            operations,
            fixed_operations=fixed,
            per_sample=per_sample + n * n,
            share=KNOWN_MEAN_SHARE,
        ),
        "constant_guess": constant_guess_mse(accuracies_from_counts(counts)),
    }


def best_setting(rows: list[dict], method: str) -> dict:
    """The row of ``method`` with the smallest factor to plain sampling (ties: fewer operations)."""
    chosen = [row for row in rows if row["method"] == method]
    if not chosen:
        raise InvalidInputError(f"no setting of method {method!r}")
    return min(chosen, key=lambda row: (row["factor_plain"], row["operations"]))


def sampling_check_table(curves: dict, ensembles: dict, group: str) -> list[dict]:
    """Measured against closed-form MSE of the three samplers at the check budgets: one row per sampler and
    budget with ``measured``, its standard error (from the spread of squared errors) and ``predicted``."""
    counts = ensembles[group]["counts"]
    references = accuracies_from_counts(counts)
    checks = curves[group]["checks"]
    operations = checks["budgets"]
    predicted = sampling_curves(curves, ensembles, group, operations)
    rows = []
    for name in ("plain", "stratified", "control_variate"):
        for b, budget in enumerate(operations):
            if np.isnan(checks[name][b].numpy()).any():
                continue
            squared = (checks[name][b].numpy() - references) ** 2
            rows.append(
                {
                    "sampler": name,
                    "operations": int(budget),
                    "measured": float(squared.mean()),
                    "standard_error": float(squared.std(ddof=1) / math.sqrt(len(squared))),
                    "predicted": float(predicted[name][b]),
                }
            )
    return rows
