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
# # M16,10: leave-one-out maxima and the phase wheel
#
# M16,10 is AlgZoo's 432-parameter RNN (16 ReLU neurons, sequences of 10 Gaussian numbers) that outputs
# the position of the second-largest input. ARC found in it an almost isolated subcircuit computing
# running maxima and *leave-one-out maxima* $\max(0, x_j : j \ne i)$, and built a 22-neuron model
# from that idea which reaches 99% {cite}`arc2026algzoo`. Readers added a linear fit of some neurons,
# ablations, and a description of the rest of the network as a *phase wheel*: on inputs with only two
# non-zero entries the hidden state spirals through time, and a small *discrimination offset*
# separates "maximum first" from "second-largest first" {cite}`phasewheel2026` {cite}`mrsirrisrm2026notes`.
#
# **What you will learn.** How the 22-neuron construction works (rebuilt here from its description);
# which of ARC's features a trained M16,10 carries, neuron by neuron; what ablations show; and which
# statements of the phase-wheel picture hold in a second trained network, *and which of them a random
# network or a network without any rotation would satisfy as well*. Every claim about the trained model
# is measured on all five committed seeds, and each statistic on random networks of each seed's shape and
# scale, or on the handcrafted model where that is the informative baseline; a claim our seeds meet and
# such a null control meets as well is marked as not discriminative. The chapter closes with a table of
# every claim, the source's words and our verdict.
# Turning any of this into an estimate of the accuracy, ARC's open challenge, is the subject of
# {doc}`estimators`.
#
# ARC's official weights cannot be downloaded where this book is built, so every claim about the trained
# network is tested on a model **trained here** with AlgZoo's recipe. Neuron numbers and values in the
# sources belong to the official weights; we test the mechanisms, not the numbers. Set the environment
# variable `TINYMECH_M16_10_PATH` to an official `.pth` file and every cell below runs unchanged on it.

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import scipy.stats
import torch
from IPython.display import Markdown, display

from tinymech.algzoo import leave_one_out as loo
from tinymech.algzoo import phase_wheel as pw
from tinymech.algzoo.architectures import RNNWeights
from tinymech.algzoo.evaluation import predictions, sampled_accuracy
from tinymech.algzoo.handcrafted import leave_one_out_expected_accuracy
from tinymech.algzoo.m16_10_statistics import (
    g_is_minus_f,
    gaussian_batch,
    has_notes_pair,
    null_measurement,
    shuffled_weights,
    spectra_statistics,
)
from tinymech.algzoo.plots import m16_10 as plots
from tinymech.algzoo.null_models import (
    random_ensemble,
)
from tinymech.stats import spectral_radius
from tinymech.algzoo.trace import trace
from tinymech.algzoo.zoo import load_model, model_metadata

# %% tags=["hide-input"]
from tinymech.catalog import load
from tinymech.algzoo.architectures import ReLURNN
from tinymech.algzoo.estimators_m16.study import SEED_MODELS
from tinymech.report import (
    NULL_MET,
    Claim,
    Claims,
    Criterion,
    Measurement,
    Seeds,
    Table,
    at_least,
    at_most,
    between,
    glue,
    within,
)
from tinymech.stats import format_estimate
from tinymech.style import use_book_style

torch.set_num_threads(1)
use_book_style()
OFFICIAL_PATH = os.environ.get("TINYMECH_M16_10_PATH")
model = load_model(OFFICIAL_PATH or "m16_10")
weights = model.weights()


# %% tags=["hide-input"]
n = weights.output_size


ARC, NOTES, COMMENTS = "arc2026algzoo", "mrsirrisrm2026notes", "phasewheel2026"
NULL_LABEL = "random networks of each seed's scale"
HAND_LABEL = "handcrafted model (no rotation)"
#: each section adds its claims right after its measurement; the closing cell renders them.  Every row measured
#: on the seeds trained here is at our settings: the sources analyse ARC's own file, which this book does not have
claims = Claims(seeds_setting="five models trained here, not ARC's example_2nd_argmax()")


print(
    "model:",
    "official file (TINYMECH_M16_10_PATH)" if OFFICIAL_PATH else "m16_10, trained here",
    f"| hidden size {weights.hidden_size}, sequence length {n}",
)

# %% [markdown]
# ## The model trained here
#
# We trained M16,10 with AlgZoo's recipe in full (AdamW, learning rate $0.04/\sqrt{16}$, weight decay
# 0.001, batches of 1024 fresh Gaussian sequences, $2^{30}$ sequences per seed, best of seeds 0-4;
# {glue:text}`minutes_per_seed` minutes per seed on one core on average, each seed on its own core, merged
# with `tinymech merge`; the minutes are the mean of the five seeds' training records, while the
# {doc}`performance` page estimates a training time from its benchmark's throughput, a separate
# measurement).
# The seeds reached {glue:text}`seed_accuracies` on $2^{24}$ validation sequences, and the best one,
# seed {glue:text}`kept_seed`, is kept. Its accuracy on $2^{18}$ fresh sequences is
# {glue:text}`accuracy_text`; ARC's example model has 95.3%. {glue:md}`accuracy_reading` A pilot with four
# times fewer sequences ($2^{28}$ per seed) reached {glue:text}`pilot_accuracies` for the same seeds:
# the ranking of the seeds changes with the length of training (rank correlation
# {glue:text}`pilot_rank_correlation`), so at this size the seed and the length of training matter
# together.

# %%
accuracy = sampled_accuracy(model, 2**18, seed=1)
print(
    f"sampled accuracy on 2^18 fresh sequences: {format_estimate(accuracy.accuracy, accuracy.standard_error)}"
)

# %% tags=["remove-input"]
glue("accuracy_text", format_estimate(accuracy.accuracy, accuracy.standard_error))
ACCURACY_CRITERION = within(0.953, 0.01, description="within 1 point of 95.3%")
accuracy_measured = Measurement(accuracy.accuracy, accuracy.standard_error)
accuracy_reading = (
    "That is within one point of ARC's model."
    if ACCURACY_CRITERION.holds(accuracy_measured)
    else "That is more than one point from ARC's model: the mechanisms below are tested on a network of "
    "different accuracy from the one the sources analysed."
)


# %% tags=["remove-input"]
if not OFFICIAL_PATH:
    metadata = model_metadata("m16_10")
    print(
        f"validation accuracy on 2^24 sequences (training metadata): {metadata['validation_accuracy']:.4f}"
        f" | {metadata['n_train']:,} sequences per seed"
    )
    if metadata["curve"][-1][1] > metadata["curve"][-2][1]:
        accuracy_reading += " Its training curve was still rising when training stopped."
    seeds = metadata["seeds_tried"]
    pilot = metadata["earlier_attempts"]["seeds_tried"]
    display(
        Table(
            [
                "seed",
                f"{metadata['n_train']:,} sequences (kept: seed {metadata['seed']})",
                f"pilot, {metadata['earlier_attempts']['n_train']:,}",
            ],
            [
                [k, f"{v:.4f}", f"{pilot[k]:.4f}" if k in pilot else None]
                for k, v in seeds.items()
            ],
            caption="Validation accuracy per seed on 2^24 sequences (training records)",
        )
    )

# %% tags=["remove-input"]
if not OFFICIAL_PATH:
    common = sorted(set(seeds) & set(pilot))
    rank_correlation = scipy.stats.spearmanr(
        [seeds[k] for k in common], [pilot[k] for k in common]
    ).statistic
    glue("seed_accuracies", ", ".join(f"{seeds[k]:.3f}" for k in common))
    glue("pilot_accuracies", ", ".join(f"{pilot[k]:.3f}" for k in common))
    glue("pilot_rank_correlation", f"{float(rank_correlation):.2f}")
    glue("kept_seed", metadata["seed"])
    # the per-seed checkpoints the committed model was merged from carry each seed's training curve
    per_seed = {}
    for name in metadata["merged_from"]:
        _, seed_meta = load("rnn/" + name.removesuffix(".pth"))
        per_seed[seed_meta["seed"]] = seed_meta
    glue(
        "minutes_per_seed",
        f"{np.mean([m['training_seconds_per_seed'] for m in per_seed.values()]) / 60:.0f}",
    )
    fig = plots.training_curves_figure(
        {seed: m["curve"] for seed, m in per_seed.items()}, metadata["seed"]
    )
else:  # the official file carries no training record
    for name in (
        "seed_accuracies",
        "pilot_accuracies",
        "pilot_rank_correlation",
        "kept_seed",
        "minutes_per_seed",
    ):
        glue(name, "—")
    fig = plots.training_curves_figure({}, None)
glue("training_curve", fig)
plt.close(fig)
glue("accuracy_reading", Markdown(accuracy_reading))

# %% tags=["remove-cell"]
# Every claim about the trained model is measured on each committed seed (the prose and figures show the kept one).
if OFFICIAL_PATH:
    seed_models = {"official": model}
else:
    seed_models = {
        f"seed {load(name)[1]['seed']}": ReLURNN.from_state_dict(load(name)[0]).eval()
        for name in SEED_MODELS
    }
SEED_LABELS = tuple(seed_models)
seed_weights = {label: m.weights() for label, m in seed_models.items()}
#: random networks of each seed's scale (the null control where it depends on the model)
seed_null_networks = {
    label: random_ensemble(w, 64, seed=0) for label, w in seed_weights.items()
}


def per_seed(statistic, digits: int = 2) -> Seeds:
    """``statistic(label)`` (a float or a Measurement) for every seed."""
    values = [statistic(label) for label in SEED_LABELS]
    return Seeds(
        tuple(
            v
            if isinstance(v, Measurement)
            else Measurement(float(v), text=f"{float(v):.{digits}f}")
            for v in values
        ),
        SEED_LABELS,
    )


