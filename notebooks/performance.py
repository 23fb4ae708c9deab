# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation: {extension: .py, format_name: percent}
#   kernelspec: {display_name: Python 3, language: python, name: python3}
# ---

# %% [markdown]
# # Performance
#
# Speed is measured by a benchmark, never asserted in tests.  `make bench` (the command `tinymech bench`) runs it
# on one thread and writes `book/benchmarks.json`; this page shows the committed file, so the figures are those of
# the machine named below, not of the machine that built this page.  It measures training and sampling
# throughput of the three AlgZoo RNNs, and the time of the exact accuracy computations of
# {doc}`m2_2_regions` and {doc}`m4_3_symmetries` against what random sampling would need to match them: ARC's
# "mean squared error versus compute" comparison {cite}`arc2026algzoo`.  The full comparison of every estimator
# of accuracy with sampling, over noisy-weight ensembles, is the chapter {doc}`estimators`.

# %% tags=["install"]
# Install the book's package where it is missing (Colab, Binder, a fresh Python 3.11-3.13);
# where it is installed, as when the book is built, nothing happens.
import importlib.util, os, subprocess, sys

GIT = os.environ.get("TINYMECH_GIT", "https://github.com/tiny-mechanisms/tiny-mechanisms")
if importlib.util.find_spec("tinymech") is None:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", f"tinymech @ git+{GIT}"], check=True
    )

# %% tags=["hide-input"]
import json

from tinymech.algzoo.estimators_numbers import duration
from tinymech.algzoo.operations import forward_operations
from tinymech.benchmarks import BOOK_BENCHMARKS, exact_m4_3_cost, exact_samples_to_match
from tinymech.report import Table, glue
from tinymech.stats import format_number

benchmarks = json.loads(BOOK_BENCHMARKS.read_text())
machine = benchmarks["machine"]
PER_SAMPLE = forward_operations(4, 3)

Table(
    ["processor", "cores", "threads used", "Python", "torch", "load average at start"],
    [
        [
            machine["processor"],
            machine["cores"],
            machine["threads"],
            machine["python"],
            machine["torch"],
            f"{machine['load_average_1min_at_start']:.1f}",
        ]
    ],
    caption="The machine the figures come from",
)

# %% [markdown]
# A load average above the number of cores means other work shared the machine during the run, and the figures
# are then lower bounds on its speed.
#
# ## Training and sampling throughput
#
# Sequences per second at one thread: AlgZoo's training step (forward, backward, AdamW on batches of 1024), and the
# forward passes of a sampled accuracy (inputs drawn by numpy, chunks of $2^{16}$ sequences, float32).

# %% tags=["hide-input"]
names = list(benchmarks["training_sequences_per_second"])
sampling = benchmarks.get("sampling_sequences_per_second", {})
Table(
    [
        "model",
        "training (sequences/s)",
        "AlgZoo's 2³⁰ training sequences",
        "sampling (sequences/s)",
    ],
    [
        [
            {"m2_2": "M2,2", "m4_3": "M4,3", "m16_10": "M16,10"}.get(name, name),
            format_number(benchmarks["training_sequences_per_second"][name], 3),
            f"{2**30 / benchmarks['training_sequences_per_second'][name] / 60:.0f} min",
            format_number(sampling[name], 3) if name in sampling else None,
        ]
        for name in names
    ],
)

# %% [markdown]
# ## Exact accuracy versus sampling
#
# The exact methods integrate over the linear regions of the input space ({doc}`m2_2_regions`,
# {doc}`m4_3_symmetries`).  Their only error is rounding, bounded the same way on every page of the book
# (`tinymech.benchmarks.exact_samples_to_match`): {glue:text}`bench_match_source`.  Sampling's mean squared
# error is $p(1-p)/n$ for $n$ samples, so sampling needs more than $p(1-p)/\mathrm{bound}^2$ samples to match.

# %% tags=["hide-input"]
matches = {name: exact_samples_to_match(name) for name in ("m2_2", "m4_3")}
exact_cost = exact_m4_3_cost()
seconds = {"m2_2": benchmarks["m2_2_exact"]["seconds"], "m4_3": exact_cost["one_model_seconds"]}
rows = []
for name, label in (("m2_2", "M2,2"), ("m4_3", "M4,3")):
    per_sample = 1 / sampling[name]
    rows.append(
        [
            label,
            format_number(1000 * seconds[name], 2) + " ms",
            format_number(seconds[name] / per_sample, 2),
            format_number(matches[name].error_bound, 1),
            "more than " + format_number(matches[name].samples, 2),
            "more than " + duration(matches[name].samples * per_sample),
        ]
    )
