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
# Speed is measured by a benchmark, not asserted in tests.  `make bench` (or `tinymech bench`) runs it and
# writes `book/benchmarks.json`; this page shows the committed file, so the figures below are those of the
# machine named in it, not of the machine that built this page.  The benchmark measures training throughput
# at one thread with AlgZoo's batch of 1024 sequences, the time of the exact M2,2 accuracy computation, and the
# number of samples random sampling would need to reach the exact method's mean squared error
# {cite}`arc2026algzoo`.

# %%
import json
from importlib.resources import files
from pathlib import Path

import tinymech
from tinymech.report import glue

benchmarks = json.loads((Path(tinymech.__file__).parents[2] / "book" / "benchmarks.json").read_text())
print(json.dumps(benchmarks["machine"], indent=1))
print("(a load average above the number of cores means other work shared the machine during the run)")

# %% [markdown]
# ## Training throughput
#
# Sequences per second of AlgZoo's training step (forward, backward, AdamW) at one thread:

# %%
for name, rate in benchmarks["training_sequences_per_second"].items():
    print(f"{name:>7}: {rate:>12,.0f} sequences/s  ->  AlgZoo's 2^30 sequences in {2**30 / rate / 60:5.1f} min")

# %% [markdown]
# ## Exact M2,2 accuracy versus sampling
#
# The exact method integrates over the sectors of the input plane (chapter on M2,2).  Its error is only
# rounding, estimated as the change of its result under random neuron rescalings (which leave the model's
# function unchanged), floored at float64's machine epsilon.  Sampling's mean squared error is $p(1-p)/n$
# for $n$ samples, so the number of samples that matches the exact method is $p(1-p)/\mathrm{MSE}$.

# %%
exact = benchmarks["m2_2_exact"]
glue("bench_exact_ms", 1000 * exact["seconds"])
glue("bench_samples_to_match", exact["samples_to_match_mean_squared_error"])
glue("bench_sampling_years", exact["sampling_seconds_to_match"] / (3600 * 24 * 365))
glue("bench_samples_in_exact_time", exact["samples_in_exact_time"])
print(f"exact accuracy           : {exact['accuracy']:.12f}")
print(f"exact computation        : {1000 * exact['seconds']:.2f} ms")
print(f"numerical error (rms)    : {exact['numerical_rms_error']:.1e}")
print(f"samples to match its MSE : {exact['samples_to_match_mean_squared_error']:.2e}")
print(f"sampling time to match   : {exact['sampling_seconds_to_match'] / (3600 * 24 * 365):.2e} years at "
      f"{1e9 * exact['sampling_seconds_per_sample']:.0f} ns per sample")
print(f"samples drawn in the exact method's time: {exact['samples_in_exact_time']:,.0f}")

# %% [markdown]
# The exact computation takes {glue:text}`bench_exact_ms:.1f` ms; in that time sampling draws about
# {glue:text}`bench_samples_in_exact_time:,.0f` sequences, while matching the exact method's mean squared
# error would take {glue:text}`bench_samples_to_match:.1e` samples, about
# {glue:text}`bench_sampling_years:.1e` years of sampling on the same core.
