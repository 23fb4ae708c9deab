# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation: {extension: .py, format_name: percent}
#   kernelspec: {display_name: Python 3, language: python, name: python3}
# ---

# %% [markdown]
# # M2,2: the logit difference on sectors and the exact error rate
#
# ARC's AlgZoo {cite}`arc2026algzoo` opens with its smallest model, M2,2: a ReLU RNN with two hidden neurons,
# no biases and 10 parameters, trained to output the position of the second-largest of two Gaussian numbers
# (that is, the position of the smaller one).  ARC claims to understand it fully: after a rescaling of the
# neurons the weights have a fixed sign pattern, the *logit difference* is a piecewise-linear function on a few
# sectors of the input plane, and the model's tiny error rate, about 1 in 13,000, is exactly the angle between
# the line $x_0 = x_1$ and the model's decision boundary inside two "yellow" sectors, divided by $2\pi$.
#
# AlgZoo's weights cannot be downloaded where this book is built, so this chapter trains M2,2 with AlgZoo's
# recipe (best of several seeds) and tests each claim on that model.  Every analysis below runs unchanged on the
# official file: set the environment variable `TINYMECH_M2_2_PATH` to its path.
#
# You will see: the sign pattern after *standardization*, the *linear regions* (sectors) with their
# coefficients, the exact error rate by angular integration checked against $2^{24}$ samples, a surprise
# account in bits, and what the exact method costs compared with sampling.

# %%
import math
import os

import matplotlib.pyplot as plt
import numpy as np

from tinymech.algzoo.evaluation import sampled_accuracy
from tinymech.algzoo.handcrafted import handcrafted_2
from tinymech.algzoo.exact import exact_accuracy
from tinymech.algzoo.logit_difference import decision_boundary_rays, error_rate_from_yellow_pieces, logit_difference_pieces
from tinymech.report import Claim, claims_table, glue
from tinymech.algzoo.standardization import standardize
from tinymech.algzoo.surprise_accounting import arc_sign_pattern_holds, surprise_account
from tinymech.algzoo.zoo import MODELS, load_model, model_metadata

official_path = os.environ.get("TINYMECH_M2_2_PATH")
model = load_model(official_path or "m2_2")
print("model:", "official AlgZoo file" if official_path else "m2_2 trained here")

# %% [markdown]
# ## Training: best of seeds, and the local minima
#
# AlgZoo trains each model with several seeds and keeps the best, because "local minima can be hard to avoid
# for tiny models".  Our training recipe is AlgZoo's (AdamW, learning rate $0.04/\sqrt{d}$, weight decay
# $10^{-3}$, fresh batches of 1024 sequences, warm-up then exponential decay) with fewer training sequences
# than AlgZoo's $2^{30}$ (the number is in the metadata below).  Each seed's accuracy is measured on
# $2^{24}$ fresh validation sequences.

# %%
meta = model_metadata("m2_2")
for seed, accuracy in meta["seeds_tried"].items():
    print(f"seed {seed}: validation accuracy {100 * accuracy:8.4f}%   error rate 1/{1 / max(1 - accuracy, 1e-12):,.0f}")
print(f"kept seed {meta['seed']}, trained on {meta['n_train']:,} sequences "
      f"(log2 = {math.log2(meta['n_train']):.0f}); validation on {meta['validation_samples']:,} sequences")
glue("m22_seed", meta["seed"])
glue("m22_n_train_log2", math.log2(meta["n_train"]))
glue("m22_validation_error_inverse", 1 / (1 - meta["validation_accuracy"]))
stuck = {s: a for s, a in meta["seeds_tried"].items() if a < 0.99}
glue("m22_stuck_seeds", len(stuck))
glue("m22_seeds", len(meta["seeds_tried"]))

# %% [markdown]
# {glue:text}`m22_stuck_seeds` of the {glue:text}`m22_seeds` seeds end in a local minimum far from 100%
# (the brief's 50% and 87% minima); the kept seed errs on about 1 sequence in
# {glue:text}`m22_validation_error_inverse:,.0f` (AlgZoo's M2,2: about 1 in 13,000).
#
# ## Standardization and the sign pattern
#
# Rescaling a hidden neuron by $c > 0$ and dividing its outgoing weights by $c$ leaves every logit unchanged,
# because $\mathrm{ReLU}(cz) = c\,\mathrm{ReLU}(z)$.  ARC standardizes so that $W_{hi} \in \{+1, -1\}$ and
# claims that then, entrywise,
# $W_{hh} \in \begin{pmatrix}[-1,0) & [1,\infty)\\ [1,\infty) & [-1,0)\end{pmatrix}$ and
# $W_{oh} \in \begin{pmatrix}(0,\infty) & (-\infty,0)\\ (-\infty,0) & (0,\infty)\end{pmatrix}$.

