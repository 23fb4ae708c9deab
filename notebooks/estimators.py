# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation: {extension: .py, format_name: percent}
#   kernelspec: {display_name: Python 3, language: python, name: python3}
# ---

# %% tags=["remove-cell"]
# On Colab or Binder (and only there) install the package first; locally `make book` has installed it.
import os
import sys

if "google.colab" in sys.modules or "BINDER_SERVICE_HOST" in os.environ:
    import subprocess

    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "tinymech @ git+https://github.com/tiny-mechanisms/tiny-mechanisms"], check=True)

# %% [markdown]
# # Estimators versus sampling
#
# ARC's AlgZoo post {cite}`arc2026algzoo` proposes to judge an explanation of a model by a number: a
# *mechanistic estimate* of the model's accuracy, computed from its weights, is scored by its mean squared
# error as a function of compute, against random sampling.  It reports that two such estimates of M4,3,
# in Hilton's notes {cite}`hilton2024heuristic`, "roughly match the computational efficiency of sampling",
# and it poses as a challenge an estimate of M16,10 that matches sampling.  ARC publishes no harness for
# this measure.  This chapter builds one and uses it on M4,3:
#
# 1. the measure: noisy-weight ensembles, exact references, estimators with operation counts, and the
#    curve of mean squared error (MSE) versus compute, with bias and variance (`tinymech.algzoo.estimation`,
#    `tinymech.algzoo.noise`);
# 2. the exact method of the {doc}`m4_3_symmetries` chapter as an estimator, made fast enough that its
#    point on the curve is where it could be (`tinymech.algzoo.exact.cones`);
# 3. ARC's two M4,3 estimators, rebuilt from the description of Hilton's notes
#    (`tinymech.algzoo.arc_estimators`), on the M4,3 trained here and on ARC's handcrafted M4,3;
# 4. Hilton's numbers next to ours, and where each estimator crosses sampling.
#
# Every later estimator, starting with those of M16,10 at the end of this chapter, is judged by the same
# code.
#
# **Where the numbers of Hilton's notes come from.**  The notes are a PDF kept in a reader's fork of
# alg-zoo, which cannot be read where this book is built.  Their "3% RMS error" is quoted by the reader's
# notes in that fork {cite}`mrsirrisrm2026notes`.  Every other number attributed to the notes here (256
# noisy models at noise 0.05; about 71,000 operations for the original estimate; about 5% and 7,680
# operations for the second; 72 operations per sample; sampling's 0.8% and 2.3% at equal compute;
# $q = 0.2$; 18, 56 and 28 volumes) comes from a summary of the notes written for this project and has not
# been checked against the PDF.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import torch

from tinymech.algzoo.arc_estimators import (
    GATE_SIGN_PATTERNS,
    original_assumptions,
    paired_standard_form,
    study_weights,
    summarize_study,
)
from tinymech.algzoo.estimation import METHODS, estimate, forward_operations, volume_operations
from tinymech.registry import load
from tinymech.report import Claim, Criterion, Measurement, between, claims_table, glue, not_tested, within
from tinymech.stats import format_estimate, format_number

torch.set_num_threads(1)
np.set_printoptions(precision=3, suppress=True)
MODELS = {"m4_3": "M4,3 trained here", "handcrafted_3": "ARC's handcrafted M4,3"}
COLOURS = {"sampling": plt.cm.viridis(0.05), "exact": plt.cm.viridis(0.85),
           "arc_original": plt.cm.viridis(0.35), "arc_symmetric_reduction": plt.cm.viridis(0.6)}
LABELS = {"exact": "exact (clipping)", "arc_original": "ARC original",
          "arc_symmetric_reduction": "ARC symmetric reduction"}
MARKERS = {"exact": "D", "arc_original": "s", "arc_symmetric_reduction": "^"}
studies = {name: load(f"estimators/{name}_noisy") for name in MODELS}
summaries = {name: summarize_study(payload) for name, (payload, _) in studies.items()}
timing, _ = load("estimators/exact_timing")
PER_SAMPLE = forward_operations(4, 3)

# %% [markdown]
# ## The measure
#
# ARC states the measure in one sentence: "we simply look at mean squared error as a function of compute,
# which allows us to compare the estimate with sampling" {cite}`arc2026algzoo`.  Its footnotes say how to
# get the error without knowing the answer for many models: "add noise to the model's weights (enough to
# significantly alter the model's accuracy) and check the squared error of the method on average over the
# choice of noisy model", or, "better but more expensive", average "over random seeds used to train the
# model".  The harness follows that recipe:
#
# - **Ensembles** (`tinymech.algzoo.noise`): `noisy_ensemble(weights, sigma, count, seed=...)` draws
#   zero-mean Gaussian noise of standard deviation `sigma` on every weight from one seeded generator;
#   `seed_ensemble(result_names)` collects models trained from different seeds (the five M16,10 seeds of the
#   {doc}`m16_10` chapter).  Only one trained M4,3 is committed, so this chapter uses the noisy recipe.
# - **References**: the exact accuracy of every model where the sequence length allows (2 and 3), else a
#   sampled one with its standard error, whose mean square is reported beside every MSE.
# - **Estimators**: each returns its estimate, its operations (multiply-adds, by the rule below) and its
#   wall time on one thread.  The registered ones:

