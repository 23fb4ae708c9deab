# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation: {extension: .py, format_name: percent}
#   kernelspec: {display_name: Python 3, language: python, name: python3}
# ---

# %% [markdown]
# # Optimization failure in a toy ReLU autoencoder
#
# The toy autoencoder $y = \mathrm{ReLU}(W^\top W x + b)$ with $W \in \mathbb{R}^{2 \times n}$ can store
# all $n$ one-hot features of the $n \times n$ identity dataset in its 2-D latent plane: the feature
# vectors $W_i$ form a regular $n$-gon and every bias is negative {cite}`henighan2023superposition`.
# Anthropic's May 2023 update noted that training sometimes ends with the features on "two circles" of
# different radii {cite}`anthropic2023circuitsmay`. A blog post {cite}`aeoptfailure2025` explains this
# as *optimization failure*: a run first gets stuck in a **symmetric failure** (one feature dead,
# $W_d = 0$, $b_d = 1/n$, the other $n-1$ on a regular polygon), which it argues is a local optimum; rarely
# (1 run in 100) small asymmetries grow into a runaway sweep, an **asymmetric recovery** that leaves two
# circles. The post also proposes, but never runs, a resampling method to rescue dead features, as an
# alternative to Anthropic's dead-neuron resampling {cite}`bricken2023monosemanticity`.
#
# In this chapter you will see the latent zones that make the geometry work, measure how often each
# outcome happens over thousands of seeds, check the local-optimum argument numerically, map how recovery
# depends on the learning rate, and run the resampling experiment the post left open. The short version:
# symmetric failure is common and exactly as the post describes it, but under our settings it is a long
# plateau, not a trap: at learning rates from $10^{-3}$ up, every symmetric failure we saw for $n = 6, 7$
# recovered asymmetrically within 25,000 epochs, while at $3 \times 10^{-4}$ most were still recovering
# when training stopped, which would make recovery look rare. Neither resampling method beats doing
# nothing; the learning rate decides.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import Markdown

from tinymech.autoencoder import experiments as ex
from tinymech.registry import load
from tinymech.autoencoder.geometry import (
    angular_neighbours,
    minimal_separation_angle,
    tilt_coefficients,
    tilt_loss_change,
    unit_directions,
)
from tinymech.autoencoder.model import loss_per_seed, symmetric_failure_loss_floor
from tinymech.autoencoder.outcomes import ASYMMETRIC_FAILURE, OUTCOME_NAMES, PERFECT, SYMMETRIC_FAILURE
from tinymech.autoencoder.plotting import draw_latent_zones, feature_colours
from tinymech.stats import format_rate, proportion_interval
from tinymech.report import Claim, claims_table, glue

torch.set_num_threads(1)
sweep = load("autoencoder/seed_sweep")[0]  # `tinymech run autoencoder/NAME --overwrite` recomputes one
sweep_adam = load("autoencoder/seed_sweep_adam")[0]
chaos = load("autoencoder/chaos_map")[0]
resampling = load("autoencoder/resampling")[0]
settings = ex.SWEEP_SETTINGS
print("seed sweep:", {k: v for k, v in settings.items()})

# %% [markdown]
# **Our settings.** The post trained $n = 7$ with AdamW for 25,000 epochs and does not give the learning
# rate, the initialisation or the number of seeds beyond "100". Ours: $n \in \{6, 7, 8\}$, 1,000 seeds
# each, Xavier-normal $W$ and $b = 0$ (as in Anthropic's toy-model code), AdamW with learning rate
# $10^{-3}$ and weight decay 0.01 (torch's default), full batch (one step per epoch), 25,000 epochs, loss
# = mean squared error over the $n^2$ output entries. A run is classified every 250 epochs as *perfect*
# (every output within 0.1 of its target), *symmetric failure* (one feature with $\|W_d\| < 0.1$ and
# $b_d > 0$, the others within 0.1 of their targets, live norms within a factor 1.2 of each other),
# *asymmetric failure* (the same with unequal live norms) or *other*. All seeds train as one batch on one
# core (`python -m tinymech.autoencoder.train all`, a few minutes).
#
# ## Latent zones: where each feature fires
#
# Claim: output $i$ fires where $W_i \cdot h + b_i > 0$, a half-plane of the latent plane; a feature is
# reconstructed when its own vector reaches $W_i \cdot W_i + b_i = 1$ inside its zone while every other
# $W_j$ stays outside, and a shorter feature needs a wider angular gap.

