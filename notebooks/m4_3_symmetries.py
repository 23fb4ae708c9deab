# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation: {extension: .py, format_name: percent}
#   kernelspec: {display_name: Python 3, language: python, name: python3}
# ---

# %% [markdown]
# # M4,3: exact accuracy and approximate symmetries
#
# M4,3 is ARC's 32-parameter RNN that finds the position of the second-largest of three Gaussian inputs,
# at 98.5% accuracy in AlgZoo {cite}`arc2026algzoo`.  ARC analysed it by exploiting approximate symmetries
# to cut compute, and report that its mechanistic estimates of accuracy "roughly match" the efficiency of
# sampling.  This chapter shows:
#
# 1. that with three inputs the accuracy of *any* bias-free ReLU RNN can be computed exactly, as a
#    fraction of the sphere's area, by enumerating its linear regions (our code,
#    `tinymech.solid_angles`);
# 2. which approximate symmetry our trained M4,3 has, how far from exact it is, and how much of the
#    exact count it saves (`tinymech.symmetries`);
# 3. what the exact count costs compared with sampling, with ARC's noisy-model recipe;
# 4. why ARC's handcrafted M4,3 tends to 100% as its parameter $\lambda$ grows, and where float32 stops it.
#
# Everything runs on a model trained here with AlgZoo's recipe, since AlgZoo's weights cannot be
# downloaded where this book is built.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import torch

from tinymech.handcrafted import handcrafted_3
from tinymech.report import Claim, claims_table, glue
from tinymech.solid_angles import FOUR_PI, solid_angle_accuracy, sphere_map
from tinymech.standardization import standardize
from tinymech.symmetries import (
    HALF_SPACE_X0,
    find_negation_symmetries,
    load_or_compute_study,
    symmetrize,
    symmetry_reduced_accuracy,
)
from tinymech.zoo import load_model, model_metadata

torch.set_num_threads(1)
np.set_printoptions(precision=3, suppress=True)
CORRECT_COLOUR, WRONG_COLOUR = plt.cm.cividis(0.85), plt.cm.cividis(0.1)

# %% [markdown]
# ## The trained model
#
# Small RNNs often get stuck in local minima, so AlgZoo keeps the best of five training seeds.  We do the
# same (AlgZoo's recipe with $2^{27}$ instead of $2^{30}$ training sequences, our choice for CPU time).

# %%
model = load_model("m4_3")
metadata = model_metadata("m4_3")
weights = model.weights()
for seed, accuracy in sorted(metadata["seeds_tried"].items()):
    print(f"seed {seed}: validation accuracy {accuracy:.4f}" + ("  <- kept" if int(seed) == metadata["seed"] else ""))
print(f"training sequences per seed: 2^{int(math.log2(metadata['n_train']))}")
print(f"validation sequences: 2^{int(math.log2(metadata['validation_samples']))}")
glue("validation_accuracy", metadata["validation_accuracy"]);

# %% [markdown]
# The kept model's validation accuracy is {glue:text}`validation_accuracy:.4f` on fresh sequences;
# AlgZoo's M4,3 has 0.985.

# %% [markdown]
# ## Exact accuracy from solid angles
#
# A bias-free ReLU RNN is positively homogeneous and piecewise linear, so its linear regions (inputs
# sharing one activation pattern) are polyhedral cones, and on each cone the logits are linear.  Standard
# Gaussian inputs in $\mathbb{R}^3$ are rotation invariant, so the accuracy is the area of the unit sphere
# where the prediction is right, divided by $4\pi$.  We split cones step by step by each neuron's
# hyperplane (pruning empty ones with a linear program), cut each region by the six orderings
# $x_a > x_b > x_c$ (label $b$) and by $\text{logit}_b \ge \text{logit}_j$, and add spherical-polygon
# areas by Girard's theorem, area $= \sum \text{angles} - (k - 2)\pi$.