# %%
for name, method in METHODS.items():
    lengths = "any" if method.lengths is None else ", ".join(map(str, method.lengths))
    kind = "mechanistic" if method.mechanistic else "samples"
    print(f"{name:24s} lengths {lengths:7s} {kind:12s} {method.description}")

# %% [markdown]
# - **Counting rule**, ARC's where Hilton's notes give one: a sample of M4,3 is one forward pass,
#   $3 \cdot 4 \cdot (4 + 1) + 3 \cdot 4 =$ {glue:text}`est_per_sample` multiply-adds; the solid angle of an
#   intersection of $k$ half-spaces costs $5k^3$; linear algebra counts its multiply-adds, and a division,
#   square root or elementary function counts 10.  The exact method, which clips polygons instead of
#   computing volumes from scratch, counts 3 per test of a vertex against a plane, 12 per new vertex and 25
#   per vertex of an area.
# - **The curve**: for each method and budget, the MSE over the ensemble with its standard error, and its
#   split into squared bias and variance.  Sampling's MSE has a closed form, the mean of $p(1-p)/k$ over the
#   models for $k$ samples, which the harness checks against sampling run for real.
#
# A single call estimates one model; `tinymech estimate MODEL --method NAME --json` does the same from the
# command line, for a named model or any AlgZoo `.pth` file:

# %%
clean = {name: study_weights(name) for name in MODELS}
for name, weights in clean.items():
    for method in ("arc_original", "arc_symmetric_reduction", "exact"):
        result = estimate(weights, method)
        print(f"{MODELS[name]:24s} {method:24s} estimate {result.estimate:.4f}   operations {result.operations:,}")

# %% tags=["remove-cell"]
glue("est_per_sample", PER_SAMPLE)

# %% [markdown]
# On the clean models the original estimate is close (ARC designed it on a model like these), the
# symmetric reduction is exact on ARC's handcrafted model, which has the reduced form exactly, and misses
# the trained model by a few percent.  The exact method is exact, at a fraction of the original estimate's
# operations.
#
# ## The exact method as an estimator
#
# The {doc}`m4_3_symmetries` chapter computes M4,3's exact accuracy by enumerating linear regions with
# linear programs.  As an estimator that method is slow, and its cost is dominated by the linear programs,
# not by arithmetic on the weights.  `tinymech.algzoo.exact.cones` computes the same number without them:
# step 1 of the RNN depends on $x_0$ only, step 2 on $(x_0, x_1)$ only, so the input plane $(x_0, x_1)$ is
# cut into wedges by sorting angles, each wedge times the $x_2$ axis is a lune of the sphere, and from
# there every step-3 neuron, every ordering of the inputs and every comparison of logits clips the lune's
# spherical polygons (Sutherland and Hodgman's algorithm on the sphere, all polygons of a level in one
# batch).  Areas come from triangles around each polygon's centroid.

# %%
names = timing["models"]
speed = timing["linear_program_seconds"] / timing["clipping_seconds"]
print("model            clipping     linear programs   speed-up   operations   |difference|")
for k, name in enumerate(names):
    print(f"{name:15s} {1e3 * timing['clipping_seconds'][k]:7.1f} ms   {timing['linear_program_seconds'][k]:9.2f} s"
          f"   {speed[k]:9.0f}   {int(timing['operations'][k]):10,}   {abs(timing['difference'][k].item()):.0e}")

# %% tags=["remove-cell"]
trained_index, handcrafted_index = names.index("m4_3"), names.index("handcrafted_3")
glue("est_clip_ms", 1e3 * timing["clipping_seconds"][trained_index].item(), digits=2)
glue("est_lp_s", timing["linear_program_seconds"][trained_index].item(), digits=2)
glue("est_speedup", format_number(speed[trained_index].item(), 2))
glue("est_clip_ops", format_number(timing["operations"][trained_index].item(), 2))
glue("est_hc_difference", format_number(abs(timing["difference"][handcrafted_index].item()), 1))
exact_ops = summaries["m4_3"]["methods"]["exact"].operations
glue("est_exact_ops_noisy", format_number(exact_ops, 2))
glue("est_exact_ms_noisy", 1e3 * summaries["m4_3"]["methods"]["exact"].seconds, digits=2)

