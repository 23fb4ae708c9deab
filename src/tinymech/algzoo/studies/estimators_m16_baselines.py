"""Registered results of issue 27 for M16,10: RQMC's measured curve and the negative result's measures.

- ``estimators/m16_10_rqmc`` (:func:`compute_rqmc`): RQMC estimates (:mod:`tinymech.algzoo.estimators_m16.rqmc`) of every model of the
  noisy ensemble (:data:`RQMC_REPLICATES` scrambles each) and of the five trained seeds
  (:data:`RQMC_SEED_REPLICATES` each) at ``2^k`` sequences for ``k`` in :data:`RQMC_LOG2_SAMPLES`.
- ``estimators/m16_10_mask_substitution`` (:func:`compute_mask_substitution`): the measures of
  :mod:`tinymech.algzoo.estimators_m16.mask_substitution` on the noisy ensemble (``sigma`` 0.002, the noise rule's), on two more noisy
  ensembles of :data:`EXTRA_MODELS` models at ``sigma`` in :data:`EXTRA_SIGMAS`, on the five seeds and the
  clean model.

Everything runs on one thread in a few minutes (``tinymech run NAME --overwrite``).
"""

from __future__ import annotations

import numpy as np
import torch
from tqdm import tqdm

from tinymech.algzoo.estimators_m16.mask_substitution import (
    MARGIN_LEVELS,
    pattern_variety,
    substitution_measures,
)
from tinymech.algzoo.estimators_m16.rqmc import rqmc_replicates
from tinymech.algzoo.estimators_m16.study import ENSEMBLE_SEED, unstack
from tinymech.algzoo.noise import noisy_ensemble
from tinymech.algzoo.studies.estimators import RESULTS as ESTIMATOR_RESULTS
from tinymech.algzoo.studies.estimators import load_weights
from tinymech.registry import Entry, load, table

#: Powers of two of the RQMC sample sizes, and scrambles per model.
RQMC_LOG2_SAMPLES = tuple(range(5, 17))
RQMC_REPLICATES, RQMC_SEED_REPLICATES = 8, 32
#: Seed of the scrambles (scramble ``r`` of model ``k`` uses ``[RQMC_SEED + k, r]``).
RQMC_SEED = 27_000
#: Sequences per model of the substitution measures, and their stream's seed (no estimator uses it).
SUBSTITUTION_SAMPLES, SUBSTITUTION_SEED = 2**14, 27
#: The extra noise levels and their ensembles' size (noise seed ``ENSEMBLE_SEED + 1 + level``).
EXTRA_SIGMAS, EXTRA_MODELS = (0.001, 0.005), 16
#: Probabilities at which each model's relative-margin quantiles are stored.
MARGIN_PROBABILITIES = tuple(float(p) for p in np.geomspace(1e-4, 0.5, 57))


def compute_rqmc(*, progress: bool = False) -> tuple[dict, dict]:
    """Registered result ``estimators/m16_10_rqmc``: ``{group: {"estimates": (K, R, S)}}`` for the noisy
    ensemble and the seeds, ``S`` sample sizes ``2^k``."""
    torch.set_num_threads(1)
    ensembles, _ = load(ESTIMATOR_RESULTS["estimators/m16_10_ensembles"])
    payload: dict = {"log2_samples": torch.tensor(RQMC_LOG2_SAMPLES)}
    for group, replicates in (("noisy", RQMC_REPLICATES), ("seeds", RQMC_SEED_REPLICATES)):
        weights = unstack(ensembles[group]["weights"])
        rows = [
            rqmc_replicates(
                w, log2_samples=RQMC_LOG2_SAMPLES, replicates=replicates, seed=RQMC_SEED + k
            )
            for k, w in enumerate(tqdm(weights, desc=f"RQMC ({group})", disable=not progress))
        ]
        payload[group] = {"estimates": torch.from_numpy(np.stack(rows))}
    metadata = {
        "log2_samples": list(RQMC_LOG2_SAMPLES),
        "replicates": {"noisy": RQMC_REPLICATES, "seeds": RQMC_SEED_REPLICATES},
        "scramble_seed": RQMC_SEED,
        "generator": "scipy.stats.qmc.Sobol(scramble=True), scipy.special.ndtri, float32 network",
    }
    return payload, metadata


