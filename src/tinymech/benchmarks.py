"""Benchmarks: figures printed and written to a JSON file that the book's Performance page shows.

Measured, never asserted: training throughput (sequences per second at one thread, AlgZoo batch size),
sampling throughput (the forward passes every sampled accuracy in the book uses), the time of the exact
accuracy of M2,2 and M4,3, and how many samples random sampling needs to reach the exact method's mean squared
error (ARC's "mean squared error versus compute" comparison {cite}`arc2026algzoo`).
"""

from __future__ import annotations

import json
import os
import math
import platform
import time
from pathlib import Path

import numpy as np
import torch

from tinymech.algzoo.estimation import samples_to_match
from tinymech.algzoo.evaluation import sampled_accuracy
from tinymech.algzoo.exact import exact_accuracy
from tinymech.algzoo.standardization import rescale
from tinymech.algzoo.training import train
from tinymech.algzoo.zoo import load_model


def training_throughput(
    hidden_size: int, seq_len: int, *, steps: int = 256, batch_size: int = 1024
) -> float:
    """Training sequences per second at one thread for M_{hidden_size, seq_len} (AlgZoo recipe, no
    held-out evaluation during the run)."""
    train(
        hidden_size, seq_len, n_train=64 * batch_size, progress=False, curve_points=0
    )  # warm-up
    result = train(
        hidden_size, seq_len, n_train=steps * batch_size, progress=False, curve_points=0
    )
    return result.n_train / result.seconds


def exact_numerical_error(model, *, rescalings: int = 32, seed: int = 0) -> float:
    """Root-mean-square change of the exact accuracy under random positive neuron rescalings.

    Rescaling leaves the function (hence the true accuracy) unchanged, so any change is rounding error
    of the exact method: an estimate of its error, floored at float64's machine epsilon.
    """
    weights = model.weights()
    reference = exact_accuracy(weights)
    rng = np.random.default_rng(seed)
    deviations = [
        exact_accuracy(rescale(weights, rng.uniform(0.5, 2.0, weights.hidden_size))) - reference
        for _ in range(rescalings)
    ]
    return max(
        math.sqrt(float(np.mean(np.square(deviations)))), float(np.finfo(np.float64).eps)
    )


def time_call(function, *, repeats: int = 5) -> float:
    """Median wall-clock seconds of ``function()`` over ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


#: Where the book's Performance page reads the figures: ``book/benchmarks.json`` of the source checkout
#: (None when the package is not installed from a checkout).
BOOK_BENCHMARKS = Path(__file__).resolve().parents[2] / "book" / "benchmarks.json"


def check_benchmark_output(output: Path | None, *, overwrite: bool) -> Path:
    """The JSON file to write, checked before any benchmark runs.

    Args:
        output: a ``.json`` path, or None for :data:`BOOK_BENCHMARKS`.
        overwrite: allow replacing an existing file.

    Raises:
        ResultError: if the path does not end in ``.json``, exists without ``overwrite``, or (for the
            default) the package does not sit in a source checkout with a ``book/`` folder.
    """
    from tinymech.errors import ResultError

    if output is None:
        if not BOOK_BENCHMARKS.parent.is_dir():
            raise ResultError(
                f"no book/ folder at {BOOK_BENCHMARKS.parent} (the package is not in a source "
                "checkout); give --output FILE.json"
            )
        output = BOOK_BENCHMARKS
    from tinymech.store import check_file_output

    return check_file_output(output, ".json", overwrite=overwrite)


def run_benchmarks(
    *,
    output: Path | None = None,
    overwrite: bool = False,
    models=("m2_2", "m4_3", "m16_10"),
    write: bool = True,
) -> dict:
    """Run every benchmark, print nothing, return the figures and write them as JSON.

    Args:
        output: the JSON file (default :data:`BOOK_BENCHMARKS`), checked before anything runs.
        overwrite: replace an existing file.
        models: the models whose training throughput is measured.
        write: write the file (False: only return the figures).

    Raises:
        ResultError: see :func:`check_benchmark_output`.
    """
    destination = check_benchmark_output(output, overwrite=overwrite) if write else None
    torch.set_num_threads(1)
    results: dict = {
        "machine": {
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "cores": os.cpu_count(),
            "load_average_1min_at_start": os.getloadavg()[0],
        }
    }
    results["training_sequences_per_second"] = {
        name: training_throughput(*size)
        for name, size in {"m2_2": (2, 2), "m4_3": (4, 3), "m16_10": (16, 10)}.items()
        if name in models
    }
    results["sampling_sequences_per_second"] = {
        name: 2**20
        / time_call(lambda: sampled_accuracy(load_model(name), 2**20, seed=1), repeats=3)
        for name in models
    }
    for name in ("m2_2", "m4_3"):
        model = load_model(name)
        accuracy = exact_accuracy(model)
        exact_seconds = time_call(lambda: exact_accuracy(model))
        rms_error = exact_numerical_error(model, rescalings=8 if name == "m4_3" else 32)
        sampling_seconds = 1.0 / results["sampling_sequences_per_second"].get(
            name, 2**20 / time_call(lambda: sampled_accuracy(model, 2**20, seed=1), repeats=3)
        )
        results[f"{name}_exact"] = {
            "accuracy": accuracy,
            "seconds": exact_seconds,
            "numerical_rms_error": rms_error,
            "samples_to_match_mean_squared_error": samples_to_match(accuracy, rms_error**2),
            "sampling_seconds_per_sample": sampling_seconds,
            "sampling_seconds_to_match": samples_to_match(accuracy, rms_error**2)
            * sampling_seconds,
            "samples_in_exact_time": exact_seconds / sampling_seconds,
        }
    if destination is not None:
        from tinymech.store import write_file

        write_file(
            destination, (json.dumps(results, indent=2) + "\n").encode(), overwrite=overwrite
        )
    return results