# %%
weights = standardize(model.weights())
np.set_printoptions(precision=4, suppress=True)
print("W_hi =", weights.W_hi)
print("W_hh =\n", weights.W_hh)
print("W_oh =\n", weights.W_oh)
checks = arc_sign_pattern_holds(weights)
for fact, holds in checks.items():
    print(f"{fact:<22} {'holds' if holds else 'FAILS'}")
glue("m22_pattern_holds", f"{sum(checks.values())} of {len(checks)}")

# %% [markdown]
# {glue:text}`m22_pattern_holds` entrywise facts of ARC's pattern hold for the model trained here.
#
# ## The logit difference on sectors
#
# Let $\Delta(x_0, x_1) = \mathrm{logit}_1 - \mathrm{logit}_0$; the model answers "position 1" where
# $\Delta > 0$, which is correct exactly where $x_1 < x_0$.  With no biases $\Delta$ is positively homogeneous
# and piecewise linear, so its pieces are sectors bounded by rays: the *linear regions* of the model, one per
# *activation pattern* (which neuron is on after step 1 and after step 2).  On each, ARC writes
# $\Delta = a_0 x_0 - a_1 x_1$ with $a_0, a_1 > 0$ and colours the piece blue ($a_0 < a_1$), green ($a_0 > a_1$)
# or yellow ($a_0 \approx a_1$).  The sectors are enumerated exactly: an interval of angles is split wherever a
# pre-activation of its activation pattern crosses zero, until no pre-activation changes sign inside an
# interval.

# %%
pieces = logit_difference_pieces(model)
print(f"{'sector (degrees)':>20} {'pattern (step1|step2)':>22} {'a0':>9} {'a1':>9} {'colour':>7} {'|a0-a1|/max':>12}")
for p in pieces:
    pattern = "".join(map(str, p.activation_pattern[0].astype(int))) + "|" + "".join(
        map(str, p.activation_pattern[1].astype(int)))
    print(f"{math.degrees(p.start):8.2f} to {math.degrees(p.end):7.2f} {pattern:>22} {p.a0:9.4f} {p.a1:9.4f} "
          f"{p.colour:>7} {p.relative_gap:12.2e}")
yellow = [p for p in pieces if p.colour == "yellow"]
glue("m22_n_pieces", len(pieces))
glue("m22_n_yellow", len(yellow))
yellow_bits = [math.log2(1 / p.relative_gap) for p in yellow]
glue("m22_yellow_bits", ", ".join(f"{b:.1f}" for b in yellow_bits))
print("yellow near-equalities, in bits log2(max/|a0-a1|):", [round(b, 1) for b in yellow_bits])

# %% [markdown]
# The logit difference has {glue:text}`m22_n_pieces` pieces, all with $a_0, a_1 > 0$;
# {glue:text}`m22_n_yellow` are yellow, and their coefficients agree to $2^{-b}$ with
# $b$ = {glue:text}`m22_yellow_bits` bits (ARC: 11 bits for each).

# %%
colours = {"blue": "#4575b4", "green": "#1a9850", "yellow": "#fee08b"}
fig, (ax, zoom) = plt.subplots(1, 2, figsize=(10, 4.6))
for p in pieces:
    ax.add_patch(plt.matplotlib.patches.Wedge((0, 0), 1.0, math.degrees(p.start), math.degrees(p.end),
                                              facecolor=colours[p.colour], edgecolor="k", linewidth=0.5))
rays = decision_boundary_rays(pieces)
for angle in rays:
    ax.plot([0, 1.15 * math.cos(angle)], [0, 1.15 * math.sin(angle)], color="crimson", lw=1.5)
ax.plot([-1.2, 1.2], [-1.2, 1.2], "k--", lw=1)
ax.set(xlim=(-1.2, 1.2), ylim=(-1.2, 1.2), aspect="equal", xlabel="$x_0$", ylabel="$x_1$",
       title="Sectors of $\\Delta$; red: $\\Delta = 0$, dashed: $x_0 = x_1$")
handles = [plt.matplotlib.patches.Patch(color=c, label=k) for k, c in colours.items()]
ax.legend(handles=handles, loc="lower right", fontsize=8)
# zoom: offset of each decision ray from the diagonal ray it is near, in units of 2^-11 radians
for row, diagonal in enumerate((math.pi / 4, 5 * math.pi / 4)):
    offset = min((((a - diagonal + math.pi) % (2 * math.pi)) - math.pi for a in rays), key=abs) * 2**11
    zoom.barh(row, offset, left=0, height=0.5, color="0.8", label="misclassified wedge" if row == 0 else None)
    zoom.plot([offset, offset], [row - 0.3, row + 0.3], color="crimson", lw=2, label="$\\Delta = 0$" if row == 0 else None)
