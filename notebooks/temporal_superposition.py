# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation: {extension: .py, format_name: percent}
#   kernelspec: {display_name: Python 3, language: python, name: python3}
# ---

# %% [markdown]
# # Temporal superposition in RNNs
#
# A network with fewer neurons than features stores features in *superposition*, as non-orthogonal
# directions {cite}`elhage2022toy`.  A recurrent network has a second capacity pressure: it must hold
# the recent past in the same few neurons.  Sharma, Proca, Prieto and Mediano {cite}`sharma2026temporal`
# call this *temporal superposition* and study it on a k-delay serial recall task.  Their abstract, the only
# part of the paper we could read, says: "we identify an effectively linear, dense regime and a sparse regime
# where RNNs utilize an interference-free space, characterized by a phase transition in the angular
# distribution of features and decrease in spectral radius".  With a linear recurrence the hidden state is a
# sum of *feature directions* $w_s = W_h^s W_x$, one per lag $s$, so the geometry of memory can be drawn in
# the hidden plane.  In this chapter we
#
# - check a closed-form expected loss of the linear RNN against Monte Carlo;
# - watch the linear RNN learn a shrinking, rotating spiral of features, and ask whether its loss falls in
#   a staircase;
# - look for the phase transition of the "SSM" (linear recurrence, ReLU readout) from a dense to a sparse
#   solution, in which intermediate features are parked where the ReLU readout ignores them, with the
#   readout tied to the output direction as in the paper's main figures, and untied as a variant;
# - see whether a ReLU RNN does the same, and how features of different importance share the memory.
#
# The paper's code, appendix and training settings were not available to us: every training setting
# below (Adam, learning rate $3\cdot 10^{-3}$, batch 512, sequence length $k+12$, seeds, thresholds) is
# ours, and so are the formulas' notation and the exact form of every claim the abstract does not state.
# The runs are registered results: `load("temporal_superposition/NAME")` of `tinymech.catalog` reads one and
# `tinymech run temporal_superposition/NAME --overwrite` recomputes it.

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
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import torch

from tinymech.catalog import load
from IPython.display import display

from tinymech.report import (
    Table,
    Claim,
    Claims,
    Criterion,
    Measurement,
    at_least,
    at_most,
    glue,
    is_true,
    within,
)

# %% tags=["hide-input"]
from tinymech.stats import format_estimate, format_number, format_rate
from tinymech.style import panels_grid
from tinymech.temporal_superposition.analysis import (
    best_seed_per_p,
    ensemble_from_payload,
    expected_class_fraction,
    feature_recall,
    interference_free_share,
    is_spiral_sink,
    kept_features,
    members_at,
    off_target_signs,
    phase_table,
    radius_gap,
    readout_impulse,
    scalar_geometry,
    sharp_recall,
    transition_point,
)
from tinymech.temporal_superposition.exact_loss import (
    exact_versus_sampled,
    expected_loss_linear,
    sparse_limit_versus_sampled,
)


# %% tags=["hide-input"]
from tinymech.temporal_superposition.experiments import RUNS

# %% tags=["hide-input"]
from tinymech.temporal_superposition.figures import (
    FEATURE_NAMES,
    lag_colour,
    plot_embedding,
    plot_feature_plane,
    ssm_angle_figure,
    ssm_radius_figure,
    staircase_figure,
    use_chapter_style,
)
from tinymech.temporal_superposition.geometry import (
    feature_dimensionality,
    feature_directions,
    impulse_response,
    k_theta,
    neighbour_gaps,
    projections,
)
from tinymech.stats import spectral_radius
from tinymech.temporal_superposition.models import RNNEnsemble, random_weights
from tinymech.temporal_superposition.phase_rows import classes_text, rows_at
from tinymech.temporal_superposition.staircase import read_staircase, readout_cosines

torch.set_num_threads(1)
ABSTRACT = "sharma2026temporal"
#: rows of this kind are the book's own hypotheses about the paper's settings, not the abstract's claims
BOOKS_HYPOTHESIS = (
    "the book's hypothesis; not in the abstract, the only part of the paper we could read"
)
PHASE = "“a phase transition in the angular distribution of features and decrease in spectral radius”"
#: each section adds its claims right after its measurement; the closing cell renders them
claims = Claims()
use_chapter_style()

# %% tags=["hide-input"]
runs = {name: load(f"temporal_superposition/{name}") for name in RUNS}
Table(
    ["run", "model", "k", "values of p", "seeds", "N_x", "N_h", "steps", "readout"],
    [
        [
            name,
            meta["kind"],
            ",".join(map(str, meta["k_values"])),
            len(meta["p_values"]),
            meta["n_seeds"],
            meta["n_inputs"],
            meta["n_hidden"],
            f"{meta['steps']:,}",
            "tied" if meta.get("tied") else "untied",
        ]
        for name, (payload, meta) in runs.items()
    ],
)

# %% [markdown]
# ## The task and the models
#
# Each input $x_t = B_t U_t$ is active with probability $p$ ($B_t \sim$ Bernoulli($p$), so small $p$ means
# sparse input) with magnitude $U_t \sim$ Uniform$[0,1]$, independently over time.  The target is the
# input $k$ steps ago, $y_t = x_{t-k}$ (0 for $t \le k$).  The models have no biases:
# $h_t = W_x x_t + W_h \sigma_h(h_{t-1})$, $\hat y_t = \sigma_y(W_y^\top h_t)$.  The *linear RNN* has both
# $\sigma$ linear, the *SSM* a linear recurrence and a ReLU readout, the *ReLU RNN* ReLU in both.  With a
# linear recurrence $h_t = \sum_s w_s x_{t-s}$: $w_k$ is the output direction, $w_s$ for $s<k$ are
# intermediate features that must be kept, $w_s$ for $s>k$ must be forgotten, and the readout sees lag $s$
# through the projection $c_s = w_y^\top w_s$.  A *tied* readout is the output direction itself,
# $w_y = w_k$; an *untied* one is a free parameter.  Each run trains every $(p, \text{seed})$ pair as an
# independent member of one ensemble; "best seed" means the lowest evaluated loss among the seeds at one
# setting.  Every Monte Carlo estimate below draws its sequences from numpy's PCG64 generator, the same on
# every machine, and is shown to its standard error.

# %% [markdown]
# ## The exact loss of the linear RNN
#
# Claim: for the linear RNN the expected loss is a quadratic form in the projections.  With
# $\mu = E[U]$ and $\nu = E[U^2]$, summing over the time steps $t$ and the lags $s < t$ the network has seen,
#
# $$E[L] = \sum_t \Big[ p\nu (c_k - 1)^2 - 2p^2\mu^2 \sum_{s\ne k} c_s + p\nu \sum_{s \ne k} c_s^2
#   + p^2 \mu^2 \sum_{s \ne s'} c_s c_{s'} \Big],$$
#
# the task benefit, a mean correction, projection interference and composition interference (the last sum
# over all ordered pairs of distinct lags, $k$ included; for $t \le k$ only the interference terms remain).
# The abstract promises "a theoretical framework in RNNs with linear recurrence"; this formula is its
# starting point as we state it.  We compare it with a Monte Carlo average over 50,000 sequences for
# untrained networks (weights drawn as at initialisation) and for the best trained network at three values of
# $p$.  So that agreement means something, we also compare the formula without its composition-interference
# term, which a good test must reject.

# %%
linear, linear_meta = runs["linear_k3"]
best_linear = best_seed_per_p(linear)
untrained_linear = random_weights(3, 1, 2, seed=0)
checks = []
for j, p in enumerate((1.0, 0.3, 0.05)):
    for label, weights in (
        ("untrained", {n: w[j] for n, w in untrained_linear.items()}),
        ("trained", {n: linear[n][best_linear[p]] for n in ("W_x", "W_h", "W_y")}),
    ):
        checks.append(
            (
                label,
                p,
                exact_versus_sampled(weights, k=3, seq_len=15, p=p, n_sequences=50_000, seed=1),
            )
        )
eq5_max_z = max(abs(r["z"]) for *_, r in checks)
eq5_null_z = max(abs(r["z_without_composition"]) for *_, r in checks)
Table(
    ["weights", "p", "exact loss", "Monte Carlo", "z", "z without composition interference"],
    [
        [
            label,
            f"{p:g}",
            f"{r['exact']:#.5g}",
            format_estimate(r["sampled"], r["standard_error"]),
            f"{r['z']:+.1f}",
            f"{r['z_without_composition']:+.0f}",
        ]
        for label, p, r in checks
    ],
)

# %% tags=["remove-input"]
glue("ts_eq5_max_z", f"{eq5_max_z:.1f}")
glue("ts_eq5_null_z", format_number(eq5_null_z, 2))

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "exact expected loss of the linear RNN",
        ABSTRACT,
        "“a theoretical framework in RNNs with linear recurrence”",
        Measurement(
            eq5_max_z,
            text=f"z up to {eq5_max_z:.1f} in size over 6 comparisons with Monte Carlo",
        ),
        at_most(4.0, z=0, description="every z within ±4"),
        null=Measurement(eq5_null_z, text=f"z up to {format_number(eq5_null_z, 2)} in size"),
        null_label="the formula without composition interference",
        further="the formula is the book's, for the framework the abstract names",
    )
)