# %%
n7 = sweep["n=7"]
log7 = n7["outcome_log"].long()
never_failed = ~((log7 == SYMMETRIC_FAILURE) | (log7 == ASYMMETRIC_FAILURE)).any(dim=0) & (log7[-1] == PERFECT)
perfect_seed = int(torch.nonzero(never_failed)[0])
failed_row = ex.longest_failure(n7)
failed_seed = int(n7["failure_seed"][failed_row])
W_fail, b_fail = n7["failure_W"][failed_row], n7["failure_b"][failed_row]
dead7 = int(n7["failure_dead"][failed_row])

fig, axes = plt.subplots(1, 2, figsize=(10, 5))
draw_latent_zones(axes[0], n7["W"][perfect_seed], n7["b"][perfect_seed], title=f"perfect (seed {perfect_seed})")
draw_latent_zones(axes[1], W_fail, b_fail, title=f"symmetric failure (seed {failed_seed}), feature {dead7} dead")
fig.tight_layout()
glue("fig_latent_zones", fig)
plt.close(fig)
print(f"perfect seed {perfect_seed}: biases", np.round(n7["b"][perfect_seed].numpy(), 3))
print(f"failed seed {failed_seed}: biases", np.round(b_fail.numpy(), 3))

# %% [markdown]
# ```{glue:figure} fig_latent_zones
# Latent planes of two $n = 7$ models, each feature vector $W_i$ as an arrow and each output's zone
# ($W_i \cdot h + b_i > 0$) shaded in that feature's colour. Left: a perfect model, seven slivers that each
# contain exactly one arrow. Right: a symmetric failure; the dead feature's bias is positive, so its zone
# is the whole plane (uniform tint), and six features share the circle.
# ```
#
# The separation rule makes the norm-gap relation exact. With $b_i = 1 - \|W_i\|^2$, $W_j$ is outside zone
# $i$ iff $\cos\theta_{ij} \le (\|W_i\|^2 - 1)/(\|W_i\|\|W_j\|)$, a minimal angle that grows as $\|W_i\|$
# shrinks. We check it on every neighbouring pair of every perfect $n = 7$ model at the end of training.

# %%
gaps, needed, norms_i = [], [], []
perfect7 = torch.nonzero(log7[-1] == PERFECT).flatten()
for seed in perfect7.tolist():
    W = n7["W"][seed]
    neighbour, gap = angular_neighbours(W, torch.ones(7, dtype=torch.bool))
    norms = W.norm(dim=0)
    for i in range(7):  # both neighbours of i: i's counter-clockwise one, and the one whose neighbour is i
        for j in (int(neighbour[i]), int(torch.nonzero(neighbour == i)[0])):
            angle = float(torch.arccos((W[:, i] @ W[:, j] / (norms[i] * norms[j])).clamp(-1, 1)))
            gaps.append(angle)
            needed.append(float(minimal_separation_angle(norms[i], norms[j])))
            norms_i.append(float(norms[i]))
gaps, needed, norms_i = map(np.array, (gaps, needed, norms_i))
separated = float(np.mean(gaps >= needed - 0.02))
short = norms_i < np.median(norms_i)
gap_short, gap_long = float(np.degrees(gaps[short].mean())), float(np.degrees(gaps[~short].mean()))
print(f"neighbour pairs checked: {len(gaps)}; gap >= minimal angle - 0.02 rad: {separated:.4f}")
print(f"mean gap of features shorter than the median norm: {gap_short:.1f} deg; longer: {gap_long:.1f} deg")
glue("zones_separated", 100 * separated)
glue("gap_short", gap_short)
glue("gap_long", gap_long)

# %% [markdown]
# Across all perfect models, {glue:text}`zones_separated:.1f`% of neighbouring pairs respect the minimal
# angle, and features shorter than the median norm sit in wider gaps on average
# ({glue:text}`gap_short:.1f`° against {glue:text}`gap_long:.1f`° for the longer ones): the "large
# angular gap" of Anthropic's note is this minimal angle.
#
# ## Symmetric failure: common, and exactly the post's local optimum
#
# Claim: a run often ends up with one dead feature ($W_d \approx 0$, $b_d = 1/n$, the least-squares
# constant) while the other $n - 1$ sit on a regular polygon with zero loss.