# %% tags=["remove-cell"]
def per_seed_null(statistic, count: int = 64) -> Seeds:
    """Mean ± standard error of ``statistic(network)`` over the first ``count`` random networks of each seed."""
    return Seeds(
        tuple(
            null_measurement([statistic(net) for net in seed_null_networks[label][:count]])
            for label in SEED_LABELS
        ),
        SEED_LABELS,
    )


def accuracy_of(label: str) -> Measurement:
    a = sampled_accuracy(seed_models[label], 2**18, seed=1)
    return Measurement(a.accuracy, a.standard_error)


claims.add(
    Claim(
        "M16,10 accuracy (AlgZoo's recipe, 2^30 sequences per seed)",
        ARC,
        "“It has 432 parameters and an accuracy of 95.3%”",
        per_seed(accuracy_of),
        ACCURACY_CRITERION,
    )
)

# %% [markdown]
# ```{glue:figure} training_curve
# :alt: Accuracy against training sequences seen on a log axis for five seeds; every curve rises, the kept seed ends highest, below a dashed line at ARC's 0.953.
#
# Accuracy on a fixed held-out batch of each seed against the number of training sequences seen (log
# scale), AlgZoo's full recipe; the kept seed is drawn solid, and the dashed grey line is ARC's example
# model.
# ```
#
# ## How leave-one-out maxima solve the task: the handcrafted 22-neuron model
#
# ARC's handcrafted model computes, for every position $i$, the leave-one-out maximum
# $L_i = \max(0, x_j : j \ne i)$ and reads out $\mathrm{logit}_i = \max(0, x_i) + 2 L_i$. If the
# maximum $M$ is at $a$ and the second-largest $S$ at $s$, then $L_a = S^+$ and $L_i = M^+$ for every
# other $i$, so $\mathrm{logit}_s - \mathrm{logit}_a = M^+ - S^+ > 0$ and
# $\mathrm{logit}_s - \mathrm{logit}_i = S^+ - x_i^+ > 0$: the answer is exact whenever at least two
# inputs are positive. (With $-2 L_i$ instead, $\mathrm{logit}_a$ wins and the model returns the
# argmax, as the cell below checks.) With one positive input the 9 others tie at logit $2M$; with none
# all logits are 0. Ties go to the lowest position (the rule of `tinymech.algzoo.evaluation.predictions`),
# which is right with the same chance as a random choice, so counting the positive inputs,
# Binomial(10, 1/2), gives the expected accuracy
#
# $$
# 1 - \tfrac{10}{1024}\cdot\tfrac{8}{9} - \tfrac{1}{1024}\cdot\tfrac{9}{10}
# $$
#
# which is {glue:text}`handcrafted_expected`. Sampling gives {glue:text}`handcrafted_accuracy_text`; the exact ties
# are decided by the tie rule (measured against the size of the terms summed into each logit), not by
# rounding; ARC reports 99%.
#
# A time-invariant RNN cannot address position $i$ directly, so the construction keeps features
# relative to *now* (step $t$, after reading $x_t$), using $\mathrm{ReLU}(a - b) = \max(a, b) - b$:
#
# - $Q = \max(0, x_{<t})$ and $P = \max(0, x_{\le t}) - Q$: $P \leftarrow \mathrm{ReLU}(x_t - P - Q)$,
#   $Q \leftarrow \mathrm{ReLU}(P + Q)$ (ARC's neurons 2 and 4);
# - $G = P + Q - x_t \ge 0$ (ARC's neuron 7), so $x_t = P + Q - G$ is linearly available one step later;
# - $F_k$ = (running max leaving out the input $k - 1$ steps back) $- x_t$, for $k = 2..10$:
#   $F_2 \leftarrow \mathrm{ReLU}(Q - x_t)$, $F_{k+1} \leftarrow \mathrm{ReLU}(F_k + (P + Q - G) - x_t)$
#   (ARC's neurons 6 and 1 are $F_2$, $F_3$);
# - a delay line $D_k = \max(0, x_{t-k+1})$, $k = 1..10$.
#
# That is $3 + 9 + 10 = 22$ neurons. At the last step $L_9 = Q$, $L_i = F_{10-i} + P + Q - G$ and
# $\max(0, x_i) = D_{10-i}$, all linear in the state.

# %%
handcrafted = load_model("handcrafted_10")
x_check = gaussian_batch(4096, n, seed=0)
closed_form_logits = loo.leave_one_out_logits(x_check)
# relative to the logits' size, at float32 precision: the model's weights are float32 (exact integers here,
# but one unit in the last place away in the perturbation run), so closer agreement is not a property of the model
closed_form_gap = (
    np.abs(trace(handcrafted, x_check).logits - closed_form_logits).max()
    / np.abs(closed_form_logits).max()
)
# float32 over 10 steps leaves gaps of 5e-7 to 1.3e-6 of the logits' size (with the weights' last bits moved),
# so the check is at 1e-5, ten times that
print(
    f"hidden size {handcrafted.hidden_size}; logits equal the closed form to 1e-5 of their size: {closed_form_gap < 1e-5}"
)
handcrafted_accuracy = sampled_accuracy(handcrafted, 2**18, seed=2)
handcrafted_expected = leave_one_out_expected_accuracy(n)
minus_sign_argmax = np.mean(
    predictions(loo.leave_one_out_logits(x_check, sign=-2.0)) == x_check.argmax(1)
)
print(
    f"expected {handcrafted_expected:.6f}; sampled on 2^18 sequences "
    f"{format_estimate(handcrafted_accuracy.accuracy, handcrafted_accuracy.standard_error)}"
)
# no exact count: a near-tie at the tie rule's tolerance moves it by one when a weight moves one unit in its last place
print(f"with -2 L_i the readout picks the argmax on {minus_sign_argmax:.3f} of 4096 sequences")

# %% tags=["remove-cell"]
glue("handcrafted_expected", handcrafted_expected, digits=6)
glue(
    "handcrafted_accuracy_text",
    format_estimate(handcrafted_accuracy.accuracy, handcrafted_accuracy.standard_error),
)

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "handcrafted 22-neuron model",
        ARC,
        "“uses 22 hidden neurons to form all 10 leave-one-out-maximum features, and leverages these to achieve "
        "an accuracy of 99%”",
        Measurement(handcrafted_accuracy.accuracy, handcrafted_accuracy.standard_error),
        between(
            0.985, 0.995, description="between 0.985 and 0.995 (99% to the nearest percent)"
        ),
        note=f"expectation {handcrafted_expected:.4f}",
    )
)

# %% [markdown]
# ## Is ARC's isolated subcircuit in the model trained here?
#
# ARC's claim: after rescaling every neuron to $|W_{hi}| = 1$ (*standardization*, introduced in
# {doc}`m2_2_regions`), neurons 2, 4, 6, 7, 1 of the official model have exactly the wiring of
# $Q, P, F_2, G, F_3$ above, with weak inputs from the other neurons. We search all assignments of the
# five roles to the 16 neurons for the closest copy (rows of $[W_{hi}, W_{hh}]$, template zero outside
# the subcircuit; `match_subcircuit` in `tinymech.algzoo.leave_one_out`). On the handcrafted model, even
# disguised by random rescaling and permutation, the error is 0 (tested). The null control is the same
# search in the model's own weights shuffled at random.

# %%
match = loo.match_subcircuit(weights)
role_error = np.linalg.norm(match.rows - match.template, axis=1) / np.linalg.norm(
    match.template, axis=1
)
display(
    Table(
        ["role", "ARC's neuron", "ours", "relative row error"],
        [
            [role, arc_neuron, neuron, f"{error:.2f}"]
            for role, arc_neuron, neuron, error in zip(
                loo.SUBCIRCUIT_ROLES, loo.SUBCIRCUIT_ARC_NEURONS, match.neurons, role_error
            )
        ],
        caption=f"Whole subcircuit: relative error {match.relative_error:.2f}, largest deviation "
        f"{match.max_abs_deviation:.2f}",
    )
)
shuffle = np.random.default_rng(7)
shuffled_errors = [
    loo.match_subcircuit(
        RNNWeights(
            shuffle.permutation(weights.W_hi),
            shuffle.permutation(weights.W_hh.ravel()).reshape(weights.W_hh.shape),
            weights.W_oh,
        )
    ).relative_error
    for _ in range(8)
]
print(
    "same search on shuffled weights (8 draws):", " ".join(f"{e:.2f}" for e in shuffled_errors)
)

# %% tags=["remove-cell"]
SUBCIRCUIT_CRITERION = at_most(0.2, z=0, description="relative error ≤ 0.2 (a close copy)")
shuffled = null_measurement(shuffled_errors)
subcircuit_partial = Criterion(
    "closer than the shuffled weights' mean by 20%", lambda v, u: v < 0.8 * shuffled.value
)
glue("subcircuit_error", f"{match.relative_error:.2f}")
glue(
    "pair_error",
    f"{np.linalg.norm(match.rows[:2] - match.template[:2]) / np.linalg.norm(match.template[:2]):.2f}",
)
glue("shuffled_error", shuffled.show())
if SUBCIRCUIT_CRITERION.holds(Measurement(match.relative_error)):
    subcircuit_reading = "So the model carries a close copy of ARC's subcircuit."
elif subcircuit_partial.holds(Measurement(match.relative_error)):
    subcircuit_reading = (
        "So the model carries at most a loose copy of ARC's subcircuit: closer than chance, "
        "far from exact."
    )
else:
    subcircuit_reading = (
        "So the model does not carry ARC's subcircuit: its best match is no closer than "
        "the best match in its own weights shuffled."
    )
glue("subcircuit_reading", Markdown(subcircuit_reading))


# %% tags=["remove-cell"]
def shuffled_match(label: str) -> Measurement:
    rng = np.random.default_rng(7)
    return null_measurement(
        [
            loo.match_subcircuit(shuffled_weights(seed_weights[label], rng)).relative_error
            for _ in range(8)
        ]
    )


