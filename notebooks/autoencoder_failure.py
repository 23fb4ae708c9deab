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
# # Optimization failure in a toy ReLU autoencoder
#
# The toy autoencoder $y = \mathrm{ReLU}(W^\top W x + b)$ with $W \in \mathbb{R}^{2 \times n}$, the toy
# model of superposition {cite}`elhage2022toy`, can store all $n$ one-hot features of the $n \times n$
# identity dataset in its 2-D latent plane: the feature vectors $W_i$ form a regular $n$-gon and every
# bias is negative {cite}`henighan2023superposition`. Anthropic's May 2023 update noted that training
# sometimes ends with the features on "two circles" of different radii {cite}`anthropic2023circuitsmay`.
# A blog post {cite}`aeoptfailure2025` explains this as *optimization failure*: a run first gets stuck in
# a **symmetric failure** (one feature dead, $W_d = 0$, $b_d = 1/n$, the other $n-1$ on a regular
# polygon), which it argues is a local optimum; rarely (1 run in 100) small asymmetries grow into a
# runaway sweep, an **asymmetric recovery** that leaves circles of several radii. The post also proposes,
# but never runs, a resampling method to rescue dead features, as an alternative to Anthropic's
# dead-neuron resampling {cite}`bricken2023monosemanticity`.
#
# In this chapter you will see the latent zones that make the geometry work, measure how often each
# outcome happens over thousands of seeds, check the local-optimum argument numerically, follow the
# failed runs at four learning rates for up to 100,000 epochs, map how recovery depends on the learning
# rate, and run the resampling experiment the post left open. The short version: symmetric failure is
# common and is the local optimum the post describes, but under our settings it is a long plateau, not a
# trap. Whether recovery looks rare depends on the learning rate and on how long one trains: at the
# smallest learning rate we tried and the post's 25,000 epochs our recovery rate agrees with the post's
# 1 in 100, and the same runs all recover later. The failures that persist never passed through symmetric
# failure. Neither resampling method beats doing nothing. The model itself is {doc}`temporal_superposition`'s
# $k = 0$ reference; both chapters use one implementation of it (`tinymech.tms`).

# %% tags=["hide-input"]
import functools
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from scipy.stats import spearmanr

from tinymech.autoencoder import experiments as ex
from tinymech.autoencoder.analysis import (
    mean_with_error,
    neighbour_gap_difference,
    norm_ratio,
    passed_through_before,
    plateau_loss_ratio,
    frozen_dead_optimum,
    radius_levels,
    splay_roughness,
)
from tinymech.autoencoder.geometry import tilt_coefficients, tilt_loss_change, unit_directions
from tinymech.autoencoder.model import loss_per_seed, symmetric_failure_loss_floor
from tinymech.autoencoder.outcomes import (
    ASYMMETRIC_FAILURE,
    OTHER,
    PERFECT,
    SYMMETRIC_FAILURE,
    classify,
    first_step,
)
from tinymech.autoencoder.outcome_table import outcome_row, recovery_setting
from tinymech.autoencoder.plotting import draw_latent_zones, feature_colours, recovery_figure
from tinymech.autoencoder.resampling_claims import resampling_claim

# %% tags=["hide-input"]
from tinymech.autoencoder.resampling import anthropic_resample
from tinymech.autoencoder.rates import (
    every_run,
    rate,
    wilson_above,
    wilson_below,
    wilson_entirely_above,
    wilson_overlaps,
)
from tinymech.catalog import load
from tinymech.style import use_book_style
from tinymech.report import Claim, Claims, Criterion, Measurement, Table, at_least, glue, within


# %% tags=["hide-input"]
from tinymech.stats import (
    format_estimate,
    format_number,
    format_rate,
    proportion_interval,
    r_squared,
)

torch.set_num_threads(1)
POST = "aeoptfailure2025"
LR_NAMES = {3e-4: "3 × 10⁻⁴", 1e-3: "10⁻³", 3e-3: "3 × 10⁻³", 1e-2: "10⁻²"}
#: each section adds its claims right after its measurement; the closing cell renders them
claims = Claims()
use_book_style()
N_COLOURS = dict(zip((6, 7, 8), plt.cm.viridis([0.1, 0.5, 0.85])))  # one colour per n
LR_COLOURS = plt.cm.cividis(
    [0.1, 0.5, 0.9]
)  # one colour per learning rate of the resampling study
POST_RATE = (1, 100)  # the post: 1 asymmetric recovery in 100 seeds


# %% tags=["hide-input"]
# `tinymech run autoencoder/NAME --overwrite` recomputes any of these
sweep, sweep_adam, lr_sweep, lr_long, chaos, resampling = (
    load(f"autoencoder/{name}")[0]
    for name in (
        "seed_sweep",
        "seed_sweep_adam",
        "lr_sweep",
        "lr_sweep_long",
        "chaos_map",
        "resampling",
    )
)
print("seed sweep settings:", ", ".join(f"{k} = {v}" for k, v in ex.SWEEP_SETTINGS.items()))

# %% [markdown]
# **Our settings.** The post trained $n = 7$ with AdamW for 25,000 epochs and does not give the learning
# rate, the initialisation or the number of seeds beyond "100". Ours: $n \in \{6, 7, 8\}$, 1,000 seeds
# each, Xavier-normal $W$ and $b = 0$ (as in Anthropic's toy-model code), AdamW with learning rate
# $10^{-3}$ and weight decay 0.01 (torch's default), full batch (one step per epoch), 25,000 epochs, loss
# = mean squared error over the $n^2$ output entries. A run is classified every 250 epochs as *perfect*
# (every output within 0.1 of its target), *symmetric failure* (one feature with $\|W_d\| < 0.1$ and
# $b_d > 0$, the others within 0.1 of their targets, live norms within a factor 1.2 of each other),
# *asymmetric failure* (the same with unequal live norms) or *other*. A second study reruns seeds 0 to
# 199 of $n = 7$ at four learning rates for 100,000 epochs and checks every run's outcome every 10
# epochs; its first 25,000 epochs are an earlier committed study, reproduced exactly. All seeds of a study
# train as one batch on one core.
#
# ## Latent zones: where each feature fires
#
# Claim: output $i$ fires where $W_i \cdot h + b_i > 0$, a half-plane of the latent plane; a feature is
# reconstructed when its own vector reaches $W_i \cdot W_i + b_i = 1$ inside its zone while every other
# $W_j$ stays outside. With $b_i = 1 - \|W_i\|^2$, $W_j$ is outside zone $i$ iff
# $\cos\theta_{ij} \le (\|W_i\|^2 - 1)/(\|W_i\|\|W_j\|)$, a minimal angle that grows as $\|W_i\|$ shrinks,
# so the post concludes that shorter features need wider angular gaps.

# %%
n7 = sweep["n=7"]
log7 = n7["outcome_log"].long()
W_perfect = n7["W"][log7[-1] == PERFECT]
gap_difference = neighbour_gap_difference(W_perfect)  # degrees; NaN where no feature is shorter
rng = np.random.default_rng(0)  # null control: the same gaps with each model's norms shuffled
shuffled_norms = torch.stack(
    [W.norm(dim=0)[torch.from_numpy(rng.permutation(7))] for W in W_perfect]
)
gap_difference_null = neighbour_gap_difference(W_perfect, shuffled_norms)
gap_mean, gap_se, gap_models = mean_with_error(gap_difference)
null_mean, null_se, _ = mean_with_error(gap_difference_null)
print(
    f"perfect n = 7 models: {len(W_perfect)}; with a feature shorter than the median by > 2%: {gap_models}"
)
print(
    f"mean gap of shorter features minus the others: {format_estimate(gap_mean, gap_se)} degrees; "
    f"norms shuffled: {format_estimate(null_mean, null_se)} degrees"
)

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "shorter features sit in wider angular gaps (perfect n = 7 models)",
        POST,
        "“why shorter features need to be more widely spaced apart”",
        Measurement(
            gap_mean,
            gap_se,
            text=f"{format_estimate(gap_mean, gap_se)}° (short minus other features)",
        ),
        at_least(0.0, description="gap difference > 0 by 2 SE"),
        null=Measurement(null_mean, null_se, text=f"{format_estimate(null_mean, null_se)}°"),
        null_label="norms shuffled within each model",
    )
)