# %%
rows = ["| n | optimizer | ever in symmetric failure | still in it at epoch 25,000 | epochs from first failure to perfect (median) | final: perfect / asym. failure / other |",
        "|---|---|---|---|---|---|"]
rates = {}
for label, results in (("AdamW", sweep), ("Adam (no decay)", sweep_adam)):
    for key, r in results.items():
        log = r["outcome_log"].long()
        seeds = log.shape[1]
        ever = (log == SYMMETRIC_FAILURE).any(dim=0)
        still = int((log[-1] == SYMMETRIC_FAILURE).sum())
        plateau = (r["first_perfect"] - r["first_failure"])[ever & (r["first_perfect"] > 0)].double()
        final = [int((log[-1] == c).sum()) for c in (PERFECT, ASYMMETRIC_FAILURE, 3)]
        rates[(label, key)] = (int(ever.sum()), seeds)
        rows.append(f"| {key[2:]} | {label} | {format_rate(int(ever.sum()), seeds)} | {still} "
                    f"| {float(plateau.median()):.0f} | {final[0]} / {final[1]} / {final[2]} |")
Markdown("\n".join(rows))

# %%
for n in (6, 7, 8):
    rate, low, high = proportion_interval(*rates[("AdamW", f"n={n}")])
    glue(f"fail_rate_{n}", 100 * rate)
glue("fail_rate_adam_7", 100 * proportion_interval(*rates[("Adam (no decay)", "n=7")])[0])

fig, ax = plt.subplots(figsize=(6.5, 3.5))
for n, colour in zip((6, 7, 8), plt.cm.viridis([0.1, 0.5, 0.85])):
    r = sweep[f"n={n}"]
    ax.plot(r["steps"], (r["outcome_log"] == SYMMETRIC_FAILURE).double().mean(dim=1), color=colour, label=f"n = {n}")
ax.set_xlabel("epoch")
ax.set_ylabel("fraction of seeds in symmetric failure")
ax.legend()
fig.tight_layout()
glue("fig_failure_over_time", fig)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} fig_failure_over_time
# Fraction of the 1,000 seeds per $n$ that are in symmetric failure at each logged epoch (AdamW,
# learning rate $10^{-3}$). The failure is a plateau that most runs enter early and all leave again.
# ```
#
# For $n = 6, 7, 8$, {glue:text}`fail_rate_6:.1f`%, {glue:text}`fail_rate_7:.1f`% and
# {glue:text}`fail_rate_8:.1f`% of seeds pass through symmetric failure (95% Wilson intervals in the
# table); Adam without weight decay gives {glue:text}`fail_rate_adam_7:.1f`% for $n = 7$, so weight decay
# is not the cause, as the post says. But none of them is still in it at epoch 25,000.
#
# The dead feature of every failure checkpoint (parameters at the first epoch a run is classified as
# symmetric failure):

# %%
rows = ["| n | b_dead (mean ± sd) | 1/n | median ‖W_dead‖ | median loss at first detection | loss floor (n-1)/n³ |",
        "|---|---|---|---|---|---|"]
for n in (6, 7, 8):
    r = sweep[f"n={n}"]
    index = torch.arange(r["failure_dead"].numel())
    b_dead = r["failure_b"][index, r["failure_dead"]]
    norm_dead = r["failure_W"].norm(dim=1)[index, r["failure_dead"]]
    loss = loss_per_seed(r["failure_W"], r["failure_b"])
    rows.append(f"| {n} | {float(b_dead.mean()):.4f} ± {float(b_dead.std()):.4f} | {1 / n:.4f} "
                f"| {float(norm_dead.median()):.4f} | {float(loss.median()):.5f} | {symmetric_failure_loss_floor(n):.5f} |")
    glue(f"b_dead_{n}", float(b_dead.mean()))
Markdown("\n".join(rows))

# %%
trajectory_W, trajectory_b = n7["trajectory_W"][0], n7["trajectory_b"][0]
trajectory_log = log7[:, int(n7["trajectory_seed"][0])]
in_failure = trajectory_log == SYMMETRIC_FAILURE
plateau_loss = loss_per_seed(trajectory_W[in_failure], trajectory_b[in_failure])
floor7 = symmetric_failure_loss_floor(7)
plateau_ratio = float(plateau_loss.median()) / floor7
print(f"seed {int(n7['trajectory_seed'][0])}: loss on its plateau (median of {int(in_failure.sum())} logged epochs) "
      f"{float(plateau_loss.median()):.6f}, closed form (n-1)/n^3 = {floor7:.6f}, ratio {plateau_ratio:.4f}; "
      f"lowest {float(plateau_loss.min()):.6f}")