Table(
    [
        "model",
        "exact computation (one model)",
        "samples drawn in that time",
        "bound on its rounding error",
        "samples to match it",
        "sampling time to match",
    ],
    rows,
)

# %% tags=["remove-cell"]
match = matches["m2_2"]
glue("bench_match_source", matches["m4_3"].source.replace("M4,3", "model"))
glue("bench_exact_ms", format_number(1000 * seconds["m2_2"], 2))
glue(
    "bench_samples_in_exact_time",
    format_number(seconds["m2_2"] * sampling["m2_2"], 2),
)
glue("bench_samples_to_match", format_number(match.samples, 2))
glue("bench_sampling_time", duration(match.samples / sampling["m2_2"]))

# %% [markdown]
# The exact M2,2 computation takes {glue:text}`bench_exact_ms` ms; in that time sampling draws about
# {glue:text}`bench_samples_in_exact_time` sequences, while matching the exact method's error would take more
# than {glue:text}`bench_samples_to_match` samples, more than {glue:text}`bench_sampling_time` of sampling on
# the same core (a lower bound: the true rounding error is far below the bound, and the time to match grows
# as the inverse square of it).  These are the numbers the {doc}`m2_2_regions` and {doc}`estimators` chapters
# give.
#
# ## The exact M4,3 method in operations and seconds
#
# The {doc}`estimators` chapter counts the exact M4,3 method at about {glue:text}`bench_m43_operations`
# multiply-adds per model; there it beats sampling at every budget above that and, with sampling below it,
# both of ARC's estimators of M4,3's accuracy.  Its first
# implementation spent nearly all its time in the interpreter: each numpy call handled a few dozen polygons.
# `tinymech.algzoo.exact.batched` clips every polygon of every model of an ensemble in the same calls, with
# the same arithmetic per polygon; {glue:text}`bench_m43_source`.

# %% tags=["hide-input"]
per_sample_seconds = 1 / sampling["m4_3"]
budget_samples = exact_cost["operations_per_model"] / PER_SAMPLE
Table(
    ["method", "operations per model", "wall time per model", "CPU time per model"],
    [
        [
            "exact, one model at a time",
            f"{exact_cost['operations_per_model']:,.0f}",
            format_number(1e3 * exact_cost["one_model_seconds"], 2) + " ms",
            format_number(1e3 * exact_cost["one_model_cpu_seconds"], 2) + " ms",
        ],
        [
            f"exact, batched over {exact_cost['models']} models",
            f"{exact_cost['operations_per_model']:,.0f}",
            format_number(1e3 * exact_cost["batched_seconds"], 2) + " ms",
            format_number(1e3 * exact_cost["batched_cpu_seconds"], 2) + " ms",
        ],
        [
            f"sampling, {budget_samples:,.0f} samples (the same operations, at the throughput above)",
            f"{exact_cost['operations_per_model']:,.0f}",
            format_number(1e3 * budget_samples * per_sample_seconds, 2) + " ms",
            "",
        ],
    ],
    caption="The exact M4,3 method against sampling at its own operation count",
)

# %% tags=["remove-cell"]
glue("bench_m43_operations", format_number(exact_cost["operations_per_model"], 2))
glue("bench_m43_source", exact_cost["source"])
glue(
    "bench_m43_ratio",
    f"{exact_cost['one_model_cpu_seconds'] / exact_cost['batched_cpu_seconds']:.1f}",
)
glue("bench_m43_difference", format_number(exact_cost["max_difference"], 1))
glue("bench_m43_equal", "equal" if exact_cost["operations_equal"] else "not equal")

# %% [markdown]
# Batched, the exact method is {glue:text}`bench_m43_ratio` times faster per model in CPU time; its
# accuracies differ from the one-model method's by at most {glue:text}`bench_m43_difference` and its
# operation counts are {glue:text}`bench_m43_equal`.  Wall time on a shared machine includes other work
# (the load average above); CPU time is what one thread spent.