# %%
study, study_metadata = load_or_compute_study("m4_3")
exact = solid_angle_accuracy(weights)
print(f"exact accuracy:  {exact.accuracy:.10f}")
print(f"linear regions:  {exact.n_regions} activation patterns, {exact.n_cells} (pattern, ordering) cells")
print(f"linear programs: {exact.linear_programs}, splits decided by vertices: {exact.vertex_checks}")
print(f"the cells tile the sphere (area error below 1e-12): {exact.coverage_error < 1e-12}")
for dtype_name in ("float32", "float64"):
    p, se = study[f"trained_sampled_{dtype_name}"].tolist()
    print(f"sampled, {dtype_name}, 2^24 sequences: {p:.6f} +- {se:.6f}  "
          f"(exact - sampled = {(exact.accuracy - p) / se:+.2f} standard errors)")
glue("exact_accuracy", exact.accuracy)
glue("n_regions", exact.n_regions)
glue("n_cells", exact.n_cells)
glue("exact_seconds", float(study["trained_exact_seconds"]))
trained_z = (exact.accuracy - study["trained_sampled_float64"][0].item()) / study["trained_sampled_float64"][1].item()
glue("trained_z", abs(trained_z));

# %% [markdown]
# The exact accuracy is {glue:text}`exact_accuracy:.9f`, from {glue:text}`n_regions` linear regions
# ({glue:text}`n_cells` cells), computed in {glue:text}`exact_seconds:.2f` seconds on one core.  It agrees
# with $2^{24}$ float64 samples to {glue:text}`trained_z:.2f` standard errors.  Nothing in the method is
# specific to four neurons; on random models (Gaussian weights, $W_{hh}$ scaled by $1/\sqrt{d}$) of other
# hidden sizes it agrees with $2^{24}$ samples too, while the number of regions grows with $d$:

# %%
checks = study["random_models"]
print(" d   exact accuracy   regions   sampled (2^24, float64)   (exact - sampled) / se")
for row in zip(*(checks[k].tolist() for k in ("hidden_size", "exact", "regions", "sampled", "sampled_se"))):
    d, exact_value, regions, sampled_value, se = row
    print(f"{int(d):2d}   {exact_value:.9f}   {int(regions):7d}   {sampled_value:.6f} +- {se:.6f}   "
          f"{(exact_value - sampled_value) / se:+.2f}")
random_z = ((checks["exact"] - checks["sampled"]) / checks["sampled_se"]).abs().numpy()
glue("random_max_z", float(random_z.max()));

# %% [markdown]
# ## The regions on the sphere
#
# The map below is Lambert's cylindrical equal-area projection of the sphere of inputs around the axis
# $(1, 1, 1)$: equal areas are equal probabilities.  The six orderings are the vertical bands between the
# meridians where two inputs are equal; thin lines are the boundaries of linear regions.

# %%
grid = sphere_map(weights, n_longitude=720, n_height=360)
edges = (np.diff(grid.region, axis=0, prepend=grid.region[:1]) != 0) | (
    np.diff(grid.region, axis=1, prepend=grid.region[:, :1]) != 0)
image = np.where(grid.correct[..., None], np.array(CORRECT_COLOUR), np.array(WRONG_COLOUR))
image[edges] = (0.5, 0.5, 0.5, 1.0)
fig, ax = plt.subplots(figsize=(9, 4))
ax.imshow(image, extent=(0, 360, -1, 1), origin="lower", aspect="auto", interpolation="nearest")
for k in range(1, 6):
    ax.axvline(60 * k, color="white", lw=1.2, ls="--")
ax.set_xlabel("longitude around (1, 1, 1) (degrees; x_0 largest at 0)")
ax.set_ylabel("height x . (1,1,1)/sqrt(3)")
ax.set_title(f"M4,3: correct (light) and wrong (dark) inputs, {exact.n_regions} linear regions")
glue("sphere_map", fig)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} sphere_map
# The trained M4,3 on the sphere of inputs (equal-area map).  Dark areas are wrong predictions; grey
# lines bound linear regions; dashed lines separate the six orderings.  Errors sit along the boundaries
# between orderings, where two inputs are close.
# ```