glue("plateau_ratio", plateau_ratio)

# %% [markdown]
# $b_d$ sits at $1/n$ to three decimals ({glue:text}`b_dead_7:.4f` for $n = 7$), $\|W_d\|$ is of order
# $10^{-2}$ or less, and along the plateau the loss comes down to the closed form: the dead output's
# squared error summed over the $n$ examples is $(n-1)/n$, i.e. $(n-1)/n^3$ per entry of the MSE
# (median ratio {glue:text}`plateau_ratio:.4f` over the plateau of the $n = 7$ run shown below; by its
# end the loss dips just below the floor, because the drifting live features already let a non-zero $W_d$
# pay). At first detection the other features still carry a little error, so the median loss there is a
# few percent above the floor.
#
# **The tilt argument.** Put the dead vector at $W_d = \varepsilon u$ on the failed model of the figure
# above (with $W_d = 0$ as reference). As long as no output changes sign the loss change is exactly
# $n^2 \Delta L = 2\varepsilon b_d \sum_j u\cdot W_j + \varepsilon^2\left[\sum_{j \text{ active}} (u\cdot W_j)^2 - 2(1-b_d)\right] + \varepsilon^4$,
# where for $b_d = 0$ only the $W_j$ with $u \cdot W_j > 0$ are active. The post's growth condition
# $2[1-(\|W_d\|^2+b_d)] > \sum_j (\hat W_d\cdot W_j)^2$ is the bracket being negative. We scan 360
# directions.

# %%
directions = unit_directions(360)
fig, ax = plt.subplots(figsize=(6.5, 3.5))
tilt = {}
for dead_bias, colour, name in ((1 / 7, plt.cm.viridis(0.2), "b_d = 1/7"), (0.0, plt.cm.viridis(0.75), "b_d = 0")):
    change = tilt_loss_change(W_fail, b_fail, dead7, directions, 0.01, dead_bias)
    linear, quadratic = tilt_coefficients(W_fail, b_fail, dead7, directions, dead_bias)
    tilt[name] = (float(change.min()), float(quadratic.min()), float(linear.abs().max()))
    ax.plot(np.degrees(np.arange(360) * 2 * math.pi / 360), change.numpy() * 1e6, color=colour, label=name)
    print(f"{name}: min loss change at eps=0.01 {float(change.min()):.3e}; "
          f"min quadratic coefficient {float(quadratic.min()):.3f} (> 0: no direction grows); "
          f"max |linear coefficient| {float(linear.abs().max()):.2e}")
ax.axhline(0, color="grey", lw=0.8)
ax.set_xlabel("direction of the perturbation u (degrees)")
ax.set_ylabel("loss change (x 1e-6)")
ax.legend()
fig.tight_layout()
glue("fig_tilt", fig)
plt.close(fig)
glue("tilt_min_q_pos", tilt["b_d = 1/7"][1])
glue("tilt_min_q_zero", tilt["b_d = 0"][1])

# %% [markdown]
# ```{glue:figure} fig_tilt
# Loss change when the dead feature of the failed $n = 7$ model is given length 0.01 in direction $u$,
# for $b_d = 1/7$ and $b_d = 0$. Both curves stay above zero in every direction: the failure is a strict
# local minimum in $W_d$. For a regular polygon $\sum_j (u\cdot W_j)^2$ does not depend on $u$, so the
# curves are nearly flat; the slow wave of the $b_d = 1/7$ curve is the small linear term.
# ```
#
# The smallest quadratic coefficient over all directions is {glue:text}`tilt_min_q_pos:.3f` for
# $b_d = 1/7$ and {glue:text}`tilt_min_q_zero:.3f` for $b_d = 0$, both positive, so the post's argument holds
# for this model (the small linear term, from the live polygon's slight asymmetry, only moves the optimum
# of $W_d$ to a length of order $10^{-3}$). It is a local statement about $W_d$ with the other features frozen, though: the live
# features drift, and the next section shows where that leads.
#
# ## Asymmetric recovery: the rule here, not the exception
#
# Claim (post): after symmetric failure, one side of the live features grows longer with more negative
# biases, the optimum of $W_d$ moves off zero, a runaway sweep follows and $b_d$ turns negative; this
# happened in 1 of 100 seeds.