# %% tags=["remove-input"]
glue("gap_models", gap_models)
glue("gap_difference", gap_mean, error=gap_se)
glue("gap_difference_se", gap_se, digits=1)
glue("gap_null", null_mean, error=null_se)

never_failed = ~((log7 == SYMMETRIC_FAILURE) | (log7 == ASYMMETRIC_FAILURE)).any(dim=0) & (
    log7[-1] == PERFECT
)
perfect_seed = int(torch.nonzero(never_failed)[0])
failed_row = ex.longest_failure(n7)
failed_seed = int(n7["failure_seed"][failed_row])
W_fail, b_fail = n7["failure_W"][failed_row], n7["failure_b"][failed_row]
dead7 = int(n7["failure_dead"][failed_row])
fig, axes = plt.subplots(1, 2, figsize=(7.2, 4.2))
draw_latent_zones(
    axes[0],
    n7["W"][perfect_seed],
    n7["b"][perfect_seed],
    title=f"perfect (seed {perfect_seed})",
)
draw_latent_zones(
    axes[1],
    W_fail,
    b_fail,
    title=f"symmetric failure (seed {failed_seed}), feature {dead7} dead",
)
fig.tight_layout()
glue("fig_latent_zones", fig)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} fig_latent_zones
# :alt: Two latent planes with seven coloured arrows each. Left, a perfect model whose seven arrows each sit in their own thin shaded sliver. Right, a failed model with six arrows on a circle, one arrow of almost zero length, and a tint over the whole plane.
# :name: fig-ae-latent-zones
#
# Latent planes of two $n = 7$ models, each feature vector $W_i$ as an arrow and each output's zone
# ($W_i \cdot h + b_i > 0$) shaded in that feature's colour. Left: a perfect model, seven slivers that each
# contain exactly one arrow. Right: a symmetric failure; the dead feature's bias is positive, so its zone
# is the whole plane (uniform tint), and six features share the circle.
# ```
#
# In the {glue:text}`gap_models` perfect $n = 7$ models that have a feature shorter than the median by more
# than 2%, the shorter features sit in gaps wider by {glue:text}`gap_difference` degrees on average (standard error
# {glue:text}`gap_difference_se`); with each model's norms shuffled among its features the difference is
# {glue:text}`gap_null` degrees. The "large angular gap" of Anthropic's note is this minimal angle.
#
# ## Symmetric failure: common, and exactly the post's local optimum
#
# Claim: a run often ends up with one dead feature ($W_d \approx 0$, $b_d = 1/n$, the least-squares
# constant) while the other $n - 1$ sit on a regular polygon with zero loss.


# %% tags=["hide-input"]
failure_rows = [outcome_row("AdamW", n, sweep[f"n={n}"]) for n in (6, 7, 8)]
failure_rows.append(outcome_row("Adam (no decay)", 7, sweep_adam["n=7"]))
Table(
    [
        "n",
        "optimizer",
        "ever in symmetric failure",
        "in it at epoch 25,000",
        "epochs from first failure to perfect (median)",
        "at epoch 25,000: perfect / asym. failure / other",
    ],
    failure_rows,
)

# %% tags=["remove-input"]
failed_counts = {}
for label, results in (("AdamW", sweep), ("Adam", sweep_adam)):
    for key, run in results.items():
        failed_counts[(label, key)] = int(
            (run["outcome_log"] == SYMMETRIC_FAILURE).any(dim=0).sum()
        )
for n in (6, 7, 8):
    glue(f"fail_rate_{n}", 100 * failed_counts[("AdamW", f"n={n}")] / 1000, digits=3)
glue("fail_rate_adam_7", 100 * failed_counts[("Adam", "n=7")] / 1000, digits=3)
glue(
    "median_plateau_7",
    int(
        (sweep["n=7"]["first_perfect"] - sweep["n=7"]["first_failure"])[
            sweep["n=7"]["recovered"]
        ].median()
    ),
)
glue(
    "still_failed_total",
    sum(
        int((run["outcome_log"][-1] == SYMMETRIC_FAILURE).sum())
        for run in list(sweep.values()) + list(sweep_adam.values())
    ),
)

fig, ax = plt.subplots(figsize=(7.2, 3.8))
for n in (6, 7, 8):
    run = sweep[f"n={n}"]
    ax.plot(
        run["steps"],
        (run["outcome_log"] == SYMMETRIC_FAILURE).double().mean(dim=1),
        color=N_COLOURS[n],
        label=f"n = {n}",
    )
ax.set_xlabel("epoch")
ax.set_ylabel("share of seeds in symmetric failure")
ax.legend(loc="upper right")
fig.tight_layout()
glue("fig_failure_over_time", fig)
plt.close(fig)

# %% tags=["remove-cell"]
adamw7, adam7 = failed_counts[("AdamW", "n=7")], failed_counts[("Adam", "n=7")]
claims.add(
    Claim(
        "symmetric failure occurs (n = 7, AdamW, lr 10⁻³, 25,000 epochs)",
        POST,
        "“n = 7, m = 2, trained for 25,000 epochs using AdamW”; “Symmetric Failure happens when the model fails to learn "
        "some / a feature (does not represent it at all), but does a perfect job of representing the rest”",
        rate(adamw7, 1000),
        wilson_above(0.0, 1000, description="occurs: 95% Wilson interval above 0"),
    ),
    Claim(
        "not caused by weight decay: Adam fails too (n = 7, lr 10⁻³)",
        POST,
        "“I then trained the autoencoder using Adam without any regularization, but the same optimization failure occurred”",
        rate(adam7, 1000),
        wilson_above(0.0, 1000, description="occurs: 95% Wilson interval above 0"),
    ),
)

# %% [markdown]
# ```{glue:figure} fig_failure_over_time
# :alt: Three curves, one per n, of the share of seeds in symmetric failure against the epoch; each rises early, peaks and falls back to zero before epoch 25,000.
# :name: fig-ae-failure-over-time
#
# Share of the 1,000 seeds per $n$ that are in symmetric failure at each logged epoch (AdamW, learning
# rate $10^{-3}$). The failure is a plateau that many runs enter early and all leave again.
# ```
#
# For $n = 6, 7, 8$, {glue:text}`fail_rate_6:.1f`%, {glue:text}`fail_rate_7:.1f`% and
# {glue:text}`fail_rate_8:.1f`% of seeds pass through symmetric failure (95% Wilson intervals in the
# table); Adam without weight decay gives {glue:text}`fail_rate_adam_7:.1f`% for $n = 7$, so weight decay
# is not the cause, as the post says. But {glue:text}`still_failed_total` of the 4,000 runs are still in
# it at epoch 25,000.
#
# The dead feature of every failure checkpoint (parameters at the first logged epoch a run is classified
# as symmetric failure), and the loss along the plateaus of the recorded recoveries (three per $n$):

# %%
dead_rows, dead_bias, plateau_ratio = [], {}, {}
for n in (6, 7, 8):
    run = sweep[f"n={n}"]
    rows = torch.arange(run["failure_dead"].numel())
    b_dead = run["failure_b"][rows, run["failure_dead"]]
    norm_dead = run["failure_W"].norm(dim=1)[rows, run["failure_dead"]]
    dead_bias[n] = (float(b_dead.mean()), float(b_dead.std()), b_dead.numel())
    plateau_ratio[n] = plateau_loss_ratio(
        run["outcome_log"][:, run["trajectory_seed"]], run["trajectory_W"], run["trajectory_b"]
    )  # the recorded recoveries
    dead_rows.append(
        [
            n,
            f"{dead_bias[n][0]:.4f} ± {dead_bias[n][1]:.4f}",
            f"{1 / n:.4f}",
            f"{100 * (n * dead_bias[n][0] - 1):.2f}%",
            f"{float(norm_dead.median()):.4f}",
            f"{float(loss_per_seed(run['failure_W'], run['failure_b']).median()):.5f}",
            f"{symmetric_failure_loss_floor(n):.5f}",
            f"{plateau_ratio[n]:.4f}",
        ]
    )
