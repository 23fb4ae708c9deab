"""Summaries of issue 27's M16,10 results for the chapter: RQMC's curve, factors, break-even errors, settings
chosen on one half of an ensemble, the negative result and the go/no-go test.

Reads the registered results ``estimators/m16_10_ensembles``, ``estimators/m16_10_curves``,
``estimators/m16_10_rqmc`` and ``estimators/m16_10_mask_substitution``; computes nothing that takes more
than a fraction of a second.
"""

from __future__ import annotations

import math

import numpy as np

from tinymech.algzoo.estimation import sampling_mse
from tinymech.algzoo.operations import forward_operations
from tinymech.algzoo.estimators_m16.rqmc import per_sequence_operations, rqmc_mse_at
from tinymech.errors import InvalidInputError

#: Budgets of the break-even table (operations).
BREAK_EVEN_BUDGETS = (10**5, 10**6, 10**7)


def rqmc_curve(rqmc: dict, ensembles: dict, group: str) -> dict:
    """RQMC's measured MSE on ``group`` per sample size ``N = 2^k``: ``samples``, ``operations``, ``mse`` and
    its standard error (over models and scrambles, the references' own variance subtracted), ``ratio``
    (over plain sampling's ``mean p (1 - p) / N`` at the same ``N``) with ``ratio_standard_error``, and
    ``plain_variance``."""
    from tinymech.algzoo.estimators_m16.study import accuracies_from_counts

    counts = ensembles[group]["counts"]
    p = accuracies_from_counts(counts)
    reference_samples = counts["total"].sum(-1).double().numpy()
    estimates = rqmc[group]["estimates"].numpy()  # (K, R, S)
    samples = 2 ** rqmc["log2_samples"].numpy().astype(np.float64)
    squared = (estimates - p[:, None, None]) ** 2
    reference_variance = float(np.mean(p * (1 - p) / reference_samples))
    per_model = squared.mean(axis=1)  # (K, S): models are the independent units
    mse = per_model.mean(axis=0) - reference_variance
    mse_se = per_model.std(axis=0, ddof=1) / math.sqrt(per_model.shape[0])
    plain_variance = float(np.mean(p * (1 - p)))
    plain = plain_variance / samples
    return {
        "samples": samples,
        "operations": np.array([per_sequence_operations(16, 10) * n for n in samples]),
        "mse": mse,
        "mse_standard_error": mse_se,
        "ratio": mse / plain,
        "ratio_standard_error": mse_se / plain,
        "plain_variance": plain_variance,
    }


def all_sampler_mse(curves: dict, ensembles: dict, rqmc: dict, group: str, operations) -> dict:
    """Plain, stratified, control-variate and RQMC sampling's MSE ``(B,)`` at ``operations`` and the best
    constant guess's (:func:`~.study.sampling_curves` plus :func:`~.rqmc.rqmc_mse_at`)."""
    from tinymech.algzoo.estimators_m16.study import sampling_curves

    lines = sampling_curves(curves, ensembles, group, operations)
    lines["rqmc"] = rqmc_mse_at(rqmc_curve(rqmc, ensembles, group), operations)
    return lines


def add_rqmc_factors(rows: list[dict], curves, ensembles, rqmc, group: str) -> list[dict]:
    """``rows`` of :func:`~.study.summarize_group` with ``factor_rqmc`` (MSE over RQMC's at the same
    operations) and ``rqmc_rms`` added."""
    out = []
    for row in rows:
        r = float(
            all_sampler_mse(curves, ensembles, rqmc, group, [row["operations"]])["rqmc"][0]
        )
        out.append({**row, "factor_rqmc": row["mse"] / r, "rqmc_rms": math.sqrt(r)})
    return out


def break_even(curves, ensembles, rqmc, group: str, budgets=BREAK_EVEN_BUDGETS) -> dict:
    """The RMS error a fixed-cost estimator must reach to tie each sampler at each budget:
    ``{sampler: (B,)}`` (``inf`` where the sampler cannot run at that budget)."""
    lines = all_sampler_mse(curves, ensembles, rqmc, group, list(budgets))
    return {
        name: np.sqrt(np.asarray(lines[name], dtype=np.float64))
        for name in ("plain", "stratified", "rqmc", "control_variate")
    }


def _subset(ensembles: dict, curves: dict, group: str, index: np.ndarray) -> tuple[dict, dict]:
    counts = {key: value[index] for key, value in ensembles[group]["counts"].items()}
    settings = {
        key: {
            **setting,
            "estimate": setting["estimate"][index],
            "case": setting["case"][index],
        }
        for key, setting in curves[group]["settings"].items()
    }
    return {group: {"counts": counts}}, {group: {"settings": settings}}


