"""The estimators chapter's studies (registered results): M4,3's noisy-model study and exact timing,
M16,10's ensembles, curves and diagnostics.

Each ``compute_*`` function recomputes one registered result (:data:`RESULTS`) and returns
``(payload, metadata)``; nothing is written here (the registry writes when asked).  The mathematics they
call lives in :mod:`tinymech.algzoo.arc_estimators`, :mod:`tinymech.algzoo.exact.cones` and
:mod:`tinymech.algzoo.estimators_m16`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from tqdm import tqdm

from tinymech.algzoo.architectures import ReLURNN, RNNWeights
from tinymech.algzoo.arc_estimators import (
    GATE_SIGN_PATTERNS,
    GENZ_POINTS,
    LATENT_PROBABILITY,
    SAMPLE_COUNTS,
    EARLIER_REBUILD,
    HILTON_RULES,
    RULE_STEPS,
    STUDY_METHODS,
    original_assumptions,
    original_error_parts,
    original_estimate,
)
from tinymech.algzoo.estimators_m16.diagnostics import (
    DIAGNOSTIC_SAMPLES,
    DIAGNOSTIC_SEED,
    gaussian_readout_accuracies,
    sampled_case_statistics,
)
from tinymech.algzoo.estimators_m16.moment_propagation import propagate_case_moments
from tinymech.algzoo.estimators_m16.study import (
    CHECK_SAMPLES,
    ENSEMBLE_MODELS,
    ENSEMBLE_SEED,
    FIXED_MASK_POINTS,
    MOMENT_ORDERS,
    MOMENT_POINTS,
    NOISE_GRID,
    PILOT_MODELS,
    PILOT_SAMPLES,
    REFERENCE_SAMPLES,
    REFERENCE_SEED,
    SEED_MODELS,
    SPREAD_THRESHOLD,
    stack_counts,
    stack_weights,
    choose_noise_level,
    reference_counts,
    run_mechanistic_settings,
    sampling_checks,
    unstack,
)
from tinymech.algzoo.exact.cones import clipped_accuracy
from tinymech.algzoo.exact.solid_angles import solid_angle_accuracy
from tinymech.algzoo.handcrafted import handcrafted_3
from tinymech.algzoo.estimation import (
    EnsembleRun,
    References,
    equal_compute_ratio,
    error_curve,
    reference_accuracies,
    run_ensemble,
    sampling_mse,
)
from tinymech.algzoo.operations import forward_operations
from tinymech.algzoo.noise import noisy_ensemble
from tinymech.algzoo.null_models import gaussian_weights
from tinymech.algzoo.zoo import RESULTS as MODEL_RESULTS
from tinymech.algzoo.zoo import load_model
from tinymech.errors import InvalidInputError
from tinymech.registry import Entry, load, table


def study_weights(model_name: str) -> RNNWeights:
    """The clean weights a study starts from: a committed model, or ARC's handcrafted M4,3 built in float64.

    Raises:
        InvalidInputError: for a model that is not an M4,3 of :data:`tinymech.algzoo.zoo.MODELS`.
    """
    if model_name == "handcrafted_3":
        return handcrafted_3(100.0, dtype=torch.float64).weights()
    if model_name != "m4_3":
        raise InvalidInputError(
            f"the M4,3 estimator study runs on 'm4_3' or 'handcrafted_3', got {model_name!r}"
        )
    return load_model(model_name).weights()


def compute_noisy_study(
    model_name: str,
    *,
    sigma: float = 0.05,
    count: int = 256,
    seed: int = 0,
    progress: bool = False,
) -> tuple[dict, dict]:
    """Registered results ``estimators/<model>_noisy``: every M4,3 estimator on a noisy-weight ensemble.

    Hilton's setting {cite}`hilton2024heuristic`: ``count`` models with zero-mean Gaussian noise of
    standard deviation ``sigma`` on every weight (:func:`tinymech.algzoo.noise.noisy_ensemble`), exact
    references, :data:`STUDY_METHODS` (ARC's two estimators, the original one by Hilton's rules and as
    first rebuilt, and the exact method) and sampling at :data:`SAMPLE_COUNTS` samples.  Also kept: the
    original version with Hilton's rules switched on one at a time (:data:`RULE_STEPS`), the earlier
    rebuild with the other gate sign patterns, the parts of its error (:func:`original_error_parts`,
    both rules) and how far each model is from its assumptions.  Index 0 of every
    per-model array is the clean model; 1 .. count are the noisy ones.

    Returns:
        ``(payload, metadata)``: the payload holds float64/int64 tensors (see the keys).
    """
    torch.set_num_threads(1)
    clean = study_weights(model_name)
    ensemble = noisy_ensemble(clean, sigma, count, seed=seed)
    models = (clean,) + ensemble.models
    references = reference_accuracies(models, progress=progress)
    per_sample = forward_operations(clean.hidden_size, clean.output_size)
    payload: dict = {"reference": torch.from_numpy(references.accuracy)}
    for method in STUDY_METHODS:
        run = run_ensemble(models, method, progress=progress)
        payload[method] = {
            "estimate": torch.from_numpy(run.estimates[:, 0]),
            "operations": torch.from_numpy(run.operations[:, 0]),
            "seconds": torch.from_numpy(run.seconds[:, 0]),
        }
    sampling = run_ensemble(
        models, "sampling", budgets=[k * per_sample for k in SAMPLE_COUNTS], progress=progress
    )
    payload["sampling"] = {
        "samples": torch.tensor(SAMPLE_COUNTS, dtype=torch.int64),
        "estimate": torch.from_numpy(sampling.estimates),
        "operations": torch.from_numpy(sampling.operations),
        "seconds": torch.from_numpy(sampling.seconds),
    }
    payload["gate_signs"] = {
        "patterns": torch.tensor(GATE_SIGN_PATTERNS, dtype=torch.int64),
        "estimate": torch.tensor(
            [
                [
                    original_estimate(m, rules=EARLIER_REBUILD, gate_signs=s).estimate
                    for s in GATE_SIGN_PATTERNS
                ]
                for m in models
            ],
            dtype=torch.float64,
        ),
    }
    steps = [[original_estimate(m, rules=r) for r in RULE_STEPS.values()] for m in models]
    payload["rule_steps"] = {
        "names": list(RULE_STEPS),
        "estimate": torch.tensor(
            [[r.estimate for r in row] for row in steps], dtype=torch.float64
        ),
        "operations": torch.tensor(
            [[r.operations for r in row] for row in steps], dtype=torch.int64
        ),
    }
    for key, rules in (("parts", HILTON_RULES), ("parts_earlier", EARLIER_REBUILD)):
        parts = [original_error_parts(m, rules=rules) for m in models]
        payload[key] = {
            name: torch.tensor([p[name] for p in parts], dtype=torch.float64)
            for name in ("averaged", "averaged_chance")
        }
    assumptions = [original_assumptions(m) for m in models]
    keys = [k for k in assumptions[0] if " = " in k]
    payload["assumptions"] = {
        "names": keys,
        "deviation": torch.tensor(
            [[a[k] for k in keys] for a in assumptions], dtype=torch.float64
        ),
        "pairing_residual": torch.tensor(
            [a["pairing residual"] for a in assumptions], dtype=torch.float64
        ),
        "W_hh_signs": torch.tensor(assumptions[0]["W_hh signs"]),
        "W_oh_signs": torch.tensor(assumptions[0]["W_oh signs"]),
    }
    metadata = {
        "model": model_name,
        "sigma": sigma,
        "count": count,
        "seed": seed,
        "scale": "absolute",
        "per_sample_operations": per_sample,
        "reference": references.method,
        "reference_seconds": references.seconds,
        "genz_points": GENZ_POINTS,
        "latent_probability": LATENT_PROBABILITY,
        "description": "index 0: the clean model; 1..count: noisy copies (noisy_ensemble(seed))",
    }
    return payload, metadata


def compute_timing(*, repeats: int = 5, progress: bool = False) -> tuple[dict, dict]:
    """Registered result ``estimators/exact_timing``: the clipping method against the linear-program method.

    On the M4,3 trained here, ARC's handcrafted M4,3 (float64, lambda = 100) and four random M4,3 (Gaussian
    weights, seeds 0-3), one thread: the best of ``repeats`` wall times of each method (of 3 for the slower
    linear-program method), the clipping count of operations, and the difference of the accuracies.
    """
    torch.set_num_threads(1)
    models = {
        "m4_3": load_model("m4_3").weights(),
        "handcrafted_3": handcrafted_3(100.0, dtype=torch.float64).weights(),
    }
    for seed in range(4):
        rng = np.random.default_rng(seed)
        models[f"random_{seed}"] = gaussian_weights(4, 3, rng, recurrent_divisor=2.0)
    rows = {
        key: []
        for key in (
            "clipping_seconds",
            "linear_program_seconds",
            "operations",
            "difference",
            "regions",
        )
    }
    for weights in models.values():
        clipped = [clipped_accuracy(weights) for _ in range(repeats)]
        slow = [solid_angle_accuracy(weights) for _ in range(3)]
        rows["clipping_seconds"].append(min(c.seconds for c in clipped))
        rows["linear_program_seconds"].append(min(s.seconds for s in slow))
        rows["operations"].append(clipped[0].operations)
        rows["difference"].append(clipped[0].accuracy - slow[0].accuracy)
        rows["regions"].append(slow[0].n_regions)
    payload = {
        "models": list(models),
        **{k: torch.tensor(v, dtype=torch.float64) for k, v in rows.items()},
    }
    return payload, {"repeats": repeats, "threads": 1}


def load_weights(name: str) -> RNNWeights:
    """The weights of the committed trained model ``name`` (``rnn/...``), verified by the registry."""
    state_dict, _ = load(MODEL_RESULTS[name])
    return ReLURNN.from_state_dict(state_dict).weights()


def compute_ensembles(*, progress: bool = False) -> tuple[dict, dict]:
    """Registered result ``estimators/m16_10_ensembles``: the noise rule's pilot, the noisy ensemble and the
    trained seeds, with reference counts for each model (see the module docstring)."""
    torch.set_num_threads(1)
    clean = load_weights("rnn/m16_10")
    pilot = choose_noise_level(clean, progress=progress)
    noisy = noisy_ensemble(clean, pilot["sigma"], ENSEMBLE_MODELS, seed=ENSEMBLE_SEED).models
    seeds = [load_weights(name) for name in SEED_MODELS]
    payload: dict = {"pilot": pilot}
    for group, models in (("clean", [clean]), ("noisy", noisy), ("seeds", seeds)):
        counts = [
            reference_counts(w)
            for w in tqdm(models, desc=f"references ({group})", disable=not progress)
        ]
        payload[group] = {"weights": stack_weights(models), "counts": stack_counts(counts)}
    accuracies = payload["noisy"]["counts"]["correct"].sum(1).double() / REFERENCE_SAMPLES
    metadata = {
        "noise_sigma": pilot["sigma"],
        "noise_rule": {
            "grid": list(NOISE_GRID),
            "threshold": SPREAD_THRESHOLD,
            "pilot_models": PILOT_MODELS,
            "pilot_samples": PILOT_SAMPLES,
        },
        "ensemble_models": ENSEMBLE_MODELS,
        "ensemble_seed": ENSEMBLE_SEED,
        "reference_samples": REFERENCE_SAMPLES,
        "reference_seed": REFERENCE_SEED,
        "seed_models": list(SEED_MODELS),
        "noisy_accuracy_mean": round(float(accuracies.mean()), 4),
        "noisy_accuracy_sd": round(float(accuracies.std()), 4),
    }
    return payload, metadata


def compute_curves(*, progress: bool = False) -> tuple[dict, dict]:
    """Registered result ``estimators/m16_10_curves``: every estimator setting on both ensembles (and the
    clean model), the control variate's known means, and the empirical sampling checks."""
    torch.set_num_threads(1)
    ensembles, _ = load(RESULTS["estimators/m16_10_ensembles"])
    payload: dict = {}
    for group in ("clean", "noisy", "seeds"):
        weights = unstack(ensembles[group]["weights"])
        payload[group] = {
            "settings": run_mechanistic_settings(weights, progress=progress, desc=group)
        }
        payload[group]["checks"] = (
            sampling_checks(weights, progress=progress) if group != "clean" else {}
        )
    metadata = {
        "fixed_mask_points": list(FIXED_MASK_POINTS),
        "moment_points": list(MOMENT_POINTS),
        "moment_orders": list(MOMENT_ORDERS),
        "check_samples": list(CHECK_SAMPLES),
        "forward_operations": forward_operations(16, 10),
    }
    return payload, metadata