zoom.axvline(0, color="k", ls="--", label="$x_0 = x_1$")
zoom.set(xlim=(-3, 3), ylim=(-0.6, 1.6), yticks=[0, 1], yticklabels=["ray at 45 deg", "ray at 225 deg"],
         xlabel="angle from the diagonal ray (units of $2^{-11}$ rad)", title="Near the diagonal: the error wedges")
zoom.legend(fontsize=8)
fig.tight_layout()
glue("m22_sectors_figure", fig, display=False)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} m22_sectors_figure
# :name: fig-m22-sectors
#
# Left: the sectors of the input plane on which M2,2's logit difference is linear, coloured as ARC does.  The
# decision boundary $\Delta = 0$ (red) runs inside the yellow sectors, visibly on top of the line $x_0 = x_1$
# (dashed).  Right: for each of the two diagonal rays, the angle between it and the nearby ray $\Delta = 0$, in units of $2^{-11}$
# radians: the misclassified wedge (grey).
# ```
#
# ## The exact error rate
#
# Standard Gaussian inputs are rotation invariant, so the error rate is the total angle where the prediction is
# wrong divided by $2\pi$.  We compute it by integrating over the sectors (cut also at $x_0 = x_1$), compare it
# with ARC's account (the yellow wedges alone) and with sampling $2^{24}$ fresh sequences.

# %%
exact_error = 1 - exact_accuracy(model)
yellow_error = error_rate_from_yellow_pieces(pieces)
sampled = sampled_accuracy(model, 2**24, seed=2024)
z = (sampled.error_rate - exact_error) / math.sqrt(exact_error * (1 - exact_error) / sampled.samples)
print(f"exact error rate (angular integration) : {exact_error:.6e}  = 1/{1 / exact_error:,.0f}")
print(f"ARC's account (yellow wedges only)     : {yellow_error:.6e}")
print(f"sampled, 2^24 sequences                : {sampled.error_rate:.3e} +- {sampled.standard_error:.1e}")
print(f"sampled - exact = {z:+.1f} standard errors; within 4: {abs(z) < 4}")
handcrafted_exact = exact_accuracy(handcrafted_2())
print(f"handcrafted M2,2 exact accuracy        : {handcrafted_exact!r}")
glue("m22_exact_error", exact_error)
glue("m22_exact_inverse", 1 / exact_error)
glue("m22_z", abs(z))
glue("m22_yellow_share", yellow_error / exact_error)

# %% [markdown]
# The exact error rate is 1 in {glue:text}`m22_exact_inverse:,.0f`; the yellow wedges account for a fraction
# {glue:text}`m22_yellow_share:.6f` of it, and sampling $2^{24}$ sequences lands
# {glue:text}`m22_z:.1f` standard errors away, well inside the 4-standard-error interval.  The handcrafted M2,2
# ($W_{hi} = (1, -1)$, $W_{hh} = \begin{pmatrix}-1 & 1\\ 1 & -1\end{pmatrix}$,
# $W_{oh} = \begin{pmatrix}1 & -1\\ -1 & 1\end{pmatrix}$), whose logit difference is exactly $2(x_0 - x_1)$, has
# exact accuracy 1.
#
# ## Surprise accounting
#
# ARC measures understanding in bits: how surprising would the facts the explanation relies on be for random
# weights.  Each sign of the 10 weights is one bit; each comparison of a $W_{hh}$ entry with magnitude 1 one bit;
# each blue/green piece's $a_0 < a_1$ or $a_0 > a_1$ one bit; each yellow near-equality
# $\log_2(\max(a_0,a_1)/|a_0 - a_1|)$ bits.  Computed from the weights trained here:

# %%
terms = surprise_account(weights, pieces)
for term in terms:
    print(f"{term.bits:6.1f} bits  {term.what:<50} {'holds' if term.holds else 'does not hold'}")
total_bits = sum(t.bits for t in terms)
print(f"{total_bits:6.1f} bits  in all (ARC: about 40)")
glue("m22_total_bits", total_bits)

# %% [markdown]
# ## Cost: the exact method against sampling
#
# ARC judges an estimate of accuracy by its mean squared error against its compute, compared with random
# sampling, whose mean squared error is $p(1-p)/n$ after $n$ samples.  The exact method's only error is
# rounding; we estimate it from how much the result moves under random neuron rescalings, which leave the
# function unchanged.  The sampling budget that matches it, and the budget for a 10% relative error on the
# error rate, are:

# %%
from tinymech.benchmarks import exact_numerical_error, samples_to_match

rms = exact_numerical_error(model)
accuracy = 1 - exact_error
print(f"exact method: rms numerical error {rms:.1e} (float64 epsilon {np.finfo(float).eps:.1e})")
print(f"samples for the same mean squared error: {samples_to_match(accuracy, rms**2):.1e}")
print(f"samples for a 10% relative error on the error rate: {samples_to_match(accuracy, (0.1 * exact_error)**2):.2e}")
glue("m22_samples_ten_percent", samples_to_match(accuracy, (0.1 * exact_error) ** 2))

# %% [markdown]
# Even a 10% estimate of this error rate needs {glue:text}`m22_samples_ten_percent:.1e` samples, while the
# exact method visits a handful of sectors; the timings on one core are on the {doc}`performance` page.
#
# ARC's way to measure an estimator's mean squared error is to add noise to the weights, enough to change the
# accuracy substantially, and compare with the truth on each noisy model.  On 12 noisy copies of M2,2 (weights
# times $1 + 0.3\,\varepsilon$, $\varepsilon \sim N(0,1)$) the exact method agrees with $2^{20}$ samples each:

# %%
rng = np.random.default_rng(0)
from tinymech.algzoo.architectures import ReLURNN

z_scores, accuracies = [], []
for k in range(12):
    raw = model.weights()
    noisy = ReLURNN.from_weights(*(w * (1 + 0.3 * rng.standard_normal(w.shape)) for w in (raw.W_hi, raw.W_hh, raw.W_oh)))
    p = exact_accuracy(noisy)
    s = sampled_accuracy(noisy, 2**20, seed=k)
    accuracies.append(p)
    z_scores.append((s.accuracy - p) / math.sqrt(max(p * (1 - p), 1e-12) / s.samples))
print("exact accuracies of the noisy models:", " ".join(f"{a:.4f}" for a in accuracies))
print(f"largest |sampled - exact| in standard errors: {max(map(abs, z_scores)):.1f}")
print(f"mean squared z (1 expected if sampling is the only error): {np.mean(np.square(z_scores)):.2f}")
glue("m22_noisy_max_z", max(map(abs, z_scores)))

# %% [markdown]
# ## Claims and verdicts

# %%
zoo_error = 1 / 13_000
claims_table([
    Claim("M2,2 trains to zoo quality (error <= 1/5,000)", "AlgZoo: error ~1/13,000",
          f"error 1/{1 / exact_error:,.0f} (exact)", "reproduced" if exact_error <= 1 / 5000 else "differs"),
    Claim("some seeds fall into local minima", "brief: 50% or 87% on some seeds",
          f"{len(stuck)} of {len(meta['seeds_tried'])} seeds below 99%", "reproduced" if stuck else "differs"),
    Claim("standardized sign/magnitude pattern", "ARC: W_hi=(+1,-1), W_hh, W_oh patterns",
          f"{sum(checks.values())}/{len(checks)} facts hold", "reproduced" if all(checks.values()) else "partly"),
    Claim("pieces with a0, a1 > 0; blue, green and two yellow", "ARC",
          f"{len(pieces)} pieces, {len(yellow)} yellow, all a0, a1 > 0",
          "reproduced" if len(yellow) == 2 and all(p.a0 > 0 and p.a1 > 0 for p in pieces) else "differs"),
    Claim("yellow near-equality a0 ~ a1", "ARC: 1 part in 2^11", "1 part in 2^(" + ", ".join(
        f"{b:.1f}" for b in yellow_bits) + ")", "reproduced" if all(b > 8 for b in yellow_bits) else "differs"),
    Claim("error = yellow wedges / 2 pi", "ARC: ~1/(2 pi 2^11) ~ 1/13,000",
          f"wedges give {yellow_error / exact_error:.4f} of the exact error", "reproduced"
          if abs(yellow_error / exact_error - 1) < 1e-6 else "differs"),
    Claim("exact error agrees with sampling", "ARC: matches sampled error",
          f"{abs(z):.1f} SE apart on 2^24 samples", "reproduced" if abs(z) < 4 else "refuted"),
    Claim("handcrafted M2,2 is 100% accurate", "ARC", f"exact accuracy {handcrafted_exact}",
          "reproduced" if handcrafted_exact == 1.0 else "refuted"),
    Claim("surprise accounting ~40 bits", "ARC: 14 + 4 + ~22 bits", f"{total_bits:.1f} bits", "reproduced"
          if abs(total_bits - 40) < 8 else "differs"),
])
