"""Benchmarks: figures printed and written to a JSON file that the book's Performance page shows.

Measured, never asserted: training throughput (sequences per second at one thread, AlgZoo batch size),
sampling throughput (the forward passes every sampled accuracy in the book uses), the time of the exact
accuracy of M2,2 and M4,3 (one model at a time, and M4,3 batched over an ensemble), and how many samples random
sampling needs to reach the exact method's error (ARC's "mean squared error versus compute" comparison
{cite}`arc2026algzoo`; one bound for every page, :func:`exact_samples_to_match`).
"""

from __future__ import annotations

import json
import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from tinymech.algzoo.estimation import samples_to_match
from tinymech.algzoo.evaluation import sampled_accuracy
from tinymech.algzoo.exact import exact_accuracy
from tinymech.algzoo.training import train
from tinymech.algzoo.zoo import load_model
from tinymech.errors import InvalidInputError


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


@dataclass(frozen=True)
class SamplesToMatch:
    """How many samples random sampling needs to match an exact method: the book's one number for it.

    Attributes:
        accuracy: the exact accuracy.
        error_bound: the bound on the exact method's rounding error of
            :attr:`tinymech.algzoo.standardization.RescalingCheck.rounding_bound` (one unit in the place
            after the digits that survive rescalings and moved last bits, the same on every machine).
        samples: ``p (1 - p) / error_bound^2`` (:func:`samples_to_match`); since the true rounding error
            is below the bound, sampling needs at least this many.
        source: one sentence naming the method, the bound and the model it comes from.
    """

    accuracy: float
    error_bound: float
    samples: float
    source: str


def exact_samples_to_match(name: str) -> SamplesToMatch:
    """:class:`SamplesToMatch` for a committed model (``"m2_2"`` or ``"m4_3"``): the one computation of
    this number that every page glues (the {doc}`m2_2_regions` chapter and the Performance page alike).

    Raises:
        InvalidInputError: for a model whose exact method does not apply (sequence length not 2 or 3).
    """
    from tinymech.algzoo.standardization import rescaling_check

    model = load_model(name)
    if model.weights().output_size not in (2, 3):
        raise InvalidInputError(f"the exact method needs sequence length 2 or 3, got {name!r}")
    check = rescaling_check(model.weights(), lambda w: 1 - exact_accuracy(w))
    accuracy = 1 - check.value
    method = "sectors of the plane" if model.weights().output_size == 2 else "polygon clipping"
    return SamplesToMatch(
        accuracy,
        check.rounding_bound,
        samples_to_match(accuracy, check.rounding_bound**2),
        f"the exact method ({method}) on the committed {name.upper().replace('_', ',')}, its "
        "rounding error bounded by one unit after the digits of the error rate that survive 16 "
        "neuron rescalings and 4 moves of the weights' last bits, against sampling's p(1 - p)/n",
    )


def exact_match_figures(name: str, sampling_per_second: float | None = None) -> dict:
    """The ``<name>_exact`` figures of the benchmark file that are computed, not timed:
    :func:`exact_samples_to_match` and, given sampling's throughput, the sampling time it implies."""
    match = exact_samples_to_match(name)
    figures = {
        "accuracy": match.accuracy,
        "error_bound": match.error_bound,
        "samples_to_match": match.samples,
    }
    if sampling_per_second:
        figures["sampling_seconds_per_sample"] = 1.0 / sampling_per_second
        figures["sampling_seconds_to_match"] = match.samples / sampling_per_second
    return figures