# %% [markdown]
# Every difference between the formula and the sampled loss is within {glue:text}`ts_eq5_max_z` standard
# errors.  Without the composition-interference term the largest difference is
# {glue:text}`ts_eq5_null_z` standard errors: the comparison can tell a wrong formula from the right one.
#
# Claim: with a ReLU readout and very sparse input, at most one input lies in the window the network
# remembers, so only positive projections cost anything:
#
# $$
# E[L] \approx p\nu \sum_t \big[(\mathrm{ReLU}(c_k)-1)^2 + \sum_{s\ne k}\mathrm{ReLU}(c_s)^2\big],
# $$
#
# with
# corrections of order $p^2$.  The half-space opposite the readout is the *interference-free space* of the
# abstract.  We add up this sparse limit over eight untrained SSMs and compare it with their sampled loss
# (200,000 sequences each) as $p$ falls; the control is the same leading order without the ReLU, which
# charges negative projections as well.

# %% tags=["hide-input"]
untrained_ssm = random_weights(8, 1, 2, seed=2)
sparse_checks = {
    p: sparse_limit_versus_sampled(
        untrained_ssm, k=3, seq_len=15, p=p, n_sequences=200_000, seed=3
    )
    for p in (0.1, 0.03, 0.01)
}
Table(
    ["p", "sparse limit", "Monte Carlo (sum of 8)", "relative gap", "gap without the ReLU"],
    [
        [
            f"{p:g}",
            f"{r['sparse_limit']:#.5g}",
            format_estimate(r["sampled"], r["standard_error"]),
            format_estimate(r["gap"], r["gap_error"], percent=True),
            f"{100 * r['linear_gap']:+.0f}%",
        ]
        for p, r in sparse_checks.items()
    ],
)

# %% tags=["remove-input"]
glue(
    "ts_eq6_gap_small",
    format_estimate(sparse_checks[0.01]["gap"], sparse_checks[0.01]["gap_error"], percent=True),
)
glue(
    "ts_eq6_gap_large",
    format_estimate(sparse_checks[0.1]["gap"], sparse_checks[0.1]["gap_error"], percent=True),
)
glue("ts_eq6_null_gap", f"{100 * sparse_checks[0.01]['linear_gap']:.0f}%")

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "sparse limit of the SSM loss: negative projections are free",
        ABSTRACT,
        "“a sparse regime where RNNs utilize an interference-free space”",
        Measurement(
            sparse_checks[0.01]["gap"],
            sparse_checks[0.01]["gap_error"],
            text=f"relative gap {format_estimate(sparse_checks[0.01]['gap'], sparse_checks[0.01]['gap_error'], percent=True)} at p = 0.01 (8 untrained SSMs)",
        ),
        within(0.0, 0.05, description="gap within ±5% (+ 2 SE) at p = 0.01"),
        null=Measurement(
            sparse_checks[0.01]["linear_gap"],
            text=f"{100 * sparse_checks[0.01]['linear_gap']:+.0f}%",
        ),
        null_label="the same limit without the ReLU",
        further="the book's leading-order formula, checked on untrained SSMs; the abstract states no formula",
    )
)

# %% [markdown]
# The relative gap between the sparse limit and the sampled loss is {glue:text}`ts_eq6_gap_large` at
# $p = 0.1$ and {glue:text}`ts_eq6_gap_small` at $p = 0.01$: it vanishes as $p$ falls, as a correction of
# relative size $O(p)$ should.  Charging the negative projections too overestimates the loss by
# {glue:text}`ts_eq6_null_gap` at $p = 0.01$.

# %% [markdown]
# ## Linear RNN: a spiral sink, no phase transition
#
# Claim: the linear RNN learns a *spiral sink*: the features shrink and rotate, so the past is forgotten
# smoothly, and the swept angle $k\theta$ from $w_0$ to $w_k$ (from the eigenvalue angle $\theta$ of
# $W_h$) hardly depends on $p$.  A linear readout has no interference-free space, so the dense regime is
# all it has.  The abstract does not state this for the linear RNN; we test it as the control of the
# transition below.  Because the loss is known exactly, we can also minimise it directly (L-BFGS from 16
# random starts per $p$) and compare with our Adam runs.

# %%
exact_runs, _ = runs["linear_exact_k3"]
linear_geometry = scalar_geometry(linear, 3, 15)
exact_geometry = scalar_geometry(exact_runs, 3, 15)
best_exact = best_seed_per_p(exact_runs)
display(
    Table(
        ["p", "Adam: loss", "kθ", "ρ", "exact minimum: loss", "kθ", "ρ"],
        [
            [
                f"{p:g}",
                f"{linear['loss'][i]:#.4g}",
                f"{linear_geometry['k_theta'][i]:.1f}°",
                f"{linear_geometry['spectral_radius'][i]:.3f}",
                f"{exact_runs['loss'][best_exact[p]]:#.4g}",
                f"{exact_geometry['k_theta'][best_exact[p]]:.1f}°",
                f"{exact_geometry['spectral_radius'][best_exact[p]]:.3f}",
            ]
            for p, i in best_linear.items()
        ],
        caption="Adam (best of 3 seeds) against the minimum of the exact loss (best of 16 starts)",
    )
)

# %%
optima = list(best_exact.values())
spiral = is_spiral_sink(
    exact_geometry["k_theta"][optima], exact_geometry["spectral_radius"][optima]
)
untrained = random_weights(1000, 1, 2, seed=4)
untrained_spiral = int(
    is_spiral_sink(k_theta(untrained["W_h"], 3), spectral_radius(untrained["W_h"])).sum()
)
print(
    f"optima that are spiral sinks with k theta in 45-180°: {int(spiral.sum())} of {len(spiral)}; "
    f"untrained networks: {format_rate(untrained_spiral, 1000)}"
)
period_two = sum(
    abs(float(linear_geometry["k_theta"][i]) - 540) < 1
    for i in members_at(linear, 1.0).tolist()
)
adam_gap = max(
    float(linear["loss"][best_linear[p]]) / float(exact_runs["loss"][best_exact[p]]) - 1
    for p in best_linear
    if p <= 0.5
)
print(
    f"Adam seeds at p = 1 in a period-two solution: {period_two}; largest excess loss of the best Adam seed "
    f"over the optimum for p <= 0.5: {100 * adam_gap:.2f}%"
)

# %% tags=["remove-input"]
optimum_angles = exact_geometry["k_theta"][optima]
optimum_radii = exact_geometry["spectral_radius"][optima]
glue("ts_lin_angle_min", f"{float(optimum_angles.min()):.0f}")
glue("ts_lin_angle_max", f"{float(optimum_angles.max()):.0f}")
glue("ts_lin_rho_min", f"{float(optimum_radii.min()):.2f}")
glue("ts_lin_rho_max", f"{float(optimum_radii.max()):.2f}")
glue("ts_lin_adam_p1", f"{float(linear['loss'][best_linear[1.0]]):.4f}")
glue("ts_lin_exact_p1", f"{float(exact_runs['loss'][best_exact[1.0]]):.4f}")
glue("ts_lin_adam_angle_p1", f"{float(linear_geometry['k_theta'][best_linear[1.0]]):.0f}")
glue("ts_lin_untrained_spiral", f"{untrained_spiral} of 1,000")
glue("ts_lin_period_two", period_two)
glue("ts_lin_adam_gap", f"{format_number(100 * adam_gap, 1)}%")

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "linear RNN: a spiral sink at every p, no transition",
        ABSTRACT,
        "—",
        Measurement(
            float(spiral.double().mean()),
            text=f"{int(spiral.sum())} of {len(spiral)} optima; $k\\theta$ "
            f"{float(optimum_angles.min()):.0f}-{float(optimum_angles.max()):.0f}°, ρ "
            f"{float(optimum_radii.min()):.2f}-{float(optimum_radii.max()):.2f}",
        ),
        at_least(
            1.0, z=0, description="every optimum a spiral sink with $k\\theta$ in 45-180°"
        ),
        null=Measurement(untrained_spiral / 1000, text=f"{untrained_spiral} of 1,000"),
        null_label="untrained linear RNNs",
        further=BOOKS_HYPOTHESIS,
    )
)

# %% tags=["hide-input"]
fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.8))
for ax, p in zip(axes, (1.0, 0.05)):
    e = best_exact[p]
    plot_feature_plane(
        ax,
        exact_geometry["directions"][e],
        exact_geometry["readout"][e],
        3,
        n_forgotten=6,
        title=f"p = {p}: $k\\theta$ = {exact_geometry['k_theta'][e]:.0f}°, "
        f"$\\rho$ = {exact_geometry['spectral_radius'][e]:.2f}",
    )
fig.tight_layout()
glue("ts_fig_linear", fig)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} ts_fig_linear
# :name: fig-ts-linear
# :alt: Two arrow diagrams of the hidden plane of the linear RNN at p = 1 and p = 0.05; in both the feature arrows spiral inwards at nearly the same quarter turn per three steps.
#
# Linear RNN, $k = 3$, $N_h = 2$: feature directions $w_s$ of the minimum of the exact loss in the hidden
# plane, drawn in the basis where $W_h$ is a scaled rotation (a change of basis that leaves the network's
# function unchanged), coloured by lag (viridis, $w_3$ thickest, forgotten lags $s > 3$ grey and dashed),
# readout $w_y$ dotted; the grey half-plane is $w_y^\top h < 0$.  Look at the pitch of the spiral: the same
# for dense ($p = 1$) and sparse ($p = 0.05$) input.
# ```
#
# For every $p$ from 1 to 0.02 the minimum of the exact loss is a spiral sink with $k\theta$ between
# {glue:text}`ts_lin_angle_min`° and {glue:text}`ts_lin_angle_max`° and spectral radius between
# {glue:text}`ts_lin_rho_min` and {glue:text}`ts_lin_rho_max`: no transition.  Only
# {glue:text}`ts_lin_untrained_spiral` untrained networks of the same shape are spiral sinks in that band
# of angles.  Our Adam runs reach the optimum's loss within {glue:text}`ts_lin_adam_gap` for $p \le 0.5$; at
# $p = 1$ {glue:text}`ts_lin_period_two` of 3 seeds stopped in a period-two solution (a negative real eigenvalue, $k\theta$ = {glue:text}`ts_lin_adam_angle_p1`°) with loss
# {glue:text}`ts_lin_adam_p1`, above the optimum {glue:text}`ts_lin_exact_p1`.

