# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation: {extension: .py, format_name: percent}
#   kernelspec: {display_name: Python 3, language: python, name: python3}
# ---

# %% tags=["install"]
# Install the book's package where it is missing (Colab, Binder, a fresh Python 3.11-3.13);
# where it is installed, as when the book is built, nothing happens.
import importlib.util, os, subprocess, sys

GIT = os.environ.get("TINYMECH_GIT", "https://github.com/tiny-mechanisms/tiny-mechanisms")
if importlib.util.find_spec("tinymech") is None:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", f"tinymech @ git+{GIT}"], check=True
    )

# %% [markdown]
# # Estimators versus sampling
#
# ARC's AlgZoo post {cite}`arc2026algzoo` proposes to judge an explanation of a model by a number: a
# *mechanistic estimate* of the model's accuracy, computed from its weights, is scored by its mean squared
# error as a function of compute, against random sampling.  It reports that two such estimates of M4,3,
# in Hilton's notes {cite}`hilton2024heuristic`, "roughly match the computational efficiency of sampling",
# and it poses as a challenge an estimate of M16,10 that matches sampling.  ARC publishes no harness for
# this measure.  This chapter builds one, uses it on M4,3, and then takes up the challenge:
#
# 1. the measure: noisy-weight ensembles, exact references, estimators with operation counts, and the
#    curve of mean squared error (MSE) versus compute, with bias and variance (`tinymech.algzoo.estimation`,
#    `tinymech.algzoo.noise`);
# 2. the exact method of the {doc}`m4_3_symmetries` chapter as an estimator, made fast enough that its
#    point on the curve is where it could be (`tinymech.algzoo.exact.cones`);
# 3. ARC's two M4,3 estimators, rebuilt by the rules of Hilton's notes (`tinymech.algzoo.arc_estimators`;
#    the book's earlier rebuild from a summary of the notes kept beside it as a variant), on the M4,3 trained
#    here and on ARC's handcrafted M4,3;
# 4. Hilton's numbers next to ours, and where each estimator crosses sampling;
# 5. ARC's open challenge, an estimate of M16,10 that matches sampling ({ref}`est-m16`): two mechanistic
#    estimates of our own (`tinymech.algzoo.estimators_m16`), scored by the same code on noisy and
#    trained-seed ensembles against plain and stratified sampling, and where their errors come from.
#
# **Where the numbers of Hilton's notes come from.**  The notes are a PDF kept in a reader's fork of
# alg-zoo; their text is among the project's source texts (see the README of `shared/sources`), and every
# number attributed to them here (256 noisy models at noise 0.05; about 3% and 71,000 operations for the
# original estimate; about 5% and 7,680 operations for the second; 72 operations per sample; sampling's 0.8%
# and 2.3% at equal compute; $q = 0.2$; 18, 56 and 28 volumes) is quoted from that text, which a test checks
# word for word.

# %% tags=["hide-input"]
import functools
import math

import matplotlib.pyplot as plt
import numpy as np
import torch

from tinymech.algzoo.arc_estimators import (
    HILTON_RULES,
    RULE_STEPS,
    original_estimate,
    step2_regions,
    original_assumptions,
    paired_standard_form,
)
from tinymech.algzoo.studies.estimators import study_weights, summarize_study
from tinymech.algzoo import estimators_numbers as numbers
from tinymech.algzoo.plots.estimators import (
    m16_error_figure,
    m16_mse_figure,
    mse_figure,
)
from tinymech.algzoo.methods import METHODS, estimate
from tinymech.algzoo.operations import forward_operations, volume_operations
from tinymech.algzoo.noise import noisy_ensemble

# %% tags=["hide-input"]
from tinymech.algzoo.estimators_m16 import diagnostics as m16_diagnostics
from tinymech.algzoo.estimators_m16 import study as m16
from tinymech.algzoo.studies import estimators_m16_analysis as m16_part3
from tinymech.algzoo.estimators_m16.mask_substitution import (
    GO_AGREEMENT,
    GO_BIAS,
    VARIETY_SAMPLES,
)
from tinymech.algzoo.estimators_m16.activation_masks import (
    fixed_mask_operations,
    map_operations,
)
from tinymech.algzoo.operations import SPECIAL_FUNCTION_OPERATIONS
from tinymech.algzoo.estimators_m16.input_law import cases, top_two_moments
from tinymech.algzoo.estimators_m16.moment_propagation import (
    moment_propagation_operations,
    propagation_operations,
)
from tinymech.algzoo.estimators_m16.sampling_baselines import (
    KNOWN_MEAN_SHARE,
    control_variate_operations,
)
from tinymech.algzoo.exact import cones

# %% tags=["hide-input"]
from tinymech.benchmarks import exact_m4_3_cost, exact_samples_to_match
from tinymech.catalog import load
from tinymech.report import (
    Claim,
    Claims,
    Criterion,
    Measurement,
    Table,
    at_least,
    at_most,
    between,
    glue,
    is_true,
    not_tested,
    within,
)
from tinymech.stats import format_estimate, format_number

torch.set_num_threads(1)
np.set_printoptions(precision=3, suppress=True)

# %% tags=["hide-input"]
MODELS = {"m4_3": "M4,3 trained here", "handcrafted_3": "ARC's handcrafted M4,3"}
HILTON_KEY, ARC = "hilton2024heuristic", "arc2026algzoo"
#: Hilton's estimates are of AlgZoo's trained M4,3; ours of the M4,3 trained here and of ARC's handcrafted one
NOT_HILTONS_MODEL = (
    "the M4,3 trained here (fewer training sequences than AlgZoo's), not AlgZoo's"
)
#: each section adds its claims right after its measurement; the closing cell renders them
claims = Claims()

# %% tags=["hide-input"]
# One colour per thing across the chapter (viridis; samplers dark, estimators lighter).
COLOURS = {
    "sampling": plt.cm.viridis(0.05),
    "exact": plt.cm.viridis(0.85),
    "arc_original": plt.cm.viridis(0.35),
    "arc_original_earlier": plt.cm.viridis(0.25),
    "arc_symmetric_reduction": plt.cm.viridis(0.6),
    "stratified": plt.cm.viridis(0.2),
    "control_variate": plt.cm.viridis(0.45),
    "rqmc": plt.cm.viridis(0.12),
    "fixed_masks": plt.cm.viridis(0.7),
    "moment_propagation": plt.cm.viridis(0.92),
    "noisy_models": "0.7",
    "trained_seeds": plt.cm.viridis(0.3),
}
LABELS = {
    "exact": "exact (clipping)",
    "arc_original": "ARC original (Hilton's rules)",
    "arc_original_earlier": "ARC original, earlier rebuild",
    "arc_symmetric_reduction": "ARC symmetric reduction",
}
MARKERS = {
    "exact": "D",
    "arc_original": "s",
    "arc_original_earlier": "P",
    "arc_symmetric_reduction": "^",
    "fixed_masks": "o",
    "moment_propagation": "v",
}

# %% tags=["hide-input"]
studies = {name: load(f"estimators/{name}_noisy") for name in MODELS}
summaries = {name: summarize_study(payload) for name, (payload, _) in studies.items()}
timing, _ = load("estimators/exact_timing")
PER_SAMPLE = forward_operations(4, 3)

# %% [markdown]
# (est-measure)=
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

# %% tags=["hide-input"]
Table(
    ["method", "lengths", "kind", "description"],
    [
        [
            name,
            numbers.lengths_text(method.lengths),
            "mechanistic" if method.mechanistic else "samples",
            method.description,
        ]
        for name, method in METHODS.items()
    ],
    caption="The registered estimators",
)

# %% [markdown]
# - **Counting rule**, ARC's where Hilton's notes give one: a sample of M4,3 is one forward pass,
#   $3 \cdot 4 \cdot (4 + 1) + 3 \cdot 4 =$ {glue:text}`est_per_sample` multiply-adds; the solid angle of an
#   intersection of $k$ half-spaces costs $5k^3$; linear algebra counts its multiply-adds, and a division,
#   square root or elementary function counts {glue:text}`est_special`.  The exact method, which clips
#   polygons instead of computing volumes from scratch, counts {glue:text}`est_plane_test` per test of a
#   vertex against a plane, {glue:text}`est_new_vertex` per new vertex and {glue:text}`est_area_vertex` per
#   vertex of an area.
# - **The curve**: for each method and budget, the MSE over the ensemble with its standard error, and its
#   split into squared bias and variance.  Sampling's MSE has a closed form, the mean of $p(1-p)/k$ over the
#   models for $k$ samples, which the harness checks against sampling run for real.
#
# A single call estimates one model; `tinymech estimate MODEL --method NAME --json` does the same from the
# command line, for a named model or any AlgZoo `.pth` file:

# %%
clean = {name: study_weights(name) for name in MODELS}
rows = []
for name, weights in clean.items():
    for method in ("arc_original", "arc_original_earlier", "arc_symmetric_reduction", "exact"):
        result = estimate(weights, method)
        # on ARC's handcrafted model the original version's subregion boundaries coincide (the equalities it assumes
        # hold exactly), so the last bits of the weights move its estimate in the fourth decimal
        shown = (
            f"{result.estimate:.2f} (its later decimals are decided by rounding)"
            if name == "handcrafted_3" and method.startswith("arc_original")
            else f"{result.estimate:.4f}"
        )
        rows.append([MODELS[name], method, shown, f"{result.operations:,}"])
Table(
    ["model", "method", "estimate", "operations"],
    rows,
    caption="One call of each method on each clean model",
)

# %% tags=["remove-cell"]
glue("est_per_sample", PER_SAMPLE)
glue("est_special", SPECIAL_FUNCTION_OPERATIONS)
glue("est_plane_test", cones.PLANE_TEST)
glue("est_new_vertex", cones.NEW_VERTEX)
glue("est_area_vertex", cones.AREA_PER_VERTEX)

# %% [markdown]
# On the clean trained model both versions of the original estimate are close; on ARC's clean handcrafted
# model the earlier rebuild is close and Hilton's rules are far off ({ref}`est-mse` says why), the
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
Table(
    ["model", "linear programs", "clipping: speed-up", "operations", "|difference|"],
    [
        [
            MODELS.get(name, name.replace("random_", "random M4,3, seed ")),
            f"{timing['linear_program_seconds'][k]:.2f} s",
            f"{speed[k]:.0f}",
            f"{int(timing['operations'][k]):,}",
            format_number(abs(timing["difference"][k].item()), 1),
        ]
        for k, name in enumerate(names)
    ],
    caption="Clipping against linear programs, best of several runs each, one thread",
)

# %% tags=["remove-cell"]
trained_index, handcrafted_index = names.index("m4_3"), names.index("handcrafted_3")
glue("est_lp_s", timing["linear_program_seconds"][trained_index].item(), digits=2)
glue("est_speedup", format_number(speed[trained_index].item(), 2))
glue("est_clip_ops", format_number(timing["operations"][trained_index].item(), 2))
glue("est_hc_difference", format_number(abs(timing["difference"][handcrafted_index].item()), 1))
exact_ops = summaries["m4_3"]["methods"]["exact"].operations
glue("est_exact_ops_noisy", format_number(exact_ops, 2))
exact_cost = exact_m4_3_cost()
glue("est_exact_ms_one", format_number(1e3 * exact_cost["one_model_cpu_seconds"], 2))
glue("est_exact_ms_batched", format_number(1e3 * exact_cost["batched_cpu_seconds"], 2))
glue("est_exact_cost_source", exact_cost["source"])