def time_call(function, *, repeats: int = 5) -> float:
    """Median wall-clock seconds of ``function()`` over ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def exact_m4_3_ensemble_speed(*, count: int = 256, repeats: int = 5) -> dict:
    """Wall time per model of the exact M4,3 accuracy, one model at a time against batched.

    On the trained M4,3 and ``count`` noisy copies (noise 0.05 on every weight, seed 0: the ensemble
    of the {doc}`estimators` chapter), one thread: the best of ``repeats`` passes over the ensemble with
    :func:`tinymech.algzoo.exact.cones.clipped_accuracy` per model, and with
    :func:`tinymech.algzoo.exact.batched.batched_accuracies` on all of them at once.

    Returns:
        ``{"models", "operations_per_model" (mean, the same for both), "one_model_seconds",
        "batched_seconds" (wall time per model), "speed_up", "one_model_cpu_seconds",
        "batched_cpu_seconds" (the process's CPU time per model: what other work on a shared machine
        changes least), "max_difference" (largest |difference| of the two accuracies),
        "operations_equal", "load_average_1min_at_start"}``.
    """
    from tinymech.algzoo.exact.batched import batched_accuracies
    from tinymech.algzoo.exact.cones import clipped_accuracy
    from tinymech.algzoo.noise import noisy_ensemble

    torch.set_num_threads(1)
    load = os.getloadavg()[0]
    clean = load_model("m4_3").weights()
    models = (clean,) + noisy_ensemble(clean, 0.05, count, seed=0).models
    one_model, batched, one_model_cpu, batched_cpu = [], [], [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        singles = [clipped_accuracy(m) for m in models]
        one_model.append((time.perf_counter() - start) / len(models))
        one_model_cpu.append((time.process_time() - cpu) / len(models))
        start, cpu = time.perf_counter(), time.process_time()
        batch = batched_accuracies(models)
        batched.append((time.perf_counter() - start) / len(models))
        batched_cpu.append((time.process_time() - cpu) / len(models))
    accuracy = np.array([r.accuracy for r in singles])
    operations = np.array([r.operations for r in singles])
    return {
        "models": len(models),
        "operations_per_model": float(operations.mean()),
        "one_model_seconds": min(one_model),
        "batched_seconds": min(batched),
        "speed_up": min(one_model) / min(batched),
        "one_model_cpu_seconds": min(one_model_cpu),
        "batched_cpu_seconds": min(batched_cpu),
        "max_difference": float(np.abs(accuracy - batch.accuracy).max()),
        "operations_equal": bool(np.array_equal(operations, batch.operations)),
        "load_average_1min_at_start": load,
    }


#: Benchmarks that ``tinymech bench --only NAME`` runs alone (their entry of the JSON file replaced).
SINGLE_BENCHMARKS = {"m4_3_exact_ensemble": exact_m4_3_ensemble_speed}


def run_single_benchmark(name: str, *, output: Path | None = None, write: bool = False) -> dict:
    """Run one of :data:`SINGLE_BENCHMARKS`; with ``write``, replace its entry in the JSON file
    (default :data:`BOOK_BENCHMARKS`, which must exist), keeping every other entry.

    Raises:
        InvalidInputError: for an unknown name.
        ResultError: if ``write`` and the file does not exist.
    """
    from tinymech.errors import ResultError

    if name not in SINGLE_BENCHMARKS:
        raise InvalidInputError(
            f"unknown benchmark {name!r}; choose one of: {', '.join(SINGLE_BENCHMARKS)}"
        )
    destination = Path(output) if output is not None else BOOK_BENCHMARKS
    if write and not destination.is_file():
        raise ResultError(f"{destination} does not exist; run `tinymech bench` first")
    result = SINGLE_BENCHMARKS[name]()
    if write:
        figures = json.loads(destination.read_text())
        figures[name] = result
        destination.write_text(json.dumps(figures, indent=2) + "\n")
    return result


def exact_m4_3_cost(path: Path | None = None) -> dict:
    """The book's one figure for what the exact M4,3 method costs, read from the committed benchmarks.

    Returns the ``m4_3_exact_ensemble`` entry of :data:`BOOK_BENCHMARKS` (:func:`exact_m4_3_ensemble_speed`)
    with ``"source"``, one sentence saying where the figures come from.  Every page that states the
    exact M4,3 method's operations or seconds glues these.

    Raises:
        ResultError: if the file or the entry is missing (run ``tinymech bench --only
            m4_3_exact_ensemble --overwrite``).
    """
    from tinymech.errors import ResultError

    path = BOOK_BENCHMARKS if path is None else Path(path)
    figures = json.loads(path.read_text()) if path.is_file() else {}
    if "m4_3_exact_ensemble" not in figures:
        raise ResultError(
            f"{path} has no m4_3_exact_ensemble entry; run `tinymech bench --only "
            "m4_3_exact_ensemble --overwrite`"
        )
    entry = dict(figures["m4_3_exact_ensemble"])
    entry["source"] = (
        f"polygon clipping on the trained M4,3 and {entry['models'] - 1} noisy copies (noise 0.05), "
        "one thread, best of 5 passes over the ensemble (book/benchmarks.json, `tinymech bench`), "
        f"load average {entry['load_average_1min_at_start']:.1f} at the start"
    )
    return entry


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
    model = load_model("m2_2")
    results["m2_2_exact"] = {
        "seconds": time_call(lambda: exact_accuracy(model)),
        **exact_match_figures("m2_2", results["sampling_sequences_per_second"].get("m2_2")),
    }
    # M4,3's exact time is the ensemble benchmark's (one model at a time and batched): one figure
    results["m4_3_exact"] = exact_match_figures(
        "m4_3", results["sampling_sequences_per_second"].get("m4_3")
    )
    for name, benchmark in SINGLE_BENCHMARKS.items():
        results[name] = benchmark()
    if destination is not None:
        from tinymech.store import write_file

        write_file(
            destination, (json.dumps(results, indent=2) + "\n").encode(), overwrite=overwrite
        )
    return results