def honest_choice(curves: dict, ensembles: dict, group: str, method: str) -> dict:
    """The budget setting of ``method`` chosen on one half of ``group`` and scored on the other.

    The halves are the even- and odd-numbered models (fixed before any scoring).  Each half chooses the
    setting with the smallest factor to plain sampling (:func:`~.study.best_setting`) and that setting is
    scored on the other half.  Returns ``{"choices": [key chosen on even, key chosen on odd],
    "scored": [row of the odd half at the even choice, row of the even half at the odd choice],
    "in_sample": [best row on the odd half, best row on the even half]}``.

    Raises:
        InvalidInputError: for an ensemble of fewer than four models.
    """
    from tinymech.algzoo.estimators_m16.study import best_setting, summarize_group

    models = int(ensembles[group]["counts"]["total"].shape[0])
    if models < 4:
        raise InvalidInputError(f"need at least four models to split, got {models}")
    halves = [np.arange(0, models, 2), np.arange(1, models, 2)]
    summaries = [
        summarize_group(*reversed(_subset(ensembles, curves, group, h)), group) for h in halves
    ]
    chosen = [best_setting(summary, method) for summary in summaries]
    scored = [
        next(row for row in summaries[1 - i] if row["key"] == chosen[i]["key"])
        for i in range(2)
    ]
    return {
        "choices": [c["key"] for c in chosen],
        "chosen_rows": chosen,
        "scored": scored,
        "in_sample": [chosen[1], chosen[0]],
    }


def scheme_summary(study: dict, group: str) -> list[dict]:
    """Per scheme on ``group``: mean bias with its standard error (within-model sampling and the spread
    over models), its range over models, mean agreement with its standard error over models, and its
    minimum."""
    part = study[group]
    bias, agreement = part["bias"].numpy(), part["agreement"].numpy()
    se = part["bias_standard_error"].numpy()
    return [
        {
            "scheme": name,
            "bias": float(bias[:, j].mean()),
            "bias_standard_error": float(
                math.sqrt(
                    np.mean(se[:, j] ** 2) / bias.shape[0] + bias[:, j].var() / bias.shape[0]
                )
            ),
            "bias_min": float(bias[:, j].min()),
            "bias_max": float(bias[:, j].max()),
            "agreement": float(agreement[:, j].mean()),
            "agreement_standard_error": float(
                agreement[:, j].std(ddof=1) / math.sqrt(agreement.shape[0])
                if agreement.shape[0] > 1
                else 0.0
            ),
            "agreement_min": float(agreement[:, j].min()),
        }
        for j, name in enumerate(part["schemes"])
    ]


def variety_summary(study: dict, group: str) -> dict:
    """Median over cases (then over models) of the distinct patterns and of the top-``K`` coverages, and
    the mean over cases and models of the uncovered share per ``K``."""
    part = study[group]
    distinct = part["distinct"].numpy()  # (K, C)
    coverage = part["coverage"].numpy()  # (K, S, C)
    return {
        "distinct_median": float(np.median(np.median(distinct, axis=1))),
        "distinct_max": int(distinct.max()),
        "coverage_median": np.median(np.median(coverage, axis=2), axis=0),
        "uncovered_mean": 1 - coverage.mean(axis=(0, 2)),
    }


def margin_quantile(study: dict, group: str, fraction: float, probabilities) -> float:
    """The relative margin below which ``fraction`` of the inputs lie (mean of the models' quantiles,
    interpolated in log probability)."""
    q = study[group]["margin_quantiles"].numpy().mean(axis=0)
    return float(np.exp(np.interp(np.log(fraction), np.log(probabilities), np.log(q))))


def mixture_rows(
    variety: dict, sizes, per_pattern_operations: int, accuracy, group_rqmc
) -> list:
    """Per mixture size ``K``: operations of ``K`` patterns per case, the mean uncovered share, and
    plain and RQMC sampling's RMS error at those operations."""
    rows = []
    per_sample = forward_operations(16, 10)
    for k, size in enumerate(sizes):
        operations = size * per_pattern_operations
        rows.append(
            {
                "size": int(size),
                "operations": int(operations),
                "uncovered": float(variety["uncovered_mean"][k]),
                "plain_rms": float(
                    np.sqrt(sampling_mse(accuracy, [operations], per_sample)[0])
                ),
                "rqmc_rms": float(np.sqrt(rqmc_mse_at(group_rqmc, [operations])[0])),
            }
        )
    return rows