# %%
recovery_rows = ["| n | recovered / ever failed | recovered / all seeds | post |", "|---|---|---|---|"]
for n in (6, 7, 8):
    r = sweep[f"n={n}"]
    log = r["outcome_log"].long()
    ever = int((log == SYMMETRIC_FAILURE).any(dim=0).sum())
    recovered = int(r["recovered"].sum())
    recovery_rows.append(f"| {n} | {format_rate(recovered, ever)} | {format_rate(recovered, log.shape[1])} "
                         f"| {'1/100 = 1.0% [0.2, 5.4]' if n == 7 else '-'} |")
    glue(f"recovered_all_{n}", 100 * recovered / log.shape[1])
    glue(f"recovered_of_failed_{n}", 100 * recovered / ever)
post_rate, post_low, post_high = proportion_interval(1, 100)
Markdown("\n".join(recovery_rows))

# %%
steps = n7["steps"].numpy()
colours = feature_colours(7)
seed_shown = int(n7["trajectory_seed"][0])
dead_shown = int(trajectory_W[in_failure][0].norm(dim=0).argmin())
fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
for i in range(7):
    style = dict(color=colours[i], lw=2.5 if i == dead_shown else 1.2)
    axes[0].plot(steps, trajectory_W[:, :, i].norm(dim=1).numpy(), **style, label=f"feature {i}")
    axes[1].plot(steps, trajectory_b[:, i].numpy(), **style)
axes[0].set_yscale("log")
axes[0].set_ylabel("‖W_i‖")
axes[1].set_ylabel("b_i")
axes[0].legend(fontsize=7, ncol=2)
for ax in axes[:2]:
    ax.set_xlabel("epoch")
    ax.axvspan(steps[in_failure.numpy()].min(), steps[in_failure.numpy()].max(), color="grey", alpha=0.15)
draw_latent_zones(axes[2], trajectory_W[-1], trajectory_b[-1], title=f"seed {seed_shown}, epoch 25,000")
fig.tight_layout()
glue("fig_recovery", fig)
plt.close(fig)
final_norms = trajectory_W[-1].norm(dim=0)
print(f"seed {seed_shown}, dead feature {dead_shown}: final norms", np.round(final_norms.numpy(), 3))

# %% [markdown]
# ```{glue:figure} fig_recovery
# One asymmetric recovery ($n = 7$, seed shown in the title; grey band: epochs classified as symmetric
# failure). Left: feature norms (log scale; the dead feature thick); middle: biases; right: the final
# latent plane. During the plateau one side of the live features lengthens and its biases fall, then the
# dead feature grows, its bias turns negative, and the run ends perfect with two radii.
# ```

# %%
norms_final = n7["W"].norm(dim=1)
norm_ratio = norms_final.amax(dim=1) / norms_final.amin(dim=1)
ratio_recovered = float(norm_ratio[n7["recovered"]].median())
ratio_clean = float(norm_ratio[never_failed].median())
two_radii = float((norm_ratio[n7["recovered"]] > 1.5).double().mean())
print(f"max/min feature norm at epoch 25,000 (n=7): after asymmetric recovery {ratio_recovered:.3f}, "
      f"runs that never failed {ratio_clean:.3f}; recoveries with ratio > 1.5: {two_radii:.3f}")
glue("ratio_recovered", ratio_recovered)
glue("ratio_clean", ratio_clean)

# %% [markdown]
# Every symmetric failure for $n = 6$ and $n = 7$ recovered before epoch 25,000
# ({glue:text}`recovered_of_failed_7:.1f`% of the failed $n = 7$ runs), i.e.
# {glue:text}`recovered_all_7:.1f`% of all $n = 7$ seeds against the post's 1 in 100 (Wilson 95%
# interval 0.2% to 5.4%). The mechanism is the one the post describes, the frequency is not: with our
# settings symmetric failure is a plateau, not a final state: from first failure to a perfect model takes
# about $10^4$ epochs (median, table above). For $n = 8$ it takes longer, and most failed runs had moved on
# to asymmetric failure or other states without becoming perfect by epoch 25,000. The recovered models keep two radii: their max/min norm ratio is
# {glue:text}`ratio_recovered:.2f` (median) against {glue:text}`ratio_clean:.2f` for runs that never failed,
# so the two circles are the scar of a recovery, as the post argues.
#
# **Is the post's 1 in 100 a matter of learning rate?** We reran seeds 0 to 199 of $n = 7$ at four
# learning rates (AdamW, 25,000 epochs, otherwise as above) and count the runs that failed, recovered, or
# had failed and were not perfect at the end.