# %% [markdown]
# ## Standardization and a negation symmetry
#
# For three inputs the 2nd-argmax is the middle value, so negating every input keeps the label.  A model
# can share this symmetry: if a permutation $\sigma$ of standardized neurons gives
# $W_{hi}[\sigma] = -W_{hi}$, $W_{hh}[\sigma, \sigma] = W_{hh}$, $W_{oh}[:, \sigma] = W_{oh}$, then
# $h_t(-x) = h_t(x)[\sigma]$ at every step and the logits of $-x$ and $x$ are equal.  We rescale neurons
# so that $|W_{hi}| = 1$ (ARC's standardization) and search all involutions $\sigma$.  The task's other
# symmetry, reversing the sequence (which maps label $k$ to $2 - k$), has no counterpart of this kind: an
# RNN reads its inputs in order, and no relabelling of neurons turns a forward pass into a backward one.

# %%
standard = standardize(weights)
print("W_hi =", standard.W_hi)
print("W_hh =\n", standard.W_hh)
print("W_oh =\n", standard.W_oh)
candidates = find_negation_symmetries(standard)
print("\npermutation   |dW_hi|/|W_hi|  |dW_hh|/|W_hh|  |dW_oh|/|W_oh|")
for symmetry in candidates[:4]:
    print(f"{str(symmetry.permutation):13} {symmetry.input_distance:14.3f} {symmetry.recurrent_distance:15.3f} "
          f"{symmetry.readout_distance:15.3f}")
best = candidates[0]
glue("symmetry_permutation", str(best.permutation))
glue("symmetry_distance", best.distance);

# %% [markdown]
# The closest negation symmetry exchanges neurons as {glue:text}`symmetry_permutation` and is off by a
# relative {glue:text}`symmetry_distance:.3f` in the worst of the three matrices.  (ARC's handcrafted
# M4,3 has this symmetry exactly, with $\sigma = (3, 2, 1, 0)$: its neurons carry $\pm z$ of a
# two-dimensional linear state $z$.)
#
# **Using it.**  If the symmetry held exactly, the accuracy on the half-space $x_0 \ge 0$ would equal
# the accuracy, and the exact count would visit only that half's regions.  With the approximate symmetry
# this half-space count is an estimate; its error is what the approximation costs.

# %%
half = symmetry_reduced_accuracy(weights)
symmetric_weights = symmetrize(standard, best.permutation)
symmetric_accuracy = solid_angle_accuracy(symmetric_weights).accuracy
speed_up = float(study["trained_exact_seconds"] / study["trained_half_space_seconds"])
print(f"exact accuracy:                    {exact.accuracy:.9f}  ({exact.n_regions} regions)")
print(f"half-space count (x_0 >= 0):       {half.accuracy:.9f}  ({half.n_regions} regions)")
print(f"error of the half-space estimate:  {half.accuracy - exact.accuracy:+.2e}")
print(f"exact accuracy of the symmetrized model: {symmetric_accuracy:.9f}")
print(f"speed-up of the half-space count: {speed_up:.2f}x")
glue("half_accuracy", half.accuracy)
glue("half_regions", half.n_regions)
glue("half_error", abs(half.accuracy - exact.accuracy))
glue("symmetric_accuracy", symmetric_accuracy)
glue("speed_up", speed_up);

# %% [markdown]
# The half-space count visits {glue:text}`half_regions` regions instead of {glue:text}`n_regions`, runs
# {glue:text}`speed_up:.2f` times faster and misses the exact accuracy by {glue:text}`half_error:.1e`.
# Averaging the weights with their mirror image (the nearest exactly symmetric model) gives accuracy
# {glue:text}`symmetric_accuracy:.6f`.  The symmetry halves the work; it does not change the order of
# the cost, which grows with the number of regions.