# %% [markdown]
# On the trained M4,3 the clipping method takes {glue:text}`est_clip_ms` ms against {glue:text}`est_lp_s` s
# for linear programs (best of several runs, one thread; a speed-up of {glue:text}`est_speedup`), for
# {glue:text}`est_clip_ops` operations; over the noisy models below it averages
# {glue:text}`est_exact_ops_noisy` operations and {glue:text}`est_exact_ms_noisy` ms (median, on a shared
# machine).  The two methods agree to $10^{-12}$ on trained, handcrafted and random models (the tests
# check it), with one exception: on ARC's handcrafted M4,3 at $\lambda = 100$ they differ by
# {glue:text}`est_hc_difference`, all of it in two thin slivers of the sphere whose nearby vertices the
# linear-program method merges; uniform points inside the slivers side with clipping (a test checks it).  The book's exact accuracy for sequence length 3 now comes from clipping; the
# linear-program method stays for the regions and the sphere map of the {doc}`m4_3_symmetries` chapter.
#
# ## ARC's two estimators, rebuilt
#
# Both estimators start from the same picture of M4,3 after ARC's standardization ($|W_{hi}| = 1$): two
# neurons with positive input weight, each paired with one with negative input weight, so that the four
# pre-activations behave like $(u, v, -v, -u)$.  Hilton's notes use the pairing through
# $U = \begin{pmatrix}1&0&0&-1\\0&1&-1&0\end{pmatrix}$ and $V = \begin{pmatrix}1&0&0&1\\0&1&1&0\end{pmatrix}$.
# Nothing is copied from the notes; the code follows their description, and where the description leaves a
# choice open the choice is ours and is listed.
#
# **Original version.**  After step 1, $h_1$ is one of two linear maps of $x_0$.  Step 2's pre-activation
# is $a x_0 + c x_1$ for $x_0 > 0$ and $b x_0 + c x_1$ for $x_0 < 0$; averaging paired coefficients
# ($a_3 \approx -a_0$, $a_2 \approx -a_1$, the same for $b$ and $c$) and $a \approx b$ leaves 4 regions of
# $(x_0, x_1)$, the signs of $u = \alpha x_0 + x_1$ and $v = \beta x_0 + x_1$, on which $h_2$ is linear.
# The 6 orderings of the inputs cut them into 18 nonempty subregions (volumes of 4 half-spaces), 4 of which
# are scored at chance, 1/3.  In the other 14, the probability $p_i$ that step-3 neuron $i$ is on is a
# ratio of volumes (4 volumes of 5 half-spaces each), and the gates are replaced by
# $G_i = p_i + \sqrt{p_i(1-p_i)}\,(Z - q)/\sqrt{q(1-q)}$ with one latent $Z \sim \text{Bernoulli}(q = 0.2)$,
# independent of the inputs: the mean and variance of a 0/1 gate.  For each value of $Z$ the logits are
# linear, and the label wins on a cone of 6 half-spaces (2 volumes per subregion).  By ARC's rule the
# $18 + 56 + 28$ volumes cost {glue:text}`est_volume_ops` operations; our count adds the linear algebra
# around them.
#
# Choices we made:
#
# - the pairing of positive- and negative-input neurons: of the two possible, the one for which $W_{hh}$ is
#   closest to the form $U^\top W' U$;
# - the averages are taken on the standardized weights, where $c = W_{hi} = (1, 1, -1, -1)$ exactly;
# - the 4 "unlikely" subregions: the two thin regions where $u$ and $v$ differ in sign straddle the
#   diagonal $x_0 = x_1$, one where both inputs are positive and one where both are negative; the unlikely
#   subregions are those where $x_2$ lies beyond both on the same side (largest in the positive one,
#   smallest in the negative one);
# - every gate increases with $Z$ (the description gives no signs; other sign patterns are compared below);
# - volumes are computed exactly (spherical polygons), not by a volume algorithm of cost $5k^3$; the
#   operation count is ARC's rule for the volumes all the same.
#
# **Symmetric reduction** (the notes' version "based on George's approach").  Least squares gives
# $W_{hi} \approx U^\top W'_{hi}$, $W_{hh} \approx U^\top W'_{hh} U$, $W_{oh} \approx W'_{oh} V$.  Since
# $U\,\mathrm{ReLU}(U^\top r) = r$, the reduced network $r_{t+1} = W'_{hh} r_t + W'_{hi} x_t$ is linear and
# is propagated exactly.  The residual weights enter as noise $n_t$ on the pre-activations: the ReLU of the
# residual is approximated by multiplying it by the probability that the pre-activation is positive (1/2,
# everything being treated as zero-mean Gaussian), and the noise is presumed independent of the reduced
# state, so only its covariance is propagated.  The logits are $W_{oh}\,\mathrm{ReLU}(U^\top r_3)$ plus
# Gaussian noise; the estimate sums, over the 4 sign regions of $r_3$ and the 6 orderings, the probability
# that the label's logit wins: 24 cones in the 6 dimensions of inputs and logit noise.
#
# Choices we made:
#
# - the noise covariance uses the exact second moment of $\mathrm{ReLU}(U^\top r_t)$ for Gaussian $r_t$;
# - the readout uses the actual $W_{oh}$ on the reduced hidden state (its residual is then exact, not noise);
# - the 24 probabilities are computed by Genz's algorithm (scipy, {glue:text}`est_genz_points` quasi-random
#   points, fixed seed)
#   after cutting each cone into simplicial ones, where the notes sampled; on an exactly reduced model the
#   noise vanishes and the cones are measured exactly.
#
# Each of the 24 cones has 6 half-spaces (2 signs, 2 orderings, 2 logit comparisons), so ARC's rule gives
# {glue:text}`est_reduction_volume_ops` operations for the volumes, not the notes' 7,680, which is
# $24 \times 5 \times 4^3$: 24 volumes of 4 half-spaces.  We could not find a reading of the description in
# which the 24 cones have 4 half-spaces; the reproduction table shows both counts.