# %%
lr_sweep = load("autoencoder/lr_sweep")[0]
rows = ["| learning rate | ever in symmetric failure | recovered by epoch 25,000 (of failed) | failed, not perfect at epoch 25,000 | median epochs from failure to perfect |",
        "|---|---|---|---|---|"]
lr_rows = {}
for l, lr in enumerate(lr_sweep["lr"]):
    log = lr_sweep["outcome_log"][:, l].long()
    ever = (log == SYMMETRIC_FAILURE).any(dim=0)
    recovered_l = lr_sweep["recovered"][l]
    unfinished = int((ever & (log[-1] != PERFECT)).sum())
    took = (lr_sweep["first_perfect"][l] - lr_sweep["first_failure"][l])[recovered_l].double()
    lr_rows[float(lr)] = (int(ever.sum()), int(recovered_l.sum()), unfinished)
    rows.append(f"| {float(lr):g} | {format_rate(int(ever.sum()), log.shape[1])} "
                f"| {format_rate(int(recovered_l.sum()), int(ever.sum()))} | {unfinished} "
                f"| {float(took.median()):.0f} |")
slow = lr_rows[3e-4]
glue("slow_failed", slow[0])
glue("slow_recovered", slow[1])
Markdown("\n".join(rows))

# %% [markdown]
# Symmetric failure is similarly common at every learning rate (slightly more at larger ones), but the
# time to recover shrinks as the learning rate grows (last column; at $3 \times 10^{-4}$ it counts only the
# few that finished): at $3 \times 10^{-4}$ only {glue:text}`slow_recovered:.0f` of the
# {glue:text}`slow_failed:.0f` failed runs were perfect by epoch 25,000, the others were still on their
# way (dead feature growing, live features splaying). A 25,000-epoch budget with a small learning rate
# makes recovery look rare; it is slow, not rare.
#
# ## Chaos: recovery over (bias perturbation, learning rate)
#
# Claim: pushing the biases of two adjacent live features by $\Delta$ and training on, the amount of splay
# ($\sum_j \|W_j\|$) grows with the learning rate but becomes patchy past some learning rate.

# %%
settings_chaos = ex.CHAOS_SETTINGS
perfect_map = (chaos["outcome"] == PERFECT).double()
switches = (perfect_map[:, 1:] != perfect_map[:, :-1]).sum(dim=1).double()
print(f"start: seed {int(chaos['seed'])} (n=7), dead feature {int(chaos['dead'])}, biases pushed: "
      f"{chaos['pair'].tolist()}, {settings_chaos['epochs']} epochs of AdamW per cell")
print(f"splay at the start {float(chaos['splay_start']):.3f}; after training: min {float(chaos['splay'].min()):.3f}, "
      f"max {float(chaos['splay'].max()):.3f}; cells that end perfect {float(perfect_map.mean()):.3f}")
patchy_rows = float((switches > 2).double().mean())
print(f"perfect/not switches along the learning-rate axis per Delta row: median {float(switches.median()):.0f}, "
      f"max {float(switches.max()):.0f}; rows with more than the two edges of one band: {patchy_rows:.3f}")
glue("chaos_patchy", 100 * patchy_rows)
lr_perfect = chaos["lr"][perfect_map.bool().any(dim=0)]
print(f"learning rates with any perfect cell: {float(lr_perfect.min()):.2e} to {float(lr_perfect.max()):.2e}")
glue("chaos_perfect", 100 * float(perfect_map.mean()))
glue("chaos_lr_low", float(lr_perfect.min()))
glue("chaos_lr_high", float(lr_perfect.max()))