# %% [markdown]
# On the trained M4,3 clipping is {glue:text}`est_speedup` times faster than linear programs
# ({glue:text}`est_lp_s` s), for {glue:text}`est_clip_ops` operations; over the noisy models below it
# averages {glue:text}`est_exact_ops_noisy` operations.  Its time, the one figure the book gives for it
# (the {doc}`performance` page shows the same): {glue:text}`est_exact_ms_one` ms of CPU time per model one
# model at a time, {glue:text}`est_exact_ms_batched` ms batched over an ensemble
# (`tinymech.algzoo.exact.batched`, the same numbers to $10^{-12}$), from {glue:text}`est_exact_cost_source`.
# The two methods agree to $10^{-12}$ on trained, handcrafted and random models (the tests
# check it), with one exception: on ARC's handcrafted M4,3 at $\lambda = 100$ they differ by
# {glue:text}`est_hc_difference`, all of it in two thin slivers of the sphere whose nearby vertices the
# linear-program method merges; uniform points inside the slivers side with clipping (a test checks it).
# The book's exact accuracy for sequence length 3 now comes from clipping; the linear-program method stays
# for the regions and the sphere map of the {doc}`m4_3_symmetries` chapter.
#
# (est-arc)=
# ## ARC's two estimators, rebuilt
#
# Both estimators start from the same picture of M4,3 after ARC's standardization ($|W_{hi}| = 1$): two
# neurons with positive input weight, each paired with one with negative input weight, so that the four
# pre-activations behave like $(u, v, -v, -u)$.  Hilton's notes use the pairing through
# $U = \begin{pmatrix}1&0&0&-1\\0&1&-1&0\end{pmatrix}$ and $V = \begin{pmatrix}1&0&0&1\\0&1&1&0\end{pmatrix}$.
# Nothing is copied from the notes' code (they give none); the original version follows their text, quoted
# below, and what the text leaves open is listed as our choice.
#
# **Original version.**  After step 1, $h_1$ is one of two linear maps of $x_0$.  Step 2's pre-activation
# is $a x_0 + c x_1$ for $x_0 > 0$ and $b x_0 + c x_1$ for $x_0 < 0$.  The notes average paired
# coefficients only to draw decision boundaries ("for the purposes of drawing decision boundaries, we
# approximate $a_3$ and $-a_0$ by $\alpha_3$"), which gives 4 regions of $(x_0, x_1)$: neurons 0 and 1 on,
# 2 and 3 on, and two thin regions near the diagonal, 1 and 3 on at positive $x_0$, 0 and 2 on at negative
# $x_0$.  Each region keeps its own coefficients: "we approximate $a_0$ by $b_0$ and $a_1$ by $b_1$ in the
# first region and $b_2$ by $a_2$ and $b_3$ by $a_3$ in the second region", so $h_2$ is linear on each.  The
# 6 orderings of the inputs cut them into 18 nonempty subregions (volumes of 4 half-spaces).  In the thin
# regions "all 6 orderings are possible, but only 4 are likely, since $x_0$ and $x_1$ are fairly close":
# the 4 unlikely subregions are those where $x_2$ lies between $x_0$ and $x_1$, scored at chance, 1/3.  In
# the other 14, the probability $p$ that a step-3 neuron is on is a ratio of volumes (4 volumes of 5
# half-spaces each), and its gate becomes a random variable independent of the inputs, dependent on the
# others through one latent $Z \sim \text{Bernoulli}(q = 0.2)$: "if $p \le 1/2$ then we approximate
# $1_{z>0}$ by a random variable that is $p - \sqrt{q/(1-q)}\,\sigma$ when $Z = 0$ and
# $p + \sqrt{(1-q)/q}\,\sigma$ when $Z = 1$, and if $p > 1/2$ then we approximate $1 - 1_{z>0}$ the same
# way" ($\sigma = \sqrt{p(1-p)}$): the rarer state of each gate follows $Z$.  For each value of $Z$ the
# logits are linear, and the label wins on a cone of 6 half-spaces (2 volumes per subregion).  By ARC's
# rule the $18 + 56 + 28$ volumes cost {glue:text}`est_volume_ops` operations; our count adds the linear
# algebra around them.
#
# Choices we made:
#
# - the pairing of positive- and negative-input neurons: of the two possible, the one for which $W_{hh}$ is
#   closest to the form $U^\top W' U$;
# - the averages are taken on the standardized weights, where $c = W_{hi} = (1, 1, -1, -1)$ exactly;
# - each boundary ray is drawn with the averaged coefficients of its own side of $x_0 = 0$ ($\alpha$ at
#   positive $x_0$, $\beta$ at negative), which is the notes' picture where their inequalities
#   ($\gamma_0/\alpha_3 < \gamma_1/\alpha_2$ and the same for $\beta$) hold; where noise breaks one, the
#   thin region on that side has the other pair of neurons on, and a region of angle $\pi$ or more is
#   measured as its two halves (on {glue:text}`est_hc_split` of the noisy handcrafted models);
# - volumes are computed exactly (spherical polygons), not by a volume algorithm of cost $5k^3$; the
#   operation count is ARC's rule for the volumes all the same.
#
# **The earlier rebuild** (`arc_original_earlier`), made from a summary before the notes' text was at
# hand, departs from them in three named ways: (a) every gate follows $Z$, whatever its $p$; (b) the
# unlikely subregions are those where $x_2$ lies beyond both $x_0$ and $x_1$ on the thin region's side
# (largest in the positive one, smallest in the negative one); (c) step 2 averages the coefficients too
# ($a$ with $b$ and each pair), so that it is exactly $(u, v, -v, -u)$ with one boundary line per pair.
# Both are registered; {ref}`est-rules` switches the three rules on one at a time.
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
#   points, fixed seed) after cutting each cone into simplicial ones, where the notes sampled; on an exactly
#   reduced model the noise vanishes and the cones are measured exactly.
#
# **Why 7,680 and not 25,920.**  The notes count "the volume of 24 subregions in 6 dimensions, each of
# which is the intersection of 4 half-spaces" {cite}`hilton2024heuristic`: the 2 sign conditions and the 2
# ordering conditions of each subregion, $24 \times 5 \times 4^3 =$ 7,680 by ARC's rule.  The accuracy inside
# each subregion, where the label's logit beats the two others, is not among those volumes: "We avoid the
# problem of figuring out how to do this exactly for now and just use sampling", and the samples are not
# counted.  This chapter computes that accuracy instead, so each of its 24 cones carries the 2 logit
# comparisons as well: 6 half-spaces, {glue:text}`est_reduction_volume_ops` operations by the same rule.  Both
# numbers count the same 24 subregions; they differ by what is computed in them, and the claim row below
# compares the notes' count with ours for the 4 half-spaces the notes count.

# %% tags=["remove-cell"]
glue(
    "est_volume_ops",
    format_number(
        18 * volume_operations(4) + 56 * volume_operations(5) + 28 * volume_operations(6), 2
    ),
)
glue("est_reduction_volume_ops", format_number(24 * volume_operations(6), 3))
glue("est_genz_points", f"{studies['m4_3'][1]['genz_points']:,}")
hc_noisy = noisy_ensemble(
    clean["handcrafted_3"], 0.05, studies["handcrafted_3"][1]["count"], seed=0
)
glue(
    "est_hc_split",
    sum(
        len(step2_regions(paired_standard_form(m).weights, HILTON_RULES)[1]) > 4
        for m in hc_noisy.models
    ),
)
glue("est_count", studies["m4_3"][1]["count"])
glue("est_sigma", f"{studies['m4_3'][1]['sigma']:g}")

# %% [markdown]
# ## The trained M4,3 is not ARC's
#
# The estimators were designed on ARC's M4,3.  The model trained here was trained with AlgZoo's recipe
# (the {doc}`m4_3_symmetries` chapter); does it have the signs and near-equalities they assume?  After
# standardization and pairing:


# %%
rows = []
for name, weights in clean.items():
    paired = paired_standard_form(weights).weights
    facts = original_assumptions(weights)
    deviations = {k: v for k, v in facts.items() if " = " in k}
    largest = max(deviations.values())
    rows.append(
        [
            MODELS[name],
            # ±1 up to rounding: rint, not truncation
            str(np.rint(paired.W_hi).astype(int).tolist()),
            str(np.sign(paired.W_hh).astype(int).tolist()),
            str(np.sign(paired.W_oh).astype(int).tolist()),
            numbers.deviation_text(largest)
            + (f" ({max(deviations, key=deviations.get)})" if largest >= 1e-9 else ""),
            numbers.deviation_text(facts["pairing residual"]),
        ]
    )
Table(
    [
        "model",
        "W_hi",
        "signs of W_hh rows",
        "signs of W_oh rows",
        "largest relative deviation from the 8 equalities",
        "pairing residual of W_hh",
    ],
    rows,
    caption="The standardized, paired weights: signs and the original version's equalities",
)

# %% tags=["remove-cell"]
trained_facts = original_assumptions(clean["m4_3"])
trained_deviation = max(v for k, v in trained_facts.items() if " = " in k)
glue("est_trained_deviation", f"{100 * trained_deviation:.0f}%")
glue("est_trained_residual", f"{100 * trained_facts['pairing residual']:.0f}%")
same_signs = all(
    np.array_equal(
        np.sign(paired_standard_form(clean["m4_3"]).weights.W_hh[i]),
        np.sign(paired_standard_form(clean["handcrafted_3"]).weights.W_hh[i]),
    )
    for i in range(4)
)
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
# gates), for Hilton's rules and for the earlier rebuild:

# %%
rows = []
for key, rules_name in (("parts", "Hilton's rules"), ("parts_earlier", "earlier rebuild")):
    final = "arc_original" if key == "parts" else "arc_original_earlier"
    steps = [
        ("step 2 averaged, rest exact", lambda s: s["parts"][(key, "averaged")]),
        ("+ 4 subregions at chance", lambda s: s["parts"][(key, "averaged_chance")]),
        (
            "+ latent gates (the original version)",
            lambda s: (s["methods"][final].rms, s["methods"][final].bias),
        ),
    ]
    for label, get in steps:
        cells = [get(summaries[n]) for n in MODELS]
        rows.append(
            [rules_name, label] + [f"{100 * r:.1f}% ({100 * b:+.1f}%)" for r, b in cells]
        )
Table(
    ["rules", "approximations"] + [f"RMS error (bias): {MODELS[n]}" for n in MODELS],
    rows,
    caption="The original version's error as its approximations are switched on",
)

# %% tags=["remove-cell"]
parts = summaries["m4_3"]["parts"]
glue("est_parts_averaged", f"{100 * parts[('parts', 'averaged')][0]:.1f}%")
glue("est_parts_gates", f"{100 * summaries['m4_3']['methods']['arc_original'].rms:.1f}%")
glue("est_parts_averaged_earlier", f"{100 * parts[('parts_earlier', 'averaged')][0]:.1f}%")
glue(
    "est_parts_gates_earlier",
    f"{100 * summaries['m4_3']['methods']['arc_original_earlier'].rms:.1f}%",
)

# %% [markdown]
# On the trained model, Hilton's step 2 alone costs {glue:text}`est_parts_averaged` RMS (the earlier
# rebuild's averaged step 2: {glue:text}`est_parts_averaged_earlier`); with the latent gates the original
# version ends at {glue:text}`est_parts_gates` (the earlier rebuild: {glue:text}`est_parts_gates_earlier`):
# most of the error is the gate approximation, not the symmetry it assumes.
#
# (est-mse)=
# ## Mean squared error versus compute
#
# Both ensembles have {glue:text}`est_count` noisy models with Gaussian noise of standard deviation
# {glue:text}`est_sigma` on every weight, Hilton's setting; the references are exact.  ARC asks for noise "enough to significantly alter the
# model's accuracy":

# %% tags=["hide-input"]
Table(
    [
        "model",
        "clean accuracy",
        "noisy models: mean",
        "standard deviation",
        "RMS of sqrt(p (1 - p))",
    ],
    [
        [
            MODELS[name],
            f"{summary['clean']:.4f}",
            f"{summary['accuracy'].mean():.3f}",
            f"{summary['accuracy'].std():.3f}",
            f"{math.sqrt(np.mean(summary['accuracy'] * (1 - summary['accuracy']))):.3f}",
        ]
        for name, summary in summaries.items()
    ],
    caption="Accuracy of the clean model and of its noisy copies",
)

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
for key, axis_of, xlabel in (
    ("est_mse_operations", numbers.operations_of, "operations per model (multiply-adds)"),
    ("est_mse_seconds", numbers.seconds_of, "seconds per model (one thread)"),
):
    fig = mse_figure(summaries, MODELS, axis_of, xlabel, COLOURS, MARKERS, LABELS)
    glue(key, fig)
    plt.close(fig)

# %% [markdown]
# ```{glue:figure} est_mse_operations
# :name: fig-est-mse-operations
# :alt: Two log-log panels, one per model, of mean squared error against operations. Sampling's points fall on a dashed line of slope minus one; the square of ARC's original estimate by Hilton's rules, the plus of the earlier rebuild and the triangle of the symmetric reduction lie above that line; a dotted vertical line marks the exact method's cost.
#
# MSE versus compute on the noisy models of each ensemble (Gaussian noise on every weight).  Sampling (dots, measured, with
# 2 SE; dashed, the closed form) falls as $1/k$.  ARC's two estimators (square: the original version by
# Hilton's rules, plus: its earlier rebuild; triangle: the symmetric reduction) each cost a
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