# %% tags=["remove-cell"]
glue("est_volume_ops", format_number(18 * volume_operations(4) + 56 * volume_operations(5)
                                     + 28 * volume_operations(6), 2))
glue("est_reduction_volume_ops", format_number(24 * volume_operations(6), 3))
glue("est_genz_points", f"{studies['m4_3'][1]['genz_points']:,}")
glue("est_count", studies["m4_3"][1]["count"])
glue("est_sigma", f"{studies['m4_3'][1]['sigma']:g}")

# %% [markdown]
# ## The trained M4,3 is not ARC's
#
# The estimators were designed on ARC's M4,3.  The model trained here was trained with AlgZoo's recipe
# (the {doc}`m4_3_symmetries` chapter); does it have the signs and near-equalities they assume?  After
# standardization and pairing:

# %%
for name, weights in clean.items():
    paired = paired_standard_form(weights).weights
    facts = original_assumptions(weights)
    deviations = {k: v for k, v in facts.items() if " = " in k}
    print(f"{MODELS[name]}: W_hi = {paired.W_hi.astype(int).tolist()}")
    print(f"  signs of W_hh rows: {np.sign(paired.W_hh).astype(int).tolist()}")
    print(f"  signs of W_oh rows: {np.sign(paired.W_oh).astype(int).tolist()}")
    print(f"  largest relative deviation from the 8 equalities: {max(deviations.values()):.2g} "
          f"({max(deviations, key=deviations.get)}); pairing residual of W_hh: {facts['pairing residual']:.2g}")

# %% tags=["remove-cell"]
trained_facts = original_assumptions(clean["m4_3"])
trained_deviation = max(v for k, v in trained_facts.items() if " = " in k)
glue("est_trained_deviation", f"{100 * trained_deviation:.0f}%")
glue("est_trained_residual", f"{100 * trained_facts['pairing residual']:.0f}%")
same_signs = all(np.array_equal(np.sign(paired_standard_form(clean["m4_3"]).weights.W_hh[i]),
                                np.sign(paired_standard_form(clean["handcrafted_3"]).weights.W_hh[i]))
                 for i in range(4))
glue("est_same_signs", "the same" if same_signs else "not the same")

# %% [markdown]
# The sign patterns are {glue:text}`est_same_signs` as in ARC's handcrafted model: two positive and two
# negative input weights, and the recurrent and readout signs that make the pairs behave like
# $(u, v, -v, -u)$.  The equalities the original version assumes hold exactly in ARC's handcrafted model
# and to within {glue:text}`est_trained_deviation` in the trained one; the part of $W_{hh}$ outside the
# reduced form is {glue:text}`est_trained_residual` of it.  So both estimators apply to the trained model,
# and where an equality fails they average anyway: the error shows up as bias.  (Where the sign pattern
# itself fails, with other than two positive and two negative input weights, both refuse the model with an
# error; no noisy model below comes near that.)
#
# Which approximation costs what?  Switching the original version's approximations on one at a time on the
# noisy models of each ensemble below (exact step 3 first, then the 4 subregions at chance, then the latent
# gates):

# %%
print("RMS error (bias) of the original version as its approximations are switched on")
print(f"{'':44s}" + "".join(f"{MODELS[n]:>30s}" for n in MODELS))
rows = [("step 2 averaged, rest exact", lambda s: s["parts"]["averaged"]),
        ("+ 4 subregions at chance", lambda s: s["parts"]["averaged_chance"]),
        ("+ latent gates (the original version)",
         lambda s: (s["methods"]["arc_original"].rms, s["methods"]["arc_original"].bias))]