# %% [markdown]
# ## Cost against sampling
#
# ARC judges an accuracy estimate by its mean squared error (MSE) against compute, compared with random
# sampling, whose MSE is $p(1-p)/n$ after $n$ samples.  Following their recipe we add noise to the
# weights (each matrix gets Gaussian noise of standard deviation $\sigma$ times its root-mean-square
# entry, $\sigma$ below; our choice), so that the symmetry is broken by varying amounts, and average over
# the noisy models.  The reference accuracy of each noisy model is the exact count itself.  Timings are
# wall-clock seconds on one (shared) CPU core, measured offline (`python -m tinymech.symmetries`).

# %%
noisy = study["noisy"]
p = noisy["exact"].numpy()
mse_half = float(np.mean((noisy["half_space"].numpy() - p) ** 2))
variance = float(np.mean(p * (1 - p)))
seconds_per_sample = float(study["seconds_per_sample"])
samples_matching_half = variance / mse_half
half_seconds = float(noisy["half_space_seconds"].mean())
exact_seconds = float(noisy["exact_seconds"].mean())
samples_in_exact_time = exact_seconds / seconds_per_sample
print(f"{len(p)} noisy models, sigma = {study_metadata['sigma']}: accuracy {p.mean():.4f} "
      f"(min {p.min():.4f}, max {p.max():.4f}); symmetry distance {noisy['symmetry_distance'].mean():.3f} on average")
print(f"half-space estimate: MSE {mse_half:.2e}, matched by {samples_matching_half:.3g} samples "
      f"= {samples_matching_half * seconds_per_sample:.3g} s of sampling; it takes {half_seconds:.3g} s")
print(f"exact count: MSE 0 (rounding); in its {exact_seconds:.3g} s sampling draws {samples_in_exact_time:.3g} "
      f"samples, MSE {variance / samples_in_exact_time:.2e}")
glue("sigma", study_metadata["sigma"])
glue("noisy_mean_accuracy", float(p.mean()))
glue("mse_half", mse_half)
glue("samples_matching_half", samples_matching_half)
glue("half_vs_sampling", half_seconds / (samples_matching_half * seconds_per_sample))
glue("samples_in_exact_time", samples_in_exact_time)
glue("mse_sampling_exact_time", variance / samples_in_exact_time)

budget = np.logspace(-3, 2, 50)
fig, ax = plt.subplots(figsize=(6, 4))
ax.loglog(budget, variance / (budget / seconds_per_sample), color=plt.cm.viridis(0.2), label="sampling")
ax.scatter([half_seconds], [mse_half], color=plt.cm.viridis(0.6), zorder=3, label="half-space count (symmetry)")
ax.scatter([exact_seconds], [1e-16], marker="v", color=plt.cm.viridis(0.9), edgecolor="k", zorder=3,
           label="exact count (MSE ~ rounding, drawn at 1e-16)")
ax.set_xlabel("compute (seconds on one CPU core)")
ax.set_ylabel("mean squared error of the accuracy")
ax.set_title("M4,3 with noisy weights: estimates against sampling")
ax.legend(fontsize=8)
glue("cost_figure", fig)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} cost_figure
# Mean squared error against compute on noisy copies of M4,3.  The line is sampling; the dots are the
# symmetry-reduced (half-space) count and the exact count, whose error is only float64 rounding.
# ```
#
# With noise $\sigma =$ {glue:text}`sigma:.2f` the noisy models average {glue:text}`noisy_mean_accuracy:.4f`.
# The half-space estimate has MSE {glue:text}`mse_half:.1e`, which sampling matches with
# {glue:text}`samples_matching_half:.3g` samples; the estimate takes {glue:text}`half_vs_sampling:.2g`
# times the compute of those samples.  The exact count has no statistical error at all: in the same
# time sampling would reach an MSE of {glue:text}`mse_sampling_exact_time:.1e`.  So for three inputs
# region enumeration beats sampling outright; what it cannot do is scale, since the number of regions
# grows quickly with the number of inputs.