claims.add(
    Claim(
        "isolated subcircuit of ARC's neurons 2, 4, 6, 7, 1 (Q, P, F2, G, F3)",
        ARC,
        "“an approximately isolated subcircuit” after rescaling",
        per_seed(lambda label: loo.match_subcircuit(seed_weights[label]).relative_error),
        SUBCIRCUIT_CRITERION,
        null=Seeds(tuple(shuffled_match(label) for label in SEED_LABELS), SEED_LABELS),
        null_label="each seed's weights shuffled (8 draws)",
    )
)

# %% [markdown]
# The closest copy is off by {glue:text}`subcircuit_error` of the template's norm (the $Q, P$ pair alone
# by {glue:text}`pair_error`); an exact copy scores 0, and the same search in the model's own weights
# shuffled at random scores {glue:text}`shuffled_error` (mean ± standard error over 8 shuffles).
# {glue:md}`subcircuit_reading` Whether its neurons compute the same features anyway is the next
# question.
#
# ## Which neurons carry ARC's features?
#
# ARC's five features, exactly as written (the latest input $x_t$ subtracted with coefficient 1 where
# ARC subtracts it): the previous running max $Q$, its increment $P$, the running max minus $x_t$ ($G$)
# and the leave-one-out maxima of lags 1 and 2 minus $x_t$ ($F_2$, $F_3$). A neuron *is* a feature when
# $h_i[t] \approx a\,\phi[t] + c$; we fit that over $2^{12}$ Gaussian sequences and steps $t \ge 1$.
# These features agree on most steps (the maximum is rarely the one left out), so a single neuron can
# fit several of them well; ARC's claim is that *different* neurons carry them, so each feature gets its
# own neuron (the assignment of features to distinct neurons with the largest total $R^2$). The null
# control is the same fit on 64 random networks: Gaussian weights with the trained model's root mean
# square for $W_{hi}$ and $W_{oh}$ and its spectral radius for $W_{hh}$ (`tinymech.algzoo.null_models`;
# matching the root mean square of $W_{hh}$ instead, its spectral radius would be about
# {glue:text}`rms_null_radius` against the model's {glue:text}`model_radius`, and the random state would
# grow about that much per step).
#
# A reader's comment adds a model in the running max $R_1$, the second running max $R_2$ and the steps
# $\delta$ since the max:
#
# $$
# h_i \approx \alpha(\delta) R_1 + \beta(\delta) R_2 + \gamma(\delta),
# $$
#
# with
# coefficients free for every $\delta$, "more like 0.95 for some subsets" of the official model's
# neurons 1, 6, 7, 8.

# %%
x_fit = gaussian_batch(2**12, n, seed=3)
features = loo.arc_features(x_fit)
run_fit = trace(weights, x_fit)
exact_fits = loo.fit_exact_features(run_fit.hidden, features)
assigned, assigned_r2 = exact_fits.distinct_assignment()
readers_r2 = loo.readers_linear_model_r_squared(run_fit.hidden, x_fit)
null_networks = random_ensemble(weights, 64, seed=0)
null_assigned, null_readers = [], []
for network in null_networks:
    null_run = trace(network, x_fit)
    null_assigned.append(
        loo.fit_exact_features(null_run.hidden, features).distinct_assignment()[1]
    )
    null_readers.append(
        np.sort(loo.readers_linear_model_r_squared(null_run.hidden, x_fit))[-4:].mean()
    )
null_assigned = np.array(null_assigned)
readers_top4 = np.sort(readers_r2)[-4:]
Table(
    ["feature", "ARC's neuron", "ours", "R²", "best neuron (R²)", "random networks"],
    [
        [
            name,
            loo.SUBCIRCUIT_ARC_NEURONS[[0, 1, 3, 2, 4][j]],
            assigned[j],
            f"{assigned_r2[j]:.2f}",
            f"{exact_fits.best_neuron[j]} ({exact_fits.best_neuron_r_squared[j]:.2f})",
            null_measurement(null_assigned[:, j]).show(),
        ]
        for j, name in enumerate(exact_fits.feature_names)
    ],
    caption=f"Reader's model: best four neurons {np.argsort(-readers_r2)[:4].tolist()}, R² "
    f"{' '.join(f'{v:.2f}' for v in readers_top4[::-1])} (mean {readers_top4.mean():.2f}); "
    f"random networks: mean of best four {null_measurement(null_readers).show()}",
)

# %% tags=["remove-cell"]
fits = loo.fit_features(run_fit.hidden, x_fit)
columns = np.column_stack([exact_fits.r_squared, fits.r_squared[:, 3:], readers_r2])
labels = [
    *exact_fits.feature_names,
    *[f"lag {name.rsplit(' ', 1)[-1]} (+ b x)" for name in fits.feature_names[3:]],
    "reader's model",
]
fig = plots.r_squared_figure(columns, labels, assigned, len(exact_fits.feature_names))
glue("r2_heatmap", fig)
plt.close(fig)
glue("model_radius", f"{spectral_radius(weights.W_hh):.2f}")
rms_null_radius = np.mean(
    [spectral_radius(w.W_hh) for w in random_ensemble(weights, 64, seed=0, recurrent="rms")]
)
glue("rms_null_radius", f"{rms_null_radius:.1f}")
FEATURE_CRITERION = at_least(0.9, z=0, description="R² ≥ 0.9 for the feature's own neuron")
READERS_CRITERION = at_least(0.93, z=0, description="mean R² of the best four neurons ≥ 0.93")
READERS_PARTIAL = at_least(0.85, z=0, description="≥ 0.85")
feature_text = "; ".join(
    f"{name}: neuron {neuron}, R² {r2:.2f}"
    for name, neuron, r2 in zip(exact_fits.feature_names, assigned, assigned_r2)
)
glue("feature_fits_text", Markdown(feature_text))
glue("n_features_fit", int(sum(FEATURE_CRITERION.holds(Measurement(v)) for v in assigned_r2)))
glue("readers_top4", f"{float(readers_top4.mean()):.2f}")
glue("readers_null", null_measurement(null_readers).show())

# %% tags=["remove-cell"]
COMPARATOR = "running max - x"
LOO_CRITERION = at_least(
    0.5, z=0, description="partial R² ≥ 0.5 after running max − x, for some neuron"
)


def feature_statistics(w: RNNWeights) -> dict:
    """Best-neuron R² of Q, P and G; partial R² of F2, F3 after G (largest over neurons); the reader's model."""
    hidden = trace(w, x_fit).hidden
    fit = loo.fit_exact_features(hidden, features)
    best = dict(zip(fit.feature_names, fit.best_neuron_r_squared))
    partial = {
        name: float(loo.partial_r_squared(hidden, features[COMPARATOR], features[name]).max())
        for name in ("leave-one-out max, lag 1 - x", "leave-one-out max, lag 2 - x")
    }
    return {
        **best,
        **{f"partial {k}": v for k, v in partial.items()},
        "readers": float(
            np.sort(loo.readers_linear_model_r_squared(hidden, x_fit))[-4:].mean()
        ),
    }


seed_features = {label: feature_statistics(w) for label, w in seed_weights.items()}
null_features = {
    label: [feature_statistics(net) for net in seed_null_networks[label][:16]]
    for label in SEED_LABELS
}


# %% tags=["remove-cell"]
def feature_row(claim: str, says: str, key: str, criterion) -> Claim:
    return Claim(
        claim,
        ARC,
        says,
        per_seed(lambda label: seed_features[label][key]),
        criterion,
        null=Seeds(
            tuple(
                null_measurement([f[key] for f in null_features[label]])
                for label in SEED_LABELS
            ),
            SEED_LABELS,
        ),
        null_label=NULL_LABEL + " (16 each)",
    )


BEST = at_least(0.9, z=0, description="R² ≥ 0.9 for some neuron")
claims.add(
    feature_row(
        "ARC's neuron 2: previous running max",
        "neurons 2 and 4: “an approximately isolated subcircuit”",
        "previous running max",
        BEST,
    )
)

claims.add(
    feature_row(
        "ARC's neuron 4: running max increment",
        "neurons 2 and 4: “an approximately isolated subcircuit”; "
        "“using the identity ReLU(a−b)=max(a,b)−b for neuron 4”",
        "running max increment",
        BEST,
    )
)


# %% tags=["remove-cell"]
claims.add(
    feature_row(
        "ARC's neuron 7: running max − x (a reader's pure comparator)",
        "neurons 6 and 7 join the subcircuit; a reader: “n7 does a fairly pure comparison with the running max "
        "val”",
        COMPARATOR,
        BEST,
    )
)

claims.add(
    feature_row(
        "ARC's neuron 6: leave-one-out max (lag 1) − x, beyond the comparator",
        "neurons 6 and 7 “fit into a larger approximately isolated subcircuit”",
        "partial leave-one-out max, lag 1 - x",
        LOO_CRITERION,
    )
)

claims.add(
    feature_row(
        "ARC's neuron 1: leave-one-out max (lag 2) − x, beyond the comparator",
        '“neuron 1 is approximately max(0,x0,…,xt−4,xt−2,xt−1)−xt−1”, “forming another "leave-one-out-maximum" '
        "feature”",
        "partial leave-one-out max, lag 2 - x",
        LOO_CRITERION,
    )
)

claims.add(
    feature_row(
        "reader's δ-dependent linear model of neurons 1, 6, 7, 8",
        "“This model fits the activations well”, “more like 0.95 for some subsets”",
        "readers",
        READERS_CRITERION,
    )
)

KEPT = "official" if OFFICIAL_PATH else f"seed {model_metadata('m16_10')['seed']}"
lag2 = exact_fits.feature_names.index("leave-one-out max, lag 2 - x")