Table(
    [
        "n",
        "b_dead (mean ± sd)",
        "1/n",
        "b_dead vs 1/n",
        "median ‖W_dead‖",
        "median loss at first detection",
        "loss floor (n-1)/n³",
        "plateau loss / floor (median)",
    ],
    dead_rows,
)

# %% tags=["remove-cell"]
b_mean, b_sd, b_count = dead_bias[7]
claims.add(
    Claim(
        "the dead feature's bias is 1/n (n = 7)",
        POST,
        "“it is indeed observed that b_7 = 1/n = 1/7”",
        Measurement(
            b_mean,
            b_sd / math.sqrt(b_count),
            text=f"{format_estimate(b_mean, b_sd / math.sqrt(b_count))} (1/7 = {1 / 7:.5f}; {b_count} checkpoints)",
        ),
        within(1 / 7, 0.01 / 7, description="within 1% of 1/7"),
    ),
    Claim(
        "the failure's loss is the dead output's least-squares error, (n-1)/n³ (n = 7)",
        POST,
        "the model “does a perfect job of representing the rest”; for the dead feature “your best option is really to "
        "just encode the mean”",
        Measurement(
            plateau_ratio[7],
            text=f"plateau loss / (n-1)/n³ = {plateau_ratio[7]:.4f} (median, 3 runs)",
        ),
        within(1.0, 0.01, z=0, description="ratio within 1% of 1"),
    ),
)

# %% tags=["remove-input"]
glue("b_dead_7", dead_bias[7][0], digits=4)
glue("plateau_ratio_7", plateau_ratio[7], digits=5)

# %% [markdown]
# $b_d$ sits within a percent of $1/n$ ({glue:text}`b_dead_7:.4f` for $n = 7$), $\|W_d\|$ is of order
# $10^{-2}$ or less, and along the plateaus the loss is the closed form: the dead output's squared error
# summed over the $n$ examples is $(n-1)/n$, i.e. $(n-1)/n^3$ per entry of the mean squared error (median
# ratio {glue:text}`plateau_ratio_7:.4f` for $n = 7$). At first detection the other features still carry
# a little error, so the loss there is a few percent above the floor; late on a plateau it dips just below
# it, because the drifting live features already let a non-zero $W_d$ pay.
#
# **The tilt argument.** Put the dead vector at $W_d = \varepsilon u$ on the failed model of the figure
# above (with $W_d = 0$ as reference). As long as no output changes sign the loss change is exactly
#
# $$
# n^2 \Delta L = 2\varepsilon b_d \sum_j u\cdot W_j + \varepsilon^2\left[\sum_{j \text{ active}} (u\cdot W_j)^2 - 2(1-b_d)\right] + \varepsilon^4,
# $$
#
# where for $b_d = 0$ only the $W_j$ with $u \cdot W_j > 0$ are active. The post's growth condition
# $2[1-(\|W_d\|^2+b_d)] > \sum_j (\hat W_d\cdot W_j)^2$ is the bracket being negative. We scan 360
# directions, and as a control apply the same test to a recorded run at epoch 0 (seed
# {glue:text}`seed_shown`, the feature that dies later set to zero).

# %%
directions = unit_directions(360)
seed_shown = int(
    n7["trajectory_seed"][0]
)  # a recorded recovery; its weights at epoch 0 are the control
W_start, b_start = n7["trajectory_W"][0][0], n7["trajectory_b"][0][0]
dead_shown = int(
    n7["trajectory_W"][0][log7[:, seed_shown] == SYMMETRIC_FAILURE][0].norm(dim=0).argmin()
)
tilt, tilt_start, change = {}, {}, {}
for name, dead_bias_value in (("b_d = 1/7", 1 / 7), ("b_d = 0", 0.0)):
    change[name] = tilt_loss_change(W_fail, b_fail, dead7, directions, 0.01, dead_bias_value)
    linear, quadratic = tilt_coefficients(W_fail, b_fail, dead7, directions, dead_bias_value)
    tilt[name] = (float(quadratic.min()), float(linear.abs().max()))
    tilt_start[name] = float(
        tilt_coefficients(W_start, b_start, dead_shown, directions, dead_bias_value)[1].min()
    )
    print(
        f"{name}: smallest loss change at length 0.01: {format_number(float(change[name].min()), 4)}; "
        f"smallest quadratic coefficient {tilt[name][0]:.4f} (> 0: no direction grows); "
        f"largest |linear coefficient| {format_number(tilt[name][1], 3)}; "
        f"control, seed {seed_shown} at epoch 0: {tilt_start[name]:.4f}"
    )

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "symmetric failure is a local optimum in W_dead (tilt argument)",
        POST,
        "“this is also a local optimum; in this Symmetric Failure setup, W_7 prefers to remain 0”",
        Measurement(
            min(t[0] for t in tilt.values()),
            text=f"smallest quadratic coefficient {tilt['b_d = 1/7'][0]:.3f} (b_d = 1/7), "
            f"{tilt['b_d = 0'][0]:.3f} (b_d = 0)",
        ),
        Criterion(
            "> 0 in all 360 directions, for b_d = 1/7 and b_d = 0",
            lambda v, u: v > 0,
            lambda v, u: (v, "a quadratic coefficient of 0"),
        ),
        null=Measurement(min(tilt_start.values()), text=f"{min(tilt_start.values()):.3f}"),
        null_label="a recorded run at epoch 0",
    )
)

# %%
# The post's freezing test: every symmetric-failure checkpoint (n = 7) with its live features and biases
# frozen, the dead feature let settle from 0; towards the sum of the two shortest live features?
W_failures, b_failures, dead_failures = (
    n7["failure_W"].double(),
    n7["failure_b"].double(),
    n7["failure_dead"],
)
settled = frozen_dead_optimum(W_failures, b_failures, dead_failures)
pick = np.random.default_rng(11)
towards_shorter, towards_random = [], []
for i in range(W_failures.shape[0]):
    live = [k for k in range(W_failures.shape[2]) if k != int(dead_failures[i])]
    shortest = sorted(live, key=lambda k: float(W_failures[i, :, k].norm()))[:2]
    for picked, out in (
        (shortest, towards_shorter),
        (pick.choice(live, 2, replace=False), towards_random),
    ):
        direction = W_failures[i, :, picked[0]] + W_failures[i, :, picked[1]]
        out.append(float(settled[i] @ direction / (settled[i].norm() * direction.norm())))
towards_shorter, towards_random = np.array(towards_shorter), np.array(towards_random)
print(
    f"{len(settled)} checkpoints: settled |W_d| median {float(settled.norm(dim=1).median()):.4f} "
    f"(live features {float(W_failures.norm(dim=1).median()):.2f}); cosine with the two shortest live features' sum "
    f"median {np.median(towards_shorter):.2f}, ≥ 0.9 in {format_rate(int((towards_shorter >= 0.9).sum()), len(settled))}; "
    f"two random live features: median {np.median(towards_random):.2f}"
)


# %%
claims.add(
    Claim(
        "with unequal live features the dead feature's optimum shifts towards the shorter ones",
        POST,
        "“a local optimum at $W_7 = \\varepsilon \\cdot (W_6 + W_1)$, i.e. still very near $0$, but shifted "
        "somewhere in the $W_6$ and $W_1$ direction”",
        rate(int((towards_shorter >= 0.9).sum()), len(settled)),
        wilson_above(
            0.5,
            len(settled),
            description="most checkpoints: cosine ≥ 0.9 with the sum of the two "
            "shortest live features (95% Wilson interval above 50%)",
        ),
        null=rate(int((towards_random >= 0.9).sum()), len(settled)),
        null_label="the sum of two random live features",
        note="live features frozen, the dead one settled from 0 by gradient descent",
    )
)