# %% [markdown]
# ### The staircase from a small initialisation
#
# Claim (not in the abstract): the loss of the linear RNN falls in a *staircase*: first all feature
# directions $w_s$ align with the readout, then they separate in time order.  Staircases of this kind are a
# small-initialisation phenomenon, so we train the linear RNN ($k = 3$, $N_h = 2$, $p = 1$ and $p = 0.3$, 4
# seeds each, our Adam settings) with every initial weight scaled by $10^{-2}$, once with the untied readout
# and once tied to $w_k$.  At 94 log-spaced steps we keep the weights and evaluate the exact loss, so the
# curves carry no sampling noise.  Our rules: a *plateau* is at least a
# quarter of a decade of steps over which the loss changes by less than a factor $10^{0.1}$ per decade (on
# log-log axes); a *drop* is a fall of more than 10% between plateaus; a direction $w_s$ has *left* the
# readout when its angle to $w_y$ exceeds 20°, counted from the snapshot where all of $w_0 \dots w_5$ are
# best aligned with $w_y$; a run is a *staircase* when it has at least two drops, all directions within
# about 8° of the readout (cosine above 0.99) at that snapshot, and a drop after it.  The intermediate
# directions $w_0, w_1, w_2$ leave *in time order* when they leave at strictly increasing snapshots: two
# that leave between the same two snapshots are a *tie*, which is no evidence of an order; a direction that
# never leaves makes the order *incomplete*.  (Angles are taken in the network's own hidden basis: only
# "parallel" and the sign of $c_s$ are basis-free, so the order is a weaker statement than the alignment.)

# %%
n_lags = 6  # w_0 .. w_{k+2}
optimum_loss = {p: float(exact_runs["loss"][i]) for p, i in best_exact.items()}
stair = []
for name in ("linear_k3_small_init", "linear_k3_small_init_tied"):
    run, meta = runs[name]
    cosines = readout_cosines(
        run["snapshot_W_x"].double(),
        run["snapshot_W_h"].double(),
        run["snapshot_W_y"].double(),
        n_lags,
    )  # (snapshots, members, lags)
    for i in range(len(run["p"])):
        p = round(float(run["p"][i]), 6)
        reading = read_staircase(
            run["snapshot_step"], run["snapshot_loss"][:, i].double(), cosines[:, i], k=3
        )
        stair.append(
            dict(
                tied=meta["tied"],
                p=p,
                seed=int(run["seed_index"][i]),
                reading=reading,
                final=float(run["loss"][i]),
                optimum=optimum_loss[p],
            )
        )

# %% tags=["hide-input"]
Table(
    [
        "readout",
        "p",
        "seed",
        "drops",
        "plateau levels (exact loss)",
        "final",
        "max angle to w_y (step)",
        "w_s leaves w_y at step, s = 0..5 (−1: never)",
        "w_0..w_2",
    ],
    [
        [
            "tied" if r["tied"] else "untied",
            f"{r['p']:g}",
            r["seed"],
            r["reading"].found.n_drops,
            " ".join(f"{level:.4f}" for _, _, level in r["reading"].found.plateaus),
            f"{r['final']:.4f}",
            f"{np.degrees(np.arccos(min(1.0, r['reading'].alignment))):.1f}° "
            f"({int(r['reading'].align_step)})",
            str(r["reading"].departures.tolist()),
            r["reading"].order,
        ]
        for r in stair
    ],
)


# %%
# the default initialisation (run linear_k3: weights every 25 steps, exact loss at each), read by the same rule
default_curves = {}
W_x, W_h, W_y = (linear[f"snapshot_{n}"].double() for n in ("W_x", "W_h", "W_y"))
default_cosines = readout_cosines(W_x, W_h, W_y, n_lags)
for p in (1.0, 0.3):
    for i in members_at(linear, p).tolist():
        loss = expected_loss_linear(W_x[:, i], W_h[:, i], W_y[:, i], k=3, seq_len=15, p=p)
        default_curves[p, i] = (
            loss,
            read_staircase(linear["snapshot_step"], loss, default_cosines[:, i], k=3),
        )
print(
    "default initialisation, p = 1 and 0.3, 3 seeds each: drops",
    [reading.found.n_drops for _, reading in default_curves.values()],
    "; staircases",
    sum(reading.is_staircase for _, reading in default_curves.values()),
)

# %% tags=["remove-input"]
stairs = [r for r in stair if r["reading"].is_staircase]
untied = [r for r in stair if not r["tied"]]
tied = [r for r in stair if r["tied"]]
n_in_order = sum(r["reading"].order == "in order" for r in stairs)
orders = {
    order: sum(r["reading"].order == order for r in stairs)
    for order in ("in order", "tie", "incomplete", "out of order")
}
middle = {
    p: np.median(
        [
            r["reading"].found.plateaus[1][2]
            for r in untied
            if r["p"] == p and r["reading"].is_staircase
        ]
    )
    for p in (1.0, 0.3)
}
glue("ts_stair_n_untied", sum(r["reading"].is_staircase for r in untied))
glue("ts_stair_n_tied", sum(r["reading"].is_staircase for r in tied))
glue("ts_stair_n_seeds", len(untied))
glue("ts_stair_n_stairs", len(stairs))
glue("ts_stair_n_in_order", n_in_order)
glue("ts_stair_n_tie", orders["tie"])
glue("ts_stair_n_incomplete", orders["incomplete"])
glue("ts_stair_n_reversed", orders["out of order"])
glue("ts_stair_mid_p1", f"{middle[1.0]:.4f}")
glue("ts_stair_mid_p03", f"{middle[0.3]:.4f}")
glue(
    "ts_stair_align_max_deg",
    f"{max(np.degrees(np.arccos(min(1.0, r['reading'].alignment))) for r in stairs):.1f}",
)
glue("ts_stair_opt_p1", f"{optimum_loss[1.0]:.4f}")
glue("ts_stair_opt_p03", f"{optimum_loss[0.3]:.4f}")
glue("ts_stair_tied_stuck", sum(r["final"] > 1.05 * r["optimum"] for r in tied))
glue(
    "ts_stair_default",
    f"{sum(reading.is_staircase for _, reading in default_curves.values())} of {len(default_curves)}",
)
glue("ts_stair_one_drop", sum(r["reading"].drops_after_alignment == 1 for r in stairs))


# %% tags=["remove-input"]
snapshot_steps = runs["linear_k3_small_init"][0]["snapshot_step"].double()
spacing = (snapshot_steps[1:] / snapshot_steps[:-1])[snapshot_steps[:-1] >= 100]
glue("ts_stair_spacing", f"{100 * float(spacing.median() - 1):.0f}%")

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "linear RNN: the loss falls in a staircase, the $w_s$ aligned with the readout in between",
        ABSTRACT,
        "—",
        Measurement(
            min(
                sum(r["reading"].is_staircase for r in group) / len(group)
                for group in (untied, tied)
            ),
            text=f"from a small initialisation: {sum(r['reading'].is_staircase for r in untied)} of {len(untied)} "
            f"untied seeds, {sum(r['reading'].is_staircase for r in tied)} of {len(tied)} tied",
        ),
        at_least(0.5, z=0, description="at least half the seeds with each readout"),
        partial=Criterion("some seeds", lambda v, u: v > 0),
        further=BOOKS_HYPOTHESIS,
    ),
    Claim(
        "linear RNN: the $w_s$ then separate in time order",
        ABSTRACT,
        "—",
        Measurement(
            n_in_order / len(stairs),
            text=f"strict lag order in {n_in_order} of {len(stairs)} staircases; "
            f"{orders['tie']} with a tie, {orders['incomplete']} incomplete, {orders['out of order']} reversed",
        ),
        at_least(
            0.5,
            z=0,
            description="strict order (ties are not order) in at least half the staircases",
        ),
        partial=Criterion("strict order in some staircases", lambda v, u: v > 0),
        further=BOOKS_HYPOTHESIS,
    ),
)

# %% tags=["hide-input"]
example = untied[0]
run = runs["linear_k3_small_init"][0]
steps_plus_one = run["snapshot_step"].numpy() + 1