def _measure(weights, *, progress: bool, desc: str) -> dict:
    rows = []
    for w in tqdm(weights, desc=desc, disable=not progress):
        measures = substitution_measures(w, SUBSTITUTION_SAMPLES, seed=SUBSTITUTION_SEED)
        margins = measures.pop("margins")
        variety = pattern_variety(w, seed=SUBSTITUTION_SEED)
        rows.append((measures, margins, variety))
    names = [key for key in rows[0][0] if key != "network_accuracy"]
    out: dict = {
        "schemes": names,
        "network_accuracy": torch.tensor([r[0]["network_accuracy"] for r in rows]),
        "margin_below": torch.tensor(
            [[float((r[1] < level).mean()) for level in MARGIN_LEVELS] for r in rows]
        ),
        "margin_quantiles": torch.tensor(
            [np.quantile(r[1], MARGIN_PROBABILITIES).tolist() for r in rows]
        ),
        "distinct": torch.from_numpy(np.stack([r[2]["distinct"] for r in rows])),
        "coverage": torch.from_numpy(np.stack([r[2]["coverage"] for r in rows])),
    }
    for field in ("accuracy", "bias", "bias_standard_error", "agreement"):
        out[field] = torch.tensor([[r[0][name][field] for name in names] for r in rows])
    return out


def compute_mask_substitution(*, progress: bool = False) -> tuple[dict, dict]:
    """Registered result ``estimators/m16_10_mask_substitution``: per group (``noisy``,
    ``sigma0.001``, ``sigma0.005``, ``seeds``, ``clean``) and model, every scheme's accuracy, bias and
    agreement, the margins and the pattern variety (see :mod:`tinymech.algzoo.estimators_m16.mask_substitution`)."""
    torch.set_num_threads(1)
    ensembles, _ = load(ESTIMATOR_RESULTS["estimators/m16_10_ensembles"])
    clean = load_weights("rnn/m16_10")
    groups = {
        "noisy": unstack(ensembles["noisy"]["weights"]),
        **{
            f"sigma{sigma}": list(
                noisy_ensemble(
                    clean, sigma, EXTRA_MODELS, seed=ENSEMBLE_SEED + 1 + level
                ).models
            )
            for level, sigma in enumerate(EXTRA_SIGMAS)
        },
        "seeds": unstack(ensembles["seeds"]["weights"]),
        "clean": [clean],
    }
    payload = {
        group: _measure(weights, progress=progress, desc=f"substitution ({group})")
        for group, weights in groups.items()
    }
    metadata = {
        "samples": SUBSTITUTION_SAMPLES,
        "seed": SUBSTITUTION_SEED,
        "extra_sigmas": list(EXTRA_SIGMAS),
        "extra_models": EXTRA_MODELS,
        "margin_levels": list(MARGIN_LEVELS),
        "margin_probabilities": list(MARGIN_PROBABILITIES),
        "groups": list(groups),
    }
    return payload, metadata


#: The registered results of this module.
RESULTS: dict[str, Entry] = table(
    Entry(
        "estimators/m16_10_rqmc",
        "estimators",
        "M16,10: randomized quasi-Monte Carlo (scrambled Sobol) estimates on both ensembles",
        compute_rqmc,
        inputs=("estimators/m16_10_ensembles",),
        minutes=4,
    ),
    Entry(
        "estimators/m16_10_mask_substitution",
        "estimators",
        "M16,10: mask substitution, a predicted state, pattern variety and decision margins",
        compute_mask_substitution,
        inputs=("estimators/m16_10_ensembles", "rnn/m16_10"),
        minutes=4,
    ),
)