# %% tags=["remove-input"]
fig, ax = plt.subplots(figsize=(7.2, 3.8))
for (name, values), colour in zip(change.items(), plt.cm.viridis([0.2, 0.75])):
    ax.plot(
        np.degrees(np.arange(360) * 2 * math.pi / 360),
        values.numpy() * 1e6,
        color=colour,
        label=name,
    )
ax.axhline(0, color="grey", lw=0.8)
ax.set_xlabel("direction of the perturbation u (degrees)")
ax.set_ylabel("loss change (units of 10⁻⁶)")
ax.legend(loc="center right")
fig.tight_layout()
glue("fig_tilt", fig)
plt.close(fig)
glue("tilt_min_q_pos", tilt["b_d = 1/7"][0], digits=4)
glue("tilt_min_q_zero", tilt["b_d = 0"][0], digits=4)
glue("tilt_min_q_start", min(tilt_start.values()), digits=4)
glue("seed_shown", seed_shown)
glue("dead_shown", dead_shown)
# the linear term shifts the optimum of W_d to a length of about |linear| / (2 quadratic)
glue("tilt_optimum_length", format_number(tilt["b_d = 1/7"][1] / (2 * tilt["b_d = 1/7"][0]), 1))

# %% [markdown]
# ```{glue:figure} fig_tilt
# :alt: Two nearly flat curves of the loss change against the direction of the perturbation, both above the zero line in every direction; the upper one shows a slow wave.
# :name: fig-ae-tilt
#
# Loss change when the dead feature of the failed $n = 7$ model is given length 0.01 in direction $u$,
# for $b_d = 1/7$ and $b_d = 0$. Both curves stay above zero in every direction: the failure is a strict
# local minimum in $W_d$. For a regular polygon $\sum_j (u\cdot W_j)^2$ does not depend on $u$, so the
# curves are nearly flat; the slow wave of the $b_d = 1/7$ curve is the small linear term.
# ```
#
# The smallest quadratic coefficient over all directions is {glue:text}`tilt_min_q_pos:.3f` for
# $b_d = 1/7$ and {glue:text}`tilt_min_q_zero:.3f` for $b_d = 0$, both positive, so the post's argument
# holds for this model (the small linear term, from the live polygon's slight asymmetry, only moves the
# optimum of $W_d$ to a length of about {glue:text}`tilt_optimum_length`). The test does discriminate: at
# the control's initial weights the smallest coefficient is {glue:text}`tilt_min_q_start:.3f`, and $W_d$
# would grow. It is a
# local statement about $W_d$ with the other features frozen, though: the live features drift, and the
# next section shows where that leads.
#
# ## A plateau, not a trap
#
# Claim (post): the failed model's "internal features stayed like since about step 3,000", and "when
# $b_7 \geq 0$ and we're in the Symmetric Failure case, we're stuck". We follow seeds 0 to 199 of $n = 7$
# at four learning rates for 100,000 epochs.

# %%
steps_long = lr_long["steps"]
at_25k = int(torch.nonzero(steps_long == 25_000)[0])
lr_rows, lr_counts = [], {}
for l, lr in enumerate(lr_long["lr"].tolist()):
    log = lr_long["outcome_log"][:, l].long()
    failed = (log[: at_25k + 1] == SYMMETRIC_FAILURE).any(dim=0)  # by epoch 25,000
    still = int((failed & (log[at_25k] == SYMMETRIC_FAILURE)).sum())
    recovered_25k = int(lr_sweep["recovered"][l].sum())  # the committed 25,000-epoch study
    recovered_100k = int(lr_long["recovered"][l].sum())
    took = (
        first_step(log, steps_long, PERFECT) - first_step(log, steps_long, SYMMETRIC_FAILURE)
    )[lr_long["recovered"][l]]
    lr_counts[lr] = dict(
        failed=int(failed.sum()),
        still=still,
        recovered_25k=recovered_25k,
        recovered_100k=recovered_100k,
        failed_perfect_100k=int((failed & (log[-1] == PERFECT)).sum()),
    )
    lr_rows.append(
        [
            f"{lr:g}",
            format_rate(int(failed.sum()), log.shape[1]),
            still,
            format_rate(recovered_25k, log.shape[1]),
            format_rate(recovered_100k, log.shape[1]),
            f"{int(took.median()):,}",
            int((log[-1] == PERFECT).sum()),
        ]
    )


# %% tags=["hide-input"]
Table(
    [
        "learning rate",
        "in symmetric failure by epoch 25,000",
        "still in it at epoch 25,000",
        "recovered by epoch 25,000 (of all seeds)",
        "recovered by epoch 100,000 (of all seeds)",
        "epochs from first failure to perfect (median)",
        "perfect at epoch 100,000 (of 200)",
    ],
    lr_rows,
)

# %%
# How the classification threshold for a dead feature moves the "still in symmetric failure" count: the runs
# in symmetric failure by epoch 25,000 (classified while training, dead norm 0.1) reclassified at epoch 25,000.
DEAD_NORMS = (0.05, 0.1, 0.2, 0.3, 0.5)
sweep_rows, still_by_norm = [], {d: [0, 0] for d in DEAD_NORMS}
for l, lr in enumerate(lr_long["lr"].tolist()):
    log = lr_long["outcome_log"][:, l].long()
    failed = (log[: at_25k + 1] == SYMMETRIC_FAILURE).any(dim=0)
    row = [f"{lr:g}", int(failed.sum())]
    for dead_norm in DEAD_NORMS:
        outcome = classify(lr_long["W_25000"][l], lr_long["b_25000"][l], dead_norm=dead_norm)[
            failed
        ]
        row.append(
            f"{int((outcome == SYMMETRIC_FAILURE).sum())} ({int((outcome == ASYMMETRIC_FAILURE).sum())} "
            f"asymmetric, {int((outcome == OTHER).sum())} other, {int((outcome == PERFECT).sum())} perfect)"
        )
        still_by_norm[dead_norm][0] += int((outcome == SYMMETRIC_FAILURE).sum())
        still_by_norm[dead_norm][1] += int(failed.sum())
    sweep_rows.append(row)
slow = lr_long["outcome_log"][:, 0].long()
slow_failed = (slow[: at_25k + 1] == SYMMETRIC_FAILURE).any(dim=0)
slow_loose = classify(lr_long["W_25000"][0], lr_long["b_25000"][0], dead_norm=max(DEAD_NORMS))[
    slow_failed
]
glue("dead_sweep_lr", f"{lr_long['lr'][0].item():g}")
glue("dead_sweep_failed", int(slow_failed.sum()))
glue("dead_sweep_stuck", int((slow_loose == ASYMMETRIC_FAILURE).sum()))
glue("dead_sweep_max", f"{max(DEAD_NORMS):g}")
Table(
    ["learning rate", "in symmetric failure by epoch 25,000"]
    + [f"still in it at epoch 25,000, dead norm {d:g}" for d in DEAD_NORMS],
    sweep_rows,
    caption="Runs still in symmetric failure at epoch 25,000 (the others: in asymmetric failure, other, "
    "perfect) for five dead-feature norms",
)

# %% [markdown]
# No run is still in symmetric failure at epoch 25,000 whatever the dead-feature norm, but at learning rate
# {glue:text}`dead_sweep_lr` that is not because the runs have left failure: {glue:text}`dead_sweep_stuck` of
# its {glue:text}`dead_sweep_failed` failed runs still have a dead feature, longer than 0.1 and with the live
# features on unequal radii, so they count as *other* at the default threshold and as asymmetric failure at
# {glue:text}`dead_sweep_max`. The claim's row lists the counts at every threshold.