# %% tags=["hide-input"]
snap_c = projections(
    run["snapshot_W_y"][:, 0].double(),
    feature_directions(
        run["snapshot_W_x"][:, 0].double(), run["snapshot_W_h"][:, 0].double(), n_lags
    ),
)[..., 0, 0]
snap_cos = readout_cosines(
    run["snapshot_W_x"][:, 0].double(),
    run["snapshot_W_h"][:, 0].double(),
    run["snapshot_W_y"][:, 0].double(),
    n_lags,
)
fig = staircase_figure(
    [runs[name] for name in ("linear_k3_small_init", "linear_k3_small_init_tied")],
    default_curves,
    linear["snapshot_step"].numpy() + 1,
    steps_plus_one,
    np.asarray(snap_c),
    np.asarray(snap_cos),
    example["reading"],
    stairs,
    n_lags,
)
glue("ts_fig_staircase", fig)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} ts_fig_staircase
# :name: fig-ts-staircase
# :alt: Four panels. Top left, loss curves on log-log axes falling in two steps from a small initialisation and in one step from the default one. Top right and bottom left, one run's projections and cosines to the readout over training. Bottom right, the steps at which the first three directions leave the readout in every staircase.
#
# Linear RNN, $k = 3$, $N_h = 2$.  Top left: exact loss during training for every seed from the small
# initialisation (solid untied, dashed tied readout; black $p = 1$, grey $p = 0.3$) and from the default
# initialisation (dotted).  Top right and bottom left: one untied seed at $p = 1$, the projections $c_s$ and
# the cosine between $w_s$ and the readout, coloured by lag as in the rest of the chapter (forgotten lags
# grey, dashed); dots mark where $w_s$ leaves the readout (20°, dotted line); shaded: the plateaus our rule
# finds; dotted verticals: its drops.  Bottom right: for every staircase, the steps at which $w_0$, $w_1$ and
# $w_2$ leave the readout; dots on top of each other are ties.
# ```
#
# With the untied readout {glue:text}`ts_stair_n_untied` of {glue:text}`ts_stair_n_seeds` seeds fall in a
# two-step staircase.  The first drop lands on a plateau (median exact loss {glue:text}`ts_stair_mid_p1` at
# $p = 1$, {glue:text}`ts_stair_mid_p03` at $p = 0.3$) on which every $w_0 \dots w_5$ points along the
# readout (within {glue:text}`ts_stair_align_max_deg`°): a single decaying mode that recalls an average of
# the recent past.  The second drop reaches the optimum of the exact loss
# ({glue:text}`ts_stair_opt_p1` and {glue:text}`ts_stair_opt_p03`) as $W_h$ starts to rotate.  With the tied
# readout, the paper's main setting, only {glue:text}`ts_stair_n_tied` of {glue:text}`ts_stair_n_seeds`
# seeds take the same two steps; {glue:text}`ts_stair_tied_stuck` tied seeds end more than 5% above the
# optimum, in other solutions.  From the default initialisation (uniform in $\pm 1/\sqrt{N_h}$), read by the
# same rule, {glue:text}`ts_stair_default` seeds fall in a staircase.
#
# The time order is weaker than it looked: of the {glue:text}`ts_stair_n_stairs` staircases, the
# intermediate directions leave in strict lag order in {glue:text}`ts_stair_n_in_order`; in
# {glue:text}`ts_stair_n_tie` two of them leave between the same two snapshots (a tie; consecutive
# snapshots are about {glue:text}`ts_stair_spacing` apart in step number), in
# {glue:text}`ts_stair_n_incomplete` one of them never leaves, and in {glue:text}`ts_stair_n_reversed` a
# longer lag leaves first.  Nothing contradicts the time order, but little establishes it, and in
# {glue:text}`ts_stair_one_drop` of the staircases all the directions separate within the same single drop:
# with $N_h = 2$ there is not one stair per lag.

# %% [markdown]
# ## SSM: a phase transition into the interference-free space
#
# Claim (the abstract): a dense regime that is "effectively linear" and a sparse regime that uses the
# interference-free space, separated by "a phase transition in the angular distribution of features and
# decrease in spectral radius".  Concretely: dense input gives a spiral like the linear RNN's
# ($k\theta \approx 90°$); sparse input gives another solution in which intermediate features are parked
# opposite the readout, where the ReLU makes them free, with a smaller spectral radius.  The paper's main
# figures tie the readout to the output direction, $w_y = w_k$; we train that (runs `ssm_k3_tied`,
# `ssm_k5_tied`) and keep the untied readout as a variant (`ssm_k3`, `ssm_k5`), 6 seeds at each of 11 values
# of $p$.  We label a solution *sparse* when an intermediate feature is parked ($c_s < -1$ for some
# $s < k$), *dense* when none is and $k\theta$ lies in 45-180°, and *other* otherwise (period-two solutions,
# faster spirals, dead readouts).  Our criteria, set before training the tied runs: the transition holds if
# the best seed is dense at every $p \ge 0.5$ and sparse at every $p \le 0.2$; the spectral radius
# decreases if every best seed at $p \le 0.2$ has a smaller radius than every best seed at $p \ge 0.5$; and
# the sparse regime uses the interference-free space if, for every best seed at $p \le 0.2$, at least 90% of
# the squared off-target projections $\sum_{s \ne k} c_s^2$ are negative.

# %%
SSM_RUNS = {
    (3, True): "ssm_k3_tied",
    (5, True): "ssm_k5_tied",
    (3, False): "ssm_k3",
    (5, False): "ssm_k5",
}
DENSE_PROBES, SPARSE_PROBES = (1.0, 0.7, 0.5), (0.2, 0.1, 0.05, 0.02)
tables = {key: phase_table(runs[name][0], key[0]) for key, name in SSM_RUNS.items()}
geometries = {
    key: scalar_geometry(runs[name][0], key[0], key[0] + 12) for key, name in SSM_RUNS.items()
}
display(
    Table(
        ["p", *(f"k = {k}, {'tied' if t else 'untied'}" for k, t in tables)],
        [
            [
                f"{p:g}",
                *(
                    f"{table[j]['best_class']} {table[j]['k_theta']:.1f}° "
                    f"{table[j]['spectral_radius']:.3f} {table[j]['sparse']}/6"
                    for table in tables.values()
                ),
            ]
            for j, p in enumerate(r["p"] for r in tables[3, True])
        ],
        caption="Best seed per p: class, kθ, spectral radius; then the seeds (of 6) that converge "
        "(loss within 25% of the best) to the sparse class",
    )
)

# %%
transition = {
    key: expected_class_fraction(table, dense_at=DENSE_PROBES, sparse_at=SPARSE_PROBES)
    for key, table in tables.items()
}
points = {key: transition_point(table) for key, table in tables.items()}
gaps = {
    key: radius_gap(table, dense_at=DENSE_PROBES, sparse_at=SPARSE_PROBES)
    for key, table in tables.items()
}
linear_table = phase_table(exact_runs, 3)  # the control: the linear RNN cannot park features
linear_transition = expected_class_fraction(
    linear_table, dense_at=DENSE_PROBES, sparse_at=SPARSE_PROBES
)


# %%
linear_gap = radius_gap(linear_table, dense_at=DENSE_PROBES, sparse_at=SPARSE_PROBES)
for key in tables:
    print(
        f"k = {key[0]}, {'tied' if key[1] else 'untied'}: best seed in the predicted class at {transition[key][0]} of "
        f"{transition[key][1]} probe values of p; sparse from p = {points[key]} down; "
        f"max rho (p <= 0.2) - min rho (p >= 0.5) = {gaps[key]:+.3f}"
    )
print(
    f"linear RNN (minimum of the exact loss): predicted class at {linear_transition[0]} of {linear_transition[1]}, "
    f"radius difference {linear_gap:+.3f}"
)

# %% tags=["hide-input"]
key = (3, True)
payload, geometry = runs[SSM_RUNS[key]][0], geometries[key]
best = best_seed_per_p(payload)
rows, columns = panels_grid(len(best) + 1)  # one panel per p and one for the legend
fig, axes = plt.subplots(rows, columns, figsize=(7.2, 3.2 * rows))
for ax, (p, i) in zip(axes.flat, best.items()):
    plot_feature_plane(
        ax,
        geometry["directions"][i],
        geometry["readout"][i],
        3,
        n_forgotten=1,
        lengths="direction",
        title=f"p = {p}: {geometry['k_theta'][i]:.0f}°, {geometry['spectral_radius'][i]:.2f}",
    )
handles = [
    plt.Line2D([], [], color=lag_colour(s, 3), lw=2, ls="--" if s > 3 else "-")
    for s in range(5)
]
for ax in axes.flat[len(best) :]:
    ax.axis("off")
axes.flat[len(best)].legend(
    handles, [f"$w_{s}$" for s in range(5)], loc="center", frameon=False
)
fig.tight_layout()
glue("ts_fig_ssm_planes", fig)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} ts_fig_ssm_planes
# :name: fig-ts-ssm-planes
# :alt: Eleven arrow diagrams of the SSM's hidden plane, one per value of p. For dense input the arrows form a spiral of small steps; for sparse input they step a quarter turn at a time and the second arrow points into the shaded half-plane behind the readout.
#
# SSM with the tied readout, $k = 3$, $N_h = 2$, best of 6 seeds at each $p$ (titles: $p$, $k\theta$,
# spectral radius $\rho$).  Feature directions $w_0 \dots w_4$ (viridis by lag, $w_3$ thickest, $w_4$ grey
# dashed; unit directions, shortened a little per lag, because their norms span orders of magnitude; drawn
# in the basis where $W_h$ is a scaled rotation, readout pointing right).  Grey: the interference-free
# half-space $w_y^\top h < 0$.  Dense input: a spiral of small steps.  Sparse input: quarter-turn steps,
# $w_1$ deep in the grey half-space, $w_2$ orthogonal to the readout.
# ```

# %% tags=["hide-input"]
fig = ssm_angle_figure(
    {
        k: [(runs[SSM_RUNS[k, tied]][0], geometries[k, tied], tied) for tied in (True, False)]
        for k in (3, 5)
    },
    best_exact,
    exact_geometry["k_theta"],
)
glue("ts_fig_ssm_angle", fig)
plt.close(fig)