def compute_diagnostics(*, progress: bool = False) -> tuple[dict, dict]:
    """Registered result ``estimators/m16_10_diagnostics``: :func:`sampled_case_statistics` of the M16,10
    trained here, moment propagation's propagated gates and pre-activation means, and the Gaussian readout with
    sampled logit moments."""
    torch.set_num_threads(1)
    weights = load_weights("rnn/m16_10")
    statistics = sampled_case_statistics(weights)
    _, _, gates, pre_means = propagate_case_moments(weights, 1, return_gates=True)
    payload = {key: torch.from_numpy(np.asarray(value)) for key, value in statistics.items()}
    payload["propagated_gate"] = torch.from_numpy(gates)
    payload["propagated_pre_mean"] = torch.from_numpy(pre_means)
    payload["gaussian_readout_sampled_moments"] = torch.from_numpy(
        gaussian_readout_accuracies(statistics["logit_mean"], statistics["logit_cov"])
    )
    return payload, {
        "samples": DIAGNOSTIC_SAMPLES,
        "seed": DIAGNOSTIC_SEED,
        "model": "rnn/m16_10",
    }


# --- summaries of the stored M4,3 study, for the chapter ---------------------------------------


@dataclass(frozen=True)
class MethodSummary:
    """One method on the noisy models of a study (the clean model left out).

    Attributes:
        mse, mse_standard_error: mean squared error against the exact accuracies and its standard error.
        rms, rms_standard_error: its square root (standard error by the delta method).
        bias, bias_standard_error: mean error and its standard error.
        spread: standard deviation of the error over models.
        operations: mean operations per model.
        seconds: median wall time per model.
        versus_sampling: :func:`tinymech.algzoo.estimation.equal_compute_ratio` at ``operations``.
        clean: the estimate on the clean model.
    """

    mse: float
    mse_standard_error: float
    rms: float
    rms_standard_error: float
    bias: float
    bias_standard_error: float
    spread: float
    operations: float
    seconds: float
    versus_sampling: dict
    clean: float