# %% tags=["remove-cell"]
still = (
    sum(c["still"] for c in lr_counts.values()),
    sum(c["failed"] for c in lr_counts.values()),
)
eventually = (sum(c["failed_perfect_100k"] for c in lr_counts.values()), still[1])

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "failed runs stay in symmetric failure (n = 7, 25,000 epochs)",
        POST,
        "the features “stayed like since about step 3,000”; “we're stuck”",
        rate(*still),
        wilson_above(
            0.5,
            still[1],
            description="most failed runs still in it at epoch 25,000 (Wilson interval above 50%)",
        ),
        refuted_if=wilson_below(0.5, still[1]),
        setting_differs="pooled over learning rates 3 × 10⁻⁴ to 10⁻²",
        other_settings=tuple(
            (
                f"dead norm {d:g}",
                rate(*still_by_norm[d]),
                wilson_above(0.5, still_by_norm[d][1]),
            )
            for d in DEAD_NORMS
            if d != 0.1
        ),
        note=f"all {lr_counts[3e-4]['failed']} failed runs at lr 3 × 10⁻⁴ perfect by epoch 100,000",
    )
)


# %% tags=["remove-cell"]
claims.add(
    Claim(
        "recovery from symmetric failure needs a sweet spot, so it is rare (n = 7)",
        POST,
        "“this recovery doesn't happen very much though, because it relies on the learning rate and the specific "
        "configuration of asymmetry … to be in a sweet spot”",
        rate(*eventually),
        wilson_below(
            0.5,
            eventually[1],
            description="fewer than half the failed runs recover (Wilson interval below 50%)",
        ),
        refuted_if=wilson_above(0.5, eventually[1]),
        setting_differs="100,000 epochs, pooled over learning rates 3 × 10⁻⁴ to 10⁻²",
        note="runs in symmetric failure by epoch 25,000, perfect at epoch 100,000",
    )
)

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "asymmetric recovery is rare (n = 7, lr 10⁻³, 25,000 epochs)",
        POST,
        f"“I trained 100 randomly seeded such auto-encoders and only got 1” ({format_rate(*POST_RATE)})",
        rate(int(n7["recovered"].sum()), 1000),
        wilson_overlaps(POST_RATE, 1000),
        refuted_if=wilson_entirely_above(POST_RATE, 1000),
        other_settings=(
            recovery_setting(
                LR_NAMES[3e-4], lr_counts[3e-4]["recovered_25k"], 200, "25,000", POST_RATE
            ),
            recovery_setting(
                LR_NAMES[3e-4], lr_counts[3e-4]["recovered_100k"], 200, "100,000", POST_RATE
            ),
            recovery_setting(
                LR_NAMES[3e-3], lr_counts[3e-3]["recovered_25k"], 200, "25,000", POST_RATE
            ),
            recovery_setting(
                LR_NAMES[1e-2], lr_counts[1e-2]["recovered_25k"], 200, "25,000", POST_RATE
            ),
        ),
        # the post gives no learning rate or initialisation, and at 3e-4 the rate overlaps the post's: not refuted
        setting_differs="learning rate 10⁻³ and Xavier-normal initialisation assumed; the post gives neither",
    )
)


# %% [markdown]
# No failed run stays in symmetric failure: at every learning rate each one has left it by epoch 25,000.
# What differs is the time it takes, which grows as the learning rate shrinks. At $3 \times 10^{-4}$ most
# failed runs are not yet perfect at epoch 25,000; the outcome log only says *other* for them, so we kept
# their parameters:

# %%
slow = lr_long["lr"].tolist().index(3e-4)
log_slow = lr_sweep["outcome_log"][:, slow].long()
unfinished = (log_slow == SYMMETRIC_FAILURE).any(dim=0) & (log_slow[-1] != PERFECT)
W_25k, b_25k = lr_long["W_25000"][slow][unfinished], lr_long["b_25000"][slow][unfinished]
shortest = W_25k.norm(dim=1).argmin(dim=1)
rows = torch.arange(len(shortest))
final_slow = lr_long["outcome_log"][-1, slow].long()[unfinished]
print(
    f"lr 3e-4, failed and not perfect at epoch 25,000: {int(unfinished.sum())} runs; their shortest feature: "
    f"norm {float(W_25k.norm(dim=1)[rows, shortest].median()):.3f} (median; dead means < 0.1), "
    f"bias {float(b_25k[rows, shortest].median()):.3f} (median)"
)
print(
    f"the same runs at epoch 100,000: {int((final_slow == PERFECT).sum())} perfect, "
    f"{int((final_slow != PERFECT).sum())} not"
)

# %% tags=["remove-input"]
glue("slow_unfinished", int(unfinished.sum()))
glue("slow_recovered_25k", lr_counts[3e-4]["recovered_25k"])
glue("slow_recovered_100k", lr_counts[3e-4]["recovered_100k"])
glue("slow_unfinished_norm", float(W_25k.norm(dim=1)[rows, shortest].median()), digits=3)
glue("slow_unfinished_perfect_100k", int((final_slow == PERFECT).sum()))

# %% [markdown]
# The {glue:text}`slow_unfinished` failed runs that are not perfect at epoch 25,000 are on their way out:
# their shortest feature has grown to a norm of {glue:text}`slow_unfinished_norm:.2f` (median; a dead
# feature is shorter than 0.1) while its bias is still positive, and by epoch 100,000
# {glue:text}`slow_unfinished_perfect_100k` of them are perfect. Symmetric failure is a slow plateau, not a
# final state.
#
# ## Asymmetric recovery: the rule here, not the exception
#
# Claim (post): after symmetric failure, one side of the live features grows longer with more negative
# biases, the optimum of $W_d$ moves off zero, a runaway sweep follows and $b_d$ turns negative; this
# happened in 1 of 100 seeds.

# %%
recovery_rows = []
for n in (6, 7, 8):
    run = sweep[f"n={n}"]
    ever = int((run["outcome_log"] == SYMMETRIC_FAILURE).any(dim=0).sum())
    recovered = int(run["recovered"].sum())
    recovery_rows.append(
        [
            n,
            format_rate(recovered, ever),
            format_rate(recovered, run["outcome_log"].shape[1]),
            format_rate(*POST_RATE) if n == 7 else "— (the post trained n = 7)",
        ]
    )
Table(["n", "recovered / ever failed", "recovered / all seeds", "post"], recovery_rows)

# %% tags=["remove-input"]
for n in (6, 7, 8):
    run = sweep[f"n={n}"]
    ever = int((run["outcome_log"] == SYMMETRIC_FAILURE).any(dim=0).sum())
    glue(f"recovered_all_{n}", 100 * int(run["recovered"].sum()) / 1000, digits=3)
    glue(f"recovered_of_failed_{n}", 100 * int(run["recovered"].sum()) / ever, digits=4)
final8 = sweep["n=8"]["outcome_log"][-1].long()[
    (sweep["n=8"]["outcome_log"] == SYMMETRIC_FAILURE).any(dim=0)
]
glue("failed8_other", int((final8 == OTHER).sum()))
glue("failed8_asym", int((final8 == ASYMMETRIC_FAILURE).sum()))

trajectory_W, trajectory_b = n7["trajectory_W"][0], n7["trajectory_b"][0]
in_failure = (log7[:, seed_shown] == SYMMETRIC_FAILURE).numpy()
steps7 = n7["steps"].numpy()
colours = feature_colours(7)


# %% tags=["remove-input"]
fig = recovery_figure(
    steps7,
    trajectory_W.norm(dim=1).numpy(),
    trajectory_b.numpy(),
    (steps7[in_failure].min(), steps7[in_failure].max()),
    trajectory_W[-1],
    trajectory_b[-1],
    highlighted=dead_shown,
    final_title="epoch 25,000",
)
glue("fig_recovery", fig)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} fig_recovery
# :alt: Three panels for one training run. Left, seven feature norms on a log scale against the epoch, one of them tiny during a grey band and then rising. Middle, the seven biases against the epoch. Right, the final latent plane with five long arrows and two short ones.
# :name: fig-ae-recovery
#
# One asymmetric recovery ($n = 7$, seed {glue:text}`seed_shown`, dead feature
# {glue:text}`dead_shown` drawn thick; grey band: epochs classified as symmetric failure). Left: feature
# norms (log scale); middle: biases; right: the final latent plane. During the plateau one side of the
# live features lengthens and its biases fall, then the dead feature grows, its bias turns negative, and
# the run ends perfect with features of several lengths.
# ```
#
# With our default learning rate of $10^{-3}$ every symmetric failure for $n = 6$ and $n = 7$ recovered
# before epoch 25,000 ({glue:text}`recovered_of_failed_7:.1f`% of the failed $n = 7$ runs), i.e.
# {glue:text}`recovered_all_7:.1f`% of all $n = 7$ seeds against the post's 1 in 100. For $n = 8$ recovery
# takes longer: of its failed runs, {glue:text}`failed8_other` are in other states and
# {glue:text}`failed8_asym` in asymmetric failure at epoch 25,000. The learning-rate table above shows
# that the post's rate is a matter of learning rate and budget: at $3 \times 10^{-4}$ only
# {glue:text}`slow_recovered_25k` of 200 seeds had recovered by epoch 25,000 (consistent with 1 in 100),
# and {glue:text}`slow_recovered_100k` by epoch 100,000.
#
# **Circles of several radii.** The post argues that the recovered feature "only gets learnt because the
# original set of features 'graduated' to a higher radius", and doubts that "two" is special. We compare
# the longest and shortest feature norms at epoch 25,000 and count the distinct radii (norms within 2% of
# each other count as one radius).