# %% [markdown]
# ## The handcrafted M4,3 and float32
#
# ARC's handcrafted M4,3 keeps a two-dimensional linear state $z$ in four ReLU neurons as $(z^+, z^-)$
# pairs, so after three steps $z = \text{fc1}\, x$ exactly and the logits are $\text{fc2}\,|z|$ with
# $|z|$ taken entrywise.  Writing $a = x_0 - x_1$ and $b = x_2 - x_1$, $z = (a + \lambda b,\; b - a + \lambda b)$.
# Whenever both entries of $z$ have the sign of $b$ (true unless $|b| \lesssim |a| / \lambda$),
# the logits are exactly $(2\lambda + 1)\,\text{sign}(b)\,(x_2 - x_1,\; x_2 - x_0,\; x_0 - x_1)$, and this
# linear map always puts its largest value at the 2nd-argmax (check the three orderings of each sign of
# $b$).  The sign condition fails only in a wedge of angular width $\sim 1/\lambda$ around $x_1 = x_2$,
# and even there most predictions are right, so the error rate falls with a power of $\lambda$.  But the logits are built from terms of size $\sim\lambda^2$ that cancel down to
# size $\sim\lambda$, and the weights $W_{hh} \sim \lambda / 2$ come from inverting a nearly singular
# matrix: in float32 (relative precision $6 \times 10^{-8}$) rounding errors grow with $\lambda$.

# %%
sweep = study["lambda_sweep"]
lams = sweep["lam"].numpy()
fig, ax = plt.subplots(figsize=(6, 4))
ax.loglog(lams, 1 - sweep["exact_float64"].numpy(), "o-", color=plt.cm.viridis(0.1), label="exact, float64 weights")
ax.loglog(lams, 1 - sweep["exact_float32_weights"].numpy(), "s--", color=plt.cm.viridis(0.5),
          label="exact, weights rounded to float32")
ax.errorbar(lams, 1 - sweep["sampled_float32"].numpy(), yerr=sweep["sampled_float32_se"].numpy(), fmt="^:",
            color=plt.cm.viridis(0.85), label="sampled, float32 forward ($2^{22}$)")
ax.set_xlabel("lambda")
ax.set_ylabel("error rate")
ax.set_title("Handcrafted M4,3: error rate against lambda")
ax.legend(fontsize=8)
glue("lambda_figure", fig)
plt.close(fig)
slope = np.polyfit(np.log(lams[lams >= 10]), np.log(1 - sweep["exact_float64"].numpy()[lams >= 10]), 1)[0]
best_float32 = int(np.argmax(sweep["sampled_float32"].numpy()))
print(f"float64: error rate ~ lambda^{slope:.2f}")
print(f"float32 sampling is best at lambda = {lams[best_float32]:g}: accuracy {sweep['sampled_float32'][best_float32]:.5f}")
glue("lambda_slope", slope)
glue("float32_best_lambda", float(lams[best_float32]))
glue("float32_best_accuracy", float(sweep["sampled_float32"][best_float32]))

handcrafted = handcrafted_3(100.0)
handcrafted_exact = solid_angle_accuracy(handcrafted.double()).accuracy  # weights rounded to float32
handcrafted_exact64 = solid_angle_accuracy(handcrafted_3(100.0, dtype=torch.float64)).accuracy
h64, h64_se = study["handcrafted_sampled_float64"].tolist()
h32, h32_se = study["handcrafted_sampled_float32"].tolist()
print(f"lambda = 100: exact {handcrafted_exact64:.7f} (float64 weights), {handcrafted_exact:.7f} (float32 weights)")
print(f"  sampled 2^24: float64 forward {h64:.7f} +- {h64_se:.7f} ({(handcrafted_exact - h64) / h64_se:+.2f} se "
      f"from exact), float32 forward {h32:.7f} +- {h32_se:.7f}")