fig = ssm_radius_figure({(k, tied): tables[k, tied] for k in (3, 5) for tied in (True, False)})
glue("ts_fig_ssm_radius", fig)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} ts_fig_ssm_angle
# :name: fig-ts-ssm-angle
# :alt: Two scatter plots of the swept angle against p on a log scale, for k = 3 and k = 5. The best seeds sit below the shaded band for dense input and inside it for sparse input, with a few seeds far above it in period-two or faster solutions.
#
# The order parameter: swept angle $k\theta$ (from the eigenvalue angle of $W_h$) against $p$ (log scale)
# for every seed (open markers) and the best seed (line), tied readout in black (circles, solid), untied in
# grey (squares, dashed); the band 180-360° is shaded; dotted blue: the linear RNN's optimum.  Values at
# multiples of 180° per step ($k\theta$ = 540° for $k = 3$, 900° for $k = 5$) are period-two solutions.
# ```
#
# ```{glue:figure} ts_fig_ssm_radius
# :name: fig-ts-ssm-radius
# :alt: Two line plots against p on a log scale. Left, the spectral radius of the best seed is lower for sparse input than for dense input. Right, the fraction of seeds in the sparse solution is zero for dense input and rises for sparse input, staying below one at every value.
#
# Left: spectral radius of the best seed against $p$, $k = 3$ (circles) and $k = 5$ (triangles), tied
# readout black and solid, untied grey and dashed.  Right: fraction of the 6 seeds that both converge (loss
# within 25% of the best seed's) and are in the sparse class.
# ```

# %% tags=["remove-input"]
tied3, untied3, tied5 = tables[3, True], tables[3, False], tables[5, True]


glue("ts_ssm_tied_classes", classes_text(tied3))
glue("ts_ssm_untied_classes", classes_text(untied3))
glue("ts_ssm_tied5_classes", classes_text(tied5))
glue("ts_ssm_tied_match", f"{transition[3, True][0]} of {transition[3, True][1]}")
glue("ts_ssm_untied_match", f"{transition[3, False][0]} of {transition[3, False][1]}")
glue("ts_ssm_tied5_match", f"{transition[5, True][0]} of {transition[5, True][1]}")
glue("ts_ssm_linear_match", f"{linear_transition[0]} of {linear_transition[1]}")
sparse_tied3 = [r for r in tied3 if r["best_class"] == "sparse"]
dense_tied3 = [r for r in tied3 if r["best_class"] == "dense"]
glue(
    "ts_ssm_tied_sparse_angles",
    f"{min(r['k_theta'] for r in sparse_tied3):.0f}-{max(r['k_theta'] for r in sparse_tied3):.0f}",
)
glue(
    "ts_ssm_tied_dense_angles",
    f"{min(r['k_theta'] for r in dense_tied3):.0f}-{max(r['k_theta'] for r in dense_tied3):.0f}",
)
glue(
    "ts_ssm_tied_rho_dense",
    ", ".join(f"{r['spectral_radius']:.2f}" for r in rows_at(tied3, DENSE_PROBES)),
)
glue(
    "ts_ssm_tied_rho_sparse",
    ", ".join(f"{r['spectral_radius']:.2f}" for r in rows_at(tied3, SPARSE_PROBES)),
)
glue("ts_ssm_tied_gap", f"{gaps[3, True]:+.2f}")
glue("ts_ssm_untied_gap", f"{gaps[3, False]:+.2f}")
glue("ts_ssm_tied5_gap", f"{gaps[5, True]:+.3f}")
glue("ts_ssm_linear_gap", f"{linear_gap:+.2f}")


# %% tags=["remove-input"]
glue("ts_ssm_point_tied3", f"{points[3, True]:g}")
glue("ts_ssm_point_tied5", f"{points[5, True]:g}")
glue("ts_ssm_point_untied3", f"{points[3, False]:g}")
glue("ts_ssm_point_untied5", f"{points[5, False]:g}")
glue(
    "ts_ssm_c1_tied",
    ", ".join(f"{float(r['c'][1]):.1f}" for r in rows_at(tied3, SPARSE_PROBES)),
)
glue("ts_ssm_tied_first_sparse", f"{max(r['p'] for r in sparse_tied3):g}")
glue(
    "ts_ssm_tied_other",
    ", ".join(f"{r['p']:g} ({r['k_theta']:.0f}°)" for r in tied3 if r["best_class"] == "other"),
)
glue(
    "ts_ssm_tied5_other",
    ", ".join(f"{r['p']:g} ({r['k_theta']:.0f}°)" for r in tied5 if r["best_class"] == "other"),
)
glue(
    "ts_ssm_tied_converged_sparse",
    f"{sum(r['sparse'] for r in rows_at(tied3, SPARSE_PROBES))} of "
    f"{sum(r['n_seeds'] for r in rows_at(tied3, SPARSE_PROBES))}",
)

# %% tags=["remove-cell"]
transition_criterion = at_least(
    1.0, z=0, description="best seed dense at every p ≥ 0.5 and sparse at every p ≤ 0.2"
)
transition_partial = Criterion("more than half of those 7 probes", lambda v, u: v > 0.5)
claims.add(
    Claim(
        "SSM ($k = 3$): dense regime for dense input, sparse regime for sparse input (tied readout)",
        ABSTRACT,
        PHASE,
        Measurement(
            transition[3, True][0] / transition[3, True][1],
            text=f"{transition[3, True][0]} of {transition[3, True][1]} probes ({classes_text(rows_at(tied3, DENSE_PROBES + SPARSE_PROBES))})",
        ),
        transition_criterion,
        partial=transition_partial,
        null=Measurement(
            linear_transition[0] / linear_transition[1],
            text=f"{linear_transition[0]} of {linear_transition[1]} probes",
        ),
        null_label="linear RNN optima",
        other_settings=(
            (
                "untied readout",
                Measurement(
                    transition[3, False][0] / transition[3, False][1],
                    text=f"{transition[3, False][0]} of {transition[3, False][1]} probes ({classes_text(rows_at(untied3, DENSE_PROBES + SPARSE_PROBES))})",
                ),
            ),
        ),
    )
)


# %% tags=["remove-cell"]
claims.add(
    Claim(
        "SSM, tied readout: the spectral radius decreases in the sparse regime",
        ABSTRACT,
        PHASE,
        Measurement(
            gaps[3, True], text=f"max ρ (p ≤ 0.2) − min ρ (p ≥ 0.5) = {gaps[3, True]:+.2f}"
        ),
        at_most(
            0.0, z=0, description="< 0: every sparse-input radius below every dense-input one"
        ),
        null=Measurement(linear_gap, text=f"{linear_gap:+.2f}"),
        null_label="linear RNN optima",
    )
)

claims.add(
    Claim(
        "SSM, tied readout: a longer delay moves the transition to sparser input",
        ABSTRACT,
        "“how properties of the data, task demands, and network dimensionality lead to different representational strategies”",
        Measurement(
            float(points[5, True] < points[3, True]),
            text=f"sparse from p = {points[5, True]:g} down at k = 5, from {points[3, True]:g} at k = 3",
        ),
        is_true("sparse from a smaller p at k = 5 than at k = 3"),
        further="the book's reading: the abstract names task demands but no direction of the delay's effect",
    )
)


# %% [markdown]
# With the tied readout the best seed's class at each $p$ ($k = 3$) is {glue:text}`ts_ssm_tied_classes`:
# the predicted class at {glue:text}`ts_ssm_tied_match` probe values.  Dense solutions have $k\theta$ of
# {glue:text}`ts_ssm_tied_dense_angles`°, sparse ones {glue:text}`ts_ssm_tied_sparse_angles`°, and in the
# sparse ones the parked projection $c_1$ is {glue:text}`ts_ssm_c1_tied` at $p$ = 0.2, 0.1, 0.05, 0.02.  The
# transition is there, but closer to the dense end than our probes assumed: the sparse solution already wins
# at $p$ = {glue:text}`ts_ssm_tied_first_sparse`, and a third solution beats both at $p$ =
# {glue:text}`ts_ssm_tied_other` (values of $k\theta$ in brackets: a faster spiral).  Tying the readout
# removes the untied variant's period-two solution at $p = 1$; the untied best seeds read
# {glue:text}`ts_ssm_untied_classes` (the predicted class at {glue:text}`ts_ssm_untied_match`).  The linear
# RNN, which has no interference-free space, is in the predicted class at only
# {glue:text}`ts_ssm_linear_match` probes: it stays dense.  At $k = 5$ (tied:
# {glue:text}`ts_ssm_tied5_classes`) the transition moves to sparser input: the best seed is sparse from
# $p$ = {glue:text}`ts_ssm_point_tied5` down, against {glue:text}`ts_ssm_point_tied3` for $k = 3$ (untied:
# {glue:text}`ts_ssm_point_untied5` and {glue:text}`ts_ssm_point_untied3`).  The $k = 5$ best seeds our rule
# calls *other* are at $p$ = {glue:text}`ts_ssm_tied5_other`; those near 270° have negative intermediate
# projections, but none below $-1$.
#
# The spectral radius of the tied best seeds is {glue:text}`ts_ssm_tied_rho_dense` at $p$ = 1, 0.7, 0.5
# and {glue:text}`ts_ssm_tied_rho_sparse` at $p$ = 0.2, 0.1, 0.05, 0.02: the largest sparse-input radius minus
# the smallest dense-input one is {glue:text}`ts_ssm_tied_gap` (untied {glue:text}`ts_ssm_untied_gap`;
# tied $k = 5$ only {glue:text}`ts_ssm_tied5_gap`, because its $p = 0.2$ solution is not yet sparse).  The
# linear RNN's radius instead grows as input gets sparser ({glue:text}`ts_ssm_linear_gap`).
#
# The seed fractions show what the best-seed curves hide: at the sparse probes only
# {glue:text}`ts_ssm_tied_converged_sparse` tied seeds reach the sparse solution; the others stop in poorer
# minima (period-two solutions, faster spirals, dead readouts).