# %%
norms_final = n7["W"].norm(dim=1)
recovered7 = n7["recovered"]
never_symmetric = (log7[-1] == PERFECT) & ~(log7 == SYMMETRIC_FAILURE).any(dim=0)
ratio = norm_ratio(n7["W"])
levels = radius_levels(n7["W"])
formerly_dead = n7["failure_dead"][recovered7[n7["failure_seed"]]]
recovered_norms = norms_final[n7["failure_seed"][recovered7[n7["failure_seed"]]]]
dead_is_shortest = int((recovered_norms.argmin(dim=1) == formerly_dead).sum())
unequal = {
    name: (int((ratio[m] > 1.2).sum()), int(m.sum()))
    for name, m in (("recovered", recovered7), ("never", never_symmetric))
}
two_radii = int((levels[recovered7] == 2).sum())
print(
    f"max/min feature norm at epoch 25,000 (median): after recovery {float(ratio[recovered7].median()):.3f}; "
    f"perfect runs never in symmetric failure {float(ratio[never_symmetric].median()):.3f}"
)
print(
    f"norm ratio > 1.2: recoveries {format_rate(*unequal['recovered'])}; never failed {format_rate(*unequal['never'])}"
)
print(
    "distinct radii after recovery:",
    {int(k): int((levels[recovered7] == k).sum()) for k in levels[recovered7].unique()},
)
print(
    f"the formerly dead feature is the shortest at epoch 25,000 in {dead_is_shortest} of {int(recovered7.sum())} recoveries"
)

# %% tags=["hide-input"]
RADIUS_TOLERANCES = (0.01, 0.02, 0.05, 0.1, 0.2)
Table(
    ["radius tolerance (norms within it count as one radius)"]
    + [f"{t:g}" for t in RADIUS_TOLERANCES],
    [
        ["recoveries with exactly two radii"]
        + [
            format_rate(
                int((radius_levels(n7["W"], tolerance=t)[recovered7] == 2).sum()),
                int(recovered7.sum()),
            )
            for t in RADIUS_TOLERANCES
        ]
    ],
    caption="The radius tolerance decides the count of two-radius recoveries",
)

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "after recovery the features sit on several radii (n = 7, lr 10⁻³)",
        POST,
        "“having features split into ‘circles’ of multiple radii is desirable!”",
        rate(*unequal["recovered"]),
        at_least(0.9, description="≥ 90% of recoveries with max/min norm > 1.2, by 2 SE"),
        null=rate(*unequal["never"]),
        null_label="perfect runs never in symmetric failure",
    ),
    Claim(
        "two is not a special number of circles (n = 7, lr 10⁻³)",
        POST,
        "“I question both the claims of ‘two’ and ‘circles’ … it does not seem like two is a special number”",
        rate(two_radii, int(recovered7.sum())),
        wilson_below(
            0.5,
            int(recovered7.sum()),
            description="fewer than half the recoveries have exactly two radii (Wilson interval below 50%)",
        ),
        refuted_if=wilson_above(0.5, int(recovered7.sum())),
        note="norms within 2% count as one radius",
        other_settings=tuple(
            (
                f"tolerance {t:g}",
                rate(
                    int((radius_levels(n7["W"], tolerance=t)[recovered7] == 2).sum()),
                    int(recovered7.sum()),
                ),
            )
            for t in RADIUS_TOLERANCES
            if t != 0.02
        ),
    ),
)

# %% tags=["remove-input"]
glue("ratio_recovered", float(ratio[recovered7].median()), digits=3)
glue("ratio_never", float(ratio[never_symmetric].median()), digits=3)
glue("unequal_never", 100 * unequal["never"][0] / unequal["never"][1], digits=3)
glue("three_radii", int((levels[recovered7] == 3).sum()))
glue("two_radii", two_radii)
glue("recovered_count_7", int(recovered7.sum()))
glue("dead_is_shortest", dead_is_shortest)

# %% [markdown]
# After a recovery the longest feature is {glue:text}`ratio_recovered:.2f` times the shortest (median),
# against {glue:text}`ratio_never:.2f` for perfect runs that never passed through symmetric failure; but
# {glue:text}`unequal_never:.0f`% of those also end with norms unequal by more than the factor 1.2, so
# several radii are common, not a signature of recovery alone. Nor are there two circles: of the
# {glue:text}`recovered_count_7` recoveries, {glue:text}`three_radii` end with three distinct radii (five
# long features on one circle and two short ones of different lengths) and {glue:text}`two_radii` with two,
# as the post suspected. In every one of them ({glue:text}`dead_is_shortest`) the formerly dead feature
# ends as the shortest.
#
# ## Do failed runs pass through symmetric failure first?
#
# Claim (post): "all 'failed' models have at some point passed through the 'Symmetric Failure' mode
# before turning asymmetrical". The 100,000-epoch study checks every run's outcome every 10 epochs, so a
# symmetric failure shorter than the 250-epoch log interval is not missed.

# %%
first_seen = lr_long["first_seen"]  # (outcome, learning rate, seed): first epoch seen, -1 never
via_symmetric = passed_through_before(
    first_seen[SYMMETRIC_FAILURE], first_seen[ASYMMETRIC_FAILURE]
)
ever_asymmetric = first_seen[ASYMMETRIC_FAILURE] >= 0
failed_asymmetric = (
    lr_long["outcome_log"][at_25k].long() == ASYMMETRIC_FAILURE
)  # at epoch 25,000
passing_rows = []
for l, lr in enumerate(lr_long["lr"].tolist()):
    passing_rows.append(
        [
            f"{lr:g}",
            f"{int((ever_asymmetric[l] & via_symmetric[l]).sum())} of {int(ever_asymmetric[l].sum())}",
            f"{int((failed_asymmetric[l] & via_symmetric[l]).sum())} of {int(failed_asymmetric[l].sum())}",
        ]
    )
Table(
    [
        "learning rate",
        "ever in asymmetric failure: symmetric failure first",
        "in asymmetric failure at epoch 25,000: symmetric failure first",
    ],
    passing_rows,
)

# %% tags=["remove-input"]
passing = (int((failed_asymmetric & via_symmetric).sum()), int(failed_asymmetric.sum()))
passing_ever = (int((ever_asymmetric & via_symmetric).sum()), int(ever_asymmetric.sum()))
glue("passing_failed", passing[0])
glue("passing_failed_total", passing[1])
glue("passing_ever", passing_ever[0])
glue("passing_ever_total", passing_ever[1])
final_long = lr_long["outcome_log"][-1].long()
glue("still_asym_100k", int((failed_asymmetric & (final_long == ASYMMETRIC_FAILURE)).sum()))
glue(
    "passing_ever_perfect",
    int((ever_asymmetric & via_symmetric & (final_long == PERFECT)).sum()),
)

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "failed runs pass through symmetric failure before turning asymmetrical (n = 7)",
        POST,
        "“all ‘failed’ models have at some point passed through the ‘Symmetric Failure’ mode before turning "
        "asymmetrical”",
        rate(*passing),
        every_run(passing[1], description="every run in asymmetric failure at epoch 25,000"),
        partial=wilson_above(0.5, passing[1], description="most (Wilson interval above 50%)"),
        refuted_if=wilson_below(0.5, passing[1]),
        setting_differs="pooled over learning rates 3 × 10⁻⁴ to 10⁻², outcome checked every 10 epochs",
        note=f"of all runs ever in asymmetric failure {passing_ever[0]}/{passing_ever[1]}",
    )
)