# %% tags=["hide-input"]
# the notes' RMS error, operations and sampling at equal compute (none for the earlier rebuild)
HILTON = {
    "arc_original": ("~3%", "~71,000", "~0.8%"),
    "arc_original_earlier": (),
    "arc_symmetric_reduction": ("~5%", "~7,680", "~2.3%"),
}
QUANTITIES = {
    "RMS error": lambda m: format_estimate(100 * m.rms, 100 * m.rms_standard_error) + "%",
    "bias": lambda m: format_estimate(100 * m.bias, 100 * m.bias_standard_error) + "%",
    "operations": lambda m: f"{m.operations:,.0f}",
    "sampling at equal compute": lambda m: f"{100 * m.versus_sampling['sampling_rms']:.2f}%",
    "ratio (RMS)": lambda m: f"{m.versus_sampling['rms_ratio']:.1f}",
    "compute ratio": lambda m: f"{m.versus_sampling['compute_ratio']:.0f}",
}
NAMED = ("RMS error", "operations", "sampling at equal compute", "ratio (RMS)", "compute ratio")
rows = []
for method, notes in HILTON.items():
    # the notes' ratios follow from their own numbers: RMS error over sampling's, and its square for compute
    ratio = float(notes[0][1:-1]) / float(notes[2][1:-1]) if notes else 0.0
    theirs = (
        dict(zip(NAMED, (*notes, f"{ratio:.1f} (from these)", f"{ratio**2:.2g}")))
        if notes
        else {}
    )
    for quantity, show in QUANTITIES.items():
        ours = [show(summaries[n]["methods"][method]) for n in MODELS]
        label = LABELS[method] if quantity == "RMS error" else ""
        rows.append([label, quantity, theirs.get(quantity, ""), *ours])
rows.append([LABELS["exact"], "RMS error", "", *["0" for n in MODELS]])
exact_operations = [f"{summaries[n]['methods']['exact'].operations:,.0f}" for n in MODELS]
rows.append(["", "operations", "", *exact_operations])
Table(
    ["estimator", "quantity", "Hilton", *MODELS.values()],
    rows,
    caption="Hilton's numbers next to ours (the earlier rebuild is ours only)",
)

# %% tags=["remove-cell"]
for name, summary in summaries.items():
    for method in ("arc_original", "arc_original_earlier", "arc_symmetric_reduction"):
        m = summary["methods"][method]
        short = {"arc_original": "orig", "arc_original_earlier": "earlier"}.get(method, "red")
        glue(
            f"est_{name}_{short}_rms",
            format_estimate(100 * m.rms, 100 * m.rms_standard_error) + "%",
        )
        glue(
            f"est_{name}_{short}_bias",
            format_estimate(100 * m.bias, 100 * m.bias_standard_error) + "%",
        )
        glue(f"est_{name}_{short}_ratio", f"{m.versus_sampling['rms_ratio']:.1f}")
        glue(
            f"est_{name}_{short}_compute", format_number(m.versus_sampling["compute_ratio"], 2)
        )
        glue(
            f"est_{name}_{short}_samples",
            format_number(m.versus_sampling["equivalent_samples"], 2),
        )
        glue(
            f"est_{name}_{short}_crossing",
            format_number(m.versus_sampling["equivalent_samples"] * PER_SAMPLE, 2),
        )
    glue(
        f"est_{name}_exact_samples",
        format_number(summary["methods"]["exact"].operations / PER_SAMPLE, 2),
    )
glue("est_orig_ops", f"{summaries['m4_3']['methods']['arc_original'].operations:,.0f}")
handcrafted_ops = studies["handcrafted_3"][0]["arc_original_earlier"]["operations"].numpy()[1:]
glue("est_hc_more_subregions", int(np.sum(handcrafted_ops > handcrafted_ops.min())))
glue("est_hc_models", len(handcrafted_ops))
hilton_ops = studies["handcrafted_3"][0]["arc_original"]["operations"].numpy()[1:]
glue("est_hc_hilton_more", int(np.sum(hilton_ops > hilton_ops.min())))
hilton_unlikely = [original_estimate(m).details["unlikely"] for m in hc_noisy.models]
glue("est_hc_fewer_unlikely", int(np.sum(np.array(hilton_unlikely) < 4)))


# %% tags=["remove-cell"]
# each model's estimator summaries; a claims row is measured on the M4,3 trained here (closest to Hilton's
# model), the handcrafted one beside it
by_model = {name: summaries[name]["methods"] for name in MODELS}
per_model = functools.partial(
    numbers.per_model,
    main="m4_3",
    other="handcrafted_3",
    other_label=MODELS["handcrafted_3"],
    differs=NOT_HILTONS_MODEL,
)
ARC_PAIR = ("arc_original", "arc_symmetric_reduction")

ARC_ESTIMATORS = ("arc_original", "arc_symmetric_reduction")
crossing = [
    by_model[n][k].versus_sampling["compute_ratio"] for n in MODELS for k in ARC_ESTIMATORS
]
glue(
    "est_cross_sentence",
    "Neither crosses sampling: at their own cost sampling is more accurate, on both models."
    if min(crossing) > 1
    else "At least one of them beats sampling at its own cost (the compute ratios above).",
)
hc = summaries["handcrafted_3"]
hc_hilton, hc_earlier = (
    hc["methods"]["arc_original"].clean,
    hc["methods"]["arc_original_earlier"].clean,
)
glue("est_hc_clean_exact", f"{hc['clean']:.4f}")
glue("est_hc_clean_hilton", f"{hc_hilton:.2f}")
glue("est_hc_clean_earlier", f"{hc_earlier:.2f}")
glue("est_hc_clean_move", f"{100 * (hc_hilton / hc_earlier - 1):+.0f}%")
glue("est_hc_clean_error", f"{hc_hilton - hc['clean']:+.2f}")

# %% tags=["remove-cell"]
exact_match = exact_samples_to_match("m4_3")
glue("est_exact_samples_to_match", f"more than {format_number(exact_match.samples, 2)}")
glue("est_exact_match_source", exact_match.source)
exact_m = by_model["m4_3"]["exact"]
# sampling's MSE at the exact method's cost, for the clean model's accuracy, against its rounding bound
sampling_at_exact = (
    exact_match.accuracy * (1 - exact_match.accuracy) * PER_SAMPLE / exact_m.operations
)
# an ARC estimator is dominated where the exact method costs no more, or sampling matches it for less
dominated = {
    (n, k): by_model[n]["exact"].operations <= by_model[n][k].operations
    or by_model[n][k].versus_sampling["compute_ratio"] > 1
    for n in MODELS
    for k in ARC_ESTIMATORS
}
# the null: sampling alone (no exact method) beats the estimator at its own cost
sampling_alone = {
    (n, k): by_model[n][k].versus_sampling["compute_ratio"] > 1
    for n in MODELS
    for k in ARC_ESTIMATORS
}
dominance = "; ".join(
    f"{LABELS[k]} costs {by_model['m4_3'][k].operations / exact_m.operations:.2f} times its operations "
    f"with an RMS error of {100 * by_model['m4_3'][k].rms:.1f}%, and sampling matches it with "
    f"{1 / by_model['m4_3'][k].versus_sampling['compute_ratio']:.2f} of its own cost"
    for k in ARC_ESTIMATORS
)
glue("est_dominance_sentence", f"on the trained model, {dominance}.")

# %% tags=["remove-cell"]
trained_orig, trained_red = (
    by_model["m4_3"]["arc_original"],
    by_model["m4_3"]["arc_symmetric_reduction"],
)
# the symmetric reduction's cones, read from the estimator: 4 sign regions x 6 orderings, each cut by 2 signs,
# 2 orderings and the 2 logit comparisons
reduction_details = estimate(clean["m4_3"], "arc_symmetric_reduction").details
((REDUCTION_HALF_SPACES, REDUCTION_SUBREGIONS),) = [
    (int(k), v) for k, v in reduction_details["volumes"].items()
]

# %% tags=["remove-cell"]
claims.add(
    Claim(
        f"original estimate: RMS error over {len(summaries['m4_3']['accuracy'])} noisy models",
        HILTON_KEY,
        "“The original version achieves a RMS error of around 3%”",
        **per_model(lambda n: numbers.rms_measurement(by_model[n]["arc_original"])),
        **numbers.about(0.03, "3%"),
        note=f"noise {studies['m4_3'][1]['sigma']:g} on every weight; by Hilton's rules (the earlier "
        f"rebuild: {100 * by_model['m4_3']['arc_original_earlier'].rms:.1f}%)",
    ),
    Claim(
        "symmetric reduction: RMS error",
        HILTON_KEY,
        "“the version based on George's approach achieves a RMS error of around 5%”",
        **per_model(lambda n: numbers.rms_measurement(by_model[n]["arc_symmetric_reduction"])),
        **numbers.about(0.05, "5%"),
    ),
    Claim(
        "sampling's error at the original estimate's compute",
        HILTON_KEY,
        "“sampling should achive an RMS error of around 0.8% and 2.3% respectively”",
        **per_model(
            lambda n: Measurement(
                by_model[n]["arc_original"].versus_sampling["sampling_rms"],
                text=f"{100 * by_model[n]['arc_original'].versus_sampling['sampling_rms']:.2f}%",
            )
        ),
        **numbers.about(0.008, "0.8%"),
    ),
)

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "sampling's error at the symmetric reduction's compute",
        HILTON_KEY,
        "“sampling should achive an RMS error of around 0.8% and 2.3% respectively”",
        **per_model(
            lambda n: Measurement(
                by_model[n]["arc_symmetric_reduction"].versus_sampling["sampling_rms"],
                text=f"{100 * by_model[n]['arc_symmetric_reduction'].versus_sampling['sampling_rms']:.2f}% "
                f"at {by_model[n]['arc_symmetric_reduction'].operations:,.0f} operations",
            )
        ),
        **numbers.about(0.023, "2.3%"),
        note="a closed form: √(mean p(1−p)/k) at the estimator's operations (the notes' 2.3% is at "
        "their 7,680)",
    ),
    Claim(
        "the estimates roughly match sampling's efficiency",
        ARC,
        "“We find that we are able to roughly match the computational efficiency of sampling”",
        # "roughly match": an RMS error at most twice sampling's at equal compute (the closing section's
        # rule); the better of ARC's two estimators is the row's value, both are shown
        **per_model(lambda n: numbers.best_ratio([by_model[n][k] for k in ARC_PAIR])),
        criterion=at_most(
            2.0, z=0, description="RMS error at most 2 × sampling's at equal compute"
        ),
        partial=at_most(4.0, z=0, description="≤ 4 ×"),
    ),
)

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "original estimate: 18 + 56 + 28 volumes, ~71,000 operations at 5k³ each",
        HILTON_KEY,
        "“Then the original version takes around … = 71000 operations”",
        **per_model(
            lambda n: Measurement(
                by_model[n]["arc_original"].operations,
                text=f"{by_model[n]['arc_original'].operations:,.0f} (volumes alone: 71,000)",
            )
        ),
        criterion=within(71_000, 7_100, z=0, description="within 10% of 71,000"),
    ),
    Claim(
        "symmetric reduction: ~7,680 operations for 24 volumes of 4 half-spaces",
        HILTON_KEY,
        "“the version based on George's approach takes around 5 · 24 · 43 = 7680 operations”",
        Measurement(
            trained_red.operations,
            text=f"{trained_red.operations:,.0f} in all; its {REDUCTION_SUBREGIONS} subregions of "
            f"{REDUCTION_HALF_SPACES - 2} half-spaces alone: "
            f"{REDUCTION_SUBREGIONS * volume_operations(REDUCTION_HALF_SPACES - 2):,}",
        ),
        within(7_680, 768, z=0, description="within 10% of 7,680"),
        setting_differs="the 2 logit comparisons of each subregion computed (6 half-spaces), "
        "where the notes sample the accuracy inside it",
    ),
    Claim(
        "the symmetric reduction has lower bias than the original",
        HILTON_KEY,
        "“although it appears to have lower bias”",
        **per_model(lambda n: numbers.bias_gap(*(by_model[n][k] for k in ARC_PAIR))),
        criterion=at_most(0.0, z=2, description="|bias| smaller by 2 SE"),
    ),
)

# %% tags=["remove-cell"]
claims.add(
    Claim(
        f"the exact method beats sampling at every budget from its own cost to "
        f"{format_number(exact_match.samples, 2)} samples",
        ARC,
        "—",
        Measurement(
            exact_match.error_bound**2 / sampling_at_exact,
            text=f"rounding MSE < {format_number(exact_match.error_bound**2, 1)} against sampling's "
            f"{format_number(sampling_at_exact, 2)} at {exact_m.operations:,.0f} operations",
        ),
        at_most(1.0, z=0, description="MSE below sampling's at equal operations"),
        further="the book's exact method, a mechanistic estimate with zero error",
    ),
    Claim(
        "with sampling below its cost, the exact method dominates ARC's two estimators",
        ARC,
        "—",
        Measurement(
            float(all(dominated.values())),
            text=f"{sum(dominated.values())} of {len(dominated)} (estimator, model) pairs beaten by the "
            "exact method at no more operations or by sampling below its cost",
        ),
        is_true("beaten at equal or lower cost on both models"),
        null=Measurement(
            float(all(sampling_alone.values())),
            text=f"{sum(sampling_alone.values())} of {len(sampling_alone)} pairs beaten by sampling "
            "at the estimator's own cost",
        ),
        null_label="sampling alone, without the exact method",
        further="the book's result",
    ),
)

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "RMS of √(p(1−p)) over the noisy models ~24%",
        HILTON_KEY,
        "“The RMS of this expression for our 256 noisy models is around 24%”",
        **per_model(lambda n: numbers.sqrt_pq(summaries[n]["accuracy"])),
        **numbers.about(0.24, "24%"),
    ),
    not_tested(
        "surprise accounting of the original estimate (~16 bits plus the volume computations)",
        HILTON_KEY,
        "“we incur roughly 16 bits of surprise by checking the inequalities”",
        "this chapter measures MSE versus compute only",
    ),
)