# %% tags=["remove-cell"]
comparator = exact_fits.feature_names.index(COMPARATOR)
glue("lag2_neuron", int(assigned[lag2]))
glue("lag2_r2", f"{assigned_r2[lag2]:.2f}")
glue("lag2_neuron_comparator_r2", f"{exact_fits.r_squared[assigned[lag2], comparator]:.3f}")
glue("partial_lag1", f"{seed_features[KEPT]['partial leave-one-out max, lag 1 - x']:.2f}")
glue("partial_lag2", f"{seed_features[KEPT]['partial leave-one-out max, lag 2 - x']:.2f}")
glue(
    "comparator_best",
    f"neuron {exact_fits.best_neuron[comparator]}, R² {exact_fits.best_neuron_r_squared[comparator]:.3f}",
)

# %% [markdown]
# ARC's features agree on most steps, so a neuron's fit to one borrows from another. On the kept seed the
# neuron assigned to the lag-2 leave-one-out feature (neuron {glue:text}`lag2_neuron`, $R^2$
# {glue:text}`lag2_r2`) is the running-max comparator: running max $- x_t$ fits it with $R^2$
# {glue:text}`lag2_neuron_comparator_r2`. The claims below therefore take, for the comparator, each seed's
# best neuron whichever it is (kept seed: {glue:text}`comparator_best`), and score the two leave-one-out
# features by their partial $R^2$ after the comparator, the share of what running max $- x_t$ leaves
# unexplained that the feature explains (`partial_r_squared` in `tinymech.algzoo.leave_one_out`): the largest
# over neurons is {glue:text}`partial_lag1` for lag 1 and {glue:text}`partial_lag2` for lag 2 on the kept
# seed.

# %% [markdown]
# ```{glue:figure} r2_heatmap
# :alt: Heat map of R squared with 16 neuron rows and feature columns; a few cells are bright, most are dark, and red boxes mark the neuron assigned to each of ARC's five features.
#
# $R^2$ of each neuron (rows) against each feature (columns). Left block: ARC's five features exactly
# as written ($a\,\phi + c$), with the neuron assigned to each feature boxed in red. Middle block:
# leave-one-out maxima of lags 1-9 with a free coefficient for $x_t$ ($a\,\phi + b\,x_t + c$), a
# looser search. Last column: the reader's $\delta$-dependent model.
# ```
#
# Feature by feature (neuron and $R^2$): {glue:md}`feature_fits_text`. {glue:text}`n_features_fit` of
# the five features have their own neuron with $R^2 \ge 0.9$ under the one-to-one assignment, the lag-2
# feature's through the comparator's neuron, as said above. The reader's model reaches a mean $R^2$ of
# {glue:text}`readers_top4` on its four best neurons, against {glue:text}`readers_null` in random
# networks.
#
# ## Ablations
#
# A reader found that "Zeroing out all the inputs except the largest two gets the network to 100%", and
# that "Almost all ablations hurt the accuracy dramatically" {cite}`arc2026algzoo`. Zeroing has a catch:
# with fewer than two positive inputs (a fraction $11/1024$ of Gaussian sequences) a zero becomes the
# second-largest entry of the edited sequence, so even a perfect second-argmax model is wrong there. The
# claim can only hold on the other sequences, where the edited and the original sequence have the same
# answer; we score it there, and compare with the model's own accuracy on the same sequences. For the
# second claim we silence each neuron at every step.

# %%
top2 = loo.top_inputs_accuracy(model, 2**17, k=2, seed=4)
print(
    f"top-2 inputs only, all sequences: {format_estimate(top2.accuracy, top2.standard_error)} "
    f"(a perfect second-argmax model of the edited sequence: {top2.eligible_fraction:.4f})"
)
print(
    f"sequences with at least two positive inputs: top-2 inputs {format_estimate(top2.eligible_accuracy, top2.eligible_standard_error)}, "
    f"all inputs {top2.full_eligible_accuracy:.4f}"
)
ablated = loo.single_neuron_ablations(model, 2**15, seed=5)
baseline = sampled_accuracy(model, 2**15, seed=5).accuracy
loss = baseline - ablated
print(f"intact model on the same 2^15 sequences: {baseline:.3f}")
print("accuracy with one neuron silenced:", " ".join(f"{v:.3f}" for v in ablated))

# %% tags=["remove-cell"]
fig = plots.ablation_figure(ablated, baseline)
glue("ablation_figure", fig)
plt.close(fig)
TOP2_CRITERION = at_least(
    0.995, description="≥ 0.995 (100% to the nearest percent) where the answer survives"
)
top2_measured = Measurement(top2.eligible_accuracy, top2.eligible_standard_error)
top2_partial = Criterion(
    "above the model's own accuracy on those sequences",
    lambda v, u: v - 2 * u > top2.full_eligible_accuracy,
)
glue("top2_all_text", format_estimate(top2.accuracy, top2.standard_error))
glue(
    "top2_eligible_text", format_estimate(top2.eligible_accuracy, top2.eligible_standard_error)
)
glue("top2_full_eligible", top2.full_eligible_accuracy, error=top2.eligible_standard_error)
glue("top2_ceiling", top2.eligible_fraction, error=top2.standard_error)
ABLATION_CRITERION = at_least(14, z=0, description="≥ 14 of 16 neurons cost ≥ 10 points")
n_hurting = int(np.sum(loss >= 0.10))
glue("n_hurting", n_hurting)
glue("smallest_loss", f"{float(loss.min()):.2f}")
glue("intact_accuracy", f"{baseline:.3f}")


# %% tags=["remove-cell"]
def top2_of(label: str) -> Measurement:
    t = loo.top_inputs_accuracy(seed_models[label], 2**17, k=2, seed=4)
    return Measurement(t.eligible_accuracy, t.eligible_standard_error)


def hurting_of(label: str) -> Measurement:
    lost = sampled_accuracy(
        seed_models[label], 2**15, seed=5
    ).accuracy - loo.single_neuron_ablations(seed_models[label], 2**15, seed=5)
    return Measurement(int(np.sum(lost >= 0.10)), text=f"{int(np.sum(lost >= 0.10))} of 16")


claims.add(
    Claim(
        "only the two largest inputs kept",
        ARC,
        "a reader's comment on the post: “Zeroing out all the inputs except the largest two gets the network to "
        "100%”",
        per_seed(top2_of),
        TOP2_CRITERION,
        note="on sequences with ≥ 2 positive inputs (the others cannot keep their answer)",
    ),
    Claim(
        "single-neuron ablations hurt",
        ARC,
        "a reader's comment on the post: “Almost all ablations hurt the accuracy dramatically - the model makes use "
        "of all neurons”",
        per_seed(hurting_of),
        ABLATION_CRITERION,
    ),
)

# %% [markdown]
# ```{glue:figure} ablation_figure
# :alt: Bar chart of accuracy for each of 16 silenced neurons, every bar far below a dashed line at the intact model's accuracy.
#
# Accuracy with one neuron silenced at every step (bars) and of the intact model (dashed line, at
# {glue:text}`intact_accuracy`), on the same $2^{15}$ sequences.
# ```
#
# With only the top two inputs the model scores {glue:text}`top2_all_text` over all sequences (a perfect
# model of the edited sequences would score {glue:text}`top2_ceiling`) and {glue:text}`top2_eligible_text`
# on the sequences whose answer the zeroing keeps, where it scores {glue:text}`top2_full_eligible` with
# all inputs. {glue:text}`n_hurting` of 16 single-neuron ablations cost at least 10 points of accuracy
# (the smallest loss is {glue:text}`smallest_loss`).
#
# ## The phase wheel
#
# The reader's notes on the official model describe a complex eigenvalue pair of $W_{hh}$,
# $0.43 \pm 1.03i$ with $|\lambda| = 1.115$ and a period of 5.4 steps, as the "primary oscillator"
# {cite}`mrsirrisrm2026notes`; on the *clean set* ($M = 1.0$ and $S = 0.8$ at positions $m, s$, zeros
# elsewhere, all 90 ordered pairs) "the hidden state follows a spiral trajectory through time, implemented
# by a rotating phase in the hidden state. The W_out projection converts phase angle to position logits"
# {cite}`phasewheel2026`. Every statistic of this and the following sections is computed by one library
# function, `phase_wheel_summary` in `tinymech.algzoo.phase_wheel`, for the model, for the 64 random networks
# and for the handcrafted model, whose $W_{hh}$ is nilpotent (all eigenvalues 0: nothing rotates).

# %%
summary = pw.phase_wheel_summary(weights)
null_summaries = [pw.phase_wheel_summary(network) for network in null_networks]
hand_summary = pw.phase_wheel_summary(handcrafted)
eigenvalues = pw.recurrent_eigenvalues(weights)
pairs = pw.complex_pairs(eigenvalues)
nearest = pw.nearest_complex_pair(weights, modulus=1.115, period=5.4)
print("largest |eigenvalues| of W_hh:", " ".join(f"{v:.3f}" for v in np.abs(eigenvalues[:6])))
print(
    "complex pairs (|lambda|, period in steps):",
    ", ".join(f"({abs(v):.3f}, {pw.rotation_period(v):.2f})" for v in pairs),
)
if nearest is not None:
    print(
        f"pair nearest the notes' (1.115, 5.4 steps): |lambda| = {abs(nearest):.3f}, "
        f"period {pw.rotation_period(nearest):.2f} steps"
    )
# W_hh of the handcrafted model is nilpotent (defective): its eigenvalues move by the square root of a change in
# the weights (1e-16 exactly, 4e-4 with the float32 weights one unit in the last place away), so only a bound is printed
hand_radius = np.abs(pw.recurrent_eigenvalues(handcrafted)).max()
print(
    f"largest |eigenvalue| of the handcrafted model's W_hh: {'below 0.01' if hand_radius < 0.01 else f'{hand_radius:.2f}'}"
)

# %% tags=["remove-cell"]