# %% [markdown]
# Of the {glue:text}`passing_failed_total` runs that are in asymmetric failure at epoch 25,000 (one dead
# feature, unequal live norms), {glue:text}`passing_failed` passed through symmetric failure first, and
# {glue:text}`still_asym_100k` of them are still in asymmetric failure at epoch 100,000. Over all runs
# that are ever seen in asymmetric failure, {glue:text}`passing_ever` of {glue:text}`passing_ever_total`
# had been in symmetric failure before, and {glue:text}`passing_ever_perfect` of those are perfect at
# epoch 100,000. The failures that last take a different road, straight into a lopsided state.
#
# ## Chaos: recovery over (bias perturbation, learning rate)
#
# Claim (post): pushing the biases of two adjacent live features by $\Delta$ and training on, "the amount
# of splaying / sweeping generally increases with learning rate, but starts to get patchy beyond a certain
# point"; splay is $\sum_j \|W_j\|$.

# %%
splay, lrs_chaos, deltas = chaos["splay"], chaos["lr"], chaos["delta"]
rank_correlation = np.median(
    [spearmanr(lrs_chaos.numpy(), splay[k].numpy()).statistic for k in range(len(deltas))]
)
mean_live_norm = float(chaos["splay_start"]) / 6
roughness = splay_roughness(
    splay, 0.5
)  # share of neighbouring-Delta cells whose splay jumps by > 0.5
pairs = len(deltas) - 1
top, bottom = (
    lrs_chaos >= 1e-2,
    lrs_chaos <= 1e-3,
)  # the top and bottom decades of learning rate
rough_top = (int(round(float(roughness[top].sum()) * pairs)), int(top.sum()) * pairs)
rough_bottom = (int(round(float(roughness[bottom].sum()) * pairs)), int(bottom.sum()) * pairs)
first_rough = float(lrs_chaos[roughness > 0].min())
roughest = float(lrs_chaos[int(roughness.argmax())])  # ties: the smallest learning rate
perfect_map = chaos["outcome"] == PERFECT
print(
    f"start: seed {int(chaos['seed'])} (n = 7), dead feature {int(chaos['dead'])}, biases pushed: "
    f"{chaos['pair'].tolist()}, {ex.CHAOS_SETTINGS['epochs']:,} epochs of AdamW per cell; splay at the start "
    f"{float(chaos['splay_start']):.3f} (mean live norm {mean_live_norm:.3f})"
)
print(
    f"median over Delta rows of the rank correlation of splay with learning rate: {rank_correlation:.3f}"
)
print(
    f"neighbouring cells with a splay jump > 0.5: top decade {format_rate(*rough_top)}, "
    f"bottom decade {format_rate(*rough_bottom)}; first at learning rate {format_number(first_rough, 2)}, "
    f"most at {format_number(roughest, 2)}"
)

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "splay increases with the learning rate",
        POST,
        "“The amount of splaying / sweeping generally increases with learning rate”",
        Measurement(
            rank_correlation,
            text=f"median rank correlation {rank_correlation:.3f} over {len(deltas)} Δ rows",
        ),
        at_least(0.5, z=0, description="median rank correlation ≥ 0.5"),
    ),
    Claim(
        "splay gets patchy beyond some learning rate",
        POST,
        "“but starts to get patchy beyond a certain point”",
        rate(*rough_top),
        at_least(
            0.05,
            description="≥ 5% of neighbouring cells in the top decade jump by > 0.5, by 2 SE",
        ),
        null=rate(*rough_bottom),
        null_label="bottom decade (10⁻⁴ to 10⁻³)",
        note=f"first jump at lr {format_number(first_rough, 2)}",
    ),
)

# %% tags=["remove-input"]
# share of the splay's variance over the grid explained by the learning rate alone (column means) or by Delta alone
share_lr = r_squared(
    splay.flatten().numpy(), splay.mean(dim=0, keepdim=True).expand_as(splay).flatten().numpy()
)
share_delta = r_squared(
    splay.flatten().numpy(), splay.mean(dim=1, keepdim=True).expand_as(splay).flatten().numpy()
)
lowest_perfect = [float(lrs_chaos[perfect_map[k]].min()) for k in (0, len(deltas) - 1)]
splay_zero = float(splay[0].max()) / float(chaos["splay_start"])
glue("chaos_rank", rank_correlation, digits=3)
glue("chaos_rough_top", 100 * rough_top[0] / rough_top[1], digits=3)
glue("chaos_first_rough", format_number(first_rough, 2))
glue("chaos_roughest", format_number(roughest, 2))
glue("chaos_perfect", 100 * float(perfect_map.double().mean()), digits=3)
glue("chaos_share_lr", 100 * share_lr, digits=3)
glue("chaos_share_delta", 100 * share_delta, digits=2)
glue("chaos_edge_zero", format_number(lowest_perfect[0], 2))
glue("chaos_edge_max", format_number(lowest_perfect[1], 2))
glue("chaos_splay_zero", splay_zero, digits=3)


# %% tags=["remove-input"]
fig, axes = plt.subplots(1, 2, figsize=(7.2, 4.0))
extent = [
    math.log10(float(lrs_chaos[0])),
    math.log10(float(lrs_chaos[-1])),
    0,
    float(deltas[-1]),
]
image = axes[0].imshow(
    splay.numpy(), origin="lower", aspect="auto", extent=extent, cmap="viridis"
)
fig.colorbar(image, ax=axes[0], label="splay Σ‖W_j‖ after training")
axes[1].imshow(
    perfect_map.double().numpy(), origin="lower", aspect="auto", extent=extent, cmap="cividis"
)
axes[1].set_title("ends perfect (light) or not (dark)")
for ax in axes:
    ax.set_xlabel("learning rate (log₁₀)")
    ax.set_ylabel("Δ added to the two biases")
fig.tight_layout()
glue("fig_chaos", fig)
plt.close(fig)

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "Δ = 0 still splays",
        POST,
        "“at basically 0 perturbation to b_6 and b_1, we still see some amount of splaying / sweeping”",
        Measurement(splay_zero, text=f"largest splay at Δ = 0 is {splay_zero:.3f} × the start"),
        at_least(1.1, z=0, description="> 10% above the starting splay at some learning rate"),
    )
)