# %% [markdown]
# ### Where the interference goes
#
# Claim: in the sparse regime the network puts its interference into the interference-free space.  For
# each best seed we measure the share of the squared off-target projections $\sum_{s \ne k} c_s^2$ that are
# negative, which the ReLU readout sets to zero.  An untrained network has no reason to prefer a sign, so
# the same share for 1,000 untrained SSMs is the null control.  We also ask how much of a trained sparse
# SSM's loss the sparse limit accounts for.

# %%
shares = {
    key: interference_free_share(geometries[key]["c"][..., None, None], key[0])
    for key in SSM_RUNS
}
untrained = random_weights(1000, 1, 2, seed=5)
untrained_share = interference_free_share(
    projections(untrained["W_y"], feature_directions(untrained["W_x"], untrained["W_h"], 15)), 3
)
print(
    f"untrained SSMs: interference-free share {format_estimate(untrained_share.mean(), untrained_share.std() / 1000**0.5)}"
)
for key in ((3, True), (3, False), (5, True)):
    best = best_seed_per_p(runs[SSM_RUNS[key]][0])
    print(
        f"k = {key[0]}, {'tied' if key[1] else 'untied'}: share of the best seed per p: "
        + ", ".join(f"{p:g}: {float(shares[key][i]):.3f}" for p, i in best.items())
    )
best = best_seed_per_p(runs["ssm_k3_tied"][0])
trained_share, rows = {}, []
for p in (0.2, 0.05, 0.02):
    weights = {n: runs["ssm_k3_tied"][0][n][[best[p]]] for n in ("W_x", "W_h", "W_y")}
    r = sparse_limit_versus_sampled(weights, k=3, seq_len=15, p=p, n_sequences=50_000, seed=6)
    trained_share[p] = r["sparse_limit"] / r["sampled"]
    rows.append(
        [
            f"{p:g}",
            format_number(r["sparse_limit"], 3),
            format_estimate(r["sampled"], r["standard_error"]),
            f"{100 * trained_share[p]:.1f}%",
            f"{r['sampled'] / p**2:.2f}",
        ]
    )
display(
    Table(
        ["p", "sparse limit", "sampled loss", "share at leading order", "loss / p²"],
        rows,
        caption="Tied k = 3, best seed",
    )
)

# %% tags=["remove-input"]
best_tied3 = best_seed_per_p(runs["ssm_k3_tied"][0])
sparse_share_tied3 = min(float(shares[3, True][best_tied3[p]]) for p in SPARSE_PROBES)
dense_share_tied3 = max(float(shares[3, True][best_tied3[p]]) for p in (1.0, 0.7))
untrained_share_text = format_estimate(
    untrained_share.mean(), untrained_share.std() / 1000**0.5
)
glue("ts_share_sparse_min", f"{sparse_share_tied3:.4f}")
glue("ts_share_dense_max", f"{dense_share_tied3:.2f}")
glue("ts_share_untrained", untrained_share_text)
glue("ts_trained_leading_max", f"{100 * max(trained_share.values()):.0f}%")

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "SSM, tied readout: the sparse regime parks interference in the interference-free space",
        ABSTRACT,
        "“a sparse regime where RNNs utilize an interference-free space”",
        Measurement(
            sparse_share_tied3,
            text=f"share of negative off-target projection ≥ {sparse_share_tied3:.4f} "
            f"for every best seed at p ≤ 0.2 (dense regime ≤ {dense_share_tied3:.2f})",
        ),
        at_least(0.9, z=0, description="≥ 0.9 at every p ≤ 0.2"),
        null=Measurement(
            float(untrained_share.mean()), float(untrained_share.std() / 1000**0.5)
        ),
        null_label="untrained SSMs",
    )
)

# %% [markdown]
# For every tied best seed at $p \le 0.2$ at least {glue:text}`ts_share_sparse_min` of the squared
# off-target projection is negative, against at most {glue:text}`ts_share_dense_max` for the dense solutions
# at $p$ = 1 and 0.7 and {glue:text}`ts_share_untrained` for untrained networks.  The trained sparse SSMs
# drive the leading-order loss to almost nothing (at most {glue:text}`ts_trained_leading_max` of their loss):
# what remains scales as $p^2$ (the last column is roughly constant), the cost of two inputs landing in the
# same window.

# %% [markdown]
# ## ReLU RNN: sharp forgetting
#
# Claim: the abstract says the insights "generalize to nonlinear RNNs".  With a ReLU recurrence we expect the
# network to pack the intermediate features into the interference-free space and to forget sharply: after
# lag $k$ the readout is zero.  With a nonlinear recurrence $w_s$ is the hidden state $s$ steps after a unit
# input (the impulse response), and $c_s$ its readout.  Our rule for a seed that shows this: recall
# $0.9 \le c_3 \le 1.1$, every intermediate readout $c_s \le 0.05$ ($s < 3$), every later readout
# $\mathrm{ReLU}(c_s) \le 0.01$ ($s > 3$).  Untied readout only (a tied readout needs a linear recurrence).

# %%
relu3, relu3_meta = runs["relu_k3"]
best_relu = best_seed_per_p(relu3)
impulse = readout_impulse(
    ensemble_from_payload(
        "relu", {n: v.double() if v.is_floating_point() else v for n, v in relu3.items()}
    ),
    15,
)[..., 0, 0]
shows = sharp_recall(impulse, 3)
display(
    Table(
        ["p", *(f"c_{s}" for s in range(10)), "recalls sharply"],
        [
            [f"{p:g}", *(f"{v:.2f}" for v in impulse[i, :10]), "yes" if shows[i] else "no"]
            for p, i in best_relu.items()
        ],
        caption="Readout after a unit input, best seed",
    )
)
relu_per_p = {
    p: (int(shows[members_at(relu3, p)].sum()), len(members_at(relu3, p))) for p in best_relu
}
print(
    "seeds that recall sharply with free intermediates:",
    ", ".join(f"{n} of {m} at p = {p}" for p, (n, m) in relu_per_p.items()),
)
ssm_sparse = sum(
    r["sparse"]
    for key in ((3, True), (3, False))
    for r in rows_at(tables[key], (0.1, 0.05, 0.02))
)
print(
    f"for comparison, SSM seeds (tied and untied) that converge to the sparse solution at the same p: {ssm_sparse} of 36"
)

# %% tags=["remove-input"]
n_shows = int(shows.sum())
glue("ts_relu_n_shows", n_shows)
glue("ts_relu_n_seeds", len(shows))
glue("ts_relu_per_p", ", ".join(f"{n} of {m} at p = {p}" for p, (n, m) in relu_per_p.items()))
glue("ts_relu_late_max", format_number(float(torch.relu(impulse[shows, 4:]).max()), 1))
glue("ts_relu_ck", f"{float(impulse[shows, 3].min()):.3f}-{float(impulse[shows, 3].max()):.3f}")
glue("ts_relu_inter_max", f"{float(impulse[shows, :3].max()):.3f}")
glue("ts_ssm_sparse_same_p", ssm_sparse)

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "ReLU RNN: intermediate features in the interference-free space, sharp forgetting",
        ABSTRACT,
        "“these insights generalize to nonlinear RNNs”",
        Measurement(
            n_shows / len(shows),
            text=f"{n_shows} of {len(shows)} seeds ("
            + ", ".join(f"{n}/{m} at p = {p}" for p, (n, m) in relu_per_p.items())
            + ")",
        ),
        at_least(0.5, z=0, description="at least half the seeds"),
        partial=Criterion("some seeds", lambda v, u: v > 0),
        further="the book's reading of the abstract, which names neither intermediate features nor forgetting",
    )
)

# %% tags=["hide-input"]
relu_best = ensemble_from_payload("relu", relu3, list(best_relu.values()))
hidden, _ = impulse_response(relu_best, 15)
rows, columns = panels_grid(len(best_relu))
fig, axes = plt.subplots(rows, columns, figsize=(7.2, 3.6 * rows), squeeze=False)
for ax in axes.flat[len(best_relu) :]:
    ax.axis("off")
for j, (ax, (p, i)) in enumerate(zip(axes.flat, best_relu.items())):
    plot_feature_plane(
        ax,
        hidden[j],
        relu_best.W_y[j, :, 0].detach(),
        3,
        n_forgotten=2,
        title=f"p = {p}" + ("" if bool(shows[i]) else " (task not learnt)"),
    )