fig, axes = plt.subplots(1, 2, figsize=(11, 4))
extent = [math.log10(float(chaos["lr"][0])), math.log10(float(chaos["lr"][-1])), 0, float(chaos["delta"][-1])]
image = axes[0].imshow(chaos["splay"].numpy(), origin="lower", aspect="auto", extent=extent, cmap="viridis")
fig.colorbar(image, ax=axes[0], label="splay  Σ‖W_j‖ after training")
axes[1].imshow(perfect_map.numpy(), origin="lower", aspect="auto", extent=extent, cmap="cividis")
axes[1].set_title("ends perfect (yellow) or not (blue)")
for ax in axes:
    ax.set_xlabel("log10 learning rate")
    ax.set_ylabel("Δ added to the two biases")
fig.tight_layout()
glue("fig_chaos", fig)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} fig_chaos
# Starting from the longest-lasting $n = 7$ symmetric failure, the biases of the two live features
# next to the dead one are raised by $\Delta$, and each cell trains for 3,000 epochs with its own
# learning rate. Left: splay $\sum_j \|W_j\|$; right: whether the run ended perfect. Recovery within the
# budget happens in a band of learning rates whose upper edge is patchy.
# ```
#
# {glue:text}`chaos_perfect:.1f`% of the cells end perfect, all with learning rates between
# {glue:text}`chaos_lr_low:.2e` and {glue:text}`chaos_lr_high:.2e`. As in the post's map, splay grows with
# the learning rate and turns patchy past about $10^{-1.4}$: in {glue:text}`chaos_patchy:.1f`% of the
# $\Delta$ rows the outcome flips more often than the two edges of a single band. Below the band 3,000
# epochs are simply too few (recovery takes about $10^4$ epochs at $10^{-3}$); $\Delta = 0$ recovers too,
# and a larger $\Delta$ mainly narrows the band from the left. On this grid the learning rate matters
# far more than $\Delta$.
#
# ## Resampling the dead feature (new experiment)
#
# The post proposed, but did not run, an attractor/repulsor reseeding: $W_d = 0.05\,\overline{\|W\|}\,(-\Sigma)
# + \varepsilon$ with $\Sigma$ the normalised sum of the live vectors, and $+\Delta$ on the biases of live
# features on the repulsor side. We compare it with no intervention and with Anthropic's resampling
# (sample an example with probability $\propto$ loss$^2$, point $W_d$ along its latent with norm
# $0.2\,\overline{\|W\|}$, $b_d = 0$, fresh Adam state) {cite}`bricken2023monosemanticity`. With tied
# weights $W_d$ is both encoder and decoder, so we apply the encoder setting; the sampled example is
# almost always the dead one, whose latent is the tiny $W_d$ itself. Each of the first 200 $n = 7$
# failure checkpoints gets every method at three learning rates, with a fresh AdamW and a budget of 3,000
# epochs (our choices).

# %%
methods = resampling["methods"]
recovered = resampling["recovered"]
steps_to = resampling["steps_to_perfect"].double()
count = recovered.shape[-1]
rows = ["| method | " + " | ".join(f"lr {float(lr):g}: recovered [95% CI]" for lr in resampling["lr"])
        + " | median epochs to perfect (lr 0.01) |", "|---|" + "---|" * (len(resampling["lr"]) + 1)]
for k, method in enumerate(methods):
    cells = [format_rate(int(recovered[k, l].sum()), count) for l in range(len(resampling["lr"]))]
    hit = steps_to[k, -1][steps_to[k, -1] >= 0]
    rows.append(f"| {method} | " + " | ".join(cells) + f" | {float(hit.median()) if hit.numel() else float('nan'):.0f} |")
for name, k in (("none", 0), ("anthropic", 1), ("attractor0", 2), ("attractor04", len(methods) - 1)):
    for l, lr in enumerate(resampling["lr"]):
        glue(f"res_{name}_{l}", 100 * float(recovered[k, l].double().mean()))
Markdown("\n".join(rows))

# %%
fig, ax = plt.subplots(figsize=(8, 3.8))
x = np.arange(len(methods))
for l, (lr, colour) in enumerate(zip(resampling["lr"], plt.cm.viridis([0.1, 0.5, 0.85]))):
    stats = np.array([proportion_interval(int(recovered[k, l].sum()), count) for k in range(len(methods))])
    ax.errorbar(x + 0.15 * (l - 1), 100 * stats[:, 0], yerr=100 * np.abs(stats[:, 1:].T - stats[:, 0]),
                fmt="o", color=colour, capsize=3, label=f"learning rate {float(lr):g}")
