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

from tinymech.benchmarks import BOOK_BENCHMARKS
from tinymech.report import Table, glue
from tinymech.stats import format_number

benchmarks = json.loads(BOOK_BENCHMARKS.read_text())
machine = benchmarks["machine"]
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
# {doc}`m4_3_symmetries`).  Their only error is rounding, estimated as the change of their result under
# random neuron rescalings (which leave the model's function unchanged), floored at float64's machine epsilon.
# Sampling's mean squared error is $p(1-p)/n$ for $n$ samples, so the number of samples that matches the exact
# method is $p(1-p)/\mathrm{MSE}$.

# %% tags=["hide-input"]
rows = []
for name, label in (("m2_2", "M2,2"), ("m4_3", "M4,3")):
    if f"{name}_exact" not in benchmarks:
        continue
    exact = benchmarks[f"{name}_exact"]
    rows.append(
        [
            label,
            format_number(1000 * exact["seconds"], 2) + " ms",
            format_number(exact["samples_in_exact_time"], 2),
            format_number(exact["numerical_rms_error"], 2),
            format_number(exact["samples_to_match_mean_squared_error"], 2),
            format_number(exact["sampling_seconds_to_match"] / (3600 * 24 * 365), 2) + " years",
        ]
    )
exact = benchmarks["m2_2_exact"]
glue("bench_exact_ms", format_number(1000 * exact["seconds"], 2))
glue("bench_samples_in_exact_time", format_number(exact["samples_in_exact_time"], 2))
glue("bench_samples_to_match", format_number(exact["samples_to_match_mean_squared_error"], 2))
glue(
    "bench_sampling_years",
    format_number(exact["sampling_seconds_to_match"] / (3600 * 24 * 365), 2),
)
Table(
    [
        "model",
        "exact computation",
        "samples drawn in that time",
        "its rounding error (rms)",
        "samples to match that error",
        "sampling time to match",
    ],
    rows,
)

# %% [markdown]
# The exact M2,2 computation takes {glue:text}`bench_exact_ms` ms; in that time sampling draws about
# {glue:text}`bench_samples_in_exact_time` sequences, while matching the exact method's mean squared error would
# take {glue:text}`bench_samples_to_match` samples, about {glue:text}`bench_sampling_years` years of sampling on
# the same core.