def summarize_study(payload: dict) -> dict:
    """Error curves of a :func:`compute_noisy_study` payload, from its stored estimates.

    Returns:
        ``{"accuracy": noisy models' exact accuracies, "clean": the clean model's,
        "methods": {name: MethodSummary} for exact and ARC's two estimators,
        "sampling": :class:`tinymech.algzoo.estimation.ErrorCurve` over the sampling budgets (plus
        ``"sampling_predicted"``, the closed form mean ``p (1 - p) / k``, and ``"samples"``),
        "gate_signs": {pattern: MethodSummary} of the earlier rebuild, "rule_steps": {name:
        MethodSummary} of :data:`RULE_STEPS`, "parts": {(key, name): (rms, bias)}}`` with ``key``
        ``"parts"`` (Hilton's rules) or ``"parts_earlier"``.
    """
    reference = payload["reference"].numpy()
    accuracy = reference[1:]
    references = References(accuracy, np.zeros(len(accuracy)), "exact", 0, 0.0)
    per_sample = int(
        payload["sampling"]["operations"][0, 0] // payload["sampling"]["samples"][0]
    )

    def summary(
        estimates: np.ndarray, operations: np.ndarray, seconds: np.ndarray
    ) -> MethodSummary:
        run = EnsembleRun(
            "",
            np.zeros(1, dtype=np.int64),
            estimates[1:, None],
            operations[1:, None],
            seconds[1:, None],
        )
        curve = error_curve(run, references)
        mse, mse_se = float(curve.mse[0]), float(curve.mse_standard_error[0])
        rms = math.sqrt(mse)
        return MethodSummary(
            mse,
            mse_se,
            rms,
            mse_se / (2 * rms) if rms > 0 else 0.0,
            float(curve.bias[0]),
            float(curve.bias_standard_error[0]),
            float(math.sqrt(curve.variance[0])),
            float(curve.operations[0]),
            float(np.median(seconds[1:])),
            equal_compute_ratio(mse, float(curve.operations[0]), accuracy, per_sample),
            float(estimates[0]),
        )

    methods = {
        name: summary(
            payload[name]["estimate"].numpy(),
            payload[name]["operations"].numpy(),
            payload[name]["seconds"].numpy(),
        )
        for name in STUDY_METHODS
        if name in payload
    }
    sampling = payload["sampling"]
    run = EnsembleRun(
        "sampling",
        sampling["operations"][0].numpy(),
        sampling["estimate"].numpy()[1:],
        sampling["operations"].numpy()[1:],
        sampling["seconds"].numpy()[1:],
    )
    curve = error_curve(run, references)
    original_operations = payload["arc_original"]["operations"].numpy()
    gate_signs = {
        tuple(int(s) for s in pattern): summary(
            payload["gate_signs"]["estimate"].numpy()[:, k],
            payload["arc_original_earlier"]["operations"].numpy(),
            payload["arc_original_earlier"]["seconds"].numpy(),
        )
        for k, pattern in enumerate(payload["gate_signs"]["patterns"].tolist())
    }
    original_seconds = payload["arc_original"]["seconds"].numpy()
    rule_steps = {
        name: summary(
            payload["rule_steps"]["estimate"].numpy()[:, k],
            payload["rule_steps"]["operations"].numpy()[:, k],
            original_seconds,
        )
        for k, name in enumerate(payload["rule_steps"]["names"])
    }
    parts = {}
    for key in ("parts", "parts_earlier"):
        for name in ("averaged", "averaged_chance"):
            errors = payload[key][name].numpy()[1:] - accuracy
            parts[(key, name)] = (float(np.sqrt(np.mean(errors**2))), float(np.mean(errors)))
    return {
        "accuracy": accuracy,
        "clean": float(reference[0]),
        "methods": methods,
        "sampling": curve,
        "sampling_predicted": sampling_mse(accuracy, curve.operations, per_sample),
        "samples": sampling["samples"].numpy(),
        "per_sample": per_sample,
        "gate_signs": gate_signs,
        "rule_steps": rule_steps,
        "parts": parts,
    }