fig.tight_layout()
glue("ts_fig_relu", fig)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} ts_fig_relu
# :name: fig-ts-relu
# :alt: Three arrow diagrams of the ReLU RNN's hidden plane after a unit input, one per value of p. In two of them the early states lie in the shaded half-plane behind the readout and the state at lag 3 points along it; in the middle one the network has not learnt the task.
#
# ReLU RNN, $k=3$, $N_h = 2$, best of 6 seeds at each $p$: hidden state $h_s$ after a unit input at lag $s$
# (viridis, $s > 3$ grey dashed; an arrow of length zero is not drawn).  In the seeds that learn the task the
# intermediate states lie in the grey interference-free half-space and the states after lag 3 sit where the
# ReLU recurrence maps them to zero.
# ```
#
# Only {glue:text}`ts_relu_n_shows` of {glue:text}`ts_relu_n_seeds` seeds learn the task at all
# ({glue:text}`ts_relu_per_p`; a best seed that did not is marked in the figure).  Those that learn it show exactly the claimed
# picture: recall $c_3$ = {glue:text}`ts_relu_ck`, intermediate readouts at most
# {glue:text}`ts_relu_inter_max` (in the interference-free space), and readouts after lag $k$ at most
# {glue:text}`ts_relu_late_max`: forgetting is sharp.  The low success rate is not peculiar to the ReLU
# recurrence: at the same values of $p$ only {glue:text}`ts_ssm_sparse_same_p` of 36 SSM seeds converge to
# the sparse solution.  It may be our optimiser settings rather than the networks; with 18 seeds we cannot
# tell.

# %% [markdown]
# ## Spatial and temporal superposition: all-or-none recall
#
# Claim: the abstract analyses "the interaction of spatial and temporal superposition to observe how RNNs
# mediate different representational tradeoffs".  We test two concrete forms of it.  With five features of
# importance $0.7^i$ (A most important), $N_h = 2$ and $p = 0.05$, a ReLU RNN recalls each feature either
# fully or not at all, and keeps fewer features the longer it must remember them.  We measure the fraction of
# each feature's target variance recalled, $1 - E[(\hat y_i - y_i)^2]/E[y_i^2]$, on 4,000 sequences (best of 4
# seeds per $k$).  Our rule: a feature is kept when it recalls at least 0.8 of its variance and dropped at
# 0.2 or less; recall is all-or-none when no feature lies in between and at least one is kept.  The null
# control is an untrained ReLU RNN of the same shape per $k$.

# %%
spatial, spatial_meta = runs["spatial"]
k_values = spatial_meta["k_values"]
best_spatial = [
    int(torch.nonzero(spatial["k"] == k).view(-1)[spatial["loss"][spatial["k"] == k].argmin()])
    for k in k_values
]
model = ensemble_from_payload(
    "relu",
    {n: v.double() if v.is_floating_point() else v for n, v in spatial.items()},
    best_spatial,
)
recall = feature_recall(model, k=torch.tensor(k_values), p=0.05, n_sequences=4000, seed=7)
untrained = RNNEnsemble.from_weights(
    "relu", *random_weights(len(k_values), 5, 2, seed=8).values()
)
untrained_recall = feature_recall(
    untrained, k=torch.tensor(k_values), p=0.05, n_sequences=4000, seed=7
)
display(
    Table(
        ["k", *FEATURE_NAMES[:5]],
        [[k, *(f"{v:.2f}" for v in row)] for k, row in zip(k_values, recall)],
        caption="Recall of each feature",
    )
)

# %%
kept, n_between = kept_features(recall)
untrained_kept, untrained_between = kept_features(untrained_recall)
kept_text = {
    k: "".join(FEATURE_NAMES[i] for i in row) or "none" for k, row in zip(k_values, kept)
}
print("kept (recall >= 0.8):", kept_text, f"; features between 0.2 and 0.8: {n_between}")
print(
    "untrained: kept",
    [len(row) for row in untrained_kept],
    f"; between 0.2 and 0.8: {untrained_between}",
)
all_or_none = n_between == 0 and all(len(row) > 0 for row in kept)
untrained_all_or_none = untrained_between == 0 and all(len(row) > 0 for row in untrained_kept)
counts = [len(row) for row in kept]
fewer_when_longer = all(a >= b for a, b in zip(counts, counts[1:])) and counts[-1] < counts[0]
untrained_counts = [len(row) for row in untrained_kept]


# %%
untrained_fewer = (
    all(a >= b for a, b in zip(untrained_counts, untrained_counts[1:]))
    and untrained_counts[-1] < untrained_counts[0]
)

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "5 features, $N_h = 2$: recall is all-or-none",
        ABSTRACT,
        "“the interaction of spatial and temporal superposition”",
        Measurement(
            float(all_or_none),
            text=f"{n_between} of 25 cells between 0.2 and 0.8; kept at every k",
        ),
        is_true("no recall between 0.2 and 0.8, a feature kept at every k"),
        null=Measurement(float(untrained_all_or_none), text=f"kept per k: {untrained_counts}"),
        null_label="untrained ReLU RNNs",
        further="the book's reading; the quoted words do not state it",
    ),
    Claim(
        "5 features, $N_h = 2$: longer delays keep fewer features",
        ABSTRACT,
        "“how RNNs mediate different representational tradeoffs”",
        Measurement(
            float(fewer_when_longer),
            text=", ".join(f"k={k}: {v}" for k, v in kept_text.items()),
        ),
        is_true("kept features never increase with k and fall from k = 0 to k = 4"),
        null=Measurement(float(untrained_fewer), text=f"kept per k: {untrained_counts}"),
        null_label="untrained ReLU RNNs",
        further="the book's reading; the quoted words do not state it",
    ),
)

# %% tags=["hide-input"]
fig, ax = plt.subplots(figsize=(6.0, 3.6))
image = ax.imshow(recall.clamp(0, 1).numpy(), cmap="viridis", vmin=0, vmax=1, aspect="auto")
ax.set_xticks(range(5), [f"{FEATURE_NAMES[i]} ({0.7**i:.2f})" for i in range(5)])
ax.set_yticks(range(len(k_values)), k_values)
ax.set_xlabel("feature (importance)")
ax.set_ylabel("delay k")
for (row, col), value in np.ndenumerate(recall.numpy()):
    ax.text(
        col,
        row,
        f"{value:.2f}",
        ha="center",
        va="center",
        fontsize=11,
        color="white" if value < 0.5 else "black",
    )
fig.colorbar(image, ax=ax, label="fraction of variance recalled")
fig.tight_layout()
glue("ts_fig_recall", fig)
plt.close(fig)

# %% tags=["remove-input"]
glue("ts_recall_between", n_between)
glue("ts_recall_kept", ", ".join(f"{v} at k = {k}" for k, v in kept_text.items()))

# %% [markdown]
# ```{glue:figure} ts_fig_recall
# :name: fig-ts-recall
# :alt: A heat map of recall with delays 0 to 4 as rows and features A to E as columns; bright cells near 1 for the kept features and dark cells near 0 for the rest, with no cells in between.
#
# Recall of each feature (columns, importance $0.7^i$) at each delay $k$ (rows) for a ReLU RNN with
# $N_h = 2$, $p = 0.05$, best of 4 seeds per $k$.  Bright cells are kept features; no cell is half-bright.
# ```
#
# {glue:text}`ts_recall_between` cells lie between 0.2 and 0.8: recall is all-or-none.  The kept features are
# {glue:text}`ts_recall_kept`: the longer the delay, the fewer features share the two neurons, and the most
# important ones survive.

# %% [markdown]
# ## Higher dimension: sign structure
#
# Claim (not in the abstract, which says only that "network dimensionality" shapes the strategy): for an
# SSM with $N_x = 10$ features, $N_h = 5$ and $k=2$, the readout of the output directions
# $W_y^\top w_k$ has a positive diagonal and non-positive off-diagonal entries, and every projection at a
# lag $s \ne k$ is $\le 0$: interference is pushed into the ReLU's dead zone.  (Our choice: $p = 0.05$,
# equal importances, untied readout.)  We count the signs of the off-target entries of $W_y^\top w_s$
# (every entry except the recall entries on the diagonal at lag $k$) that are larger than 0.05 in size;
# smaller ones count as zero.  The claim wants them all negative; we ask for at least 99%, and at least 90%
# for partial agreement.  The null control is 1,000 untrained SSMs of the same shape.

# %%
highdim, highdim_meta = runs["highdim_k2"]
best_hd = int(highdim["loss"].argmin())
C = projections(
    highdim["W_y"][best_hd].double(),
    feature_directions(highdim["W_x"][best_hd].double(), highdim["W_h"][best_hd].double(), 14),
)
diagonal = torch.diagonal(C[2])
off_diagonal = C[2][~torch.eye(10, dtype=bool)]
other_lags = torch.cat([C[:2].reshape(-1), C[3:].reshape(-1)])
hd_share = float(interference_free_share(C, 2))
hd_negative, hd_counted = off_target_signs(C, 2)
untrained = random_weights(1000, 10, 5, seed=9)
untrained_C = projections(
    untrained["W_y"], feature_directions(untrained["W_x"], untrained["W_h"], 14)
)
untrained_signs = [off_target_signs(C_m, 2) for C_m in untrained_C]
untrained_negative = sum(n for n, _ in untrained_signs) / sum(m for _, m in untrained_signs)
print("diagonal of W_y^T w_k:", " ".join(f"{v:.3f}" for v in diagonal.tolist()))
print(
    f"recalled (diagonal > 0.5): {int((diagonal > 0.5).sum())} of 10; largest off-diagonal entry "
    f"{float(off_diagonal.max()):.3f}; largest entry at another lag {float(other_lags.max()):.3f}"
)
print(
    f"off-target entries beyond ±0.05: {hd_negative} of {hd_counted} negative; untrained SSMs: "
    f"{100 * untrained_negative:.1f}% negative"
)
print(f"share of the squared off-target projection that is negative: {hd_share:.4f}")

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "$N_x = 10$, $N_h = 5$, $k = 2$: off-target projections ≤ 0",
        ABSTRACT,
        "—",
        Measurement(
            hd_negative / hd_counted,
            text=f"{hd_negative} of {hd_counted} off-target entries beyond ±0.05 negative; "
            f"largest positive {float(max(off_diagonal.max(), other_lags.max())):.3f}; "
            f"{int((diagonal > 0.5).sum())} of 10 features recalled",
        ),
        at_least(
            0.99, z=0, description="≥ 99% of the off-target entries beyond ±0.05 negative"
        ),
        partial=at_least(0.9, z=0, description="≥ 90%"),
        null=Measurement(untrained_negative, text=f"{100 * untrained_negative:.0f}% negative"),
        null_label="untrained SSMs",
        further=BOOKS_HYPOTHESIS,
    )
)

