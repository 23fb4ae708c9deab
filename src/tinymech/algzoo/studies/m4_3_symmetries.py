"""The M4,3 chapter's studies: what it needs that is too slow for the notebook (registered results).

Each ``compute_*`` function recomputes one registered result (:data:`RESULTS`) and returns
``(payload, metadata)``; nothing is written here (the registry writes when asked).  The mathematics they
call lives in :mod:`tinymech.algzoo.symmetries` and :mod:`tinymech.algzoo.exact.solid_angles`.
"""

from __future__ import annotations

import torch

from tinymech.algzoo.evaluation import sampled_accuracy
from tinymech.algzoo.exact.solid_angles import solid_angle_accuracy
from tinymech.algzoo.handcrafted import handcrafted_3
from tinymech.algzoo.symmetries import (
    HALF_SPACE_X0,
    LAMBDAS,
    handcrafted_lambda_sweep,
    noisy_model_study,
    random_model_checks,
    sampling_seconds_per_sample,
    symmetrized_half_space_accuracy,
)
from tinymech.algzoo.zoo import load_model
from tinymech.registry import Entry, table


def compute_trained_study(
    model_name: str = "m4_3",
    *,
    reference_samples: int = 2**24,
    n_noisy: int = 32,
    sigmas=(0.01, 0.05),
    progress: bool = True,
) -> tuple[dict, dict]:
    """What the M4,3 chapter needs about the trained model that is too slow for the notebook.

    Sampled references (float32 and float64, ``reference_samples`` each, seed 12345), timings of the
    exact and half-space counts (best of 3), the sampling speed, and the noisy-model study for each noise
    scale in ``sigmas`` (``payload["noisy"][str(sigma)]``).
    """

    def say(message: str) -> None:
        if progress:
            print(message, flush=True)

    payload: dict = {}
    model = load_model(model_name)
    for dtype_name, dtype in (("float32", torch.float32), ("float64", torch.float64)):
        say(f"sampling {model_name} in {dtype_name}")
        result = sampled_accuracy(model, reference_samples, seed=12345, dtype=dtype)
        payload[f"trained_sampled_{dtype_name}"] = torch.tensor(
            [result.accuracy, result.standard_error]
        )
    model.float()
    say("timing the exact counts")
    for key in ("exact", "half_space"):
        domain = None if key == "exact" else HALF_SPACE_X0
        seconds = min(solid_angle_accuracy(model, domain=domain).seconds for _ in range(3))
        payload[f"trained_{key}_seconds"] = torch.tensor(seconds)
    seconds = min(symmetrized_half_space_accuracy(model).seconds for _ in range(3))
    payload["trained_symmetrized_seconds"] = torch.tensor(seconds)
    say("timing sampling")
    payload["seconds_per_sample"] = torch.tensor(sampling_seconds_per_sample(model))
    payload["noisy"] = {}
    for sigma in sigmas:
        say(f"noisy models, sigma = {sigma}")
        payload["noisy"][str(sigma)] = noisy_model_study(
            model.weights(), sigma=sigma, n_models=n_noisy
        )
    metadata = {
        "model": model_name,
        "reference_samples": reference_samples,
        "n_noisy": n_noisy,
        "sigmas": list(sigmas),
        "sampling_seed": 12345,
        "note": "timings are wall-clock seconds on one shared CPU core",
    }
    return payload, metadata


def compute_handcrafted_study(
    *, reference_samples: int = 2**24, sweep_samples: int = 2**22, progress: bool = True
) -> tuple[dict, dict]:
    """The studies that do not depend on the trained model.

    Sampled references (float32, float64) of the handcrafted M4,3 at ``lam = 100``, the ``lam`` sweep
    (:func:`handcrafted_lambda_sweep`) and the random-model checks (:func:`random_model_checks`).
    """
    payload: dict = {}
    for dtype_name, dtype in (("float32", torch.float32), ("float64", torch.float64)):
        if progress:
            print(f"sampling the handcrafted model in {dtype_name}", flush=True)
        result = sampled_accuracy(
            handcrafted_3(100.0), reference_samples, seed=12345, dtype=dtype
        )
        payload[f"handcrafted_sampled_{dtype_name}"] = torch.tensor(
            [result.accuracy, result.standard_error]
        )
    if progress:
        print("lambda sweep", flush=True)
    payload["lambda_sweep"] = handcrafted_lambda_sweep(LAMBDAS, samples=sweep_samples)
    if progress:
        print("random models", flush=True)
    payload["random_models"] = random_model_checks(samples=reference_samples)
    metadata = {
        "reference_samples": reference_samples,
        "sweep_samples": sweep_samples,
        "sampling_seed": 12345,
    }
    return payload, metadata


RESULTS: dict[str, Entry] = table(
    Entry(
        "m4_3/study_m4_3",
        "m4_3_symmetries",
        "M4,3 trained here: sampled references, timings, noisy-model study",
        compute_trained_study,
        {"model_name": "m4_3"},
        inputs=("rnn/m4_3",),
        minutes=12,
    ),
    Entry(
        "m4_3/study_handcrafted",
        "m4_3_symmetries",
        "ARC's handcrafted M4,3: sampled references, lambda sweep, random-model checks",
        compute_handcrafted_study,
        minutes=8,
    ),
)