EIGEN_CRITERION = Criterion(
    "a pair within 10% of both (random networks: in at least half)", lambda v, u: v >= 0.5
)
eigen_measured = Measurement(
    float(has_notes_pair(weights)),
    text=(
        f"nearest pair |λ| {abs(nearest):.3f}, period {pw.rotation_period(nearest):.2f}"
        if nearest is not None
        else "no complex pair"
    ),
)
eigen_null = null_measurement([float(has_notes_pair(network)) for network in null_networks])
glue("pair_modulus", f"{abs(pairs[0]) if len(pairs) else 0.0:.3f}")
glue("pair_period", f"{pw.rotation_period(pairs[0]) if len(pairs) else 0.0:.2f}")
glue("nearest_modulus", f"{abs(nearest) if nearest is not None else 0.0:.3f}")
glue("nearest_period", f"{pw.rotation_period(nearest) if nearest is not None else 0.0:.2f}")
glue("eigen_null", f"{round(eigen_null.value * len(null_networks))} of {len(null_networks)}")

clean = pw.clean_inputs(n, 1.0, 0.8)
clean_run = trace(weights, clean.inputs)
trajectory_pca = pw.pca(clean_run.hidden.reshape(-1, weights.hidden_size))
impulse = pw.impulse_response(weights)


# %% tags=["remove-cell"]
two_impulses = trace(weights, clean.inputs[(clean.m == 0) & (clean.s == 4)]).hidden[0]
fig = plots.spiral_figure(
    eigenvalues, trajectory_pca.project(impulse), trajectory_pca.project(two_impulses)
)
glue("spiral_figure", fig)
plt.close(fig)
glue("trajectory_pc12", f"{float(trajectory_pca.explained_variance_ratio[:2].sum()):.2f}")

# %% [markdown]
# ```{glue:figure} spiral_figure
# :alt: Left, the eigenvalues of W_hh inside and near the unit circle. Right, two hidden-state trajectories in the plane of the first two principal components, coloured by step from dark to light.
#
# Left: eigenvalues of $W_{hh}$ and the unit circle. Right: the hidden-state trajectory after a single
# impulse $M = 1$ at step 0 (circles, solid) and with $S = 0.8$ added at step 4 (squares, dashed),
# projected on the first two principal components of all clean states; colour is the step.
# ```
#
# The leading complex pair has $|\lambda|$ = {glue:text}`pair_modulus` and a period of
# {glue:text}`pair_period` steps; the pair nearest the notes' has $|\lambda|$ =
# {glue:text}`nearest_modulus` and period {glue:text}`nearest_period` (a pair within 10% of both occurs in
# {glue:text}`eigen_null` random networks). The first two principal components hold
# {glue:text}`trajectory_pc12` of the variance of the clean states.
#
# Whether a projected trajectory looks like a wheel is a judgement by eye, and a single-impulse
# trajectory that runs along a line also "turns" by 180° each time it passes its centre, so the turning
# angle (`turning_angle` in `tinymech.algzoo.phase_wheel`) does not separate rotation from a line: the model's
# single-impulse trajectory turns {glue:text}`turning_model`° around its centre, random networks'
# {glue:text}`turning_null`°. Two functional tests follow.
#
# **Countdown.** Reading the logits out at an intermediate step $t$ after both impulses, the notes find
# the prediction $s + (n - 1 - t)$, the position $S$ would have in a sequence that ended now, on "all 90
# (M, S) position pairs" {cite}`mrsirrisrm2026notes`. Leading zeros keep $h = 0$ in a network without
# biases, so the state at step $t$ *is* the final state of the same pair shifted $n - 1 - t$ steps later,
# and the countdown is the model's accuracy on the shifted pairs (tested): any model that is right on
# the clean set passes, whether or not its state rotates. The structural null control is the
# handcrafted model.
#
# **Phase readout.** If position is a phase in a plane, the readout should still work from that plane
# alone: we project the clean final states onto their mean plus their first two principal components
# and read them out with $W_{oh}$. A code spread over many dimensions, such as the handcrafted model's
# delay line, fails this test.

# %%
countdown = pw.countdown_readout(weights, clean)
display(
    Table(
        ["step", *map(str, range(1, n))],
        [["countdown holds (model)", *(f"{v:.2f}" for v in countdown[1:])]],
    )
)
print(
    f"mean over steps 1-8: model {summary.countdown:.2f}, handcrafted model {hand_summary.countdown:.2f}, "
    f"random networks {null_measurement([s.countdown for s in null_summaries]).show()}"
)
components_needed = next(
    k
    for k in range(1, weights.hidden_size + 1)
    if pw.plane_readout_accuracy(weights, clean, components=k) >= 0.9 * summary.clean_accuracy
)
print(
    f"clean-set accuracy {summary.clean_accuracy:.3f}; read from two principal components {summary.plane_readout_accuracy:.3f} "
    f"(handcrafted {hand_summary.plane_readout_accuracy:.3f} from its {hand_summary.plane_readout_components} leading "
    f"components: its second singular value is {hand_summary.plane_readout_components - 1}-fold, random networks "
    f"{null_measurement([s.plane_readout_accuracy for s in null_summaries]).show()}); "
    f"components needed for 90% of the clean accuracy: {components_needed}"
)

# %% tags=["remove-cell"]
glue("turning_model", f"{summary.impulse_turning_degrees:.0f}")
glue(
    "turning_null", null_measurement([s.impulse_turning_degrees for s in null_summaries]).show()
)
COUNTDOWN_CRITERION = at_least(1.0, z=0, description="= 1 (every pair, steps 1-8)")
PLANE_CRITERION = at_least(
    0.9, z=0, description="≥ 0.9 of clean pairs right from two components"
)
glue("countdown_mean", f"{summary.countdown:.2f}")
glue("countdown_hand", f"{hand_summary.countdown:.2f}")
glue("plane_accuracy", f"{summary.plane_readout_accuracy:.2f}")
glue("plane_hand", f"{hand_summary.plane_readout_accuracy:.2f}")
glue("plane_hand_components", hand_summary.plane_readout_components)
glue("components_needed", components_needed)
glue("clean_accuracy", f"{summary.clean_accuracy:.3f}")
glue(
    "plane_reading",
    Markdown(
        "Position on the clean set is readable from a plane, as a phase would be."
        if PLANE_CRITERION.holds(Measurement(summary.plane_readout_accuracy))
        else f"Position on the clean set is spread over many directions of the hidden state ({components_needed} "
        "principal components keep 90% of the clean accuracy), not held as a phase in a plane."
    ),
)

# %% tags=["remove-cell"]
seed_summaries = {
    label: (summary if w is weights else pw.phase_wheel_summary(w))
    for label, w in seed_weights.items()
}
seed_null_summaries = {
    label: [pw.phase_wheel_summary(net) for net in seed_null_networks[label]]
    for label in SEED_LABELS
}


def wheel(statistic, digits: int = 2) -> Seeds:
    """``statistic(summary)`` for every seed's phase-wheel summary."""
    return per_seed(lambda label: statistic(seed_summaries[label]), digits)


def wheel_null(statistic) -> Seeds:
    """Mean ± standard error of ``statistic(summary)`` over each seed's random networks."""
    return Seeds(
        tuple(
            null_measurement([statistic(s) for s in seed_null_summaries[label]])
            for label in SEED_LABELS
        ),
        SEED_LABELS,
    )


claims.add(
    Claim(
        "a growing complex eigenvalue pair of W_hh",
        NOTES,
        "“0.43 ± 1.03j | 1.115 | 5.4 steps | Primary oscillator (growing)”",
        per_seed(lambda label: float(has_notes_pair(seed_weights[label])), digits=0),
        EIGEN_CRITERION,
        null=per_seed_null(lambda net: float(has_notes_pair(net))),
        null_label=NULL_LABEL,
    )
)


# %% tags=["remove-cell"]
claims.add(
    Claim(
        "countdown readout s + (n − 1 − t)",
        NOTES,
        "“Countdown formula holds for all 90 (M,S) pairs” (100%)",
        wheel(lambda s: s.countdown),
        COUNTDOWN_CRITERION,
        null=Measurement(hand_summary.countdown, digits=2),
        null_label=HAND_LABEL,
        note="of pairs, steps 1-8; equals the accuracy on the pairs shifted to the end",
    )
)

claims.add(
    Claim(
        "W_out converts phase angle to position",
        COMMENTS,
        "“The W_out projection converts phase angle to position logits”",
        wheel(lambda s: s.plane_readout_accuracy),
        PLANE_CRITERION,
        null=Measurement(hand_summary.plane_readout_accuracy, digits=2),
        null_label=HAND_LABEL,
        note=f"of clean pairs from two components; kept seed: all components {summary.clean_accuracy:.2f}, "
        f"{components_needed} needed for 90% of it; handcrafted: its {hand_summary.plane_readout_components} "
        "leading components (second singular value repeated)",
    )
)


# %% [markdown]
# The countdown holds on {glue:text}`countdown_mean` of the pairs, averaged over steps 1-8, and on
# {glue:text}`countdown_hand` for the handcrafted model, which has no rotation at all. Read from two
# principal components, the model is right on {glue:text}`plane_accuracy` of the clean pairs
# (handcrafted model: {glue:text}`plane_hand`, from its {glue:text}`plane_hand_components` leading components,
# because its second singular value is repeated and two components of it are not defined; all components:
# {glue:text}`clean_accuracy`); it needs
# {glue:text}`components_needed` components to keep 90% of its clean accuracy.
#
# ## The discrimination offset
#
# $$
# \mathrm{offset}(m, s) = h(M \text{ at } m, S \text{ at } s) - h(S \text{ at } m, M \text{ at } s),
# $$
#
# for the final states. The phase-wheel comment: "The offset is separable and antisymmetric:
# offset(m, s) = f(m) + g(s) where g(s) = -f(s)"; "The offset has effective rank ~2"; f's first
# principal component is close to the main spiral's second (cosine 0.92) and f's second to the main
# spiral's first (0.67); "The position-by-position correlation is only 0.04"; and the offset is "~1/4
# magnitude" of the main spiral {cite}`phasewheel2026`. Three cautions, each turned into a control:
#
# 1. The offset is antisymmetric by construction, so a least-squares fit gives $g = -f$ (up to a
#    constant) for *any* network (tested). A linear network makes the offset exactly separable
#    (tested), and a random network with the model's scale is close to linear on two impulses.
# 2. For a linear network the offset is $(M - S)(a_m - a_s)$ and the final state $M a_m + S a_s$, with
#    $a_p$ the response to a unit impulse at $p$: with $S/M = 0.8$ and orthogonal responses of equal
#    norm, their ratio is $0.2\sqrt{2}/\sqrt{1.64}$ = {glue:text}`linear_norm_ratio`, near 1/4 whatever
#    the network learned.
# 3. The separable fit is defined up to a constant ($f \to f + c$, $g \to g - c$), so a correlation
#    in the gauge $f(0) = 0$ depends on an arbitrary choice; we centre both sides over positions, which
#    removes the constant. In the gauge $f(0) = 0$ the model's correlation is
#    {glue:text}`gauge_correlation`.