# %% tags=["remove-input"]
glue("ts_hd_recalled", int((diagonal > 0.5).sum()))
glue("ts_hd_off_max", f"{float(off_diagonal.max()):.3f}")
glue("ts_hd_other_max", f"{float(other_lags.max()):.3f}")
glue("ts_hd_share", f"{hd_share:.4f}")
glue("ts_hd_signs", f"{hd_negative} of {hd_counted}")
glue("ts_hd_untrained", f"{100 * untrained_negative:.0f}%")

# %% tags=["hide-input"]
fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.8))
limit = float(C[2].abs().max())
image = axes[0].imshow(
    C[2].numpy(),
    cmap="cividis",
    norm=matplotlib.colors.SymLogNorm(linthresh=0.1, vmin=-limit, vmax=limit),
)
axes[0].set_title(r"$W_y^\top w_k$ ($k$ = 2)")
axes[0].set_xlabel("input feature j")
axes[0].set_ylabel("output i")
fig.colorbar(image, ax=axes[0])
for s in range(8):
    values = C[s].reshape(-1).numpy()
    axes[1].scatter(
        np.full(values.shape, s) + np.linspace(-0.25, 0.25, values.size),
        values,
        s=4,
        color=lag_colour(s, 2),
    )
axes[1].axhline(0, color="0.6", lw=0.8)
axes[1].set_yscale("symlog", linthresh=0.1)
axes[1].set_xlabel("lag s")
axes[1].set_ylabel(r"entries of $W_y^\top w_s$")
fig.tight_layout()
glue("ts_fig_highdim", fig)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} ts_fig_highdim
# :name: fig-ts-highdim
# :alt: Left, a ten by ten matrix with five bright diagonal cells and dark negative off-diagonal cells. Right, the entries of the readout matrices at lags 0 to 7; entries near 1 appear only at lag 2, and most other entries are negative or near zero.
#
# SSM with $N_x = 10$, $N_h = 5$, $k = 2$, $p = 0.05$ (best of 4 seeds).  Left: $W_y^\top w_k$ (symmetric
# log colour scale); the recalled features have a diagonal near 1, the large off-diagonal entries are
# negative.  Right: all entries of $W_y^\top w_s$ by lag (symmetric log scale, colour by lag); entries near 1
# occur only at lag $k$, and the positive entries at other lags are small.
# ```
#
# {glue:text}`ts_hd_recalled` of 10 features are recalled (diagonal above 0.5; the other five have a
# diagonal near 0, which is not positive).  The largest off-diagonal entry is {glue:text}`ts_hd_off_max` and
# the largest projection at another lag {glue:text}`ts_hd_other_max`: not every entry is $\le 0$.  Of the
# off-target entries larger than 0.05 in size, {glue:text}`ts_hd_signs` are negative, against
# {glue:text}`ts_hd_untrained` for untrained networks.  (Weighted by their squares, a share
# {glue:text}`ts_hd_share` of the off-target projection is negative, but that share is dominated by a few
# large parked entries, so the row below counts entries.)

# %% [markdown]
# ## k = 0 is Toy Models of Superposition
#
# Claim: at $k=0$ the task is the toy model of superposition, and five features in two dimensions form a
# pentagon, each with feature dimensionality $D_i = \|W_i\|^2 / \sum_j (\hat W_i \cdot W_j)^2 = 2/5$
# {cite}`elhage2022toy`.  We train the TMS model itself (tied weights, a bias, importance $0.9^i$,
# $p = 0.05$, AdamW, lr $10^{-3}$, batch 1024, 10,000 steps, 4 seeds) and ask whether its best seed has every
# $D_i$ within 0.05 of 2/5; the null control is 1,000 random Gaussian embeddings.  We compare it with our
# bias-free ReLU RNN at $k=0$ from the previous section (untied, importance $0.7^i$), for which only angles
# are meaningful (the untied readout can rescale the embedding).

# %%
toy, toy_meta = runs["toy_model"]
best_toy = int(toy["loss"].argmin())
W_toy = toy["W"][best_toy].double()
toy_dims = feature_dimensionality(W_toy)
pentagon = bool((toy_dims - 0.4).abs().max() < 0.05)
pentagon_seeds = sum(
    bool((feature_dimensionality(toy["W"][i].double()) - 0.4).abs().max() < 0.05)
    for i in range(len(toy["p"]))
)
random_embeddings = torch.from_numpy(np.random.default_rng(10).standard_normal((1000, 2, 5)))
random_pentagons = sum(
    bool((feature_dimensionality(W) - 0.4).abs().max() < 0.05) for W in random_embeddings
)
W0 = spatial["W_x"][best_spatial[0]].double()
rnn_active = recall[0] >= 0.8
rnn_gaps = neighbour_gaps(W0, rnn_active)
print(
    "TMS (bias, tied), best seed: D_i =",
    " ".join(f"{v:.3f}" for v in toy_dims.tolist()),
    "; neighbour gaps (degrees) =",
    " ".join(f"{v:.1f}" for v in neighbour_gaps(W_toy).tolist()),
)
print(
    f"TMS seeds with every D_i within 0.05 of 0.4: {pentagon_seeds} of {len(toy['p'])}; random embeddings: "
    f"{format_rate(random_pentagons, 1000)}"
)
print(
    "bias-free ReLU RNN, k = 0: kept features",
    "".join(FEATURE_NAMES[i] for i in range(5) if rnn_active[i]),
    "; neighbour gaps (degrees) =",
    " ".join(f"{v:.1f}" for v in rnn_gaps.tolist()),
)

# %% tags=["remove-cell"]
claims.add(
    Claim(
        "$k = 0$ (toy model of superposition): five features in 2-D form a pentagon",
        "elhage2022toy",
        "—",
        Measurement(
            float(pentagon),
            text=f"best seed D_i {float(toy_dims.min()):.3f}-{float(toy_dims.max()):.3f} "
            f"({pentagon_seeds} of 4 seeds); our bias-free RNN: a cross",
        ),
        is_true("every D_i of the best seed within 0.05 of 0.4"),
        null=Measurement(random_pentagons / 1000, text=f"{random_pentagons} of 1,000"),
        null_label="random embeddings",
        further="another paper's claim (the toy model of superposition): five features in two dimensions form a pentagon, each $D_i = 2/5$",
    )
)

# %% tags=["remove-input"]
glue("ts_tms_dim_range", f"{float(toy_dims.min()):.3f}-{float(toy_dims.max()):.3f}")
glue("ts_tms_pentagon_seeds", pentagon_seeds)
glue("ts_rnn0_n_kept", int(rnn_active.sum()))
glue("ts_rnn0_gaps", f"{float(rnn_gaps.min()):.0f}-{float(rnn_gaps.max()):.0f}")

fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.8))
plot_embedding(axes[0], W_toy.float(), title="TMS (bias, tied), $k = 0$")
plot_embedding(
    axes[1],
    (W0 / W0.norm(dim=0).clamp_min(1e-9) * rnn_active).float(),
    title="bias-free ReLU RNN, $k = 0$",
)
fig.tight_layout()
glue("ts_fig_tms", fig)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} ts_fig_tms
# :name: fig-ts-tms
# :alt: Two arrow diagrams of five-feature embeddings in two dimensions. Left, five arrows evenly spaced as a pentagon. Right, four arrows at right angles to each other, a cross, with the fifth feature dropped.
#
# Feature embeddings for five features in two dimensions (cividis, A darkest).  Left: the toy model of
# superposition (best of 4 seeds), a pentagon.  Right: our bias-free ReLU RNN at $k=0$ (columns of $W_x$
# normalised; dropped features not drawn): antipodal pairs at right angles, a cross.
# ```
#
# The TMS model forms a pentagon in {glue:text}`ts_tms_pentagon_seeds` of 4 seeds, with $D_i$ from
# {glue:text}`ts_tms_dim_range` in the best (pentagon: 0.4).  Without a bias our RNN cannot cancel the
# positive interference of neighbours 72° apart; it keeps {glue:text}`ts_rnn0_n_kept` features
# {glue:text}`ts_rnn0_gaps`° apart, where every overlap is zero or negative and so free under the ReLU: the
# same interference-free logic as above, and not the pentagon of the TMS model.

# %% [markdown]
# ## Summary
#
# Each row states the claim, what the source says (quoted from the abstract; the rest of the paper was not
# available to us), our measurement, a null control where an untrained or structurally different network
# could pass the same test, and the criterion.  Rows tested on the SSM use the tied readout of the paper's
# main figures; the untied variant is shown in the same row.  Rows the abstract does not state (the book's
# hypotheses, readings the quoted words do not state, and the toy model of superposition's pentagon) are in
# the further-checks table, counted apart.

# %% tags=["remove-input"]
claims.tables()