glue("handcrafted_exact64", handcrafted_exact64)
glue("handcrafted_exact32", handcrafted_exact)
glue("handcrafted_sampled32", h32)
glue("handcrafted_z", abs(handcrafted_exact - h64) / h64_se);

# %% [markdown]
# ```{glue:figure} lambda_figure
# Error rate of the handcrafted M4,3 against $\lambda$ (log-log).  Exact in float64 it falls like a power
# of $\lambda$; with weights rounded to float32, and more so with float32 arithmetic, it stops falling
# and then collapses.
# ```
#
# In float64 the error rate falls like $\lambda^{s}$ with $s =$ {glue:text}`lambda_slope:.2f`.  At
# $\lambda = 100$ the exact accuracy is {glue:text}`handcrafted_exact64:.6f` with float64 weights but
# {glue:text}`handcrafted_exact32:.6f` once the weights are stored in float32, and float32 forward passes
# give {glue:text}`handcrafted_sampled32:.6f` (ARC: 99.989%).  The exact count of the float32-stored
# weights agrees with float64 sampling of the same weights to {glue:text}`handcrafted_z:.2f` standard
# errors.  Float32 sampling is best near $\lambda =$ {glue:text}`float32_best_lambda:g`
# ({glue:text}`float32_best_accuracy:.5f`): "100% at high precision only" reproduces.

# %% [markdown]
# ## Claims
#
# Source numbers are ARC's {cite}`arc2026algzoo`; settings that are ours: $2^{27}$ training sequences per
# seed, our region enumeration, the noise scale of the cost study, one shared CPU core for timings.

# %%
zoo_ok = metadata["validation_accuracy"] >= 0.98
rows = [
    Claim("trained M4,3 reaches ~98.5% (best of 5 seeds)", "AlgZoo: 98.5%",
          f"{exact.accuracy:.4f} exact", "reproduced" if zoo_ok else "differs"),
    Claim("with 3 inputs, accuracy = solid-angle fraction of correct cones", "ARC: exact method",
          f"{exact.n_regions} regions, {trained_z:+.2f} se vs 2^24 samples; random models (d = 1..16) "
          f"within {random_z.max():.2f} se", "reproduced" if max(abs(trained_z), random_z.max()) < 4 else "differs"),
    Claim("M4,3 has approximate symmetries that cut compute", "ARC: used to cut compute",
          f"negation x {best.permutation}: distance {best.distance:.3f}, {speed_up:.2f}x faster, "
          f"error {half.accuracy - exact.accuracy:+.1e}", "reproduced" if best.distance < 0.2 else "partly"),
    Claim("ARC's mechanistic estimates of M4,3 roughly match sampling's efficiency", "ARC: roughly match",
          "ARC's estimates not rebuilt here", "not tested"),
    Claim("for 3 inputs the exact count beats sampling at equal compute", "(ours)",
          f"MSE 0 in {exact_seconds:.2g} s; sampling in that time: MSE {variance / samples_in_exact_time:.1e}",
          "new"),
    Claim("the symmetry-reduced (half-space) estimate against sampling", "(ours)",
          f"MSE {mse_half:.1e}, {half_seconds / (samples_matching_half * seconds_per_sample):.2g}x the compute "
          "of equally accurate sampling", "new"),
    Claim("handcrafted M4,3 (lambda = 100) ~99.99%, 99.989% in float32", "ARC: 99.99% / 99.989%",
          f"{handcrafted_exact64:.5f} exact (float64), {h32:.5f} sampled (float32)",
          "reproduced" if abs(h32 - 0.99989) < 5e-5 else "differs"),
    Claim("handcrafted accuracy tends to 100% as lambda grows, only at high precision", "ARC",
          f"float64 error ~ lambda^{slope:.2f}; float32 best at lambda = {lams[best_float32]:g}", "reproduced"),
]
claims_table(rows)