# %% [markdown]
# ```{glue:figure} fig_chaos
# :alt: Two heat maps over log learning rate (horizontal) and bias push (vertical). Left, splay rises smoothly from left to right, peaks, and turns speckled at the largest learning rates. Right, a light band of perfect outcomes in the upper half of the learning-rate range, with a ragged right edge.
# :name: fig-ae-chaos
#
# Starting from the longest-lasting $n = 7$ symmetric failure, the biases of the two live features
# next to the dead one are raised by $\Delta$, and each cell trains for 3,000 epochs with its own
# learning rate. Left: splay $\sum_j \|W_j\|$; right: whether the run ended perfect. Recovery within the
# budget happens in a band of learning rates whose upper edge is patchy.
# ```
#
# Splay grows with the learning rate (median rank correlation {glue:text}`chaos_rank:.2f` over the
# $\Delta$ rows) and turns patchy at large learning rates: in the top decade ($10^{-2}$ to $10^{-1}$)
# {glue:text}`chaos_rough_top:.1f`% of neighbouring cells jump by more than 0.5 (about a third of one
# live feature's length), in the bottom decade none. The first jump is at a learning rate of
# {glue:text}`chaos_first_rough` (the lower edge of the recovery band, where runs switch between
# recovered and not), the most at {glue:text}`chaos_roughest`. {glue:text}`chaos_perfect:.1f`% of the
# cells end perfect. Below the band 3,000 epochs are simply too few (from first failure to perfect takes
# {glue:text}`median_plateau_7:,` epochs at $10^{-3}$, median); $\Delta = 0$ splays too (up to {glue:text}`chaos_splay_zero:.2f` times the starting
# splay), and a larger $\Delta$ mainly narrows the band from the left (its lowest perfect learning rate is
# {glue:text}`chaos_edge_zero` at $\Delta = 0$ and {glue:text}`chaos_edge_max` at the largest $\Delta$).
# The learning rate explains {glue:text}`chaos_share_lr:.0f`% of the splay's variance over the grid,
# $\Delta$ {glue:text}`chaos_share_delta:.1f`%.
#
# ## Resampling the dead feature (new experiment)
#
# The post proposed, but did not run, an attractor/repulsor reseeding: the dead vector is set to
# $W_d = 0.05\,\overline{\|W\|}\,(-\Sigma) + \varepsilon$, with $\Sigma$ the normalised sum of the live
# vectors, $\overline{\|W\|}$ their mean norm and $\varepsilon$ a tiny Gaussian, and $\Delta$ is added to
# the biases of live features on the repulsor side. We compare it with no intervention and with
# Anthropic's resampling {cite}`bricken2023monosemanticity`: sample an example with probability
# $\propto$ loss$^2$, point $W_d$ along its latent with norm $0.2\,\overline{\|W\|}$, set $b_d = 0$ and
# continue with a fresh Adam state. With tied weights $W_d$ is both encoder and decoder, so we apply the
# encoder setting. Each of the first 200 $n = 7$ failure checkpoints gets every method at three learning rates,
# with a fresh AdamW and a budget of 3,000 epochs (our choices).

# %%
methods, recovered_resampling = resampling["methods"], resampling["recovered"]
lrs_resampling = resampling["lr"].tolist()
checkpoints = recovered_resampling.shape[-1]
counts = recovered_resampling.sum(dim=-1)  # (methods, learning rates)
steps_to = resampling["steps_to_perfect"][:, -1]  # at the largest learning rate
resampling_rows = []
for k, method in enumerate(methods):
    hit = steps_to[k][steps_to[k] >= 0]
    median_steps = f"{int(hit.median()):,}" if hit.numel() else "— (none recovered)"
    resampling_rows.append(
        [method]
        + [format_rate(int(counts[k, l]), checkpoints) for l in range(len(lrs_resampling))]
        + [median_steps]
    )
Table(
    ["method"]
    + [f"lr {lr:g}: recovered within 3,000 epochs" for lr in lrs_resampling]
    + [f"median epochs to perfect at lr {lrs_resampling[-1]:g}"],
    resampling_rows,
)

# %% tags=["remove-input"]
attractors = [k for k, method in enumerate(methods) if method.startswith("attractor")]
failed7 = (
    n7["failure_W"][:checkpoints],
    n7["failure_b"][:checkpoints],
    n7["failure_dead"][:checkpoints],
)
_, _, sampled = anthropic_resample(
    *failed7, generator=torch.Generator().manual_seed(ex.RESAMPLING_SETTINGS["seed"])
)
glue("sampled_dead", int((sampled == failed7[2]).sum()))  # the study's first draw, repeated
best_attractor = {
    l: attractors[int(np.argmax(counts[attractors, l].numpy()))]  # ties: the smallest Delta
    for l in range(len(lrs_resampling))
}
for name, k in (
    ("none", methods.index("none")),
    ("anthropic", methods.index("anthropic")),
    ("attractor0", attractors[0]),
    ("attractor_second", attractors[-2]),
    ("attractor_max", attractors[-1]),
):
    for l in range(len(lrs_resampling)):
        glue(f"res_{name}_{l}", 100 * int(counts[k, l]) / checkpoints, digits=3)


# %% tags=["remove-input"]
fig, ax = plt.subplots(figsize=(7.2, 3.4))
x = np.arange(len(methods))
for l, (lr, colour) in enumerate(zip(lrs_resampling, LR_COLOURS)):
    intervals = 100 * np.array(
        [proportion_interval(int(counts[k, l]), checkpoints) for k in range(len(methods))]
    )
    ax.errorbar(
        x + 0.15 * (l - 1),
        intervals[:, 0],
        yerr=np.abs(intervals[:, 1:].T - intervals[:, 0]),
        fmt="o",
        color=colour,
        capsize=3,
        label=f"learning rate {lr:g}",
    )
ax.set_xticks(x, methods, rotation=25, ha="right")
ax.set_ylabel("recovered within 3,000 epochs (%)")
ax.set_xlabel("intervention on the dead feature")
ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
fig.tight_layout()
glue("fig_resampling", fig)
plt.close(fig)


# %% tags=["remove-cell"]
resampling_row = functools.partial(
    resampling_claim,
    counts=counts.numpy(),
    methods=methods,
    lrs=lrs_resampling,
    checkpoints=checkpoints,
    lr_names=LR_NAMES,
    source=POST,
)

claims.add(
    resampling_row(
        "the attractor/repulsor reseeding (best Δ) revives the dead feature",
        best_attractor,
        "“I hypothesize that this following resampling method will work well”",
        note=f"proposed, not run, in the post; {methods[best_attractor[lrs_resampling.index(1e-3)]]}",
    )
)

claims.add(
    resampling_row(
        "Anthropic's resampling, once, revives the dead feature",
        methods.index("anthropic"),
        "“if you keep resampling enough, you will definitely learn more and more features”",
        setting="one resampling, where the post says keep resampling",
    )
)


# %% [markdown]
# ```{glue:figure} fig_resampling
# :alt: Recovery percentages with error bars for seven interventions at three learning rates. At the smallest learning rate every point is at zero; at the largest nearly all are at 100 except the two largest bias pushes; in between the first three interventions sit near 60 percent and the others near zero.
# :name: fig-ae-resampling
#
# Recovery rate of 200 symmetric-failure checkpoints ($n = 7$) within 3,000 epochs, per method and
# learning rate, with 95% Wilson intervals. The learning rate decides; neither resampling method beats
# doing nothing, and a large $\Delta$ hurts.
# ```
#
# A null result for both methods. At learning rate $10^{-3}$ nothing recovers within 3,000 epochs, with or
# without intervention ({glue:text}`res_none_0:.1f`%, {glue:text}`res_anthropic_0:.1f`%,
# {glue:text}`res_attractor0_0:.1f`%). At $3 \times 10^{-3}$ doing nothing recovers
# {glue:text}`res_none_1:.1f`%, Anthropic's resampling {glue:text}`res_anthropic_1:.1f`%, the
# attractor/repulsor with $\Delta = 0$ {glue:text}`res_attractor0_1:.1f`%, and every $\Delta > 0$ does
# worse; at $10^{-2}$ almost everything recovers except the two largest $\Delta$
# ({glue:text}`res_attractor_second_2:.1f`% and {glue:text}`res_attractor_max_2:.1f`%). For a regular live polygon the post's attractor $\Sigma$ is
# the normalised sum of vectors that nearly cancel, so its direction is set by the small asymmetries.
# Anthropic's loss-weighted sampling picked the dead feature's own example, whose latent is the tiny $W_d$
# itself, for {glue:text}`sampled_dead` of the 200 checkpoints, so its resampled $W_d$ points where the old
# one did. In
# this toy model the simplest rescue is a larger learning rate for a while.
#
# ## Claims and verdicts
#
# Each row states its criterion, written from the claim; rates are judged by their 95% Wilson intervals,
# and where a baseline could pass the same test its number is in the null-control column.  The post states
# its model (n = 7, m = 2), its optimiser (AdamW) and its budget (25,000 epochs) but not its learning rate;
# the rows take AdamW's default, 10⁻³, as the post's setting.  A claim measured at several learning rates
# or budgets is one row: its verdict is the one at 10⁻³ and 25,000 epochs, the other settings are listed in
# it, and a row that needs a setting the post did not use (another budget, several learning rates pooled)
# says so and is counted apart.

# %% tags=["remove-input"]
claims.tables()