for label, get in rows:
    cells = [get(summaries[n]) for n in MODELS]
    print(f"{label:44s}" + "".join(f"{100 * r:20.1f}% ({100 * b:+.1f}%)" for r, b in cells))

# %% tags=["remove-cell"]
parts = summaries["m4_3"]["parts"]
glue("est_parts_averaged", f"{100 * parts['averaged'][0]:.1f}%")
glue("est_parts_gates", f"{100 * summaries['m4_3']['methods']['arc_original'].rms:.1f}%")

# %% [markdown]
# On the trained model, averaging step 2 alone costs {glue:text}`est_parts_averaged` RMS; the latent gates
# bring it to {glue:text}`est_parts_gates`, with a positive bias: most of the error is the gate
# approximation, not the symmetry it assumes.
#
# ## Mean squared error versus compute
#
# Both ensembles have {glue:text}`est_count` noisy models with Gaussian noise of standard deviation
# {glue:text}`est_sigma` on every weight, Hilton's setting; the references are exact.  ARC asks for noise "enough to significantly alter the
# model's accuracy":

# %%
for name, summary in summaries.items():
    p = summary["accuracy"]
    print(f"{MODELS[name]:24s} clean accuracy {summary['clean']:.4f}; noisy models {p.mean():.3f} "
          f"(standard deviation {p.std():.3f}); RMS of sqrt(p (1 - p)) {math.sqrt(np.mean(p * (1 - p))):.3f}")

# %% tags=["remove-cell"]
for name, summary in summaries.items():
    p = summary["accuracy"]
    glue(f"est_{name}_noisy_mean", f"{p.mean():.2f}")
    glue(f"est_{name}_sqrtpq", f"{100 * math.sqrt(np.mean(p * (1 - p))):.0f}%")

# %% [markdown]
# The trained model keeps most of its accuracy (mean {glue:text}`est_m4_3_noisy_mean`); ARC's handcrafted
# model, whose accuracy rests on weights of size 100 cancelling to about 1, falls to
# {glue:text}`est_handcrafted_3_noisy_mean`.  The RMS of $\sqrt{p(1-p)}$, which sets sampling's error, is
# {glue:text}`est_m4_3_sqrtpq` and {glue:text}`est_handcrafted_3_sqrtpq` (Hilton's ensemble: about 24%).

# %% tags=["hide-input"]
def mse_figure(axis_of, xlabel: str):
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.4), sharey=True)
    for ax, (model, summary) in zip(axes, summaries.items()):
        curve = summary["sampling"]
        x = axis_of(summary, "sampling")
        ax.plot(x, summary["sampling_predicted"], color=COLOURS["sampling"], lw=1, ls="--",
                label="sampling, mean p(1-p)/k")
        ax.errorbar(x, curve.mse, yerr=2 * curve.mse_standard_error, fmt="o", ms=3, color=COLOURS["sampling"],
                    label="sampling, measured ± 2 SE")
        for method in ("arc_original", "arc_symmetric_reduction"):
            m = summary["methods"][method]
            ax.errorbar([axis_of(summary, method)], [m.mse], yerr=[2 * m.mse_standard_error], fmt=MARKERS[method],
                        ms=7, color=COLOURS[method], label=LABELS[method])
        ax.axvline(axis_of(summary, "exact"), color=COLOURS["exact"], lw=2, ls=":", label="exact: zero error")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_title(MODELS[model], fontsize=10)
        ax.grid(alpha=0.3, which="both", lw=0.5)
    axes[0].set_ylabel(f"mean squared error over {len(summaries['m4_3']['accuracy'])} models")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.14, 1, 1))
    return fig


def operations_of(summary, method):
    return summary["sampling"].operations if method == "sampling" else summary["methods"][method].operations


def seconds_of(summary, method):
    return summary["sampling"].seconds if method == "sampling" else summary["methods"][method].seconds


fig = mse_figure(operations_of, "operations per model (multiply-adds)")
glue("est_mse_operations", fig)
plt.close(fig)
fig = mse_figure(seconds_of, "seconds per model (one thread)")
glue("est_mse_seconds", fig)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} est_mse_operations
# :name: fig-est-mse-operations
# :alt: Two log-log panels, one per model, of mean squared error against operations. Sampling's points fall on a dashed line of slope minus one; the square of ARC's original estimate and the triangle of its symmetric reduction lie above that line; a dotted vertical line marks the exact method's cost.
#
# MSE versus compute on the noisy models of each ensemble (Gaussian noise on every weight).  Sampling (dots, measured, with
# 2 SE; dashed, the closed form) falls as $1/k$.  ARC's two estimators (square and triangle) each cost a
# fixed number of operations; a point above the dashed line loses to sampling at equal compute.  The
# exact method (dotted line) has zero error at the cost marked: to its right nothing beats it.
# ```
#
# ```{glue:figure} est_mse_seconds
# :name: fig-est-mse-seconds
# :alt: The same two panels with seconds per model on the horizontal axis. Sampling's points start at a few milliseconds and stay flat before falling; the estimators' points sit between a few milliseconds and a fraction of a second.
#
# The same comparison in wall time on one thread of a shared machine (so the times are noisy).  Sampling's
# first points do not fall: its fixed cost per call (building the model, drawing the inputs) is a few
# milliseconds whatever the number of samples.  The symmetric reduction is slow in time because Genz's algorithm, which stands in
# for a volume algorithm here, is far more expensive than ARC's count assumes.
# ```