ax.set_xticks(x, methods, rotation=25, ha="right")
ax.set_ylabel("recovered within 3,000 epochs (%)")
ax.set_xlabel("intervention on the dead feature")
ax.legend(fontsize=8)
fig.tight_layout()
glue("fig_resampling", fig)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} fig_resampling
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
# worse; at $10^{-2}$ almost everything recovers except the largest $\Delta$
# ({glue:text}`res_attractor04_2:.1f`%). Note that for a regular live polygon the post's attractor
# $\Sigma$ is the normalised sum of vectors that nearly cancel, so its direction is set by the small
# asymmetries. In this toy model the simplest rescue is a larger learning rate for a while.
#
# ## Claims and verdicts

# %%
claims_table([
    Claim("latent zones: W_j outside zone i, shorter features need wider gaps", "post: geometric argument",
          f"{100 * separated:.1f}% of neighbour pairs respect the minimal angle; mean gap {gap_short:.1f}° (short) vs {gap_long:.1f}° (long)",
          "reproduced"),
    Claim("symmetric failure is common (n = 7, AdamW)", "post: common, no rate given",
          f"{format_rate(*rates[('AdamW', 'n=7')])} of seeds pass through it; n = 6: {100 * rates[('AdamW', 'n=6')][0] / 1000:.1f}%, n = 8: {100 * rates[('AdamW', 'n=8')][0] / 1000:.1f}%",
          "reproduced"),
    Claim("not caused by weight decay", "post: Adam without decay fails too",
          f"Adam: {format_rate(*rates[('Adam (no decay)', 'n=7')])}", "reproduced"),
    Claim("b_dead = 1/n, W_dead = 0", "post: b_7 = 1/7 observed",
          f"b_dead = {float(sweep['n=7']['failure_b'][torch.arange(sweep['n=7']['failure_dead'].numel()), sweep['n=7']['failure_dead']].mean()):.4f} (1/7 = 0.1429)",
          "reproduced"),
    Claim("loss floor (n-1)/n per example set, (n-1)/n^3 per MSE entry", "brief: closed form",
          f"plateau loss / closed form = {plateau_ratio:.4f} (median over one plateau)", "reproduced"),
    Claim("symmetric failure is a local optimum in W_dead (tilt argument)", "post: Jensen / growth condition",
          f"min quadratic coefficient {tilt['b_d = 1/7'][1]:.3f} (b_d = 1/7), {tilt['b_d = 0'][1]:.3f} (b_d = 0)",
          "reproduced"),
    Claim("symmetric failure is a final state", "post: stuck since step ~3,000",
          "0 of 1,000 seeds still in it at epoch 25,000 for each n; failure to perfect ~10^4 epochs", "refuted"),
    Claim("asymmetric recovery is rare", "post: 1/100 (Wilson 0.2-5.4%)",
          f"n = 7: {format_rate(int(sweep['n=7']['recovered'].sum()), 1000)} of all seeds; every failed n = 6, 7 run recovered",
          "differs"),
    Claim("recovery is rare because it needs a lucky asymmetry", "post: chaotic, rare",
          f"lr 3e-4: {slow[1]}/{slow[0]} failed runs perfect by epoch 25,000, the rest still recovering; lr 1e-3 to 1e-2: all",
          "differs"),
    Claim("recovery leaves two circles", "post / Anthropic May 2023",
          f"max/min norm {ratio_recovered:.2f} after recovery vs {ratio_clean:.2f} without", "reproduced"),
    Claim("splay over (Delta, lr) is patchy past some lr", "post: splay map",
          f"recovery for lr {float(lr_perfect.min()):.1e}-{float(lr_perfect.max()):.1e}; patchy upper edge in {100 * patchy_rows:.0f}% of Delta rows; lr matters more than Delta",
          "reproduced"),
    Claim("attractor/repulsor reseeding rescues dead features", "post: proposed, not run",
          f"lr 3e-3: {100 * float(recovered[2, 1].double().mean()):.1f}% (Delta 0) vs {100 * float(recovered[0, 1].double().mean()):.1f}% with no intervention; Delta > 0 worse",
          "new"),
    Claim("Anthropic resampling rescues dead features", "Bricken et al. 2023 (for SAEs)",
          f"lr 3e-3: {100 * float(recovered[1, 1].double().mean()):.1f}% vs {100 * float(recovered[0, 1].double().mean()):.1f}% with no intervention",
          "new"),
])