# %%
offset, alignment = summary.offset, summary.alignment
print(
    f"separable R^2 {summary.separable_r_squared:.3f}; effective rank of f {summary.f_effective_rank:.2f}; "
    f"offset / final-state norm {summary.norm_ratio:.2f}"
)
display(
    Table(
        ["|cosine|", *(f"main PC{k + 1}" for k in range(alignment.cosines.shape[1]))],
        [
            [f"f PC{r + 1}", *(f"{v:.2f}" for v in row)]
            for r, row in enumerate(alignment.cosines)
        ],
    )
)
print(
    "cosines of the principal angles between the f PC1-2 and main PC1-2 planes:",
    " ".join(f"{v:.2f}" for v in alignment.subspace_cosines),
)
print(
    f"position-by-position correlation (centred) {alignment.position_correlation:.2f}; "
    f"forward and reverse spiral planes: smaller principal-angle cosine {summary.forward_reverse_plane_cosine:.2f}"
)
print(
    f"offset through W_oh favours s over m on {summary.offset_logit_contrast:.2f} of the pairs "
    f"(handcrafted model {hand_summary.offset_logit_contrast:.2f})"
)

# %%
null_offset = {
    "separable R^2": [s.separable_r_squared for s in null_summaries],
    "effective rank of f": [s.f_effective_rank for s in null_summaries],
    "cos(f PC1, main PC2)": [s.alignment.cosines[0, 1] for s in null_summaries],
    "cos(f PC2, main PC1)": [s.alignment.cosines[1, 0] for s in null_summaries],
    "planes' smaller cosine": [s.alignment.subspace_cosines.min() for s in null_summaries],
    "|position correlation|": [abs(s.alignment.position_correlation) for s in null_summaries],
    "offset / final-state norm": [s.norm_ratio for s in null_summaries],
    "forward/reverse planes": [s.forward_reverse_plane_cosine for s in null_summaries],
    "offset favours s": [s.offset_logit_contrast for s in null_summaries],
}
Table(
    ["statistic", "random networks (mean ± standard error over 64)"],
    [[name, null_measurement(values).show()] for name, values in null_offset.items()],
)

# %% tags=["remove-cell"]
glue("linear_norm_ratio", f"{0.2 * np.sqrt(2) / np.sqrt(1 + 0.8**2):.2f}")
glue("gauge_correlation", f"{alignment.position_correlation_gauge_f0:.2f}")
glue("separable_r2", f"{summary.separable_r_squared:.3f}")
glue("separable_null", null_measurement(null_offset["separable R^2"]).show())
glue("f_rank", f"{summary.f_effective_rank:.2f}")
glue("cos_f1_main2", f"{float(alignment.cosines[0, 1]):.2f}")
glue("cos_f2_main1", f"{float(alignment.cosines[1, 0]):.2f}")
glue("cos_f1_best", f"{float(alignment.cosines[0].max()):.2f}")
glue("cos_f1_best_pc", int(alignment.cosines[0].argmax()) + 1)
glue("plane_cosines", " and ".join(f"{v:.2f}" for v in alignment.subspace_cosines))
glue("position_correlation", f"{alignment.position_correlation:.2f}")
glue("position_null", null_measurement(null_offset["|position correlation|"]).show())
glue("norm_ratio", f"{summary.norm_ratio:.2f}")
glue("norm_null", null_measurement(null_offset["offset / final-state norm"]).show())
glue("fwd_rev_cosine", f"{summary.forward_reverse_plane_cosine:.2f}")
glue("fwd_rev_null", null_measurement(null_offset["forward/reverse planes"]).show())
glue("contrast", f"{summary.offset_logit_contrast:.2f}")
main_by_s = np.stack([np.nanmean(offset.final_forward[:, p], axis=0) for p in range(n)])
fig = plots.offset_spirals_figure(
    alignment.main_pca.project(main_by_s), alignment.f_pca.project(offset.f)
)
glue("offset_figure", fig)
plt.close(fig)


# %% tags=["remove-cell"]
def offset_row(
    claim: str, says: str, statistic, criterion, source: str = COMMENTS, **extra
) -> Claim:
    return Claim(
        claim,
        source,
        says,
        wheel(statistic),
        criterion,
        null=wheel_null(statistic),
        null_label=NULL_LABEL,
        **extra,
    )


claims.add(
    offset_row(
        "main spiral the same forward and reverse",
        "“The main spiral shape does not differ between forward (M first) and reverse (S first) cases”",
        lambda s: s.forward_reverse_plane_cosine,
        at_least(0.9, z=0, description="leading planes' smaller cosine ≥ 0.9"),
    )
)


# %% tags=["remove-cell"]
claims.add(
    offset_row(
        "offset separable f(m) + g(s)",
        "“The offset is separable and antisymmetric”; notes: “R² = 0.89”",
        lambda s: s.separable_r_squared,
        at_least(0.84, z=0, description="R² ≥ 0.84 (0.89 less 0.05)"),
        source=f"{COMMENTS}, {NOTES}",
        note="exact for any linear network",
    )
)

claims.add(
    offset_row(
        "g = −f",
        "“g(s) = -f(s)”",
        lambda s: g_is_minus_f(s.offset),
        at_least(1.0, z=0, description="f + g constant over positions, to 1e-9 of max |f|"),
        note="forced by the offset's antisymmetry",
    )
)

claims.add(
    offset_row(
        "effective rank of f",
        "“The offset has effective rank ~2”",
        lambda s: s.f_effective_rank,
        between(1.5, 2.5, z=0),
        note="participation ratio",
    )
)

claims.add(
    offset_row(
        "f PC1 ≈ main PC2",
        "“f(m) PC1 ≈ Main PC2 (cosine = 0.92)”",
        lambda s: s.alignment.cosines[0, 1],
        at_least(0.82, z=0, description="|cos| ≥ 0.82 (0.92 less 0.1)"),
    )
)


# %% tags=["remove-cell"]
claims.add(
    offset_row(
        "f PC2 ≈ main PC1",
        "“f(m) PC2 ≈ Main PC1 (cosine = 0.67)”",
        lambda s: s.alignment.cosines[1, 0],
        at_least(0.57, z=0, description="|cos| ≥ 0.57 (0.67 less 0.1)"),
    )
)

claims.add(
    offset_row(
        "offset and main spiral share a plane",
        "“Both mechanisms operate in the same low-dimensional subspace of the hidden state”",
        lambda s: s.alignment.subspace_cosines.min(),
        at_least(0.8, z=0, description="both principal-angle cosines ≥ 0.8"),
        note="the smaller principal-angle cosine",
    )
)

claims.add(
    offset_row(
        "position-by-position correlation",
        "“The position-by-position correlation is only 0.04”",
        lambda s: abs(s.alignment.position_correlation),
        at_most(0.1, z=0, description="|r| ≤ 0.1"),
        note="centred over positions",
    )
)

claims.add(
    offset_row(
        "offset ~1/4 of the main spiral",
        "“The discrimination offset is smaller, ~1/4 magnitude”",
        lambda s: s.norm_ratio,
        between(0.2, 0.3, z=0),
        note="norm ratio",
    )
)


# %% tags=["remove-cell"]
claims.add(
    Claim(
        "the main spiral does the bulk of the position encoding, the offset a correction between M and S",
        COMMENTS,
        "“The main spiral does the bulk of the position encoding, and the offset provides a correction to shift the "
        "readout between M and S”",
        per_seed(
            lambda label: (
                pw.remove_offset(seed_weights[label], seed_summaries[label].offset).pair_share
            )
        ),
        at_least(
            0.9,
            z=0,
            description="with the offset's PC1-2 projected out, ≥ 0.9 of clean pairs still predicted "
            "at M's or S's position",
        ),
        null=Seeds(
            tuple(
                null_measurement(
                    [
                        pw.remove_offset(net, s.offset).pair_share
                        for net, s in zip(seed_null_networks[label], seed_null_summaries[label])
                    ]
                )
                for label in SEED_LABELS
            ),
            SEED_LABELS,
        ),
        null_label=NULL_LABEL,
        note="share predicted at M or S; the choice between them falls to "
        + ", ".join(
            f"{pw.remove_offset(seed_weights[label], seed_summaries[label].offset).accuracy:.2f}"
            for label in SEED_LABELS
        ),
    )
)


# %% tags=["remove-cell"]
claims.add(
    Claim(
        "two ways the output is encoded, by whether S comes before or after M",
        ARC,
        "a reader's comment on the post: “There appear to be two different ways in which the output is encoded, "
        "depending on whether the 2nd largest input comes before or after the largest”",
        wheel(lambda s: s.forward_reverse_plane_cosine),
        at_most(
            0.9,
            z=0,
            description="forward and reverse leading planes differ: smaller cosine ≤ 0.9",
        ),
        null=wheel_null(lambda s: s.forward_reverse_plane_cosine),
        null_label=NULL_LABEL,
        note="the statistic of the row on the main spiral forward and reverse, read the other way",
    )
)