# %%
# "Within a factor": the factor between each of our numbers and Hilton's is the threshold at which its row's
# verdict would change (the rows use 1.5, partly 2).
ABOUT = {
    "original estimate's RMS error": (lambda n: by_model[n]["arc_original"].rms, 0.03),
    "symmetric reduction's RMS error": (
        lambda n: by_model[n]["arc_symmetric_reduction"].rms,
        0.05,
    ),
    "sampling's RMS error at the original's compute": (
        lambda n: by_model[n]["arc_original"].versus_sampling["sampling_rms"],
        0.008,
    ),
    "RMS of √(p(1−p))": (
        lambda n: float(numbers.sqrt_pq(summaries[n]["accuracy"]).value),
        0.24,
    ),
}
Table(
    ["quantity", "Hilton"] + [f"factor from Hilton's: {MODELS[n]}" for n in MODELS],
    [
        [name, f"{100 * theirs:g}%"]
        + [f"{max(get(n) / theirs, theirs / get(n)):.2f}" for n in MODELS]
        for name, (get, theirs) in ABOUT.items()
    ],
    caption="How far each number is from Hilton's, as a factor (the verdict changes where the factor crosses "
    "the row's threshold)",
)

# %% [markdown]
# **Where each estimator crosses sampling.**  An estimator of fixed cost is one point; sampling is a line.
# Sampling reaches the original version's MSE (Hilton's rules) with {glue:text}`est_m4_3_orig_samples` samples
# on the trained model ({glue:text}`est_m4_3_orig_crossing` operations) and
# {glue:text}`est_handcrafted_3_orig_samples` on ARC's ({glue:text}`est_handcrafted_3_orig_crossing`
# operations), against the {glue:text}`est_orig_ops` the estimate costs: its compute ratio is
# {glue:text}`est_m4_3_orig_compute` and {glue:text}`est_handcrafted_3_orig_compute` (the earlier rebuild:
# {glue:text}`est_m4_3_earlier_compute` and {glue:text}`est_handcrafted_3_earlier_compute`).  The symmetric
# reduction is matched by {glue:text}`est_m4_3_red_samples` and {glue:text}`est_handcrafted_3_red_samples`
# samples (compute ratios {glue:text}`est_m4_3_red_compute` and {glue:text}`est_handcrafted_3_red_compute`).
# {glue:text}`est_cross_sentence`
#
# **The positive result.**  The exact method costs {glue:text}`est_exact_ops_noisy` operations per model,
# as much as {glue:text}`est_m4_3_exact_samples` samples, and its only error is rounding: matching it takes
# sampling {glue:text}`est_exact_samples_to_match` samples ({glue:text}`est_exact_match_source`).  So at every
# budget from its own cost up to that many samples it beats sampling.  It costs less than ARC's original
# estimate and is exact; the symmetric reduction is cheaper than the exact method, but plain sampling already
# beats it at its own cost, so "the exact method dominates both" is not a test of the exact method (the
# claims table scores it against sampling alone: not discriminative): {glue:text}`est_dominance_sentence`
#
# **Hilton's rules reproduce the 3% on the trained model** (on ARC's handcrafted model they give 5%).  By the
# notes' rules the original version's RMS error on the trained
# model is {glue:text}`est_m4_3_orig_rms` with bias {glue:text}`est_m4_3_orig_bias` (Hilton: about 3%; the
# earlier rebuild: {glue:text}`est_m4_3_earlier_rms`), on ARC's handcrafted model
# {glue:text}`est_handcrafted_3_orig_rms` (earlier: {glue:text}`est_handcrafted_3_earlier_rms`).  The price is
# on ARC's clean handcrafted model, whose exact accuracy is {glue:text}`est_hc_clean_exact`: by Hilton's rules
# its estimate is {glue:text}`est_hc_clean_hilton`, an error of {glue:text}`est_hc_clean_error` against the exact
# accuracy (a change of {glue:text}`est_hc_clean_move` from the earlier rebuild's
# {glue:text}`est_hc_clean_earlier`); rule (a) alone does it ({ref}`est-rules`).  The
# mechanism: in ARC's model (neurons in the paired order) neurons 1 and 2 are an exactly opposite pair read out with equal weights of order
# $\lambda^2 = 10^4$, so the logits depend on the difference of their gates only.  Where one of the pair is
# on with probability $p$ slightly above 0 and the other with $1 - p$, the earlier rule moves both gates
# with $Z$ by the same $\sigma$ and their difference stays exactly $2p - 1$; Hilton's rule moves the rarer
# state of each, one gate up and the other down, which changes the difference by $2\sigma$ times the latent
# term, and at weights of $10^4$ that decides the label in whole subregions.  We report it and keep the rules
# as the notes give them.  The symmetric reduction lands near its 5% on both models
# ({glue:text}`est_m4_3_red_rms` with bias {glue:text}`est_m4_3_red_bias` on the trained one,
# {glue:text}`est_handcrafted_3_red_rms` on ARC's), but at more operations than the notes count (they sample
# the accuracy inside each subregion), so it still loses to sampling at equal compute.  Our ensembles are not
# Hilton's: his model is AlgZoo's M4,3, which we cannot download, and the RMS of $\sqrt{p(1-p)}$ of his
# ensemble was about 24%, of ours {glue:text}`est_m4_3_sqrtpq` and {glue:text}`est_handcrafted_3_sqrtpq`.
#
# On ARC's handcrafted model the count of operations varies: in the earlier rebuild, in
# {glue:text}`est_hc_more_subregions` of its {glue:text}`est_hc_models` noisy models the noise moves
# $\alpha$ and $\beta$ to the same side of $-1$, so that the thin regions no longer straddle the diagonal;
# then only 2 subregions are unlikely by its rule, and 16 are computed instead of 14.  By Hilton's rules
# {glue:text}`est_hc_hilton_more` models cost more than the least: in {glue:text}`est_hc_fewer_unlikely` a thin
# region moved off the diagonal leaves fewer than 4 subregions with $x_2$ between $x_0$ and $x_1$, so more are
# computed, and in {glue:text}`est_hc_split` a region measured in halves adds 3 subregions.
#
# (est-rules)=
# ## Bias, variance and Hilton's rules one at a time
#
# The MSE of each estimate splits into its squared bias and the variance of its error over models; and
# each of Hilton's three rules can be switched on alone, starting from the earlier rebuild:

# %%
rows = []
for name, summary in summaries.items():
    for method in ("arc_original", "arc_original_earlier", "arc_symmetric_reduction"):
        m = summary["methods"][method]
        rows.append(
            [MODELS[name], LABELS[method], f"{1e4 * m.mse:.1f}", f"{1e4 * m.bias**2:.1f}"]
            + [f"{1e4 * m.spread**2:.1f}"]
        )
Table(["model", "estimator", "MSE", "bias²", "variance"], rows, caption="In units of 10⁻⁴")

# %%
rows = []
for name, summary in summaries.items():
    for step, m in summary["rule_steps"].items():
        error = m.clean - summary["clean"]
        rows.append(
            [MODELS[name], step, f"{100 * m.rms:.1f}%", f"{100 * m.bias:+.1f}%"]
            + [f"{100 * error:+.1f}%"]
        )
Table(
    ["model", "rules", "RMS error", "bias", "clean model's error"],
    rows,
    caption="The original version from the earlier rebuild to Hilton's rules, one rule at a time",
)

# %% tags=["remove-cell"]
steps = summaries["m4_3"]["rule_steps"]
glue("est_rule_a_rms", f"{100 * steps['+ (a) rarer gate state follows Z'].rms:.1f}%")
hc_steps = summaries["handcrafted_3"]["rule_steps"]
glue(
    "est_rule_a_clean",
    f"{100 * (hc_steps['+ (a) rarer gate state follows Z'].clean - summaries['handcrafted_3']['clean']):+.0f}%",
)

# %% [markdown]
# Alone, rule (a), the rarer gate state following $Z$, brings the trained ensemble's RMS error to
# {glue:text}`est_rule_a_rms`, and it alone moves ARC's clean handcrafted model by
# {glue:text}`est_rule_a_clean`; the table gives each rule's share on both ensembles.  The rules come from the
# notes, not from these numbers: no setting of the original version was chosen on the ensembles it is
# scored on.

# %% [markdown]
# (est-m16)=
# ## M16,10: ARC's open challenge
#
# ARC's AlgZoo post {cite}`arc2026algzoo` poses one challenge by name: "Design a method for mechanistically
# estimating the accuracy of the 432-parameter model M16,10 that matches the performance of random sampling in
# terms of mean squared error versus compute", and says it "would consider it a major research breakthrough".
# Its footnotes score an attempt as this chapter scored ARC's M4,3 estimators ({ref}`est-measure`): on noisy
# copies of the model ("add noise to the model's weights (enough to significantly alter the model's
# accuracy)"), or better "over random seeds used to train the model", because "an estimate for a single model
# could be close by chance".  We know of no public attempt that reports a curve.
#
# The {doc}`m16_10` chapter takes the M16,10 trained here apart: running maxima, leave-one-out maxima and
# the phase wheel.  This section asks a different question of the same network: can a number computed from
# its weights alone estimate how often it is right, as cheaply as sampling does?  It builds two mechanistic
# estimates, scores them on a noisy-weight ensemble and on the five trained seeds beside plain sampling and
# two stronger samplers, and says where each estimate's error comes from.
#
# Both estimates split the accuracy over the 90 *cases* $(m, s)$, the positions of the largest and
# second-largest input: each case has probability $1/90$, and within a case the input law is known exactly
# (given the second-largest value $b$, the largest is a normal truncated above $b$ and the eight others are
# independent normals truncated below it).  Neither estimate evaluates the network on a sampled input.
#
# 1. **Moment propagation** (`moment_propagation`): per case, the mean and covariance of the hidden state and
#    the inputs are pushed through the ten steps, with the pre-activations presumed Gaussian at every ReLU.
#    At order 1 each gate is independent of its pre-activation, as in the symmetric reduction of ARC's M4,3
#    estimate ({ref}`est-arc`) from Hilton's notes {cite}`hilton2024heuristic`; order 4 uses the Mehler
#    expansion of the bivariate Gaussian, the second-cumulant form of ARC's cumulant propagation
#    {cite}`wu2026cumulant`.  The logits are presumed Gaussian, and the case accuracy is the probability
#    that logit $s$ beats the nine others, by Genz's algorithm (a deterministic lattice rule in scipy).
# 2. **Fixed activation masks** (`fixed_masks`): per case, the ReLU masks $D[t]$ of one representative input
#    (the case's conditional mean) make the network linear in all ten inputs, $\text{logits} = B_c x$, as
#    the original version of ARC's M4,3 estimate does with the linear regions of its first two steps.  The
#    case accuracy is then the Gaussian measure of a polyhedral cone with 18 faces (9 ordering constraints,
#    9 logit constraints), again by Genz's algorithm.  The masks are the reader's notes' "D[t] is
#    deterministic from weights — just iterate forward" {cite}`mrsirrisrm2026notes`, there applied to clean
#    two-impulse inputs (where they give "100% total"), here to a Gaussian case and scored against its true
#    accuracy.
#
# Operations are counted by the chapter's rule (multiply-adds; a division, square root or elementary
# function such as a normal CDF counts {glue:text}`est_special`); a forward pass of M16,10 costs
# {glue:text}`est_m16_forward`.  The budget knob of both estimates is the number of Genz lattice points per
# case.  Both are registered in the harness, so one call estimates one model, here the clean M16,10 at a
# budget of {glue:text}`est_m16_demo_budget` operations, against its accuracy measured on
# {glue:text}`est_m16_reference_samples` sequences:

# %% tags=["remove-cell"]
ensembles, ensembles_record = load("estimators/m16_10_ensembles")
curves, curves_record = load("estimators/m16_10_curves")
diagnostics, _ = load("estimators/m16_10_diagnostics")
rqmc_study, rqmc_record = load("estimators/m16_10_rqmc")
masks_study, masks_record = load("estimators/m16_10_mask_substitution")
M16_GROUPS = {"noisy": "noisy models", "seeds": "trained seeds"}
M16_ESTIMATES = {"fixed_masks": "fixed masks", "moment_propagation": "moment propagation"}
M16_PER_SAMPLE = forward_operations(16, 10)
noisy_accuracy = m16.accuracies_from_counts(ensembles["noisy"]["counts"])
seed_accuracy = m16.accuracies_from_counts(ensembles["seeds"]["counts"])
clean_accuracy = float(m16.accuracies_from_counts(ensembles["clean"]["counts"])[0])
reference_samples = ensembles_record["reference_samples"]
DEMO_BUDGET = 2 * 10**7
glue("est_m16_forward", f"{M16_PER_SAMPLE:,}")
glue("est_m16_demo_budget", format_number(DEMO_BUDGET, 1))
glue(
    "est_m16_reference_samples",
    f"2{str(int(math.log2(reference_samples))).translate(numbers.SUPERSCRIPTS)} = "
    f"{reference_samples:,}",
)

# %%
m16_clean = m16.unstack(ensembles["clean"]["weights"])[0]
demo = {
    method: estimate(m16_clean, method, budget=DEMO_BUDGET)
    for method in ("sampling", "moment_propagation", "fixed_masks")
}
Table(
    ["method", "estimate", "operations"],
    [
        [
            method,
            format_estimate(result.estimate, result.details["standard_error"])
            if method == "sampling"
            else f"{result.estimate:.3f}",
            format_number(result.operations, 3),
        ]
        for method, result in demo.items()
    ],
    caption=f"M16,10 trained here: accuracy {clean_accuracy:.4f} on {reference_samples:,} sequences",
)

# %% tags=["remove-cell"]
glue("est_m16_demo_fm_low", f"{100 * (clean_accuracy - demo['fixed_masks'].estimate):.0f}")
glue("est_m16_demo_mp", f"{demo['moment_propagation'].estimate:.2f}")
glue(
    "est_m16_demo_sampling_z",
    f"{abs(demo['sampling'].estimate - clean_accuracy) / demo['sampling'].details['standard_error']:.1f}",
)

# %% [markdown]
# On the clean model fixed masks is already {glue:text}`est_m16_demo_fm_low` percentage points low and
# moment propagation answers {glue:text}`est_m16_demo_mp`; sampling, at the same operations, is off by
# {glue:text}`est_m16_demo_sampling_z` of its standard errors.  One model proves little either way ("an
# estimate for a single model could be close by chance"); the ensembles below measure it.
#
# ### Two ensembles
#
# The noise level follows a stated rule: absolute Gaussian noise on every
# weight, at the smallest level of the grid {glue:text}`est_m16_grid` at which {glue:text}`est_m16_pilot_models`
# noisy models' accuracies spread with a standard deviation of at least {glue:text}`est_m16_threshold`, so
# that no constant guess is within that of every model.  The pilot chose $\sigma =$
# {glue:text}`est_m16_sigma`, against the {glue:text}`est_sigma` put on M4,3 above ({ref}`est-mse`): the
# pilot shows how fast M16,10's accuracy falls with noise.  The
# {glue:text}`est_m16_models` noisy models of the ensemble have accuracies {glue:text}`est_m16_noisy_mean`
# (mean ± standard deviation), each measured on {glue:text}`est_m16_reference_samples` sequences (standard
# error at most {glue:text}`est_m16_reference_se`; the mean square, {glue:text}`est_m16_reference_variance`,
# is negligible beside the estimates' errors below).  The five seeds trained here on AlgZoo's full recipe are
# the second ensemble, with accuracies from {glue:text}`est_m16_seed_min` to {glue:text}`est_m16_seed_max`.

# %% tags=["remove-input"]
pilot = ensembles["pilot"]
pilot_rule = ensembles_record["noise_rule"]
reference_se = float(np.max(np.sqrt(noisy_accuracy * (1 - noisy_accuracy) / reference_samples)))
glue("est_m16_grid", "{" + ", ".join(f"{s:g}" for s in pilot["grid"]) + "}")
glue("est_m16_pilot_models", pilot_rule["pilot_models"])
glue("est_m16_threshold", f"{pilot['threshold']:g}")
glue("est_m16_sigma", f"{pilot['sigma']:g}")
glue("est_m16_models", len(noisy_accuracy))
glue("est_m16_noisy_mean", f"{noisy_accuracy.mean():.3f} ± {noisy_accuracy.std():.3f}")
glue("est_m16_reference_se", format_number(reference_se, 1))
glue(
    "est_m16_reference_variance",
    format_number(np.mean(noisy_accuracy * (1 - noisy_accuracy) / reference_samples), 2),
)
glue("est_m16_seed_min", f"{seed_accuracy.min():.3f}")
glue("est_m16_seed_max", f"{seed_accuracy.max():.3f}")
glue("est_m16_error_one_in", f"{1 / (1 - noisy_accuracy.mean()):.0f}")
Table(
    ["noise σ"] + [f"{s:g}" for s in pilot["grid"]],
    [
        ["mean accuracy"] + [f"{m:.3f}" for m in pilot["mean"]],
        ["standard deviation"] + [f"{s:.3f}" for s in pilot["sd"]],
    ],
    caption=f"The noise rule's pilot: {pilot_rule['pilot_models']} noisy models per level, "
    f"{pilot_rule['pilot_samples']:,} sequences each",
)

# %% tags=["remove-cell"]
fig, ax = plt.subplots(figsize=(6.5, 2.8))
ax.hist(
    noisy_accuracy,
    bins=16,
    color=COLOURS["noisy_models"],
    label=f"noisy models (σ = {pilot['sigma']:g})",
)
for k, value in enumerate(seed_accuracy):
    ax.axvline(
        value, color=COLOURS["trained_seeds"], lw=1.5, label="trained seeds" if k == 0 else None
    )
ax.axvline(clean_accuracy, color="black", ls="--", lw=1.2, label="the M16,10 trained here")
ax.set_xlabel(f"accuracy (reference, {reference_samples:,} sequences per model)")
ax.set_ylabel("models")
ax.legend(loc="upper left", fontsize=8, frameon=False)
fig.tight_layout()
glue("est_m16_ensemble_histogram", fig)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} est_m16_ensemble_histogram
# :name: fig-est-m16-ensembles
# :alt: A histogram of the accuracies of the noisy copies of M16,10, spread over several percentage points below the clean model's accuracy, with the five trained seeds marked as vertical lines between the middle of the histogram and the clean model.
#
# The two ensembles.  Noise of this size moves the accuracy by several percentage points, more than the
# spread between training seeds; an estimate must follow these moves to score well.  The M16,10 trained here
# is the best of the seeds, so one seed's line lies under the dashed line.
# ```

# %% [markdown]
# ### The curves against plain and stratified sampling
#
# Each estimate runs on every model at each budget, and the harness of {ref}`est-measure` scores it: the mean
# squared error against the references, split into bias (the mean error) and the variance of the errors
# across models, and the factor by which it exceeds sampling's at the same operations.  Plain sampling's
# error at $C$ operations is $\overline{p(1-p)}/\lfloor C/c \rfloor$, with $c$ the forward pass.  Two
# stronger samplers set a higher bar: *stratified sampling* draws equally many sequences in each of the 90
# cases, which removes the variance between case accuracies; the *control variate* corrects sampling with the
# fixed-mask surrogate, whose accuracy it knows from the cone measures; *randomized quasi-Monte Carlo*
# (RQMC) replaces the random sequences by a scrambled Sobol sequence (`scipy.stats.qmc.Sobol`,
# `scramble=True`) mapped to Gaussians by the inverse normal CDF, charged for both (point generation and
# inverse normal: {glue:text}`est_m16_rqmc_per_sequence` operations a sequence against a forward pass's
# {glue:text}`est_m16_forward`).  All three sample, so none is mechanistic.  RQMC has no closed form: its
# curve is measured, {glue:text}`est_m16_rqmc_replicates` scrambles of every noisy model
# ({glue:text}`est_m16_rqmc_seed_replicates` of every seed) at $2^5$ to $2^{16}$ sequences, its ratio to
# plain sampling interpolated between those sizes and held at the end values beyond them.  Importance sampling, the strongest method in Wu and Hilton's estimates of rare outputs
# {cite}`wu2025lowprobability`, is not among them: it pays where the event is rare, and M16,10's errors are
# not (one input in {glue:text}`est_m16_error_one_in` on the noisy models).

# %%
m16_summary = {
    group: m16_part3.add_rqmc_factors(
        m16.summarize_group(curves, ensembles, group), curves, ensembles, rqmc_study, group
    )
    for group in M16_GROUPS
}
m16_best = {
    group: {method: m16.best_setting(m16_summary[group], method) for method in M16_ESTIMATES}
    for group in M16_GROUPS
}

# %% tags=["remove-cell"]
budgets = np.logspace(np.log10(M16_PER_SAMPLE), 10, 200)
sampler_lines = {
    group: {
        **m16.sampling_curves(curves, ensembles, group, budgets),
        "rqmc": m16_part3.all_sampler_mse(curves, ensembles, rqmc_study, group, budgets)[
            "rqmc"
        ],
    }
    for group in M16_GROUPS
}
estimate_points = {
    group: {
        method: (
            [row["operations"] for row in m16_summary[group] if row["method"] == method],
            [row["mse"] for row in m16_summary[group] if row["method"] == method],
        )
        for method in M16_ESTIMATES
    }
    for group in M16_GROUPS
}
fig = m16_mse_figure(
    budgets,
    sampler_lines,
    estimate_points,
    {
        group: f"{title} ({len(m16.accuracies_from_counts(ensembles[group]['counts']))} models)"
        for group, title in M16_GROUPS.items()
    },
    COLOURS,
    MARKERS,
    M16_ESTIMATES,
)
glue("est_m16_mse_curves", fig)
plt.close(fig)

# %% tags=["remove-cell"]
cv_start = KNOWN_MEAN_SHARE * control_variate_operations(
    16, 10, min(curves_record["fixed_mask_points"]), 0
)
glue("est_m16_cv_start", format_number(cv_start, 2))
glue("est_m16_cv_share", f"1/{KNOWN_MEAN_SHARE}")
for group in M16_GROUPS:
    lines = m16.sampling_curves(curves, ensembles, group, budgets)
    finite = np.isfinite(lines["stratified"])
    glue(
        f"est_m16_{group}_stratified_gain",
        f"{100 * (1 - np.min(lines['stratified'][finite] / lines['plain'][finite])):.0f}%",
    )
    finite = np.isfinite(lines["control_variate"])
    glue(
        f"est_m16_{group}_cv_ratio",
        f"{np.min(lines['control_variate'][finite] / lines['plain'][finite]):.2f}",
    )
    c = {
        key: value.sum(-1).double().numpy() for key, value in ensembles[group]["counts"].items()
    }
    p_network, p_surrogate, p_both = (
        c["correct"] / c["total"],
        c["surrogate"] / c["total"],
        c["both"] / c["total"],
    )
    rho2 = (p_both - p_network * p_surrogate) ** 2 / (
        p_network * (1 - p_network) * p_surrogate * (1 - p_surrogate)
    )
    glue(f"est_m16_{group}_rho2", f"{np.mean(rho2):.2f}")

# %% [markdown]
# ```{glue:figure} est_m16_mse_curves
# :name: fig-est-m16-mse
# :alt: Two log-log panels of mean squared error against operations. The three sampling lines fall with slope minus one and nearly coincide; the fixed-mask dots sit above them and stay flat at their bias; the moment-propagation triangles sit far above everything, near the top of each panel.
#
# Mean squared error versus compute on the noisy models (left) and the trained seeds (right).  Lines: the
# three samplers (closed form), RQMC (measured) and the best constant guess (the ensemble's spread); markers: the two mechanistic estimates at each
# number of Genz points per case.  Neither estimate reaches a sampling line; a marker to the right of where
# a sampling line crosses its height loses to sampling at equal compute.
# ```
#
# The three samplers nearly coincide.  Stratified sampling gains at most {glue:text}`est_m16_noisy_stratified_gain`
# in mean squared error on the noisy models ({glue:text}`est_m16_seeds_stratified_gain` on the seeds).  The
# control variate starts at {glue:text}`est_m16_cv_start` operations, where its cone measures fit in
# {glue:text}`est_m16_cv_share` of the budget, and never beats plain sampling: its mean squared error stays at
# least {glue:text}`est_m16_noisy_cv_ratio` times plain sampling's ({glue:text}`est_m16_seeds_cv_ratio` on
# the seeds).  The surrogate's correctness explains on average only {glue:text}`est_m16_noisy_rho2` of the
# variance of the network's (the squared correlation; seeds: {glue:text}`est_m16_seeds_rho2`), and by its
# closed form the control variate removes at most that share, before paying for the surrogate and for the
# error of its cone-measured mean.  The closed-form curves agree with the samplers run for real on every
# noisy model:

# %% tags=["remove-input"]
check_rows = []
for row in m16.sampling_check_table(curves, ensembles, "noisy"):
    check_rows.append(
        [
            row["sampler"].replace("_", " "),
            format_number(row["operations"], 2),
            format_estimate(1e6 * row["measured"], 1e6 * row["standard_error"]),
            format_number(1e6 * row["predicted"], 2),
        ]
    )
Table(
    ["sampler", "operations", "measured MSE (× 10⁻⁶)", "closed form (× 10⁻⁶)"],
    check_rows,
    caption=f"The samplers run for real on the {len(noisy_accuracy)} noisy models against their closed-form "
    "mean squared error",
)

# %% tags=["remove-cell"]
m16_rqmc = {group: m16_part3.rqmc_curve(rqmc_study, ensembles, group) for group in M16_GROUPS}
RQMC_BAND = (2**10, 2**14)  # the sizes the issue's 0.75-0.8 was stated for
glue("est_m16_rqmc_per_sequence", f"{m16_part3.per_sequence_operations(16, 10):,}")
glue("est_m16_rqmc_replicates", rqmc_record["replicates"]["noisy"])
glue("est_m16_rqmc_seed_replicates", rqmc_record["replicates"]["seeds"])
for group in M16_GROUPS:
    curve = m16_rqmc[group]
    band = (curve["samples"] >= RQMC_BAND[0]) & (curve["samples"] <= RQMC_BAND[1])
    glue(f"est_m16_{group}_rqmc_low", f"{curve['ratio'][band].min():.2f}")
    glue(f"est_m16_{group}_rqmc_high", f"{curve['ratio'][band].max():.2f}")
    glue(f"est_m16_{group}_rqmc_small", f"{curve['ratio'][curve['samples'] <= 256].mean():.2f}")
glue("est_m16_rqmc_se", f"{m16_rqmc['noisy']['ratio_standard_error'].max():.2f}")
glue("est_m16_rqmc_band", f"{RQMC_BAND[0]:,} to {RQMC_BAND[1]:,}")

# %% [markdown]
# RQMC is the strongest of the samplers at large budgets (the break-even table below: at $10^5$ operations
# plain sampling's cheaper sequences win).  From {glue:text}`est_m16_rqmc_band` sequences its mean squared
# error is {glue:text}`est_m16_noisy_rqmc_low` to {glue:text}`est_m16_noisy_rqmc_high` times plain
# sampling's on the noisy models (standard error at most {glue:text}`est_m16_rqmc_se`) and
# {glue:text}`est_m16_seeds_rqmc_low` to {glue:text}`est_m16_seeds_rqmc_high` on the seeds; at 256
# sequences and fewer it gains little ({glue:text}`est_m16_noisy_rqmc_small` on average, noisy models).
# A prediction's correctness is discontinuous in the input (it jumps where two logits cross), which limits
# what evenly spread points can buy; here the gain grows slowly with the number of sequences:

# %% tags=["remove-input"]
Table(
    ["sequences"] + [f"{int(n):,}" for n in m16_rqmc["noisy"]["samples"][::2]],
    [
        [f"{M16_GROUPS[group]}: RQMC ÷ plain MSE"]
        + [
            format_estimate(r, e)
            for r, e in zip(
                m16_rqmc[group]["ratio"][::2], m16_rqmc[group]["ratio_standard_error"][::2]
            )
        ]
        for group in M16_GROUPS
    ],
    caption="RQMC's mean squared error over plain sampling's at the same number of sequences, measured "
    "(mean over models and scrambles; the references' own variance subtracted)",
)

# %% [markdown]
# ### Bias, variance and the factor at the best budget
#
# Each estimate's best budget is the setting with the smallest factor to plain sampling, chosen here on the
# same models it is scored on (an optimistic choice; the split-half check below scores a choice made on the
# other half):


# %% tags=["remove-input"]
Table(
    [
        "ensemble",
        "estimate (best setting)",
        "operations",
        "bias",
        "sd of errors",
        "RMS error",
        "× sampling's MSE",
        "× stratified's",
        "× RQMC's",
    ],
    [
        [M16_GROUPS[group]] + numbers.best_cells(m16_best[group][method])
        for group in M16_GROUPS
        for method in M16_ESTIMATES
    ],
    caption="Each estimate at its best budget: its errors against the references, and the factor by which its "
    "mean squared error exceeds each sampler's at the same operations (the control variate needs at "
    f"least {format_number(cv_start, 2)} operations)",
)

# %% tags=["remove-cell"]
fm_noisy, fm_seeds = m16_best["noisy"]["fixed_masks"], m16_best["seeds"]["fixed_masks"]
mp_noisy = m16_best["noisy"]["moment_propagation"]
glue("est_m16_fm_rms", f"{fm_noisy['rms']:.3f}")
glue("est_m16_fm_bias", f"{fm_noisy['bias']:+.3f}")
glue("est_m16_fm_sd", f"{math.sqrt(fm_noisy['variance']):.3f}")
glue("est_m16_fm_operations", format_number(fm_noisy["operations"], 2))
glue("est_m16_fm_factor", format_number(fm_noisy["factor_plain"], 2))
glue("est_m16_fm_factor_seeds", format_number(fm_seeds["factor_plain"], 2))

# %% tags=["remove-cell"]
glue(
    "est_m16_fm_samples",
    format_number(np.mean(noisy_accuracy * (1 - noisy_accuracy)) / fm_noisy["mse"], 2),
)
glue("est_m16_fm_forward_passes", format_number(fm_noisy["operations"] / M16_PER_SAMPLE, 2))
glue("est_m16_mp_estimate", f"{mp_noisy['mean_estimate']:.2f}")
glue("est_m16_mp_factor", format_number(mp_noisy["factor_plain"], 2))
glue("est_m16_noisy_mean_only", f"{noisy_accuracy.mean():.2f}")
glue("est_m16_constant_rms", f"{noisy_accuracy.std():.3f}")
glue("est_m16_seeds_constant_rms", f"{seed_accuracy.std():.3f}")
glue("est_m16_fm_seeds_rms", f"{fm_seeds['rms']:.3f}")
fm_estimates = curves["noisy"]["settings"][fm_noisy["key"]]["estimate"].numpy()
glue("est_m16_fm_correlation", f"{np.corrcoef(fm_estimates, noisy_accuracy)[0, 1]:.2f}")
counts = ensembles["noisy"]["counts"]
surrogate_sampled = (
    counts["surrogate"].sum(-1).double() / counts["total"].sum(-1).double()
).numpy()
converged_points = 640  # the doubling ladder from here on
converged = [
    setting["estimate"].numpy()
    for setting in curves["noisy"]["settings"].values()
    if setting["method"] == "fixed_masks" and setting["maxpts"] >= converged_points
]
glue("est_m16_converged_points", f"{converged_points:,}")
glue(
    "est_m16_genz_agreement",
    format_number(max(np.abs(e - surrogate_sampled).max() for e in converged), 2),
)
glue(
    "est_m16_fm_converged_rms", f"{np.sqrt(np.mean((converged[0] - noisy_accuracy) ** 2)):.3f}"
)
seed_estimates = curves["seeds"]["settings"][fm_seeds["key"]]["estimate"].numpy()
worst_seed = int(np.argmax(np.abs(seed_estimates - seed_accuracy)))
glue("est_m16_seed_worst_estimate", f"{seed_estimates[worst_seed]:.2f}")
glue("est_m16_seed_worst_reference", f"{seed_accuracy[worst_seed]:.3f}")

# %% [markdown]
# Fixed masks is the better estimate.  At its best budget on the noisy models
# ({glue:text}`est_m16_fm_operations` operations, the cost of {glue:text}`est_m16_fm_forward_passes` forward
# passes) its RMS error is {glue:text}`est_m16_fm_rms`: a bias of {glue:text}`est_m16_fm_bias` and a spread
# of {glue:text}`est_m16_fm_sd` across models.  That is below the best constant guess
# ({glue:text}`est_m16_constant_rms`): it does read the noise out of the weights (correlation
# {glue:text}`est_m16_fm_correlation` between estimates and references).  But sampling reaches that error
# with about {glue:text}`est_m16_fm_samples` sequences, and at equal operations sampling's mean squared error
# is {glue:text}`est_m16_fm_factor` times smaller ({glue:text}`est_m16_fm_factor_seeds` times over the
# trained seeds).  More Genz points do not help: from {glue:text}`est_m16_converged_points` points per case
# on, the cone measures agree with the surrogate's accuracy sampled on the reference sequences to within
# {glue:text}`est_m16_genz_agreement` on every model, and the error stays at
# {glue:text}`est_m16_fm_converged_rms`, the surrogate's own; the factor then grows with the budget.  Over
# the trained seeds, whose accuracies differ little, it does worse than a constant guess (RMS error
# {glue:text}`est_m16_fm_seeds_rms` against {glue:text}`est_m16_seeds_constant_rms`): one seed is estimated
# at {glue:text}`est_m16_seed_worst_estimate` for a true {glue:text}`est_m16_seed_worst_reference`.
# Moment propagation is not in the race: it estimates about {glue:text}`est_m16_mp_estimate` for models
# whose accuracy is near {glue:text}`est_m16_noisy_mean_only`, {glue:text}`est_m16_mp_factor` times
# sampling's mean squared error.
#
# Where the operations go (per model, all 90 cases):

# %% tags=["remove-input"]
fm_total = fixed_mask_operations(16, 10, fm_noisy["maxpts"])
maps = 90 * map_operations(16, 10, 10)
mp_total = moment_propagation_operations(16, 10, mp_noisy["order"], mp_noisy["maxpts"])
propagation = propagation_operations(16, 10, 10, mp_noisy["order"])
Table(
    ["estimate", "stage", "operations", "share"],
    [
        [
            fm_noisy["label"],
            "masks of the representative inputs and the linear maps B_c",
            format_number(maps, 2),
            f"{100 * maps / fm_total:.0f}%",
        ],
        [
            "",
            "cone measures (Genz)",
            format_number(fm_total - maps, 2),
            f"{100 * (fm_total - maps) / fm_total:.0f}%",
        ],
        [
            mp_noisy["label"],
            "propagation of means and covariances",
            format_number(propagation, 2),
            f"{100 * propagation / mp_total:.0f}%",
        ],
        [
            "",
            "Gaussian readout (Genz)",
            format_number(mp_total - propagation, 2),
            f"{100 * (mp_total - propagation) / mp_total:.0f}%",
        ],
    ],
    caption=f"Operations per model at the best settings on the noisy models; one forward pass costs "
    f"{M16_PER_SAMPLE:,}",
)

# %% [markdown]
# **Settings chosen honestly.**  Choosing the best of {glue:text}`est_m16_settings_count` settings on the
# models it is scored on flatters an estimate.  Split the noisy models into the even- and odd-numbered
# halves (fixed before scoring): each half chooses the setting, the other half scores it.

# %% tags=["remove-input"]
honest = {
    method: m16_part3.honest_choice(curves, ensembles, "noisy", method)
    for method in M16_ESTIMATES
}
honest_rows = [
    [M16_ESTIMATES[method], f"{'even odd'.split()[i]} half", choice["label"]]
    + [format_number(choice["factor_plain"], 2)]
    + [f"{scored['rms']:.3f}", format_number(scored["factor_plain"], 2)]
    for method, result in honest.items()
    for i, (choice, scored) in enumerate(zip(result["chosen_rows"], result["scored"]))
]
glue("est_m16_settings_count", len(curves["noisy"]["settings"]))
glue(
    "est_m16_fm_honest_factor",
    format_number(np.mean([r["factor_plain"] for r in honest["fixed_masks"]["scored"]]), 2),
)
Table(
    [
        "estimate",
        "chosen on",
        "setting",
        "× sampling there",
        "RMS on the other half",
        "× sampling",
    ],
    honest_rows,
    caption="Each half of the noisy models chooses the setting; the other half scores it",
)

# %% [markdown]
# Scored out of sample, fixed masks' factor to plain sampling averages
# {glue:text}`est_m16_fm_honest_factor` over the two halves, against {glue:text}`est_m16_fm_factor` chosen
# in sample.  **Break-even errors.**  An estimator of fixed cost ties a sampler at a budget when its RMS error
# equals the sampler's there; below, the RMS error it must reach at three budgets:


# %% tags=["remove-input"]
tie = {
    group: m16_part3.break_even(curves, ensembles, rqmc_study, group) for group in M16_GROUPS
}
SAMPLER_NAMES = {
    "plain": "plain",
    "stratified": "stratified",
    "control_variate": "control variate",
    "rqmc": "RQMC",
}
Table(
    ["ensemble", "sampler"] + [numbers.power_of_ten(b) for b in m16_part3.BREAK_EVEN_BUDGETS],
    [
        [M16_GROUPS[group] if k == 0 else "", label]
        + [f"{v:.4f}" if np.isfinite(v) else "cannot run" for v in tie[group][name]]
        for group in M16_GROUPS
        for k, (name, label) in enumerate(SAMPLER_NAMES.items())
    ],
    caption="RMS error a fixed-cost estimator must reach to tie each sampler at 10⁵, 10⁶ and 10⁷ "
    "operations (stratified: at least one sequence per case; control variate: its cone measures within "
    "its budget share)",
)

# %% [markdown]
# ### Where the errors come from
#
# **Moment propagation** fails twice.  Its first presumption, Gaussian pre-activations, breaks at the second
# step ($t = 1$) already: a pre-activation there is a sum of rectified inputs, and the presumed probability
# that it is positive is off by {glue:text}`est_m16_gate_error_step1` (RMS over cases and neurons), growing
# to {glue:text}`est_m16_gate_error_max` by step $t =$ {glue:text}`est_m16_gate_error_argmax`; the propagated mean
# pre-activations drift by {glue:text}`est_m16_mean_error_last` of their size by the last step.  Its second
# presumption, Gaussian logits, fails even with perfect moments: fed the *sampled* mean and covariance of the
# logits, the Gaussian readout gives {glue:text}`est_m16_readout_sampled` instead of the network's
# {glue:text}`est_m16_clean_accuracy`.  A likely reason: the logits of a positively homogeneous network are
# a scale mixture (their spread grows with the inputs' size), while the prediction only depends on their
# direction.
#
# **Fixed masks** errs where the representative's activation pattern is not the inputs'.  On average over
# the cases only {glue:text}`est_m16_pattern_match_min` of a case's inputs share the representative's full
# pattern at step $t =$ {glue:text}`est_m16_pattern_match_step`, yet the linear surrogate and the network
# are right or wrong together on {glue:text}`est_m16_surrogate_agreement` of the inputs (clean model).
# Its errors sit in the cases where the largest input comes *after* the second ($m > s$), worst when it comes
# last ($m = 9$: an underestimate of {glue:text}`est_m16_last_row_error` on average over the noisy models),
# and they follow the sign of single "other" inputs.  The representative has every other input at their
# mean, {glue:text}`est_m16_mean_other`; in {glue:text}`est_m16_sign_cases` cases the surrogate is right at
# least {glue:text}`est_m16_sign_threshold` percentage points less often when some other input is positive,
# {glue:text}`est_m16_sign_reverse` of them with $m > s$, and the most harmful input is the one just before
# the second largest (position $s - 1$) in {glue:text}`est_m16_sign_before` of them.  In the worst case
# ({glue:text}`est_m16_worst_case`) the surrogate's accuracy is {glue:text}`est_m16_worst_sign_gap`
# percentage points lower when input {glue:text}`est_m16_worst_position` is positive than when it is
# negative.  A fixed pattern per case cannot follow the mask flips that one positive input before the second
# largest causes; an estimate that splits the cases on those signs would pay for each split in cone measures.
# In the picture of the {doc}`m16_10` chapter this fits the running maximum: when the largest input comes
# later ($m > s$), the running maximum $\max(0, x_0, \dots, x_{s-1})$ that the second largest meets is 0
# for the representative input and positive as soon as one earlier input is.  We have not tested that this
# is the mechanism of these errors.

# %% tags=["remove-cell"]
gate_error = m16_diagnostics.gate_error_by_step(diagnostics)
mean_error = m16_diagnostics.pre_activation_mean_error_by_step(diagnostics)
rates = m16_diagnostics.case_rates(diagnostics)
pattern_match = diagnostics["pattern_match"].numpy().mean(0)
sensitivity = m16_diagnostics.sign_sensitivity(diagnostics)
worst_case, worst_position = np.unravel_index(np.nanargmin(sensitivity), sensitivity.shape)
case_list = cases(10)
noisy_cases = m16.case_accuracies_from_counts(ensembles["noisy"]["counts"])
fm_case = curves["noisy"]["settings"][fm_noisy["key"]]["case"].numpy()
case_error = np.full((10, 10), np.nan)
for c, (m, s) in enumerate(case_list):
    case_error[m, s] = np.mean(fm_case[:, m, s] - noisy_cases[:, c])
SIGN_THRESHOLD = (
    0.2  # a harmful sign: the surrogate right this much less often when the input is positive
)
harmful = np.nanmin(sensitivity, axis=1) < -SIGN_THRESHOLD
most_harmful = np.nanargmin(np.where(np.isnan(sensitivity), np.inf, sensitivity), axis=1)

# %% tags=["remove-cell"]
glue("est_m16_gate_error_step1", f"{gate_error[1]:.2f}")
glue("est_m16_gate_error_max", f"{gate_error.max():.2f}")
glue("est_m16_gate_error_argmax", int(np.argmax(gate_error)))
glue("est_m16_mean_error_last", f"{100 * mean_error[-1]:.0f}%")
glue("est_m16_readout_sampled", f"{rates['gaussian_readout'].mean():.3f}")
glue("est_m16_clean_accuracy", f"{rates['network'].mean():.3f}")
glue("est_m16_pattern_match_min", f"{100 * pattern_match.min():.0f}%")
glue("est_m16_pattern_match_step", int(np.argmin(pattern_match)))
clean_counts = {key: value.sum().item() for key, value in ensembles["clean"]["counts"].items()}
glue(
    "est_m16_surrogate_agreement",
    f"{100 * (clean_counts['total'] - clean_counts['correct'] - clean_counts['surrogate'] + 2 * clean_counts['both']) / clean_counts['total']:.0f}%",
)
glue("est_m16_last_row_error", f"{-np.nanmean(case_error[9]):.2f}")
glue("est_m16_mean_other", f"{top_two_moments(10).mean_other:.2f}")
glue("est_m16_sign_threshold", f"{100 * SIGN_THRESHOLD:.0f}")
glue("est_m16_worst_case", f"m, s = {case_list[worst_case][0]}, {case_list[worst_case][1]}")
glue("est_m16_worst_position", int(worst_position))
glue("est_m16_worst_sign_gap", f"{100 * -sensitivity[worst_case, worst_position]:.0f}")
glue("est_m16_sign_cases", int(harmful.sum()))
glue("est_m16_sign_reverse", int(sum(h and m > s for h, (m, s) in zip(harmful, case_list))))
glue(
    "est_m16_sign_before",
    int(sum(h and t == s - 1 for h, t, (m, s) in zip(harmful, most_harmful, case_list))),
)

# %% tags=["remove-cell"]
fig = m16_error_figure(case_error, gate_error, pattern_match, COLOURS, MARKERS)
glue("est_m16_error_analysis", fig)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} est_m16_error_analysis
# :name: fig-est-m16-errors
# :alt: Left, a ten by ten map of the fixed-mask estimate's mean error per case, dark below the diagonal and darkest in the bottom row, where the largest input comes last. Right, two curves over the ten steps: moment propagation's gate probability error rising after the first step, and the fraction of inputs whose activation pattern differs from the representative's, above one half at most steps.
#
# Where the estimates err.  Left: fixed masks' error per case, averaged over the noisy models (estimate minus
# reference; the diagonal is empty, $m \ne s$); the cases below the diagonal (largest input after the second)
# are underestimated, the bottom row (largest input last) most.  Right: per step, moment propagation's RMS
# error in the probability that a neuron is active (clean model), and the fraction of a case's inputs whose
# activation pattern differs from the representative input's.
# ```

# %% [markdown]
# ### Why fixed masks has a floor, measured
#
# The mask-substitution experiment locates the floor.  On {glue:text}`est_m16_sub_samples` Gaussian
# sequences per model the network runs with its *true* activation masks (its own ReLU) on some steps and the
# case's fixed masks on the others; the *bias* is the hybrid's accuracy minus the network's on the same
# inputs, the *agreement* the share of inputs on which both predict the same position.  "True to step $k$"
# uses true masks from step 0 to $k$; the other schemes are placed per input relative to the first and the
# later of the two largest inputs ("impulses").  Besides the noisy ensemble ($\sigma =$
# {glue:text}`est_m16_sigma`) the measures run on {glue:text}`est_m16_extra_models` noisy models at each of
# $\sigma =$ {glue:text}`est_m16_extra_sigmas` (the issue asked for a smaller noise of 0.005, which is above
# this ensemble's level, so both a smaller and that level are shown) and on the five trained seeds.

# %% tags=["remove-input"]
SUB_GROUPS = {
    "noisy": f"σ = {pilot['sigma']:g}",
    **{f"sigma{s}": f"σ = {s:g}" for s in masks_record["extra_sigmas"]},
    "seeds": "seeds",
}
sub = {group: m16_part3.scheme_summary(masks_study, group) for group in [*SUB_GROUPS, "clean"]}
SHOWN = [r["scheme"] for r in sub["noisy"] if "state" not in r["scheme"]]
glue("est_m16_sub_samples", f"{masks_record['samples']:,}")
glue("est_m16_extra_models", masks_record["extra_models"])
glue("est_m16_extra_sigmas", " and ".join(f"{s:g}" for s in masks_record["extra_sigmas"]))
Table(
    ["scheme", f"bias range ({SUB_GROUPS['noisy']})"]
    + [f"bias / agreement ({label})" for label in SUB_GROUPS.values()],
    [
        [name, f"{by['noisy'][name]['bias_min']:+.3f} to {by['noisy'][name]['bias_max']:+.3f}"]
        + [
            f"{by[group][name]['bias']:+.3f} / {by[group][name]['agreement']:.3f}"
            for group in SUB_GROUPS
        ]
        for by in [{g: {r["scheme"]: r for r in rows} for g, rows in sub.items()}]
        for name in SHOWN
    ],
    caption="Mask substitution: mean bias and agreement over each ensemble's models (the range of the "
    "bias over the noisy models)",
)

# %% tags=["remove-cell"]
by_scheme = {g: {r["scheme"]: r for r in rows} for g, rows in sub.items()}
LATER, BEFORE, AFTER, SECOND = (
    "true to the later impulse",
    "true before the first impulse only",
    "true after the later impulse only",
    "true to the second-largest's step",
)
for group in SUB_GROUPS:
    key = group.replace(".", "_")
    glue(f"est_m16_sub_{key}_later_bias", f"{by_scheme[group][LATER]['bias']:+.3f}")
    glue(f"est_m16_sub_{key}_later_agree", f"{by_scheme[group][LATER]['agreement']:.3f}")
    glue(
        f"est_m16_sub_{key}_fixed_agree",
        f"{by_scheme[group]['fixed masks throughout']['agreement']:.3f}",
    )
    glue(
        f"est_m16_sub_{key}_fixed_bias",
        f"{by_scheme[group]['fixed masks throughout']['bias']:+.3f}",
    )
later_max = max(
    max(abs(by_scheme[g][LATER]["bias_min"]), abs(by_scheme[g][LATER]["bias_max"]))
    for g in SUB_GROUPS
)
glue("est_m16_sub_later_max", f"{later_max:.3f}")
glue("est_m16_sub_before_bias", f"{by_scheme['noisy'][BEFORE]['bias']:+.3f}")
glue("est_m16_sub_after_bias", f"{by_scheme['noisy'][AFTER]['bias']:+.3f}")
glue(
    "est_m16_sub_second_bias",
    f"{by_scheme['noisy'][SECOND]['bias']:+.3f}",
)
glue(
    "est_m16_sub_between_bias",
    f"{by_scheme['noisy']['true between the impulses only']['bias']:+.3f}",
)

# %% [markdown]
# With true masks up to the later impulse and fixed masks after it, the agreement rises from
# {glue:text}`est_m16_sub_noisy_fixed_agree` (fixed masks throughout) to
# {glue:text}`est_m16_sub_noisy_later_agree` on the noisy models (seeds: {glue:text}`est_m16_sub_seeds_later_agree`),
# with a bias of {glue:text}`est_m16_sub_noisy_later_bias` (seeds: {glue:text}`est_m16_sub_seeds_later_bias`;
# every model of the four ensembles within ±{glue:text}`est_m16_sub_later_max`).  True masks only before the
# first impulse (bias {glue:text}`est_m16_sub_before_bias`) or only after the later one
# ({glue:text}`est_m16_sub_after_bias`) do not help, against {glue:text}`est_m16_sub_noisy_fixed_bias` with
# fixed masks throughout; up to the second largest's own step (the first impulse when the largest comes
# later) the bias is {glue:text}`est_m16_sub_second_bias` but the agreement stays low (table); true masks only
# between the impulses give {glue:text}`est_m16_sub_between_bias`.  The disagreements that fixed masks cannot
# remove sit up to the later impulse, where one pattern per case stands for many:

# %% tags=["remove-input"]
variety = {group: m16_part3.variety_summary(masks_study, group) for group in SUB_GROUPS}
sizes = masks_study["noisy"]["coverage"].shape[1]
MIX_SIZES = (1, 10, 100, 1000)
margin_levels = masks_record["margin_levels"]
ONE_PERCENT = margin_levels.index(0.01)
Table(
    ["ensemble", "distinct patterns (median case)"]
    + [f"top {k:,} cover" for k in MIX_SIZES]
    + ["inputs decided by < 1% of the largest logit"],
    [
        [label, f"{variety[group]['distinct_median']:.0f}"]
        + [f"{100 * c:.0f}%" for c in variety[group]["coverage_median"]]
        + [f"{100 * masks_study[group]['margin_below'][:, ONE_PERCENT].mean().item():.1f}%"]
        for group, label in SUB_GROUPS.items()
    ],
    caption=f"Pattern variety between the two impulses ({VARIETY_SAMPLES:,} inputs of each case; median over "
    "cases, then over models; coverage is counted on the inputs that rank the patterns, so it is "
    "optimistic) and the decision margins (sampled inputs)",
)

# %% tags=["remove-cell"]
glue("est_m16_variety_samples", f"{VARIETY_SAMPLES:,}")
glue("est_m16_var_noisy", f"{variety['noisy']['distinct_median']:.0f}")
glue("est_m16_var_top100", f"{100 * variety['noisy']['coverage_median'][2]:.0f}%")
glue(
    "est_m16_margin_noisy",
    f"{100 * masks_study['noisy']['margin_below'][:, ONE_PERCENT].mean().item():.1f}%",
)
PER_PATTERN = fixed_mask_operations(16, 10, min(curves_record["fixed_mask_points"]))
mixture = m16_part3.mixture_rows(
    variety["noisy"], MIX_SIZES, PER_PATTERN, noisy_accuracy, m16_rqmc["noisy"]
)
glue("est_m16_mix_per_pattern", format_number(PER_PATTERN, 2))

# %% [markdown]
# Between the two impulses a case of the noisy models shows a median of {glue:text}`est_m16_var_noisy`
# distinct patterns in {glue:text}`est_m16_variety_samples` inputs, and the 100 most frequent cover {glue:text}`est_m16_var_top100` of them.
# A mixture of $K$ patterns per case, each priced as one fixed-mask estimate at the cheapest setting
# ({glue:text}`est_m16_mix_per_pattern` operations for all 90 cases), describes only the covered inputs; the
# rest, its *uncovered share*, it must guess.  Against sampling's error at the same operations:

# %% tags=["remove-input"]
Table(
    [
        "patterns per case K",
        "operations",
        "uncovered share",
        "plain sampling's RMS",
        "RQMC's RMS",
    ],
    [
        [
            f"{row['size']:,}",
            format_number(row["operations"], 2),
            f"{row['uncovered']:.3f}",
            f"{row['plain_rms']:.4f}",
            f"{row['rqmc_rms']:.4f}",
        ]
        for row in mixture
    ],
    caption="The cost of a K-pattern mixture on the noisy models against sampling's error at that cost",
)

# %% [markdown]
# ### One attempt past the floor: the state at the later impulse, behind a go/no-go test
#
# If the state at the later impulse could be had from the weights, fixed masks after it would do the rest.
# ARC's identities for M16,10 {cite}`arc2026algzoo` suggest a model of that state: the network forms running
# maxima $\max(0, x_0, \dots, x_t)$ and leave-one-out maxima $\max(0, x_j : j \ne i)$, and once both of the
# two largest inputs have been read every one of these is a function of those two alone.  So the predicted
# state is the network's state at the later impulse on the *two-impulse input*: the two largest inputs in
# place, every other input 0 (the $\max(0, \cdot)$ floor).  A per-case estimator built on it would integrate
# over two variables instead of ten.  Before building it, the go/no-go test in the substitution setup: the
# predicted state replaces the true one at the later impulse, fixed masks after; go only if the bias is at
# most {glue:text}`est_m16_go_bias` and the agreement at least {glue:text}`est_m16_go_agreement` on the noisy
# ensemble (both without slack for the standard error).

# %% tags=["remove-input"]
PREDICTED, TRUE_STATE = (
    "predicted state at the later impulse",
    "true state at the later impulse",
)
GO_ROWS = {
    "fixed masks throughout": "fixed masks throughout (null)",
    PREDICTED: "predicted state (two-impulse input), fixed masks after",
    TRUE_STATE: "true state, fixed masks after (ceiling)",
}
glue("est_m16_go_bias", f"{GO_BIAS:g}")
glue("est_m16_go_agreement", f"{GO_AGREEMENT:g}")
Table(
    ["state at the later impulse"]
    + [f"bias / agreement ({label})" for label in SUB_GROUPS.values()],
    [
        [label]
        + [
            f"{by_scheme[group][name]['bias']:+.3f} / {by_scheme[group][name]['agreement']:.3f}"
            for group in SUB_GROUPS
        ]
        for name, label in GO_ROWS.items()
    ],
    caption="The go/no-go test: bias and agreement with the state at the later impulse substituted",
)

# %% tags=["remove-cell"]
go_null = by_scheme["noisy"]["fixed masks throughout"]
go_ours = by_scheme["noisy"][PREDICTED]
# the predicted state at the other noise levels and on the seeds, shown in the rows
go_other = {
    field: tuple(
        (
            label,
            Measurement(
                by_scheme[group][PREDICTED][field],
                by_scheme[group][PREDICTED][f"{field}_standard_error"],
            ),
        )
        for group, label in SUB_GROUPS.items()
        if group != "noisy"
    )
    for field in ("bias", "agreement")
}

# %% tags=["remove-cell"]
go_claims = [
    Claim(
        "the predicted state at the later impulse leaves a bias within ±0.01 (go/no-go, part 1)",
        ARC,
        "—",
        Measurement(go_ours["bias"], go_ours["bias_standard_error"]),
        within(0.0, GO_BIAS, z=0, description=f"|bias| ≤ {GO_BIAS:g} (no slack)"),
        null=Measurement(go_null["bias"], go_null["bias_standard_error"]),
        null_label="fixed masks throughout",
        other_settings=go_other["bias"],
        further="the book's attempt at ARC's challenge (issue 27's go/no-go test)",
        note=f"{M16_GROUPS['noisy']}, {masks_record['samples']:,} sequences each",
    ),
    Claim(
        "the predicted state at the later impulse agrees with the network on ≥ 95% of inputs (go/no-go, part 2)",
        ARC,
        "—",
        Measurement(go_ours["agreement"], go_ours["agreement_standard_error"]),
        at_least(GO_AGREEMENT, z=0, description=f"agreement ≥ {GO_AGREEMENT:g}"),
        null=Measurement(go_null["agreement"], go_null["agreement_standard_error"]),
        null_label="fixed masks throughout",
        other_settings=go_other["agreement"],
        further="the book's attempt at ARC's challenge (issue 27's go/no-go test)",
        note=f"{M16_GROUPS['noisy']}; mean agreement over models; the true state substituted reaches "
        f"{by_scheme['noisy'][LATER]['agreement']:.3f} here and "
        f"{by_scheme['seeds'][LATER]['agreement']:.3f} on the seeds",
    ),
]
for row in go_claims:
    claims.add(row)
go = all(row.criterion.holds(row.measured) for row in go_claims)
glue("est_m16_go_verdict_bias", go_claims[0].verdict)
glue("est_m16_go_verdict_agreement", go_claims[1].verdict)
glue(
    "est_m16_go_decision", "go: the full curves follow" if go else "no-go: no curves are drawn"
)
glue("est_m16_go_pred_bias", f"{go_ours['bias']:+.3f}")
glue("est_m16_go_pred_agree", f"{go_ours['agreement']:.3f}")
glue("est_m16_go_true_agree", f"{by_scheme['noisy'][TRUE_STATE]['agreement']:.3f}")

# %% [markdown]
# With the two-impulse state substituted, the bias is {glue:text}`est_m16_go_pred_bias` and the agreement
# {glue:text}`est_m16_go_pred_agree` on the noisy models (the true state gives
# {glue:text}`est_m16_go_true_agree`).  The rule's verdicts (further-checks table below): bias
# {glue:text}`est_m16_go_verdict_bias`, agreement {glue:text}`est_m16_go_verdict_agreement`; the decision:
# {glue:text}`est_m16_go_decision`.  The two-impulse state misses what the other inputs leave in the state
# (the {doc}`m16_10` chapter's identities fit some neurons, not all); which neurons carry the difference we have
# not measured.
#
# ### What any estimator must achieve
#
# An estimator that predicts each input from approximate logits can err only on inputs whose decision margin
# (largest logit minus the runner-up, relative to the largest) is below its relative logit error, and an
# accuracy estimate that errs on a share $f$ of the inputs is off by at most $f$.  To be sure of tying RQMC
# at a budget, that share must stay below RQMC's RMS error there, so the logits must be right to the margin
# quantile at that share:

# %% tags=["remove-input"]
probabilities = masks_record["margin_probabilities"]
need_rows = []
for group in M16_GROUPS:
    for b, budget in enumerate(m16_part3.BREAK_EVEN_BUDGETS):
        share = float(tie[group]["rqmc"][b])
        delta = m16_part3.margin_quantile(masks_study, group, share, probabilities)
        need_rows.append(
            [
                M16_GROUPS[group] if b == 0 else "",
                numbers.power_of_ten(budget),
                f"{share:.4f}",
                format_number(delta, 2),
            ]
        )
        if group == "noisy" and budget == 10**6:
            glue("est_m16_need_share", f"{100 * share:.1f}%")
            glue("est_m16_need_agreement", f"{1 - share:.3f}")
            glue("est_m16_need_delta", format_number(delta, 1))
            glue("est_m16_need_passes", f"{budget // M16_PER_SAMPLE:,}")
Table(
    [
        "ensemble",
        "within operations",
        "inputs it may get wrong (RQMC's RMS)",
        "logits right to (relative)",
    ],
    need_rows,
    caption="What an estimator must achieve to tie RQMC: its logits right to the stated relative error on "
    "all but the stated share of inputs, within the stated operations",
)

# %% [markdown]
# On the noisy models: within 10⁶ operations ({glue:text}`est_m16_need_passes` forward passes), logits right
# to a relative error of {glue:text}`est_m16_need_delta` on all but {glue:text}`est_m16_need_share` of the
# inputs, that is, predictions that agree with the network's on at least {glue:text}`est_m16_need_agreement`
# of them.  Fixed masks agrees on {glue:text}`est_m16_sub_noisy_fixed_agree` at a larger budget; even the true
# masks up to the later impulse agree on {glue:text}`est_m16_sub_noisy_later_agree`.


# %% tags=["remove-cell"]
settings = list(curves["noisy"]["settings"].values())
ladder = sorted({setting["maxpts"] for setting in settings})
best_rows = {
    group: min(m16_summary[group], key=lambda row: (row["factor_plain"], row["operations"]))
    for group in M16_GROUPS
}
claims.add(
    Claim(
        "a mechanistic estimate built here matches sampling on M16,10 (ARC's open challenge)",
        ARC,
        "“we would consider it a major research breakthrough if we were able to produce a mechanistic estimate that "
        "matched the performance of random sampling”",
        numbers.factor_measurement(best_rows["noisy"]),
        at_most(
            1.0,
            z=2,
            description="our best mechanistic estimate's MSE ≤ sampling's at equal operations",
        ),
        other_settings=((M16_GROUPS["seeds"], numbers.factor_measurement(best_rows["seeds"])),),
        further="the book's attempt at ARC's challenge, not a claim of ARC's",
        setting_differs="noisy copies and seeds of the M16,10 trained here; the challenge names ARC's own model",
        note=f"{M16_GROUPS['noisy']}; moment propagation and fixed activation masks, {len(settings)} settings, "
        f"{ladder[0]} to {ladder[-1]:,} Genz points per case",
    )
)

# %% [markdown]
# ## Claims and verdicts
#
# Each criterion is stated from the claim: "about $x$" is reproduced within a
# factor 1.5 of $x$ (partly: within a factor 2); operation counts within 10%; "roughly match the
# computational efficiency of sampling" means an RMS error at most twice sampling's at equal compute
# (partly: at most 4 times).  Hilton's numbers are about AlgZoo's trained M4,3; ours are about the M4,3
# trained here (the row's verdict) and ARC's handcrafted M4,3 (shown in the same row), so those rows are
# measured at our settings.  ARC's M16,10 sentence ("we would consider it a major research breakthrough")
# is not a claim a measurement could reproduce; the further-checks table scores the book's own attempt at
# the challenge instead: reproduced only if one of our mechanistic estimates matches sampling.

# %% tags=["remove-input"]
claims.tables()