# %% [markdown]
# The numbers of Hilton's notes next to ours.  "Sampling at equal compute" is the RMS error of sampling
# with the estimator's operations, $\sqrt{\overline{p(1-p)}/k}$; "ratio" is the estimator's RMS error over
# that, and "compute ratio" the estimator's operations over what sampling needs for the same MSE (below
# 1 beats sampling).

# %%
HILTON = {"arc_original": {"rms": "~3%", "operations": "~71,000", "sampling": "~0.8%"},
          "arc_symmetric_reduction": {"rms": "~5%", "operations": "~7,680", "sampling": "~2.3%"}}
print(f"{'':28s}{'quantity':22s}{'Hilton':>10s}" + "".join(f"{MODELS[n]:>26s}" for n in MODELS))
for method in ("arc_original", "arc_symmetric_reduction"):
    ours = [summaries[n]["methods"][method] for n in MODELS]
    lines = [("RMS error", HILTON[method]["rms"], [format_estimate(100 * m.rms, 100 * m.rms_standard_error) + "%"
                                                   for m in ours]),
             ("bias", "", [format_estimate(100 * m.bias, 100 * m.bias_standard_error) + "%" for m in ours]),
             ("operations", HILTON[method]["operations"], [f"{m.operations:,.0f}" for m in ours]),
             ("sampling at equal compute", HILTON[method]["sampling"],
              [f"{100 * m.versus_sampling['sampling_rms']:.2f}%" for m in ours]),
             ("ratio (RMS)", "~2", [f"{m.versus_sampling['rms_ratio']:.1f}" for m in ours]),
             ("compute ratio", "~4", [f"{m.versus_sampling['compute_ratio']:.0f}" for m in ours])]
    for k, (quantity, theirs, values) in enumerate(lines):
        print(f"{LABELS[method] if k == 0 else '':28s}{quantity:22s}{theirs:>10s}" + "".join(f"{v:>26s}" for v in values))
exact = summaries["m4_3"]["methods"]["exact"]
print(f"{'exact (clipping)':28s}{'RMS error':22s}{'':>10s}" + "".join(f"{'0':>26s}" for n in MODELS))
print(f"{'':28s}{'operations':22s}{'':>10s}" + "".join(f"{summaries[n]['methods']['exact'].operations:>26,.0f}"
                                                      for n in MODELS))

# %% tags=["remove-cell"]
for name, summary in summaries.items():
    for method in ("arc_original", "arc_symmetric_reduction"):
        m = summary["methods"][method]
        short = "orig" if method == "arc_original" else "red"
        glue(f"est_{name}_{short}_rms", format_estimate(100 * m.rms, 100 * m.rms_standard_error) + "%")
        glue(f"est_{name}_{short}_bias", format_estimate(100 * m.bias, 100 * m.bias_standard_error) + "%")
        glue(f"est_{name}_{short}_ratio", f"{m.versus_sampling['rms_ratio']:.1f}")
        glue(f"est_{name}_{short}_compute", format_number(m.versus_sampling["compute_ratio"], 2))
        glue(f"est_{name}_{short}_samples", format_number(m.versus_sampling["equivalent_samples"], 2))
        glue(f"est_{name}_{short}_crossing", format_number(m.versus_sampling["equivalent_samples"] * PER_SAMPLE, 2))
    glue(f"est_{name}_exact_samples", format_number(summary["methods"]["exact"].operations / PER_SAMPLE, 2))
glue("est_orig_ops", f"{summaries['m4_3']['methods']['arc_original'].operations:,.0f}")
handcrafted_ops = studies["handcrafted_3"][0]["arc_original"]["operations"].numpy()[1:]
glue("est_hc_more_subregions", int(np.sum(handcrafted_ops > handcrafted_ops.min())))
glue("est_hc_models", len(handcrafted_ops))