claims.add(
    Claim(
        "offset through W_out suppresses M and boosts S, sign flipping in reverse",
        COMMENTS,
        "“For a forward case, the offset suppresses the early position (M) and boosts the late position (S). For the "
        "reverse case, the offset sign flips”",
        wheel(lambda s: s.offset_logit_contrast),
        at_least(1.0, z=0, description="= 1 (every pair)"),
        null=Measurement(hand_summary.offset_logit_contrast, digits=2),
        null_label=HAND_LABEL,
        note="of ordered pairs; implied by being right on the clean set",
    )
)


# %% [markdown]
# ```{glue:figure} offset_figure
# :alt: Two scatter plots of ten numbered points joined in order; left the main spiral by position of S, right the offset spiral f by position of M.
#
# Left: the main spiral, final states of the clean set averaged over pairs with the same $s$ (numbers),
# in its first two principal components. Right: the offset spiral $f(m)$ (numbers: $m$) in its own
# first two principal components. A phase wheel shows as points ordered around a centre.
# ```
#
# Separability $R^2$ = {glue:text}`separable_r2` (random networks: {glue:text}`separable_null`);
# $f$ has effective rank {glue:text}`f_rank`; $|\cos|$(f PC1, main PC2) = {glue:text}`cos_f1_main2` and
# $|\cos|$(f PC2, main PC1) = {glue:text}`cos_f2_main1` (f's PC1 is closest to main PC
# {glue:text}`cos_f1_best_pc`, at {glue:text}`cos_f1_best`), while the two planes (PC1-2 of each) meet
# at principal angles with cosines {glue:text}`plane_cosines`. The centred position-by-position
# correlation is {glue:text}`position_correlation` (random networks: {glue:text}`position_null`), and the
# offset is {glue:text}`norm_ratio` of the final state's norm (random networks: {glue:text}`norm_null`).
# The forward and reverse spirals share their leading plane to a smaller cosine of
# {glue:text}`fwd_rev_cosine` (random networks: {glue:text}`fwd_rev_null`).
#
# The comment also says how the offset is used: "For a forward case, the offset suppresses the early
# position (M) and boosts the late position (S). For the reverse case, the offset sign flips"
# {cite}`phasewheel2026`. Read through $W_{oh}$, the offset favours $s$ over $m$ on
# {glue:text}`contrast` of the ordered pairs. But the reverse case is the forward case again
# ($\mathrm{offset}(s, m) = -\mathrm{offset}(m, s)$), and the contrast is the sum of the two runs' margins,
#
# $$
# (l_\text{fwd}[s] - l_\text{fwd}[m]) + (l_\text{rev}[m] - l_\text{rev}[s]),
# $$
#
# positive whenever the model
# is right on both (tested): the handcrafted model passes too.
#
# ## Masks D[t] and the operator after the second impulse
#
# With the activation pattern $D[t]$ fixed after the second impulse, the run is linear:
# $h_\text{final} = \Phi_\text{post}\, h_\text{second}$ with
# $\Phi_\text{post} = \prod_t \mathrm{diag}(D[t]) W_{hh}$. The comment calls the sequence $D[t]$ "quite
# stable after an impulse", and finds "relatively infrequent crossing of ReLU boundaries as we vary the M
# and S positions and magnitudes" {cite}`phasewheel2026`. Zeros keep $h = 0$, so the absolute position of
# the first impulse does not change the masks, and the network is positively homogeneous, so the masks
# depend on the magnitudes *only through* $S/M$: we compare the masks at 19 ratios
# $S/M \in [0.05, 0.95]$ with those at 0.8, for every gap and order.
#
# Of $\Phi_\text{post}$ the comment reports: "In the forward direction, spectral radius is 0.76 – 1.05
# with a small spectral gap, while in the reverse direction it is 1.37 – 2.91 and the spectral gap is
# larger", and "for forward, the top 3 singular values explain 94–98% of logit variance. For rev, the
# top singular value alone explains 87–93%" (singular values of $W_{oh} \Phi_\text{post}$). We take the
# first impulse at position 0, so $\Phi_\text{post}$ spans the $9 - \text{gap}$ steps after the second,
# and define the spectral gap as $1 - |\lambda_2| / |\lambda_1|$.

# %% tags=["hide-input"]
stability, spectra = summary.masks, summary.spectra
print(
    f"mask sequences identical to the S/M = 0.8 ones: forward {stability.identical[0].mean():.3f}, "
    f"reverse {stability.identical[1].mean():.3f}; mask entries that change: {stability.crossing_fraction:.4f}"
)
Table(
    ["gap", *map(str, spectra.gaps)],
    [
        [f"{name}, {label}", *(f"{v:.3f}" for v in values[row])]
        for label, row in (("forward", 0), ("reverse", 1))
        for name, values in (
            ("spectral radius", spectra.spectral_radius),
            ("spectral gap", spectra.spectral_gap),
            ("top-1 share", spectra.top_share[:, :, 0]),
            ("top-3 share", spectra.top_share[:, :, 2]),
        )
    ],
)

# %% tags=["remove-cell"]


spectra_ours = spectra_statistics(summary)
spectra_null = {
    key: null_measurement([spectra_statistics(s)[key] for s in null_summaries])
    for key in spectra_ours
}
for key, value in spectra_ours.items():
    glue(f"spectra_{key.replace(' ', '_').replace(',', '').replace('-', '')}", f"{value:.3f}")
    glue(
        f"spectra_null_{key.replace(' ', '_').replace(',', '').replace('-', '')}",
        spectra_null[key].show(),
    )
glue(
    "radius_forward_range",
    f"{spectra.spectral_radius[0].min():.2f}–{spectra.spectral_radius[0].max():.2f}",
)
glue(
    "radius_reverse_range",
    f"{spectra.spectral_radius[1].min():.2f}–{spectra.spectral_radius[1].max():.2f}",
)


# %% tags=["remove-cell"]
glue(
    "top3_forward_range",
    f"{spectra.top_share[0, :, 2].min():.2f}–{spectra.top_share[0, :, 2].max():.2f}",
)
glue(
    "top1_reverse_range",
    f"{spectra.top_share[1, :, 0].min():.2f}–{spectra.top_share[1, :, 0].max():.2f}",
)


# %% tags=["remove-cell"]
fig = plots.phi_post_figure(
    spectra.gaps,
    spectra.spectral_radius,
    range(1, n),
    stability.entry_agreement,
    stability.ratios,
)
glue("phi_post_figure", fig)
plt.close(fig)


# %% tags=["remove-cell"]
def spectra_row(claim: str, says: str, key: str, criterion, **extra) -> Claim:
    return Claim(
        claim,
        COMMENTS,
        says,
        wheel(lambda s: spectra_statistics(s)[key]),
        criterion,
        null=wheel_null(lambda s: spectra_statistics(s)[key]),
        null_label=NULL_LABEL,
        **extra,
    )


claims.add(
    spectra_row(
        "masks D[t] stable after an impulse",
        "“this turns out to be quite stable after an impulse”",
        "identical",
        at_least(
            0.9, z=0, description="≥ 0.9 of mask sequences unchanged over S/M in [0.05, 0.95]"
        ),
    )
)

claims.add(
    spectra_row(
        "infrequent ReLU boundary crossing",
        "“relatively infrequent crossing of ReLU boundaries as we vary the M and S positions and magnitudes”",
        "crossing",
        at_most(0.1, z=0, description="≤ 0.1 of mask entries change"),
        note="positions enter only through the gap",
    )
)


# %% tags=["remove-cell"]
claims.add(
    spectra_row(
        "spectral radius of Φ_post, forward",
        "“In the forward direction, spectral radius is 0.76 – 1.05”",
        "forward radius in range",
        at_least(1.0, z=0, description="every gap in 0.76–1.05"),
        note="share of gaps in range",
    )
)

claims.add(
    spectra_row(
        "spectral radius of Φ_post, reverse",
        "“in the reverse direction it is 1.37 – 2.91”",
        "reverse radius in range",
        at_least(1.0, z=0, description="every gap in 1.37–2.91"),
        note="share of gaps in range",
    )
)

claims.add(
    spectra_row(
        "larger spectral gap in reverse",
        "“with a small spectral gap” (forward); “the spectral gap is larger” (reverse)",
        "reverse gap larger",
        at_least(1.0, z=0, description="at every gap"),
        partial=at_least(0.51, z=0, description="at most gaps"),
        note="share of gaps",
    )
)

claims.add(
    spectra_row(
        "top-3 singular values of W_oh Φ_post, forward",
        "“for forward, the top 3 singular values explain 94–98% of logit variance”",
        "forward top-3 share, smallest",
        at_least(0.94, z=0, description="≥ 0.94 at every gap"),
    )
)


# %% tags=["remove-cell"]
claims.add(
    spectra_row(
        "top-1 singular value, reverse",
        "“For rev, the top singular value alone explains 87–93%”",
        "reverse top-1 share, smallest",
        at_least(0.87, z=0, description="≥ 0.87 at every gap"),
    )
)