RESULTS: dict[str, Entry] = table(
    *(
        Entry(
            f"estimators/{name}_noisy",
            "estimators",
            f"{label}: ARC's two estimators, the exact method and sampling on 256 noisy models (sigma 0.05)",
            compute_noisy_study,
            {"model_name": name, "sigma": 0.05, "count": 256, "seed": 0},
            inputs=inputs,
            minutes=5,
        )
        for name, label, inputs in (
            ("m4_3", "M4,3 trained here", ("rnn/m4_3",)),
            ("handcrafted_3", "ARC's handcrafted M4,3", ()),
        )
    ),
    Entry(
        "estimators/exact_timing",
        "estimators",
        "exact M4,3 accuracy: polygon clipping against linear programs, times on one thread",
        compute_timing,
        inputs=("rnn/m4_3",),
        minutes=1,
    ),
    Entry(
        "estimators/m16_10_ensembles",
        "estimators",
        "M16,10: noise rule, 64 noisy models and 5 trained seeds, reference counts per case",
        compute_ensembles,
        inputs=("rnn/m16_10", *SEED_MODELS),
        minutes=16,
    ),
    Entry(
        "estimators/m16_10_curves",
        "estimators",
        "M16,10: every estimator setting on both ensembles, with sampling checks",
        compute_curves,
        inputs=("estimators/m16_10_ensembles",),
        minutes=25,
    ),
    Entry(
        "estimators/m16_10_diagnostics",
        "estimators",
        "M16,10: sampled gates, logit moments and mask agreement per case (error analysis)",
        compute_diagnostics,
        inputs=("rnn/m16_10",),
        minutes=1,
    ),
)