# %% [markdown]
# **Where each estimator crosses sampling.**  An estimator of fixed cost is one point; sampling is a line.
# Sampling reaches the original version's MSE with {glue:text}`est_m4_3_orig_samples` samples on the
# trained model ({glue:text}`est_m4_3_orig_crossing` operations) and {glue:text}`est_handcrafted_3_orig_samples`
# on ARC's ({glue:text}`est_handcrafted_3_orig_crossing` operations), against the {glue:text}`est_orig_ops`
# the estimate costs:
# its compute ratio is {glue:text}`est_m4_3_orig_compute` and {glue:text}`est_handcrafted_3_orig_compute`.
# The symmetric reduction is matched by {glue:text}`est_m4_3_red_samples` and
# {glue:text}`est_handcrafted_3_red_samples` samples (compute ratios {glue:text}`est_m4_3_red_compute` and
# {glue:text}`est_handcrafted_3_red_compute`).  Neither crosses sampling: at their own cost sampling is
# more accurate, on both models.  The exact method costs as much as {glue:text}`est_m4_3_exact_samples`
# samples on the trained model and {glue:text}`est_handcrafted_3_exact_samples` on ARC's, and from there
# on it beats sampling at every budget, with zero error.
#
# We do not reproduce the original version's 3%: on the trained model its RMS error is
# {glue:text}`est_m4_3_orig_rms` with bias {glue:text}`est_m4_3_orig_bias`, on ARC's handcrafted model
# {glue:text}`est_handcrafted_3_orig_rms`.  The symmetric reduction lands near its 5% on both models
# ({glue:text}`est_m4_3_red_rms` with bias {glue:text}`est_m4_3_red_bias` on the trained one,
# {glue:text}`est_handcrafted_3_red_rms` on ARC's), but at more operations than the notes count, so it
# still loses to sampling at equal compute.  Our ensembles are not Hilton's: his model is AlgZoo's M4,3,
# which we cannot download, and the RMS of $\sqrt{p(1-p)}$ of his ensemble was about 24%, of ours
# {glue:text}`est_m4_3_sqrtpq` and {glue:text}`est_handcrafted_3_sqrtpq`.
#
# On ARC's handcrafted model the original version's count of operations varies: in
# {glue:text}`est_hc_more_subregions` of its {glue:text}`est_hc_models` noisy models the noise moves
# $\alpha$ and $\beta$ to the same side of $-1$, so that the thin regions no longer straddle the diagonal;
# then only 2 subregions are unlikely by our rule, and 16 are computed instead of 14.
#
# ## Bias, variance and the gate signs
#
# The MSE of each estimate splits into its squared bias and the variance of its error over models; and the
# original version's one free choice with a large effect is the signs with which the gates follow $Z$:

# %%
for name, summary in summaries.items():
    print(MODELS[name])
    for method in ("arc_original", "arc_symmetric_reduction"):
        m = summary["methods"][method]
        print(f"  {LABELS[method]:26s} MSE {m.mse:.2e} = bias^2 {m.bias ** 2:.2e} + variance {m.spread ** 2:.2e}")
    print("  original version, gate signs (+ follows Z, - opposes it):")
    for pattern, m in summary["gate_signs"].items():
        signs = "".join("+" if s > 0 else "-" for s in pattern)
        chosen = "  <- used" if pattern == GATE_SIGN_PATTERNS[0] else ""
        error = m.clean - summary["clean"]
        print(f"    {signs}  RMS {100 * m.rms:4.1f}%  bias {100 * m.bias:+5.1f}%  clean model off by "
              f"{100 * error:+6.2f}%{chosen}")

# %% tags=["remove-cell"]
pattern = (1, 1, -1, -1)
glue("est_signs_rms", f"{100 * summaries['m4_3']['gate_signs'][pattern].rms:.1f}%")
glue("est_signs_clean", f"{100 * abs(summaries['handcrafted_3']['gate_signs'][pattern].clean - summaries['handcrafted_3']['clean']):.0f}%")

# %% [markdown]
# The signs were chosen before any of these numbers were computed (all gates follow $Z$).  Letting the two
# halves of each pair oppose $Z$ ($++--$), which the $(u, v, -v, -u)$ picture suggests, brings the
# original version on the trained ensemble to {glue:text}`est_signs_rms`, Hilton's 3%; but it also moves
# the estimate for ARC's clean handcrafted model {glue:text}`est_signs_clean` away from its exact accuracy.
# Picking the sign pattern after seeing the errors would be fitting the estimator to the ensemble, so the
# verdicts below use the pattern chosen first.

# %% [markdown]
# ## M16,10: ARC's open challenge
#
# *(Part 2 of this chapter: the estimators of M16,10, measured with the same harness.  This section is
# filled by the M16,10 estimators' work; until then it is a marked place.)*

# %% tags=["remove-cell"]
m16_rows: list = []  # part 2 adds its claims rows here