# %% [markdown]
# ```{glue:figure} phi_post_figure
# :alt: Left, spectral radius against gap for both orders, with shaded bands at the comment's ranges. Right, a heat map of mask agreement by order and gap against the ratio S over M, mostly bright with darker cells away from 0.8.
#
# Left: spectral radius of $\Phi_\text{post}$ for both orders against the gap (first impulse at position
# 0; circles forward, squares reverse); the shaded bands are the comment's ranges for the official
# model. Right: fraction of mask entries $D[t]_i$ after the second impulse that equal those at
# $S/M = 0.8$, by order and gap (rows) and ratio (columns).
# ```
#
# Across ratios, a fraction {glue:text}`spectra_identical` of the mask sequences stay identical to the
# reference ones (random networks: {glue:text}`spectra_null_identical`), while only
# {glue:text}`spectra_crossing` of the individual entries change (random networks:
# {glue:text}`spectra_null_crossing`). Spectral radii: forward {glue:text}`radius_forward_range`, reverse
# {glue:text}`radius_reverse_range`; the reverse spectral gap is larger at a fraction
# {glue:text}`spectra_reverse_gap_larger` of the gaps. Top-3 share, forward:
# {glue:text}`top3_forward_range`; top-1 share, reverse: {glue:text}`top1_reverse_range`.
#
# ## Comparator clipping
#
# The second reader's comment: "when max input comes first, there is a unique clipping pattern for each
# gap between max and 2nd val. When 2nd val comes first, all comparators clip due to max val", and "n7
# does a fairly pure comparison with the running max val" {cite}`arc2026algzoo`. The reader's list of
# comparator neurons belongs to the official weights; here a comparator is any neuron with a negative
# input weight, and we look at the comparators' activation pattern at the step that reads the second
# impulse. (The "pure comparison" is ARC's feature running max $- x$, tested above.) In the handcrafted
# model both statements hold exactly (tested): with the maximum first only the leave-one-out feature that
# leaves the maximum out clips, a different one for each gap.

# %%
clipping = summary.comparators
display(
    Table(
        ["gap", "maximum first: active at the S step", "S first: clipped at the M step"],
        [
            [
                gap,
                "".join("1" if a else "0" for a in pattern),
                "".join("1" if c else "0" for c in clipping.reverse_clipped[gap - 1]),
            ]
            for gap, pattern in zip(range(1, n), clipping.forward_patterns)
        ],
        caption=f"Comparators (W_hi < 0): neurons {clipping.comparators.tolist()}",
    )
)
print(
    f"distinct forward patterns / gaps {clipping.distinct_forward_fraction:.3f}; clipped in reverse "
    f"{clipping.reverse_clipped_fraction:.3f} (random networks "
    f"{null_measurement([s.comparators.distinct_forward_fraction for s in null_summaries]).show()} and "
    f"{null_measurement([s.comparators.reverse_clipped_fraction for s in null_summaries]).show()})"
)

# %% tags=["remove-cell"]
glue(
    "distinct_patterns",
    f"{len({row.tobytes() for row in clipping.forward_patterns})} of {n - 1}",
)
glue("reverse_clipped", f"{clipping.reverse_clipped_fraction:.2f}")

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "a unique comparator clipping pattern per gap (maximum first)",
        ARC,
        "a reader's comment on the post: “when max input comes first, there is a unique clipping pattern for each "
        "gap between max and 2nd val”",
        wheel(lambda s: s.comparators.distinct_forward_fraction),
        at_least(1.0, z=0, description="one pattern per gap"),
        null=wheel_null(lambda s: s.comparators.distinct_forward_fraction),
        null_label=NULL_LABEL,
        note="distinct patterns per gap; comparator: a neuron with W_hi < 0",
    ),
    Claim(
        "all comparators clip when S comes first",
        ARC,
        "a reader's comment on the post: “When 2nd val comes first, all comparators clip due to max val”",
        wheel(lambda s: s.comparators.reverse_clipped_fraction),
        at_least(1.0, z=0, description="all clip"),
        null=wheel_null(lambda s: s.comparators.reverse_clipped_fraction),
        null_label=NULL_LABEL,
        note="share of comparator entries that clip",
    ),
)

# %% [markdown]
# With the maximum first the comparators show {glue:text}`distinct_patterns` distinct patterns over the
# gaps; with $S$ first a fraction {glue:text}`reverse_clipped` of the comparator entries clip at the step
# that reads $M$.
#
# ## From clean inputs to Gaussian inputs
#
# The comment's formula for the final state keeps only the two largest inputs and runs them through the
# frozen masks:
#
# $$
# \text{pre} = x_\text{first}\, w_\text{first}[\text{gap}] + x_\text{second} W_{hi},
# $$
#
# $h = D[0]\,\mathrm{ReLU}(\text{pre})$, $h_\text{final} = \Phi_\text{post} h$ {cite}`phasewheel2026`.
# It equals the model exactly on the clean set (tested). The reader's notes go further: "We can predict
# the inference behavior of the M16,10 2nd-argmax RNN entirely from its weights, achieving 100% accuracy
# on simplified inputs and matching the model's ~95% accuracy on real data" {cite}`mrsirrisrm2026notes`.
# Predicting the behaviour means predicting the model's *outputs*, so we count how often the surrogate
# and the model give the same answer on Gaussian sequences. Matching accuracies is a weaker property:
# two classifiers can have the same accuracy and disagree often. Neither makes the surrogate an estimate
# of the accuracy in ARC's sense (it samples, and drops 8 of the 10 inputs); estimates of the accuracy
# are compared in {doc}`estimators`.

# %%
x_gauss = gaussian_batch(2**16, n, seed=6)
target = x_gauss.argsort(1)[:, -2]
surrogate = pw.masked_linear_surrogate(weights)
surrogate_prediction = surrogate.predict(x_gauss)
model_prediction = trace(weights, x_gauss).predictions
agreement = np.mean(surrogate_prediction == model_prediction)
agreement_se = np.sqrt(agreement * (1 - agreement) / len(x_gauss))
surrogate_accuracy = np.mean(surrogate_prediction == target)
model_accuracy = np.mean(model_prediction == target)
standard_error = np.sqrt(model_accuracy * (1 - model_accuracy) / len(x_gauss))
print(
    f"on 2^16 Gaussian sequences: surrogate accuracy {format_estimate(surrogate_accuracy, standard_error)}, "
    f"model accuracy {format_estimate(model_accuracy, standard_error)}, "
    f"same prediction on {format_estimate(agreement, agreement_se)}"
)

# %% tags=["remove-cell"]
glue("surrogate_accuracy", format_estimate(surrogate_accuracy, standard_error))
glue("model_accuracy_same", format_estimate(model_accuracy, standard_error))
glue("surrogate_agreement", format_estimate(agreement, agreement_se))


# %% tags=["remove-cell"]
def agreement_of(label: str) -> Measurement:
    w = seed_weights[label]
    same = np.mean(
        pw.masked_linear_surrogate(w).predict(x_gauss) == trace(w, x_gauss).predictions
    )
    return Measurement(same, np.sqrt(same * (1 - same) / len(x_gauss)))


def accuracy_gap_of(label: str) -> Measurement:
    """Surrogate minus model accuracy on the same Gaussian sequences (the source's "matching the model's
    accuracy"), with the binomial standard error of a difference of two accuracies."""
    w = seed_weights[label]
    a_s = np.mean(pw.masked_linear_surrogate(w).predict(x_gauss) == target)
    a_m = np.mean(trace(w, x_gauss).predictions == target)
    return Measurement(a_s - a_m, np.sqrt((a_s * (1 - a_s) + a_m * (1 - a_m)) / len(x_gauss)))


claims.add(
    Claim(
        "masked-linear surrogate predicts the model",
        f"{COMMENTS}, {NOTES}",
        "“We can predict the inference behavior of the M16,10 2nd-argmax RNN entirely from its weights, "
        "achieving …” “and matching the model's ~95% accuracy on real data”",
        per_seed(accuracy_gap_of),
        within(
            0.0,
            0.01,
            description="surrogate accuracy within 1 point of the model's on Gaussian sequences",
        ),
        other_settings=(
            (
                "same answer as the model",
                per_seed(agreement_of),
                at_least(0.99, description="≥ 0.99 of Gaussian sequences"),
            ),
        ),
        note="surrogate minus model accuracy; on the clean set it equals the model by construction",
    )
)

# %% [markdown]
# The surrogate is right on {glue:text}`surrogate_accuracy` of Gaussian sequences (the model on the same
# sequences: {glue:text}`model_accuracy_same`) and gives the model's answer on
# {glue:text}`surrogate_agreement` of them.
#
# ## What carries over to the model trained here
#
# Of ARC's five features, {glue:text}`n_features_fit` have their own neuron with $R^2 \ge 0.9$ in the model
# trained here (the kept seed, one-to-one assignment; the lag-2 one through the comparator). The closest
# copy of ARC's wiring that the weight-template search finds is off by {glue:text}`subcircuit_error` of the
# template's norm, where 0 is an exact copy and the same search in the model's own weights shuffled at
# random comes within {glue:text}`shuffled_error`. {glue:md}`subcircuit_reading` {glue:text}`n_hurting`
# of 16 single-neuron ablations cost at least 10 points. Every claim about the trained model is measured
# on all {glue:text}`n_seeds` committed seeds; by `tinymech.report.SEED_RULE` a claim is met when every
# seed meets its criterion and partly met when some do. The claims, by how many seeds meet them:
#
# - every seed: {glue:md}`carry_every`;
# - some seeds: {glue:md}`carry_some`;
# - no seed: {glue:md}`carry_none`.
#
# Of the claims met on every seed, these are met by the null control too (random networks of each seed's
# scale, or the handcrafted model, which has no rotation), so the statistic cannot tell a trained phase
# wheel apart: {glue:md}`carry_null`.
#
# The discriminating test of a rotating position code, reading position from two principal components,
# gives {glue:text}`plane_accuracy` against {glue:text}`clean_accuracy` with all of them.
# {glue:md}`plane_reading`
#
# ## Claims
#
# ARC's statement that it has no adequate mechanistic estimate of M16,10's accuracy is judged in
# {doc}`estimators`, where two estimates built from this chapter's pieces are scored against sampling.

# %% tags=["remove-cell"]
glue("n_seeds", len(SEED_LABELS))
for name, listed in claims.by_seed_count().items():
    glue(f"carry_{name}", Markdown("; ".join(listed) if listed else "none"))
glue("carry_null", Markdown("; ".join(claims.names(NULL_MET)) or "none"))

# %% tags=["remove-input"]
claims.tables()