# %% [markdown]
# ## Claims and verdicts
#
# Each criterion is stated from the claim before looking at the number: "about $x$" is reproduced within a
# factor 1.5 of $x$ (partly: within a factor 2); operation counts within 10%; "roughly match the
# computational efficiency of sampling" means an RMS error at most twice sampling's at equal compute
# (partly: at most 4 times).  Rows marked with the reader's notes quote the notes' number from there; the
# others' numbers are as summarised (see the introduction).

# %% tags=["remove-input"]
HILTON_KEY, ARC = "hilton2024heuristic", "arc2026algzoo"


def about(target: float, what: str) -> dict:
    return {"criterion": between(target / 1.5, 1.5 * target, description=f"within a factor 1.5 of {what}"),
            "partial": between(target / 2, 2 * target, description="within a factor 2")}


def rms_measurement(m) -> Measurement:
    return Measurement(m.rms, m.rms_standard_error,
                       text=format_estimate(100 * m.rms, 100 * m.rms_standard_error) + "%")


rows = []
for name, label in MODELS.items():
    orig = summaries[name]["methods"]["arc_original"]
    red = summaries[name]["methods"]["arc_symmetric_reduction"]
    rows.append(Claim(f"original estimate: RMS error over {len(summaries[name]['accuracy'])} noisy models ({label})",
                      f"{HILTON_KEY},mrsirrisrm2026notes", "\"3% RMS error\" (quoted in the reader's notes)",
                      rms_measurement(orig), **about(0.03, "3%"),
                      note=f"noise {studies[name][1]['sigma']:g} on every weight"))
    rows.append(Claim(f"symmetric reduction: RMS error ({label})", HILTON_KEY, "~5% (as summarised)",
                      rms_measurement(red), **about(0.05, "5%")))
    rows.append(Claim(f"sampling's error at the original estimate's compute ({label})", HILTON_KEY,
                      "~0.8% (as summarised)",
                      Measurement(orig.versus_sampling["sampling_rms"],
                                  text=f"{100 * orig.versus_sampling['sampling_rms']:.2f}%"), **about(0.008, "0.8%")))
    best = min((orig, red), key=lambda m: m.versus_sampling["rms_ratio"])
    rows.append(Claim(f"the estimates roughly match sampling's efficiency ({label})", ARC,
                      "\"We find that we are able to roughly match the computational efficiency of sampling\"",
                      Measurement(best.versus_sampling["rms_ratio"],
                                  text=f"best RMS ratio {best.versus_sampling['rms_ratio']:.1f} at equal compute"),
                      Criterion("RMS error ≤ 2 × sampling's at equal compute", lambda v, u: v <= 2),
                      partial=Criterion("≤ 4 ×", lambda v, u: v <= 4)))
trained_orig = summaries["m4_3"]["methods"]["arc_original"]
trained_red = summaries["m4_3"]["methods"]["arc_symmetric_reduction"]
trained_sqrtpq = math.sqrt(np.mean(summaries["m4_3"]["accuracy"] * (1 - summaries["m4_3"]["accuracy"])))
rows += [
    Claim("original estimate: 18 + 56 + 28 volumes, ~71,000 operations at 5k³ each", HILTON_KEY,
          "~71,000 operations (as summarised)",
          Measurement(trained_orig.operations, text=f"{trained_orig.operations:,.0f} (volumes alone: 71,000)"),
          within(71_000, 7_100, z=0, description="within 10% of 71,000")),
    Claim("symmetric reduction: ~7,680 operations", HILTON_KEY, "~7,680 operations (as summarised)",
          Measurement(trained_red.operations, text=f"{trained_red.operations:,.0f} (24 cones of 6 half-spaces)"),
          within(7_680, 768, z=0, description="within 10% of 7,680")),
    Claim("the symmetric reduction has lower bias than the original", HILTON_KEY, "lower bias (as summarised)",
          Measurement(abs(trained_red.bias) - abs(trained_orig.bias),
                      math.hypot(trained_red.bias_standard_error, trained_orig.bias_standard_error),
                      text=f"|bias| {100 * abs(trained_red.bias):.1f}% against {100 * abs(trained_orig.bias):.1f}% "
                           "(trained model)"),
          Criterion("|bias| smaller by 2 SE", lambda v, u: v + 2 * u < 0)),
    Claim("RMS of √(p(1−p)) over the noisy models ~24%", HILTON_KEY, "~24% (as summarised)",
          Measurement(trained_sqrtpq, text=f"{100 * trained_sqrtpq:.0f}% (trained model)"), **about(0.24, "24%")),
    not_tested("surprise accounting of the original estimate (~16 bits plus the volume computations)", HILTON_KEY,
               "~16 bits for 16 sign/ratio inequalities (as summarised)",
               "this chapter measures MSE versus compute only"),
]
claims_table(rows + m16_rows)
